package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "invite", Summary: "answer a meeting invitation: ID accept|decline|tentative (writes a draft to the outbox)", Run: runInvite})
}

// inviteCalendarName is the local calendar that takes invitations
// accepted while the event is in no other calendar.
const inviteCalendarName = "Invitations"

func runInvite(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "invite", "ID accept|decline|tentative [--as EMAIL]")
	as := fs.String("as", "", "the attendee address to answer as (default: the one the message was sent to)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{"invite: give a message id and accept, decline or tentative"}
	}
	partstat, ok := map[string]string{"accept": "ACCEPTED", "decline": "DECLINED", "tentative": "TENTATIVE"}[strings.ToLower(pos[1])]
	if !ok {
		return usageError{fmt.Sprintf("invite: %q is not accept, decline or tentative", pos[1])}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := answerInvite(ctx, env, st, pos[0], partstat, *as, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %q: reply to %s written to %s (not sent)\n", strings.ToLower(partstat), res.Summary, res.To, res.Path)
	if err := uploadDraft(ctx, env, st, res.Row, res.Path); err != nil {
		return err
	}
	if res.Calendar != "" {
		fmt.Fprintf(env.Stdout, "calendar %q: your status is now %s\n", res.Calendar, partstat)
	}
	return nil
}

// inviteAnswer is what answerInvite did.
type inviteAnswer struct {
	Row      int64  // the invitation message
	Path     string // the draft .eml in the outbox
	To       string // the organizer
	Summary  string
	UID      string
	Calendar string // calendar whose event now carries the PARTSTAT; "" when none
}

// answerInvite writes the iTIP REPLY to the invitation in message ref as a
// draft in HOME/outbox and records the PARTSTAT on the local event.
func answerInvite(ctx context.Context, env *Env, st *store.Store, ref, partstat, as string, now time.Time) (inviteAnswer, error) {
	var res inviteAnswer
	row, err := st.Resolve(ctx, ref)
	if err != nil {
		return res, err
	}
	res.Row = row
	if err := st.LinkInvites(ctx, []int64{row}); err != nil {
		return res, err
	}
	invs, err := st.InvitesForMessage(ctx, row)
	if err != nil {
		return res, err
	}
	var part []byte
	for _, iv := range invs {
		if iv.Method == "REQUEST" {
			part = iv.Raw
			break
		}
	}
	if part == nil {
		return res, fmt.Errorf("message %s holds no invitation (iTIP REQUEST) to answer: %w", ref, pam.ErrNotFound)
	}
	inv, err := calendar.ParseInvite(part)
	if err != nil {
		return res, err
	}
	raw, err := st.Raw(ctx, row)
	if err != nil {
		return res, err
	}
	msg, err := mail.Parse(raw)
	if err != nil {
		return res, err
	}
	me, err := whoAmI(inv.Event, msg, as)
	if err != nil {
		return res, err
	}
	reply, err := calendar.Reply(inv, me.Email, partstat, now)
	if err != nil {
		return res, err
	}
	if inv.Event.Organizer == nil || inv.Event.Organizer.Email == "" {
		return res, fmt.Errorf("invitation has no organizer to answer: %w", pam.ErrInvalid)
	}
	org := netmail.Address{Name: inv.Event.Organizer.Name, Address: inv.Event.Organizer.Email}
	res.To, res.Summary, res.UID = org.Address, inv.Event.Summary, inv.Event.UID
	eml := replyMessage(netmail.Address{Name: me.Name, Address: me.Email}, org, msg, inv.Event, partstat, reply, now)
	dir := filepath.Join(env.Home, "outbox")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	var rnd [4]byte
	rand.Read(rnd[:])
	res.Path = filepath.Join(dir, fmt.Sprintf("%s-%s-%s.eml", now.UTC().Format("20060102T150405Z"), strings.ToLower(partstat), hex.EncodeToString(rnd[:])))
	if err := writeFileAtomic(res.Path, eml, 0o600); err != nil {
		return res, fmt.Errorf("write reply: %w", err)
	}
	res.Calendar, err = recordPartStat(ctx, st, inv, me.Email, partstat)
	return res, err
}

// whoAmI picks the attendee to answer as: --as, else the attendee the
// message was addressed to (To, Cc), else the only attendee asked to reply.
func whoAmI(ev *calendar.Event, m *pam.Message, as string) (calendar.Address, error) {
	find := func(email string) (calendar.Address, bool) {
		for _, a := range ev.Attendees {
			if strings.EqualFold(a.Email, email) {
				return a, true
			}
		}
		return calendar.Address{}, false
	}
	if as != "" {
		if a, ok := find(as); ok {
			return a, nil
		}
		return calendar.Address{}, fmt.Errorf("%s is not among the attendees: %w", as, pam.ErrInvalid)
	}
	var hits []calendar.Address
	for _, r := range append(append([]pam.Address{}, m.To...), m.Cc...) {
		if a, ok := find(r.Email); ok {
			hits = append(hits, a)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	var rsvp []calendar.Address
	for _, a := range ev.Attendees {
		if a.RSVP {
			rsvp = append(rsvp, a)
		}
	}
	if len(hits) == 0 && len(rsvp) == 1 {
		return rsvp[0], nil
	}
	return calendar.Address{}, usageError{"invite: cannot tell which attendee you are; use --as EMAIL"}
}

// replyMessage builds the draft: multipart/alternative with a text part
// and the text/calendar; method=REPLY part.
func replyMessage(from, to netmail.Address, orig *pam.Message, ev *calendar.Event, partstat string, ics []byte, now time.Time) []byte {
	verb := map[string]string{"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively accepted"}[partstat]
	var rnd [12]byte
	rand.Read(rnd[:])
	domain := "pam.invalid"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 && i < len(from.Address)-1 {
		domain = from.Address[i+1:]
	}
	boundary := "pam-" + hex.EncodeToString(rnd[:8])
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from.String())
	h("To", to.String())
	h("Subject", mime.QEncoding.Encode("utf-8", verb+": "+ev.Summary))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(rnd[:])+"@"+domain+">")
	if orig.MessageID != "" {
		h("In-Reply-To", "<"+orig.MessageID+">")
		refs := ""
		for _, r := range orig.References {
			refs += "<" + r + "> "
		}
		h("References", refs+"<"+orig.MessageID+">")
	}
	h("MIME-Version", "1.0")
	h("X-PAM-Draft", "iTIP reply; not sent")
	h("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	name := from.Name
	if name == "" {
		name = from.Address
	}
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", boundary)
	fmt.Fprintf(&b, "%s has %s: %s\r\n\r\n", name, map[string]string{"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentatively accepted"}[partstat], ev.Summary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=REPLY\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", boundary)
	b.Write(bytes.ReplaceAll(bytes.ReplaceAll(ics, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")))
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes()
}

// recordPartStat sets the attendee's PARTSTAT on the stored event with
// the invitation's UID (marking CalDAV copies for upload), or, when no
// calendar has it and the answer is not a decline, stores the invitation
// in the local Invitations calendar. It returns the calendar's name.
func recordPartStat(ctx context.Context, st *store.Store, inv *calendar.Invite, email, partstat string) (string, error) {
	uid := inv.Event.UID
	objs, err := st.CalObjectsByUID(ctx, uid)
	if err != nil {
		return "", err
	}
	cals, err := st.Calendars(ctx)
	if err != nil {
		return "", err
	}
	byID := map[int64]store.Calendar{}
	for _, c := range cals {
		byID[c.ID] = c
	}
	rid := ""
	if p := inv.Event.Raw.Prop("RECURRENCE-ID"); p != nil {
		rid = p.Value
	}
	set := func(cal *calendar.Calendar) bool {
		changed := false
		for _, ev := range cal.Events {
			if rid != "" {
				if p := ev.Raw.Prop("RECURRENCE-ID"); p == nil || p.Value != rid {
					continue
				}
			}
			for i := range ev.Attendees {
				if strings.EqualFold(ev.Attendees[i].Email, email) && ev.Attendees[i].PartStat != partstat {
					ev.Attendees[i].PartStat = partstat
					ev.Attendees[i].RSVP = false // answered
					changed = true
				}
			}
		}
		return changed
	}
	name := ""
	for _, o := range objs {
		cal, err := calendar.Parse(bytes.NewReader(o.Raw))
		if err != nil {
			continue
		}
		name = byID[o.Calendar].Name
		if !set(cal) {
			continue
		}
		var b bytes.Buffer
		if err := cal.Encode(&b); err != nil {
			return "", err
		}
		o.Raw = b.Bytes()
		o.Dirty = !byID[o.Calendar].Local()
		if _, err := st.PutCalObject(ctx, o); err != nil {
			return "", err
		}
	}
	if len(objs) > 0 || partstat == "DECLINED" {
		return name, nil
	}
	var enc bytes.Buffer
	if err := inv.Calendar.Encode(&enc); err != nil {
		return "", err
	}
	cal, err := calendar.Parse(&enc)
	if err != nil {
		return "", err
	}
	cal.Method = ""
	set(cal)
	if _, err := storeCalendar(ctx, st, cal, inviteCalendarName); err != nil {
		return "", err
	}
	return inviteCalendarName, nil
}

package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

// iTIP errors.
var (
	ErrNoMethod   = errors.New("calendar has no iTIP METHOD")
	ErrNoEvent    = errors.New("invitation has no VEVENT")
	ErrNotInvited = errors.New("address is not an attendee")
)

// Invite is an iTIP message (RFC 5546) carried in a text/calendar part.
type Invite struct {
	Method string // REQUEST, REPLY, CANCEL, ...
	// Event is the first VEVENT; for a recurring series with overrides it
	// is the master when there is one.
	Event    *Event
	Calendar *Calendar
}

// ParseInvite parses a text/calendar part as an iTIP message.
func ParseInvite(data []byte) (*Invite, error) {
	cal, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse invite: %w", err)
	}
	if cal.Method == "" {
		return nil, fmt.Errorf("parse invite: %w", ErrNoMethod)
	}
	if len(cal.Events) == 0 {
		return nil, fmt.Errorf("parse invite %s: %w", cal.Method, ErrNoEvent)
	}
	inv := &Invite{Method: cal.Method, Event: cal.Events[0], Calendar: cal}
	for _, ev := range cal.Events {
		if ev.RecurrenceID.IsZero() {
			inv.Event = ev
			break
		}
	}
	return inv, nil
}

// Reply builds the METHOD:REPLY calendar with which attendee answers inv:
// the same UID, SEQUENCE, RECURRENCE-ID, DTSTART and ORGANIZER, and only
// the one ATTENDEE with its new PARTSTAT (ACCEPTED, DECLINED or TENTATIVE).
func Reply(inv *Invite, attendeeEmail, partstat string, now time.Time) ([]byte, error) {
	partstat = strings.ToUpper(partstat)
	switch partstat {
	case "ACCEPTED", "DECLINED", "TENTATIVE":
	default:
		return nil, fmt.Errorf("reply: PARTSTAT %q not one of ACCEPTED, DECLINED, TENTATIVE: %w", clip(partstat), pam.ErrInvalid)
	}
	if inv == nil || inv.Event == nil {
		return nil, fmt.Errorf("reply: %w", ErrNoEvent)
	}
	if inv.Method != "REQUEST" {
		return nil, fmt.Errorf("reply: cannot answer METHOD %s: %w", inv.Method, pam.ErrInvalid)
	}
	ev := inv.Event
	var me *Address
	for i := range ev.Attendees {
		if strings.EqualFold(ev.Attendees[i].Email, attendeeEmail) {
			me = &ev.Attendees[i]
			break
		}
	}
	if me == nil {
		return nil, fmt.Errorf("reply: %w", ErrNotInvited)
	}
	c := &Component{Name: "VEVENT"}
	add := func(p *Property) {
		if p != nil {
			c.Props = append(c.Props, p)
		}
	}
	// Copy identifying properties as written (keeps TZID and parameters).
	for _, name := range []string{"UID", "RECURRENCE-ID", "SEQUENCE", "DTSTART", "DTEND", "DURATION", "SUMMARY"} {
		for _, p := range ev.Raw.PropsNamed(name) {
			add(p.clone())
		}
	}
	add(stampProp(now))
	if ev.Organizer != nil {
		add(addressProp("ORGANIZER", *ev.Organizer))
	}
	a := *me
	a.PartStat = partstat
	a.RSVP = false
	p := addressProp("ATTENDEE", a)
	p.SetParam("RSVP")
	add(p)
	cal := &Calendar{
		Method: "REPLY",
		ProdID: "-//PAM//PAM Calendar//EN",
		Other:  nil,
	}
	// Time zones referenced by the copied DTSTART/DTEND travel along.
	used := map[string]bool{}
	for _, p := range c.Props {
		if tz := p.Param("TZID"); tz != "" {
			used[tz] = true
		}
	}
	for _, tz := range inv.Calendar.Timezones {
		if id := tz.Prop("TZID"); id != nil && used[id.Value] {
			cal.Timezones = append(cal.Timezones, tz)
		}
	}
	var buf bytes.Buffer
	root := cal.Component()
	root.Children = append(root.Children, c)
	if err := EncodeComponents(&buf, root); err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	return buf.Bytes(), nil
}

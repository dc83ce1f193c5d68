package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/reply"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "reply", Summary: "quick replies for a message; --draft N writes one as a draft (and into the account's Drafts folder)", Run: runReply})
}

// replyContext is what quick replies need besides the message.
type replyContext struct {
	u    userContext
	sc   extract.Scorer
	sugg *reply.Suggester
	busy []calendar.Interval
	now  time.Time
}

func newReplyContext(ctx context.Context, st *store.Store, sc extract.Scorer, u userContext, now time.Time) (*replyContext, error) {
	past, err := sentBodies(ctx, st, 200)
	if err != nil {
		return nil, err
	}
	items, _, err := collectAgenda(ctx, st, now, now.AddDate(0, 0, 15), u.loc, false)
	if err != nil {
		return nil, err
	}
	var busy []calendar.Interval
	for _, it := range items {
		if it.AllDay || it.Transp == "TRANSPARENT" || it.Status == "CANCELLED" || it.CancelledBy != "" {
			continue
		}
		busy = append(busy, calendar.Interval{Start: it.Start, End: it.End})
	}
	return &replyContext{u: u, sc: sc, sugg: reply.New(past), busy: busy, now: now}, nil
}

// sentBodies returns the text of the user's most recent sent messages.
func sentBodies(ctx context.Context, st *store.Store, limit int) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT m.id FROM messages m JOIN message_labels ml ON ml.message = m.id
JOIN labels l ON l.id = ml.label WHERE l.name COLLATE NOCASE IN ('Sent', 'Sent Items', 'Sent Messages') ORDER BY m.date DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sent mail: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []string
	for _, id := range ids {
		raw, err := st.Raw(ctx, id)
		if err != nil {
			continue
		}
		if pm, err := mail.Parse(raw); err == nil {
			out = append(out, pm.Text)
		}
	}
	return out, nil
}

// suggestFor parses a stored message and returns its suggestions (nil
// when the trigger says it needs none) and the parsed message.
func (rc *replyContext) suggestFor(ctx context.Context, st *store.Store, row int64, force bool) ([]reply.Suggestion, *pam.Message, float64, error) {
	a, err := rc.analyse(ctx, st, row)
	if err != nil {
		return nil, nil, 0, err
	}
	if !a.fires && !force {
		return nil, a.pm, a.score, nil
	}
	return rc.suggest(a), a.pm, a.score, nil
}

// replyAnalysis is the device's reading of a message for the reply job.
type replyAnalysis struct {
	pm    *pam.Message
	in    reply.Input
	fires bool    // the device decided the message needs an answer
	score float64 // the trigger's score
	p     float64 // calibrated probability that the message needs an answer
}

func (rc *replyContext) analyse(ctx context.Context, st *store.Store, row int64) (replyAnalysis, error) {
	raw, err := st.Raw(ctx, row)
	if err != nil {
		return replyAnalysis{}, err
	}
	pm, err := mail.Parse(raw)
	if err != nil {
		return replyAnalysis{}, err
	}
	msg := extract.FromMessage(pm, rc.u.addr)
	var texts []string
	for _, s := range extract.Sentences(extract.Body(msg.Text)) {
		texts = append(texts, s.Text)
	}
	probs, err := rc.sc.Score(ctx, texts)
	if err != nil {
		return replyAnalysis{}, err
	}
	in := reply.Input{Msg: msg, Probs: probs, Loc: rc.u.loc}
	if items, err := extract.Extract(ctx, msg, rc.sc, extract.Options{Location: rc.u.loc, User: rc.u.addr}); err == nil {
		// A reply promises by a deadline ("you'll have it by Friday"),
		// never by a moment the message names ("starting Monday").
		for _, it := range items {
			if !it.Due.IsZero() && extract.IsDeadline(it.DueText) {
				in.Due = it.Due
				break
			}
		}
	}
	a := replyAnalysis{pm: pm, in: in}
	a.fires, a.score = reply.Trigger(in, 0.5)
	ev := reply.EvidenceOf(in)
	// The classifier's needs_reply, stored by the import pipeline, is
	// evidence too, and then the calibrated probability decides
	// (bench/privacy/calibration.md): right 0.859 of the time on unseen
	// mail against the trigger's 0.530. Every caller — pam reply, pam
	// today, the demo — decides the same way.
	if c, err := pipeline.Get(ctx, st, row); err == nil && !c.Degraded {
		ev.Classifier, ev.HasClassifier = c.NeedsReply, true
		a.fires, a.p = reply.Decide(ev)
	} else {
		a.p = reply.NeedsReplyProb(ev)
	}
	return a, nil
}

func (rc *replyContext) suggest(a replyAnalysis) []reply.Suggestion {
	if reply.Analyse(a.in).Meeting {
		a.in.Slots = reply.FreeSlots(rc.busy, rc.now, rc.u.loc, 30*time.Minute, 2)
	}
	return rc.sugg.Suggest(a.in)
}

func runReply(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "reply", "ID [--draft N] [--json] [--tz ZONE] [--force] [--dry-run] [--allow-sensitive]")
	draft := fs.Int("draft", 0, "write suggestion N (1-3) as a draft .eml in the data directory's drafts folder")
	asJSON := fs.Bool("json", false, "print the result as JSON: suggestions, the tier that answered, the router's trail")
	tz := fs.String("tz", "", "time zone for proposed times (default: local)")
	var o replyJobOpts
	fs.BoolVar(&o.force, "force", false, "suggest even when the message does not seem to need a reply")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the exact redacted payload escalation would send; send nothing to the cloud")
	fs.BoolVar(&o.allowSensitive, "allow-sensitive", false, "let this message leave the device even if it looks sensitive (policy and budget still apply)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	o.force = o.force || *draft > 0
	st, row, err := openMessage(ctx, env, "reply", rest)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := loadUser(ctx, st, *tz)
	if err != nil {
		return err
	}
	sc, err := newActionModel(env)
	if err != nil {
		return err
	}
	defer sc.Close()
	rc, err := newReplyContext(ctx, st, sc, u, time.Now())
	if err != nil {
		return err
	}
	p, err := openPrivacy(env, true)
	if err != nil {
		return err
	}
	defer p.close()
	res, err := rc.replyJob(ctx, p, st, row, o)
	if err != nil {
		return err
	}
	sug := res.Suggestions
	if *draft > 0 {
		if *draft > len(sug) {
			return usageError{fmt.Sprintf("reply: --draft %d, but there are %d suggestions", *draft, len(sug))}
		}
		raw, err := st.Raw(ctx, row)
		if err != nil {
			return err
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			return err
		}
		path, err := writeDraft(env.Home, pm, u.addr, sug[*draft-1].Text, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, path)
		return uploadDraft(ctx, env, st, row, path)
	}
	if *asJSON {
		if res.Suggestions == nil {
			res.Suggestions = []reply.Suggestion{}
		}
		return json.NewEncoder(env.Stdout).Encode(res)
	}
	if o.dryRun {
		fmt.Fprintf(env.Stdout, "dry run — nothing sent. Escalation would send exactly these bytes to %s:\n%s\n\n", p.dryRun.BaseURL(), res.Payload)
	}
	if len(sug) == 0 {
		fmt.Fprintln(env.Stdout, "no reply needed (use --force for suggestions anyway)")
	}
	for i, s := range sug {
		fmt.Fprintf(env.Stdout, "%d. %s\n", i+1, s.Text)
	}
	if res.Tier != router.Embedded.String() {
		fmt.Fprintf(env.Stdout, "(answered by the %s tier%s)\n", res.Tier, map[bool]string{true: ", in the cloud: see pam privacy ledger"}[res.Cloud])
	}
	if len(res.Flagged) > 0 {
		fmt.Fprintln(env.Stdout, "warning: the model added links that were not in the message; they are shown defanged and were not opened")
	}
	return nil
}

// writeDraft writes a reply as an RFC 5322 draft in HOME/drafts and
// returns its path. The file is written atomically with mode 0600.
func writeDraft(home string, orig *pam.Message, user extract.Address, text string, now time.Time) (string, error) {
	dir := filepath.Join(home, "drafts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("drafts: %w", err)
	}
	to := orig.From
	if len(orig.ReplyTo) > 0 {
		to = orig.ReplyTo
	}
	var tos []string
	for _, a := range to {
		tos = append(tos, formatAddress(a))
	}
	subject := orig.Subject
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	var b strings.Builder
	from := user.Email
	if user.Name != "" {
		from = formatAddress(pam.Address{Name: user.Name, Email: user.Email})
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@pam.draft>\r\n", from, strings.Join(tos, ", "), mimeWord(subject), now.Format(time.RFC1123Z), hex.EncodeToString(rnd[:]))
	if orig.MessageID != "" {
		refs := append(append([]string{}, orig.References...), orig.MessageID)
		for i := range refs {
			refs[i] = "<" + refs[i] + ">"
		}
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: %s\r\n", orig.MessageID, strings.Join(refs, " "))
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(text + "\r\n")
	name := ""
	if len(orig.From) > 0 {
		name = orig.From[0].Name
		if name == "" {
			name = orig.From[0].Email
		}
	}
	if !orig.Date.IsZero() {
		fmt.Fprintf(&b, "\r\nOn %s, %s wrote:\r\n", orig.Date.Format("Mon, 2 Jan 2006 15:04"), name)
		for _, l := range strings.Split(strings.TrimRight(orig.Text, "\n"), "\n") {
			b.WriteString("> " + strings.TrimRight(l, "\r") + "\r\n")
		}
	}
	path := filepath.Join(dir, strconv.FormatInt(now.Unix(), 10)+"-"+draftName(orig.ID)+".eml")
	tmp, err := os.CreateTemp(dir, ".draft-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

// mimeWord encodes a header text as an RFC 2047 word when it is not
// plain ASCII.
func mimeWord(s string) string { return mime.QEncoding.Encode("utf-8", s) }

func draftName(id string) string {
	if len(id) > 12 {
		id = id[:12]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, id)
}

// formatAddress writes "Name <addr>" with the name encoded when needed.
func formatAddress(a pam.Address) string {
	if a.Name == "" {
		return "<" + a.Email + ">"
	}
	return mimeWord(quoteName(a.Name)) + " <" + a.Email + ">"
}

func quoteName(n string) string {
	if strings.ContainsAny(n, `,;:"()<>@[]\`) {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(n) + `"`
	}
	return n
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/brief"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/tasks"
)

func init() {
	register(&command{Name: "today", Summary: "the daily brief: replies needed, tasks due, waiting-on, agenda, next actions", Run: runToday})
}

func runToday(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "today", "[--json] [--tz ZONE]")
	asJSON := fs.Bool("json", false, "print the brief as one JSON object")
	tz := fs.String("tz", "", "time zone (default: local)")
	nowFlag := fs.String("now", "", "pretend it is this time (RFC 3339), for scripts and tests")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageError{fmt.Sprintf("--now: %v", err)}
		}
		now = t
	}
	st, err := openStore(ctx, env)
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
	b, err := buildBrief(ctx, st, sc, u, now)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(b)
	}
	printBrief(env.Stdout, b, now, u.loc)
	return nil
}

// buildBrief gathers the brief's inputs: task extraction is brought up to
// date first; needs-reply comes from the classifier's results where the
// pipeline has run, else from the quick-reply trigger.
func buildBrief(ctx context.Context, st *store.Store, sc extract.Scorer, u userContext, now time.Time) (brief.Brief, error) {
	if _, err := syncTasks(ctx, st, sc, u); err != nil {
		return brief.Brief{}, err
	}
	in := brief.Input{Now: now, Loc: u.loc}

	open, err := tasks.List(ctx, st, tasks.Query{}, now, u.loc)
	if err != nil {
		return brief.Brief{}, err
	}
	for _, t := range open {
		in.Tasks = append(in.Tasks, brief.Task{ID: t.ID, Title: t.Title, Due: t.Due, Waiting: t.Kind == store.TaskWaiting, Owner: t.Owner, Requester: t.Requester})
	}

	n := now.In(u.loc)
	dayStart := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, u.loc)
	items, _, err := collectAgenda(ctx, st, dayStart, dayStart.AddDate(0, 0, 1), u.loc, true)
	if err != nil {
		return brief.Brief{}, err
	}
	for _, it := range items {
		if it.Status == "CANCELLED" || it.CancelledBy != "" {
			continue
		}
		s := it.Summary
		if it.Invitation != "" {
			s += " (invitation, not answered)"
		}
		in.Agenda = append(in.Agenda, brief.Event{Summary: s, Start: it.Start, End: it.End, AllDay: it.AllDay})
	}

	msgs, err := replyCandidates(ctx, st, u, now)
	if err != nil {
		return brief.Brief{}, err
	}
	results, _ := pipeline.ByID(ctx, st) // absent before the classifier has run
	var rc *replyContext
	for _, m := range msgs {
		if r, ok := results[m.ID]; ok && r.Kind != "" {
			if r.Kind != "person" {
				continue
			}
			m.NeedsReply = r.NeedsReply
		} else {
			if rc == nil {
				if rc, err = newReplyContext(ctx, st, sc, u, now); err != nil {
					return brief.Brief{}, err
				}
			}
			row, err := st.Resolve(ctx, m.ID)
			if err != nil {
				continue
			}
			sug, _, score, err := rc.suggestFor(ctx, st, row, false)
			if err != nil || sug == nil {
				continue
			}
			m.NeedsReply = score
		}
		in.Messages = append(in.Messages, m)
	}
	return brief.Build(in), nil
}

// replyCandidates lists the last 14 days' messages not from the user,
// marking those the user has answered since in their thread.
func replyCandidates(ctx context.Context, st *store.Store, u userContext, now time.Time) ([]brief.Message, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT m.pid, m.date, m.from_name, m.from_email, m.subject, m.flags,
  EXISTS (SELECT 1 FROM messages r WHERE r.thread_id = m.thread_id AND r.date > m.date AND r.from_email = ?)
FROM messages m WHERE m.date >= ? AND m.from_email <> ? ORDER BY m.date DESC LIMIT 400`, u.addr.Email, now.AddDate(0, 0, -14).Unix(), u.addr.Email)
	if err != nil {
		return nil, fmt.Errorf("reply candidates: %w", err)
	}
	defer rows.Close()
	var out []brief.Message
	for rows.Next() {
		var m brief.Message
		var date int64
		var name, email string
		var flags int
		if err := rows.Scan(&m.ID, &date, &name, &email, &m.Subject, &flags, &m.Replied); err != nil {
			return nil, err
		}
		m.Date = time.Unix(date, 0)
		m.From = name
		if m.From == "" {
			m.From = email
		}
		f := pam.Flags(flags)
		m.Unread, m.Flagged = !f.Has(pam.FlagSeen), f.Has(pam.FlagFlagged)
		out = append(out, m)
	}
	return out, rows.Err()
}

func printBrief(w io.Writer, b brief.Brief, now time.Time, loc *time.Location) {
	fmt.Fprintf(w, "Today — %s\n", b.Date)
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(w, "\n%s (%d)\n", title, n)
		return true
	}
	if section("Needs a reply", len(b.NeedsReply)) {
		for _, m := range b.NeedsReply {
			fmt.Fprintf(w, "  %-10s %-22s %s\n", shortID(m.ID), clipText(m.From, 22), clipText(m.Subject, 60))
		}
	}
	if section("Overdue", len(b.Overdue)) {
		for _, t := range b.Overdue {
			fmt.Fprintf(w, "  %4d  %s — was due %s\n", t.ID, t.Title, humanDue(t.Due, now, loc))
		}
	}
	if section("Due today", len(b.DueToday)) {
		for _, t := range b.DueToday {
			fmt.Fprintf(w, "  %4d  %s — %s\n", t.ID, t.Title, humanDue(t.Due, now, loc))
		}
	}
	if section("Waiting on", len(b.Waiting)) {
		for _, t := range b.Waiting {
			due := ""
			if !t.Due.IsZero() {
				due = " — due " + humanDue(t.Due, now, loc)
			}
			fmt.Fprintf(w, "  %4d  %s%s\n", t.ID, t.Title, due)
		}
	}
	if section("Agenda", len(b.Agenda)) {
		for _, e := range b.Agenda {
			when := "all day"
			if !e.AllDay {
				when = e.Start.In(loc).Format("15:04") + "–" + e.End.In(loc).Format("15:04")
			}
			fmt.Fprintf(w, "  %-11s %s\n", when, e.Summary)
		}
	}
	if section("Next", len(b.Next)) {
		for _, s := range b.Next {
			fmt.Fprintf(w, "  → %s\n", s)
		}
	}
}

func clipText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

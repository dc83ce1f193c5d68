package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/tasks"
	"github.com/pam-ai/pam/internal/when"
)

func init() {
	register(&command{Name: "tasks", Summary: "your tasks: open, due, overdue, waiting-on (from mail and typed in); link CALENDAR, sync: a CalDAV task list", Run: runTasks})
	register(&command{Name: "task", Summary: "add|done|edit|snooze a task (\"pam task add 'call Bob tomorrow 3pm'\")", Usage: "add TEXT | done ID | edit ID [TEXT] [--no-due] | snooze ID [WHEN]   [--tz ZONE] [--json]   (ID: a task number from pam tasks)", Run: runTask})
}

// taskJSON is one line of pam tasks --json (the issue 5 contract).
type taskJSON struct {
	ID        int64   `json:"id"`
	Title     string  `json:"title"`
	Due       *string `json:"due"`
	Status    string  `json:"status"` // open | done | waiting
	Requester string  `json:"requester"`
	Source    string  `json:"source"` // the message's id, "" for typed-in tasks
	Kind      string  `json:"kind"`
	DueText   string  `json:"due_text,omitempty"`
	Owner     string  `json:"owner,omitempty"`
}

func taskToJSON(t store.Task, loc *time.Location) taskJSON {
	j := taskJSON{ID: t.ID, Title: t.Title, Status: t.Status, Requester: t.Requester, Source: t.MessagePID, Kind: t.Kind, DueText: t.DueText}
	if t.Kind == store.TaskWaiting {
		j.Owner = t.Owner
		if t.Status == store.TaskOpen {
			j.Status = "waiting"
		}
	}
	if !t.Due.IsZero() {
		s := t.Due.In(loc).Format(time.RFC3339)
		j.Due = &s
	}
	return j
}

// userContext is who the user is and where they live, for extraction.
type userContext struct {
	addr extract.Address
	loc  *time.Location
}

func loadUser(ctx context.Context, st *store.Store, tz string) (userContext, error) {
	u := userContext{loc: time.Local}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return u, usageError{fmt.Sprintf("--tz: unknown time zone %q", tz)}
		}
		u.loc = loc
	}
	addrs, err := pipeline.UserAddresses(ctx, st)
	if err != nil {
		return u, err
	}
	if len(addrs) > 0 {
		u.addr = extract.Address{Email: strings.ToLower(addrs[0])}
	}
	return u, nil
}

// syncTasks runs task extraction over mail not seen yet. Messages the
// classifier found not personal yield no tasks.
func syncTasks(ctx context.Context, st *store.Store, sc extract.Scorer, u userContext) (tasks.SyncReport, error) {
	bulk := map[int64]bool{}
	needs := map[int64]float64{}
	if res, err := pipeline.ByID(ctx, st); err == nil {
		for _, r := range res {
			if r.Kind != "" && r.Kind != "person" || r.Spam >= 0.9 {
				bulk[r.Row] = true
			}
			// Without the user's address the classifier's needs_reply
			// is out of its training distribution (low, falsely sure):
			// then it decides nothing here.
			if !r.Degraded && u.addr.Email != "" {
				needs[r.Row] = r.NeedsReply
			}
		}
	}
	opts := extract.Options{Location: u.loc, User: u.addr}
	return tasks.Sync(ctx, st, sc, tasks.SyncOptions{
		Extract: opts,
		Bulk:    func(row int64) bool { return bulk[row] },
		// As the extract job: a to-do from a message the classifier and
		// the extractor's own certainty together say most likely asks
		// nothing is left out (extract.NeedsProb < 0.5).
		Asks: func(ctx context.Context, row int64, m extract.Message) (bool, error) {
			clf, ok := needs[row]
			if !ok {
				return true, nil
			}
			certs, err := decisionCertainties(ctx, m, sc, opts)
			if err != nil {
				return false, err
			}
			return extract.NeedsProb(certs, true, clf) >= 0.5, nil
		},
	})
}

func runTasks(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "link":
			return runTasksLink(ctx, env, args[1:])
		case "sync":
			return runTasksSync(ctx, env, args[1:])
		}
	}
	fs := newFlags(env, "tasks", "[--json] [--status open|done|waiting|all] [--due today|week|overdue] [--tz ZONE] | link CALENDAR | sync")
	asJSON := fs.Bool("json", false, "one JSON object per task (JSON Lines)")
	status := fs.String("status", "", "open (your to-dos), waiting (what others owe you), done, all; default open and waiting")
	due := fs.String("due", "", "today, week or overdue")
	tz := fs.String("tz", "", "time zone for due dates (default: local)")
	snoozed := fs.Bool("snoozed", false, "include snoozed tasks")
	if _, err := parseFlags(fs, args); err != nil {
		return err
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
	if _, err := syncTasks(ctx, st, sc, u); err != nil {
		return err
	}
	now := time.Now()
	list, err := tasks.List(ctx, st, tasks.Query{Status: *status, Due: tasks.Due(*due), Snoozed: *snoozed}, now, u.loc)
	if errors.Is(err, pam.ErrInvalid) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, t := range list {
			if err := enc.Encode(taskToJSON(t, u.loc)); err != nil {
				return err
			}
		}
		return nil
	}
	printTasks(env.Stdout, list, now, u.loc)
	return nil
}

// printTasks prints tasks grouped: overdue, due, no date, waiting on.
func printTasks(w io.Writer, list []store.Task, now time.Time, loc *time.Location) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no tasks")
		return
	}
	groups := []struct {
		name string
		keep func(store.Task) bool
	}{
		{"Overdue", func(t store.Task) bool { return t.Status == store.TaskOpen && !t.Due.IsZero() && t.Due.Before(now) }},
		{"Due", func(t store.Task) bool {
			return t.Status == store.TaskOpen && t.Kind == store.TaskTodo && !t.Due.IsZero() && !t.Due.Before(now)
		}},
		{"No date", func(t store.Task) bool {
			return t.Status == store.TaskOpen && t.Kind == store.TaskTodo && t.Due.IsZero()
		}},
		{"Waiting on", func(t store.Task) bool {
			return t.Status == store.TaskOpen && t.Kind == store.TaskWaiting && (t.Due.IsZero() || !t.Due.Before(now))
		}},
		{"Done", func(t store.Task) bool { return t.Status == store.TaskDone }},
	}
	for _, g := range groups {
		var sel []store.Task
		for _, t := range list {
			if g.keep(t) {
				sel = append(sel, t)
			}
		}
		if len(sel) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s\n", g.name)
		for _, t := range sel {
			fmt.Fprintf(w, "  %4d  %s\n", t.ID, taskLine(t, now, loc))
		}
	}
}

func taskLine(t store.Task, now time.Time, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(t.Title)
	if !t.Due.IsZero() {
		fmt.Fprintf(&b, " — due %s", humanDue(t.Due, now, loc))
	}
	switch {
	case t.Kind == store.TaskWaiting && t.Owner != "":
		fmt.Fprintf(&b, " (waiting on %s)", t.Owner)
	case t.Requester != "":
		fmt.Fprintf(&b, " (for %s)", t.Requester)
	}
	return b.String()
}

// humanDue prints a due time relative to now: "today 17:00", "Mon 10 Jun 17:00".
func humanDue(due, now time.Time, loc *time.Location) string {
	d, n := due.In(loc), now.In(loc)
	clock := d.Format("15:04")
	y1, m1, d1 := d.Date()
	y2, m2, d2 := n.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return "today " + clock
	case time.Date(y1, m1, d1, 0, 0, 0, 0, loc).Equal(time.Date(y2, m2, d2+1, 0, 0, 0, 0, loc)):
		return "tomorrow " + clock
	}
	return d.Format("Mon 2 Jan 15:04")
}

func runTask(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"task: give add, done, edit or snooze"}
	}
	sub, args := args[0], args[1:]
	fs := newFlags(env, "task "+sub, "add TEXT | done ID | edit ID [TEXT] [--no-due] | snooze ID [WHEN]")
	tz := fs.String("tz", "", "time zone for dates (default: local)")
	noDue := fs.Bool("no-due", false, "edit: remove the due date")
	asJSON := fs.Bool("json", false, "print the task as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
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
	now := time.Now()
	id := func() (int64, error) {
		if len(rest) == 0 {
			return 0, usageError{"task " + sub + ": give the task's id"}
		}
		n, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil || n <= 0 {
			return 0, usageError{fmt.Sprintf("task %s: %q is not a task id", sub, rest[0])}
		}
		return n, nil
	}
	var t store.Task
	switch sub {
	case "add":
		text := strings.Join(rest, " ")
		if strings.TrimSpace(text) == "" {
			return usageError{"task add: give the task, e.g. \"call Bob tomorrow 3pm\""}
		}
		if t, err = tasks.Add(ctx, st, text, now, u.loc); err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintln(env.Stdout, t.ID)
			return nil
		}
	case "done":
		n, err := id()
		if err != nil {
			return err
		}
		if t, err = tasks.Done(ctx, st, n); err != nil {
			return err
		}
	case "edit":
		n, err := id()
		if err != nil {
			return err
		}
		text := strings.Join(rest[1:], " ")
		if text == "" && !*noDue {
			return usageError{"task edit: give a new text (with an optional date) or --no-due"}
		}
		if t, err = tasks.Edit(ctx, st, n, text, *noDue, now, u.loc); err != nil {
			return err
		}
	case "snooze":
		n, err := id()
		if err != nil {
			return err
		}
		until := tomorrowAt(now, u.loc, 9)
		if expr := strings.Join(rest[1:], " "); expr != "" {
			r, ok := when.Resolve(expr, now.In(u.loc), when.Options{Location: u.loc, FutureBias: true})
			if !ok {
				return usageError{fmt.Sprintf("task snooze: cannot read %q as a time", expr)}
			}
			until = r.Start
			if r.Grain >= when.Day {
				until = time.Date(until.Year(), until.Month(), until.Day(), 9, 0, 0, 0, u.loc)
			}
		}
		if t, err = tasks.Snooze(ctx, st, n, until); err != nil {
			return err
		}
	default:
		return usageError{fmt.Sprintf("task: unknown action %q (want add, done, edit or snooze)", sub)}
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(taskToJSON(t, u.loc))
	}
	line := taskLine(t, now, u.loc)
	if !t.SnoozedUntil.IsZero() && t.SnoozedUntil.After(now) {
		line += " — snoozed until " + humanDue(t.SnoozedUntil, now, u.loc)
	}
	fmt.Fprintf(env.Stdout, "%d  %s [%s]\n", t.ID, line, t.Status)
	return nil
}

func tomorrowAt(now time.Time, loc *time.Location, hour int) time.Time {
	n := now.In(loc)
	return time.Date(n.Year(), n.Month(), n.Day()+1, hour, 0, 0, 0, loc)
}

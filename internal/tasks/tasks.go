// Package tasks keeps the user's tasks: typed in ("call Bob tomorrow
// 3pm"), or extracted from mail by internal/extract and kept up to date as
// threads go on (a later message completes or moves them). Tasks live in
// the store (store.Task) and map to iCalendar VTODOs (ToTodo, ApplyTodo)
// for CalDAV task lists.
package tasks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

// Add creates a task from free text ("call Bob tomorrow 3pm"): the title
// and due time are read with extract.Title against now in loc.
func Add(ctx context.Context, st *store.Store, text string, now time.Time, loc *time.Location) (store.Task, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return store.Task{}, fmt.Errorf("task: empty text: %w", pam.ErrInvalid)
	}
	title, due, dueText := extract.Title(text, now, loc)
	t := store.Task{Title: title, Due: due, DueText: dueText, Kind: store.TaskTodo, Status: store.TaskOpen, Origin: "user", Confidence: 1}
	id, err := st.AddTask(ctx, t)
	if err != nil {
		return store.Task{}, err
	}
	return st.TaskByID(ctx, id)
}

// Due selects tasks by their due date.
type Due string

// Due windows for List.
const (
	DueAny     Due = ""
	DueToday   Due = "today"   // due before the end of today (overdue included)
	DueWeek    Due = "week"    // due within the next 7 days (overdue included)
	DueOverdue Due = "overdue" // due before now
)

// Query selects tasks for List.
type Query struct {
	// Status is open, done or waiting (open tasks the user waits on);
	// empty means open and waiting.
	Status string
	Due    Due
	// Snoozed includes tasks snoozed past now.
	Snoozed bool
}

// List returns the tasks a query selects, soonest due first.
func List(ctx context.Context, st *store.Store, q Query, now time.Time, loc *time.Location) ([]store.Task, error) {
	f := store.TaskFilter{}
	switch q.Status {
	case "", "all":
		if q.Status == "" {
			f.Status = store.TaskOpen
		}
	case "open":
		f.Status, f.Kind = store.TaskOpen, store.TaskTodo
	case "waiting":
		f.Status, f.Kind = store.TaskOpen, store.TaskWaiting
	case "done":
		f.Status = store.TaskDone
	default:
		return nil, fmt.Errorf("task status %q (want open, done or waiting): %w", q.Status, pam.ErrInvalid)
	}
	if loc == nil {
		loc = time.Local
	}
	n := now.In(loc)
	switch q.Due {
	case DueAny:
	case DueToday:
		f.DueBefore = time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, loc)
	case DueWeek:
		f.DueBefore = time.Date(n.Year(), n.Month(), n.Day()+8, 0, 0, 0, 0, loc)
	case DueOverdue:
		f.DueBefore = now
	default:
		return nil, fmt.Errorf("due %q (want today, week or overdue): %w", q.Due, pam.ErrInvalid)
	}
	if !q.Snoozed {
		f.Awake = now
	}
	return st.Tasks(ctx, f)
}

// Done marks a task done.
func Done(ctx context.Context, st *store.Store, id int64) (store.Task, error) {
	t, err := st.TaskByID(ctx, id)
	if err != nil {
		return t, err
	}
	t.Status = store.TaskDone
	if err := st.UpdateTask(ctx, t); err != nil {
		return t, err
	}
	return st.TaskByID(ctx, id)
}

// Edit changes a task's title and/or due date. An empty title keeps the
// title; when text holds a date ("send the deck friday") it becomes the
// due date. clearDue removes the due date. The task is marked edited so
// that mail no longer changes it.
func Edit(ctx context.Context, st *store.Store, id int64, text string, clearDue bool, now time.Time, loc *time.Location) (store.Task, error) {
	t, err := st.TaskByID(ctx, id)
	if err != nil {
		return t, err
	}
	if text = strings.TrimSpace(text); text != "" {
		title, due, dueText := extract.Title(text, now, loc)
		t.Title = title
		if !due.IsZero() {
			t.Due, t.DueText = due, dueText
		}
	}
	if clearDue {
		t.Due, t.DueText = time.Time{}, ""
	}
	t.Edited = true
	if err := st.UpdateTask(ctx, t); err != nil {
		return t, err
	}
	return st.TaskByID(ctx, id)
}

// Snooze hides a task until the time an expression names ("tomorrow",
// "monday 9am"; default tomorrow 9:00) and returns the task.
func Snooze(ctx context.Context, st *store.Store, id int64, until time.Time) (store.Task, error) {
	t, err := st.TaskByID(ctx, id)
	if err != nil {
		return t, err
	}
	t.SnoozedUntil = until
	if err := st.UpdateTask(ctx, t); err != nil {
		return t, err
	}
	return st.TaskByID(ctx, id)
}

// SyncOptions configure Sync.
type SyncOptions struct {
	Extract extract.Options
	// Bulk reports message rows a classifier found not personal (spam,
	// newsletters…): they yield no tasks. Nil: header rules only.
	Bulk func(row int64) bool
	// MaxThreads bounds one run; 0 means 1000.
	MaxThreads int
	// Asks, when set, is asked about a new to-do whose only source is
	// message row m (received, not the user's own): false keeps it out of
	// the list, because the message most likely asks the user nothing
	// (the extract job's more probable side, cmd_tasks.go). Nil: every
	// to-do Extract finds is added.
	Asks func(ctx context.Context, row int64, m extract.Message) (bool, error)
}

// SyncReport counts what Sync did.
type SyncReport struct {
	Threads, Messages   int
	Added, Updated      int
	Completed, Reopened int
	// Skipped counts to-dos left out because their message most likely
	// asks nothing (SyncOptions.Asks).
	Skipped int
}

// Sync runs task extraction over the threads that have new messages and
// writes the result: new tasks are added, tasks already extracted are
// updated (status, due date) unless the user edited them, and every
// message involved is linked. Re-running it changes nothing.
func Sync(ctx context.Context, st *store.Store, sc extract.Scorer, opts SyncOptions) (SyncReport, error) {
	var rep SyncReport
	threads, err := st.UnextractedThreads(ctx, opts.MaxThreads)
	if err != nil {
		return rep, err
	}
	for _, th := range threads {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		n, err := syncThread(ctx, st, th, sc, opts, &rep)
		if err != nil {
			return rep, fmt.Errorf("thread %d: %w", th, err)
		}
		rep.Threads++
		rep.Messages += n
	}
	return rep, nil
}

func syncThread(ctx context.Context, st *store.Store, thread int64, sc extract.Scorer, opts SyncOptions, rep *SyncReport) (int, error) {
	sums, err := st.Thread(ctx, thread)
	if err != nil {
		return 0, err
	}
	rowOf := map[string]int64{}
	var msgs []extract.Message
	var rows []int64
	for _, s := range sums {
		rows = append(rows, s.Row)
		raw, err := st.Raw(ctx, s.Row)
		if err != nil {
			continue
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			continue
		}
		m := extract.FromMessage(pm, opts.Extract.User)
		m.ID = s.ID
		if opts.Bulk != nil && opts.Bulk(s.Row) {
			m.Bulk = true
		}
		if m.Date.IsZero() {
			m.Date = s.Date
		}
		rowOf[s.ID] = s.Row
		msgs = append(msgs, m)
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].Date.Before(msgs[j].Date) })
	found, err := extract.Thread(ctx, msgs, sc, opts.Extract)
	if err != nil {
		return 0, err
	}
	byID := make(map[string]extract.Message, len(msgs))
	for _, m := range msgs {
		byID[m.ID] = m
	}
	for _, ft := range found {
		key := mailKey(thread, ft)
		cur, err := st.TaskByMailKey(ctx, key)
		switch {
		case err == nil:
			changed := false
			if !cur.Edited && !ft.Due.Equal(cur.Due) {
				cur.Due, cur.DueText, changed = ft.Due, ft.DueText, true
			}
			if want := string(ft.Status); want != cur.Status && ft.Status == extract.Done && cur.Status == store.TaskOpen {
				cur.Status, changed = store.TaskDone, true
				rep.Completed++
			}
			if changed {
				if err := st.UpdateTask(ctx, cur); err != nil {
					return 0, err
				}
				rep.Updated++
			}
		case isNotFound(err):
			if m, ok := byID[ft.Source]; ok && opts.Asks != nil && ft.Kind == extract.Todo && len(ft.Sources) <= 1 && !m.FromUser {
				asks, err := opts.Asks(ctx, rowOf[ft.Source], m)
				if err != nil {
					return 0, err
				}
				if !asks {
					rep.Skipped++
					continue
				}
			}
			t := store.Task{
				Title: ft.Title, Kind: string(ft.Kind), Status: string(ft.Status), Due: ft.Due, DueText: ft.DueText,
				Requester: ft.Requester.Display(), RequesterEmail: ft.Requester.Email,
				Owner: ft.Owner.Display(), OwnerEmail: ft.Owner.Email, Confidence: ft.Confidence,
				Origin: "mail", Message: rowOf[ft.Source], Thread: thread, MailKey: key,
				Notes: ft.Sentence,
			}
			if t.Status == store.TaskDone {
				rep.Completed++
			}
			id, err := st.AddTask(ctx, t)
			if err != nil {
				return 0, err
			}
			cur.ID = id
			rep.Added++
		default:
			return 0, err
		}
		for _, src := range ft.Sources {
			if r := rowOf[src]; r != 0 {
				if err := st.LinkTaskMessage(ctx, cur.ID, r, "source"); err != nil {
					return 0, err
				}
			}
		}
		for role, src := range map[string]string{"moved": ft.MovedBy, "closed": ft.ClosedBy} {
			if r := rowOf[src]; r != 0 {
				if err := st.LinkTaskMessage(ctx, cur.ID, r, role); err != nil {
					return 0, err
				}
			}
		}
	}
	return len(rows), st.MarkExtracted(ctx, rows)
}

// mailKey names an extracted task stably across runs: its thread, the
// message that first asked for it, and its kind.
func mailKey(thread int64, t extract.Task) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s\x00%s", thread, t.Source, t.Kind, t.Sentence)))
	return hex.EncodeToString(h[:12])
}

func isNotFound(err error) bool { return errors.Is(err, pam.ErrNotFound) }

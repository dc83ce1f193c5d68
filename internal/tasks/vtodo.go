package tasks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

// ToTodo maps a task to a VTODO: UID, SUMMARY, DESCRIPTION (notes),
// DUE (UTC), STATUS NEEDS-ACTION or COMPLETED with COMPLETED and
// PERCENT-COMPLETE, SEQUENCE, CATEGORIES "waiting" for waiting-on items.
func ToTodo(t store.Task) *calendar.Todo {
	td := &calendar.Todo{
		UID: t.UID, Summary: t.Title, Description: t.Notes, Stamp: t.Updated.UTC(),
		Status: "NEEDS-ACTION", Sequence: t.Sequence,
	}
	if !t.Due.IsZero() {
		td.Due = calendar.DateTime{Time: t.Due.UTC()}
	}
	if t.Status == store.TaskDone {
		td.Status, td.PercentComplete = "COMPLETED", 100
		c := t.Completed
		if c.IsZero() {
			c = t.Updated
		}
		td.Completed = calendar.DateTime{Time: c.UTC()}
	}
	if t.Kind == store.TaskWaiting {
		td.Categories = []string{"waiting"}
	}
	return td
}

// EncodeTask returns a VCALENDAR holding the task's VTODO.
func EncodeTask(t store.Task) ([]byte, error) {
	cal := &calendar.Calendar{ProdID: "-//PAM//PAM Tasks//EN", Todos: []*calendar.Todo{ToTodo(t)}}
	var buf bytes.Buffer
	if err := cal.Encode(&buf); err != nil {
		return nil, fmt.Errorf("encode task %d: %w", t.ID, err)
	}
	return buf.Bytes(), nil
}

// ApplyTodo takes a VTODO changed elsewhere (a CalDAV client) into the
// store: a new UID becomes a task (origin caldav); for a known one, the
// status, summary and due date are copied. It returns the task and whether
// anything changed.
func ApplyTodo(ctx context.Context, st *store.Store, td *calendar.Todo) (store.Task, bool, error) {
	if td.UID == "" {
		return store.Task{}, false, fmt.Errorf("apply VTODO: no UID: %w", pam.ErrInvalid)
	}
	t, err := st.TaskByUID(ctx, td.UID)
	if errors.Is(err, pam.ErrNotFound) {
		nt := store.Task{UID: td.UID, Title: td.Summary, Notes: td.Description, Origin: "caldav", Confidence: 1,
			Kind: store.TaskTodo, Status: todoStatus(td)}
		if nt.Title == "" {
			nt.Title = "(untitled)"
		}
		if !td.Due.IsZero() {
			nt.Due = td.Due.In(time.UTC)
		}
		for _, c := range td.Categories {
			if c == "waiting" {
				nt.Kind = store.TaskWaiting
			}
		}
		id, err := st.AddTask(ctx, nt)
		if err != nil {
			return store.Task{}, false, err
		}
		t, err = st.TaskByID(ctx, id)
		return t, true, err
	}
	if err != nil {
		return t, false, err
	}
	changed := false
	if s := todoStatus(td); s != t.Status {
		t.Status, changed = s, true
		if s == store.TaskDone && !td.Completed.IsZero() {
			t.Completed = td.Completed.In(time.UTC)
		}
	}
	if td.Summary != "" && td.Summary != t.Title {
		t.Title, t.Edited, changed = td.Summary, true, true
	}
	var due time.Time
	if !td.Due.IsZero() {
		due = td.Due.In(time.UTC)
	}
	if !due.Equal(t.Due) {
		t.Due, t.DueText, t.Edited, changed = due, "", true, true
	}
	if !changed {
		return t, false, nil
	}
	if err := st.UpdateTask(ctx, t); err != nil {
		return t, false, err
	}
	t, err = st.TaskByID(ctx, t.ID)
	return t, true, err
}

func todoStatus(td *calendar.Todo) string {
	if td.Status == "COMPLETED" || !td.Completed.IsZero() || td.PercentComplete == 100 {
		return store.TaskDone
	}
	return store.TaskOpen
}

// SyncCalendar bridges the tasks and a calendar collection of the store
// (a CalDAV task list synchronised by internal/calendar/caldav): VTODOs
// changed there since PAM last wrote them are applied to the tasks, and
// tasks changed in PAM (or not there yet) are written as dirty objects for
// the CalDAV sync to push. Run it before and after a CalDAV sync.
func SyncCalendar(ctx context.Context, st *store.Store, cal int64) (pulled, pushed int, err error) {
	objs, err := st.CalObjects(ctx, cal)
	if err != nil {
		return 0, 0, err
	}
	seen := map[string]store.CalObject{}
	for _, o := range objs {
		if o.Deleted {
			continue
		}
		seen[o.UID] = o
		if o.Dirty {
			continue // ours, not pushed yet
		}
		c, err := calendar.Parse(bytes.NewReader(o.Raw))
		if err != nil {
			continue
		}
		for _, td := range c.Todos {
			cur, err := st.TaskByUID(ctx, td.UID)
			if err == nil && cur.Updated.After(o.Updated) {
				continue // changed in PAM since: pushed below
			}
			if _, changed, err := ApplyTodo(ctx, st, td); err != nil {
				return pulled, pushed, err
			} else if changed {
				pulled++
			}
		}
	}
	all, err := st.Tasks(ctx, store.TaskFilter{})
	if err != nil {
		return pulled, pushed, err
	}
	for _, t := range all {
		raw, err := EncodeTask(t)
		if err != nil {
			return pulled, pushed, err
		}
		o, ok := seen[t.UID]
		if ok && (!t.Updated.After(o.Updated) || sameTodo(o.Raw, t)) {
			continue
		}
		no := store.CalObject{Calendar: cal, UID: t.UID, Raw: raw, Dirty: true}
		if ok {
			no.Href, no.ETag = o.Href, o.ETag
		}
		if _, err := st.PutCalObject(ctx, no); err != nil {
			return pulled, pushed, err
		}
		pushed++
	}
	return pulled, pushed, nil
}

// sameTodo reports whether raw already says what the task says.
func sameTodo(raw []byte, t store.Task) bool {
	c, err := calendar.Parse(bytes.NewReader(raw))
	if err != nil || len(c.Todos) != 1 {
		return false
	}
	td := c.Todos[0]
	var due time.Time
	if !td.Due.IsZero() {
		due = td.Due.In(time.UTC)
	}
	return td.Summary == t.Title && todoStatus(td) == t.Status && due.Equal(t.Due)
}

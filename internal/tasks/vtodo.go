package tasks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// SyncProp is the VTODO property in which PAM records the state it last
// agreed on with the task list: "STATUS;DUE;SUMMARY-DIGEST" (open|done,
// unix seconds or "-", the first 16 hex digits of the SHA-256 of the
// summary). It is the base of a three-way merge: a field that differs
// from it was changed on that side. CalDAV clients keep X- properties
// they do not know (RFC 5545 section 3.8.8.2); when one drops it, the
// newer side wins.
const SyncProp = "X-PAM-SYNC"

// fields is what the bridge keeps in step between a task and its VTODO.
type fields struct {
	status string // open | done
	due    int64  // unix seconds, 0: none
	sum    string // summary digest
}

func (f fields) String() string {
	due := "-"
	if f.due != 0 {
		due = strconv.FormatInt(f.due, 10)
	}
	return f.status + ";" + due + ";" + f.sum
}

func parseFields(s string) (fields, bool) {
	parts := strings.Split(s, ";")
	if len(parts) != 3 || (parts[0] != store.TaskOpen && parts[0] != store.TaskDone) {
		return fields{}, false
	}
	f := fields{status: parts[0], sum: parts[2]}
	if parts[1] != "-" {
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return fields{}, false
		}
		f.due = n
	}
	return f, true
}

func digest(summary string) string {
	h := sha256.Sum256([]byte(summary))
	return hex.EncodeToString(h[:8])
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func taskFields(t store.Task) fields {
	return fields{status: t.Status, due: unixOrZero(t.Due), sum: digest(t.Title)}
}

func todoFields(td *calendar.Todo) fields {
	f := fields{status: todoStatus(td), sum: digest(td.Summary)}
	if !td.Due.IsZero() {
		f.due = td.Due.In(time.UTC).Unix()
	}
	return f
}

// syncBase returns the base recorded in a VTODO.
func syncBase(td *calendar.Todo) (fields, bool) {
	if td.Raw == nil {
		return fields{}, false
	}
	p := td.Raw.Prop(SyncProp)
	if p == nil {
		return fields{}, false
	}
	return parseFields(p.Value)
}

// CalendarReport says what SyncCalendar did.
type CalendarReport struct {
	Pulled    int `json:"pulled"`    // tasks created or changed from the task list
	Pushed    int `json:"pushed"`    // VTODOs written for the CalDAV sync to upload
	Conflicts int `json:"conflicts"` // fields changed on both sides (the task list's value kept)
}

// SyncCalendar bridges the tasks and a calendar collection of the store
// (a CalDAV task list kept by internal/calendar/caldav). It merges each
// VTODO the CalDAV sync brought in with its task, field by field against
// the base recorded in SyncProp (status, due, summary: a side that moved
// away from the base wins; when both did, the task list's value is kept
// and counted as a conflict); VTODOs with a new UID become tasks. Then it
// writes every task whose VTODO differs (or is missing) as a dirty object
// for the next CalDAV push, editing the stored VTODO in place so that
// properties other clients set (priority, alarms, categories) are kept.
// Objects not pushed yet are PAM's own and are not read back. Run it
// before and after a CalDAV sync; a second run without changes does
// nothing.
func SyncCalendar(ctx context.Context, st *store.Store, cal int64) (CalendarReport, error) {
	var rep CalendarReport
	objs, err := st.CalObjects(ctx, cal)
	if err != nil {
		return rep, err
	}
	seen := map[string]store.CalObject{}
	for _, o := range objs {
		if o.Deleted || o.ConflictOf != "" {
			continue
		}
		c, err := calendar.Parse(bytes.NewReader(o.Raw))
		if err != nil || len(c.Todos) == 0 || len(c.Events) > 0 {
			continue // not a task (the collection may hold events too)
		}
		td := c.Todos[0]
		seen[td.UID] = o
		if o.Dirty {
			continue // ours, not pushed yet
		}
		cur, err := st.TaskByUID(ctx, td.UID)
		if errors.Is(err, pam.ErrNotFound) {
			// New from another client, or written by a PAM whose task is
			// gone (another device, a store made anew): the task list is
			// never emptied from here, the VTODO becomes a task.
			if _, _, err := ApplyTodo(ctx, st, td); err != nil {
				return rep, err
			}
			rep.Pulled++
			continue
		}
		if err != nil {
			return rep, err
		}
		base, hasBase := syncBase(td)
		changed, conflict, err := merge(ctx, st, cur, td, base, hasBase, o)
		if err != nil {
			return rep, err
		}
		if changed {
			rep.Pulled++
		}
		if conflict {
			rep.Conflicts++
		}
	}
	all, err := st.Tasks(ctx, store.TaskFilter{})
	if err != nil {
		return rep, err
	}
	for _, t := range all {
		o, ok := seen[t.UID]
		raw, dirty, err := todoFor(t, o, ok)
		if err != nil {
			return rep, err
		}
		if raw == nil {
			continue
		}
		no := store.CalObject{Calendar: cal, UID: t.UID, Raw: raw, Dirty: dirty || o.Dirty}
		if ok {
			no.Href, no.ETag = o.Href, o.ETag
		}
		if _, err := st.PutCalObject(ctx, no); err != nil {
			return rep, err
		}
		if no.Dirty {
			rep.Pushed++
		}
	}
	return rep, nil
}

// merge takes a VTODO from the task list into its task. Without a base
// (a client dropped SyncProp) the newer side wins as a whole.
func merge(ctx context.Context, st *store.Store, t store.Task, td *calendar.Todo, base fields, hasBase bool, o store.CalObject) (changed, conflict bool, err error) {
	remote, local := todoFields(td), taskFields(t)
	if remote == local {
		return false, false, nil
	}
	if !hasBase {
		if t.Updated.After(o.Updated) {
			return false, false, nil // changed in PAM since: pushed
		}
		base = local // take every field the task list has
	}
	take := func(r, l, b any) bool {
		if r == b {
			return false // unchanged there
		}
		if l != b && l != r {
			conflict = true
		}
		return r != l
	}
	if take(remote.status, local.status, base.status) {
		t.Status, changed = todoStatus(td), true
		if t.Status == store.TaskDone && !td.Completed.IsZero() {
			t.Completed = td.Completed.In(time.UTC)
		}
	}
	if take(remote.due, local.due, base.due) {
		t.Due, t.DueText, t.Edited, changed = time.Time{}, "", true, true
		if !td.Due.IsZero() {
			t.Due = td.Due.In(time.UTC)
		}
	}
	if take(remote.sum, local.sum, base.sum) && td.Summary != "" {
		t.Title, t.Edited, changed = td.Summary, true, true
	}
	if !changed {
		return false, conflict, nil
	}
	return true, conflict, st.UpdateTask(ctx, t)
}

// todoFor returns the object to store for a task (nil: the stored one is
// in step) and whether it must be uploaded. The stored VTODO is edited to
// say what the task says (or a new one is made), with the base set to the
// task's fields. When only the base is out of date (the task took what
// the task list says), the object is rewritten locally and not uploaded:
// the server's copy already says the same, and the base goes up with the
// next real change.
func todoFor(t store.Task, o store.CalObject, ok bool) (raw []byte, dirty bool, err error) {
	src := o.Raw
	if !ok {
		if src, err = EncodeTask(t); err != nil {
			return nil, false, err
		}
	}
	c, err := calendar.Parse(bytes.NewReader(src))
	if err != nil || len(c.Todos) == 0 || c.Todos[0].Raw == nil {
		return nil, false, fmt.Errorf("task %d: VTODO: %v", t.ID, err)
	}
	td := c.Todos[0]
	want := taskFields(t)
	base, has := syncBase(td)
	dirty = !ok || todoFields(td) != want
	if !dirty && has && base == want {
		return nil, false, nil // in step
	}
	if dirty && ok {
		nt := ToTodo(t)
		td.Summary, td.Status, td.Due, td.Completed, td.PercentComplete = nt.Summary, nt.Status, nt.Due, nt.Completed, nt.PercentComplete
		td.Sequence = max(td.Sequence+1, t.Sequence)
		td.Stamp = time.Now().UTC().Truncate(time.Second)
	}
	td.Raw.RemoveProps(SyncProp)
	td.Raw.Props = append(td.Raw.Props, &calendar.Property{Name: SyncProp, Value: want.String()})
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		return nil, false, fmt.Errorf("encode task %d: %w", t.ID, err)
	}
	return buf.Bytes(), dirty, nil
}

package tasks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/ingest"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestCRUD(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2024, 6, 5, 9, 0, 0, 0, loc) // Wednesday
	tk, err := Add(ctx, st, "call Bob tomorrow 3pm", now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 6, 6, 15, 0, 0, 0, loc); tk.Title != "Call Bob" || !tk.Due.Equal(want) || tk.Status != store.TaskOpen {
		t.Fatalf("Add = %q due %v status %s, want \"Call Bob\" due %v open", tk.Title, tk.Due, tk.Status, want)
	}
	if _, err := Add(ctx, st, "  ", now, loc); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("Add(blank) error = %v, want ErrInvalid", err)
	}
	other, _ := Add(ctx, st, "water the plants", now, loc)

	list, err := List(ctx, st, Query{Due: DueToday}, now, loc)
	if err != nil || len(list) != 0 {
		t.Errorf("List(due today) = %d tasks, %v; want 0", len(list), err)
	}
	list, _ = List(ctx, st, Query{Due: DueWeek}, now, loc)
	if len(list) != 1 || list[0].ID != tk.ID {
		t.Errorf("List(due week) = %+v, want the call only", list)
	}
	list, _ = List(ctx, st, Query{}, now, loc)
	if len(list) != 2 || list[0].ID != tk.ID {
		t.Errorf("List() = %d tasks, want 2 with the dated one first", len(list))
	}

	ed, err := Edit(ctx, st, tk.ID, "call Bob and Alice friday 10am", false, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 6, 7, 10, 0, 0, 0, loc); ed.Title != "Call Bob and Alice" || !ed.Due.Equal(want) || !ed.Edited {
		t.Errorf("Edit = %q due %v edited %v, want moved to Friday 10:00", ed.Title, ed.Due, ed.Edited)
	}
	later := now.Add(48 * time.Hour)
	if _, err := Snooze(ctx, st, other.ID, later); err != nil {
		t.Fatal(err)
	}
	list, _ = List(ctx, st, Query{}, now, loc)
	if len(list) != 1 {
		t.Errorf("List() with one snoozed = %d tasks, want 1", len(list))
	}
	list, _ = List(ctx, st, Query{}, later.Add(time.Minute), loc)
	if len(list) != 2 {
		t.Errorf("List() after the snooze = %d tasks, want 2", len(list))
	}
	if d, err := Done(ctx, st, tk.ID); err != nil || d.Status != store.TaskDone || d.Completed.IsZero() {
		t.Errorf("Done = %+v, %v; want done with a completion time", d, err)
	}
	list, _ = List(ctx, st, Query{Status: "done"}, now, loc)
	if len(list) != 1 || list[0].ID != tk.ID {
		t.Errorf("List(done) = %+v, want the call", list)
	}
	if _, err := Done(ctx, st, 9999); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Done(9999) error = %v, want ErrNotFound", err)
	}
	if _, err := List(ctx, st, Query{Status: "bogus"}, now, loc); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("List(bogus) error = %v, want ErrInvalid", err)
	}
}

// demoImported is a store holding the demo mailbox, and the action model.
func demoImported(t *testing.T) (*store.Store, *extract.Model) {
	t.Helper()
	st := openStore(t)
	dir := t.TempDir()
	if err := demo.WriteMaildir(dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Import(context.Background(), st, dir, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	return st, m
}

// demoStore imports the demo mailbox and runs task extraction.
func demoStore(t *testing.T) (*store.Store, SyncReport) {
	t.Helper()
	ctx := context.Background()
	st, m := demoImported(t)
	loc, _ := time.LoadLocation(demo.UserZone)
	rep, err := Sync(ctx, st, m, SyncOptions{Extract: extract.Options{Location: loc, User: extract.Address{Name: demo.UserName, Email: demo.UserEmail}}})
	if err != nil {
		t.Fatal(err)
	}
	return st, rep
}

func TestSyncDemo(t *testing.T) {
	ctx := context.Background()
	st, rep := demoStore(t)
	if rep.Added < 15 || rep.Threads == 0 {
		t.Fatalf("Sync report %+v, want at least 15 tasks added", rep)
	}
	all, err := st.Tasks(ctx, store.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var q3, pablo *store.Task
	for i := range all {
		switch {
		case all[i].Title == "Send the Q3 numbers to Priya":
			if q3 != nil {
				t.Errorf("two Q3 tasks: de-duplication failed")
			}
			q3 = &all[i]
		case all[i].Kind == store.TaskWaiting && strings.Contains(all[i].Title, "invoice"):
			pablo = &all[i]
		}
	}
	if q3 == nil || q3.Status != store.TaskOpen || q3.Due.IsZero() || q3.DueText != "Monday" || q3.MessagePID == "" || q3.Thread == 0 {
		t.Fatalf("Q3 task = %+v, want open, due Monday, linked to its message and thread", q3)
	}
	links, _ := st.TaskMessages(ctx, q3.ID)
	if len(links["source"]) != 2 || len(links["moved"]) != 1 {
		t.Errorf("Q3 links = %v, want 2 sources and 1 move", links)
	}
	if pablo == nil || pablo.Status != store.TaskDone {
		t.Errorf("invoice waiting-on task = %+v, want done", pablo)
	}

	// Re-running changes nothing.
	m, _ := extract.Default()
	rep2, err := Sync(ctx, st, m, SyncOptions{})
	if err != nil || rep2.Added != 0 || rep2.Threads != 0 {
		t.Errorf("second Sync = %+v, %v; want nothing to do", rep2, err)
	}
}

func TestVTODO(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Now()
	tk, _ := Add(ctx, st, "send the deck friday", now, time.UTC)
	raw, err := EncodeTask(tk)
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.Parse(bytes.NewReader(raw))
	if err != nil || len(c.Todos) != 1 {
		t.Fatalf("parse encoded task: %v", err)
	}
	td := c.Todos[0]
	if td.UID != tk.UID || td.Summary != "Send the deck" || td.Status != "NEEDS-ACTION" || !td.Due.In(time.UTC).Equal(tk.Due) {
		t.Errorf("VTODO = %+v, want the task's UID, summary, status and due", td)
	}
	// Completed elsewhere.
	td.Status, td.PercentComplete = "COMPLETED", 100
	td.Completed = calendar.DateTime{Time: now.UTC().Truncate(time.Second)}
	got, changed, err := ApplyTodo(ctx, st, td)
	if err != nil || !changed || got.Status != store.TaskDone {
		t.Errorf("ApplyTodo(completed) = %+v %v %v, want done", got, changed, err)
	}
	if _, changed, _ := ApplyTodo(ctx, st, td); changed {
		t.Error("applying the same VTODO twice changed the task again")
	}
	// A new VTODO from elsewhere becomes a task.
	n, changed, err := ApplyTodo(ctx, st, &calendar.Todo{UID: "ext-1@example.org", Summary: "Buy milk", Status: "NEEDS-ACTION"})
	if err != nil || !changed || n.Title != "Buy milk" || n.Origin != "caldav" {
		t.Errorf("ApplyTodo(new) = %+v %v %v", n, changed, err)
	}
}

// remote stands in for the CalDAV sync: it marks PAM's objects uploaded
// and stores what "another client" wrote as the server's copy.
type remote struct {
	t   *testing.T
	st  *store.Store
	cal int64
	n   int
}

// push marks every dirty object uploaded and returns how many there were.
func (r *remote) push() int {
	r.t.Helper()
	objs, err := r.st.CalObjectsToPush(context.Background(), r.cal)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, o := range objs {
		r.n++
		if _, err := r.st.MarkCalObjectSynced(context.Background(), o.ID, o.Version, "https://dav.example/tasks/"+o.UID+".ics", fmt.Sprintf("\"e%d\"", r.n), nil); err != nil {
			r.t.Fatal(err)
		}
	}
	return len(objs)
}

// edit changes the server's copy of uid with f (on its text) and stores it
// as pulled.
func (r *remote) edit(uid string, f func(string) string) {
	r.t.Helper()
	o, err := r.st.CalObjectByUID(context.Background(), r.cal, uid)
	if err != nil {
		r.t.Fatal(err)
	}
	r.n++
	o.Raw, o.Dirty, o.ETag = []byte(f(string(o.Raw))), false, fmt.Sprintf("\"e%d\"", r.n)
	if _, err := r.st.PutCalObject(context.Background(), o); err != nil {
		r.t.Fatal(err)
	}
}

func (r *remote) todo(uid string) *calendar.Todo {
	r.t.Helper()
	o, err := r.st.CalObjectByUID(context.Background(), r.cal, uid)
	if err != nil {
		r.t.Fatal(err)
	}
	c, err := calendar.Parse(bytes.NewReader(o.Raw))
	if err != nil || len(c.Todos) != 1 {
		r.t.Fatalf("object %s: %v", uid, err)
	}
	return c.Todos[0]
}

func replaceLine(prop, value string) func(string) string {
	return func(s string) string {
		lines := strings.Split(s, "\r\n")
		for i, l := range lines {
			if strings.HasPrefix(l, prop+":") || strings.HasPrefix(l, prop+";") {
				lines[i] = prop + ":" + value
			}
		}
		return strings.Join(lines, "\r\n")
	}
}

func TestSyncCalendar(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	cal, err := st.LocalCalendar(ctx, "Tasks")
	if err != nil {
		t.Fatal(err)
	}
	r := &remote{t: t, st: st, cal: cal}
	sync := func(wantPulled, wantPushed, wantConflicts int) {
		t.Helper()
		rep, err := SyncCalendar(ctx, st, cal)
		if err != nil || rep.Pulled != wantPulled || rep.Pushed != wantPushed || rep.Conflicts != wantConflicts {
			t.Fatalf("SyncCalendar = %+v, %v; want pulled %d pushed %d conflicts %d", rep, err, wantPulled, wantPushed, wantConflicts)
		}
	}
	now := time.Date(2024, 6, 5, 9, 0, 0, 0, time.UTC)
	a, _ := Add(ctx, st, "file the expense report", now, time.UTC)
	b, _ := Add(ctx, st, "book the venue friday 10am", now, time.UTC)
	sync(0, 2, 0)
	o, err := st.CalObjectByUID(ctx, cal, a.UID)
	if err != nil || !o.Dirty || !bytes.Contains(o.Raw, []byte("SUMMARY:File the expense report")) || !bytes.Contains(o.Raw, []byte(SyncProp+":open;-;")) {
		t.Fatalf("object = %s, %v; want a dirty VTODO with its sync base", o.Raw, err)
	}
	if r.push() != 2 {
		t.Fatal("want 2 objects to push")
	}
	sync(0, 0, 0) // in step: nothing to do

	// Completed on the task list, the base kept (as clients keep X- properties).
	r.edit(a.UID, replaceLine("STATUS", "COMPLETED"))
	sync(1, 0, 0)
	if got, _ := st.TaskByID(ctx, a.ID); got.Status != store.TaskDone {
		t.Errorf("task after remote completion: %s, want done", got.Status)
	}
	if o, _ := st.CalObjectByUID(ctx, cal, a.UID); o.Dirty || !bytes.Contains(o.Raw, []byte(SyncProp+":done;")) {
		t.Errorf("after taking the completion: object dirty %v, base not moved to done:\n%s", o.Dirty, o.Raw)
	}
	sync(0, 0, 0)
	// Reopened in PAM: the reopening goes up, not back down.
	got, _ := st.TaskByID(ctx, a.ID)
	got.Status = store.TaskOpen
	if err := st.UpdateTask(ctx, got); err != nil {
		t.Fatal(err)
	}
	sync(0, 1, 0)
	if td := r.todo(a.UID); td.Status != "NEEDS-ACTION" || !td.Completed.IsZero() {
		t.Errorf("VTODO after reopening in PAM: status %s completed %v", td.Status, td.Completed)
	}
	r.push()

	// Due moved in PAM while the summary was edited on the task list: both kept.
	mon := time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)
	if _, err := Edit(ctx, st, b.ID, "book the venue monday 9am", false, now, time.UTC); err != nil {
		t.Fatal(err)
	}
	r.edit(b.UID, replaceLine("SUMMARY", "Book the venue for the offsite"))
	sync(1, 1, 0)
	gb, _ := st.TaskByID(ctx, b.ID)
	td := r.todo(b.UID)
	if gb.Title != "Book the venue for the offsite" || !gb.Due.Equal(mon) || td.Summary != gb.Title || !td.Due.In(time.UTC).Equal(mon) {
		t.Errorf("merge: task %q due %v, VTODO %q due %v; want the new summary and Monday 09:00 on both", gb.Title, gb.Due, td.Summary, td.Due)
	}
	r.push()

	// Due changed on both sides: the task list's wins, counted as a conflict.
	if _, err := Edit(ctx, st, b.ID, "Book the venue for the offsite tuesday 9am", false, now, time.UTC); err != nil {
		t.Fatal(err)
	}
	r.edit(b.UID, replaceLine("DUE", "20240612T080000Z"))
	sync(1, 0, 1)
	if gb, _ := st.TaskByID(ctx, b.ID); !gb.Due.Equal(time.Date(2024, 6, 12, 8, 0, 0, 0, time.UTC)) || !gb.Edited {
		t.Errorf("conflicting due: task due %v edited %v, want the task list's 2024-06-12 08:00", gb.Due, gb.Edited)
	}

	// A new VTODO from another client (no base) becomes a task; an event in
	// the same collection is left alone.
	for uid, body := range map[string]string{
		"ext-1@example.org": "BEGIN:VTODO\r\nUID:ext-1@example.org\r\nDTSTAMP:20240601T000000Z\r\nSUMMARY:Buy milk\r\nDUE;VALUE=DATE:20240607\r\nEND:VTODO\r\n",
		"ev-1@example.org":  "BEGIN:VEVENT\r\nUID:ev-1@example.org\r\nDTSTAMP:20240601T000000Z\r\nDTSTART:20240607T100000Z\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n",
	} {
		raw := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other//EN\r\n" + body + "END:VCALENDAR\r\n"
		if _, err := st.PutCalObject(ctx, store.CalObject{Calendar: cal, UID: uid, Raw: []byte(raw), Href: "https://dav.example/tasks/" + uid + ".ics", ETag: `"x"`}); err != nil {
			t.Fatal(err)
		}
	}
	sync(1, 0, 0)
	milk, err := st.TaskByUID(ctx, "ext-1@example.org")
	if err != nil || milk.Title != "Buy milk" || milk.Origin != "caldav" || milk.Due.IsZero() {
		t.Errorf("task from another client = %+v, %v", milk, err)
	}
	if _, err := st.TaskByUID(ctx, "ev-1@example.org"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("an event became a task: %v", err)
	}
	sync(0, 0, 0)
}

// SyncOptions.Asks keeps out new to-dos whose one received source message
// most likely asks nothing; the user's own promises, waiting-on items and
// to-dos asked again are not asked about.
func TestSyncAsks(t *testing.T) {
	ctx := context.Background()
	run := func(asks bool) (SyncReport, []store.Task, int) {
		st, m := demoImported(t)
		asked := 0
		rep, err := Sync(ctx, st, m, SyncOptions{
			Extract: extract.Options{Location: time.UTC, User: extract.Address{Name: demo.UserName, Email: demo.UserEmail}},
			Asks: func(_ context.Context, row int64, msg extract.Message) (bool, error) {
				if row == 0 || msg.FromUser {
					t.Errorf("asked about row %d (from the user %v)", row, msg.FromUser)
				}
				asked++
				return asks, nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := st.Tasks(ctx, store.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return rep, all, asked
	}
	yes, allYes, askedYes := run(true)
	no, allNo, askedNo := run(false)
	if askedYes == 0 || askedYes != askedNo || yes.Skipped != 0 || no.Skipped != askedNo {
		t.Fatalf("asked %d/%d times, skipped %d/%d; want the same questions, every 'no' skipped", askedYes, askedNo, yes.Skipped, no.Skipped)
	}
	if len(allYes)-len(allNo) != askedNo {
		t.Errorf("%d tasks with every to-do kept, %d with none: want %d fewer", len(allYes), len(allNo), askedNo)
	}
	waiting := 0
	for _, tk := range allNo {
		if tk.Kind == store.TaskWaiting {
			waiting++
		}
	}
	if waiting == 0 {
		t.Errorf("no waiting-on task kept when every asked to-do was refused: %+v", allNo)
	}
}

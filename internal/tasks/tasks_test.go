package tasks

import (
	"bytes"
	"context"
	"errors"
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

// demoStore imports the demo mailbox and runs task extraction.
func demoStore(t *testing.T) (*store.Store, SyncReport) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	now := time.Now()
	if err := demo.WriteMaildir(dir, now); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Import(ctx, st, dir, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
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

func TestSyncCalendar(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	cal, err := st.LocalCalendar(ctx, "Tasks")
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := Add(ctx, st, "file the expense report", time.Now(), time.UTC)
	if _, pushed, err := SyncCalendar(ctx, st, cal); err != nil || pushed != 1 {
		t.Fatalf("SyncCalendar pushed %d, %v; want 1", pushed, err)
	}
	o, err := st.CalObjectByUID(ctx, cal, tk.UID)
	if err != nil || !o.Dirty || !bytes.Contains(o.Raw, []byte("SUMMARY:File the expense report")) {
		t.Fatalf("object = %+v, %v; want a dirty VTODO", o, err)
	}
	// The CalDAV sync pushes it and later brings back a completed copy.
	if _, err := st.MarkCalObjectSynced(ctx, o.ID, o.Version, "https://dav.example/tasks/x.ics", "\"e1\"", nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // object timestamps have second resolution
	done := bytes.Replace(o.Raw, []byte("STATUS:NEEDS-ACTION"), []byte("STATUS:COMPLETED"), 1)
	if _, err := st.PutCalObject(ctx, store.CalObject{Calendar: cal, UID: tk.UID, Raw: done, Href: "https://dav.example/tasks/x.ics", ETag: "\"e2\""}); err != nil {
		t.Fatal(err)
	}
	if pulled, _, err := SyncCalendar(ctx, st, cal); err != nil || pulled != 1 {
		t.Fatalf("SyncCalendar pulled %d, %v; want 1", pulled, err)
	}
	if got, _ := st.TaskByID(ctx, tk.ID); got.Status != store.TaskDone {
		t.Errorf("task after remote completion: %s, want done", got.Status)
	}
}

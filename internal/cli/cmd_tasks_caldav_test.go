package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/calendar/caldav"
	"github.com/pam-ai/pam/internal/testserver/radicale"
)

// radicaleTodos lists the VTODOs of a Radicale collection by summary, as
// another client would see them.
func radicaleTodos(t *testing.T, srv *radicale.Server, col string) map[string]caldav.Object {
	t.Helper()
	ctx := context.Background()
	c, err := caldav.NewClient(srv.URL, srv.User, srv.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	etags, err := c.ETags(ctx, col)
	if err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	for h := range etags {
		hrefs = append(hrefs, h)
	}
	objs, err := c.MultiGet(ctx, col, hrefs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]caldav.Object{}
	for _, o := range objs {
		cal, err := calendar.Parse(bytes.NewReader(o.Data))
		if err != nil || len(cal.Todos) != 1 {
			t.Fatalf("server object %s: %v\n%s", o.Href, err, o.Data)
		}
		out[cal.Todos[0].Summary] = o
	}
	return out
}

// putRadicale writes a resource over plain HTTP, as another CalDAV client
// does; etag "" creates it.
func putRadicale(t *testing.T, srv *radicale.Server, href, etag, data string) {
	t.Helper()
	r, err := newPut(href, strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r.SetBasicAuth(srv.User, srv.Password)
	if etag != "" {
		r.Header.Set("If-Match", etag)
	} else {
		r.Header.Set("If-None-Match", "*")
	}
	resp, err := httpDo(r)
	if err != nil || resp.StatusCode >= 300 {
		t.Fatalf("PUT %s: %v %v", href, resp, err)
	}
}

func todoOf(t *testing.T, o caldav.Object) *calendar.Todo {
	t.Helper()
	cal, err := calendar.Parse(bytes.NewReader(o.Data))
	if err != nil || len(cal.Todos) != 1 {
		t.Fatalf("parse %s: %v", o.Href, err)
	}
	return cal.Todos[0]
}

// TestTasksCalDAVRadicale: tasks and a Radicale task list in step both
// ways — created in PAM → a VTODO there; completed there → done in PAM;
// due dates edited on either side → the other follows; a VTODO made by
// another client → a task.
func TestTasksCalDAVRadicale(t *testing.T) {
	srv := radicale.Start(t)
	col := srv.MakeCalendar(t, "tasks", "Tasks")
	home := filepath.Join(t.TempDir(), "home")
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(srv.Password+"\n"), 0o600)
	pamOK := func(args ...string) string {
		t.Helper()
		out, errs, code := pamCal(t, home, "", args...)
		if code != 0 {
			t.Fatalf("pam %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	syncRep := func() taskListReport {
		t.Helper()
		var rep taskListReport
		if err := json.Unmarshal([]byte(pamOK("tasks", "sync", "--json")), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Conflicts != 0 || rep.CalDAV.Conflicts != 0 {
			t.Errorf("tasks sync: conflicts %d/%d, want none", rep.Conflicts, rep.CalDAV.Conflicts)
		}
		return rep
	}
	taskByID := func(id string) taskJSON {
		t.Helper()
		for _, l := range strings.Split(strings.TrimSpace(pamOK("tasks", "--json", "--status", "all", "--tz", "UTC")), "\n") {
			var j taskJSON
			if err := json.Unmarshal([]byte(l), &j); err != nil {
				t.Fatal(err)
			}
			if strconv.FormatInt(j.ID, 10) == id {
				return j
			}
		}
		t.Fatalf("task %s not listed", id)
		return taskJSON{}
	}

	pamOK("calendar", "add", "caldav", "--url", srv.URL, "--user", srv.User, "--password-file", pwFile, "--name", "radicale")
	if _, _, code := pamCal(t, home, "", "tasks", "sync"); code == 0 {
		t.Error("tasks sync without a linked task list: exit 0")
	}
	if _, _, code := pamCal(t, home, "", "tasks", "link", "Nope"); code == 0 {
		t.Error("tasks link to an unknown calendar: exit 0")
	}
	pamOK("tasks", "link", "Tasks")
	idA := strings.TrimSpace(pamOK("task", "add", "--tz", "UTC", "file the expense report"))
	idB := strings.TrimSpace(pamOK("task", "add", "--tz", "UTC", "book the venue friday 10am"))

	// Created in PAM → VTODOs on Radicale.
	if rep := syncRep(); rep.ToList != 2 || rep.CalDAV.Pushed != 2 {
		t.Errorf("first tasks sync = %+v, want 2 tasks written and pushed", rep)
	}
	on := radicaleTodos(t, srv, col)
	a, okA := on["File the expense report"]
	b, okB := on["Book the venue"]
	if len(on) != 2 || !okA || !okB {
		t.Fatalf("Radicale holds %d VTODOs %v, want the two tasks", len(on), keys(on))
	}
	pb := taskByID(idB)
	if td := todoOf(t, b); td.Status != "NEEDS-ACTION" || pb.Due == nil || td.Due.In(time.UTC).Format(time.RFC3339) != *pb.Due {
		t.Errorf("VTODO B status %s due %v, want NEEDS-ACTION due %v", td.Status, td.Due, pb.Due)
	}
	if rep := syncRep(); rep.ToList != 0 || rep.FromList != 0 || rep.CalDAV.Pushed != 0 {
		t.Errorf("sync without changes = %+v, want nothing moved", rep)
	}

	// Completed on Radicale by another client → done in PAM.
	done := strings.Replace(string(a.Data), "STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20250102T100000Z", 1)
	putRadicale(t, srv, a.Href, a.ETag, done)
	if rep := syncRep(); rep.FromList != 1 {
		t.Errorf("sync after the remote completion = %+v, want 1 task taken from the list", rep)
	}
	if got := taskByID(idA); got.Status != "done" {
		t.Errorf("task A after completion on Radicale: status %q, want done", got.Status)
	}

	// Due edited in PAM → DUE on Radicale.
	pamOK("task", "edit", "--tz", "UTC", idB, "book the venue monday 9am")
	pb = taskByID(idB)
	syncRep()
	b = radicaleTodos(t, srv, col)["Book the venue"]
	if td := todoOf(t, b); pb.Due == nil || td.Due.In(time.UTC).Format(time.RFC3339) != *pb.Due {
		t.Errorf("DUE on Radicale after the edit in PAM = %v, want %v", td.Due, pb.Due)
	}
	if on := radicaleTodos(t, srv, col); todoOf(t, on["File the expense report"]).Status != "COMPLETED" {
		t.Error("the completion was undone on Radicale")
	}

	// Due edited on Radicale → due in PAM.
	lines := strings.Split(string(b.Data), "\r\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "DUE") {
			lines[i] = "DUE:20300115T080000Z"
		}
	}
	putRadicale(t, srv, b.Href, b.ETag, strings.Join(lines, "\r\n"))
	syncRep()
	if got := taskByID(idB); got.Due == nil || *got.Due != "2030-01-15T08:00:00Z" {
		t.Errorf("task B due after the edit on Radicale = %v, want 2030-01-15T08:00:00Z", got.Due)
	}

	// A VTODO made by another client (no PAM property) → a task.
	putRadicale(t, srv, col+"todoman-1.ics", "", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//todoman//EN\r\nBEGIN:VTODO\r\nUID:todoman-1@example.org\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Renew the passport\r\nDUE:20300301T170000Z\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
	if rep := syncRep(); rep.FromList != 1 || rep.CalDAV.Pushed != 0 {
		t.Errorf("sync after a VTODO from another client = %+v, want 1 taken, nothing uploaded", rep)
	}
	out := pamOK("tasks", "--json", "--tz", "UTC")
	if !strings.Contains(out, `"title":"Renew the passport","due":"2030-03-01T17:00:00Z"`) {
		t.Errorf("tasks after the other client's VTODO:\n%s", out)
	}
	if on := radicaleTodos(t, srv, col); len(on) != 3 {
		t.Errorf("Radicale holds %v, want 3 VTODOs and no conflict copies", keys(on))
	}
	if rep := syncRep(); rep.ToList != 0 || rep.FromList != 0 || rep.CalDAV.Pushed != 0 || rep.CalDAV.Pulled != 0 {
		t.Errorf("final sync = %+v, want nothing moved", rep)
	}
	// pam calendar sync runs the task bridge too.
	putRadicale(t, srv, col+"todoman-2.ics", "", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//todoman//EN\r\nBEGIN:VTODO\r\nUID:todoman-2@example.org\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Water the plants\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
	if out := pamOK("calendar", "sync"); !strings.Contains(out, "1 taken from the list") {
		t.Errorf("calendar sync with a linked task list:\n%s", out)
	}
	if out := pamOK("tasks", "--json", "--tz", "UTC"); !strings.Contains(out, `"title":"Water the plants"`) {
		t.Errorf("tasks after calendar sync:\n%s", out)
	}
	pamOK("tasks", "link", "--off")
	if _, _, code := pamCal(t, home, "", "tasks", "sync"); code == 0 {
		t.Error("tasks sync after link --off: exit 0")
	}
}

func keys(m map[string]caldav.Object) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

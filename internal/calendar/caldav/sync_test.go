package caldav

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/testserver/radicale"
)

func event(uid, summary string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PAM test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
		"\r\nDTSTAMP:20250301T120000Z\r\nDTSTART;TZID=Europe/Berlin:20250310T090000\r\nDTEND;TZID=Europe/Berlin:20250310T100000\r\n" +
		"SUMMARY:" + summary + "\r\nX-PAM-TEST;X-P=1:kept\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
}

func todo(uid, summary, status string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PAM test//EN\r\nBEGIN:VTODO\r\nUID:" + uid +
		"\r\nDTSTAMP:20250301T120000Z\r\nDUE;VALUE=DATE:20250314\r\nSUMMARY:" + summary + "\r\nSTATUS:" + status +
		"\r\nPRIORITY:1\r\nPERCENT-COMPLETE:50\r\nRELATED-TO;RELTYPE=PARENT:parent-1\r\nX-APPLE-SORT-ORDER:42\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
}

type fixture struct {
	t      *testing.T
	ctx    context.Context
	srv    *radicale.Server
	st     *store.Store
	remote *Client // "another device" writing to the server directly
	sync   *Syncer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	srv := radicale.Start(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := NewClient(srv.URL, srv.User, srv.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	remote, _ := NewClient(srv.URL, srv.User, srv.Password, nil)
	id, err := st.AddCalDAVAccount(ctx, store.CalDAVAccount{Name: "radicale", URL: srv.URL, Username: srv.User})
	if err != nil {
		t.Fatal(err)
	}
	accts, _ := st.CalDAVAccounts(ctx)
	if len(accts) != 1 || accts[0].ID != id {
		t.Fatalf("CalDAVAccounts = %+v", accts)
	}
	return &fixture{t: t, ctx: ctx, srv: srv, st: st, remote: remote, sync: &Syncer{Store: st, Client: c, Account: accts[0], Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
}

// calendar returns the stored calendar for the collection at href.
func (f *fixture) calendar(href string) store.Calendar {
	f.t.Helper()
	cals, err := f.st.Calendars(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range cals {
		if c.Href == href {
			return c
		}
	}
	f.t.Fatalf("no stored calendar for %s (have %+v)", href, cals)
	return store.Calendar{}
}

func (f *fixture) run(href string, useSyncCollection bool) Report {
	f.t.Helper()
	col, err := f.sync.Client.Collection(f.ctx, href)
	if err != nil {
		f.t.Fatal(err)
	}
	col.SyncCollection = col.SyncCollection && useSyncCollection
	r, err := f.sync.SyncCalendar(f.ctx, f.calendar(col.Href), col)
	if err != nil {
		f.t.Fatalf("SyncCalendar: %v", err)
	}
	return r
}

func (f *fixture) local(cal int64) map[string]store.CalObject {
	f.t.Helper()
	objs, err := f.st.CalObjects(f.ctx, cal)
	if err != nil {
		f.t.Fatal(err)
	}
	m := map[string]store.CalObject{}
	for _, o := range objs {
		m[o.UID] = o
	}
	return m
}

func (f *fixture) serverObjects(href string) map[string]Object {
	f.t.Helper()
	etags, err := f.remote.ETags(f.ctx, href)
	if err != nil {
		f.t.Fatal(err)
	}
	var hrefs []string
	for h := range etags {
		hrefs = append(hrefs, h)
	}
	objs, err := f.remote.MultiGet(f.ctx, href, hrefs)
	if err != nil {
		f.t.Fatal(err)
	}
	m := map[string]Object{}
	for _, o := range objs {
		uid, err := objectUID(o.Data)
		if err != nil {
			f.t.Fatalf("server object %s: %v", o.Href, err)
		}
		m[uid] = o
	}
	return m
}

func summaryOf(t *testing.T, data []byte) string {
	t.Helper()
	cal, err := calendar.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events) > 0 {
		return cal.Events[0].Summary
	}
	if len(cal.Todos) > 0 {
		return cal.Todos[0].Summary
	}
	return ""
}

func TestDiscover(t *testing.T) {
	f := newFixture(t)
	work := f.srv.MakeCalendar(t, "work", "Work")
	f.srv.MakeCalendar(t, "home", "Home")
	home, cols, err := f.sync.Client.Discover(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if home != f.srv.URL+f.srv.User+"/" {
		t.Errorf("Discover home = %q, want %q", home, f.srv.URL+f.srv.User+"/")
	}
	names := map[string]Collection{}
	for _, c := range cols {
		names[c.Name] = c
	}
	w, ok := names["Work"]
	if len(cols) != 2 || !ok || names["Home"].Href == "" {
		t.Fatalf("Discover calendars = %+v, want Work and Home", cols)
	}
	if w.Href != work || !w.SyncCollection || strings.Join(w.Components, ",") != "VEVENT,VTODO" {
		t.Errorf("Work = %+v, want href %s, sync-collection, VEVENT,VTODO", w, work)
	}
	reports, err := f.sync.Sync(f.ctx)
	if err != nil || len(reports) != 2 {
		t.Fatalf("Sync = %+v, %v; want 2 reports", reports, err)
	}
	// Wrong password: ErrAuth.
	bad, _ := NewClient(f.srv.URL, f.srv.User, "wrong", nil)
	if _, _, err := bad.Discover(f.ctx); !errors.Is(err, ErrAuth) {
		t.Errorf("Discover with a wrong password = %v, want ErrAuth", err)
	}
}

func TestNewClientRefusesPlainHTTPOffLoopback(t *testing.T) {
	for _, u := range []string{"http://example.org/dav/", "ftp://127.0.0.1/", "/relative"} {
		if _, err := NewClient(u, "u", "p", nil); !errors.Is(err, pam.ErrInvalid) {
			t.Errorf("NewClient(%q) = %v, want ErrInvalid", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:5232/", "http://localhost/", "http://[::1]:8080/x", "https://dav.example.org/"} {
		if _, err := NewClient(u, "u", "p", nil); err != nil {
			t.Errorf("NewClient(%q) = %v, want ok", u, err)
		}
	}
}

// TestTwoWay runs create/update/delete in both directions, a VTODO round
// trip and a conflict, once with sync-collection and once by ETags.
func TestTwoWay(t *testing.T) {
	f := newFixture(t)
	for _, mode := range []struct {
		name string
		sc   bool
	}{{"sync-collection", true}, {"etags", false}} {
		t.Run(mode.name, func(t *testing.T) {
			f.t = t
			href := f.srv.MakeCalendar(t, "cal-"+mode.name, mode.name)
			if _, err := f.sync.Sync(f.ctx); err != nil { // discovers it
				t.Fatal(err)
			}
			cal := f.calendar(href)
			sync := func() Report {
				r := f.run(href, mode.sc)
				if r.Mode != mode.name {
					t.Errorf("sync mode = %q, want %q", r.Mode, mode.name)
				}
				return r
			}

			// Remote create → local.
			remoteEv := event("remote-1@example.org", "Made on the phone")
			if _, err := f.remote.Put(f.ctx, href+"remote-1.ics", remoteEv, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := f.remote.Put(f.ctx, href+"todo-1.ics", todo("todo-1@example.org", "Pay rent", "NEEDS-ACTION"), ""); err != nil {
				t.Fatal(err)
			}
			if r := sync(); r.Pulled != 2 {
				t.Errorf("after 2 remote creates: %+v, want pulled 2", r)
			}
			loc := f.local(cal.ID)
			srv := f.serverObjects(href)
			if got := loc["remote-1@example.org"]; !bytes.Equal(got.Raw, srv["remote-1@example.org"].Data) || got.ETag == "" || got.Dirty {
				t.Errorf("pulled event: raw equal %v, etag %q, dirty %v; want the server bytes, an ETag, clean", bytes.Equal(got.Raw, remoteEv), got.ETag, got.Dirty)
			}
			if got := loc["todo-1@example.org"]; !bytes.Equal(got.Raw, srv["todo-1@example.org"].Data) {
				t.Errorf("pulled VTODO differs from the server's:\n%s", got.Raw)
			}
			for _, want := range []string{"BEGIN:VALARM", "X-PAM-TEST;X-P=1:kept"} {
				if !bytes.Contains(loc["remote-1@example.org"].Raw, []byte(want)) {
					t.Errorf("pulled event lacks %q", want)
				}
			}
			if r := sync(); r.Pulled != 0 || r.Pushed != 0 {
				t.Errorf("second sync without changes: %+v, want nothing moved", r)
			}

			// Local create → remote, with VALARM and X- properties intact.
			localEv := event("local-1@example.org", "Made in PAM")
			if _, err := f.st.PutCalObject(f.ctx, store.CalObject{Calendar: cal.ID, UID: "local-1@example.org", Raw: localEv, Dirty: true}); err != nil {
				t.Fatal(err)
			}
			// A VTODO edited locally (status, percent) goes up faithfully.
			editedTodo := todo("todo-1@example.org", "Pay rent", "COMPLETED")
			o := loc["todo-1@example.org"]
			o.Raw, o.Dirty = editedTodo, true
			if _, err := f.st.PutCalObject(f.ctx, o); err != nil {
				t.Fatal(err)
			}
			if r := sync(); r.Pushed != 2 || r.Pulled != 0 {
				t.Errorf("after local create + VTODO edit: %+v, want pushed 2, pulled 0", r)
			}
			srv = f.serverObjects(href)
			got := srv["local-1@example.org"].Data
			for _, want := range []string{"BEGIN:VALARM", "TRIGGER:-PT10M", "X-PAM-TEST;X-P=1:kept", "TZID=Europe/Berlin:20250310T090000"} {
				if !bytes.Contains(got, []byte(want)) {
					t.Errorf("server copy of the local event lacks %q:\n%s", want, got)
				}
			}
			for _, want := range []string{"STATUS:COMPLETED", "RELATED-TO;RELTYPE=PARENT:parent-1", "X-APPLE-SORT-ORDER:42", "DUE;VALUE=DATE:20250314"} {
				if !bytes.Contains(srv["todo-1@example.org"].Data, []byte(want)) {
					t.Errorf("server VTODO lacks %q:\n%s", want, srv["todo-1@example.org"].Data)
				}
			}
			for uid, o := range f.local(cal.ID) {
				if o.Dirty || o.Href == "" || o.ETag != srv[uid].ETag {
					t.Errorf("local %s after push: dirty %v href %q etag %q (server %q)", uid, o.Dirty, o.Href, o.ETag, srv[uid].ETag)
				}
			}

			// Remote update → local.
			srvR := srv["remote-1@example.org"]
			if _, err := f.remote.Put(f.ctx, srvR.Href, event("remote-1@example.org", "Renamed on the phone"), srvR.ETag); err != nil {
				t.Fatal(err)
			}
			if r := sync(); r.Pulled != 1 {
				t.Errorf("after a remote update: %+v, want pulled 1", r)
			}
			if s := summaryOf(t, f.local(cal.ID)["remote-1@example.org"].Raw); s != "Renamed on the phone" {
				t.Errorf("local summary after remote update = %q", s)
			}

			// Local update → remote.
			o = f.local(cal.ID)["local-1@example.org"]
			o.Raw, o.Dirty = event("local-1@example.org", "Renamed in PAM"), true
			f.st.PutCalObject(f.ctx, o)
			if r := sync(); r.Pushed != 1 {
				t.Errorf("after a local update: %+v, want pushed 1", r)
			}
			if s := summaryOf(t, f.serverObjects(href)["local-1@example.org"].Data); s != "Renamed in PAM" {
				t.Errorf("server summary after local update = %q", s)
			}

			// A stale ETag is refused by the server (If-Match).
			if _, err := f.remote.Put(f.ctx, srvR.Href, event("remote-1@example.org", "stale"), srvR.ETag); !errors.Is(err, ErrPrecondition) {
				t.Errorf("PUT with a stale ETag = %v, want ErrPrecondition", err)
			}

			// Conflict: both change remote-1.
			srv = f.serverObjects(href)
			srvR = srv["remote-1@example.org"]
			if _, err := f.remote.Put(f.ctx, srvR.Href, event("remote-1@example.org", "Server side edit"), srvR.ETag); err != nil {
				t.Fatal(err)
			}
			o = f.local(cal.ID)["remote-1@example.org"]
			o.Raw, o.Dirty = event("remote-1@example.org", "Local side edit"), true
			f.st.PutCalObject(f.ctx, o)
			if r := sync(); r.Conflicts != 1 || r.Pushed != 1 {
				t.Errorf("after a conflict: %+v, want 1 conflict and the copy pushed", r)
			}
			loc = f.local(cal.ID)
			if s := summaryOf(t, loc["remote-1@example.org"].Raw); s != "Server side edit" {
				t.Errorf("conflict: local summary = %q, want the server's", s)
			}
			var copyUID string
			for uid, o := range loc {
				if o.ConflictOf == "remote-1@example.org" {
					copyUID = uid
					if s := summaryOf(t, o.Raw); s != "Conflict: Local side edit" {
						t.Errorf("conflict copy summary = %q, want %q", s, "Conflict: Local side edit")
					}
					if !bytes.Contains(o.Raw, []byte("BEGIN:VALARM")) || o.Dirty {
						t.Errorf("conflict copy: VALARM kept %v, dirty %v", bytes.Contains(o.Raw, []byte("BEGIN:VALARM")), o.Dirty)
					}
				}
			}
			srv = f.serverObjects(href)
			if copyUID == "" || srv[copyUID].Href == "" {
				t.Errorf("conflict copy %q not on the server (server has %d objects)", copyUID, len(srv))
			}
			if s := summaryOf(t, srv["remote-1@example.org"].Data); s != "Server side edit" {
				t.Errorf("conflict: server summary = %q, want its own", s)
			}

			// Remote delete → local.
			if err := f.remote.Delete(f.ctx, srv[copyUID].Href, srv[copyUID].ETag); err != nil {
				t.Fatal(err)
			}
			if r := sync(); r.RemovedLocal != 1 {
				t.Errorf("after a remote delete: %+v, want removed_local 1", r)
			}
			if _, ok := f.local(cal.ID)[copyUID]; ok {
				t.Errorf("remotely deleted object still here")
			}
			// Local delete → remote.
			if err := f.st.DeleteCalObjectLocally(f.ctx, cal.ID, "local-1@example.org"); err != nil {
				t.Fatal(err)
			}
			if r := sync(); r.RemovedRemote != 1 {
				t.Errorf("after a local delete: %+v, want removed_remote 1", r)
			}
			srv = f.serverObjects(href)
			if _, ok := srv["local-1@example.org"]; ok {
				t.Errorf("locally deleted object still on the server")
			}
			if _, ok := f.local(cal.ID)["local-1@example.org"]; ok {
				t.Errorf("tombstone left after the server deleted the object")
			}

			// Local edit vs remote delete: the edit survives and is
			// created again.
			o = f.local(cal.ID)["todo-1@example.org"]
			o.Raw, o.Dirty = todo("todo-1@example.org", "Pay rent (edited)", "IN-PROCESS"), true
			f.st.PutCalObject(f.ctx, o)
			if err := f.remote.Delete(f.ctx, srv["todo-1@example.org"].Href, ""); err != nil {
				t.Fatal(err)
			}
			sync()
			if s := summaryOf(t, f.serverObjects(href)["todo-1@example.org"].Data); s != "Pay rent (edited)" {
				t.Errorf("edited-here, deleted-there VTODO on the server: summary %q, want it re-created", s)
			}
			// Final state: the two sides agree.
			loc, srv = f.local(cal.ID), f.serverObjects(href)
			if len(loc) != len(srv) {
				t.Errorf("local has %d objects, server %d", len(loc), len(srv))
			}
			for uid, o := range loc {
				if !bytes.Equal(o.Raw, srv[uid].Data) || o.ETag != srv[uid].ETag || o.Dirty {
					t.Errorf("object %s differs between PAM and the server (dirty %v, etag %s vs %s):\n%s\n---\n%s", uid, o.Dirty, o.ETag, srv[uid].ETag, o.Raw, srv[uid].Data)
				}
			}
		})
	}
}

// TestBadSyncToken: a token the server does not know leads to a full
// resync that still converges.
func TestBadSyncToken(t *testing.T) {
	f := newFixture(t)
	href := f.srv.MakeCalendar(t, "work", "Work")
	f.sync.Sync(f.ctx)
	cal := f.calendar(href)
	f.remote.Put(f.ctx, href+"a.ics", event("a@example.org", "A"), "")
	f.run(href, true)
	f.remote.Put(f.ctx, href+"b.ics", event("b@example.org", "B"), "")
	srv := f.serverObjects(href)
	f.remote.Delete(f.ctx, srv["a@example.org"].Href, "")
	if err := f.st.SetCalendarSync(f.ctx, cal.ID, "http://radicale.org/ns/sync/bogus", ""); err != nil {
		t.Fatal(err)
	}
	r := f.run(href, true)
	loc := f.local(cal.ID)
	if _, ok := loc["b@example.org"]; !ok || len(loc) != 1 {
		t.Errorf("after a rejected token: local %d objects (report %+v), want only b", len(loc), r)
	}
}

// TestPushRace: the server copy changes between pull and push; the
// If-Match PUT fails and the change is kept as a conflict copy.
func TestPushRace(t *testing.T) {
	f := newFixture(t)
	href := f.srv.MakeCalendar(t, "work", "Work")
	f.sync.Sync(f.ctx)
	cal := f.calendar(href)
	f.remote.Put(f.ctx, href+"a.ics", event("a@example.org", "A"), "")
	f.run(href, true)
	o := f.local(cal.ID)["a@example.org"]
	srv := f.serverObjects(href)
	f.remote.Put(f.ctx, srv["a@example.org"].Href, event("a@example.org", "server"), srv["a@example.org"].ETag)
	o.Raw, o.Dirty = event("a@example.org", "local"), true
	f.st.PutCalObject(f.ctx, o)
	var r Report
	col, _ := f.sync.Client.Collection(f.ctx, href)
	n, err := f.sync.push(f.ctx, cal, col, &r) // push without pulling first
	if err != nil || n != 1 || r.Conflicts != 1 {
		t.Fatalf("push = %d, %v, %+v; want 1 object, 1 conflict", n, err, r)
	}
	f.run(href, true)
	sums := map[string]bool{}
	for _, o := range f.serverObjects(href) {
		sums[summaryOf(t, o.Data)] = true
	}
	if !sums["server"] || !sums["Conflict: local"] || len(sums) != 2 {
		t.Errorf("server summaries = %v, want server and Conflict: local", sums)
	}
}

func TestResourceName(t *testing.T) {
	for in, want := range map[string]string{
		"abc-123@x":        "a1a2b0c1b1fd5c4f8d81aee4f6e5abaf.ics",
		"plain-uid_1.2":    "plain-uid_1.2.ics",
		"../etc/passwd":    "",
		"":                 "",
		".hidden":          "",
		"with space":       "",
		"040000008200E000": "040000008200E000.ics",
	} {
		got := ResourceName(in)
		if want == "" {
			if !regexpHex.MatchString(got) {
				t.Errorf("ResourceName(%q) = %q, want a digest name", in, got)
			}
			continue
		}
		if want != "a1a2b0c1b1fd5c4f8d81aee4f6e5abaf.ics" && got != want {
			t.Errorf("ResourceName(%q) = %q, want %q", in, got, want)
		}
		if want == "a1a2b0c1b1fd5c4f8d81aee4f6e5abaf.ics" && !regexpHex.MatchString(got) {
			t.Errorf("ResourceName(%q) = %q, want a digest name (@ is not safe)", in, got)
		}
	}
}

var regexpHex = regexp.MustCompile(`^[0-9a-f]{32}\.ics$`)

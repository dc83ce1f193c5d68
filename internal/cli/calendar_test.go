package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/testserver/radicale"
)

func pamCal(t *testing.T, home, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"--home", home}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func agendaJSONLines(t *testing.T, out string) []agendaJSON {
	t.Helper()
	var list []agendaJSON
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var j agendaJSON
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			t.Fatalf("agenda --json line %q: %v", line, err)
		}
		list = append(list, j)
	}
	return list
}

// TestImportAgendaAcrossDST: import a file (one broken component) and read
// the agenda across the European DST change in two viewer zones.
func TestImportAgendaAcrossDST(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	out, errs, code := pamCal(t, home, "", "calendar", "import", "testdata/dst-week.ics")
	if code != exitPartial {
		t.Errorf("import of a file with a broken VEVENT: exit %d, want %d (partial)\nstdout %s\nstderr %s", code, exitPartial, out, errs)
	}
	if !strings.Contains(out, `calendar "Tests": 5 new`) || !strings.Contains(out, "1 skipped") {
		t.Errorf("import summary = %q, want 5 new (4 events + 1 to-do) and 1 skipped", out)
	}
	if !strings.Contains(errs, "without a usable DTSTART") || !strings.Contains(errs, "line 44: THIS: missing ':'") {
		t.Errorf("import problems = %q, want the missing DTSTART and the bad line 44 reported", errs)
	}
	// Importing again changes nothing.
	out, _, _ = pamCal(t, home, "", "calendar", "import", "testdata/dst-week.ics")
	if !strings.Contains(out, "0 new, 0 updated, 5 unchanged") {
		t.Errorf("re-import = %q, want 5 unchanged", out)
	}

	out, errs, code = pamCal(t, home, "", "agenda", "--from", "2025-03-24", "--to", "2025-03-31", "--tz", "Europe/Berlin", "--json")
	if code != 0 {
		t.Fatalf("agenda: exit %d: %s", code, errs)
	}
	got := agendaJSONLines(t, out)
	want := []agendaJSON{
		{UID: "weekly-berlin@test", Summary: "Weekly planning", Start: "2025-03-24T09:00:00+01:00", End: "2025-03-24T10:00:00+01:00", Location: "Room 1", Calendar: "Tests", Recurring: true, RecurrenceID: "2025-03-24T09:00:00+01:00"},
		{UID: "floating@test", Summary: "Dentist", Start: "2025-03-26T08:15:00+01:00", End: "2025-03-26T09:00:00+01:00", Calendar: "Tests", Floating: true},
		{UID: "bad-line@test", Summary: "Survives a bad line", Start: "2025-03-27T11:00:00+01:00", End: "2025-03-27T12:00:00+01:00", Calendar: "Tests"},
		{UID: "allday@test", Summary: "Weekend away", Start: "2025-03-29", End: "2025-03-31", AllDay: true, Calendar: "Tests"},
		// After the change to summer time: still 09:00 local, +02:00.
		{UID: "weekly-berlin@test", Summary: "Weekly planning", Start: "2025-03-31T09:00:00+02:00", End: "2025-03-31T10:00:00+02:00", Location: "Room 1", Calendar: "Tests", Recurring: true, RecurrenceID: "2025-03-31T09:00:00+02:00"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agenda Europe/Berlin 24-31 March 2025 (-want +got):\n%s", diff)
	}

	// Seen from New York (already on summer time): the Berlin event moves
	// from 04:00 to 03:00; the floating dentist stays at 08:15.
	out, _, _ = pamCal(t, home, "", "agenda", "--from", "2025-03-24", "--to", "2025-03-31", "--tz", "America/New_York", "--json")
	got = agendaJSONLines(t, out)
	starts := map[string][]string{}
	for _, j := range got {
		starts[j.UID] = append(starts[j.UID], j.Start)
	}
	wantStarts := map[string][]string{
		"weekly-berlin@test": {"2025-03-24T04:00:00-04:00", "2025-03-31T03:00:00-04:00"},
		"floating@test":      {"2025-03-26T08:15:00-04:00"},
		"bad-line@test":      {"2025-03-27T06:00:00-04:00"},
		"allday@test":        {"2025-03-29"},
	}
	if diff := cmp.Diff(wantStarts, starts); diff != "" {
		t.Errorf("agenda America/New_York starts (-want +got):\n%s", diff)
	}

	// Human output: grouped by day, all-day and floating marked.
	out, _, code = pamCal(t, home, "", "agenda", "--from", "2025-03-24", "--to", "2025-03-31", "--tz", "Europe/Berlin")
	for _, want := range []string{"Monday 24 March 2025\n  09:00–10:00", "Weekly planning  (recurring)  @ Room 1", "all day (2d)", "Dentist  (floating time)", "Monday 31 March 2025"} {
		if !strings.Contains(out, want) {
			t.Errorf("agenda text lacks %q:\n%s", want, out)
		}
	}

	// Free/busy: the transparent weekend is not busy.
	out, _, code = pamCal(t, home, "", "freebusy", "--from", "2025-03-24", "--to", "2025-03-31", "--tz", "Europe/Berlin", "--json")
	if code != 0 {
		t.Fatalf("freebusy exit %d", code)
	}
	if n := strings.Count(out, `"busy"`); n != 4 || strings.Contains(out, "2025-03-29") {
		t.Errorf("freebusy = %s\nwant 4 busy intervals, none on the transparent weekend", out)
	}
	out, _, _ = pamCal(t, home, "", "calendar", "list")
	if !strings.Contains(out, "Tests") || !strings.Contains(out, "4 events    1 to-dos") {
		t.Errorf("calendar list = %q", out)
	}
}

func TestImportCalendarFileHook(t *testing.T) {
	ctx := context.Background()
	home := filepath.Join(t.TempDir(), "home")
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Home: home}
	st, err := openStore(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := importCalendarFile(ctx, env, st, "testdata/dst-week.ics")
	var pe partialError
	if n != 5 || !errors.As(err, &pe) {
		t.Errorf("importCalendarFile = %d, %v; want 5 and a partialError", n, err)
	}
	bad := filepath.Join(t.TempDir(), "garbage.ics")
	os.WriteFile(bad, []byte("this is not a calendar"), 0o600)
	if n, err := importCalendarFile(ctx, env, st, bad); n != 0 || err == nil || !strings.Contains(err.Error(), "garbage.ics") {
		t.Errorf("importCalendarFile(garbage) = %d, %v; want 0 and an error naming the file", n, err)
	}
}

const inviteMail = "Message-ID: <invite-1@example.org>\r\nFrom: Jonas Weber <jonas.weber@example.org>\r\nTo: Alex Morgan <alex@example.org>\r\n" +
	"Subject: Invitation: Review\r\nDate: Mon, 03 Mar 2025 10:00:00 +0100\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nYou are invited.\r\n--b1\r\n" +
	"Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n\r\n" +
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n" +
	"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n" +
	"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VEVENT\r\nUID:review-42@example.org\r\nSEQUENCE:1\r\nDTSTAMP:20250303T090000Z\r\n" +
	"DTSTART;TZID=Europe/Berlin:20250310T140000\r\nDTEND;TZID=Europe/Berlin:20250310T150000\r\nSUMMARY:Design review ✓\r\n" +
	"ORGANIZER;CN=Jonas Weber:mailto:jonas.weber@example.org\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED;CN=Jonas Weber:mailto:jonas.weber@example.org\r\n" +
	"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Alex Morgan:mailto:alex@example.org\r\n" +
	"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Aisha Rahman:mailto:aisha@example.org\r\n" +
	"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n" +
	"END:VEVENT\r\nEND:VCALENDAR\r\n--b1--\r\n"

func storeMail(t *testing.T, home string, raws ...string) (*store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := openStore(ctx, &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	var items []store.Incoming
	for i, raw := range raws {
		m, err := mail.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, store.Incoming{Source: "test:" + string(rune('a'+i)), Msg: m, Raw: store.Compress([]byte(raw)), Codec: store.CodecZstd})
	}
	res, err := st.WriteBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.LinkInvites(ctx, res.New); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, row := range res.New {
		s, err := st.SummaryByRow(ctx, row)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	return st, ids
}

func TestInviteAccept(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	cancel := strings.NewReplacer("METHOD:REQUEST", "METHOD:CANCEL", "method=REQUEST", "method=CANCEL", "SEQUENCE:1", "SEQUENCE:2",
		"<invite-1@", "<cancel-1@", "Invitation:", "Cancelled:").Replace(inviteMail)
	st, ids := storeMail(t, home, inviteMail)
	st.Close()

	// Before answering, the agenda shows the invitation.
	out, _, _ := pamCal(t, home, "", "agenda", "--from", "2025-03-10", "--to", "2025-03-10", "--tz", "Europe/Berlin", "--json")
	got := agendaJSONLines(t, out)
	if len(got) != 1 || got[0].Invitation != ids[0] || got[0].Start != "2025-03-10T14:00:00+01:00" {
		t.Fatalf("agenda before answering = %+v, want the invitation from %s at 14:00", got, ids[0])
	}

	out, errs, code := pamCal(t, home, "", "invite", ids[0][:8], "accept")
	if code != 0 {
		t.Fatalf("invite accept: exit %d: %s", code, errs)
	}
	drafts, _ := filepath.Glob(filepath.Join(home, "outbox", "*.eml"))
	if len(drafts) != 1 {
		t.Fatalf("outbox = %v, want one draft", drafts)
	}
	fi, _ := os.Stat(drafts[0])
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("draft mode = %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(drafts[0])
	m, err := mail.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.To) != 1 || m.To[0].Email != "jonas.weber@example.org" || m.From[0].Email != "alex@example.org" ||
		m.InReplyTo != "invite-1@example.org" || m.Subject != "Accepted: Design review ✓" {
		t.Errorf("draft headers: to %v from %v in-reply-to %q subject %q", m.To, m.From, m.InReplyTo, m.Subject)
	}
	if !bytes.Contains(raw, []byte("Content-Type: text/calendar; charset=UTF-8; method=REPLY")) || len(m.Calendar) != 1 {
		t.Fatalf("draft has no text/calendar; method=REPLY part:\n%s", raw)
	}
	inv, err := calendar.ParseInvite(m.Calendar[0])
	if err != nil {
		t.Fatal(err)
	}
	ev := inv.Event
	if inv.Method != "REPLY" || ev.UID != "review-42@example.org" || ev.Sequence != 1 || len(ev.Attendees) != 1 ||
		ev.Attendees[0].Email != "alex@example.org" || ev.Attendees[0].PartStat != "ACCEPTED" || ev.Organizer == nil ||
		ev.Start.TZID != "Europe/Berlin" || len(inv.Calendar.Timezones) != 1 {
		t.Errorf("REPLY: method %s uid %s seq %d attendees %+v organizer %v tzid %q vtimezones %d", inv.Method, ev.UID, ev.Sequence, ev.Attendees, ev.Organizer, ev.Start.TZID, len(inv.Calendar.Timezones))
	}

	// The event is now in the Invitations calendar with PARTSTAT=ACCEPTED
	// (and its alarm), and a later CANCEL (SEQUENCE 2) marks it.
	st, cids := storeMail(t, home, cancel)
	st.Close()
	ids = append(ids, cids...)
	if _, errs, code := pamCal(t, home, "", "invite", ids[1], "accept"); code != exitNotFound {
		t.Errorf("invite on a CANCEL message: exit %d (%s), want %d", code, errs, exitNotFound)
	}
	out, _, _ = pamCal(t, home, "", "agenda", "--from", "2025-03-10", "--to", "2025-03-10", "--tz", "Europe/Berlin", "--json")
	got = agendaJSONLines(t, out)
	if len(got) != 1 || got[0].Calendar != inviteCalendarName || got[0].Invitation != "" || got[0].CancelledBy != ids[1] {
		t.Errorf("agenda after accepting = %+v, want it in %q and cancelled by %s", got, inviteCalendarName, ids[1])
	}
	st, _ = openStore(context.Background(), &Env{Home: home})
	defer st.Close()
	objs, _ := st.CalObjectsByUID(context.Background(), "review-42@example.org")
	if len(objs) != 1 || !bytes.Contains(objs[0].Raw, []byte("PARTSTAT=ACCEPTED;CN=Alex Morgan:mailto:alex@example.org")) ||
		!bytes.Contains(objs[0].Raw, []byte("BEGIN:VALARM")) || bytes.Contains(objs[0].Raw, []byte("METHOD")) {
		t.Errorf("stored event after accept:\n%s", objs[0].Raw)
	}
	st.Close()
	// Changing one's mind updates the stored event in place.
	if _, errs, code := pamCal(t, home, "", "invite", ids[0], "decline"); code != 0 {
		t.Fatalf("invite decline: %d %s", code, errs)
	}
	st, _ = openStore(context.Background(), &Env{Home: home})
	objs, _ = st.CalObjectsByUID(context.Background(), "review-42@example.org")
	if len(objs) != 1 || !bytes.Contains(objs[0].Raw, []byte("PARTSTAT=DECLINED;CN=Alex Morgan")) {
		t.Errorf("stored event after decline: %d objects\n%s", len(objs), objs[0].Raw)
	}
	if _, _, code := pamCal(t, home, "", "invite", ids[0], "maybe"); code != exitUsage {
		t.Errorf("invite maybe: exit %d, want %d", code, exitUsage)
	}
}

// TestCalDAVThroughCLI: add a Radicale account, sync, edit remotely, sync.
func TestCalDAVThroughCLI(t *testing.T) {
	srv := radicale.Start(t)
	srv.MakeCalendar(t, "work", "Work")
	home := filepath.Join(t.TempDir(), "home")
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(srv.Password+"\n"), 0o600)
	out, errs, code := pamCal(t, home, "", "calendar", "add", "caldav", "--url", srv.URL, "--user", srv.User, "--password-file", pwFile, "--name", "radicale")
	if code != 0 || !strings.Contains(out, "1 calendar(s)") {
		t.Fatalf("calendar add caldav: exit %d\n%s\n%s", code, out, errs)
	}
	if pw, err := secretsFor(&Env{Home: home}).Get("caldav:radicale"); err != nil || pw != srv.Password {
		t.Errorf("stored password: %v; want the one from --password-file", err)
	}
	if fi, err := os.Stat(filepath.Join(home, "secrets.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets file: %v, %v; want mode 0600", fi, err)
	}
	// An event made "on the phone".
	put := func(name, body string) {
		req := strings.NewReader(body)
		r, _ := newPut(srv.URL+srv.User+"/work/"+name, req)
		r.SetBasicAuth(srv.User, srv.Password)
		resp, err := httpDo(r)
		if err != nil || resp.StatusCode >= 300 {
			t.Fatalf("PUT %s: %v %v", name, resp, err)
		}
	}
	put("a.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:phone-1\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250310T130000Z\r\nDTEND:20250310T140000Z\r\nSUMMARY:From the phone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	out, errs, code = pamCal(t, home, "", "calendar", "sync")
	if code != 0 || !strings.Contains(out, "radicale / Work (sync-collection): pulled 1") {
		t.Fatalf("calendar sync: exit %d\n%s\n%s", code, out, errs)
	}
	out, _, _ = pamCal(t, home, "", "agenda", "--from", "2025-03-10", "--to", "2025-03-10", "--tz", "UTC", "--json")
	got := agendaJSONLines(t, out)
	if len(got) != 1 || got[0].Summary != "From the phone" || got[0].Calendar != "Work" {
		t.Errorf("agenda after sync = %+v", got)
	}
	// pam serve gets one CalDAV service; its Serve syncs at once and
	// returns nil when stopped.
	ctx, cancel := context.WithCancel(context.Background())
	st, err := openStore(ctx, &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	svcs, err := caldavServices(ctx, serveDeps{Env: &Env{Home: home}, Store: st, Logger: discardLogger(), Poll: time.Hour})
	if err != nil || len(svcs) != 1 || svcs[0].Name() != "caldav" {
		t.Fatalf("caldavServices = %v, %v; want one service named caldav", svcs, err)
	}
	put("b.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:phone-2\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250311T130000Z\r\nSUMMARY:Second\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	done := make(chan error, 1)
	go func() { done <- svcs[0].Serve(ctx) }()
	var objs []store.CalObject
	for deadline := time.Now().Add(30 * time.Second); len(objs) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		objs, _ = st.CalObjectsByUID(ctx, "phone-2")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	if len(objs) != 1 {
		t.Errorf("the serve service did not pull the new event")
	}
	st.Close()

	// A wrong password is a clean failure.
	if err := secretsFor(&Env{Home: home}).Set("caldav:radicale", "wrong"); err != nil {
		t.Fatal(err)
	}
	out, errs, code = pamCal(t, home, "", "calendar", "sync")
	if code != exitFailure || !strings.Contains(out, "authentication failed") {
		t.Errorf("sync with a wrong password: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestImportRobustnessCorpus: every file of the robustness corpus goes
// through the .ics import without panic; what is stored can be read back.
func TestImportRobustnessCorpus(t *testing.T) {
	dir := testdata.Dir(t, "robustness/ical")
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 100 {
		t.Fatalf("robustness corpus: %d files, want the whole corpus (> 100)", len(files))
	}
	stored := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := calendar.Parse(bytes.NewReader(data))
		if err != nil {
			continue // ErrNoCalendar / ErrTooLarge: reported by import as an error
		}
		res, err := storeCalendar(ctx, st, cal, "corpus")
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
		stored += res.New + res.Updated
	}
	if stored == 0 {
		t.Errorf("nothing stored from %d corpus files", len(files))
	}
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := collectAgenda(ctx, st, from, from.AddDate(30, 0, 0), time.UTC, true); err != nil {
		t.Errorf("agenda over the corpus: %v", err)
	}
	t.Logf("%d corpus files, %d objects stored", len(files), stored)
}

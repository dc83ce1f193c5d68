package calendar

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pam-ai/pam/internal/pam"
)

func parseFile(t *testing.T, name string) *Calendar {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return cal
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// occStrings renders occurrences as "summary start/end" in UTC.
func occStrings(occ []Occurrence) []string {
	var out []string
	for _, o := range occ {
		out = append(out, o.Event.Summary+" "+o.Start.UTC().Format("2006-01-02T15:04Z")+"/"+o.End.UTC().Format("15:04Z"))
	}
	return out
}

func TestOccurrencesDST(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		file     string
		from, to time.Time
		want     []string
	}{
		{
			// 09:00 Berlin: 08:00Z in winter, 07:00Z in summer. DST starts
			// 2024-03-31 and ends 2024-10-27 (last Sundays).
			file: "dst_berlin.ics",
			from: time.Date(2024, 3, 18, 0, 0, 0, 0, utc), to: time.Date(2024, 4, 2, 0, 0, 0, 0, utc),
			want: []string{"Team sync 2024-03-18T08:00Z/09:00Z", "Team sync 2024-03-25T08:00Z/09:00Z", "Team sync 2024-04-01T07:00Z/08:00Z"},
		},
		{
			file: "dst_berlin.ics",
			from: time.Date(2024, 10, 20, 0, 0, 0, 0, utc), to: time.Date(2024, 12, 1, 0, 0, 0, 0, utc),
			// UNTIL 2024-11-05T00:00Z ends the series after 4 November.
			want: []string{"Team sync 2024-10-21T07:00Z/08:00Z", "Team sync 2024-10-28T08:00Z/09:00Z", "Team sync 2024-11-04T08:00Z/09:00Z"},
		},
		{
			// New York: DST 2024-03-10 .. 2024-11-03. The 02:30 instance on
			// 10 March does not exist and moves forward by the gap (RFC 5545
			// 3.3.5): 03:30 EDT = 07:30Z.
			file: "dst_newyork.ics",
			from: time.Date(2024, 3, 1, 0, 0, 0, 0, utc), to: time.Date(2024, 3, 31, 0, 0, 0, 0, utc),
			want: []string{
				"Standup NY spring 2024-03-05T15:00Z/15:30Z",
				"Night job 2024-03-09T07:30Z/07:45Z",
				"Night job 2024-03-10T07:30Z/07:45Z",
				"Night job 2024-03-11T06:30Z/06:45Z",
				"Standup NY spring 2024-03-12T14:00Z/14:30Z",
				"Standup NY spring 2024-03-19T14:00Z/14:30Z",
			},
		},
		{
			file: "dst_newyork.ics",
			from: time.Date(2024, 10, 1, 0, 0, 0, 0, utc), to: time.Date(2024, 12, 1, 0, 0, 0, 0, utc),
			want: []string{"Standup NY fall 2024-10-29T14:00Z/14:30Z", "Standup NY fall 2024-11-05T15:00Z/15:30Z"},
		},
		{
			// Windows zone names and a vendor-prefixed IANA name.
			file: "windows_zone.ics",
			from: time.Date(2024, 1, 1, 0, 0, 0, 0, utc), to: time.Date(2024, 12, 1, 0, 0, 0, 0, utc),
			want: []string{"Old Lightning 2024-01-15T02:00Z/03:00Z", "Outlook meeting east 2024-01-15T16:00Z/17:00Z", "Outlook meeting 2024-07-15T09:00Z/10:00Z"},
		},
		{
			// Invented zone from its VTIMEZONE: +05:30, +06:30 from the 2nd
			// Sunday of March (10 March 2024).
			file: "invented_zone.ics",
			from: time.Date(2024, 2, 1, 0, 0, 0, 0, utc), to: time.Date(2024, 4, 1, 0, 0, 0, 0, utc),
			want: []string{
				"Meeting on the island 2024-03-01T03:30Z/04:30Z",
				"Zone we cannot resolve 2024-03-01T09:00Z/09:00Z",
				"Meeting on the island 2024-03-08T03:30Z/04:30Z",
				"Meeting on the island 2024-03-15T02:30Z/03:30Z",
			},
		},
		{
			// EXDATE removes 5 June; the weekly series has one instance
			// moved and a THISANDFUTURE change from 24 June.
			file: "exdate_override.ics",
			from: time.Date(2024, 6, 1, 0, 0, 0, 0, utc), to: time.Date(2024, 7, 31, 0, 0, 0, 0, utc),
			want: []string{
				"Daily 2024-06-03T06:00Z/06:15Z",
				"Weekly 2024-06-03T12:00Z/13:00Z",
				"Daily 2024-06-04T06:00Z/06:15Z",
				"Daily 2024-06-06T06:00Z/06:15Z",
				"Daily 2024-06-07T06:00Z/06:15Z",
				"Weekly (moved) 2024-06-11T14:00Z/15:00Z",
				"Weekly 2024-06-17T12:00Z/13:00Z",
				"Weekly (shorter, later) 2024-06-24T13:00Z/13:30Z",
				"Weekly (shorter, later) 2024-07-01T13:00Z/13:30Z",
				"Weekly (shorter, later) 2024-07-08T13:00Z/13:30Z",
			},
		},
	}
	for _, tt := range tests {
		cal := parseFile(t, tt.file)
		got := occStrings(cal.Occurrences(tt.from, tt.to, utc))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Occurrences(%s, %s) mismatch (-want +got):\n%s", tt.file, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), diff)
		}
	}
}

func TestWallClockKeptAcrossDST(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	cal := parseFile(t, "dst_berlin.ics")
	occ := cal.Occurrences(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC)
	if len(occ) != 34 {
		t.Errorf("weekly Mondays 18 Mar..4 Nov 2024: got %d occurrences, want 34", len(occ))
	}
	for _, o := range occ {
		if l := o.Start.In(berlin); l.Hour() != 9 || l.Minute() != 0 || l.Weekday() != time.Monday {
			t.Errorf("occurrence %v is %v in Berlin, want Monday 09:00", o.Start, l)
		}
	}
}

func TestAllDayAndFloating(t *testing.T) {
	cal := parseFile(t, "allday_floating.ics")
	for _, tc := range []struct {
		zone string
		want []string
	}{
		{"Europe/Berlin", []string{
			"Holiday 2024-07-03T22:00Z/22:00Z",
			"Floating coffee 2024-07-10T07:00Z/07:30Z",
			// 25 Oct 00:00 CEST to 28 Oct 00:00 CET: 73 hours.
			"Trip over the DST weekend 2024-10-24T22:00Z/23:00Z",
		}},
		{"America/New_York", []string{
			"Holiday 2024-07-04T04:00Z/04:00Z",
			"Floating coffee 2024-07-10T13:00Z/13:30Z",
			"Trip over the DST weekend 2024-10-25T04:00Z/04:00Z",
		}},
	} {
		loc := mustLoc(t, tc.zone)
		occ := cal.Occurrences(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), loc)
		if diff := cmp.Diff(tc.want, occStrings(occ)); diff != "" {
			t.Errorf("Occurrences in %s mismatch (-want +got):\n%s", tc.zone, diff)
		}
		for _, o := range occ {
			if o.Event.UID == "trip@pam.test" {
				if !o.AllDay {
					t.Errorf("trip occurrence AllDay = false, want true")
				}
				if s, e := o.Start.In(loc), o.End.In(loc); s.Day() != 25 || e.Day() != 28 || s.Hour() != 0 || e.Hour() != 0 {
					t.Errorf("trip in %s = %v..%v, want 25 Oct 00:00 .. 28 Oct 00:00 local", tc.zone, s, e)
				}
			}
		}
	}
	ev := cal.Events[2]
	if !ev.Start.Floating || ev.Start.AllDay || ev.Start.TZID != "" {
		t.Errorf("floating DTSTART = %+v, want Floating and not AllDay", ev.Start)
	}
	if ev := cal.Events[0]; !ev.Start.AllDay {
		t.Errorf("DATE DTSTART AllDay = false, want true")
	}
}

func TestFreeBusy(t *testing.T) {
	cal := parseFile(t, "exdate_override.ics")
	from, to := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)
	busy := FreeBusy(cal, from, to, time.UTC)
	want := []Interval{
		{time.Date(2024, 6, 3, 6, 0, 0, 0, time.UTC), time.Date(2024, 6, 3, 6, 15, 0, 0, time.UTC)},
		{time.Date(2024, 6, 3, 12, 0, 0, 0, time.UTC), time.Date(2024, 6, 3, 13, 0, 0, 0, time.UTC)},
		{time.Date(2024, 6, 4, 6, 0, 0, 0, time.UTC), time.Date(2024, 6, 4, 6, 15, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, busy); diff != "" {
		t.Errorf("FreeBusy mismatch (-want +got):\n%s", diff)
	}
	// Transparent all-day events are not busy.
	if got := FreeBusy(parseFile(t, "allday_floating.ics"), time.Date(2024, 7, 4, 0, 0, 0, 0, time.UTC), time.Date(2024, 7, 5, 0, 0, 0, 0, time.UTC), time.UTC); len(got) != 0 {
		t.Errorf("FreeBusy over a TRANSPARENT holiday = %v, want none", got)
	}
	// Free time on Monday 3 June, 08:00-18:00 UTC, at least 30 minutes.
	free := Free(busy, from, to, WorkHours{Days: []time.Weekday{time.Monday}, Start: 8 * time.Hour, End: 18 * time.Hour, Loc: time.UTC}, 30*time.Minute)
	wantFree := []Interval{
		{time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC), time.Date(2024, 6, 3, 12, 0, 0, 0, time.UTC)},
		{time.Date(2024, 6, 3, 13, 0, 0, 0, time.UTC), time.Date(2024, 6, 3, 18, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(wantFree, free); diff != "" {
		t.Errorf("Free mismatch (-want +got):\n%s", diff)
	}
}

func TestFreeBusyMergesAndSkipsCancelled(t *testing.T) {
	src := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240101T103000Z\r\nDTEND:20240101T120000Z\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:c\r\nSTATUS:CANCELLED\r\nDTSTART:20240101T130000Z\r\nDTEND:20240101T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	cal, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	got := FreeBusy(cal, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), time.UTC)
	want := []Interval{{time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FreeBusy mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadZone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Europe/Berlin", "Europe/Berlin"},
		{"W. Europe Standard Time", "Europe/Berlin"},
		{"Eastern Standard Time", "America/New_York"},
		{"tokyo standard time", "Asia/Tokyo"},
		{"/mozilla.org/20050126_1/America/Chicago", "America/Chicago"},
		{"/freeassociation.sourceforge.net/Tzfile/Europe/London", "Europe/London"},
	}
	for _, tt := range tests {
		loc, err := LoadZone(tt.in)
		if err != nil || loc.String() != tt.want {
			t.Errorf("LoadZone(%q) = %v, %v, want %s", tt.in, loc, err, tt.want)
		}
	}
	for _, bad := range []string{"", "Local", "../../etc/passwd", "/etc/passwd", "Nowhere Standard Time", strings.Repeat("A", 200)} {
		if loc, err := LoadZone(bad); !errors.Is(err, ErrUnknownZone) {
			t.Errorf("LoadZone(%q) = %v, %v, want ErrUnknownZone", bad, loc, err)
		}
	}
	if n := len(windowsZones); n < 135 {
		t.Errorf("windowsZones has %d entries, want the ~140 of CLDR", n)
	}
	for win, iana := range windowsZones {
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("windowsZones[%q] = %q does not load: %v", win, iana, err)
		}
	}
}

func TestVTimezoneMatchesIANA(t *testing.T) {
	// The Berlin VTIMEZONE of the fixture, built into a location, must
	// agree with the IANA zone on every hour boundary of 2024 and 2030.
	cal := parseFile(t, "dst_berlin.ics")
	got, err := LocationFromVTimezone(cal.Timezones[0])
	if err != nil {
		t.Fatal(err)
	}
	want := mustLoc(t, "Europe/Berlin")
	for _, year := range []int{2024, 2030} {
		for tm := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() == year; tm = tm.Add(time.Hour) {
			_, og := tm.In(got).Zone()
			_, ow := tm.In(want).Zone()
			if og != ow {
				t.Fatalf("offset at %v = %d, want %d", tm, og, ow)
			}
		}
	}
	// Wall-clock construction in the generated zone follows its rules.
	if got := time.Date(2024, 7, 1, 9, 0, 0, 0, got).UTC().Hour(); got != 7 {
		t.Errorf("09:00 on 1 July in the VTIMEZONE zone = %02d:00Z, want 07:00Z", got)
	}
}

func TestUnknownZoneIsFloatingWithProblem(t *testing.T) {
	cal := parseFile(t, "invented_zone.ics")
	ev := cal.Events[1]
	if !ev.Start.Floating || ev.Start.TZID != "Nowhere Without Definition" {
		t.Errorf("DTSTART with unresolvable TZID = %+v, want floating with the TZID kept", ev.Start)
	}
	found := false
	for _, p := range cal.Problems {
		if p.Prop == "DTSTART" && strings.Contains(p.Msg, "unknown time zone") && p.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("Problems = %v, want an unknown time zone problem on DTSTART with its line", cal.Problems)
	}
}

// cmpCal compares the modelled parts of two calendars.
var cmpCal = []cmp.Option{
	cmpopts.IgnoreFields(Event{}, "Raw"),
	cmpopts.IgnoreFields(Todo{}, "Raw"),
	cmpopts.IgnoreFields(Alarm{}, "Raw"),
	cmpopts.IgnoreUnexported(Event{}, Todo{}, Rule{}, Calendar{}),
	cmpopts.IgnoreFields(Property{}, "Line"),
	cmpopts.IgnoreFields(Component{}, "Line"),
	cmpopts.IgnoreFields(Calendar{}, "Problems", "ProblemsDropped"),
	cmpopts.EquateEmpty(),
}

func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*.ics")
	if err != nil || len(files) < 8 {
		t.Fatalf("fixtures: %v, %d files", err, len(files))
	}
	for _, f := range files {
		cal := parseFile(t, filepath.Base(f))
		var buf bytes.Buffer
		if err := cal.Encode(&buf); err != nil {
			t.Fatalf("Encode(%s): %v", f, err)
		}
		again, err := Parse(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("Parse(Encode(%s)): %v", f, err)
		}
		if diff := cmp.Diff(cal, again, cmpCal...); diff != "" {
			t.Errorf("%s: Parse(Encode(Parse)) differs (-first +second):\n%s", f, diff)
		}
		// Unknown properties survive.
		for _, s := range []string{"X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-WR-ALARMUID:alarm-1", "X-APPLE-SORT-ORDER:12", "X-NUM-GUESTS=0", "X-WR-CALNAME:Chores"} {
			orig, _ := os.ReadFile(f)
			if bytes.Contains(orig, []byte(s)) && !bytes.Contains(buf.Bytes(), []byte(s)) {
				t.Errorf("%s: %q lost in Encode", f, s)
			}
		}
		for _, line := range strings.Split(buf.String(), "\r\n") {
			if len(line) > 75 {
				t.Errorf("%s: encoded line of %d octets, want <= 75", f, len(line))
			}
		}
	}
}

func TestTodoFieldsAndAlarms(t *testing.T) {
	cal := parseFile(t, "todo.ics")
	if len(cal.Todos) != 2 {
		t.Fatalf("got %d todos, want 2", len(cal.Todos))
	}
	td := cal.Todos[0]
	berlin := mustLoc(t, "Europe/Berlin")
	checks := []struct {
		name      string
		got, want any
	}{
		{"Summary", td.Summary, "File taxes"},
		{"Description", td.Description, "Forms A; B and C"},
		{"Status", td.Status, "IN-PROCESS"},
		{"Priority", td.Priority, 1},
		{"PercentComplete", td.PercentComplete, 40},
		{"Categories", td.Categories, []string{"admin", "money"}},
		{"RelatedTo", td.RelatedTo, []string{"parent@pam.test"}},
		{"Start.AllDay", td.Start.AllDay, true},
		{"Due", td.Due.Time.Equal(time.Date(2024, 5, 31, 23, 59, 0, 0, berlin)), true},
		{"Alarm", td.Alarms[0].Trigger + " " + td.Alarms[0].TriggerRel + " " + td.Alarms[0].Action, "-P1D END AUDIO"},
		{"Completed", cal.Todos[1].Completed.Time, time.Date(2024, 1, 2, 10, 15, 0, 0, time.UTC)},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("todo %s mismatch (-want +got):\n%s", c.name, diff)
		}
	}
	// Edit and re-encode: edited fields change, the rest stays.
	td.Status = "COMPLETED"
	td.PercentComplete = 100
	td.Completed = DateTime{Time: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	if err := cal.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"STATUS:COMPLETED", "PERCENT-COMPLETE:100", "COMPLETED:20240501T120000Z", "X-APPLE-SORT-ORDER:12", "TRIGGER;RELATED=END:-P1D", "DUE;TZID=Europe/Berlin:20240531T235900"} {
		if !strings.Contains(out, s) {
			t.Errorf("edited encode lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "STATUS:IN-PROCESS") {
		t.Errorf("edited encode still has the old STATUS")
	}
}

func TestInviteAndReply(t *testing.T) {
	data, err := os.ReadFile("testdata/invite_request.ics")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := ParseInvite(data)
	if err != nil {
		t.Fatal(err)
	}
	ev := inv.Event
	if inv.Method != "REQUEST" || ev.UID != "invite-42@example.com" || ev.Sequence != 2 || ev.Summary != "Budget review, Q4" {
		t.Errorf("ParseInvite = %s %q seq %d %q, want REQUEST invite-42@example.com 2 \"Budget review, Q4\"", inv.Method, ev.UID, ev.Sequence, ev.Summary)
	}
	if len(ev.Attendees) != 3 || ev.Attendees[1].Name != "Bob, Jr." || !ev.Attendees[1].RSVP || ev.Attendees[1].PartStat != "NEEDS-ACTION" || ev.Attendees[2].CUType != "ROOM" {
		t.Errorf("attendees = %+v", ev.Attendees)
	}
	if ev.Organizer == nil || ev.Organizer.Email != "alice@example.com" {
		t.Errorf("organizer = %+v, want alice@example.com", ev.Organizer)
	}
	if len(ev.Alarms) != 1 || ev.Alarms[0].Trigger != "-PT15M" {
		t.Errorf("alarms = %+v, want one -PT15M", ev.Alarms)
	}
	now := time.Date(2024, 9, 2, 8, 0, 0, 0, time.UTC)
	out, err := Reply(inv, "BOB@example.org", "accepted", now)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ParseInvite(out)
	if err != nil {
		t.Fatalf("ParseInvite(Reply): %v\n%s", err, out)
	}
	r := rep.Event
	if rep.Method != "REPLY" || r.UID != ev.UID || r.Sequence != 2 || !r.Stamp.Equal(now) || !r.Start.Time.Equal(ev.Start.Time) {
		t.Errorf("reply = %s %q seq %d stamp %v start %v", rep.Method, r.UID, r.Sequence, r.Stamp, r.Start.Time)
	}
	if r.Organizer == nil || r.Organizer.Email != "alice@example.com" {
		t.Errorf("reply organizer = %+v", r.Organizer)
	}
	if len(r.Attendees) != 1 || r.Attendees[0].Email != "bob@example.org" || r.Attendees[0].PartStat != "ACCEPTED" || r.Attendees[0].RSVP {
		t.Errorf("reply attendees = %+v, want only bob ACCEPTED without RSVP", r.Attendees)
	}
	if len(rep.Calendar.Timezones) != 1 {
		t.Errorf("reply carries %d VTIMEZONE, want the one DTSTART uses", len(rep.Calendar.Timezones))
	}
	if _, err := Reply(inv, "mallory@example.net", "ACCEPTED", now); !errors.Is(err, ErrNotInvited) {
		t.Errorf("Reply(non-attendee) error = %v, want ErrNotInvited", err)
	}
	if _, err := Reply(inv, "bob@example.org", "MAYBE", now); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("Reply(MAYBE) error = %v, want pam.ErrInvalid", err)
	}
	if _, err := Reply(rep, "bob@example.org", "DECLINED", now); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("Reply to a REPLY error = %v, want pam.ErrInvalid", err)
	}
	cancel := bytes.Replace(data, []byte("METHOD:REQUEST"), []byte("METHOD:CANCEL"), 1)
	if inv, err := ParseInvite(cancel); err != nil || inv.Method != "CANCEL" {
		t.Errorf("ParseInvite(CANCEL) = %v, %v", inv, err)
	}
	noMethod := bytes.Replace(data, []byte("METHOD:REQUEST\n"), nil, 1)
	if _, err := ParseInvite(noMethod); !errors.Is(err, ErrNoMethod) {
		t.Errorf("ParseInvite(no METHOD) error = %v, want ErrNoMethod", err)
	}
}

func TestLenientParse(t *testing.T) {
	src := "BEGIN:VCALENDAR\nVERSION:2.0\nthis line has no colon\nBEGIN:VEVENT\nUID:x\nDTSTART:2024BAD\n" +
		"DTSTART:20240101T100000Z\nSUMMARY;X=\"unterminated:oops\nRRULE:FREQ=SOMETIMES\nEND:VTODO\nSUMMARY:kept\nEND:VEVENT\n"
	cal, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events) != 1 || cal.Events[0].Summary != "kept" || cal.Events[0].Start.IsZero() {
		t.Fatalf("events = %+v, want one with SUMMARY kept and a DTSTART", cal.Events)
	}
	var got []string
	for _, p := range cal.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"line 3: THIS: missing ':' before value; line skipped",
		`line 6: DTSTART: bad date-time "2024BAD"; value ignored`,
		"line 8: SUMMARY: parameter X: unterminated quoted value; line skipped",
		`line 9: RRULE: FREQ: unknown FREQ "SOMETIMES"; value ignored`,
		"line 10: END: END:VTODO does not match open VEVENT; line skipped",
		"VCALENDAR: component opened at line 1 not closed before end of input",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Problems mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "hello", "BEGIN:VCARD\nEND:VCARD\n"} {
		if _, err := Parse(strings.NewReader(bad)); !errors.Is(err, ErrNoCalendar) {
			t.Errorf("Parse(%q) error = %v, want ErrNoCalendar", bad, err)
		}
	}
}

func TestLimits(t *testing.T) {
	lim := DefaultLimits
	lim.MaxInputBytes = 100
	if _, err := ParseLimits(strings.NewReader(strings.Repeat("X", 101)), lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ParseLimits(101 bytes, max 100) error = %v, want ErrTooLarge", err)
	}
	lim = DefaultLimits
	lim.MaxComponents = 3
	src := "BEGIN:VCALENDAR\n" + strings.Repeat("BEGIN:VEVENT\nEND:VEVENT\n", 5) + "END:VCALENDAR\n"
	if _, err := ParseLimits(strings.NewReader(src), lim); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("ParseLimits(6 components, max 3) error = %v, want ErrTooLarge at line 6 (the 4th BEGIN)", err)
	}
	lim = DefaultLimits
	lim.MaxLineBytes = 20
	cal, err := ParseLimits(strings.NewReader("BEGIN:VCALENDAR\nX-LONG:"+strings.Repeat("y", 30)+"\nX-SHORT:ok\nEND:VCALENDAR\n"), lim)
	if err != nil || len(cal.Props) != 1 || len(cal.Problems) != 1 {
		t.Errorf("long line: cal %+v err %v, want the short property kept and one problem", cal, err)
	}
	// Deep nesting is skipped, not fatal.
	deep := "BEGIN:VCALENDAR\n" + strings.Repeat("BEGIN:X\n", 100) + "END:VCALENDAR\n"
	if _, err := Parse(strings.NewReader(deep)); err != nil {
		t.Errorf("Parse(deep nesting) error = %v, want problems only", err)
	}
}

func TestHostileRulesAreBounded(t *testing.T) {
	rules := []string{
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", // never matches
		"FREQ=SECONDLY",                       // 63M instances in two years
		"FREQ=MINUTELY;BYHOUR=0;BYMONTH=13",   // invalid month: rule dropped
		"FREQ=YEARLY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=" + seq(60) + ";BYSECOND=" + seq(60),
		"FREQ=DAILY;INTERVAL=1000000",
		"FREQ=MONTHLY;BYDAY=5FR;BYSETPOS=-1;BYMONTHDAY=31;BYMONTH=2",
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\n")
	for i, r := range rules {
		b.WriteString("BEGIN:VEVENT\nUID:h" + string(rune('a'+i)) + "\nDTSTART:20000101T000000Z\nRRULE:" + r + "\nEND:VEVENT\n")
	}
	b.WriteString("END:VCALENDAR\n")
	cal, err := Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	occ, truncated := cal.Expand(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC, 0)
	if !truncated || len(occ) > MaxOccurrences {
		t.Errorf("hostile rules: %d occurrences, truncated %v; want at most %d and truncated", len(occ), truncated, MaxOccurrences)
	}
}

func seq(n int) string {
	var parts []string
	for i := 0; i < n; i++ {
		parts = append(parts, strings.TrimSpace(time.Duration(i).String()[:len(time.Duration(i).String())-2]))
	}
	return strings.Join(parts, ",")
}

package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

const eventICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:%UID%\r\nDTSTAMP:20250101T000000Z\r\n" +
	"DTSTART:%START%\r\nDTEND:%END%\r\nSUMMARY:%SUMMARY%\r\n%EXTRA%BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func ics(uid, start, end, summary, extra string) []byte {
	return []byte(strings.NewReplacer("%UID%", uid, "%START%", start, "%END%", end, "%SUMMARY%", summary, "%EXTRA%", extra).Replace(eventICS))
}

func TestCalObjectsPutQueryDelete(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	cal, err := s.LocalCalendar(ctx, "home")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.LocalCalendar(ctx, "home")
	if err != nil || again != cal {
		t.Fatalf("LocalCalendar(home) again = %d, %v; want %d", again, err, cal)
	}
	put := func(o CalObject) int64 {
		t.Helper()
		id, err := s.PutCalObject(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	put(CalObject{Calendar: cal, UID: "a", Raw: ics("a", "20250310T090000Z", "20250310T100000Z", "One-off", "")})
	put(CalObject{Calendar: cal, UID: "b", Raw: ics("b", "20240101T090000Z", "20240101T093000Z", "Weekly", "RRULE:FREQ=WEEKLY\r\n")})
	put(CalObject{Calendar: cal, UID: "c", Raw: ics("c", "20200101T090000Z", "20200101T093000Z", "Old", "")})

	got, err := s.CalObjectsBetween(ctx, time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var uids []string
	for _, o := range got {
		uids = append(uids, o.UID)
	}
	if strings.Join(uids, ",") != "a,b" {
		t.Errorf("CalObjectsBetween(week of 10 March) = %v, want [a b] (the recurring one is always a candidate)", uids)
	}

	// Replacing keeps the id, bumps the version, re-indexes.
	o, err := s.CalObjectByUID(ctx, cal, "a")
	if err != nil {
		t.Fatal(err)
	}
	id := put(CalObject{Calendar: cal, UID: "a", Raw: ics("a", "20300101T090000Z", "20300101T100000Z", "Moved", ""), Dirty: true})
	o2, _ := s.CalObjectByUID(ctx, cal, "a")
	if id != o.ID || o2.Version != o.Version+1 || !o2.Dirty || !strings.Contains(string(o2.Raw), "VALARM") {
		t.Errorf("after replace: id %d (was %d), version %d (was %d), dirty %v; raw keeps VALARM: %v", id, o.ID, o2.Version, o.Version, o2.Dirty, strings.Contains(string(o2.Raw), "VALARM"))
	}
	got, _ = s.CalObjectsBetween(ctx, time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC))
	if len(got) != 1 || got[0].UID != "b" {
		t.Errorf("after moving a to 2030, CalObjectsBetween = %d objects, want only b", len(got))
	}

	// Version guard: an edit after the push started keeps the object dirty.
	clean, err := s.MarkCalObjectSynced(ctx, o2.ID, o2.Version-1, "http://x/a.ics", `"e1"`, nil)
	if err != nil || clean {
		t.Errorf("MarkCalObjectSynced(stale version) = %v, %v; want false, nil", clean, err)
	}
	serverRaw := ics("a", "20300101T090000Z", "20300101T100000Z", "As the server wrote it", "")
	clean, err = s.MarkCalObjectSynced(ctx, o2.ID, o2.Version, "http://x/a.ics", `"e1"`, serverRaw)
	if err != nil || !clean {
		t.Errorf("MarkCalObjectSynced(current version) = %v, %v; want true, nil", clean, err)
	}
	if o4, _ := s.CalObjectByUID(ctx, cal, "a"); string(o4.Raw) != string(serverRaw) || o4.Dirty || o4.ETag != `"e1"` {
		t.Errorf("after MarkCalObjectSynced: raw is the server's %v, dirty %v, etag %s", string(o4.Raw) == string(serverRaw), o4.Dirty, o4.ETag)
	}
	// An object on the server becomes a tombstone; a local-only one goes.
	if err := s.DeleteCalObjectLocally(ctx, cal, "a"); err != nil {
		t.Fatal(err)
	}
	o3, err := s.CalObjectByUID(ctx, cal, "a")
	if err != nil || !o3.Deleted || !o3.Dirty {
		t.Errorf("after local delete of a synced object: deleted %v dirty %v, %v; want a dirty tombstone", o3.Deleted, o3.Dirty, err)
	}
	if err := s.DeleteCalObjectLocally(ctx, cal, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CalObjectByUID(ctx, cal, "c"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("CalObjectByUID(c) after delete: %v, want ErrNotFound", err)
	}
	if err := s.DeleteCalObjectLocally(ctx, cal, "zzz"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("DeleteCalObjectLocally(missing) = %v, want ErrNotFound", err)
	}
	if _, err := s.PutCalObject(ctx, CalObject{Calendar: cal, UID: "d", Raw: []byte("not a calendar")}); err == nil {
		t.Errorf("PutCalObject(garbage) succeeded")
	}
	c, err := s.CountCalendar(ctx, cal)
	if err != nil || c.Events != 1 || c.Dirty != 1 {
		t.Errorf("CountCalendar = %+v, %v; want 1 live event (b) and 1 dirty (a's tombstone)", c, err)
	}
}

func TestLinkInvites(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	part := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:inv-1@example.org\r\nSEQUENCE:2\r\n" +
		"DTSTAMP:20250101T000000Z\r\nDTSTART:20250310T140000Z\r\nDTEND:20250310T150000Z\r\nSUMMARY:Review\r\n" +
		"ORGANIZER:mailto:jo@example.org\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alex@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	raw := "Message-ID: <inv@example.org>\nFrom: jo@example.org\nTo: alex@example.org\nSubject: Invitation\nDate: Mon, 3 Mar 2025 10:00:00 +0000\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nCome.\n--b\n" +
		"Content-Type: text/calendar; method=REQUEST; charset=UTF-8\n\n" + part + "\n--b--\n"
	plain := msg("p@example.org", "jo@example.org", "Hello", "Mon, 3 Mar 2025 11:00:00 +0000", "no calendar here")
	res, err := s.WriteBatch(ctx, []Incoming{incoming(t, "t:1", "", 0, raw), incoming(t, "t:2", "", 0, plain)})
	if err != nil || len(res.New) != 2 {
		t.Fatalf("WriteBatch = %+v, %v", res, err)
	}
	for range 2 { // idempotent
		if err := s.LinkInvites(ctx, res.New); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Invites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("Invites = %d, want 1", len(all))
	}
	iv := all[0]
	if iv.Method != "REQUEST" || iv.UID != "inv-1@example.org" || iv.Sequence != 2 || iv.Summary != "Review" ||
		!iv.Start.Equal(time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC)) || iv.Message != res.New[0] {
		t.Errorf("invite = %+v", iv)
	}
	byUID, err := s.InvitesByUID(ctx, "inv-1@example.org")
	if err != nil || len(byUID) != 1 {
		t.Errorf("InvitesByUID = %d, %v; want 1", len(byUID), err)
	}
}

package caldav

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/calendar"
)

// FuzzConflictCopy: for any input that parses, the copy parses, keeps the
// number of events and to-dos, gives all of them the one new UID and
// prefixes every summary with "Conflict: ".
func FuzzConflictCopy(f *testing.F) {
	f.Add(event("a@example.org", "A"))
	f.Add(todo("t@example.org", "T", "NEEDS-ACTION"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250101T000000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\r\nRECURRENCE-ID:20250102T000000Z\r\nDTSTART:20250102T100000Z\r\nSUMMARY:moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VEVENT\nSUMMARY:no uid\\, no calendar\nEND:VEVENT\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		orig, err := calendar.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		cp, err := ConflictCopy(data)
		if err != nil {
			t.Fatalf("ConflictCopy failed on input that parses: %v", err)
		}
		got, err := calendar.Parse(bytes.NewReader(cp.Data))
		if err != nil {
			t.Fatalf("conflict copy does not parse: %v", err)
		}
		if len(got.Events) != len(orig.Events) || len(got.Todos) != len(orig.Todos) {
			t.Fatalf("copy has %d events %d to-dos, original %d %d", len(got.Events), len(got.Todos), len(orig.Events), len(orig.Todos))
		}
		for i, ev := range got.Events {
			if ev.UID != cp.UID || ev.Summary != "Conflict: "+orig.Events[i].Summary {
				t.Fatalf("event %d: uid %q summary %q; want %q and %q", i, ev.UID, ev.Summary, cp.UID, "Conflict: "+orig.Events[i].Summary)
			}
		}
		for i, td := range got.Todos {
			if td.UID != cp.UID || td.Summary != "Conflict: "+orig.Todos[i].Summary {
				t.Fatalf("to-do %d: uid %q summary %q", i, td.UID, td.Summary)
			}
		}
		if !strings.HasPrefix(cp.UID, "conflict-") {
			t.Fatalf("copy UID %q", cp.UID)
		}
	})
}

// FuzzMultistatus: server XML never panics the response handling, and
// every href resolves to a URL on the server or is dropped.
func FuzzMultistatus(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/u/c/a.ics</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>BEGIN:VCALENDAR&#13;
END:VCALENDAR</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:response><d:href>/u/c/b.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response><d:sync-token>t1</d:sync-token></d:multistatus>`))
	f.Add([]byte(`<multistatus xmlns="DAV:"><response><href>http://evil.example/x</href><propstat><prop><resourcetype><collection/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>`))
	c, err := NewClient("http://127.0.0.1:1/dav/", "u", "p", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ms multistatus
		if xml.Unmarshal(data, &ms) != nil {
			return
		}
		for _, r := range ms.Responses {
			p, _ := r.ok200()
			h := c.resolve(c.endpoint, r.href())
			_ = collectionFrom(h, p)
			_ = crlf(p.CalendarData)
			statusIs(r.Status, "404")
		}
	})
}

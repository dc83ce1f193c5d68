package calendar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ics")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"W. Europe Standard Time\":20240101T090000\r\nRRULE:FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=-1\r\nEXDATE;VALUE=DATE:20240126\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\nX-A;P=\"a,b\";Q=^^^n^':v\\,w\n  folded\nBEGIN:VTODO\nDUE:20241301\nEND:VCALENDAR\n",
		"BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=SECONDLY\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nDTSTART;TZID=Z:20240101T000000\nRRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU\nEND:VEVENT\nEND:VCALENDAR\n",
	} {
		f.Add([]byte(s))
	}
	lim := DefaultLimits
	lim.MaxInputBytes = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, err := parseBytes(data, lim)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := cal.Encode(&first); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		again, err := parseBytes(first.Bytes(), lim)
		if err != nil {
			t.Fatalf("Parse(Encode(Parse(x))): %v\n%q", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := again.Encode(&second); err != nil {
			t.Fatalf("Encode again: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("Encode(Parse(Encode(Parse(x)))) differs from Encode(Parse(x)):\n%q\n%q", first.Bytes(), second.Bytes())
		}
		if len(again.Events)+len(again.Todos) != len(cal.Events)+len(cal.Todos) {
			t.Fatalf("round trip changed the number of events and todos: %d+%d, then %d+%d", len(cal.Events), len(cal.Todos), len(again.Events), len(again.Todos))
		}
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		occ, _ := cal.Expand(from, from.AddDate(2, 0, 0), time.UTC, 1000)
		if len(occ) > 1000 {
			t.Fatalf("Expand returned %d occurrences, cap 1000", len(occ))
		}
	})
}

package mbox

import (
	"bytes"
	"testing"
	"time"
)

// What Writer writes, Split and Unescape give back byte for byte (for
// messages that end with a newline).
func TestWriterSplitRoundTrip(t *testing.T) {
	msgs := [][]byte{
		[]byte("From: a@example.org\nSubject: one\n\nFrom the start of a line\n>From quoted once\n>>From twice\n\nFrom here too\n"),
		[]byte("From: b@example.org\r\nSubject: two\r\n\r\nCRLF body\r\n"),
		[]byte("Subject: three\n\n\n\nblank lines before and after\n\n"),
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for i, m := range msgs {
		if err := w.Write("sender@example.org", time.Date(2026, 3, i+1, 10, 0, 0, 0, time.UTC), m); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	spans, err := Split(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != len(msgs) {
		t.Fatalf("Split found %d messages, want %d:\n%s", len(spans), len(msgs), buf.String())
	}
	for i, s := range spans {
		got := Unescape(buf.Bytes()[s.Offset : s.Offset+s.Length])
		if !bytes.Equal(got, msgs[i]) {
			t.Errorf("message %d back as %q, want %q", i, got, msgs[i])
		}
	}
}

// FuzzWriterRoundTrip: any message ending with a newline comes back from
// an mbox with another message around it byte for byte.
func FuzzWriterRoundTrip(f *testing.F) {
	f.Add([]byte("Subject: x\n\nFrom y\n"))
	f.Add([]byte("\n\nFrom \n>From \n"))
	f.Fuzz(func(t *testing.T, m []byte) {
		if len(m) == 0 || m[len(m)-1] != '\n' {
			m = append(m, '\n')
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.Write("a@example.org", time.Time{}, []byte("Subject: before\n\nfirst\n"))
		w.Write("b@example.org", time.Time{}, m)
		w.Write("c@example.org", time.Time{}, []byte("Subject: after\n\nlast\n"))
		w.Flush()
		spans, err := Split(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(spans) != 3 {
			t.Fatalf("Split found %d messages, want 3, for %q", len(spans), m)
		}
		if got := Unescape(buf.Bytes()[spans[1].Offset : spans[1].Offset+spans[1].Length]); !bytes.Equal(got, m) {
			t.Fatalf("message %q came back as %q", m, got)
		}
	})
}

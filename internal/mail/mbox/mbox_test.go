package mbox

import (
	"strconv"
	"strings"
	"testing"
)

func bodies(t *testing.T, data string) []string {
	t.Helper()
	spans, err := Split([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range spans {
		out = append(out, string(Unescape([]byte(data[s.Offset:s.Offset+s.Length]))))
	}
	return out
}

func TestSplitMboxrd(t *testing.T) {
	data := "From a@example.org Mon Jan  1 00:00:00 2001\nSubject: one\n\nhello\n>From the start\n>>From twice\nFrom-ish\n\n" +
		"From b@example.org Mon Jan  1 00:00:01 2001\nSubject: two\n\nbye\n"
	got := bodies(t, data)
	want := []string{"Subject: one\n\nhello\nFrom the start\n>From twice\nFrom-ish\n", "Subject: two\n\nbye\n"}
	if len(got) != len(want) {
		t.Fatalf("got %d messages %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("message %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSplitCRLF(t *testing.T) {
	data := "From a Mon Jan  1 00:00:00 2001\r\nSubject: one\r\n\r\nx\r\n\r\nFrom b Mon Jan  1 00:00:00 2001\r\nSubject: two\r\n\r\ny\r\n"
	got := bodies(t, data)
	if len(got) != 2 || !strings.HasPrefix(got[1], "Subject: two") || !strings.HasSuffix(got[0], "x\r\n") {
		t.Fatalf("got %q", got)
	}
}

func TestSplitMboxcl2(t *testing.T) {
	// An unescaped "From " line inside the body, covered by Content-Length.
	body := "line\n\nFrom inside the body\nend\n"
	data := "From a Mon Jan  1 00:00:00 2001\nSubject: cl\nContent-Length: " + itoa(len(body)) + "\n\n" + body +
		"\nFrom b Mon Jan  1 00:00:00 2001\nSubject: next\n\nz\n"
	got := bodies(t, data)
	if len(got) != 2 {
		t.Fatalf("got %d messages: %q", len(got), got)
	}
	if !strings.Contains(got[0], "From inside the body") || !strings.HasPrefix(got[1], "Subject: next") {
		t.Errorf("got %q", got)
	}
	// A wrong Content-Length falls back to separators.
	bad := strings.Replace(data, "Content-Length: "+itoa(len(body)), "Content-Length: 3", 1)
	if got := bodies(t, bad); len(got) != 3 {
		t.Errorf("wrong Content-Length: got %d messages, want 3 (split at the unescaped From line)", len(got))
	}
}

func TestSplitNotMbox(t *testing.T) {
	if _, err := Split([]byte("Subject: x\n\n")); err == nil {
		t.Error("Split(non-mbox) = nil error")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func FuzzSplit(f *testing.F) {
	f.Add([]byte("From x\nA: b\n\nc\n\nFrom y\nContent-Length: 2\n\nzz"))
	f.Add([]byte("From \n\n\n>From \nFrom "))
	f.Fuzz(func(t *testing.T, data []byte) {
		spans, err := Split(data)
		if err != nil {
			return
		}
		var last int64
		for _, s := range spans {
			if s.Offset < last || s.Length < 0 || s.Offset+s.Length > int64(len(data)) {
				t.Fatalf("bad span %+v (last end %d, len %d)", s, last, len(data))
			}
			last = s.Offset + s.Length
			_ = Unescape(data[s.Offset : s.Offset+s.Length])
		}
	})
}

package mail

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/pam-ai/pam/internal/testdata"
)

func mustParse(t *testing.T, raw string) *pamMessage {
	t.Helper()
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func TestParseCharsetsAndEncodings(t *testing.T) {
	latin1, _ := charmap.ISO8859_1.NewEncoder().String("Grüße aus Köln")
	koi8, _ := charmap.KOI8R.NewEncoder().String("Привет, мир")
	cp1252, _ := charmap.Windows1252.NewEncoder().String("“quoted” – dash €")
	jis, _ := japanese.ISO2022JP.NewEncoder().String("こんにちは世界")
	tests := []struct {
		name, raw, wantText, wantSubject string
	}{
		{"latin1", "From: a@example.org\nSubject: =?ISO-8859-1?Q?Gr=FC=DFe?=\nContent-Type: text/plain; charset=iso-8859-1\n\n" + latin1, "Grüße aus Köln", "Grüße"},
		{"koi8r", "From: a@example.org\nSubject: =?koi8-r?B?8NLJ18XU?=\nContent-Type: text/plain; charset=koi8-r\n\n" + koi8, "Привет, мир", "Привет"},
		{"cp1252", "From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=windows-1252\n\n" + cp1252, "“quoted” – dash €", "x"},
		{"iso2022jp", "From: a@example.org\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nContent-Type: text/plain; charset=ISO-2022-JP\n\n" + jis, "こんにちは世界", "こんにちは"},
		{"qp", "From: a@example.org\nSubject: q\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 soft=\nbreak", "Café softbreak", "q"},
		{"base64", "From: a@example.org\nSubject: b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n", "hello world", "b"},
		{"undeclared8bit", "From: a@example.org\nSubject: u\n\n" + latin1, "Grüße aus Köln", "u"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustParse(t, tc.raw)
			if m.Text != tc.wantText {
				t.Errorf("Text = %q, want %q", m.Text, tc.wantText)
			}
			if m.Subject != tc.wantSubject {
				t.Errorf("Subject = %q, want %q", m.Subject, tc.wantSubject)
			}
		})
	}
}

func TestParseHTMLOnly(t *testing.T) {
	raw := "From: News <news@example.com>\nSubject: Weekly\nContent-Type: text/html; charset=utf-8\n\n" +
		"<html><head><style>p{color:red}</style><title>T</title></head><body><h1>Hello &amp; welcome</h1>" +
		"<p>First para<br>second line</p><ul><li>one</li><li>two</li></ul><script>alert(1)</script>" +
		"<table><tr><td>Price</td><td>$5</td></tr></table><!-- hidden --></body></html>"
	m := mustParse(t, raw)
	want := "Hello & welcome\n\nFirst para\nsecond line\n\n- one\n- two\n\nPrice $5"
	if m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
	if !m.HTML {
		t.Error("HTML = false, want true")
	}
}

func TestParseMultipartAlternativeAndAttachments(t *testing.T) {
	raw := "From: \"Bob, Jr.\" <Bob@Example.org>\nTo: alex@example.org, Carol <carol@example.net>\n" +
		"Subject: Report\nDate: Tue, 3 Mar 2026 10:00:00 +0100\nMessage-ID: <r1@example.org>\n" +
		"In-Reply-To: <r0@example.org>\nReferences: <q@example.org> <r0@example.org>\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n" +
		"--outer\nContent-Type: multipart/alternative; boundary=inner\n\n" +
		"--inner\nContent-Type: text/plain\n\nplain body\n--inner\nContent-Type: text/html\n\n<p>html body</p>\n--inner--\n" +
		"--outer\nContent-Type: application/pdf; name=\"q3.pdf\"\nContent-Disposition: attachment; filename=\"q3.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n" +
		"--outer\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\n--outer--\n"
	m := mustParse(t, raw)
	if m.Text != "plain body" {
		t.Errorf("Text = %q", m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "q3.pdf" || m.Attachments[0].Size != 9 {
		t.Errorf("Attachments = %+v", m.Attachments)
	}
	if len(m.Calendar) != 1 {
		t.Errorf("Calendar parts = %d, want 1", len(m.Calendar))
	}
	if len(m.From) != 1 || m.From[0].Email != "bob@example.org" || m.From[0].Name != "Bob, Jr." {
		t.Errorf("From = %+v", m.From)
	}
	if len(m.To) != 2 {
		t.Errorf("To = %+v", m.To)
	}
	if m.MessageID != "r1@example.org" || m.InReplyTo != "r0@example.org" || len(m.References) != 2 {
		t.Errorf("ids = %q %q %v", m.MessageID, m.InReplyTo, m.References)
	}
	if want := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date = %v, want %v", m.Date, want)
	}
}

func TestParseDateBroken(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 UTC, "" = unparseable
	}{
		{"Tue, 3 Mar 2026 10:00:00 +0100", "2026-03-03T09:00:00Z"},
		{"Tue, 3 Mar 2026 10:00:00 +0100 (CET)", "2026-03-03T09:00:00Z"},
		{"3 Mar 2026 10:00:00 EST", "2026-03-03T15:00:00Z"},
		{"Tue,  3 Mar 26 10:00:00 -0000", "2026-03-03T10:00:00Z"},
		{"Wed, 10 Jul 2002 09:16:12 +5:30", "2002-07-10T03:46:12Z"},
		{"Thu Jul 11 2002 10:00", ""},
		{"Mon Jul 15 09:50:38 2002", "2002-07-15T09:50:38Z"},
		{"Fri, 31 Feb 2003 10:00:00 +0000", ""},
		{"tomorrow", ""},
		{"Sun, 7 Oct 2001 22:50 -0700", "2001-10-08T05:50:00Z"},
		{"Xyz, 7 Oct 2001 22:50:01 +0000", "2001-10-07T22:50:01Z"},
		{"2001-10-07 22:50:01", "2001-10-07T22:50:01Z"},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		gs := ""
		if ok {
			gs = got.Format(time.RFC3339)
		}
		if gs != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, gs, tc.want)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, raw   string
		wantText    string
		wantProblem string
	}{
		{"missing closing boundary", "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nstill here\n", "still here", ""},
		{"unknown charset", "From: a@example.org\nContent-Type: text/plain; charset=x-klingon\n\nqapla", "qapla", "unknown charset"},
		{"bad header line", "From: a@example.org\nthis is not a header\nSubject: s\n\nbody", "body", ""},
		{"garbage date", "From: a@example.org\nDate: the day after\n\nbody", "body", "unparseable Date"},
		{"no boundary param", "From: a@example.org\nContent-Type: multipart/mixed\n\nbody text", "body text", "without boundary"},
		{"bad address", "From: <<<@@@>>> nobody\nSubject: s\n\nbody", "body", "malformed From"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustParse(t, tc.raw)
			if !strings.Contains(m.Text, tc.wantText) {
				t.Errorf("Text = %q, want it to contain %q", m.Text, tc.wantText)
			}
			if tc.wantProblem != "" && !strings.Contains(strings.Join(m.Problems, "; "), tc.wantProblem) {
				t.Errorf("Problems = %q, want one containing %q", m.Problems, tc.wantProblem)
			}
		})
	}
	if _, err := Parse([]byte("just some text without any header\n")); err == nil {
		t.Error("Parse(non-message) = nil error, want ErrNotMessage")
	}
	if _, err := Parse(nil); err == nil {
		t.Error("Parse(nil) = nil error")
	}
}

func TestStableID(t *testing.T) {
	a := mustParse(t, "Message-ID: <x@example.org>\nFrom: a@example.org\nSubject: s\n\nbody one\n")
	b := mustParse(t, "Message-ID: <x@example.org>\r\nReceived: from relay\r\nFrom: a@example.org\r\nSubject: s\r\n\r\nbody one\r\n")
	c := mustParse(t, "Message-ID: <x@example.org>\nFrom: a@example.org\nSubject: s\n\nbody two\n")
	if a.ID != b.ID {
		t.Errorf("same message over CRLF with a Received header: ids %s != %s", a.ID, b.ID)
	}
	if a.ID == c.ID {
		t.Errorf("re-used Message-ID with other content: ids equal %s", a.ID)
	}
}

// TestRobustnessCorpus parses every message of the shared malformed-MIME
// corpus: no panic, bounded time, and either some text (or attachments) or
// a specific error.
func TestRobustnessCorpus(t *testing.T) {
	dir := testdata.Dir(t, "robustness/mime")
	n, withText, failed := 0, 0, 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := strings.ToLower(d.Name())
		if strings.Contains(base, "license") || strings.HasSuffix(base, ".golden") || strings.HasSuffix(base, ".png") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		done := make(chan struct{})
		var m *pamMessage
		var perr error
		go func() {
			defer close(done)
			m, perr = Parse(raw)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Parse did not return within 10s", p)
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case perr != nil:
			failed++
			if !strings.Contains(perr.Error(), "not an e-mail message") {
				t.Errorf("%s: unspecific error %v", rel, perr)
			}
		case m.Text != "" || len(m.Attachments) > 0 || len(m.Calendar) > 0:
			withText++
		default:
			if len(m.Problems) == 0 {
				t.Errorf("%s: no text, no attachments and no recorded problem", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 150 {
		t.Fatalf("parsed %d files, want the whole corpus (>= 150)", n)
	}
	t.Logf("%d files: %d with text or parts, %d rejected with an error", n, withText, failed)
	if withText < n*9/10 {
		t.Errorf("only %d of %d files yielded text", withText, n)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@example.org\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>x</p>\n--b--\n"))
	f.Add([]byte("Subject: =?utf-8?q?=E2=82=AC?=\nContent-Transfer-Encoding: base64\n\n!!!"))
	f.Add([]byte("From: \"\nDate: 99\n\n\x00\xff"))
	f.Add([]byte("Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nFrom: x\n\nhi"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		start := time.Now()
		m, err := Parse(raw)
		if time.Since(start) > 5*time.Second {
			t.Fatalf("Parse took %v on %d bytes", time.Since(start), len(raw))
		}
		if err != nil {
			return
		}
		if len(m.Text) > maxTextBytes+16 {
			t.Fatalf("Text is %d bytes, over the bound", len(m.Text))
		}
		if m.ID == "" {
			t.Fatal("empty stable id")
		}
		if !bytes.Equal([]byte(m.Text), []byte(validUTF8(m.Text))) {
			t.Fatal("Text is not valid UTF-8")
		}
	})
}

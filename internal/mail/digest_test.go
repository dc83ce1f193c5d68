package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-message/textproto"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/testdata"
)

// refDigest is digest as it was with a bufio.Scanner (commit f5b8b12).
func refDigest(m *pam.Message, body []byte) [32]byte {
	h := sha256.New()
	for _, s := range []string{m.MessageID, m.DateRaw, addrKey(m.From), m.Subject} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), MaxMessageBytes+1)
	for sc.Scan() {
		h.Write(bytes.TrimRight(sc.Bytes(), " \t\r"))
		h.Write([]byte{'\n'})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// refReadHeader is readHeader as it was, copying the body (commit f5b8b12).
func refReadHeader(raw []byte) (textproto.Header, []byte, error) {
	br := bufio.NewReader(bytes.NewReader(raw))
	hdr, err := textproto.ReadHeader(br)
	if err == nil {
		rest, _ := io.ReadAll(br)
		return hdr, rest, nil
	}
	return refLenientHeader(raw)
}

// refLenientHeader is lenientHeader as it was, concatenating continuation
// lines onto the field's string (commit f5b8b12).
func refLenientHeader(raw []byte) (textproto.Header, []byte, error) {
	var fields [][2]string
	rest := raw
	end := -1
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var line []byte
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			end = len(raw) - len(rest)
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1][1] += " " + strings.TrimSpace(string(line))
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(k) == 0 || bytes.ContainsAny(k, " \t") {
			continue
		}
		fields = append(fields, [2]string{string(k), strings.TrimSpace(string(v))})
	}
	if len(fields) == 0 {
		return textproto.Header{}, nil, fmt.Errorf("%w: no header fields", ErrNotMessage)
	}
	var h textproto.Header
	for i := len(fields) - 1; i >= 0; i-- {
		h.Add(fields[i][0], fields[i][1])
	}
	var body []byte
	if end >= 0 {
		body = raw[end:]
	}
	return h, body, nil
}

// headerFields lists h's fields in order, raw.
func headerFields(h textproto.Header) []string {
	var out []string
	for f := h.Fields(); f.Next(); {
		out = append(out, f.Key()+": "+f.Value())
	}
	return out
}

// checkDigest compares digest, readHeader and lenientHeader with the
// references on raw.
func checkDigest(t *testing.T, name string, raw []byte) {
	t.Helper()
	h, body, err := readHeader(raw)
	wh, want, werr := refReadHeader(raw)
	if (err == nil) != (werr == nil) || !bytes.Equal(body, want) {
		t.Fatalf("%s: readHeader body = %q (err %v), want %q (err %v)", name, body, err, want, werr)
	}
	if got, want := headerFields(h), headerFields(wh); !slices.Equal(got, want) {
		t.Fatalf("%s: readHeader fields = %q, want %q", name, got, want)
	}
	lh, lbody, lerr := lenientHeader(raw)
	wlh, wlbody, wlerr := refLenientHeader(raw)
	if (lerr == nil) != (wlerr == nil) || !bytes.Equal(lbody, wlbody) || !slices.Equal(headerFields(lh), headerFields(wlh)) {
		t.Fatalf("%s: lenientHeader = %q %q (err %v), want %q %q (err %v)", name, headerFields(lh), lbody, lerr, headerFields(wlh), wlbody, wlerr)
	}
	m := &pam.Message{MessageID: "<a@b>", DateRaw: "Mon", Subject: name, From: []pam.Address{{Email: "X@Y.org"}}}
	if got, want := digest(m, raw), refDigest(m, raw); got != want {
		t.Fatalf("%s: digest(raw) = %x, want %x", name, got, want)
	}
	if got, want := digest(m, body), refDigest(m, body); got != want {
		t.Fatalf("%s: digest(body) = %x, want %x", name, got, want)
	}
}

var digestCases = []string{
	"", "\n", "\n\n", "a", "a\n", "a\nb", "a \t\r\n", "a\r\r\n \n\t", "x: y\n\nbody \nline\r\nlast  ",
	"x: y\r\n\r\nb\r\n", "no header at all\nreally", " \t\r", "a\n\r", "Subject: s\n\n\n\n",
	"From mbox\nReceived: a\n b\n\tc \ngarbage\n  d\nX: \n \nY:z\n\nbody", " lead: x\nA: b\n", "A: 1\n \u00a0x\u2003\n\n",
}

// TestDigestMatchesReference compares digest and readHeader with the
// Scanner-based and copying code on written cases and on every message of
// the SpamAssassin, Enron and malformed-MIME corpora.
func TestDigestMatchesReference(t *testing.T) {
	for _, c := range digestCases {
		checkDigest(t, "case", []byte(c))
	}
	long := bytes.Repeat([]byte("0123456789 \r\n"), 20000)
	long = append(long, bytes.Repeat([]byte("x"), 200000)...)
	checkDigest(t, "long", long)
	n := 0
	for _, sub := range []string{"mail/spamassassin", "mail/enron", "robustness/mime"} {
		root := testdata.Dir(t, sub)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			checkDigest(t, p, raw)
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 1000 {
		t.Fatalf("only %d files compared", n)
	}
}

// FuzzDigest checks digest and readHeader against the references.
func FuzzDigest(f *testing.F) {
	for _, c := range digestCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkDigest(t, "fuzz", raw)
	})
}

func BenchmarkParseSpamAssassin(b *testing.B) {
	root := filepath.Join(testdata.Dir(b, "mail/spamassassin"), "easy-ham-1")
	ents, err := os.ReadDir(root)
	if err != nil {
		b.Fatal(err)
	}
	var raws [][]byte
	for _, e := range ents[:min(len(ents), 300)] {
		raw, err := os.ReadFile(filepath.Join(root, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, raw := range raws {
			Parse(raw)
		}
	}
}

package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRedact checks the two properties the gateway relies on:
// Restore(Redact(x)) == x for any input, and no detected value survives
// redaction (not as a word-bounded occurrence in the output, and Detect on
// the output finds none of them).
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"",
		"Hi Sarah, call me on +44 20 7946 0958.",
		"<PERSON_1> met <EMAIL_3> and <person_2's> at <TOKEN_9>",
		"Mail john.smith@example.com or see https://x.example/reset?token=abcdef1234567890XYZ",
		"Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789",
		"http://a.example/John Smith <PERSON_4> www.b.example/~sarah",
		"Thanks,\nJohn Smith\nAcme Corp\n221B Baker Street, London NW1 6XE",
		"Dr. Jane Doe was born on 3 March 1980; IP 10.0.0.1 and 2001:db8::1.",
		"<<PERSON_1>> <EMAIL_>, <_1>, <A_1'S>, http://x/<PHONE_12>",
		"Mr. Doe wrote to Mr. Doe's wife at doe@x.org.",
		"Johnson met John. Ann's annual report.",
		"reach me at 5551234567 or 555-1234, (555) 123-4567, ext. 89; 1999-2001",
		"Prices at SoCalGrid and Cleverfund; Hartwell Credit Ratings Agency Inc. joined Zentra42.",
		"bram shouted at samantha; here's dragomir's address; what's your name? maren toller",
		"Thanks Anna, Ola and Piotr\nQ. F. Review the Contracts",
		"anna lindqvist\ncraig, dunmore and quill\n12 oak street\n apt. 4\n utopia 12345; morley ltd. at quorbis",
		"Ship to 77 Ostrava Velk\n Suite 12\n Brantmoor\n Zorbia 45678, Ekvik 55",
		"Ask Quorbis (billing@mail.quorbis.co.uk) or www.brantlex.com; Brantlex's offices; heard of Zentify? They",
	} {
		f.Add(s, "Sarah Connor", "sarah@example.org")
	}
	f.Fuzz(func(t *testing.T, text, person, email string) {
		if !utf8.ValidString(text) {
			return
		}
		h := Hints{People: []string{person}, Emails: []string{email}}
		m := NewMap()
		red, spans := Redact(text, h, m)
		back, _ := m.Restore(red)
		if back != text {
			t.Fatalf("Restore(Redact(%q)) = %q, redacted %q", text, back, red)
		}
		values := map[string]bool{}
		for _, s := range spans {
			values[s.Value] = true
		}
		for v := range values {
			if !hasAlnum(v) {
				continue
			}
			if occursAsWord(red, v) {
				t.Fatalf("value %q survives in %q (input %q)", v, red, text)
			}
		}
		for _, s := range Detect(red, h) {
			if values[s.Value] {
				t.Fatalf("Detect(redacted) finds original value %q in %q (input %q)", s.Value, red, text)
			}
		}
	})
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

// occursAsWord reports whether v occurs in s at word boundaries on the sides
// where v begins or ends with a letter or digit.
func occursAsWord(s, v string) bool {
	for off := 0; ; {
		k := strings.Index(s[off:], v)
		if k < 0 {
			return false
		}
		st := off + k
		if boundary(s, st, true, nil) && boundary(s, st+len(v), false, nil) {
			return true
		}
		off = st + 1
	}
}

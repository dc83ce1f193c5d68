package redact

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// found returns the values Detect reports with type typ.
func found(text, typ string, h Hints) []string {
	var out []string
	for _, s := range Detect(text, h) {
		if s.Type == typ {
			out = append(out, s.Value)
		}
	}
	return out
}

func TestDetectors(t *testing.T) {
	tests := []struct {
		name, text, typ string
		want            []string // values of type typ; nil means none
	}{
		{"email", "write to Jane.Doe+pam@mail.example.co.uk today", TypeEmail, []string{"Jane.Doe+pam@mail.example.co.uk"}},
		{"email apostrophe", "cc dan.o'hara@quorbis.com.", TypeEmail, []string{"dan.o'hara@quorbis.com"}},
		{"email no tld", "user@localhost is not an address", TypeEmail, nil},
		{"email handle", "ping @sarah on chat", TypeEmail, nil},
		{"email routing suffix", "From: david.a.merrow@accenture.com@ENRON on", TypeEmail, []string{"david.a.merrow@accenture.com@ENRON"}},
		{"phone intl UK", "call +44 20 7946 0958 now", TypePhone, []string{"+44 20 7946 0958"}},
		{"phone intl DE", "Tel. +49 30 123456 78", TypePhone, []string{"+49 30 123456 78"}},
		{"phone paren", "office (555) 123-4567", TypePhone, []string{"(555) 123-4567"}},
		{"phone dots", "cell 555.123.4567", TypePhone, []string{"555.123.4567"}},
		{"phone ext", "555-123-4567 x89 is my desk", TypePhone, []string{"555-123-4567 x89"}},
		{"phone not a date", "on 2024-03-05 we met", TypePhone, nil},
		{"phone not money", "it cost 1 000 000 in total", TypePhone, nil},
		{"phone not decimal", "pi is 3141.5926", TypePhone, nil},
		{"card luhn valid", "card 4111 1111 1111 1111 please", TypeCard, []string{"4111 1111 1111 1111"}},
		{"card dashes", "card 5500-0000-0000-0004", TypeCard, []string{"5500-0000-0000-0004"}},
		{"card amex", "amex 3782 822463 10005", TypeCard, []string{"3782 822463 10005"}},
		{"card luhn invalid", "card 4111 1111 1111 1112 please", TypeCard, nil},
		{"card repeated digit", "0000000000000000", TypeCard, nil},
		{"iban valid spaced", "pay to GB82 WEST 1234 5698 7654 32 by Friday", TypeIBAN, []string{"GB82 WEST 1234 5698 7654 32"}},
		{"iban valid compact lower", "iban de89370400440532013000.", TypeIBAN, []string{"de89370400440532013000"}},
		{"iban bad checksum", "pay to GB83 WEST 1234 5698 7654 32", TypeIBAN, nil},
		{"iban wrong length", "pay to DE89 3704 0044 0532 0130", TypeIBAN, nil},
		{"ssn valid", "SSN 123-45-6789", TypeID, []string{"123-45-6789"}},
		{"ssn area 000", "SSN 000-45-6789", TypeID, nil},
		{"ssn area 666", "SSN 666-45-6789", TypeID, nil},
		{"ssn area 9xx", "SSN 912-45-6789", TypeID, nil},
		{"ssn group 00", "SSN 123-00-6789", TypeID, nil},
		{"ssn bare with context", "my social security number is 123456789", TypeID, []string{"123456789"}},
		{"ssn bare without context", "order 123456789 shipped", TypeID, nil},
		{"nino", "NI number QQ 12 34 56 C is invalid, AB 12 34 56 C is fine", TypeID, []string{"AB 12 34 56 C"}},
		{"licence", "driver's license: D1234567", TypeID, []string{"D1234567"}},
		{"ipv4", "server 192.168.10.24 down", TypeIP, []string{"192.168.10.24"}},
		{"ipv4 out of range", "version 300.1.2.3", TypeIP, nil},
		{"ipv4 version string", "release 1.2.3.4.5", TypeIP, nil},
		{"ipv6", "host 2001:db8::8a2e:370:7334 up", TypeIP, []string{"2001:db8::8a2e:370:7334"}},
		{"ipv6 not a time", "at 10:30:00 sharp", TypeIP, nil},
		{"url token", "see https://x.example/dl?token=abc&x=1 now", TypeURL, []string{"https://x.example/dl?token=abc&x=1"}},
		{"url random path", "open https://docs.example/d/1aB9xZq7LmN0pQ3rS5tU/edit.", TypeURL, []string{"https://docs.example/d/1aB9xZq7LmN0pQ3rS5tU/edit"}},
		{"url personal path", "www.example.edu/~jdoe/cv.pdf", TypeURL, []string{"www.example.edu/~jdoe/cv.pdf"}},
		{"url plain", "read https://go.dev/doc/effective_go today", TypeURL, nil},
		{"address us", "ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500.", TypeAddress, []string{"1600 Pennsylvania Avenue NW, Washington, DC 20500"}},
		{"address unit", "I live at 42 Elm St. Apt. 5, Springfield", TypeAddress, []string{"42 Elm St. Apt. 5, Springfield"}},
		{"address po box", "write to P.O. Box 1234 please", TypeAddress, []string{"P.O. Box 1234"}},
		{"address european", "Wir wohnen in der Hauptstraße 12.", TypeAddress, []string{"Hauptstraße 12"}},
		{"address not a count", "we sold 12 boxes of apples", TypeAddress, nil},
		{"zip", "my zip code is 90210", TypeAddress, []string{"90210"}},
		{"dob numeric", "DOB: 04/12/1985", TypeDOB, []string{"04/12/1985"}},
		{"dob text", "she was born on 3 March 1980 in Leeds", TypeDOB, []string{"3 March 1980"}},
		{"plain date not dob", "the meeting is on 04/12/1985", TypeDOB, nil},
		{"greeting", "Hi Sarah, thanks for this.", TypePerson, []string{"Sarah"}},
		{"signature", "Thanks,\nJohn Smith\n", TypePerson, []string{"John Smith"}},
		{"honorific", "I met Mr. Doe yesterday", TypePerson, []string{"Mr. Doe"}},
		{"name particle", "ask Jacob van Dellen about it", TypePerson, []string{"Jacob van Dellen"}},
		{"possessive", "That is Sarah's desk", TypePerson, []string{"Sarah"}},
		{"no name in plain sentence", "Please send the report by Friday.", TypePerson, nil},
		{"org suffix", "She works at Globex Corporation now", TypeOrg, []string{"Globex Corporation"}},
		{"org inc", "Acme Widgets Inc. sent it", TypeOrg, []string{"Acme Widgets Inc."}},
		{"org head", "a letter from the University of Leeds", TypeOrg, []string{"University of Leeds"}},
		{"org partnership", "Craig, Palmer and Quinn billed us", TypeOrg, []string{"Craig, Palmer and Quinn"}},
		{"hint person", "then mara said no; Mara Kell agreed", TypePerson, []string{"Mara Kell"}},
		{"hint email local part", "Heather will call", TypePerson, []string{"Heather"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := Hints{People: []string{"Kell, Mara"}, Emails: []string{"heather.vossen@quorbis.com"}}
			got := found(tc.text, tc.typ, h)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Detect(%q) %s = %q, want %q (all: %+v)", tc.text, tc.typ, got, tc.want, Detect(tc.text, h))
			}
		})
	}
}

func TestDetectOffsetsAreCodePoints(t *testing.T) {
	text := "Grüße an jörg@bücher.example? nein: an joerg@example.com"
	spans := Detect(text, Hints{})
	if len(spans) != 1 {
		t.Fatalf("Detect(%q) = %+v, want one span", text, spans)
	}
	s := spans[0]
	if got := string([]rune(text)[s.Start:s.End]); got != "joerg@example.com" || got != s.Value {
		t.Errorf("Detect(%q) span [%d,%d) = %q, value %q, want joerg@example.com", text, s.Start, s.End, got, s.Value)
	}
}

func TestLuhnAndIBAN(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"4111111111111111", true}, {"4111111111111112", false}, {"79927398713", true}, {"79927398710", false}} {
		if got := luhn(tc.in); got != tc.want {
			t.Errorf("luhn(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{{"GB82WEST12345698765432", true}, {"DE89370400440532013000", true}, {"FR1420041010050500013M02606", true},
		{"GB82WEST12345698765433", false}, {"DE89370400440532013001", false}} {
		if got := ibanValid([]byte(tc.in)); got != tc.want {
			t.Errorf("ibanValid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

var tokenRe = regexp.MustCompile(`<([A-Z]+)_(\d+)>`)

func TestRedactConsistentWithinCall(t *testing.T) {
	text := "Hi Sarah,\nSarah's email is sarah@example.org; write to sarah@example.org.\nThanks, John Smith"
	m := NewMap()
	red, _ := Redact(text, Hints{}, m)
	for _, v := range []string{"Sarah", "sarah@example.org", "John Smith"} {
		if strings.Contains(red, v) {
			t.Errorf("Redact(%q) = %q, still contains %q", text, red, v)
		}
	}
	toks := tokenRe.FindAllString(red, -1)
	count := map[string]int{}
	for _, tk := range toks {
		count[tk]++
	}
	// Sarah twice, the e-mail twice, John Smith once: three distinct tokens.
	if len(count) != 3 {
		t.Fatalf("Redact(%q) = %q: tokens %v, want 3 distinct", text, red, count)
	}
	var twice int
	for _, n := range count {
		if n == 2 {
			twice++
		}
	}
	if twice != 2 {
		t.Errorf("Redact(%q) = %q: token counts %v, want two tokens used twice", text, red, count)
	}
}

func TestRedactRandomAcrossCalls(t *testing.T) {
	text := "Hi Sarah, mail sarah@example.org"
	seen := map[string]bool{}
	for range 20 {
		red, _ := Redact(text, Hints{}, NewMap())
		seen[red] = true
	}
	// With numbers drawn from 1..99999, 20 calls give 20 different texts
	// except with negligible probability.
	if len(seen) < 19 {
		t.Errorf("Redact(%q) over 20 fresh maps gave %d distinct outputs, want ~20", text, len(seen))
	}
}

func TestRestore(t *testing.T) {
	m := NewMap()
	red, _ := Redact("Hi Sarah Connor, your email is sarah@example.org.", Hints{}, m)
	person := tokenRe.FindString(red)
	if person == "" || !strings.HasPrefix(person, "<PERSON_") {
		t.Fatalf("Redact gave %q, want a PERSON token first", red)
	}
	lower := strings.ToLower(person)
	inner := strings.TrimSuffix(person, ">") + "'s>"
	tests := []struct {
		name, answer, want string
		flagged            []string
	}{
		{"exact", "Dear " + person + ",", "Dear Sarah Connor,", nil},
		{"lower case", "Dear " + lower + ",", "Dear Sarah Connor,", nil},
		{"possessive after", person + "'s report", "Sarah Connor's report", nil},
		{"possessive inside", inner + " report", "Sarah Connor's report", nil},
		{"unknown token kept", "<PERSON_0> stays", "<PERSON_0> stays", nil},
		{"not inside url", "see https://evil.example/?q=" + person + " now", "see https://evil.example/?q=" + person + " now", []string{"https://evil.example/?q=" + person}},
		{"not inside www url", "www.evil.example/" + lower, "www.evil.example/" + lower, []string{"www.evil.example/" + lower}},
		{"after url restored", "https://ok.example/a " + person, "https://ok.example/a Sarah Connor", []string{"https://ok.example/a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, flagged := m.Restore(tc.answer)
			if got != tc.want || !slices.Equal(flagged, tc.flagged) {
				t.Errorf("Restore(%q) = %q, %q; want %q, %q", tc.answer, got, flagged, tc.want, tc.flagged)
			}
		})
	}
}

func TestRestoreFlagsOnlyNewURLs(t *testing.T) {
	m := NewMap()
	in := "Agenda at https://intranet.example/agenda and https://x.example/r?token=s3cr3tT0ken9999xyz."
	red, _ := Redact(in, Hints{}, m)
	if strings.Contains(red, "s3cr3t") {
		t.Fatalf("Redact(%q) = %q, token URL not redacted", in, red)
	}
	answer := red + " Also see http://phish.example/login."
	got, flagged := m.Restore(answer)
	if want := in + " Also see http://phish.example/login."; got != want {
		t.Errorf("Restore = %q, want %q", got, want)
	}
	if want := []string{"http://phish.example/login"}; !slices.Equal(flagged, want) {
		t.Errorf("Restore(%q) flagged %q, want %q", answer, flagged, want)
	}
}

func TestRedactEscapesLiteralTokens(t *testing.T) {
	in := "The template says <PERSON_1> and <email_3's> but John Smith wrote it."
	m := NewMap()
	red, spans := Redact(in, Hints{}, m)
	if strings.Contains(red, "<PERSON_1>") || strings.Contains(red, "<email_3's>") {
		t.Errorf("Redact(%q) = %q, literal tokens not escaped", in, red)
	}
	for _, s := range spans {
		if s.Type == TypeToken {
			t.Errorf("Redact(%q) reports escaped literal %+v as a span", in, s)
		}
	}
	back, _ := m.Restore(red)
	if back != in {
		t.Errorf("Restore(Redact(%q)) = %q", in, back)
	}
	// The model echoing an escaped literal gets the literal back, not a value.
	esc := ""
	for _, tk := range tokenRe.FindAllString(red, -1) {
		if strings.HasPrefix(tk, "<TOKEN_") {
			esc = tk
			break
		}
	}
	if esc == "" {
		t.Fatalf("Redact(%q) = %q, no TOKEN escape", in, red)
	}
	if got, _ := m.Restore(esc); got != "<PERSON_1>" && got != "<email_3's>" {
		t.Errorf("Restore(%q) = %q, want a literal token back", esc, got)
	}
}

func TestRedactURLWithPersonalValueIsWhole(t *testing.T) {
	in := "profile at http://site.example/people?name=Sarah here, Hi Sarah"
	m := NewMap()
	red, _ := Redact(in, Hints{}, m)
	if strings.Contains(red, "site.example") || strings.Contains(red, "Sarah") {
		t.Errorf("Redact(%q) = %q, want the URL and the name replaced", in, red)
	}
	if back, _ := m.Restore(red); back != in {
		t.Errorf("Restore(Redact(%q)) = %q", in, back)
	}
}

func TestHintsCoverAllOccurrences(t *testing.T) {
	h := Hints{People: []string{"Ruiz, Lena K."}, Orgs: []string{"Globex Corp"}, Emails: []string{"l..ruiz@quorbis.com"}}
	in := "Lena K. Ruiz asked Globex for numbers; Ruiz will reply to l..ruiz@quorbis.com."
	m := NewMap()
	red, _ := Redact(in, h, m)
	for _, v := range []string{"Lena", "Ruiz", "Globex", "quorbis.com"} {
		if strings.Contains(red, v) {
			t.Errorf("Redact(%q) = %q, still contains %q", in, red, v)
		}
	}
}

// TestHintInsideName: a name found by the patterns that strictly contains
// hinted names replaces them, so no part of it is left visible.
func TestHintInsideName(t *testing.T) {
	h := Hints{Emails: []string{"lena.ruiz@quorbis.com"}, People: []string{"Ruiz, Lena"}}
	for _, tc := range []struct{ text, want string }{
		{"the deal with Quorbis Compression Services is done", "Quorbis Compression Services"},
		{"Thanks,\nLena K. Ruiz\n", "Lena K. Ruiz"},
	} {
		found := false
		for _, s := range Detect(tc.text, h) {
			found = found || s.Value == tc.want
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want a span %q", tc.text, Detect(tc.text, h), tc.want)
		}
	}
}

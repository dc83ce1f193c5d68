package when

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/testdata"
)

// refLex is lexInto as it was at ec59e8f (every character decoded as a
// rune, before the ASCII path), with the word classes set as lexInto sets
// them: the reference the lexer must equal.
func refLex(text string) []tok { return refLexInto(nil, text) }

func refLexInto(out []tok, text string) []tok {
	sp := true
	for i := 0; i < len(text) && len(out) < maxTokens; {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r) || r == '\u00a0':
			sp = true
			i += size
		case r >= '0' && r <= '9':
			j := i
			n := 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if n < 1e9 {
					n = n*10 + int(text[j]-'0')
				}
				j++
			}
			out = append(out, tok{s: text[i:j], start: i, end: j, num: true, n: n, sp: sp})
			sp = false
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += s2
			}
			w := strings.ToLower(text[i:j])
			out = append(out, tok{s: w, start: i, end: j, sp: sp, upper: unicode.IsUpper(r), cls: wordClass(w)})
			sp = false
			i = j
		default:
			s := string(r)
			switch r {
			case '\u2013', '\u2014', '\u2012', '\u2212', '\u2010', '\u2011':
				s = "-"
			case '\u2019', '\u2018', '`':
				s = "'"
			case '\u201c', '\u201d':
				s = "\""
			}
			out = append(out, tok{s: s, start: i, end: i + size, sp: sp})
			sp = false
			i += size
		}
	}
	return out
}

// TestLexMatchesReference lexes every line of SpamAssassin and Enron mail
// (raw, headers and HTML included) and lines written for the edge cases:
// the tokens must equal the reference lexer's.
func TestLexMatchesReference(t *testing.T) {
	lines := []string{"", " \t\v\f\r\n", "`quoted` and ‘curly’ — dash", "Ünïcödé WORDS mixed3with4digits", "\xff\xfe bad \xc3", "a\u00a0b\u0085c", "İstanbul K Kelvin"}
	root := testdata.Dir(t, "mail")
	for _, dir := range []string{"spamassassin/easy-ham-1", "spamassassin/spam-1", "enron/kaminski-v/inbox"} {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for k, e := range ents {
			if k >= 300 || !e.Type().IsRegular() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, strings.Split(string(b), "\n")...)
		}
	}
	if len(lines) < 20000 {
		t.Fatalf("%d lines, want the corpora", len(lines))
	}
	for _, l := range lines {
		if got, want := lex(l), refLex(l); !reflect.DeepEqual(got, want) {
			t.Fatalf("lex(%q) = %+v, want %+v", l, got, want)
		}
	}
}

func FuzzLex(f *testing.F) {
	for _, s := range []string{"Can you send it by Friday EOD?", "`x` ‘y’ – z", "\xff\x80a\u00a0b", "ABC def 123 ghi4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := lex(s), refLex(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("lex(%q) = %+v, want %+v", s, got, want)
		}
	})
}

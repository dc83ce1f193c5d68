package llm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSanitize: Sanitize is idempotent, leaves no invisible or bidi
// control character, and its output is valid UTF-8.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "p\u200briya@ex\u200bample.com", "\u202eevil\u202c", "ｐｒｉｙａ", "Рriya Rаman", "a\r\nb", "\xff\xfe", "e\u0301", "\U000E0041tag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if again := Sanitize(got); again != got {
			t.Fatalf("Sanitize not idempotent: %q -> %q -> %q", s, got, again)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Sanitize(%q) = invalid UTF-8", s)
		}
		for _, r := range got {
			if isInvisible(r) {
				t.Fatalf("Sanitize(%q) kept invisible %U", s, r)
			}
		}
	})
}

// FuzzValidate: Validate never panics, and whatever it accepts for the
// draft schema is an object with exactly a string draft.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{`{"draft":"x"}`, `{"draft":1}`, `{}`, `[]`, `{"draft":"x","y":2}`, `{"draft":"x"} 1`, `nul`, strings.Repeat("[", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Validate(s, draftSchema)
		if err != nil {
			return
		}
		m, ok := v.(map[string]any)
		if !ok || len(m) != 1 {
			t.Fatalf("Validate(%q) accepted %v", s, v)
		}
		if _, ok := m["draft"].(string); !ok {
			t.Fatalf("Validate(%q) accepted a non-string draft", s)
		}
	})
}

package search

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"budget", "budget"},
		{"budget report", "(budget AND report)"},
		{`"quarterly report" from:alice`, `("quarterly report" AND from:alice)`},
		{"a OR b c", "(a OR (b AND c))"},
		{"a AND (b OR c)", "(a AND (b OR c))"},
		{"NOT spam", "NOT spam"},
		{"-label:Spam invoice", "(NOT label:Spam AND invoice)"},
		{"is:unread is:flagged has:attachment", "(is:unread AND is:flagged AND has:attachment)"},
		{"date:2001-01..2001-06", "date:[2001-01-01,2001-07-01)"},
		{"date:2001", "date:[2001-01-01,2002-01-01)"},
		{"date:..2001-03-04", "date:[,2001-03-05)"},
		{"before:2002-01 after:2001", "(date:[,2002-01-01) AND date:[2002-01-01,))"},
		{`subject:"Q3 numbers"`, `subject:"Q3 numbers"`},
		{"meet*", "meet*"},
		{"foo:bar", "foo:bar"},
		{"well-known", "well-known"},
		{"tag:Work", "label:Work"},
	}
	for _, tc := range tests {
		n, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := n.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty query"},
		{`"open`, "unterminated quote"},
		{"(a OR b", "unclosed ("},
		{"a)", "unexpected )"},
		{"is:sleepy", "is:sleepy"},
		{"has:kittens", "has:kittens"},
		{"date:2001-13", "want YYYY"},
		{"date:2002..2001", "ends before"},
		{"from:", "needs a value"},
		{"a OR", "missing term"},
		{"NOT", "missing term"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a OR (b -c)", `from:"x y" date:2001..`, "((((", "NOT NOT -a", "is:unread OR"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err == nil && n == nil {
			t.Fatal("nil tree without error")
		}
		if err == nil {
			_ = n.String()
		}
	})
}

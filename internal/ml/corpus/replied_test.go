package corpus

import (
	"math"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestBaseSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Re: RE: FW:  Gas  prices", "gas prices"},
		{"Fwd: re : Lunch", "lunch"},
		{"Lunch", "lunch"},
		{"  ", ""},
		{"Regarding the deal", "regarding the deal"},
	}
	for _, tc := range tests {
		if got := baseSubject(tc.in); got != tc.want {
			t.Errorf("baseSubject(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReplied(t *testing.T) {
	user := []string{"sally.beck@enron.com"}
	day := time.Date(2001, 5, 1, 9, 0, 0, 0, time.UTC)
	msg := func(from, subj, text string, d time.Time) Labelled {
		return Labelled{Group: "beck-s", Date: d, Msg: wire.Message{From: from, Subject: subj, Text: text, UserAddresses: user}}
	}
	ls := []Labelled{
		0: msg("a@enron.com", "Budget", "Can you send it?", day),
		1: msg("a@enron.com", "RE: Budget", "Thanks.\n-----Original Message-----\nFrom: Beck, Sally\nSent: ...", day.Add(48*time.Hour)),
		2: msg("b@enron.com", "Party", "Come along", day),
		3: msg("b@enron.com", "Re: Party", "> From: someone else", day.Add(time.Hour)),
		4: msg("c@enron.com", "Late", "question", day),
		5: msg("c@enron.com", "Re: Late", "From: Beck, Sally", day.Add(30*24*time.Hour)),
		6: msg("d@enron.com", "Notes", "hi", day),
		7: msg("sally.beck@enron.com", "Re: Notes", "ok", day.Add(time.Hour)),
		8: msg("e@enron.com", "Undated", "hi", time.Time{}),
	}
	got := Replied(ls, "beck")
	want := []bool{0: true, 6: true}
	for i := range ls {
		w := i < len(want) && want[i]
		if got[i] != w {
			t.Errorf("Replied(...)[%d] (%q) = %v, want %v", i, ls[i].Msg.Subject, got[i], w)
		}
	}
}

// FuzzReplied: Replied never panics, returns one answer per message,
// never marks the user's own mail or an undated message, and baseSubject
// is idempotent.
func FuzzReplied(f *testing.F) {
	f.Add("Budget", "RE: Budget", "From: Beck, Sally", "a@x", int64(3600))
	f.Add("", "Re:", "", "", int64(0))
	f.Add("re : re: fw:", "Re: re : fw:", "Sally Beck/HOU/ECT@ECT\n", "sally.beck@enron.com", int64(-5))
	f.Fuzz(func(t *testing.T, subj, reSubj, text, from string, sec int64) {
		if s := baseSubject(subj); baseSubject(s) != s {
			t.Fatalf("baseSubject not idempotent: %q -> %q -> %q", subj, s, baseSubject(s))
		}
		user := []string{"sally.beck@enron.com"}
		day := time.Date(2001, 5, 1, 9, 0, 0, 0, time.UTC)
		ls := []Labelled{
			{Group: "g", Date: day, Msg: wire.Message{From: from, Subject: subj, UserAddresses: user}},
			{Group: "g", Date: day.Add(time.Duration(sec) * time.Second), Msg: wire.Message{From: from, Subject: reSubj, Text: text, UserAddresses: user}},
			{Group: "g", Msg: wire.Message{From: from, Subject: subj, UserAddresses: user}},
		}
		got := Replied(ls, "beck")
		if len(got) != len(ls) {
			t.Fatalf("Replied returned %d answers for %d messages", len(got), len(ls))
		}
		for i, l := range ls {
			if got[i] && (fromUser(l) || l.Date.IsZero()) {
				t.Fatalf("Replied marked message %d (from user %v, undated %v)", i, fromUser(l), l.Date.IsZero())
			}
		}
	})
}

func TestKindScores(t *testing.T) {
	ks := kindScores([]string{"person", "newsletter", "spam"}, []float64{0.3, 0.3, 0.4})
	if math.Abs(ks["person"]-0.5) > 1e-12 || ks["spam"] != 0 {
		t.Errorf("kindScores = %v, want person 0.5, spam 0", ks)
	}
}

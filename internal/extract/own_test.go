package extract

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder scores every sentence with a fixed probability, or with
// per[sentence] when set, and records what it was asked.
type recorder struct {
	mu   sync.Mutex
	p    float64
	per  map[string]float64
	seen []string
}

func (r *recorder) Score(_ context.Context, s []string) ([]float64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, s...)
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = r.p
		if p, ok := r.per[x]; ok {
			out[i] = p
		}
	}
	return out, nil
}

const ownBody = "Hi Alex,\n\nCould you send the Q3 numbers by Friday? The board meets next week. " +
	"What time works for the call on Tuesday? No need to reply to the rest.\n" +
	"If that doesn't work, please propose another time.\n\n" +
	"Best,\nPriya\nHead of Finance\n\n" +
	"On Mon, 3 Jun 2024 at 10:00, Alex <alex@example.org> wrote:\n> Please book the room.\n> Can you call Bob?\n"

func TestOwnSentences(t *testing.T) {
	m := Message{From: Address{Name: "Priya Shah", Email: "priya@example.org"}, Text: ownBody, Date: time.Date(2024, 6, 4, 9, 0, 0, 0, time.UTC)}
	want := []string{
		"Could you send the Q3 numbers by Friday?",
		"The board meets next week.",
		"What time works for the call on Tuesday?",
		"No need to reply to the rest.",
		"If that doesn't work, please propose another time.",
	}
	got := OwnSentences(m)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("OwnSentences = %q, want %q", got, want)
	}
	// Exactly what Extract scores.
	r := &recorder{p: 0.5}
	if _, err := Extract(context.Background(), m, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.seen, "|") != strings.Join(want, "|") {
		t.Errorf("Extract scored %q, want %q", r.seen, want)
	}
	for _, c := range []struct {
		name string
		m    Message
	}{
		{"bulk", Message{Text: ownBody, Bulk: true}},
		{"list", Message{Text: ownBody, Headers: map[string]string{"List-Id": "<x.example.org>"}}},
		{"noreply", Message{Text: ownBody, From: Address{Email: "no-reply@example.org"}}},
	} {
		if got := OwnSentences(c.m); got != nil {
			t.Errorf("%s: OwnSentences = %q, want nil", c.name, got)
		}
		if Runs(c.m) {
			t.Errorf("%s: Runs = true, want false", c.name)
		}
	}
}

func TestDecisions(t *testing.T) {
	m := Message{From: Address{Name: "Priya Shah", Email: "priya@example.org"}, Text: ownBody}
	type dec struct {
		model bool
		t     float64
	}
	want := []dec{{true, 0.25}, {true, 0.85}, {true, 0.4}, {false, 0}, {false, 0}}
	got := Decisions(m, Options{})
	if len(got) != len(want) {
		t.Fatalf("Decisions: %d sentences, want %d", len(got), len(want))
	}
	for i, d := range got {
		if d.Model != want[i].model || d.Threshold != want[i].t {
			t.Errorf("Decisions[%d] (%q) = model %v at %.2f, want model %v at %.2f", i, d.Text, d.Model, d.Threshold, want[i].model, want[i].t)
		}
	}
	// The user's own mail: a promise is a rule; an ask of the reader uses
	// the threshold; a statement addressing nobody is a rule.
	sent := Message{FromUser: true, From: Address{Email: "me@example.org"}, To: []Address{{Name: "Raj", Email: "raj@example.org"}},
		Text: "I'll send the deck tomorrow.\n\nCan you review the budget?\n\nThe weather was nice."}
	gotSent := Decisions(sent, Options{Threshold: 0.6})
	wantSent := []dec{{false, 0}, {true, 0.6}, {false, 0}}
	for i, d := range gotSent {
		if d.Model != wantSent[i].model || d.Threshold != wantSent[i].t {
			t.Errorf("sent: Decisions[%d] (%q) = model %v at %.2f, want model %v at %.2f", i, d.Text, d.Model, d.Threshold, wantSent[i].model, wantSent[i].t)
		}
	}
}

// TestDecisionsAgreeWithExtract: for a one-sentence message, Extract
// yields an item exactly when the model decides and the probability
// reaches the threshold Decisions states; a rule-decided sentence's
// outcome does not depend on the probability.
func TestDecisionsAgreeWithExtract(t *testing.T) {
	ctx := context.Background()
	for _, s := range []string{
		"Could you send the Q3 numbers by Friday?",
		"The board meets next week.",
		"What time works for the call on Tuesday?",
		"Questions?",
		"No need to reply.",
		"If that doesn't work, please propose another time.",
		"Please don't go to any trouble!",
		"Review the contract before Monday.",
		"It was lovely to meet you.",
		"I think the numbers are off by a few percent.",
	} {
		m := Message{From: Address{Name: "Priya Shah", Email: "priya@example.org"}, Text: s, Date: time.Date(2024, 6, 4, 9, 0, 0, 0, time.UTC)}
		ds := Decisions(m, Options{})
		if len(ds) != 1 {
			t.Fatalf("Decisions(%q): %d sentences, want 1", s, len(ds))
		}
		d := ds[0]
		count := func(p float64) int {
			items, err := Extract(ctx, m, &recorder{p: p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return len(items)
		}
		if !d.Model {
			if lo, hi := count(0.01), count(0.99); lo != hi {
				t.Errorf("%q: rule-decided, but Extract gives %d items at p=0.01 and %d at p=0.99", s, lo, hi)
			}
			continue
		}
		if n := count(d.Threshold); n != 1 {
			t.Errorf("%q: Extract at p=threshold %.2f = %d items, want 1", s, d.Threshold, n)
		}
		if n := count(d.Threshold - 0.01); n != 0 {
			t.Errorf("%q: Extract at p=threshold-0.01 = %d items, want 0", s, n)
		}
	}
}

func FuzzDecisions(f *testing.F) {
	f.Add(ownBody, false)
	f.Add("I'll send it. Can you review?\n\nThanks,\nA", true)
	f.Add("Two more things from you, please:\n- your slides\n- a bio", false)
	f.Fuzz(func(t *testing.T, text string, fromUser bool) {
		m := Message{Text: text, FromUser: fromUser, From: Address{Email: "a@example.org"}}
		own := OwnSentences(m)
		ds := Decisions(m, Options{})
		if len(ds) != len(own) || len(own) > MaxSentences {
			t.Fatalf("Decisions: %d, OwnSentences: %d", len(ds), len(own))
		}
		for i, d := range ds {
			if d.Text != own[i] {
				t.Fatalf("Decisions[%d].Text = %q, want %q", i, d.Text, own[i])
			}
			if d.Model != (d.Threshold > 0) || d.Threshold > 1 {
				t.Fatalf("Decisions[%d] = %+v", i, d)
			}
		}
		r := &recorder{p: 0.5}
		if _, err := Extract(context.Background(), m, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(r.seen) != fmt.Sprint(own) && !(len(r.seen) == 0 && len(own) == 0) {
			t.Fatalf("Extract scored %q, OwnSentences %q", r.seen, own)
		}
	})
}

package reply

import (
	"math"
	"testing"

	"github.com/pam-ai/pam/internal/extract"
)

// TestNeedsReplyProb: the probability is the logistic regression the doc
// describes, over the vector it describes, and an invitation is 0.9.
func TestNeedsReplyProb(t *testing.T) {
	for _, e := range []Evidence{
		{}, {Best: 0.97}, {Best: 0.3, Question: true}, {Best: 0.6, Thanks: true}, {Best: 1}, {Best: -1},
	} {
		v := e.Vector()
		b := min(max(e.Best, 0.001), 0.999)
		want := []float64{1, math.Log(b / (1 - b)), 0, 0}
		if e.Question {
			want[2] = 1
		}
		if e.Thanks {
			want[3] = 1
		}
		for i := range want {
			if math.Abs(v[i]-want[i]) > 1e-12 {
				t.Errorf("%+v.Vector() = %v, want %v", e, v, want)
				break
			}
		}
		z := 0.0
		for i := range v {
			z += needsReplyWeights[i] * v[i]
		}
		if got, want := NeedsReplyProb(e), 1/(1+math.Exp(-z)); math.Abs(got-want) > 1e-12 {
			t.Errorf("NeedsReplyProb(%+v) = %v, want %v", e, got, want)
		}
	}
	if got := NeedsReplyProb(Evidence{Invite: true}); got != 0.9 {
		t.Errorf("NeedsReplyProb(invitation) = %v, want 0.9", got)
	}
	// What the labels showed: a message whose only evidence is a sentence
	// the action model is sure asks still needs a reply less often than not
	// (most such Enron mail is addressed to many).
	if p := NeedsReplyProb(Evidence{Best: 0.99}); p >= 0.5 || p <= 0.1 {
		t.Errorf("NeedsReplyProb(best 0.99) = %v, want in (0.1, 0.5)", p)
	}
	if lo, hi := NeedsReplyProb(Evidence{Best: 0.1}), NeedsReplyProb(Evidence{Best: 0.9}); lo >= hi {
		t.Errorf("NeedsReplyProb rises with Best: %v at 0.1, %v at 0.9", lo, hi)
	}
}

func TestRunsAndEvidence(t *testing.T) {
	person := extract.Message{From: extract.Address{Email: "ann@example.org"}, Text: "Thanks for the notes. Can we talk tomorrow?"}
	if !Runs(person) {
		t.Error("Runs(a person's question) = false")
	}
	for name, m := range map[string]extract.Message{
		"own":       {FromUser: true, Text: "Can we talk?"},
		"bulk":      {Bulk: true, Text: "Can we talk?"},
		"automated": {From: extract.Address{Email: "noreply@example.org"}, Text: "Can we talk?"},
		"empty":     {From: extract.Address{Email: "ann@example.org"}, Text: "  "},
	} {
		if Runs(m) {
			t.Errorf("Runs(%s) = true", name)
		}
	}
	if !Runs(extract.Message{From: extract.Address{Email: "ann@example.org"}, Invite: true}) {
		t.Error("Runs(an invitation with no text) = false")
	}
	e := EvidenceOf(Input{Msg: person, Probs: []float64{0.2, 0.8}})
	if want := (Evidence{Best: 0.8, Question: true, Thanks: true}); e != want {
		t.Errorf("EvidenceOf = %+v, want %+v", e, want)
	}
	// The trigger's score is the highest action probability: a question
	// mark or a thank-you does not raise it (no floors), an invitation does.
	if fires, score := Trigger(Input{Msg: person, Probs: []float64{0.2, 0.3}}, 0.5); fires || score != 0.3 {
		t.Errorf("Trigger(a question the model gives 0.3) = %v, %v; want false, 0.3", fires, score)
	}
	inv := person
	inv.Invite = true
	if fires, score := Trigger(Input{Msg: inv, Probs: []float64{0.2}}, 0.5); !fires || score != 0.9 {
		t.Errorf("Trigger(invitation) = %v, %v; want true, 0.9", fires, score)
	}
}

// FuzzNeedsReplyProb: any evidence gives a probability in (0, 1).
func FuzzNeedsReplyProb(f *testing.F) {
	f.Add(0.5, false, false, false)
	f.Add(math.NaN(), true, true, false)
	f.Add(math.Inf(1), false, true, true)
	f.Add(-3.0, true, false, false)
	f.Fuzz(func(t *testing.T, best float64, q, th, inv bool) {
		p := NeedsReplyProb(Evidence{Best: best, Question: q, Thanks: th, Invite: inv})
		if !(p > 0 && p < 1) {
			t.Errorf("NeedsReplyProb(%v, %v, %v, %v) = %v, want in (0, 1)", best, q, th, inv, p)
		}
	})
}

// With the classifier's needs_reply as evidence, the probability follows
// it; without one, the trigger's own evidence decides as before.
func TestNeedsReplyProbWithClassifier(t *testing.T) {
	e := Evidence{Best: 0.4, Question: true}
	without := NeedsReplyProb(e)
	e.HasClassifier = true
	e.Classifier = 0.05
	low := NeedsReplyProb(e)
	e.Classifier = 0.95
	high := NeedsReplyProb(e)
	if !(low < without && without < high) || high-low < 0.3 {
		t.Errorf("NeedsReplyProb: classifier 0.05 → %.3f, none → %.3f, 0.95 → %.3f; want the classifier to move it, up with its probability", low, without, high)
	}
	if e.Invite = true; NeedsReplyProb(e) != 0.9 {
		t.Errorf("an invitation = %.3f, want 0.9 whatever the classifier says", NeedsReplyProb(e))
	}
}

package extract

import (
	"math"
	"testing"
)

// TestActionRateIsTheTable: ActionRate reads the calibration table as
// doc/design/privacy.md says: a probability up to a step's bound has that
// step's rate, rates never fall as the probability rises, and an unknown
// form is taken as a statement.
func TestActionRateIsTheTable(t *testing.T) {
	for _, form := range []string{FormAsk, FormQuestion, FormStatement} {
		steps := actionRates[form]
		if len(steps) == 0 {
			t.Fatalf("no calibration for form %q", form)
		}
		if last := steps[len(steps)-1].Upto; last != 1 {
			t.Errorf("%s: last step ends at %v, want 1", form, last)
		}
		prev := 0.0
		for i, s := range steps {
			if s.Rate < prev || s.Rate <= 0 || s.Rate >= 1 {
				t.Errorf("%s step %d: rate %v after %v, want non-decreasing in (0, 1)", form, i, s.Rate, prev)
			}
			prev = s.Rate
			if got := ActionRate(form, s.Upto); got != s.Rate {
				t.Errorf("ActionRate(%q, %v) = %v, want %v", form, s.Upto, got, s.Rate)
			}
			if i+1 < len(steps) {
				if got := ActionRate(form, math.Nextafter(s.Upto, 2)); got != steps[i+1].Rate {
					t.Errorf("ActionRate(%q, just above %v) = %v, want the next step's %v", form, s.Upto, got, steps[i+1].Rate)
				}
			}
		}
		if got := ActionRate(form, 0); got != steps[0].Rate {
			t.Errorf("ActionRate(%q, 0) = %v, want %v", form, got, steps[0].Rate)
		}
	}
	if got, want := ActionRate("no such form", 0.5), ActionRate(FormStatement, 0.5); got != want {
		t.Errorf("ActionRate(unknown, 0.5) = %v, want the statement rate %v", got, want)
	}
}

func TestDecisionCertainty(t *testing.T) {
	ask := Decision{Model: true, Threshold: 0.25, Form: FormAsk}
	stmt := Decision{Model: true, Threshold: 0.85, Form: FormStatement}
	for _, tc := range []struct {
		name string
		d    Decision
		p    float64
		want float64
	}{
		{"rule", Decision{}, 0.5, 1},
		{"ask taken", ask, 0.95, ActionRate(FormAsk, 0.95)},
		{"ask dropped", ask, 0.1, 1 - ActionRate(FormAsk, 0.1)},
		{"statement dropped", stmt, 0.05, 1 - ActionRate(FormStatement, 0.05)},
		{"statement taken", stmt, 0.9, ActionRate(FormStatement, 0.9)},
		{"statement just below its threshold", stmt, 0.84, 1 - ActionRate(FormStatement, 0.84)},
	} {
		if got := DecisionCertainty(tc.d, tc.p); got != tc.want {
			t.Errorf("%s: DecisionCertainty(%+v, %v) = %v, want %v", tc.name, tc.d, tc.p, got, tc.want)
		}
	}
	// The calibration says what the sentence data showed: a statement the
	// model gives 0.05 is almost never an ask; an explicit ask the model
	// gives 0.3 is taken (threshold 0.25) but asks only about a third of
	// the time, so that decision is unsure.
	if c := DecisionCertainty(stmt, 0.05); c < 0.95 {
		t.Errorf("DecisionCertainty(statement, 0.05) = %v, want >= 0.95", c)
	}
	if c := DecisionCertainty(ask, 0.3); c > 0.5 {
		t.Errorf("DecisionCertainty(ask, 0.3) = %v, want <= 0.5", c)
	}
}

// TestDecisionsForms: Decisions gives each model-decided sentence its form
// and leaves rule-decided ones without.
func TestDecisionsForms(t *testing.T) {
	m := Message{From: Address{Email: "a@example.org"}, Text: "Could you send the report by Friday? Is the budget final for this year? The office is closed on Monday. No need to reply."}
	ds := Decisions(m, Options{})
	want := []struct {
		form string
		th   float64
	}{{FormAsk, 0.25}, {FormQuestion, 0.4}, {FormStatement, 0.85}, {"", 0}}
	if len(ds) != len(want) {
		t.Fatalf("Decisions = %d sentences, want %d: %+v", len(ds), len(want), ds)
	}
	for i, w := range want {
		if ds[i].Form != w.form || ds[i].Threshold != w.th || ds[i].Model != (w.form != "") {
			t.Errorf("Decisions[%d] = %+v, want form %q threshold %v", i, ds[i], w.form, w.th)
		}
	}
}

// FuzzDecideSentence: any sentence gets a consistent decision (a form and
// a threshold in (0, 1) exactly when the model decides) and a certainty in
// [0, 1] at any probability; Decisions of a message agree with
// OwnSentences.
func FuzzDecideSentence(f *testing.F) {
	for _, s := range []string{"Could you send the report by Friday?", "No need to reply.", "Thoughts?", "I'll book the room.", "Two things from you, please:", "", "If you can, call me."} {
		f.Add(s, false, false, 0.5)
	}
	f.Add("your slides by the 18th", true, false, 0.3)
	f.Add("Raj, please go ahead", false, true, 0.9)
	f.Fuzz(func(t *testing.T, s string, lead, fromUser bool, p float64) {
		d := DecideSentence(s, lead, fromUser, Options{})
		if d.Model != (d.Form != "") || d.Model != (d.Threshold > 0) || d.Threshold >= 1 {
			t.Fatalf("DecideSentence(%q, %v, %v) = %+v: inconsistent", s, lead, fromUser, d)
		}
		if math.IsNaN(p) {
			return
		}
		p = math.Abs(math.Mod(p, 1))
		if c := DecisionCertainty(d, p); c < 0 || c > 1 {
			t.Fatalf("DecisionCertainty(%+v, %v) = %v", d, p, c)
		}
		m := Message{From: Address{Email: "a@example.org"}, Text: s, FromUser: fromUser}
		if got, want := len(Decisions(m, Options{})), len(OwnSentences(m)); got != want {
			t.Fatalf("Decisions(%q) = %d decisions, OwnSentences %d", s, got, want)
		}
	})
}

// TestMessageConfidenceIsTheTable: a message's confidence is the product of
// its decisions' certainties looked up in messageRates, which rises with
// the product and ends at 1.
func TestMessageConfidenceIsTheTable(t *testing.T) {
	if last := messageRates[len(messageRates)-1].Upto; last != 1 {
		t.Errorf("messageRates ends at %v, want 1", last)
	}
	prev := 0.0
	for i, s := range messageRates {
		if s.Rate < prev || s.Rate <= 0 || s.Rate >= 1 {
			t.Errorf("messageRates[%d] rate %v after %v", i, s.Rate, prev)
		}
		prev = s.Rate
		if got := MessageConfidence([]float64{s.Upto}); got != s.Rate {
			t.Errorf("MessageConfidence(%v) = %v, want %v", s.Upto, got, s.Rate)
		}
	}
	// The product of the decisions is looked up: 0.5 × 0.5 is 0.25.
	if got, want := MessageConfidence([]float64{0.5, 0.5}), MessageConfidence([]float64{0.25}); got != want {
		t.Errorf("MessageConfidence(0.5, 0.5) = %v, want MessageConfidence(0.25) = %v", got, want)
	}
	if got, want := MessageConfidence(nil), messageRates[len(messageRates)-1].Rate; got != want {
		t.Errorf("MessageConfidence(no model decision) = %v, want the top rate %v", got, want)
	}
}

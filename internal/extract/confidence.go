package extract

import "math"

// The confidence of Extract's decisions, calibrated on labelled sentences
// the shipped model did not train on (the calibration tables are in
// calibration.go, written by `go run ./bench/privacy/calibrate -write`;
// doc/design/privacy.md has the reliability tables).

// rateStep is one step of a calibration map: probabilities up to Upto
// (and above the previous step's) have rate Rate.
type rateStep struct{ Upto, Rate float64 }

// ActionRate is the calibrated probability that a sentence of the given
// form (Decision.Form) asks its reader to do something, when the action
// model gives it probability p: the share of such sentences that asked,
// among Email Intent sentences of that form scored at that probability by
// models that never saw them. An unknown form is taken as a statement.
func ActionRate(form string, p float64) float64 {
	steps, ok := actionRates[form]
	if !ok {
		steps = actionRates[FormStatement]
	}
	for _, s := range steps {
		if p <= s.Upto {
			return s.Rate
		}
	}
	return steps[len(steps)-1].Rate
}

// DecisionCertainty is the probability that Extract's decision d on a
// sentence the model gave probability p is right: the calibrated rate
// (ActionRate) when the sentence is taken (p >= d.Threshold), one minus it
// when it is dropped, and 1 for a sentence a rule decides (d.Model false),
// whose decision adds no uncertainty of the model's.
func DecisionCertainty(d Decision, p float64) float64 {
	if !d.Model {
		return 1
	}
	r := ActionRate(d.Form, p)
	if p >= d.Threshold {
		return r
	}
	return 1 - r
}

// MessageConfidence is the probability that Extract's whole answer for a
// message is right, given the certainties of its decisions
// (DecisionCertainty over Decisions): their product — all of them have to
// be right — mapped to the share of hand-labelled messages whose
// extraction was right at that product (messageRates; doc/design/privacy.md
// has the table). A message with no model decision has product 1.
func MessageConfidence(certainties []float64) float64 {
	prod := 1.0
	for _, c := range certainties {
		prod *= c
	}
	for _, s := range messageRates {
		if prod <= s.Upto {
			return s.Rate
		}
	}
	return messageRates[len(messageRates)-1].Rate
}

// MessageConfidenceWith is MessageConfidence when the needs_reply
// classifier's probability clf for the message is known: Extract's answer
// is right when it returns items exactly when the message asks the user
// for an answer or an action, so the confidence is P(needs) when it
// returned items (hasItems) and 1 − P(needs) when not (NeedsProb).
func MessageConfidenceWith(certainties []float64, hasItems bool, clf float64) float64 {
	p := NeedsProb(certainties, hasItems, clf)
	if hasItems {
		return p
	}
	return 1 - p
}

// NeedsProb is the probability that a received message asks the user for
// an answer or an action, given Extract's decisions on it (their
// certainties), whether it found items (hasItems) and the needs_reply
// classifier's probability clf: a logistic regression over the log-odds of
// the decisions' product, hasItems and the log-odds of clf
// (extractNeedsWeights, fitted on hand labels with cross-fitted classifier
// scores; doc/design/privacy.md).
func NeedsProb(certainties []float64, hasItems bool, clf float64) float64 {
	prod := 1.0
	for _, c := range certainties {
		prod *= c
	}
	x := []float64{1, logOdds(prod), 0, logOdds(clf)}
	if hasItems {
		x[2] = 1
	}
	var z float64
	for i, v := range x {
		z += extractNeedsWeights[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}

// WithoutTodos is items less the to-dos asked of the user: what the
// extract job keeps when NeedsProb says the message most likely asks
// nothing although Extract found requests in it (the more probable
// answer is "nothing to do"; on hand-labelled training mail that answer
// is right 0.84 of the time against 0.69 for the items as found,
// bench/privacy/calibration.md). What others owe the user stays.
func WithoutTodos(items []Item) []Item {
	var out []Item
	for _, it := range items {
		if it.Kind != Todo {
			out = append(out, it)
		}
	}
	return out
}

// logOdds is log(p / (1 − p)) with p clamped to [0.001, 0.999] (NaN as 0.001).
func logOdds(p float64) float64 {
	if !(p >= 0.001) {
		p = 0.001
	}
	p = min(p, 0.999)
	return math.Log(p / (1 - p))
}

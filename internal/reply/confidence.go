package reply

import (
	"math"
	"strings"

	"github.com/pam-ai/pam/internal/extract"
)

// Runs reports whether the trigger looks at m at all: not the user's own
// mail, not bulk or automated mail, and not a message with no text of its
// own (unless it carries an invitation). Where it does not, no model is
// involved and the message gets no suggestions.
func Runs(m extract.Message) bool {
	if m.FromUser || m.Bulk || extract.Automated(m) {
		return false
	}
	return m.Invite || strings.TrimSpace(extract.Body(m.Text)) != ""
}

// Evidence is what the trigger reads of a message: the highest action
// probability of its own sentences and the cues its rules look for.
type Evidence struct {
	Best     float64 // highest action probability among Input.Probs
	Question bool    // the message's own text has a question mark
	Thanks   bool    // a short message (< 600 bytes of own text) that thanks
	Invite   bool    // it carries a calendar invitation
	// Classifier is the needs_reply classifier's probability for the
	// message (issue 4's model, stored by the import pipeline), with
	// HasClassifier set; without one the confidence reads the rest only.
	Classifier    float64
	HasClassifier bool
}

// EvidenceOf returns the trigger's evidence for in.
func EvidenceOf(in Input) Evidence {
	body := extract.Body(in.Msg.Text)
	var e Evidence
	for _, p := range in.Probs {
		e.Best = max(e.Best, p)
	}
	e.Question = strings.Contains(body, "?")
	e.Thanks = reThanks.MatchString(body) && len(body) < 600
	e.Invite = in.Msg.Invite
	return e
}

// Vector is the evidence as the calibration's inputs: a constant 1, the
// log-odds of Best (clamped to [0.001, 0.999]; NaN counts as 0.001), and 1 or 0 for Question
// and Thanks.
func (e Evidence) Vector() []float64 {
	b := e.Best
	if !(b >= 0.001) { // also NaN
		b = 0.001
	}
	b = min(b, 0.999)
	v := []float64{1, math.Log(b / (1 - b)), 0, 0}
	if e.Question {
		v[2] = 1
	}
	if e.Thanks {
		v[3] = 1
	}
	return v
}

// VectorC is Vector with the log-odds of the classifier's probability
// (clamped like Best) as a fifth input.
func (e Evidence) VectorC() []float64 {
	c := e.Classifier
	if !(c >= 0.001) {
		c = 0.001
	}
	c = min(c, 0.999)
	return append(e.Vector(), math.Log(c/(1-c)))
}

// NeedsReplyProb is the calibrated probability that a message with
// evidence e needs an answer from the user: a logistic regression over
// e.Vector() fitted to hand labels (labels/kind.tsv, needs_reply) by
// `go run ./bench/privacy/calibrate -write` (needsReplyWeights in
// calibration.go; doc/design/privacy.md has the reliability tables). An
// invitation needs an answer by definition (accept or decline): 0.9, a
// rule with no labelled invitation to measure it.
func NeedsReplyProb(e Evidence) float64 {
	if e.Invite {
		return 0.9
	}
	var z float64
	if e.HasClassifier {
		// Fitted on the same labels with the classifier's probability as
		// a fifth input (cross-fitted for the training users, so the
		// weights do not trust a model on mail it was trained on).
		for i, x := range e.VectorC() {
			z += needsReplyWeightsC[i] * x
		}
		return 1 / (1 + math.Exp(-z))
	}
	for i, x := range e.Vector() {
		z += needsReplyWeights[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// Decide is the reply job's decision when the classifier's probability is
// part of e (HasClassifier): suggest replies exactly when NeedsReplyProb(e)
// is at least 0.5 (an invitation always). On the unseen labelled messages
// these decisions were right 0.859 of the time against the trigger's 0.530
// (bench/privacy/calibration.md); without the classifier the trigger
// decides as before.
func Decide(e Evidence) (suggest bool, p float64) {
	p = NeedsReplyProb(e)
	return e.Invite || p >= 0.5, p
}

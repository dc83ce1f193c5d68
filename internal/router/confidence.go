package router

import (
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// The confidences of the device's own tiers, as the ladder compares them
// with the threshold (Config.Threshold, 0.75 by default).
//
// The rule is the same for every job: a tier's answer is accepted when
// its estimated probability of being right is at least the threshold.
// Where a tier has a calibrated probability it is used as it is: a yes/no
// decision taken at threshold t from probability p is right with
// probability p when p >= t and 1-p otherwise. The classifier's outputs are
// calibrated in internal/ml; the action model's probabilities and the
// quick-reply trigger's evidence are mapped to measured rates on labelled
// data the models never trained on (extract.ActionRate,
// reply.NeedsReplyProb; `go run ./bench/privacy/calibrate`). 0.75 is the edge of
// the classifier's own undecided band ([0.25, 0.75], doc/design/models.md),
// so the router escalates what the models themselves call undecided and
// nothing else. The rule-based fallbacks of compose, prioritize and plan
// (package fallback) have no calibrated probability: they answer 0.8 or
// 0.85 when the input is one their rules were written for and 0.4–0.55
// when it is not (an unrecognised intent, a near tie at the top of the
// list, a task that does not fit) — a statement of coverage, not of
// measured accuracy.
//
// Only jobs the product runs are jobs: a job that a rule settles before any
// model is involved is not an AI job and is not counted in the share
// answered without the cloud. Extract does not run on bulk or automated
// mail (extract.Runs: the classifier's bulk verdict or list/auto headers);
// the reply trigger does not run on the user's own mail, automated mail or
// mail with no text of its own; classify runs on every message; compose,
// prioritize and plan run when the user asks.

// Certainty is the probability that a yes/no decision taken at threshold
// t from the calibrated probability p is right: p when p >= t, else 1-p.
func Certainty(p, t float64) float64 {
	if p >= t {
		return p
	}
	return 1 - p
}

// DecidedConfidence is the confidence of a classification with no output
// in the model's undecided band. Every binary output outside the band is
// right with probability > 0.75 by the band's definition; 0.9 stands for
// "above the threshold" without claiming more.
const DecidedConfidence = 0.9

// ClassifyConfidence is the confidence of the classify job's local answer:
// DecidedConfidence when the classifier lists no output as undecided, else
// the lowest certainty among the undecided outputs (a binary output's
// max(p, 1-p); a class output's top probability). A classification made by
// rules only (Degraded) is not confident (0.5): no model backed it.
func ClassifyConfidence(c wire.Classification) float64 {
	if c.Degraded {
		return 0.5
	}
	if len(c.Undecided) == 0 {
		return DecidedConfidence
	}
	conf := 1.0
	top := func(m map[string]float64) float64 {
		b := 0.0
		for _, v := range m {
			b = max(b, v)
		}
		return b
	}
	for _, o := range c.Undecided {
		switch o {
		case "spam":
			conf = min(conf, Certainty(c.Spam, 0.5))
		case "needs_reply":
			conf = min(conf, Certainty(c.NeedsReply, 0.5))
		case "kind":
			conf = min(conf, top(c.KindScores))
		case "label":
			conf = min(conf, top(c.LabelScores))
		default:
			conf = min(conf, 0.5)
		}
	}
	// An undecided output is below the threshold by definition, whatever
	// the arithmetic above gives at the band's edges.
	return min(conf, 0.74)
}

// ExtractConfidence is the confidence of the extract job's local answer
// for one message: the probability that every decision Extract took on
// the sentences it scores is right. certainties are those decisions'
// calibrated probabilities of being right (extract.DecisionCertainty over
// extract.Decisions: the action model's probability mapped, per form of
// sentence, to the share of held-out labelled sentences that asked; 1 for
// a sentence a rule decided). Their product — the extraction is right only
// when all of them are — is mapped to the share of hand-labelled messages
// whose whole extraction was right at that product
// (extract.MessageConfidence). Neither the least certain decision (used
// before; an upper bound of the probability) nor the bare product was
// calibrated on whole messages: both were over-confident where they said
// 0.75–0.95 (doc/design/privacy.md).
func ExtractConfidence(certainties []float64) float64 {
	return extract.MessageConfidence(certainties)
}

// ExtractConfidenceWith is ExtractConfidence when the needs_reply
// classifier's probability for the message is known
// (extract.MessageConfidenceWith): whether Extract returned items, weighed
// against how likely the message asks the user for something.
func ExtractConfidenceWith(certainties []float64, hasItems bool, clf float64) float64 {
	return extract.MessageConfidenceWith(certainties, hasItems, clf)
}

// ReplyConfidence is the confidence of the reply job's decision whether
// to suggest replies (reply.Trigger fires or not): the probability that
// the decision is right, taking "right" as the hand labels do —
// suggestions for a message that needs an answer, none for one that does
// not. p is the calibrated probability that the message needs an answer
// (reply.NeedsReplyProb: a logistic regression over the trigger's own
// evidence, fitted to hand-labelled mail the action model never trained
// on); the confidence is p when the trigger fires and 1−p when it does
// not. The trigger decides on the highest action probability of the
// message's own sentences (0.9 for an invitation); its former floors for a
// question (0.6) and a short thank-you (0.55) were dropped, and its score
// is not read as a probability: on hand-labelled mail its decisions with
// the floors were right 40–49% of the time, without them 46–55%, at a
// stated 0.5–0.98 (doc/design/privacy.md). Mail the trigger excludes by rule (the user's own, automated, or with no text
// of its own) gets no suggestions and no model looks at it: that is not a
// reply job at all, and callers should not count it as one.
func ReplyConfidence(p float64, fires bool) float64 {
	if fires {
		return p
	}
	return 1 - p
}

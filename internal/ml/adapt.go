package ml

import (
	"math"
	"sort"
)

// MetricReplyShare is the Info.Metrics key under which a needs_reply model
// stores the share of a mailbox it flags at its own decision point, measured
// on mailboxes it did not train on: the default ReplyAdapt.Share.
const MetricReplyShare = "reply_share"

// ReplyAdapt moves the needs_reply decision point per user. A model that
// never saw a mailbox ranks it well but places its scores higher or lower
// than on the mail it trained on, so one threshold for everyone flags too
// much in one mailbox and too little in another. PAM holds the user's whole
// mailbox, so the decision point for a message can be set from the scores
// of the user's own earlier mail: the score above which the user's earlier
// mail has Share of its messages, drawn towards the model's own decision
// point Base with the weight of Prior messages when the history is short.
//
// The history must hold only messages strictly older than the one being
// decided, and nothing that depends on its answer (no leakage: the adapted
// decision for a message never sees that message, its reply or later mail).
// A zero ReplyAdapt adapts nothing.
type ReplyAdapt struct {
	// Share is the share of the user's mail to flag, in (0, 1): the
	// model's MetricReplyShare, or the user's own reply rate where PAM
	// knows it. 0 turns adaptation off.
	Share float64
	// Base is the model's decision point (0: 0.5, as the shipped
	// needs_reply model is shifted to decide at 0.5).
	Base float64
	// Prior is the weight of Base, in messages (0: 200).
	Prior float64
	// Min is the fewest earlier messages that move the decision point at
	// all (0: 20).
	Min int
}

// NewReplyAdapt returns the adaptation the needs_reply model m asks for:
// its stored MetricReplyShare at its own threshold, or a zero ReplyAdapt
// (no adaptation) when m has none.
func NewReplyAdapt(m *Model) ReplyAdapt {
	i := m.Info()
	s := i.Metrics[MetricReplyShare]
	if i.Task != TaskNeedsReply || !(s > 0 && s < 1) {
		return ReplyAdapt{}
	}
	return ReplyAdapt{Share: s, Base: i.Threshold}
}

func (a ReplyAdapt) base() float64 {
	if a.Base > 0 && a.Base < 1 {
		return a.Base
	}
	return 0.5
}

// Threshold returns the decision point for a message, given the needs_reply
// scores of the user's messages strictly older than it (in any order; the
// slice is not modified): Base when adaptation is off or the history is
// shorter than Min, else, in log-odds, the weighted mean of Base (weight
// Prior) and the score that flags Share of the history (weight its
// length).
func (a ReplyAdapt) Threshold(earlier []float64) float64 {
	b := a.base()
	if !(a.Share > 0 && a.Share < 1) {
		return b
	}
	minN, prior := a.Min, a.Prior
	if minN <= 0 {
		minN = 20
	}
	if prior <= 0 {
		prior = 200
	}
	var s []float64
	for _, p := range earlier {
		if !math.IsNaN(p) {
			s = append(s, clamp01(p))
		}
	}
	if len(s) < minN {
		return b
	}
	sort.Float64s(s)
	// The k-th highest score flags k messages: k = ceil(Share * n).
	k := int(math.Ceil(a.Share * float64(len(s))))
	k = min(max(k, 1), len(s))
	q := s[len(s)-k]
	n := float64(len(s))
	return sigmoid((n*logit(q) + prior*logit(b)) / (n + prior))
}

// Shift maps a score p so that the decision point t becomes 0.5 (a shift
// in log-odds, so the order of scores is kept): consumers that decide at
// 0.5 decide at t.
func Shift(p, t float64) float64 {
	if math.IsNaN(p) {
		return p
	}
	return sigmoid(logit(clamp01(p)) - logit(clamp01(t)) + logit(0.5))
}

func clamp01(p float64) float64 {
	const eps = 1e-6
	return min(max(p, eps), 1-eps)
}

func logit(p float64) float64 {
	p = clamp01(p)
	return math.Log(p / (1 - p))
}

// ReplyKinds are the kinds whose mail can need a reply: a person's
// message, or an automated request addressed to the user (an approval, a
// timesheet). Forum, newsletter, promotion, social and spam mail almost
// never does in the hand labels.
var ReplyKinds = []string{"person", "notification"}

// GateReply weights a needs_reply probability p by the share s of
// ReplyKinds in kindScores (the Classification.KindScores of the same
// message, which sum to 1 with spam's share in them): the odds of p times
// s, so that a shift of the model's log-odds (Shift, the decision point
// moved to 0.5) moves the gated score the same way and a threshold fitted
// on gated scores stays right. For small p it is about p·s. The
// needs_reply model sees subject, headers and the action detector but not
// the words of the text; the kind model reads the words, so the gate lowers
// mail it recognises as bulk. With no kind scores p is returned as it is.
func GateReply(p float64, kindScores map[string]float64) float64 {
	if len(kindScores) == 0 || math.IsNaN(p) {
		return p
	}
	var s float64
	for _, k := range ReplyKinds {
		s += kindScores[k]
	}
	s = min(max(s, 0), 1)
	if s == 0 || p <= 0 {
		return 0
	}
	return min(p*s/(p*s+1-min(p, 1)), 1) // rounding gave 1+ε at p = 1
}

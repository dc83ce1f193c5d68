package corpus

import (
	"fmt"
	"io"
	"time"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// ReplyAdaptOn (train-defaults -adapt; off: it did not help in the
// cross-fit, see doc/design/models.md) turns on the per-user needs_reply adaptation
// (ml.ReplyAdapt) in the cross-fit: each left-out mailbox is scored whole,
// the share of person mail flagged at the pooled threshold is stored in
// the shipped model (ml.MetricReplyShare), and -cv reports the F1 with
// each message decided at the threshold its own mailbox's earlier mail
// gives.
var ReplyAdaptOn = false

// AdaptPrior and AdaptMin are the ml.ReplyAdapt Prior and Min used in the
// cross-fit and the evaluation (0: ml's defaults).
var (
	AdaptPrior float64
	AdaptMin   int
)

// boxMsg is one message of a mailbox as the adaptation sees it.
type boxMsg struct {
	score  float64
	date   time.Time
	person bool
}

// mailbox returns the whole mailbox of group g in d: its hand-labelled
// messages and its unlabelled pool, of the training part, and of the
// held-out part too when held is set (a SpamAssassin folder is in both).
func (d *KindData) mailbox(g string, held bool) []Labelled {
	var out []Labelled
	for _, l := range d.Train {
		if l.Group == g && !l.Weak {
			out = append(out, l)
		}
	}
	parts := [][]Labelled{d.Pool}
	if held {
		parts = append(parts, d.Test, d.HeldPool)
	}
	for _, ls := range parts {
		for _, l := range ls {
			if l.Group == g {
				out = append(out, l)
			}
		}
	}
	return out
}

// scoreBox scores a mailbox with a needs_reply model and marks the
// messages the kind model calls person.
func scoreBox(reply, kind *ml.Model, box []Labelled) []boxMsg {
	classes := kind.Info().Classes
	out := make([]boxMsg, len(box))
	for i, l := range box {
		p := kind.Predict(l.Msg)
		best := 0
		for j := range p {
			if p[j] > p[best] {
				best = j
			}
		}
		var ks map[string]float64
		if ReplyKindGate {
			ks = kindScores(classes, p)
		}
		sc := ml.ReplyScore(&l.Msg, reply.Predict(l.Msg)[1], ks, ReplyKindGate, ReplyApproval)
		out[i] = boxMsg{score: sc, date: l.Date, person: classes[best] == "person"}
	}
	return out
}

// boxShare is the share of the person mail of boxes (all but skip) whose
// score is at least t: pooled over messages.
func boxShare(boxes [][]boxMsg, skip int, t float64) float64 {
	var n, k int
	for i, b := range boxes {
		if i == skip {
			continue
		}
		for _, m := range b {
			if m.person {
				n++
				if m.score >= t {
					k++
				}
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// earlier lists the scores of the person mail of box strictly older than
// t.
func earlier(box []boxMsg, t time.Time) []float64 {
	var out []float64
	for _, m := range box {
		if m.person && !m.date.IsZero() && m.date.Before(t) {
			out = append(out, m.score)
		}
	}
	return out
}

// adaptedF1 decides each message i at the threshold adapt(fold) gives
// for the earlier person mail of its fold's mailbox, and returns the F1.
func adaptedF1(scores []float64, labels []bool, dates []time.Time, foldOf []int, boxes [][]boxMsg, adapt func(fold int) ml.ReplyAdapt) float64 {
	return f1With(scores, labels, func(i int) float64 {
		f := foldOf[i]
		return adapt(f).Threshold(earlier(boxes[f], dates[i]))
	})
}

// nestedAdaptedF1 is adaptedF1 with each fold's Base and Share fitted on
// the other folds only (as nestedF1 does for the threshold).
func nestedAdaptedF1(scores []float64, labels []bool, dates []time.Time, foldOf []int, boxes [][]boxMsg) float64 {
	ad := make([]ml.ReplyAdapt, len(boxes))
	for f := range boxes {
		var s []float64
		var l []bool
		for i := range scores {
			if foldOf[i] != f {
				s, l = append(s, scores[i]), append(l, labels[i])
			}
		}
		t, _ := replyCut(s, l)
		ad[f] = ml.ReplyAdapt{Share: boxShare(boxes, f, t), Base: t, Prior: AdaptPrior, Min: AdaptMin}
	}
	if AdaptDebug != nil {
		for f := range boxes {
			var pos, fg, tpg, fa, tpa, n int
			var tmin, tmax float64 = 1, 0
			for i := range scores {
				if foldOf[i] != f {
					continue
				}
				n++
				t := ad[f].Threshold(earlier(boxes[f], dates[i]))
				tmin, tmax = min(tmin, t), max(tmax, t)
				if labels[i] {
					pos++
				}
				if scores[i] >= ad[f].Base {
					fg++
					if labels[i] {
						tpg++
					}
				}
				if scores[i] >= t {
					fa++
					if labels[i] {
						tpa++
					}
				}
			}
			fmt.Fprintf(AdaptDebug, "fold %d: %d hand, %d yes; base %.3f share %.3f (box %d, person %d, flagged %.3f): flagged %d (%d right) -> adapted %.3f..%.3f flagged %d (%d right)\n",
				f, n, pos, ad[f].Base, ad[f].Share, len(boxes[f]), boxPerson(boxes[f]), boxShare(boxes[f:f+1], -1, ad[f].Base), fg, tpg, tmin, tmax, fa, tpa)
		}
	}
	return adaptedF1(scores, labels, dates, foldOf, boxes, func(f int) ml.ReplyAdapt { return ad[f] })
}

// AdaptDebug, when set, receives a line per fold of the nested adapted
// cross-fit.
var AdaptDebug io.Writer

func boxPerson(b []boxMsg) int {
	n := 0
	for _, m := range b {
		if m.person {
			n++
		}
	}
	return n
}

// ReplyOuter, when set (train-defaults -cv-outer), makes the user-fold
// cross-fit also simulate what ships, one level deeper: for each left-out
// source f, the threshold (and the adaptation's share) is cross-fitted on
// the other sources alone — each scored by a model trained without f and
// without itself — and then applied to the scores of the model trained on
// all sources but f, as the shipped threshold is fitted on fold models and
// applied to the model trained on everything. Unlike nestedF1, it sees the
// shift between fold models' and the full model's scores. ReplyOuterCV
// receives the F1 without and with the per-user adaptation.
var (
	ReplyOuter   bool
	ReplyOuterCV []float64
)

func outerCV(d *KindData, intent []ml.Example, o ml.TrainOptions, groups []string, kms []*ml.Model, scores []float64, labels []bool, dates []time.Time, foldOf []int, boxes [][]boxMsg) (plain, adapted float64, err error) {
	var tp, fp, fn, atp, afp, afn float64
	for f := range groups {
		var is []float64
		var il []bool
		inner := make([][]boxMsg, len(groups))
		for g := range groups {
			if g == f {
				continue
			}
			var train []Labelled
			for _, l := range d.Train {
				if l.Group != groups[f] && l.Group != groups[g] {
					train = append(train, l)
				}
			}
			td := KindData{Train: train}
			m, err := ml.Train(ml.TaskNeedsReply, td.ReplyExamples(intent), o)
			if err != nil {
				return 0, 0, err
			}
			for _, l := range d.Train {
				if l.Group == groups[g] && !l.Weak {
					// The kind model of the first level (trained
					// without g, with f): kind labels only.
					p := replyScore(&l.Msg, m.Predict(l.Msg)[1], kms[g])
					is = append(is, p)
					il = append(il, l.NeedsReply)
				}
			}
			box := d.mailbox(groups[g], false)
			inner[g] = make([]boxMsg, len(box))
			for j, l := range box {
				p := replyScore(&l.Msg, m.Predict(l.Msg)[1], kms[g])
				inner[g][j] = boxMsg{score: p, date: l.Date, person: boxes[g][j].person}
			}
		}
		t, err := replyCut(is, il)
		if err != nil {
			return 0, 0, err
		}
		a := ml.ReplyAdapt{Share: boxShare(inner, f, t), Base: t, Prior: AdaptPrior, Min: AdaptMin}
		for i, s := range scores {
			if foldOf[i] != f {
				continue
			}
			ta := a.Threshold(earlier(boxes[f], dates[i]))
			count(s >= t, labels[i], &tp, &fp, &fn)
			count(s >= ta, labels[i], &atp, &afp, &afn)
		}
		if AdaptDebug != nil {
			fmt.Fprintf(AdaptDebug, "outer %s: threshold %.3f share %.3f\n", groups[f], t, a.Share)
		}
	}
	return f1(tp, fp, fn), f1(atp, afp, afn), nil
}

func count(yes, truth bool, tp, fp, fn *float64) {
	switch {
	case yes && truth:
		*tp++
	case yes:
		*fp++
	case truth:
		*fn++
	}
}

func f1(tp, fp, fn float64) float64 {
	if tp == 0 {
		return 0
	}
	return 2 * tp / (2*tp + fp + fn)
}

// ReplyKindGate makes the needs_reply cross-fit and evaluation decide on
// ml.GateReply of the needs_reply probability and the kind scores (the
// fold's own kind model in the cross-fit, the classifier's in the
// evaluation), so the threshold is fitted on gated scores. On since round
// K5 (doc/design/models.md: chosen by the training cross-fit).
var ReplyKindGate = true

// ReplyApproval makes the needs_reply cross-fit score approval requests
// as ml.ReplyScore does (raised to ml.ApprovalScore), so the threshold is
// fitted on those scores; the models TrainModels writes then carry
// ml.MetricApprovalRule (and ml.MetricKindGate with ReplyKindGate), and
// the classifier scores as they were fitted. On since round K5.
var ReplyApproval = true

// replyScore is ml.ReplyScore of the needs_reply probability p of m under
// the settings above, gated by the kind model km's scores (spam left to
// the spam model) when ReplyKindGate is set and km is not nil.
func replyScore(m *wire.Message, p float64, km *ml.Model) float64 {
	var ks map[string]float64
	if ReplyKindGate && km != nil {
		ks = kindScores(km.Info().Classes, km.Predict(*m))
	}
	return ml.ReplyScore(m, p, ks, ReplyKindGate && km != nil, ReplyApproval)
}

// replyMetrics is metrics with the needs_reply scoring settings added, for
// the model the classifier will score with (nil stays nil when neither is
// set).
func replyMetrics(metrics map[string]float64) map[string]float64 {
	if metrics == nil && !ReplyKindGate && !ReplyApproval {
		return nil
	}
	m := make(map[string]float64, len(metrics)+2)
	for k, v := range metrics {
		m[k] = v
	}
	if ReplyKindGate {
		m[ml.MetricKindGate] = 1
	}
	if ReplyApproval {
		m[ml.MetricApprovalRule] = 1
	}
	return m
}

// kindScores turns a kind model's probabilities into the KindScores the
// classifier reports when the spam model says ham: spam's class left out
// and the rest renormalised.
func kindScores(classes []string, p []float64) map[string]float64 {
	var rest float64
	for i, c := range classes {
		if c != "spam" {
			rest += p[i]
		}
	}
	out := make(map[string]float64, len(classes))
	for i, c := range classes {
		if c != "spam" && rest > 0 {
			out[c] = p[i] / rest
		}
	}
	out["spam"] = 0
	return out
}

// EvalAdapted is the needs_reply evaluation with the per-user adaptation
// as PAM would run it: each held-out mailbox (hand-labelled and unlabelled
// mail of one group of d.Test) is classified whole with c, and each
// hand-labelled message is decided at a.Threshold of the scores of the
// mail of its mailbox that c calls person and that is strictly older than
// it (scored as the classifier scores with c's needs_reply model, see
// EvalKind). It returns precision, recall and F1.
func EvalAdapted(c *ml.Classifier, d *KindData, a ml.ReplyAdapt) (precision, recall, f float64) {
	var tp, fp, fn float64
	test := map[string]bool{}
	for _, l := range d.Test {
		test[l.Rel] = true
	}
	for _, g := range handGroups(d.Test) {
		box := d.mailbox(g, true)
		msgs := make([]wire.Message, len(box))
		for i, l := range box {
			msgs[i] = l.Msg
		}
		res := c.Classify(msgs)
		bm := make([]boxMsg, len(box))
		for i, r := range res {
			bm[i] = boxMsg{score: r.NeedsReply, date: box[i].Date, person: r.Kind == "person"}
		}
		for i, l := range box {
			if !test[l.Rel] {
				continue // history only
			}
			t := a.Threshold(earlier(bm, l.Date))
			count(bm[i].score >= t, l.NeedsReply, &tp, &fp, &fn)
		}
	}
	if tp+fp > 0 {
		precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		recall = tp / (tp + fn)
	}
	return precision, recall, f1(tp, fp, fn)
}

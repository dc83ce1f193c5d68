package corpus

import (
	"fmt"
	"io"
	"sort"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// KindReport is the kind/needs_reply evaluation on unseen mail.
type KindReport struct {
	N              int
	KindAccuracy   float64
	ReplyPrecision float64
	ReplyRecall    float64
	ReplyF1        float64
	ReplyPositives int
	ReplyAUC       float64                   // ranking quality, whatever the threshold
	Confusion      map[string]map[string]int // truth -> predicted -> count
	Errors         []string                  // "rel truth->predicted" per kind error, "rel reply truth p" per needs_reply error
	PerGroup       map[string][2]int         // group -> right, total
}

// EvalKind classifies test with c and scores kind accuracy and the F1 of
// needs_reply (NeedsReply ≥ threshold counts as yes; the classifier
// gates and raises it as its needs_reply model's metrics say, see
// ml.ReplyScore).
func EvalKind(c *ml.Classifier, test []Labelled, threshold float64) KindReport {
	msgs := make([]wire.Message, len(test))
	for i, l := range test {
		msgs[i] = l.Msg
	}
	res := c.Classify(msgs)
	r := KindReport{N: len(test), Confusion: map[string]map[string]int{}, PerGroup: map[string][2]int{}}
	right, tp, fp, fn := 0, 0, 0, 0
	for i, l := range test {
		got := res[i].Kind
		if r.Confusion[l.Kind] == nil {
			r.Confusion[l.Kind] = map[string]int{}
		}
		r.Confusion[l.Kind][got]++
		g := r.PerGroup[l.Group]
		g[1]++
		if got == l.Kind {
			right++
			g[0]++
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("%s %s->%s", l.Rel, l.Kind, got))
		}
		if (res[i].NeedsReply >= threshold) != l.NeedsReply {
			r.Errors = append(r.Errors, fmt.Sprintf("%s reply %v p=%.2f", l.Rel, l.NeedsReply, res[i].NeedsReply))
		}
		r.PerGroup[l.Group] = g
		yes := res[i].NeedsReply >= threshold
		switch {
		case yes && l.NeedsReply:
			tp++
		case yes:
			fp++
		case l.NeedsReply:
			fn++
		}
	}
	r.ReplyPositives = tp + fn
	var sc []float64
	var lb []bool
	for i, l := range test {
		sc = append(sc, res[i].NeedsReply)
		lb = append(lb, l.NeedsReply)
	}
	r.ReplyAUC = ml.AUC(sc, lb)
	if len(test) > 0 {
		r.KindAccuracy = float64(right) / float64(len(test))
	}
	if tp+fp > 0 {
		r.ReplyPrecision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r.ReplyRecall = float64(tp) / float64(tp+fn)
	}
	if r.ReplyPrecision+r.ReplyRecall > 0 {
		r.ReplyF1 = 2 * r.ReplyPrecision * r.ReplyRecall / (r.ReplyPrecision + r.ReplyRecall)
	}
	return r
}

// Print writes the report as text.
func (r KindReport) Print(w io.Writer) {
	fmt.Fprintf(w, "unseen messages: %d\nkind accuracy: %.3f\nneeds_reply: precision %.3f recall %.3f F1 %.3f (%d positives), AUC %.3f\n",
		r.N, r.KindAccuracy, r.ReplyPrecision, r.ReplyRecall, r.ReplyF1, r.ReplyPositives, r.ReplyAUC)
	var gs []string
	for g := range r.PerGroup {
		gs = append(gs, g)
	}
	sort.Strings(gs)
	for _, g := range gs {
		v := r.PerGroup[g]
		fmt.Fprintf(w, "  %-14s kind %d/%d\n", g, v[0], v[1])
	}
	fmt.Fprintf(w, "confusion (truth: predicted counts)\n")
	for _, k := range ml.Kinds {
		row := r.Confusion[k]
		if row == nil {
			continue
		}
		fmt.Fprintf(w, "  %-12s", k)
		for _, p := range ml.Kinds {
			if row[p] > 0 {
				fmt.Fprintf(w, " %s=%d", p, row[p])
			}
		}
		fmt.Fprintln(w)
	}
}

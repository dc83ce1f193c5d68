package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/ml/corpus"
)

// sampleOpts selects messages to label by hand.
type sampleOpts struct {
	n     int    // how many
	part  string // "train" or "unseen"
	group string // only this group (an Enron user, a SpamAssassin folder); "" all
	weak  string // only messages whose weak kind is this ("none": no rule fired); "" all
	seed  string // mixed into the hash that orders the pool
	skip  int    // skip the first skip of the order (a later round)
	chars int    // how much of the text to show
	// notDom leaves out senders whose address ends with it.
	notDom string
}

// printSample shows n messages of the pool without a hand label, in the
// order of a hash of seed and path (so a round is reproducible and does
// not depend on any model), for labelling by hand: sender, recipients,
// subject, list headers and the start of the text. It prints no model's
// opinion of them.
func printSample(w io.Writer, d *corpus.KindData, o sampleOpts) error {
	var pool []corpus.Labelled
	switch o.part {
	case "train":
		pool = d.Pool
	case "unseen":
		pool = d.HeldPool
	default:
		return fmt.Errorf("sample part %q: want train or unseen", o.part)
	}
	var sel []corpus.Labelled
	for _, l := range pool {
		if l.ReplyHand {
			continue // already labelled for needs_reply
		}
		if o.group != "" && l.Group != o.group {
			continue
		}
		wk := l.Kind
		if wk == "" {
			wk = "none"
		}
		if o.weak != "" && wk != o.weak {
			continue
		}
		if o.notDom != "" && strings.HasSuffix(strings.ToLower(l.Msg.From), o.notDom) {
			continue
		}
		sel = append(sel, l)
	}
	h := func(s string) uint32 {
		x := uint32(2166136261)
		for i := 0; i < len(s); i++ {
			x = (x ^ uint32(s[i])) * 16777619
		}
		return x
	}
	sort.Slice(sel, func(i, j int) bool {
		a, b := h(o.seed+sel[i].Rel), h(o.seed+sel[j].Rel)
		if a != b {
			return a < b
		}
		return sel[i].Rel < sel[j].Rel
	})
	if o.skip < len(sel) {
		sel = sel[o.skip:]
	} else {
		sel = nil
	}
	if len(sel) > o.n {
		sel = sel[:o.n]
	}
	for _, l := range sel {
		m := l.Msg
		fmt.Fprintf(w, "=== %s\n", l.Rel)
		fmt.Fprintf(w, "From: %s <%s>\nUser: %s\nTo(%d): %s\nCc(%d): %s\nSubject: %s\n", m.FromName, m.From,
			strings.Join(m.UserAddresses, ","), len(m.To), clip(strings.Join(m.To, ", "), 200), len(m.Cc), clip(strings.Join(m.Cc, ", "), 200), m.Subject)
		var hs []string
		for k, v := range m.Headers {
			switch k {
			case "List-Id", "List-Unsubscribe", "Precedence", "List-Post", "Mailing-List", "Auto-Submitted", "X-Mailer", "In-Reply-To":
				hs = append(hs, k+"="+clip(v, 60))
			}
		}
		sort.Strings(hs)
		fmt.Fprintf(w, "Hdr: %s html=%v links=%d\n", strings.Join(hs, " | "), m.HTML, m.Links)
		t := strings.Join(strings.Fields(m.Text), " ")
		fmt.Fprintf(w, "%s\n\n", clip(t, o.chars))
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// weakConfusion prints how the weak-label rules (corpus.WeakKind) label
// the hand-labelled training messages: hand kind by weak kind ("none"
// when no rule fires), and with errors each disagreement.
func weakConfusion(w io.Writer, d *corpus.KindData, errors bool) {
	conf := map[string]map[string]int{}
	var bad []string
	for _, l := range d.Train {
		if l.Weak || l.Group == "demo" {
			continue
		}
		k, ok := corpus.WeakKind(l.Msg, l.Group, d.Lists)
		if !ok {
			k = "none"
		}
		if conf[l.Kind] == nil {
			conf[l.Kind] = map[string]int{}
		}
		conf[l.Kind][k]++
		if ok && k != l.Kind {
			bad = append(bad, l.Rel+" "+l.Kind+"->"+k)
		}
	}
	var ks []string
	for k := range conf {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	fmt.Fprintln(w, "hand kind: weak kind counts (training part)")
	for _, k := range ks {
		var ps []string
		for p, n := range conf[k] {
			ps = append(ps, fmt.Sprintf("%s=%d", p, n))
		}
		sort.Strings(ps)
		fmt.Fprintf(w, "  %-12s %s\n", k, strings.Join(ps, " "))
	}
	if errors {
		for _, b := range bad {
			fmt.Fprintln(w, "  ", b)
		}
	}
}

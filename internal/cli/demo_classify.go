package cli

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	registerDemoStep(demoStep{Order: 40, Title: "Inbox by kind, needs-reply first", Run: demoByKind})
}

// demoKindOrder is the order the kinds are shown in.
var demoKindOrder = []string{"person", "notification", "forum", "newsletter", "promotion", "social", "spam"}

// demoByKind shows the inbox grouped by the pipeline's classification:
// threads whose latest message needs a reply first, then each kind, and
// how the classification compares with the demo's ground truth.
func demoByKind(ctx context.Context, d *demoRun) error {
	threads, err := d.Store.Inbox(ctx, 1000, notInbox)
	if err != nil {
		return err
	}
	rows := make([]int64, len(threads))
	for i, t := range threads {
		rows[i] = t.Latest.Row
	}
	res, err := pipeline.Results(ctx, d.Store, rows)
	if err != nil {
		return err
	}
	type item struct {
		s store.Summary
		r pipeline.Result
	}
	var reply []item
	groups := map[string][]item{}
	degraded := 0
	for _, t := range threads {
		r, ok := res[t.Latest.Row]
		if !ok {
			continue
		}
		if r.Degraded {
			degraded++
		}
		s := t.Latest
		if t.Count > 1 {
			s.Subject += fmt.Sprintf(" (%d)", t.Count)
		}
		s.Unread = t.Unread > 0
		it := item{s, r}
		if r.NeedsReply >= 0.5 && r.Kind != "spam" {
			reply = append(reply, it)
			continue
		}
		groups[r.Kind] = append(groups[r.Kind], it)
	}
	fmt.Fprintf(d.Out, "$ pam inbox, grouped by the classifier (%d of %d threads classified", len(res), len(threads))
	if degraded > 0 {
		fmt.Fprintf(d.Out, "; %d by rules only", degraded)
	}
	fmt.Fprintln(d.Out, ")")
	sort.SliceStable(reply, func(i, j int) bool { return reply[i].r.NeedsReply > reply[j].r.NeedsReply })
	show := func(title string, list []item, n int) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(d.Out, "-- %s (%d)\n", title, len(list))
		for i, it := range list {
			if i == n {
				fmt.Fprintf(d.Out, "   … and %d more\n", len(list)-n)
				break
			}
			printSummaryLine(d.Out, it.s)
		}
	}
	show("needs a reply", reply, 8)
	kinds := slices.Clone(demoKindOrder)
	for k := range groups {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		show(k, groups[k], 3)
	}
	return demoAgreement(ctx, d)
}

// demoAgreement compares the stored classifications with the demo's
// ground truth.
func demoAgreement(ctx context.Context, d *demoRun) error {
	all, err := pipeline.ByID(ctx, d.Store)
	if err != nil {
		return err
	}
	var n, kindOK, tp, fp, fn int
	for _, m := range demo.Messages(d.Now) {
		pm, err := mail.Parse(m.Raw)
		if err != nil {
			continue
		}
		r, ok := all[pm.ID]
		if !ok {
			continue
		}
		n++
		if r.Kind == m.Kind {
			kindOK++
		}
		got := r.NeedsReply >= 0.5
		switch {
		case got && m.NeedsReply:
			tp++
		case got:
			fp++
		case m.NeedsReply:
			fn++
		}
	}
	if n == 0 {
		return nil
	}
	f1 := 0.0
	if tp > 0 {
		f1 = 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	fmt.Fprintf(d.Out, "against the demo's ground truth: kind right for %d of %d messages (%.0f%%), needs-reply F1 %.2f\n",
		kindOK, n, 100*float64(kindOK)/float64(n), f1)
	fmt.Fprintln(d.Out, "(the demo mailbox may be in the models' training sample: this shows the pipeline at work, not how well it generalises)")
	return nil
}

// Command calibrate fits and checks the calibration of the device's
// confidences for the extract and reply jobs on labelled data that the
// models never trained on, and (with -write) regenerates the tables that
// internal/extract and internal/reply ship.
//
//	go run ./bench/privacy/calibrate [-write] [-labels labels/kind.tsv]
//
// With -write it also writes the report to bench/privacy/calibration.md.
//
// Extract: the action model is cross-fitted over five folds of the Email
// Intent sentences (../shared/data/email-intent/train.tsv, folds by a hash
// of the sentence): each fold is scored by a model trained with the
// shipped settings on the other four. Each sentence is decided as Extract
// decides it (extract.DecideSentence: the threshold for an explicit ask, a
// question, a statement; rule-decided sentences are left out) and a
// monotone map from the model's probability to the observed share of
// "Yes" is fitted per kind of decision (binned, then pool-adjacent-
// violators). The map is checked on the half of the folds it was not
// fitted on before the shipped map is fitted on all of them.
//
// Reply: the hand-labelled messages of labels/kind.tsv (needs_reply by
// hand) that the quick-reply trigger runs on. The map from the trigger's
// evidence to the share that need a reply is fitted on the training users
// and dates of the classifier's split (internal/ml/corpus) and checked on
// the unseen users and dates. The action model never trained on any of
// these messages.
//
// It reads the data by path and copies none of it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/format"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
	"github.com/pam-ai/pam/internal/reply"
	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func main() {
	write := flag.Bool("write", false, "regenerate internal/extract/calibration.go and internal/reply/calibration.go")
	dump := flag.String("dump", "", "write the per-item scores to this file (TSV, no text)")
	labels := flag.String("labels", "labels/kind.tsv", "hand labels (needs_reply), relative to the repository root or absolute")
	flag.Parse()
	if err := run(context.Background(), *write, *dump, *labels); err != nil {
		fmt.Fprintln(os.Stderr, "calibrate:", err)
		os.Exit(1)
	}
}

// sentence is one labelled intent sentence with its out-of-fold score.
type sentence struct {
	text      string
	yes       bool
	fold      int
	p         float64 // out-of-fold action probability
	threshold float64 // Extract's threshold for it; 0: a rule decides
}

const folds = 5

func fold(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % folds)
}

func loadIntent(path string) ([]sentence, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sentence
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lab, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.TrimSpace(text) == "" {
			continue
		}
		out = append(out, sentence{text: text, yes: lab == "Yes", fold: fold(text)})
	}
	return out, sc.Err()
}

// crossFit scores every sentence with a model trained, with the shipped
// settings, on the folds it is not in.
func crossFit(ctx context.Context, ss []sentence, info extract.ModelInfo) error {
	for k := 0; k < folds; k++ {
		var ex []extract.Example
		for _, s := range ss {
			if s.fold != k {
				ex = append(ex, extract.Example{Text: s.text, Action: s.yes})
			}
		}
		m, err := extract.Train(ex, extract.TrainOptions{Features: info.Features, Threshold: info.Threshold})
		if err != nil {
			return err
		}
		for i := range ss {
			if ss[i].fold == k {
				ss[i].p = m.Prob(ss[i].text)
			}
		}
	}
	return nil
}

// bin is one step of a fitted monotone map: probabilities below Upto (and
// at or above the previous step's) map to Rate.
type bin struct {
	Upto, Rate float64
	N          int
}

// fitMonotone bins (x, y) pairs into at most nb equal-count bins, then
// pools adjacent bins until the rates do not decrease. Rates are smoothed
// towards the pooled mean by one pseudo-count each way (Laplace), so that
// no bin claims certainty from a handful of examples.
func fitMonotone(xs []float64, ys []bool, nb int) []bin {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	type blk struct {
		hi       float64
		pos, all float64
	}
	var bs []blk
	per := max(1, (len(idx)+nb-1)/nb)
	for start := 0; start < len(idx); {
		end := min(len(idx), start+per)
		// Keep equal x values in one bin.
		for end < len(idx) && xs[idx[end]] == xs[idx[end-1]] {
			end++
		}
		b := blk{hi: xs[idx[end-1]]}
		for _, i := range idx[start:end] {
			b.all++
			if ys[i] {
				b.pos++
			}
		}
		bs = append(bs, b)
		start = end
	}
	// Pool adjacent violators.
	for changed := true; changed; {
		changed = false
		for i := 0; i+1 < len(bs); i++ {
			if (bs[i].pos+1)/(bs[i].all+2) > (bs[i+1].pos+1)/(bs[i+1].all+2) {
				bs[i+1].pos += bs[i].pos
				bs[i+1].all += bs[i].all
				bs = append(bs[:i], bs[i+1:]...)
				changed = true
				break
			}
		}
	}
	out := make([]bin, len(bs))
	for i, b := range bs {
		upto := 1.0
		if i+1 < len(bs) {
			upto = b.hi // the next block starts above it
		}
		out[i] = bin{Upto: upto, Rate: (b.pos + 1) / (b.all + 2), N: int(b.all)}
	}
	return out
}

// lookup is the step function: the rate of the first bin whose Upto is at
// least x.
func lookup(bs []bin, x float64) float64 {
	for _, b := range bs {
		if x <= b.Upto {
			return b.Rate
		}
	}
	return bs[len(bs)-1].Rate
}

// reliability prints, for confidences in bands, how often the decision
// was right.
func reliability(w *bytes.Buffer, title string, conf []float64, right []bool) {
	edges := []float64{0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001}
	fmt.Fprintf(w, "\n%s\n\n| confidence | items | mean confidence | right |\n|---|---:|---:|---:|\n", title)
	var ece, n float64
	for i := 0; i+1 < len(edges); i++ {
		var c, r, k float64
		for j, x := range conf {
			if x >= edges[i] && x < edges[i+1] {
				c += x
				k++
				if right[j] {
					r++
				}
			}
		}
		if k == 0 {
			continue
		}
		hi := edges[i+1]
		if hi > 1 {
			hi = 1
		}
		fmt.Fprintf(w, "| [%.2f, %.2f%s | %d | %.3f | %.3f |\n", edges[i], hi, map[bool]string{true: "]", false: ")"}[edges[i+1] > 1], int(k), c/k, r/k)
		ece += math.Abs(c-r) / 1
		n += k
	}
	var acc, above, aboveRight float64
	for j, x := range conf {
		if right[j] {
			acc++
		}
		if x >= 0.75 {
			above++
			if right[j] {
				aboveRight++
			}
		}
	}
	fmt.Fprintf(w, "\n%d items, right %.3f; confidence >= 0.75: %d (%.1f%%), right %.3f; expected calibration error %.3f.\n",
		len(conf), acc/float64(max(1, len(conf))), int(above), 100*above/float64(max(1, len(conf))), aboveRight/math.Max(1, above), ece/math.Max(1, n))
}

func run(ctx context.Context, write bool, dump, labels string) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	data := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		return fmt.Errorf("evaluation data: %w", err)
	}
	var out bytes.Buffer
	ex, prior, err := extractCalibration(ctx, &out, filepath.Join(data, "email-intent", "train.tsv"), dump)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(labels) {
		labels = filepath.Join(root, labels)
	}
	items, nLabels, err := loadReply(ctx, labels, filepath.Join(data, "mail"))
	if err != nil {
		return err
	}
	if err := classifierScores(items, labels, filepath.Join(data, "mail")); err != nil {
		return err
	}
	shifted, est := shiftPriors(items, ex, prior)
	fmt.Fprintf(&out, "\nShare of asks per form: Email Intent %s; estimated for the sentences Extract decides in the training users' and dates' hand-labelled person mail (EM, Saerens et al. 2002) %s.\n",
		fmtShares(prior), fmtShares(est))
	messageLevel(&out, items, ex, shifted)
	msgMap := messageMap(&out, items, ex)
	exWeightsC := messageMapC(&out, items, ex, msgMap)
	rp, err := replyCalibration(&out, items, nLabels, dump)
	if err != nil {
		return err
	}
	os.Stdout.Write(out.Bytes())
	if write {
		head := "Generated by `go run ./bench/privacy/calibrate -write`. The tables in internal/extract/calibration.go and internal/reply/calibration.go come from the same run.\n"
		i := bytes.IndexByte(out.Bytes(), '\n')
		// The title first, then the provenance line.
		report := append(append(append([]byte{}, out.Bytes()[:i+1]...), "\n"+head...), out.Bytes()[i+1:]...)
		if err := os.WriteFile(filepath.Join(root, "bench", "privacy", "calibration.md"), report, 0o644); err != nil {
			return err
		}
		if err := writeExtract(filepath.Join(root, "internal", "extract", "calibration.go"), ex, msgMap, exWeightsC); err != nil {
			return err
		}
		if err := writeReply(filepath.Join(root, "internal", "reply", "calibration.go"), rp); err != nil {
			return err
		}
	}
	return nil
}

// forms are the kinds of model decision calibrated separately.
var forms = []string{extract.FormAsk, extract.FormQuestion, extract.FormStatement}

// extractCalibration cross-fits the action model, prints the reliability
// of the raw and the calibrated per-sentence certainties, and returns the
// maps fitted on all folds.
func extractCalibration(ctx context.Context, w *bytes.Buffer, path, dump string) (map[string][]bin, map[string]float64, error) {
	ss, err := loadIntent(path)
	if err != nil {
		return nil, nil, err
	}
	shipped, err := extract.Default()
	if err != nil {
		return nil, nil, err
	}
	if err := crossFit(ctx, ss, shipped.Info()); err != nil {
		return nil, nil, err
	}
	var model []sentence
	count := map[string]int{}
	formOf := map[string]string{}
	for i := range ss {
		d := extract.DecideSentence(ss[i].text, false, false, extract.Options{})
		if !d.Model {
			count["rule"]++
			continue
		}
		ss[i].threshold = d.Threshold
		formOf[ss[i].text] = d.Form
		count[d.Form]++
		model = append(model, ss[i])
	}
	fmt.Fprintf(w, "# Calibration of the device's confidences\n\n## extract: action-sentence decisions\n\n%d Email Intent sentences, scored out of fold (%d folds by a hash of the text, each scored by a model trained with the shipped settings on the other folds); decided as Extract decides a sentence of someone else's mail: %d by a rule (left out), %d asks, %d questions, %d statements.\n",
		len(ss), folds, count["rule"], count[extract.FormAsk], count[extract.FormQuestion], count[extract.FormStatement])
	if dump != "" {
		f, err := os.Create(dump + ".extract.tsv")
		if err != nil {
			return nil, nil, err
		}
		for _, s := range model {
			fmt.Fprintf(f, "%d\t%s\t%.4f\t%.2f\t%v\n", s.fold, formOf[s.text], s.p, s.threshold, s.yes)
		}
		f.Close()
	}
	fit := func(part []sentence) map[string][]bin {
		out := map[string][]bin{}
		for _, f := range forms {
			var xs []float64
			var ys []bool
			for _, s := range part {
				if formOf[s.text] == f {
					xs, ys = append(xs, s.p), append(ys, s.yes)
				}
			}
			out[f] = fitMonotone(xs, ys, 12)
		}
		return out
	}
	raw := func(s sentence) (float64, bool) {
		taken := s.p >= s.threshold
		return certainty(s.p, s.threshold), taken == s.yes
	}
	var rc []float64
	var rr []bool
	for _, s := range model {
		c, ok := raw(s)
		rc, rr = append(rc, c), append(rr, ok)
	}
	reliability(w, "Raw: certainty = p or 1−p at the sentence's threshold (as router.ExtractConfidence took it), out-of-fold p.", rc, rr)
	// Check: fit on folds {0,1} (resp. {2,3,4}), measure on the others.
	var cc []float64
	var cr []bool
	for _, half := range [][]int{{0, 1}, {2, 3, 4}} {
		in := map[int]bool{}
		for _, k := range half {
			in[k] = true
		}
		var fitPart []sentence
		for _, s := range model {
			if !in[s.fold] {
				fitPart = append(fitPart, s)
			}
		}
		maps := fit(fitPart)
		for _, s := range model {
			if in[s.fold] {
				q := lookup(maps[formOf[s.text]], s.p)
				taken := s.p >= s.threshold
				c := q
				if !taken {
					c = 1 - q
				}
				cc, cr = append(cc, c), append(cr, taken == s.yes)
			}
		}
	}
	reliability(w, "Calibrated: the map per form fitted on folds 2–4 and measured on folds 0–1, and the other way round.", cc, cr)
	all := fit(model)
	fmt.Fprintf(w, "\nShipped map (fitted on all folds): probability up to → share of Yes (sentences)\n\n")
	for _, f := range forms {
		var parts []string
		for _, b := range all[f] {
			parts = append(parts, fmt.Sprintf("≤%.3f → %.3f (%d)", b.Upto, b.Rate, b.N))
		}
		fmt.Fprintf(w, "- %s: %s\n", f, strings.Join(parts, "; "))
	}
	prior := map[string]float64{}
	for _, f := range forms {
		n, yes := 0, 0
		for _, s := range model {
			if formOf[s.text] == f {
				n++
				if s.yes {
					yes++
				}
			}
		}
		prior[f] = float64(yes) / float64(max(1, n))
	}
	return all, prior, nil
}

func certainty(p, t float64) float64 {
	if p >= t {
		return p
	}
	return 1 - p
}

// replyItem is one hand-labelled message the trigger runs on.
type replyItem struct {
	rel      string
	held     bool // in the classifier's unseen part
	needs    bool
	best     float64 // highest action probability of the own sentences
	question bool
	thanks   bool
	invite   bool
	score    float64 // reply.Trigger's score
	// extract, on the messages it runs on (hand kind person, not
	// automated): the product and the least of the calibrated decision
	// certainties, and whether Extract returned any item.
	exRuns    bool
	exDecs    []decided // Extract's model decisions on the message
	exItems   bool
	replyRuns bool
	rcpt      int // To and Cc addresses
	nSent     int // own sentences
	// clf is the needs_reply classifier's probability: cross-fitted for
	// the training users and dates (the shipped model trained on them),
	// the shipped model's for the unseen ones; hasClf when there is one.
	clf    float64
	hasClf bool
}

func loadReply(ctx context.Context, labelsPath, mailDir string) ([]replyItem, int, error) {
	labels, err := corpus.ReadLabels(labelsPath)
	if err != nil {
		return nil, 0, err
	}
	cut, err := corpus.DateCut(mailDir, corpus.TestShare)
	if err != nil {
		return nil, 0, err
	}
	testUser := map[string]bool{}
	for _, u := range corpus.TestUsers {
		testUser[u] = true
	}
	act, err := extract.Default()
	if err != nil {
		return nil, 0, err
	}
	var out []replyItem
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(mailDir, l.Rel))
		if err != nil {
			return nil, 0, err
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			continue
		}
		parts := strings.Split(filepath.ToSlash(l.Rel), "/")
		held := false
		switch parts[0] {
		case "enron":
			held = testUser[parts[1]]
		case "spamassassin":
			t, _ := corpus.FirstReceived(raw)
			c := cut[parts[1]]
			held = !c.IsZero() && !t.Before(c)
		}
		msg := extract.FromMessage(pm, extract.Address{})
		it := replyItem{rel: l.Rel, held: held, needs: l.NeedsReply, rcpt: len(msg.To) + len(msg.Cc)}
		if em := msg; true {
			em.Bulk = l.Kind != "person"
			if extract.Runs(em) {
				ds := extract.Decisions(em, extract.Options{})
				texts := make([]string, len(ds))
				for i, d := range ds {
					texts[i] = d.Text
				}
				probs, err := act.Score(ctx, texts)
				if err != nil {
					return nil, 0, err
				}
				it.exRuns = true
				for i, d := range ds {
					if d.Model {
						it.exDecs = append(it.exDecs, decided{form: d.Form, p: probs[i], th: d.Threshold})
					}
				}
				items, err := extract.Extract(ctx, em, act, extract.Options{Location: time.UTC})
				if err != nil {
					return nil, 0, err
				}
				it.exItems = len(items) > 0
			}
		}
		if !reply.Runs(msg) {
			if it.exRuns {
				out = append(out, it)
			}
			continue
		}
		var texts []string
		for _, s := range extract.Sentences(extract.Body(msg.Text)) {
			texts = append(texts, s.Text)
		}
		probs, err := act.Score(ctx, texts)
		if err != nil {
			return nil, 0, err
		}
		it.nSent = len(texts)
		ev := reply.EvidenceOf(reply.Input{Msg: msg, Probs: probs})
		_, score := reply.Trigger(reply.Input{Msg: msg, Probs: probs}, 0.5)
		it.replyRuns, it.best, it.question, it.thanks, it.invite, it.score = true, ev.Best, ev.Question, ev.Thanks, ev.Invite, score
		out = append(out, it)
	}
	return out, len(labels), nil
}

type replyMaps struct {
	weights  []float64
	weightsC []float64 // with the classifier's needs_reply as a fifth input
}

func replyCalibration(w *bytes.Buffer, all []replyItem, nLabels int, dump string) (replyMaps, error) {
	var items []replyItem
	for _, it := range all {
		if it.replyRuns {
			items = append(items, it)
		}
	}
	var train, held []replyItem
	for _, it := range items {
		if it.held {
			held = append(held, it)
		} else {
			train = append(train, it)
		}
	}
	count := func(its []replyItem) (n int) {
		for _, it := range its {
			if it.needs {
				n++
			}
		}
		return n
	}
	fmt.Fprintf(w, "\n## reply: the quick-reply trigger\n\n%d hand-labelled messages the trigger runs on (of %d labels; the rest are automated, have no text of their own or do not parse): %d of training users and dates (%d need a reply), %d unseen (%d). A decision is right when the trigger fires on a message labelled as needing a reply, or stays silent on one that is not.\n",
		len(items), nLabels, len(train), count(train), len(held), count(held))
	if dump != "" {
		f, err := os.Create(dump + ".reply.tsv")
		if err != nil {
			return replyMaps{}, err
		}
		for _, it := range items {
			fmt.Fprintf(f, "%s\t%v\t%v\t%.4f\t%v\t%v\t%v\t%.4f\t%d\t%d\t%v\t%v\t%.4f\t%v\n", it.rel, it.held, it.needs, it.best, it.question, it.thanks, it.invite, it.score, it.rcpt, it.nSent, it.exRuns, it.exItems, it.clf, it.hasClf)
		}
		f.Close()
		g, err := os.Create(dump + ".decisions.tsv")
		if err != nil {
			return replyMaps{}, err
		}
		for _, it := range all {
			for _, d := range it.exDecs {
				fmt.Fprintf(g, "%s\t%v\t%v\t%v\t%s\t%.4f\t%.2f\n", it.rel, it.held, it.needs, it.exItems, d.form, d.p, d.th)
			}
			if it.exRuns && len(it.exDecs) == 0 {
				fmt.Fprintf(g, "%s\t%v\t%v\t%v\t-\t0\t0\n", it.rel, it.held, it.needs, it.exItems)
			}
		}
		g.Close()
	}
	vec := func(it replyItem) []float64 {
		return reply.Evidence{Best: it.best, Question: it.question, Thanks: it.thanks}.Vector()
	}
	// floorScore is the trigger's score as it was, with its floors.
	floorScore := func(it replyItem) float64 {
		sc := it.best
		if it.invite {
			sc = max(sc, 0.9)
		}
		if it.question {
			sc = max(sc, 0.6)
		}
		if it.thanks {
			sc = max(sc, 0.55)
		}
		return sc
	}
	table := func(title string, its []replyItem, fires func(replyItem) bool, conf func(replyItem) float64) {
		var c []float64
		var r []bool
		for _, it := range its {
			c = append(c, conf(it))
			r = append(r, fires(it) == it.needs)
		}
		reliability(w, title, c, r)
	}
	floorFires := func(it replyItem) bool { return floorScore(it) >= 0.5 }
	fires := func(it replyItem) bool { return it.score >= 0.5 }
	old := func(it replyItem) float64 { return certainty(floorScore(it), 0.5) }
	table("Before: the trigger with its floors (0.6 for a question, 0.55 for a short thank-you), confidence = its score or 1 − score at 0.5; training users and dates.", train, floorFires, old)
	table("Before; unseen users and dates.", held, floorFires, old)
	floorOnly, floorOnlyNeeds := 0, 0
	for _, it := range items {
		if floorFires(it) && !fires(it) {
			floorOnly++
			if it.needs {
				floorOnlyNeeds++
			}
		}
	}
	fmt.Fprintf(w, "\nMessages on which only a floor made the trigger fire: %d, of which %d need a reply. The shipped trigger has no floors (an invitation still scores 0.9).\n", floorOnly, floorOnlyNeeds)
	acc := func(its []replyItem, f func(replyItem) bool) float64 {
		n := 0
		for _, it := range its {
			if f(it) == it.needs {
				n++
			}
		}
		return float64(n) / float64(max(1, len(its)))
	}
	fmt.Fprintf(w, "Decisions right: with floors %.3f (training) %.3f (unseen); without %.3f / %.3f.\n", acc(train, floorFires), acc(held, floorFires), acc(train, fires), acc(held, fires))
	wTrain := fitLogistic(train, vec)
	calibrated := func(wt []float64) func(replyItem) float64 {
		return func(it replyItem) float64 {
			p := logistic(wt, vec(it))
			if fires(it) {
				return p
			}
			return 1 - p
		}
	}
	table(fmt.Sprintf("After: the trigger without floors, confidence = P(needs a reply) (or 1 − P when it stays silent) by a logistic regression over (1, logit best, question, thanks) fitted on the training users and dates (weights %s), measured on the unseen users and dates.", fmtWeights(wTrain)), held, fires, calibrated(wTrain))
	table("The same, with the floors kept (for comparison), unseen users and dates.", held, floorFires, func(it replyItem) float64 {
		p := logistic(wTrain, vec(it))
		if floorFires(it) {
			return p
		}
		return 1 - p
	})
	wAll := fitLogistic(items, vec)
	fmt.Fprintf(w, "\nShipped weights (fitted on all %d messages): %s.\n", len(items), fmtWeights(wAll))

	// With the classifier: the same regression with the log-odds of the
	// needs_reply classifier's probability as a fifth input (cross-fitted
	// scores for the training users and dates, the shipped model's for the
	// unseen ones; see classifierScores).
	vecC := func(it replyItem) []float64 {
		return reply.Evidence{Best: it.best, Question: it.question, Thanks: it.thanks, Classifier: it.clf, HasClassifier: true}.VectorC()
	}
	trainC, heldC, allC := splitHeld(items, func(it replyItem) bool { return it.hasClf })
	fmt.Fprintf(w, "\nWith the classifier's needs_reply probability: %d training messages have a cross-fitted score, %d unseen a score of models trained on the training part only.\n", len(trainC), len(heldC))
	table("Without it (the weights above fitted on the training users and dates), on those unseen messages.", heldC, fires, calibrated(wTrain))
	wTrainC := fitLogistic(trainC, vecC)
	table(fmt.Sprintf("With it: confidence = P(needs a reply) (or 1 − P when the trigger stays silent) by a logistic regression over (1, logit best, question, thanks, logit classifier) fitted on the training users and dates (weights %s), measured on the unseen users and dates.", fmtWeights(wTrainC)), heldC, fires, func(it replyItem) float64 {
		p := logistic(wTrainC, vecC(it))
		if fires(it) {
			return p
		}
		return 1 - p
	})
	firesC := func(it replyItem) bool { return it.invite || logistic(wTrainC, vecC(it)) >= 0.5 }
	fmt.Fprintf(w, "\nDecisions right on those unseen messages: the trigger %.3f; suggesting exactly when this P(needs a reply) ≥ 0.5 %.3f (training %.3f / %.3f).\n",
		acc(heldC, fires), acc(heldC, firesC), acc(trainC, fires), acc(trainC, firesC))
	table("Deciding by it (suggest when P ≥ 0.5, an invitation always), confidence max(P, 1 − P), unseen users and dates.", heldC, firesC, func(it replyItem) float64 {
		if it.invite {
			return 0.9
		}
		p := logistic(wTrainC, vecC(it))
		return max(p, 1-p)
	})
	wAllC := fitLogistic(allC, vecC)
	fmt.Fprintf(w, "\nShipped weights with the classifier (fitted on all %d messages with a score): %s.\n", len(allC), fmtWeights(wAllC))
	return replyMaps{weights: wAll, weightsC: wAllC}, nil
}

func fmtWeights(w []float64) string {
	var s []string
	for _, x := range w {
		s = append(s, fmt.Sprintf("%.3f", x))
	}
	return strings.Join(s, ", ")
}

func logistic(w, x []float64) float64 {
	var z float64
	for i := range w {
		z += w[i] * x[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// fitLogistic fits P(needs a reply) by Newton's method on the log loss
// with an L2 penalty of 1 on every weight but the constant's.
func fitLogistic(its []replyItem, vec func(replyItem) []float64) []float64 {
	n := len(vec(its[0]))
	w := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, n)
		h := make([][]float64, n)
		for i := range h {
			h[i] = make([]float64, n+1)
		}
		for _, it := range its {
			x := vec(it)
			p := logistic(w, x)
			y := 0.0
			if it.needs {
				y = 1
			}
			for i := 0; i < n; i++ {
				g[i] += (p - y) * x[i]
				for j := 0; j < n; j++ {
					h[i][j] += p * (1 - p) * x[i] * x[j]
				}
			}
		}
		for i := 1; i < n; i++ {
			g[i] += w[i]
			h[i][i]++
		}
		for i := range h {
			h[i][n] = g[i]
		}
		// Gauss-Jordan with partial pivoting.
		for i := 0; i < n; i++ {
			piv := i
			for k := i + 1; k < n; k++ {
				if math.Abs(h[k][i]) > math.Abs(h[piv][i]) {
					piv = k
				}
			}
			h[i], h[piv] = h[piv], h[i]
			for k := 0; k < n; k++ {
				if k != i {
					f := h[k][i] / h[i][i]
					for j := i; j <= n; j++ {
						h[k][j] -= f * h[i][j]
					}
				}
			}
		}
		step := 0.0
		for i := 0; i < n; i++ {
			d := h[i][n] / h[i][i]
			w[i] -= d
			step = max(step, math.Abs(d))
		}
		if step < 1e-10 {
			break
		}
	}
	return w
}

func writeExtract(path string, maps map[string][]bin, msg []bin, needsW []float64) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./bench/privacy/calibrate -write; DO NOT EDIT.\n\npackage extract\n\n")
	b.WriteString("// actionRates maps, per form of sentence, the action model's probability\n// to the share of such sentences that ask (Email Intent, out-of-fold; see\n// doc/design/privacy.md): a probability up to Upto has rate Rate.\nvar actionRates = map[string][]rateStep{\n")
	for _, f := range forms {
		fmt.Fprintf(&b, "\t%q: {", f)
		for i, st := range maps[f] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "{%.4f, %.4f}", st.Upto, st.Rate)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n\n")
	b.WriteString("// messageRates maps the product of a message's decision certainties to the\n// share of hand-labelled messages whose whole extraction was right (see\n// doc/design/privacy.md): a product up to Upto has rate Rate.\nvar messageRates = []rateStep{")
	for i, st := range msg {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{%.4f, %.4f}", st.Upto, st.Rate)
	}
	b.WriteString("}\n\n")
	b.WriteString("// extractNeedsWeights are the logistic regression's weights for P(the\n// message asks the user to act) over (1, logit product, items, logit\n// needs_reply classifier), fitted on hand labels with cross-fitted\n// classifier scores (see doc/design/privacy.md).\n")
	writeFloats(&b, "extractNeedsWeights", needsW)
	return writeGo(path, b.Bytes())
}

// writeFloats writes "var name = [n]float64{...}" with four decimals.
func writeFloats(b *bytes.Buffer, name string, xs []float64) {
	fmt.Fprintf(b, "var %s = [%d]float64{", name, len(xs))
	for i, x := range xs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%.4f", x)
	}
	b.WriteString("}\n")
}

func writeGo(path string, src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("generated %s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}

// writeReply writes the needs-reply weights the trigger's confidence reads.
func writeReply(path string, m replyMaps) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./bench/privacy/calibrate -write; DO NOT EDIT.\n\npackage reply\n\n")
	b.WriteString("// needsReplyWeights are the logistic regression's weights over\n// Evidence.Vector(), fitted to the hand needs_reply labels (see\n// doc/design/privacy.md).\n")
	writeFloats(&b, "needsReplyWeights", m.weights)
	b.WriteString("\n// needsReplyWeightsC are the weights over Evidence.VectorC(): the same\n// inputs and the log-odds of the needs_reply classifier's probability\n// (cross-fitted on the training labels; see doc/design/privacy.md).\n")
	writeFloats(&b, "needsReplyWeightsC", m.weightsC)
	return writeGo(path, b.Bytes())
}

// decided is one model decision of Extract on a labelled message.
type decided struct {
	form  string
	p, th float64
}

// messageCertainty is the product and the least of the decisions'
// certainties under maps.
func messageCertainty(ds []decided, maps map[string][]bin) (prod, least float64) {
	prod, least = 1, 1
	for _, d := range ds {
		r := lookup(maps[d.form], d.p)
		c := r
		if d.p < d.th {
			c = 1 - r
		}
		prod *= c
		least = min(least, c)
	}
	return prod, least
}

// shiftPriors estimates, per form, the share of asks among the sentences
// of real mail (the decisions of training-part messages) by the EM
// procedure of Saerens, Latinne and Decaestecker (2002): the calibrated
// rates, fitted where a form's share of asks was prior[form], are
// re-weighted to a new share until the new share is the mean of the
// re-weighted rates. It returns the shifted maps and the estimated shares.
func shiftPriors(items []replyItem, maps map[string][]bin, prior map[string]float64) (map[string][]bin, map[string]float64) {
	shift := func(r, from, to float64) float64 {
		a := to / from * r
		b := (1 - to) / (1 - from) * (1 - r)
		return a / (a + b)
	}
	est := map[string]float64{}
	out := map[string][]bin{}
	for _, f := range forms {
		var rs []float64
		for _, it := range items {
			if it.held || !it.exRuns {
				continue
			}
			for _, d := range it.exDecs {
				if d.form == f {
					rs = append(rs, lookup(maps[f], d.p))
				}
			}
		}
		pi := prior[f]
		if len(rs) > 0 {
			for iter := 0; iter < 1000; iter++ {
				var sum float64
				for _, r := range rs {
					sum += shift(r, prior[f], pi)
				}
				next := sum / float64(len(rs))
				if math.Abs(next-pi) < 1e-9 {
					pi = next
					break
				}
				pi = next
			}
		}
		est[f] = pi
		for _, b := range maps[f] {
			out[f] = append(out[f], bin{Upto: b.Upto, Rate: shift(b.Rate, prior[f], pi), N: b.N})
		}
	}
	return out, est
}

// messageLevel prints how often Extract's whole answer for a message is
// right at each aggregated confidence, on hand-labelled messages, under
// the sentence maps and the prior-shifted maps.
func messageLevel(w *bytes.Buffer, items []replyItem, maps, shifted map[string][]bin) {
	var ex []replyItem
	needs := 0
	for _, it := range items {
		if it.exRuns {
			ex = append(ex, it)
			if it.needs {
				needs++
			}
		}
	}
	fmt.Fprintf(w, "\n## extract: whole messages\n\n%d hand-labelled messages Extract runs on (hand kind person, not automated), %d of them needing a reply. A message labelled as needing no reply or action is extracted right exactly when Extract returns no item; one that needs a reply is counted right when Extract returns at least one item (an upper bound: which items is not labelled).\n", len(ex), needs)
	for _, agg := range []struct {
		name string
		f    func(replyItem) float64
	}{
		{"product of the calibrated decision certainties (Email Intent shares)", func(it replyItem) float64 { p, _ := messageCertainty(it.exDecs, maps); return p }},
		{"least calibrated decision certainty (Email Intent shares)", func(it replyItem) float64 { _, l := messageCertainty(it.exDecs, maps); return l }},
		{"product of the decision certainties with the shares of asks shifted to real mail's", func(it replyItem) float64 { p, _ := messageCertainty(it.exDecs, shifted); return p }},
	} {
		for _, part := range []struct {
			name string
			held bool
		}{{"training users and dates", false}, {"unseen users and dates", true}} {
			var c []float64
			var r []bool
			for _, it := range ex {
				if it.held == part.held {
					c = append(c, agg.f(it))
					r = append(r, it.exItems == it.needs)
				}
			}
			reliability(w, fmt.Sprintf("Message confidence = %s; %s.", agg.name, part.name), c, r)
		}
	}
}

func fmtShares(m map[string]float64) string {
	var s []string
	for _, f := range forms {
		s = append(s, fmt.Sprintf("%s %.3f", f, m[f]))
	}
	return strings.Join(s, ", ")
}

// messageMap fits how often a whole extraction is right at each product
// of decision certainties: on the training users' and dates' messages,
// measured on the unseen ones; the returned map is fitted on all of them.
func messageMap(w *bytes.Buffer, items []replyItem, maps map[string][]bin) []bin {
	var trX, allX []float64
	var trY, allY []bool
	type pt struct {
		x     float64
		right bool
	}
	var held []pt
	for _, it := range items {
		if !it.exRuns {
			continue
		}
		p, _ := messageCertainty(it.exDecs, maps)
		right := it.exItems == it.needs
		allX, allY = append(allX, p), append(allY, right)
		if it.held {
			held = append(held, pt{p, right})
		} else {
			trX, trY = append(trX, p), append(trY, right)
		}
	}
	tr := fitMonotone(trX, trY, 8)
	var c []float64
	var r []bool
	for _, h := range held {
		c, r = append(c, lookup(tr, h.x)), append(r, h.right)
	}
	var parts []string
	for _, b := range tr {
		parts = append(parts, fmt.Sprintf("≤%.3f → %.3f (%d)", b.Upto, b.Rate, b.N))
	}
	reliability(w, "Message confidence = the share of whole extractions right at that product, fitted on the training users and dates ("+strings.Join(parts, "; ")+"), measured on the unseen users and dates.", c, r)
	all := fitMonotone(allX, allY, 8)
	parts = nil
	for _, b := range all {
		parts = append(parts, fmt.Sprintf("≤%.3f → %.3f (%d)", b.Upto, b.Rate, b.N))
	}
	fmt.Fprintf(w, "\nFitted on all %d messages: %s.\n", len(allX), strings.Join(parts, "; "))
	return all
}

// classifierScores gives each reply item the needs_reply classifier's
// probability as the product would see it. Training users and dates: the
// scores of issue 4's leave-one-source-out cross-fit (models that never saw
// the message), moved by the cross-fitted decision point to the shipped
// model's scale (the shipped model is shifted so that point lies at 0.5).
// Unseen users and dates: models trained like the shipped ones on the
// training part only (the shipped ones also trained on the unseen labels),
// all three as in the product (needs_reply × (1 − spam)); the cross-fitted
// scores lack that factor, ~1 on the person mail the trigger runs on.
func classifierScores(items []replyItem, labelsPath, mailDir string) error {
	data, err := corpus.LoadKindData(mailDir, labelsPath)
	if err != nil {
		return err
	}
	var cv []float64
	corpus.ReplyCV = &cv
	corpus.ReplyCVScores = map[string]float64{}
	defer func() { corpus.ReplyCV, corpus.ReplyCVScores = nil, nil }()
	if err := corpus.CrossFit(data, nil, false, true); err != nil {
		return err
	}
	if len(cv) < 3 {
		return fmt.Errorf("needs_reply cross-fit gave no decision point")
	}
	shift := logit(cv[2])
	// The shipped models trained on every hand label, the unseen ones
	// included: the unseen messages are scored by models trained the same
	// way on the training part only (as train-defaults -eval does).
	spamM, kindM, replyM, err := corpus.TrainModels(data, nil, map[string]float64{})
	if err != nil {
		return err
	}
	clf := ml.NewClassifier(spamM, kindM, replyM) // as the product classifies: needs_reply × (1 − spam)
	unseen := map[string]float64{}
	for _, l := range data.Test {
		unseen[l.Rel] = clf.Classify([]wire.Message{l.Msg})[0].NeedsReply
	}
	for i := range items {
		it := &items[i]
		if it.held {
			it.clf, it.hasClf = unseen[it.rel]
		} else if p, ok := corpus.ReplyCVScores[it.rel]; ok {
			it.clf, it.hasClf = 1/(1+math.Exp(-(logit(p)-shift))), true
		}
	}
	return nil
}

func logit(p float64) float64 {
	p = min(max(p, 0.001), 0.999)
	return math.Log(p / (1 - p))
}

// extractNeedsVec is the evidence for "this message asks the user to act"
// that the extract job's confidence reads with the classifier: a constant,
// the log-odds of the product of the decisions' certainties, whether
// Extract returned an item, and the log-odds of the classifier's
// needs_reply probability.
func extractNeedsVec(prod float64, items bool, clf float64) []float64 {
	v := []float64{1, logit(prod), 0, logit(clf)}
	if items {
		v[2] = 1
	}
	return v
}

// messageMapC measures the extract job's message confidence with the
// classifier: the extraction is right when it returns items exactly when
// the message needs an answer or an action, so its confidence is P(needs)
// when it returned items and 1 − P(needs) when not, with P(needs) a
// logistic regression over extractNeedsVec fitted on the training users and
// dates (cross-fitted classifier scores) and measured on the unseen ones.
// It returns the weights fitted on all messages with a score.
func messageMapC(w *bytes.Buffer, items []replyItem, maps map[string][]bin, prodMap []bin) []float64 {
	tr, held, all := splitHeld(items, func(it replyItem) bool { return it.exRuns && it.hasClf })
	vec := func(it replyItem) []float64 {
		p, _ := messageCertainty(it.exDecs, maps)
		return extractNeedsVec(p, it.exItems, it.clf)
	}
	conf := func(wt []float64) func(replyItem) float64 {
		return func(it replyItem) float64 {
			p := logistic(wt, vec(it))
			if it.exItems {
				return p
			}
			return 1 - p
		}
	}
	var c []float64
	var r []bool
	for _, it := range held {
		p, _ := messageCertainty(it.exDecs, maps)
		c, r = append(c, lookup(prodMap, p)), append(r, it.exItems == it.needs)
	}
	fmt.Fprintf(w, "\n### extract with the classifier's needs_reply\n\n%d messages Extract runs on have a classifier score (%d training, cross-fitted; %d unseen, models trained on the training part only).\n", len(all), len(tr), len(held))
	reliability(w, "Without it: the map from the product above, on those unseen messages.", c, r)
	compareNeedsVecs(w, tr, maps)
	compareFlips(w, tr, vec)
	wTr := fitLogistic(tr, vec)
	c = c[:0]
	for _, it := range held {
		c = append(c, conf(wTr)(it))
	}
	reliability(w, fmt.Sprintf("With it: confidence = P(needs) when Extract returned items, else 1 − P(needs), P(needs) a logistic regression over (1, logit product, items, logit classifier) fitted on the training users and dates (weights %s), measured on the unseen users and dates.", fmtWeights(wTr)), c, r)
	// The product's answer since the flip comparison above: no to-dos when
	// P(needs) < 0.5 although Extract found items (extract.WithoutTodos;
	// counted here as no items), confidence 1 − P(needs) then.
	c, r = c[:0], r[:0]
	for _, it := range held {
		p := logistic(wTr, vec(it))
		items := it.exItems && p >= 0.5
		cf := p
		if !items {
			cf = 1 - p
		}
		c, r = append(c, cf), append(r, items == it.needs)
	}
	reliability(w, "With it, answering with the more probable side (Extract's items dropped when P(needs) < 0.5), the same weights, measured on the unseen users and dates.", c, r)
	wAll := fitLogistic(all, vec)
	fmt.Fprintf(w, "\nShipped weights (all %d messages with a score): %s.\n", len(all), fmtWeights(wAll))
	return wAll
}

// source is the mailbox (Enron user or SpamAssassin folder) of a labelled
// message: the unit the training cross-fit leaves out.
func source(rel string) string {
	parts := strings.SplitN(rel, "/", 3)
	if len(parts) < 2 {
		return rel
	}
	return parts[0] + "/" + parts[1]
}

// compareNeedsVecs compares candidate evidence for the extract job's
// P(needs) on the training users and dates only, each source scored by a
// regression fitted without it: log loss, the share of messages the
// confidence puts at or above the router's 0.75, and how often those are
// right. The unseen users take no part in choosing.
func compareNeedsVecs(w *bytes.Buffer, tr []replyItem, maps map[string][]bin) {
	prod := func(it replyItem) float64 { p, _ := messageCertainty(it.exDecs, maps); return p }
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	cands := []struct {
		name string
		vec  func(replyItem) []float64
	}{
		{"(1, logit product, items, logit classifier) — shipped", func(it replyItem) []float64 { return extractNeedsVec(prod(it), it.exItems, it.clf) }},
		{"+ the reply evidence (best action p, question, thanks, invitation)", func(it replyItem) []float64 {
			return append(extractNeedsVec(prod(it), it.exItems, it.clf), it.best, b(it.question), b(it.thanks), b(it.invite))
		}},
		{"+ items × logit classifier", func(it replyItem) []float64 {
			return append(extractNeedsVec(prod(it), it.exItems, it.clf), b(it.exItems)*logit(it.clf))
		}},
		{"+ the reply evidence + items × logit classifier", func(it replyItem) []float64 {
			return append(extractNeedsVec(prod(it), it.exItems, it.clf), it.best, b(it.question), b(it.thanks), b(it.invite), b(it.exItems)*logit(it.clf))
		}},
	}
	srcs := map[string]bool{}
	for _, it := range tr {
		srcs[source(it.rel)] = true
	}
	fmt.Fprintf(w, "\nCandidates for P(needs), compared on the %d training messages only, each of %d sources scored by a regression fitted on the others (leave one source out):\n\n| evidence | log loss | confidence >= 0.75 | right there |\n|---|---:|---:|---:|\n", len(tr), len(srcs))
	for _, c := range cands {
		var ll float64
		var conf, right int
		leaveOneSourceOut(tr, c.vec, func(it replyItem, p float64) {
			p = min(max(p, 1e-6), 1-1e-6)
			if it.needs {
				ll -= math.Log(p)
			} else {
				ll -= math.Log(1 - p)
			}
			cf := p
			if !it.exItems {
				cf = 1 - p
			}
			if cf >= 0.75 {
				conf++
				if it.exItems == it.needs {
					right++
				}
			}
		})
		fmt.Fprintf(w, "| %s | %.4f | %.1f%% | %.3f |\n", c.name, ll/float64(len(tr)), 100*float64(conf)/float64(len(tr)), float64(right)/float64(max(conf, 1)))
	}
}

// compareFlips asks, on the training users and dates only (leave one
// source out), what the extract job gains by answering with the more
// probable side of P(needs): dropping Extract's items when the message
// most likely asks nothing (P < 0.5 although items were found), and
// answering a message that most likely needs an answer, but where Extract
// found no request sentence, with one "reply to" item.
func compareFlips(w *bytes.Buffer, tr []replyItem, vec func(replyItem) []float64) {
	type tally struct{ conf, right, rightConf int }
	var plain, drop, both tally
	count := func(t *tally, items bool, p float64, needs bool) {
		cf := p
		if !items {
			cf = 1 - p
		}
		if items == needs {
			t.right++
		}
		if cf >= 0.75 {
			t.conf++
			if items == needs {
				t.rightConf++
			}
		}
	}
	leaveOneSourceOut(tr, vec, func(it replyItem, p float64) {
		count(&plain, it.exItems, p, it.needs)
		count(&drop, it.exItems && p >= 0.5, p, it.needs)
		count(&both, p >= 0.5, p, it.needs)
	})
	n := float64(len(tr))
	fmt.Fprintf(w, "\nAnswering with the more probable side, on the %d training messages (leave one source out):\n\n| answer | right | confidence >= 0.75 | right there |\n|---|---:|---:|---:|\n", len(tr))
	for _, r := range []struct {
		name string
		t    tally
	}{{"Extract's items as found (shipped)", plain}, {"items dropped when P(needs) < 0.5", drop}, {"and a reply item when P(needs) >= 0.5 and none was found", both}} {
		fmt.Fprintf(w, "| %s | %.3f | %.1f%% | %.3f |\n", r.name, float64(r.t.right)/n, 100*float64(r.t.conf)/n, float64(r.t.rightConf)/float64(max(r.t.conf, 1)))
	}
}

// leaveOneSourceOut scores every training message by a regression over
// vec fitted on the other sources' messages (sources in sorted order, so
// sums come out the same on every run), calling score with its P(needs).
func leaveOneSourceOut(tr []replyItem, vec func(replyItem) []float64, score func(it replyItem, p float64)) {
	seen := map[string]bool{}
	var srcs []string
	for _, it := range tr {
		if s := source(it.rel); !seen[s] {
			seen[s] = true
			srcs = append(srcs, s)
		}
	}
	sort.Strings(srcs)
	for _, src := range srcs {
		var fit, out []replyItem
		for _, it := range tr {
			if source(it.rel) == src {
				out = append(out, it)
			} else {
				fit = append(fit, it)
			}
		}
		wt := fitLogistic(fit, vec)
		for _, it := range out {
			score(it, logistic(wt, vec(it)))
		}
	}
}

// splitHeld keeps the items keep accepts and splits them into the
// training users' and dates' (tr), the unseen ones (held) and both (all).
func splitHeld(items []replyItem, keep func(replyItem) bool) (tr, held, all []replyItem) {
	for _, it := range items {
		if !keep(it) {
			continue
		}
		all = append(all, it)
		if it.held {
			held = append(held, it)
		} else {
			tr = append(tr, it)
		}
	}
	return tr, held, all
}

// Command classify is the classification benchmark of issue 4 (run by
// bench/classify/run.sh, which also runs the bogofilter and scikit-learn
// baselines on the same files):
//
//	classify split  -dir D   write the spam and folders splits as lists
//	classify pam    -dir D   train PAM on the splits, score the test files
//	classify report -dir D   compare everyone's scores, write results.md
//
// Lists are "path<TAB>label" lines; score files "path<TAB>score" (spam) or
// "path<TAB>label" (folders).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: classify split|pam|report -dir DIR")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "work directory for lists and scores")
	mailDir := fs.String("mail", "", "the mail corpora (default: ../shared/data/mail beside the module)")
	out := fs.String("out", "bench/classify/results.md", "report file (report)")
	labels := fs.String("labels", "labels/kind.tsv", "hand labels (report)")
	fs.Parse(os.Args[2:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "classify: -dir is required")
		os.Exit(2)
	}
	if *mailDir == "" {
		d, err := corpus.FindMailDir(".")
		if err != nil {
			fmt.Fprintln(os.Stderr, "classify:", err)
			os.Exit(1)
		}
		*mailDir = d
	}
	var err error
	switch os.Args[1] {
	case "split":
		err = split(*dir, *mailDir)
	case "pam":
		err = runPAM(*dir)
	case "report":
		err = report(*dir, *mailDir, *labels, *out)
	default:
		err = fmt.Errorf("unknown step %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "classify:", err)
		os.Exit(1)
	}
}

func writeList(path string, fs []corpus.File) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, x := range fs {
		fmt.Fprintf(w, "%s\t%s\n", x.Path, x.Label)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readPairs(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			out = append(out, [2]string{a, b})
		}
	}
	return out, sc.Err()
}

func split(dir, mailDir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tr, te, err := corpus.SpamSplit(mailDir, 0.2)
	if err != nil {
		return err
	}
	if err := writeList(filepath.Join(dir, "spam_train.tsv"), tr); err != nil {
		return err
	}
	if err := writeList(filepath.Join(dir, "spam_test.tsv"), te); err != nil {
		return err
	}
	users, err := corpus.EnronUsers(mailDir)
	if err != nil {
		return err
	}
	for _, u := range users {
		tr, te, err := corpus.EnronSplit(mailDir, u)
		if err != nil {
			return err
		}
		if err := writeList(filepath.Join(dir, "folders_"+u+"_train.tsv"), tr); err != nil {
			return err
		}
		if err := writeList(filepath.Join(dir, "folders_"+u+"_test.tsv"), te); err != nil {
			return err
		}
	}
	fmt.Printf("spam: %d train, %d test; folders: %d users\n", len(tr), len(te), len(users))
	return nil
}

func loadExamples(pairs [][2]string) ([]ml.Example, error) {
	ex := make([]ml.Example, 0, len(pairs))
	for _, p := range pairs {
		m, err := corpus.Read(p[0], nil)
		if err != nil {
			return nil, err
		}
		ex = append(ex, ml.Example{Msg: m, Label: p[1]})
	}
	return ex, nil
}

func runPAM(dir string) error {
	train, err := readPairs(filepath.Join(dir, "spam_train.tsv"))
	if err != nil {
		return err
	}
	test, err := readPairs(filepath.Join(dir, "spam_test.tsv"))
	if err != nil {
		return err
	}
	ex, err := loadExamples(train)
	if err != nil {
		return err
	}
	t0 := time.Now()
	m, err := ml.Train(ml.TaskSpam, ex, ml.TrainOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("pam spam: trained on %d in %v\n", len(ex), time.Since(t0).Round(time.Millisecond))
	c := ml.NewClassifier(m)
	f, err := os.Create(filepath.Join(dir, "pam_spam.tsv"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, p := range test {
		msg, err := corpus.Read(p[0], nil)
		if err != nil {
			return err
		}
		r := c.Classify([]wire.Message{msg})[0]
		fmt.Fprintf(w, "%s\t%.9g\n", p[0], r.Spam)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// Speed: read + MIME parse + features + classify, one core, the test
	// files read into memory first (bogofilter -B reads them from the page
	// cache too).
	raws := make([][]byte, len(test))
	for i, p := range test {
		if raws[i], err = os.ReadFile(p[0]); err != nil {
			return err
		}
	}
	prev := runtime.GOMAXPROCS(1)
	n, el := 0, time.Duration(0)
	start := time.Now()
	for time.Since(start) < 3*time.Second {
		for _, raw := range raws {
			pm, err := mail.Parse(raw)
			if err != nil {
				continue
			}
			c.Classify([]wire.Message{ml.FromMessage(pm, nil)})
			n++
		}
	}
	el = time.Since(start)
	// Classification alone (features + model), messages already parsed.
	msgs := make([]wire.Message, 0, len(raws))
	for _, raw := range raws {
		if pm, err := mail.Parse(raw); err == nil {
			msgs = append(msgs, ml.FromMessage(pm, nil))
		}
	}
	n2 := 0
	start = time.Now()
	for time.Since(start) < 2*time.Second {
		c.Classify(msgs)
		n2 += len(msgs)
	}
	el2 := time.Since(start)
	runtime.GOMAXPROCS(prev)
	speed := fmt.Sprintf("%d %.6f %d %.6f\n", n, el.Seconds(), n2, el2.Seconds())
	if err := os.WriteFile(filepath.Join(dir, "pam_speed.txt"), []byte(speed), 0o644); err != nil {
		return err
	}
	fmt.Printf("pam speed: %.0f msgs/s with parsing, %.0f msgs/s model only (1 core)\n", float64(n)/el.Seconds(), float64(n2)/el2.Seconds())

	// Folders, per Enron user.
	users, err := filepath.Glob(filepath.Join(dir, "folders_*_train.tsv"))
	if err != nil {
		return err
	}
	for _, tf := range users {
		u := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(tf), "folders_"), "_train.tsv")
		train, err := readPairs(tf)
		if err != nil {
			return err
		}
		test, err := readPairs(filepath.Join(dir, "folders_"+u+"_test.tsv"))
		if err != nil {
			return err
		}
		ex, err := loadExamples(train)
		if err != nil {
			return err
		}
		m, err := ml.Train(ml.TaskFolders, ex, ml.TrainOptions{})
		if err != nil {
			return err
		}
		c := ml.NewClassifier(m)
		f, err := os.Create(filepath.Join(dir, "pam_folders_"+u+".tsv"))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for _, p := range test {
			msg, err := corpus.Read(p[0], nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\t%s\n", p[0], c.Classify([]wire.Message{msg})[0].Label)
		}
		w.Flush()
		f.Close()
	}
	return nil
}

// spamMetrics are the figures of one spam filter on the test set.
type spamMetrics struct {
	name        string
	n           int
	auc, lo, hi float64
	fpr99, thr  float64
	missing     int
}

func scoreFile(path string, truth map[string]bool) (scores []float64, labels []bool, missing int, err error) {
	pairs, err := readPairs(path)
	if err != nil {
		return nil, nil, 0, err
	}
	got := map[string]float64{}
	for _, p := range pairs {
		v, err := strconv.ParseFloat(strings.TrimSpace(p[1]), 64)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("%s: bad score %q", path, p[1])
		}
		got[p[0]] = v
	}
	paths := make([]string, 0, len(truth))
	for p := range truth {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		v, ok := got[p]
		if !ok {
			// A filter that gave no answer scores the message as
			// certain ham (worst case for spam, best for ham).
			missing++
			v = math.Inf(-1)
		}
		scores = append(scores, v)
		labels = append(labels, truth[p])
	}
	return scores, labels, missing, nil
}

// fprAtRecall is the false-positive rate at the highest threshold that
// still catches the given share of spam (ties count as caught, and as
// false positives).
func fprAtRecall(scores []float64, labels []bool, recall float64) (fpr, thr float64) {
	var sp []float64
	nh := 0
	for i, s := range scores {
		if labels[i] {
			sp = append(sp, s)
		} else {
			nh++
		}
	}
	sort.Float64s(sp)
	miss := int(math.Floor((1-recall)*float64(len(sp)) + 1e-9))
	thr = sp[miss]
	fp := 0
	for i, s := range scores {
		if !labels[i] && s >= thr {
			fp++
		}
	}
	return float64(fp) / float64(nh), thr
}

func bootstrapAUC(scores []float64, labels []bool, rounds int) (lo, hi float64) {
	rng := rand.New(rand.NewPCG(42, 4))
	n := len(scores)
	aucs := make([]float64, 0, rounds)
	s := make([]float64, n)
	l := make([]bool, n)
	for r := 0; r < rounds; r++ {
		for i := range s {
			j := rng.IntN(n)
			s[i], l[i] = scores[j], labels[j]
		}
		if a := ml.AUC(s, l); !math.IsNaN(a) {
			aucs = append(aucs, a)
		}
	}
	sort.Float64s(aucs)
	return aucs[int(0.025*float64(len(aucs)))], aucs[int(0.975*float64(len(aucs)))-1]
}

func readSpeed(path string) (msgs, secs float64, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, 0, false
	}
	m, err1 := strconv.ParseFloat(f[0], 64)
	s, err2 := strconv.ParseFloat(f[1], 64)
	return m, s, err1 == nil && err2 == nil && s > 0
}

func report(dir, mailDir, labelsPath, out string) error {
	var b strings.Builder
	w := &b
	fmt.Fprintf(w, "# Classification benchmark\n\n")
	fmt.Fprintf(w, "Generated by `bench/classify/run.sh` (%s, %d CPUs, %s). Every figure below comes from that one run.\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.Version())

	// Spam.
	test, err := readPairs(filepath.Join(dir, "spam_test.tsv"))
	if err != nil {
		return err
	}
	train, err := readPairs(filepath.Join(dir, "spam_train.tsv"))
	if err != nil {
		return err
	}
	truth := map[string]bool{}
	nspam := 0
	for _, p := range test {
		truth[p[0]] = p[1] == "spam"
		if p[1] == "spam" {
			nspam++
		}
	}
	fmt.Fprintf(w, "## Spam\n\nSpamAssassin `easy-ham-1`, `hard-ham-1`, `spam-1`; the newest 20%% of each folder by first (topmost) Received date held out: %d training messages, %d test messages (%d spam, %d ham). AUC with a 95%% bootstrap interval (1000 resamples of the test set); FPR at 99%% recall: the share of test ham scored at or above the score that still catches 99%% of test spam (ties count against the filter).\n\n",
		len(train), len(test), nspam, len(test)-nspam)
	fmt.Fprintf(w, "| filter | AUC | 95%% interval | FPR at 99%% spam recall |\n|---|---|---|---|\n")
	var ms []spamMetrics
	for _, c := range []struct{ name, file string }{
		{"PAM (hashed TF-IDF n-grams + headers, logistic regression)", "pam_spam.tsv"},
		{"bogofilter (Debian, default settings)", "bogo_spam.tsv"},
		{"scikit-learn TF-IDF + logistic regression", "sk_spam.tsv"},
	} {
		s, l, missing, err := scoreFile(filepath.Join(dir, c.file), truth)
		if err != nil {
			fmt.Fprintf(w, "| %s | not run: %v | | |\n", c.name, err)
			continue
		}
		m := spamMetrics{name: c.name, n: len(s), auc: ml.AUC(s, l), missing: missing}
		m.lo, m.hi = bootstrapAUC(s, l, 1000)
		m.fpr99, m.thr = fprAtRecall(s, l, 0.99)
		ms = append(ms, m)
		note := ""
		if missing > 0 {
			note = fmt.Sprintf(" (%d unanswered, scored as ham)", missing)
		}
		fmt.Fprintf(w, "| %s | %.4f | %.4f–%.4f | %.4f (%d of %d ham)%s |\n", m.name, m.auc, m.lo, m.hi, m.fpr99,
			int(math.Round(m.fpr99*float64(len(test)-nspam))), len(test)-nspam, note)
	}
	if len(ms) == 3 {
		pam := ms[0]
		bestFPR := math.Min(ms[1].fpr99, ms[2].fpr99)
		bestAUC := math.Max(ms[1].auc, ms[2].auc)
		verdict := func(ok bool) string {
			if ok {
				return "**met**"
			}
			return "**missed**"
		}
		fmt.Fprintf(w, "\nGate: PAM's FPR at 99%% recall no worse than the best peer's (%.4f vs %.4f): %s; AUC at least as high (%.4f vs %.4f): %s.\n",
			pam.fpr99, bestFPR, verdict(pam.fpr99 <= bestFPR), pam.auc, bestAUC, verdict(pam.auc >= bestAUC))
	}
	// Speed.
	pm, ps, ok1 := readSpeed(filepath.Join(dir, "pam_speed.txt"))
	bm, bs, ok2 := readSpeed(filepath.Join(dir, "bogo_speed.txt"))
	fmt.Fprintf(w, "\n### Speed\n\nThe %d test messages, one core.\n\n| what | msgs/s |\n|---|---|\n", len(test))
	if ok1 {
		fmt.Fprintf(w, "| PAM in process: MIME parse (`mail.Parse`) + features + spam model | %.0f |\n", pm/ps)
		if b, err := os.ReadFile(filepath.Join(dir, "pam_speed.txt")); err == nil {
			if f := strings.Fields(string(b)); len(f) >= 4 {
				n2, _ := strconv.ParseFloat(f[2], 64)
				s2, _ := strconv.ParseFloat(f[3], 64)
				if s2 > 0 {
					fmt.Fprintf(w, "| PAM features + model only (messages already parsed) | %.0f |\n", n2/s2)
				}
			}
		}
	}
	if ok2 {
		fmt.Fprintf(w, "| `bogofilter -B` (bulk mode, process start included, best of 3) | %.0f |\n", bm/bs)
	}
	if ok1 && ok2 {
		fmt.Fprintf(w, "\nPAM / bogofilter: %.2f× (target ≥ 1×; the worker round trip is measured by the runtime's benchmark).\n", (pm/ps)/(bm/bs))
	}

	// Folders.
	fmt.Fprintf(w, "\n## Folders (Enron)\n\nPer user: the older 80%% by Date trains, the newest 20%% tests; the label is the folder path under the user's directory. Not a gate: most of these users file their newest mail in the inbox.\n\n")
	fmt.Fprintf(w, "| user | train | test | folders (train) | PAM | most common folder | scikit-learn TF-IDF + LinearSVC |\n|---|---|---|---|---|---|---|\n")
	users, _ := filepath.Glob(filepath.Join(dir, "folders_*_train.tsv"))
	sort.Strings(users)
	for _, tf := range users {
		u := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(tf), "folders_"), "_train.tsv")
		tr, _ := readPairs(tf)
		te, _ := readPairs(filepath.Join(dir, "folders_"+u+"_test.tsv"))
		count := map[string]int{}
		for _, p := range tr {
			count[p[1]]++
		}
		major, mn := "", -1
		for k, v := range count {
			if v > mn || v == mn && k < major {
				major, mn = k, v
			}
		}
		acc := func(file string) string {
			pred, err := readPairs(filepath.Join(dir, file))
			if err != nil {
				return "not run"
			}
			got := map[string]string{}
			for _, p := range pred {
				got[p[0]] = p[1]
			}
			right := 0
			for _, p := range te {
				if got[p[0]] == p[1] {
					right++
				}
			}
			return fmt.Sprintf("%.3f", float64(right)/float64(len(te)))
		}
		right := 0
		for _, p := range te {
			if p[1] == major {
				right++
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s | %.3f | %s |\n", u, len(tr), len(te), len(count),
			acc("pam_folders_"+u+".tsv"), float64(right)/float64(len(te)), acc("sk_folders_"+u+".tsv"))
	}

	// Kind and needs_reply.
	data, err := corpus.LoadKindData(mailDir, labelsPath)
	if err != nil {
		return err
	}
	var intent []ml.Example
	if corpus.IntentWeight > 0 {
		if intent, err = corpus.IntentExamples(mailDir, corpus.IntentWeight); err != nil {
			return err
		}
	}
	spamM, kindM, replyM, err := corpus.TrainModels(data, intent, nil)
	if err != nil {
		return err
	}
	rep := corpus.EvalKind(ml.NewClassifier(spamM, kindM, replyM), data.Test, replyM.Info().Threshold)
	fmt.Fprintf(w, "\n## Kind and needs_reply (unseen mail)\n\nHand-labelled sample `labels/kind.tsv`. Unseen part: every labelled message of the Enron users %s (their mailboxes are never trained on) and of the newest %.0f%% of each SpamAssassin folder by first Received date (nothing from that period trains). Training: the other hand labels (weight %.1f), the demo mailbox (weight %.1f), weak labels from headers on the rest of the training users and dates (weight %.1f); kind with class balancing and TF-IDF features. needs_reply reads the subject, the headers and the action-sentence detector of internal/extract over the message's own text (highest and mean probability of an action sentence, how many, question marks, each crossed with the user's position among the recipients), not the words of the text. needs_reply counts as yes at ≥ %.3f: the model's calibration is shifted so that the F1-best threshold on the hand-labelled training mail, cross-fitted by leaving one training source out at a time (each Enron training user and each SpamAssassin folder scored by a model trained without any of its mail), lies at 0.5.\n\n",
		strings.Join(corpus.TestUsers, ", "), corpus.TestShare*100, corpus.WeightHand, corpus.WeightDemo, corpus.WeightWeak, replyM.Info().Threshold)
	fmt.Fprintf(w, "| figure | value | target |\n|---|---|---|\n")
	fmt.Fprintf(w, "| unseen messages | %d | |\n", rep.N)
	fmt.Fprintf(w, "| kind accuracy | %.3f | ≥ 0.85 %s |\n", rep.KindAccuracy, mark(rep.KindAccuracy >= 0.85))
	fmt.Fprintf(w, "| needs_reply F1 | %.3f (precision %.3f, recall %.3f, %d positives) | ≥ 0.70 %s |\n", rep.ReplyF1, rep.ReplyPrecision, rep.ReplyRecall, rep.ReplyPositives, mark(rep.ReplyF1 >= 0.70))
	fmt.Fprintf(w, "| needs_reply ROC AUC | %.3f | |\n\n", rep.ReplyAUC)
	fmt.Fprintf(w, "```\n")
	rep.Print(w)
	fmt.Fprintf(w, "```\n")
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

func mark(ok bool) string {
	if ok {
		return "(met)"
	}
	return "(**missed**)"
}

var _ io.Writer = (*strings.Builder)(nil)

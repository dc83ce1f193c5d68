// Command actions evaluates PAM's action-sentence detector
// (internal/extract) on the Parakweet Email Intent sentences
// (../shared/data/email-intent/train.tsv), side by side with a
// scikit-learn baseline (TF-IDF word 1-2-grams + logistic regression, run
// by /usr/bin/python3 on the SAME folds): 5-fold cross-validation
// repeated 3 times, F1 of the "Yes" class per fold.
//
//	go run ./bench/actions               # both, writes bench/actions/results.md
//	go run ./bench/actions -baseline=false -o ''   # PAM only, nothing written
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/testdata"
)

// opts are the training options (flags; defaults are the shipped model's).
var opts extract.TrainOptions

const (
	repeats = 3
	folds   = 5
)

func main() {
	baseline := flag.Bool("baseline", true, "also run the scikit-learn baseline")
	out := flag.String("o", "bench/actions/results.md", "results file to write (empty: none)")
	python := flag.String("python", "/usr/bin/python3", "python with scikit-learn")
	flag.IntVar(&opts.Epochs, "epochs", 0, "training epochs (0: the default)")
	flag.Float64Var(&opts.Rate, "rate", 0, "AdaGrad rate (0: the default)")
	flag.Float64Var(&opts.L2, "l2", 0, "L2 strength (0: the default)")
	flag.IntVar(&opts.Features.Bits, "bits", 0, "hash bits (0: the default features)")
	flag.IntVar(&opts.Features.NGrams, "ngrams", 3, "word n-grams up to")
	noCues := flag.Bool("nocues", false, "leave out the cue features")
	flag.Parse()
	opts.Features.Cues = !*noCues
	if opts.Features.Bits == 0 {
		opts.Features.Bits = extract.DefaultFeatureSettings().Bits
	}
	if err := run(*baseline, *out, *python); err != nil {
		fmt.Fprintln(os.Stderr, "actions:", err)
		os.Exit(1)
	}
}

// readData reads label<TAB>sentence rows.
func readData(path string) ([]extract.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ex []extract.Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		lab, text, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s: line without a tab", path)
		}
		ex = append(ex, extract.Example{Text: text, Action: lab == "Yes"})
	}
	return ex, sc.Err()
}

// split returns, for each repeat, the held-out rows of each fold.
func split(n int) [repeats][folds][]int {
	var out [repeats][folds][]int
	for r := 0; r < repeats; r++ {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		rng := rand.New(rand.NewPCG(uint64(r)+1, 20240605))
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for i, row := range idx {
			out[r][i%folds] = append(out[r][i%folds], row)
		}
	}
	return out
}

type score struct{ f1, p, r float64 }

func prf(probs []float64, ys []bool, t float64) score {
	var tp, fp, fn float64
	for i, p := range probs {
		switch {
		case p >= t && ys[i]:
			tp++
		case p >= t:
			fp++
		case ys[i]:
			fn++
		}
	}
	s := score{}
	if tp > 0 {
		s.p, s.r = tp/(tp+fp), tp/(tp+fn)
		s.f1 = 2 * tp / (2*tp + fp + fn)
	}
	return s
}

func meanSD(xs []float64) (float64, float64) {
	var m, v float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

func run(baseline bool, outPath, python string) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	data := filepath.Join(root, "..", "shared", "data", "email-intent", "train.tsv")
	ex, err := readData(data)
	if err != nil {
		return err
	}
	sp := split(len(ex))
	ys := make([]bool, len(ex))
	for i, e := range ex {
		ys[i] = e.Action
	}

	// PAM
	start := time.Now()
	var pam []score
	var pamTh []float64
	var scored int
	var scoreTime time.Duration
	for r := 0; r < repeats; r++ {
		for k := 0; k < folds; k++ {
			held := map[int]bool{}
			for _, i := range sp[r][k] {
				held[i] = true
			}
			var train []extract.Example
			for i, e := range ex {
				if !held[i] {
					train = append(train, e)
				}
			}
			m, err := extract.Train(train, withSeed(uint64(r*folds+k)))
			if err != nil {
				return err
			}
			probs := make([]float64, len(sp[r][k]))
			ty := make([]bool, len(sp[r][k]))
			t0 := time.Now()
			for j, i := range sp[r][k] {
				probs[j] = m.Prob(ex[i].Text)
				ty[j] = ys[i]
			}
			scoreTime += time.Since(t0)
			scored += len(probs)
			pam = append(pam, prf(probs, ty, m.Info().Threshold))
			pamTh = append(pamTh, m.Info().Threshold)
		}
	}
	pamTime := time.Since(start)

	// The rules tier (what pam uses when the extract worker is down): no
	// training, the same test folds.
	var rules []score
	for r := 0; r < repeats; r++ {
		for k := 0; k < folds; k++ {
			probs := make([]float64, len(sp[r][k]))
			ty := make([]bool, len(sp[r][k]))
			for j, i := range sp[r][k] {
				probs[j] = extract.RuleProb(ex[i].Text)
				ty[j] = ys[i]
			}
			rules = append(rules, prf(probs, ty, extract.DefaultThreshold))
		}
	}

	// Baseline on the same folds.
	var base []score
	var baseTime time.Duration
	if baseline {
		dir, err := os.MkdirTemp("", "pam-actions-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		foldFile := filepath.Join(dir, "folds.tsv")
		var b strings.Builder
		for r := 0; r < repeats; r++ {
			for k := 0; k < folds; k++ {
				rows := make([]string, len(sp[r][k]))
				for j, i := range sp[r][k] {
					rows[j] = strconv.Itoa(i)
				}
				fmt.Fprintf(&b, "%d\t%d\t%s\n", r, k, strings.Join(rows, ","))
			}
		}
		if err := os.WriteFile(foldFile, []byte(b.String()), 0o600); err != nil {
			return err
		}
		outFile := filepath.Join(dir, "out.tsv")
		t0 := time.Now()
		cmd := exec.Command(python, filepath.Join(root, "bench", "actions", "sklearn_baseline.py"), data, foldFile, outFile)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		baseTime = time.Since(t0)
		probs := map[[2]int][]float64{}
		labels := map[[2]int][]bool{}
		f, err := os.Open(outFile)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			p := strings.Split(sc.Text(), "\t")
			if len(p) != 4 {
				continue
			}
			r, _ := strconv.Atoi(p[0])
			k, _ := strconv.Atoi(p[1])
			i, _ := strconv.Atoi(p[2])
			x, _ := strconv.ParseFloat(p[3], 64)
			probs[[2]int{r, k}] = append(probs[[2]int{r, k}], x)
			labels[[2]int{r, k}] = append(labels[[2]int{r, k}], ys[i])
		}
		f.Close()
		for r := 0; r < repeats; r++ {
			for k := 0; k < folds; k++ {
				key := [2]int{r, k}
				if len(probs[key]) != len(sp[r][k]) {
					return fmt.Errorf("baseline: fold %d/%d has %d scores, want %d", r, k, len(probs[key]), len(sp[r][k]))
				}
				base = append(base, prf(probs[key], labels[key], 0.5))
			}
		}
	}

	var rep strings.Builder
	col := func(ss []score, f func(score) float64) string {
		xs := make([]float64, len(ss))
		for i, s := range ss {
			xs[i] = f(s)
		}
		m, sd := meanSD(xs)
		return fmt.Sprintf("%.3f ± %.3f", m, sd)
	}
	fmt.Fprintf(&rep, "# Action sentences: PAM vs scikit-learn\n\n")
	fmt.Fprintf(&rep, "Command: `go run ./bench/actions` (from the repository root; data read from\n"+
		"`../shared/data/email-intent/train.tsv`, %d sentences, %d labelled Yes). %d-fold cross-validation\n"+
		"repeated %d times (seeded shuffles); both systems train and score on the same folds. F1, precision\n"+
		"and recall of the Yes class, mean ± standard deviation over the %d folds.\n\n",
		len(ex), count(ys), folds, repeats, repeats*folds)
	fmt.Fprintf(&rep, "| System | F1 | precision | recall | time (train+score, all folds) |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&rep, "| PAM: hashed word 1-3-grams + cues, logistic regression (AdaGrad), threshold by inner 3-fold CV | %s | %s | %s | %s |\n",
		col(pam, func(s score) float64 { return s.f1 }), col(pam, func(s score) float64 { return s.p }), col(pam, func(s score) float64 { return s.r }), pamTime.Round(time.Millisecond))
	if baseline {
		fmt.Fprintf(&rep, "| scikit-learn: TfidfVectorizer(ngram_range=(1, 2)) + LogisticRegression(), threshold 0.5 | %s | %s | %s | %s |\n",
			col(base, func(s score) float64 { return s.f1 }), col(base, func(s score) float64 { return s.p }), col(base, func(s score) float64 { return s.r }), baseTime.Round(time.Millisecond))
		pm, _ := meanSD(f1s(pam))
		bm, _ := meanSD(f1s(base))
		wins := 0
		for i := range pam {
			if pam[i].f1 > base[i].f1 {
				wins++
			}
		}
		verdict := "met"
		if pm < bm+0.03 {
			verdict = "NOT met"
		}
		fmt.Fprintf(&rep, "\nPAM − baseline: %+.3f F1 (target ≥ +0.030: %s); PAM better on %d of %d folds.\n", pm-bm, verdict, wins, len(pam))
	}
	fmt.Fprintf(&rep, "\nThe rules tier (`extract.Rules`, used when the `pam worker extract` process cannot answer; no training, threshold %.2f) on the same test folds: F1 %s, precision %s, recall %s.\n",
		extract.DefaultThreshold, col(rules, func(s score) float64 { return s.f1 }), col(rules, func(s score) float64 { return s.p }), col(rules, func(s score) float64 { return s.r }))
	thm, _ := meanSD(pamTh)
	fmt.Fprintf(&rep, "PAM's decision threshold (chosen on each fold's training part): mean %.2f.\n", thm)
	fmt.Fprintf(&rep, "PAM scoring: %.1f µs per sentence (%d sentences, one core).\n", float64(scoreTime.Microseconds())/float64(scored), scored)
	fmt.Print(rep.String())
	if outPath != "" {
		// Keep the section that bench/actions/demotasks writes.
		text := rep.String()
		if old, err := os.ReadFile(filepath.Join(root, outPath)); err == nil {
			if i := strings.Index(string(old), "<!-- demotasks: begin"); i >= 0 {
				text += "\n" + string(old[i:])
			}
		}
		return os.WriteFile(filepath.Join(root, outPath), []byte(text), 0o644)
	}
	return nil
}

func f1s(ss []score) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = s.f1
	}
	return out
}

func count(ys []bool) int {
	n := 0
	for _, y := range ys {
		if y {
			n++
		}
	}
	return n
}

func withSeed(seed uint64) extract.TrainOptions {
	o := opts
	o.Seed = seed
	return o
}

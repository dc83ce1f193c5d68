package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
)

// spamDev compares spam settings on the training part only; the
// benchmark's held-out part (the newest 20% of each folder) is never read.
// Three development splits of the training part, each folder sorted by
// date: A fits the oldest three quarters and tests the newest quarter; B
// fits the oldest half and tests the quarter after it; C is 4-fold
// cross-validation by a hash of the file name (every training message
// scored once by a model that did not see it). The false-positive counts
// at 99% recall hang on one or two spam messages, so a setting is only
// better when it is better across the splits.
func spamDev(mailDir, lists string, o ml.TrainOptions) error {
	tr, _, err := corpus.SpamSplit(mailDir, 0.2)
	if err != nil {
		return err
	}
	byGroup := map[string][]corpus.File{}
	var groups []string
	for _, f := range tr {
		if byGroup[f.Group] == nil {
			groups = append(groups, f.Group)
		}
		byGroup[f.Group] = append(byGroup[f.Group], f)
	}
	var fitA, devA, fitB, devB []corpus.File
	for _, g := range groups {
		fs := byGroup[g]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Date.Before(fs[j].Date) })
		q := len(fs) / 4
		fitA, devA = append(fitA, fs[:len(fs)-q]...), append(devA, fs[len(fs)-q:]...)
		fitB, devB = append(fitB, fs[:len(fs)-2*q]...), append(devB, fs[len(fs)-2*q:len(fs)-q]...)
	}
	if lists != "" {
		for name, fs := range map[string][]corpus.File{"fit.tsv": fitA, "dev.tsv": devA, "fitB.tsv": fitB, "devB.tsv": devB} {
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%s\t%s\n", f.Path, f.Label)
			}
			if err := os.WriteFile(filepath.Join(lists, name), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	msgs := map[string]ml.Example{}
	for _, f := range tr {
		m, err := corpus.Read(f.Path, nil)
		if err != nil {
			continue
		}
		msgs[f.Path] = ml.Example{Msg: m, Label: f.Label}
	}
	score := func(name string, fit, dev []corpus.File) ([]float64, []bool, error) {
		var ex []ml.Example
		for _, f := range fit {
			if e, ok := msgs[f.Path]; ok {
				ex = append(ex, e)
			}
		}
		m, err := ml.Train(ml.TaskSpam, ex, o)
		if err != nil {
			return nil, nil, err
		}
		var scores []float64
		var labels []bool
		var paths []string // of the scored messages (those that parsed)
		for _, f := range dev {
			e, ok := msgs[f.Path]
			if !ok {
				continue
			}
			scores = append(scores, m.Predict(e.Msg)[1])
			labels = append(labels, f.Label == "spam")
			paths = append(paths, f.Path)
		}
		if d := os.Getenv("SPAMDEV_DUMP"); d != "" {
			var b strings.Builder
			for i, p := range paths {
				fmt.Fprintf(&b, "%s\t%g\t%v\n", p, scores[i], labels[i])
			}
			if err := os.WriteFile(filepath.Join(d, "pam-"+name+".scores"), []byte(b.String()), 0o644); err != nil {
				return nil, nil, err
			}
		}
		if os.Getenv("SPAMDEV_V") != "" {
			type sp struct {
				s    float64
				path string
				spam bool
			}
			var v []sp
			for i, p := range paths {
				v = append(v, sp{scores[i], p, labels[i]})
			}
			sort.Slice(v, func(i, j int) bool { return v[i].s < v[j].s })
			n := 0
			for _, e := range v {
				if e.spam && n < 4 {
					fmt.Printf("    low spam %.4f %s\n", e.s, e.path)
					n++
				}
			}
			for i, k := len(v)-1, 0; i >= 0 && k < 15; i-- {
				if !v[i].spam {
					k++
					fmt.Printf("    high ham %.4f %s\n", v[i].s, v[i].path)
				}
			}
		}
		return scores, labels, nil
	}
	report := func(name string, scores []float64, labels []bool) {
		var spam, ham []float64
		for i, s := range scores {
			if labels[i] {
				spam = append(spam, s)
			} else {
				ham = append(ham, s)
			}
		}
		sort.Float64s(spam)
		fpAt := func(recall float64) int {
			cut := spam[int(float64(len(spam))*(1-recall)+1e-9)]
			fp := 0
			for _, h := range ham {
				if h >= cut {
					fp++
				}
			}
			return fp
		}
		fmt.Printf("  %-2s %4d ham %3d spam  AUC %.4f  ham at/above the spam at 99%% recall %3d, 98%% %3d, 95%% %3d\n",
			name, len(ham), len(spam), ml.AUC(scores, labels), fpAt(0.99), fpAt(0.98), fpAt(0.95))
	}
	fmt.Printf("spam dev, settings %+v solver=%q C=%g\n", o.Features, o.Solver, o.C)
	for _, s := range []struct {
		name     string
		fit, dev []corpus.File
	}{{"A", fitA, devA}, {"B", fitB, devB}} {
		sc, lb, err := score(s.name, s.fit, s.dev)
		if err != nil {
			return err
		}
		report(s.name, sc, lb)
	}
	var all []float64
	var allL []bool
	for k := uint32(0); k < 4; k++ {
		var fit, dev []corpus.File
		for _, f := range tr {
			if fnv(filepath.Base(f.Path))%4 == k {
				dev = append(dev, f)
			} else {
				fit = append(fit, f)
			}
		}
		sc, lb, err := score(fmt.Sprintf("C%d", k), fit, dev)
		if err != nil {
			return err
		}
		all, allL = append(all, sc...), append(allL, lb...)
	}
	report("C", all, allL)
	return nil
}

func fnv(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

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

// spamDev compares spam settings on the training part only: within each
// SpamAssassin folder's training files, the newest quarter by date is the
// development part. The benchmark's held-out part is never read.
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
	var fit, dev []corpus.File
	for _, g := range groups {
		fs := byGroup[g]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Date.Before(fs[j].Date) })
		k := len(fs) * 3 / 4
		fit, dev = append(fit, fs[:k]...), append(dev, fs[k:]...)
	}
	if lists != "" {
		for name, fs := range map[string][]corpus.File{"fit.tsv": fit, "dev.tsv": dev} {
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%s\t%s\n", f.Path, f.Label)
			}
			if err := os.WriteFile(filepath.Join(lists, name), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	var ex []ml.Example
	for _, f := range fit {
		m, err := corpus.Read(f.Path, nil)
		if err != nil {
			continue
		}
		ex = append(ex, ml.Example{Msg: m, Label: f.Label})
	}
	m, err := ml.Train(ml.TaskSpam, ex, o)
	if err != nil {
		return err
	}
	var spam, ham []float64
	var scores []float64
	var labels []bool
	for _, f := range dev {
		msg, err := corpus.Read(f.Path, nil)
		if err != nil {
			return err
		}
		p := m.Predict(msg)[1]
		scores = append(scores, p)
		labels = append(labels, f.Label == "spam")
		if f.Label == "spam" {
			spam = append(spam, p)
		} else {
			ham = append(ham, p)
		}
	}
	sort.Float64s(spam)
	// The score that still catches 99% of the spam; ties count against.
	cut := spam[int(float64(len(spam))*0.01)]
	fp := 0
	for _, h := range ham {
		if h >= cut {
			fp++
		}
	}
	fmt.Printf("spam dev (newest quarter of the training part): %d fit, %d dev (%d spam); AUC %.4f; FPR at 99%% recall %.4f (%d of %d ham)\n",
		len(ex), len(dev), len(spam), ml.AUC(scores, labels), float64(fp)/float64(len(ham)), fp, len(ham))
	return nil
}

package main

import (
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
)

func trainSpam(files []corpus.File) (*ml.Model, error) {
	var ex []ml.Example
	for _, f := range files {
		m, err := corpus.Read(f.Path, nil)
		if err != nil {
			continue
		}
		ex = append(ex, ml.Example{Msg: m, Label: f.Label})
	}
	return ml.Train(ml.TaskSpam, ex, ml.TrainOptions{})
}

func spamAUC(m *ml.Model, files []corpus.File) (float64, error) {
	var scores []float64
	var labels []bool
	for _, f := range files {
		msg, err := corpus.Read(f.Path, nil)
		if err != nil {
			return 0, err
		}
		scores = append(scores, m.Predict(msg)[1])
		labels = append(labels, f.Label == "spam")
	}
	return ml.AUC(scores, labels), nil
}

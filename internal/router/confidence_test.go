package router

import (
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestCertainty(t *testing.T) {
	for _, tc := range []struct{ p, t, want float64 }{
		{0.9, 0.5, 0.9}, {0.1, 0.5, 0.9}, {0.5, 0.5, 0.5}, {0.6, 0.55, 0.6}, {0.5, 0.55, 0.5}, {0, 0.5, 1},
	} {
		if got := Certainty(tc.p, tc.t); got != tc.want {
			t.Errorf("Certainty(%v, %v) = %v, want %v", tc.p, tc.t, got, tc.want)
		}
	}
}

func TestClassifyConfidence(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    wire.Classification
		want float64
	}{
		{"decided", wire.Classification{Spam: 0.02, NeedsReply: 0.9, KindScores: map[string]float64{"person": 0.9}}, DecidedConfidence},
		{"rules only", wire.Classification{Degraded: true}, 0.5},
		{"spam undecided", wire.Classification{Spam: 0.4, Undecided: []string{"spam"}}, 0.6},
		{"kind undecided", wire.Classification{Spam: 0.01, KindScores: map[string]float64{"person": 0.45, "forum": 0.4}, Undecided: []string{"kind"}}, 0.45},
		{"band edge", wire.Classification{NeedsReply: 0.75, Undecided: []string{"needs_reply"}}, 0.74},
	} {
		if got := ClassifyConfidence(tc.c); got != tc.want {
			t.Errorf("%s: ClassifyConfidence = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := ClassifyConfidence(wire.Classification{Undecided: []string{"spam"}, Spam: 0.5}); got >= 0.75 {
		t.Errorf("an undecided classification = %v, want below the default threshold", got)
	}
}

func TestExtractConfidence(t *testing.T) {
	for _, tc := range []struct {
		probs, thresholds []float64
		want              float64
	}{
		{nil, nil, 1},
		{[]float64{0.02, 0.97}, []float64{0.55, 0.55}, 0.97},
		{[]float64{0.02, 0.5, 0.97}, []float64{0.55, 0.55, 0.55}, 0.5},
		{[]float64{0.1, 0.2}, []float64{0.55, 0.55}, 0.8},
		// A sentence a rule decided adds no uncertainty.
		{[]float64{0.02, 0.5, 0.97}, []float64{0.55, 0, 0.55}, 0.97},
		{[]float64{0.5}, []float64{0}, 1},
		// Each sentence at its own threshold: a statement the model finds
		// 0.75 likely to ask, dropped below 0.85, is a 0.25-certain decision;
		// an explicit ask at 0.3 taken from 0.25 is 0.3-certain.
		{[]float64{0.75, 0.02}, []float64{0.85, 0.25}, 0.25},
		{[]float64{0.3}, []float64{0.25}, 0.3},
		{[]float64{0.1, 0.9}, []float64{0.25, 0.85}, 0.9},
		// Fewer thresholds than probabilities: the rest are not decided by
		// the model.
		{[]float64{0.9, 0.5}, []float64{0.55}, 0.9},
	} {
		if got := ExtractConfidence(tc.probs, tc.thresholds); got != tc.want {
			t.Errorf("ExtractConfidence(%v, %v) = %v, want %v", tc.probs, tc.thresholds, got, tc.want)
		}
	}
	if got := ReplyConfidence(0, 0.5); got != 1 {
		t.Errorf("ReplyConfidence(0, 0.5) = %v, want 1", got)
	}
	if got := ReplyConfidence(0.6, 0.5); got != 0.6 {
		t.Errorf("ReplyConfidence(0.6, 0.5) = %v, want 0.6", got)
	}
}

package router

import (
	"math"
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
		certs []float64
		want  float64
	}{
		{nil, 1},
		{[]float64{0.9}, 0.9},
		// Every decision has to be right: the product, not the least.
		{[]float64{0.9, 0.8}, 0.72},
		{[]float64{0.5, 0.5, 0.5}, 0.125},
		// A rule's decision (certainty 1) adds no uncertainty.
		{[]float64{1, 0.8, 1}, 0.8},
	} {
		if got := ExtractConfidence(tc.certs); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ExtractConfidence(%v) = %v, want %v", tc.certs, got, tc.want)
		}
	}
}

func TestReplyConfidence(t *testing.T) {
	for _, tc := range []struct {
		p     float64
		fires bool
		want  float64
	}{
		{0.2, false, 0.8}, {0.2, true, 0.2}, {0.9, true, 0.9}, {0.9, false, 0.1}, {0, false, 1},
	} {
		if got := ReplyConfidence(tc.p, tc.fires); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ReplyConfidence(%v, %v) = %v, want %v", tc.p, tc.fires, got, tc.want)
		}
	}
}

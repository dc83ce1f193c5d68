package router

import (
	"math"
	"testing"

	"github.com/pam-ai/pam/internal/extract"

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
	for _, certs := range [][]float64{nil, {0.9}, {0.9, 0.8}, {0.5, 0.5, 0.5}, {1, 0.99, 1}, {0.999, 0.995}} {
		if got, want := ExtractConfidence(certs), extract.MessageConfidence(certs); got != want {
			t.Errorf("ExtractConfidence(%v) = %v, want extract.MessageConfidence %v", certs, got, want)
		}
	}
	// The product, not the least: two decisions of 0.9 are a product of
	// 0.81, one of 0.81 the same.
	if a, b := ExtractConfidence([]float64{0.9, 0.9}), ExtractConfidence([]float64{0.81}); a != b {
		t.Errorf("ExtractConfidence(0.9, 0.9) = %v, ExtractConfidence(0.81) = %v; want equal", a, b)
	}
	// More uncertain decisions never make a message more certain.
	prev := 1.0
	for n := 0; n < 12; n++ {
		certs := make([]float64, n)
		for i := range certs {
			certs[i] = 0.97
		}
		got := ExtractConfidence(certs)
		if got > prev {
			t.Errorf("ExtractConfidence(%d × 0.97) = %v, above %v for one fewer", n, got, prev)
		}
		prev = got
	}
	// A rule's decision (certainty 1) adds no uncertainty.
	if a, b := ExtractConfidence([]float64{1, 0.8, 1}), ExtractConfidence([]float64{0.8}); a != b {
		t.Errorf("ExtractConfidence with rule decisions = %v, without %v", a, b)
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

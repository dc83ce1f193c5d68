package ml

import (
	"math"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// TestHeaderScale checks that HeaderScale scales exactly the header group:
// with headers only, the vector's length is the scale.
func TestHeaderScale(t *testing.T) {
	m := wire.Message{From: "a@example.com", To: []string{"b@example.org"}, Subject: "hello there", Text: "some words of text"}
	for _, scale := range []float32{0, 0.7, 2} {
		s := DefaultFeatures(TaskSpam)
		s.HeaderScale = scale
		s.IDF = false
		hs := s
		hs.Headers = false
		var all, words vec
		newFeaturizer(s).extract(&m, &all)
		newFeaturizer(hs).extract(&m, &words)
		sq := func(v vec) float64 {
			n := 0.0
			for _, x := range v.val {
				n += float64(x) * float64(x)
			}
			return n
		}
		want := 1.0
		if scale > 0 {
			want = float64(scale) * float64(scale)
		}
		if got := sq(all) - sq(words); math.Abs(got-want) > 1e-4 {
			t.Errorf("HeaderScale %g: header group squared length %g, want %g", scale, got, want)
		}
	}
	bad := DefaultFeatures(TaskSpam)
	bad.HeaderScale = float32(math.NaN())
	if bad.validate() == nil {
		t.Error("validate accepted a NaN header scale")
	}
}

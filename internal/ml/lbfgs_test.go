package ml

import (
	"math"
	"testing"
)

func TestMinimizeLBFGSQuadratic(t *testing.T) {
	// f(x) = Σ (i+1)·(x_i − i)², minimum at x_i = i.
	f := func(x, g []float64) float64 {
		s := 0.0
		for i, v := range x {
			d := v - float64(i)
			s += float64(i+1) * d * d
			g[i] = 2 * float64(i+1) * d
		}
		return s
	}
	x := minimizeLBFGS(f, make([]float64, 20), 200)
	for i, v := range x {
		if math.Abs(v-float64(i)) > 1e-4 {
			t.Fatalf("x[%d] = %g, want %d", i, v, i)
		}
	}
}

// TestLBFGSBinaryOptimum checks the first-order optimality of the fitted
// logistic regression: C·Σ (σ(zᵢ) − yᵢ)·xᵢ + w = 0 for every used bucket,
// and Σ (σ(zᵢ) − yᵢ) = 0 for the bias.
func TestLBFGSBinaryOptimum(t *testing.T) {
	xs := []vec{
		{idx: []uint32{1, 2}, val: []float32{0.8, 0.6}},
		{idx: []uint32{2, 3}, val: []float32{0.6, 0.8}},
		{idx: []uint32{1}, val: []float32{1}},
		{idx: []uint32{3, 4}, val: []float32{0.6, 0.8}},
		{idx: []uint32{1, 4}, val: []float32{0.6, 0.8}},
		{idx: []uint32{2}, val: []float32{1}},
	}
	ys := []int{1, 0, 1, 0, 1, 0}
	wts := []float64{1, 1, 2, 1, 1, 1}
	order := []int{0, 1, 2, 3, 4, 5}
	const c = 3.0
	w, b := lbfgsBinary(xs, ys, wts, order, 8, c, 500)
	grad := make([]float64, 8)
	gb := 0.0
	for i, x := range xs {
		z := float64(b)
		for j, f := range x.idx {
			z += float64(w[f]) * float64(x.val[j])
		}
		d := c * wts[i] * (sigmoid(z) - float64(ys[i]))
		for j, f := range x.idx {
			grad[f] += d * float64(x.val[j])
		}
		gb += d
	}
	for f := range grad {
		if g := grad[f] + float64(w[f]); math.Abs(g) > 1e-3 {
			t.Errorf("gradient for bucket %d = %g, want 0", f, g)
		}
	}
	if math.Abs(gb) > 1e-3 {
		t.Errorf("bias gradient = %g, want 0", gb)
	}
	if w[0] != 0 || w[5] != 0 {
		t.Errorf("unused buckets got weights %g, %g; want 0", w[0], w[5])
	}
	if w[1] <= 0 || w[3] >= 0 {
		t.Errorf("w[1] = %g, w[3] = %g: want the spam-only bucket positive and the ham-only one negative", w[1], w[3])
	}
}

func TestTrainUnknownSolver(t *testing.T) {
	_, err := Train(TaskSpam, synthExamples(20), TrainOptions{Solver: "newton"})
	if err == nil {
		t.Fatal("Train with solver newton: no error")
	}
}

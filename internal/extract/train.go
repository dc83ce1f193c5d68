package extract

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Example is one labelled sentence.
type Example struct {
	Text   string
	Action bool
}

// TrainOptions control Train. Zero values take the defaults noted.
type TrainOptions struct {
	Features FeatureSettings // default DefaultFeatureSettings()
	Epochs   int             // default 12
	Rate     float64         // AdaGrad base rate; default 0.2
	L2       float64         // per-example L2 strength; default 1e-5
	Seed     uint64          // shuffle seed
	// Threshold is the decision threshold stored in the model; 0 picks
	// the one that maximises F1 on the training data by 3-fold
	// cross-validation within it.
	Threshold float64
	Name      string
	Version   int
	Data      string // digest of the training data, recorded in the model
}

func (o *TrainOptions) defaults() {
	if o.Features.Bits == 0 {
		o.Features = defaultFeatures
	}
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.Rate <= 0 {
		o.Rate = 0.2
	}
	if o.L2 <= 0 {
		o.L2 = 1e-5
	}
	if o.Name == "" {
		o.Name = "action"
	}
	if o.Version == 0 {
		o.Version = 1
	}
}

// Train fits a model to examples. It is deterministic for given options.
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	opts.defaults()
	if len(examples) < 10 {
		return nil, fmt.Errorf("train action model: %d examples, want at least 10", len(examples))
	}
	pos := 0
	for _, e := range examples {
		if e.Action {
			pos++
		}
	}
	if pos == 0 || pos == len(examples) {
		return nil, fmt.Errorf("train action model: need both labels")
	}
	f := newFeaturizer(opts.Features)
	xs := make([]sparse, len(examples))
	ys := make([]bool, len(examples))
	for i, e := range examples {
		xs[i] = f.vector(e.Text, cueRef)
		ys[i] = e.Action
	}
	th := opts.Threshold
	if th == 0 {
		th = pickThreshold(xs, ys, opts)
	}
	w := fit(xs, ys, opts)
	m := &Model{weights: w, info: ModelInfo{
		Name: opts.Name, Version: opts.Version, Features: opts.Features, Threshold: th,
		Examples: len(examples), Data: opts.Data,
		Params: fmt.Sprintf("epochs=%d rate=%g l2=%g seed=%d", opts.Epochs, opts.Rate, opts.L2, opts.Seed),
	}}
	return m, nil
}

// fit runs AdaGrad SGD on the logistic loss.
func fit(xs []sparse, ys []bool, o TrainOptions) []float32 {
	dim := 1 << o.Features.Bits
	w := make([]float64, dim)
	g2 := make([]float64, dim)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	for ep := 0; ep < o.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			x := xs[k]
			var z float64
			for i, ix := range x.idx {
				z += w[ix] * float64(x.val[i])
			}
			y := 0.0
			if ys[k] {
				y = 1
			}
			g := sigmoid(z) - y
			for i, ix := range x.idx {
				gi := g*float64(x.val[i]) + o.L2*w[ix]
				g2[ix] += gi * gi
				w[ix] -= o.Rate * gi / (math.Sqrt(g2[ix]) + 1e-8)
			}
		}
	}
	out := make([]float32, dim)
	for i, v := range w {
		out[i] = float32(v)
	}
	return out
}

// pickThreshold chooses the decision threshold that maximises F1 over
// out-of-fold predictions of a 3-fold split of the training data.
func pickThreshold(xs []sparse, ys []bool, o TrainOptions) float64 {
	n := len(xs)
	probs := make([]float64, n)
	for k := 0; k < 3; k++ {
		var trX []sparse
		var trY []bool
		for i := 0; i < n; i++ {
			if i%3 != k {
				trX, trY = append(trX, xs[i]), append(trY, ys[i])
			}
		}
		w := fit(trX, trY, o)
		m := &Model{weights: w}
		for i := k; i < n; i += 3 {
			probs[i] = sigmoid(m.dot(xs[i]))
		}
	}
	best, bestF := 0.5, -1.0
	for t := 0.20; t <= 0.801; t += 0.01 {
		if f := F1(probs, ys, t); f > bestF+1e-9 {
			best, bestF = t, f
		}
	}
	return math.Round(best*100) / 100
}

// F1 is the F1 score of the positive class when probs ≥ t are predicted
// positive.
func F1(probs []float64, ys []bool, t float64) float64 {
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
	if tp == 0 {
		return 0
	}
	return 2 * tp / (2*tp + fp + fn)
}

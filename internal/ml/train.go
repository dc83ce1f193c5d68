package ml

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// Example is one labelled message. Label is "spam"/"ham" for the spam
// task, "yes"/"no" for needs_reply, one of Kinds for kind, and a folder
// path for folders.
type Example struct {
	Msg   wire.Message
	Label string
	// Weight scales the example's loss; 0 means 1. Weak (rule-made)
	// labels are usually given less than 1.
	Weight float64
}

// TrainOptions tune Train. The zero value gives the defaults.
type TrainOptions struct {
	Name     string          // model name; default: the task
	Version  int             // default 1
	Features FeatureSettings // default: DefaultFeatures(task)
	Classes  []string        // class order; default: the task's (folders: sorted labels)
	Epochs   int             // passes over the data; default 8
	Rate     float64         // AdaGrad learning rate; default 0.2
	L2       float64         // L2 penalty per update; default 1e-5
	Seed     uint64          // shuffling seed; default 1
	Holdout  float64         // share of each class held out to calibrate; default 0.2, <0 disables
	Balance  bool            // weight classes inversely to their frequency
	// Solver is "adagrad" (shuffled AdaGrad passes; the default except
	// for spam) or "lbfgs" (binary tasks only: the log loss minimised to
	// convergence with an L2 penalty of 1/(2C), see lbfgs.go; Epochs,
	// Rate and L2 are then unused; spam's default).
	Solver  string
	C       float64   // lbfgs: inverse regularisation strength; default 10 (spam: spamC)
	Created time.Time // stored in the model; default: zero time (reproducible files)
	// Band is the undecided band of binary tasks, default [0.25, 0.75];
	// MinTop the least top-class probability of the others, default 0.5.
	BandLo, BandHi, MinTop float64
	// Threshold, when set (binary tasks other than spam), is a probability
	// of the calibrated model that should count as the decision point,
	// e.g. an F1-best threshold fitted by cross-validation on data closer
	// to the mail the model will see: the calibration is shifted so that
	// it becomes 0.5, and Info.Threshold is 0.5.
	Threshold float64
	// Metrics are stored in the model beside the held-out calibration
	// metrics (e.g. figures from an evaluation on unseen data).
	Metrics map[string]float64
}

func taskClasses(task string, ex []Example) ([]string, error) {
	switch task {
	case TaskSpam:
		return []string{"ham", "spam"}, nil
	case TaskNeedsReply:
		return []string{"no", "yes"}, nil
	case TaskKind:
		return append([]string(nil), Kinds...), nil
	case TaskFolders:
		seen := map[string]bool{}
		var cs []string
		for _, e := range ex {
			if !seen[e.Label] {
				seen[e.Label] = true
				cs = append(cs, e.Label)
			}
		}
		sort.Strings(cs)
		if len(cs) == 1 {
			// A single folder still makes a (trivial) two-class model.
			cs = append(cs, "")
		}
		return cs, nil
	}
	return nil, errorf("unknown task %q (want spam, kind, needs_reply or folders)", task)
}

// Train builds a model for task from examples. The same examples and
// options give the same model, bit for bit.
func Train(task string, examples []Example, opts TrainOptions) (*Model, error) {
	if len(examples) == 0 {
		return nil, errorf("train %s: no examples", task)
	}
	classes := opts.Classes
	if len(classes) == 0 {
		var err error
		if classes, err = taskClasses(task, examples); err != nil {
			return nil, err
		}
	}
	if len(classes) < 2 {
		return nil, errorf("train %s: need at least two classes", task)
	}
	switch opts.Solver {
	case "", "adagrad", "lbfgs":
	default:
		return nil, errorf("train %s: unknown solver %q (want adagrad or lbfgs)", task, opts.Solver)
	}
	fs := opts.Features
	if fs.Bits == 0 {
		fs = DefaultFeatures(task)
	}
	// The model says the oldest featurizer that reads it as trained.
	fs.Version = max(fs.Version, fs.needVersion())
	if err := fs.validate(); err != nil {
		return nil, err
	}
	if task == TaskSpam {
		if opts.L2 == 0 {
			opts.L2 = spamL2
		}
		if opts.Solver == "" {
			opts.Solver = "lbfgs"
		}
		if opts.C == 0 {
			opts.C = spamC
		}
	}
	setDefaults(&opts)
	index := make(map[string]int, len(classes))
	for i, c := range classes {
		index[c] = i
	}
	ys := make([]int, len(examples))
	wts := make([]float64, len(examples))
	counts := make([]int, len(classes))
	for i, e := range examples {
		y, ok := index[e.Label]
		if !ok {
			return nil, errorf("train %s: example %d has label %q, not one of %v", task, i, e.Label, classes)
		}
		ys[i] = y
		counts[y]++
		wts[i] = e.Weight
		if wts[i] <= 0 {
			wts[i] = 1
		}
	}
	if opts.Balance {
		for i := range wts {
			wts[i] *= float64(len(examples)) / float64(len(classes)*counts[ys[i]])
		}
	}
	var idf []float32
	if fs.IDF {
		idf = docFreqIDF(fs, examples)
	}
	xs := featurize(fs, idf, examples)
	nOut := len(classes)
	if nOut == 2 {
		nOut = 1
	}
	info := Info{
		Name: opts.Name, Version: opts.Version, Task: task, Classes: classes, Features: fs,
		DataDigest: digest(xs, ys), Examples: len(examples), Created: opts.Created.UTC(),
		PlattA: 1, Temperature: 1, Metrics: map[string]float64{},
	}
	if info.Name == "" {
		info.Name = task
	}
	for k, v := range opts.Metrics {
		info.Metrics[k] = v
	}
	if nOut == 1 {
		info.Threshold = 0.5
		info.UndecidedLo, info.UndecidedHi = opts.BandLo, opts.BandHi
	} else {
		info.MinTop = opts.MinTop
	}
	// Calibrate on a held-out share of each class, with a model trained on
	// the rest; the final model is then trained on everything.
	if opts.Holdout > 0 {
		var fit, cal []int
		seen := make([]int, len(classes))
		every := int(math.Round(1 / opts.Holdout))
		for i, y := range ys {
			seen[y]++
			if every > 1 && seen[y]%every == 0 {
				cal = append(cal, i)
			} else {
				fit = append(fit, i)
			}
		}
		if len(cal) >= 10 && len(fit) >= 10 {
			m := &Model{info: info, nOut: nOut, idf: idf}
			m.w, m.bias = trainLinear(xs, ys, wts, fit, nOut, 1<<uint(fs.Bits), opts)
			calibrate(m, xs, ys, cal)
			info.PlattA, info.PlattB, info.Temperature = m.info.PlattA, m.info.PlattB, m.info.Temperature
			if nOut == 1 && task != TaskSpam {
				info.Threshold = bestF1Threshold(m, xs, ys, wts, cal)
			}
			for k, v := range evaluate(m, xs, ys, cal) {
				info.Metrics["holdout_"+k] = v
			}
		}
	}
	if t := opts.Threshold; t > 0 && t < 1 && nOut == 1 && task != TaskSpam {
		// Shift the calibration so that the given threshold becomes 0.5:
		// callers decide "yes" at 0.5 whatever the task.
		info.PlattB -= math.Log(t / (1 - t))
		info.Threshold = 0.5
	}
	m := &Model{info: info, nOut: nOut, idf: idf}
	all := make([]int, len(xs))
	for i := range all {
		all[i] = i
	}
	m.w, m.bias = trainLinear(xs, ys, wts, all, nOut, 1<<uint(fs.Bits), opts)
	return m, nil
}

// spamL2 is the spam model's default L2 penalty: with TF-IDF features a
// stronger penalty than the other tasks' did best on the development part
// of the training data (doc/design/models.md).
const spamL2 = 1e-4

// spamC is the spam model's inverse regularisation strength for the
// L-BFGS solver, the spam task's default solver: of 3, 10, 30 and 100, 30
// and 100 tied best on the development splits of the training part
// (doc/design/models.md).
const spamC = 30

func setDefaults(o *TrainOptions) {
	if o.Version <= 0 {
		o.Version = 1
	}
	if o.Epochs <= 0 {
		o.Epochs = 8
	}
	if o.Rate <= 0 {
		o.Rate = 0.2
	}
	if o.L2 == 0 {
		o.L2 = 1e-5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.C <= 0 {
		o.C = 10
	}
	if o.Holdout == 0 {
		o.Holdout = 0.2
	}
	if o.BandLo == 0 && o.BandHi == 0 {
		o.BandLo, o.BandHi = 0.25, 0.75
	}
	if o.MinTop == 0 {
		o.MinTop = 0.5
	}
}

// docFreqIDF computes smoothed inverse document frequencies per bucket,
// ln((1+N)/(1+df)) + 1, from the examples; 0 for buckets seen in fewer
// than fs.MinDF of them.
func docFreqIDF(fs FeatureSettings, ex []Example) []float32 {
	dim := 1 << uint(fs.Bits)
	df := make([]int32, dim)
	f := newFeaturizer(fs)
	var v vec
	seen := make([]int32, dim)
	for i := range ex {
		f.extract(&ex[i].Msg, &v)
		for _, b := range v.idx {
			if seen[b] != int32(i+1) {
				seen[b] = int32(i + 1)
				df[b]++
			}
		}
	}
	idf := make([]float32, dim)
	n := float64(len(ex))
	for b := range idf {
		if int(df[b]) < fs.MinDF {
			continue // 0: dropped
		}
		idf[b] = float32(math.Log((1+n)/(1+float64(df[b]))) + 1)
	}
	return idf
}

func featurize(fs FeatureSettings, idf []float32, ex []Example) []vec {
	f := newFeaturizer(fs)
	f.idf = idf
	xs := make([]vec, len(ex))
	var tmp vec
	for i := range ex {
		f.extract(&ex[i].Msg, &tmp)
		xs[i] = vec{idx: append([]uint32(nil), tmp.idx...), val: append([]float32(nil), tmp.val...)}
	}
	return xs
}

// digest is the training-data digest: SHA-256 over the hashed features and
// labels, so it identifies the data without holding any of it.
func digest(xs []vec, ys []int) string {
	h := sha256.New()
	var b [4]byte
	for i, x := range xs {
		binary.BigEndian.PutUint32(b[:], uint32(ys[i]))
		h.Write(b[:])
		binary.BigEndian.PutUint32(b[:], uint32(len(x.idx)))
		h.Write(b[:])
		for j, f := range x.idx {
			binary.BigEndian.PutUint32(b[:], f)
			h.Write(b[:])
			binary.BigEndian.PutUint32(b[:], math.Float32bits(x.val[j]))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// trainLinear runs AdaGrad over the examples in order (shuffled per epoch
// from the seed) and returns the weights and biases.
func trainLinear(xs []vec, ys []int, wts []float64, order []int, nOut, dim int, o TrainOptions) ([]float32, []float32) {
	if o.Solver == "lbfgs" && nOut == 1 {
		w, b := lbfgsBinary(xs, ys, wts, order, dim, o.C, 1000)
		return w, []float32{b}
	}
	w := make([]float32, dim*nOut)
	bias := make([]float32, nOut)
	g2 := make([]float32, dim*nOut)
	gb := make([]float64, nOut)
	sgdEpochs(w, bias, g2, gb, xs, ys, wts, order, nOut, o.Epochs, o.Rate, o.L2, o.Seed, 0)
	return w, bias
}

// sgdEpochs updates w and bias in place. When untilFit > 0 it stops early
// once every example is predicted right after at least untilFit epochs.
func sgdEpochs(w, bias, g2 []float32, gb []float64, xs []vec, ys []int, wts []float64, order []int, nOut, epochs int, rate, l2 float64, seed uint64, untilFit int) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	idx := make([]int, 0, len(order))
	z := make([]float64, nOut)
	p := make([]float64, nOut)
	for ep := 0; ep < epochs; ep++ {
		// Example weights are visits: AdaGrad divides each coordinate's
		// step by its own gradient history, so scaling a gradient would
		// mostly cancel out. An example of weight w is visited ⌊w⌋ times
		// per epoch, and once more with probability w − ⌊w⌋.
		idx = idx[:0]
		for _, i := range order {
			w := wts[i]
			n := int(w)
			if rng.Float64() < w-float64(n) {
				n++
			}
			for ; n > 0; n-- {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		wrong := 0
		for _, i := range idx {
			x := &xs[i]
			for k := range z {
				z[k] = float64(bias[k])
			}
			for j, f := range x.idx {
				v := float64(x.val[j])
				base := int(f) * nOut
				for k := 0; k < nOut; k++ {
					z[k] += float64(w[base+k]) * v
				}
			}
			// Gradient of the log loss with respect to each output.
			if nOut == 1 {
				q := sigmoid(z[0])
				p[0] = q - float64(ys[i])
				if (q >= 0.5) != (ys[i] == 1) {
					wrong++
				}
			} else {
				softmax(z, 1, p)
				best := 0
				for k := range p {
					if p[k] > p[best] {
						best = k
					}
				}
				if best != ys[i] {
					wrong++
				}
				p[ys[i]] -= 1
			}
			for k := 0; k < nOut; k++ {
				g := p[k]
				if g == 0 {
					continue
				}
				gb[k] += g * g
				bias[k] -= float32(rate * g / math.Sqrt(gb[k]+adaInit))
				for j, f := range x.idx {
					pos := int(f)*nOut + k
					gr := g*float64(x.val[j]) + l2*float64(w[pos])
					g2[pos] += float32(gr * gr)
					w[pos] -= float32(rate * gr / math.Sqrt(float64(g2[pos])+adaInit))
				}
			}
		}
		if untilFit > 0 && ep+1 >= untilFit && wrong == 0 {
			return
		}
	}
}

// calibrate fits Platt scaling (binary) or a temperature (multi-class) on
// the held-out examples cal.
func calibrate(m *Model, xs []vec, ys []int, cal []int) {
	raw := make([][]float64, len(cal))
	for j, i := range cal {
		raw[j] = make([]float64, m.nOut)
		m.scores(&xs[i], raw[j])
	}
	if m.nOut == 1 {
		zs := make([]float64, len(cal))
		ts := make([]float64, len(cal))
		pos := 0
		for j, i := range cal {
			zs[j] = raw[j][0]
			if ys[i] == 1 {
				pos++
			}
		}
		// Platt's smoothed targets.
		hi := (float64(pos) + 1) / (float64(pos) + 2)
		lo := 1 / (float64(len(cal)-pos) + 2)
		for j, i := range cal {
			ts[j] = lo
			if ys[i] == 1 {
				ts[j] = hi
			}
		}
		m.info.PlattA, m.info.PlattB = platt(zs, ts)
		return
	}
	nll := func(t float64) float64 {
		p := make([]float64, m.nOut)
		s := 0.0
		for j, i := range cal {
			softmax(raw[j], t, p)
			s -= math.Log(math.Max(p[ys[i]], 1e-12))
		}
		return s
	}
	// Golden-section search over log T in [-3, 3].
	a, b := -3.0, 3.0
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := nll(math.Exp(c)), nll(math.Exp(d))
	for it := 0; it < 60; it++ {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = nll(math.Exp(c))
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = nll(math.Exp(d))
		}
	}
	m.info.Temperature = math.Exp((a + b) / 2)
}

// bestF1Threshold returns the probability threshold that maximises the
// (example-weighted) F1 of class 1 on the examples cal.
func bestF1Threshold(m *Model, xs []vec, ys []int, wts []float64, cal []int) float64 {
	type sp struct {
		p, w float64
		y    bool
	}
	raw := make([]float64, 1)
	p := make([]float64, 2)
	v := make([]sp, 0, len(cal))
	pos := 0.0
	for _, i := range cal {
		m.scores(&xs[i], raw)
		m.probs(raw, p)
		v = append(v, sp{p[1], wts[i], ys[i] == 1})
		if ys[i] == 1 {
			pos += wts[i]
		}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].p > v[j].p })
	best, bestT := 0.0, 0.5
	tp, fp := 0.0, 0.0
	for i, e := range v {
		if e.y {
			tp += e.w
		} else {
			fp += e.w
		}
		if i+1 < len(v) && v[i+1].p == e.p {
			continue
		}
		if f := 2 * tp / (tp + fp + pos); f > best {
			best, bestT = f, e.p
		}
	}
	return bestT
}

// BestF1Threshold returns the score threshold (yes when score ≥ it) that
// maximises F1 of the positive class over scores and labels.
func BestF1Threshold(scores []float64, labels []bool) float64 {
	type sl struct {
		s float64
		y bool
	}
	v := make([]sl, len(scores))
	pos := 0.0
	for i := range scores {
		v[i] = sl{scores[i], labels[i]}
		if labels[i] {
			pos++
		}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].s > v[j].s })
	best, bestT := 0.0, 0.5
	tp, fp := 0.0, 0.0
	for i, e := range v {
		if e.y {
			tp++
		} else {
			fp++
		}
		if i+1 < len(v) && v[i+1].s == e.s {
			continue
		}
		if f := 2 * tp / (tp + fp + pos); f > best {
			best, bestT = f, e.s
		}
	}
	return bestT
}

// platt fits sigmoid(A*z+B) to targets t by Newton's method.
func platt(z, t []float64) (float64, float64) {
	a, b := 1.0, 0.0
	for it := 0; it < 100; it++ {
		var ga, gb, haa, hab, hbb float64
		for i := range z {
			p := sigmoid(a*z[i] + b)
			d := p - t[i]
			ga += d * z[i]
			gb += d
			w := math.Max(p*(1-p), 1e-12)
			haa += w * z[i] * z[i]
			hab += w * z[i]
			hbb += w
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a -= da
		b -= db
		if math.Abs(da) < 1e-9 && math.Abs(db) < 1e-9 {
			break
		}
	}
	if math.IsNaN(a) || math.IsNaN(b) || a <= 0 {
		return 1, 0
	}
	// A separable calibration set drives A up without bound; keep the
	// most extreme calibration score below exp(30) odds so that
	// probabilities never saturate to exactly 0 or 1 and keep their order.
	zmax := 0.0
	for _, v := range z {
		zmax = math.Max(zmax, math.Abs(v))
	}
	if zmax > 0 && a*zmax > 30 {
		s := 30 / (a * zmax)
		a, b = a*s, b*s
	}
	return a, b
}

// evaluate returns accuracy and log loss (and AUC for binary tasks) of m on
// the examples at idx.
func evaluate(m *Model, xs []vec, ys []int, idx []int) map[string]float64 {
	raw := make([]float64, m.nOut)
	p := make([]float64, len(m.info.Classes))
	right, ll := 0, 0.0
	var scores []float64
	var labels []bool
	for _, i := range idx {
		m.scores(&xs[i], raw)
		m.probs(raw, p)
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		if best == ys[i] {
			right++
		}
		ll -= math.Log(math.Max(p[ys[i]], 1e-12))
		if m.nOut == 1 {
			scores = append(scores, p[1])
			labels = append(labels, ys[i] == 1)
		}
	}
	out := map[string]float64{
		"accuracy": float64(right) / float64(len(idx)),
		"logloss":  ll / float64(len(idx)),
		"n":        float64(len(idx)),
	}
	if m.nOut == 1 {
		out["auc"] = AUC(scores, labels)
	}
	return out
}

// AUC is the area under the ROC curve of scores against labels (true =
// positive), with ties counted half.
func AUC(scores []float64, labels []bool) float64 {
	type sl struct {
		s float64
		l bool
	}
	v := make([]sl, len(scores))
	for i := range scores {
		v[i] = sl{scores[i], labels[i]}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].s < v[j].s })
	var pos, neg, rankSum float64
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j].s == v[i].s {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks are 1-based
		for k := i; k < j; k++ {
			if v[k].l {
				rankSum += avg
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// Update returns a copy of m adapted to the user's corrections ex (a
// personal model on top of m), with Version one higher. Folder labels not
// yet known become new classes; other tasks accept only their classes.
// The corrections are learnt until the model reproduces them (at most 40
// passes), starting from m's weights.
func Update(m *Model, ex []Example) (*Model, error) {
	if m == nil {
		return nil, errorf("update: no model")
	}
	if len(ex) == 0 {
		return nil, errorf("update %s: no examples", m.info.Name)
	}
	info := m.Info()
	nOut := m.nOut
	w := m.w
	bias := m.bias
	index := map[string]int{}
	for i, c := range info.Classes {
		index[c] = i
	}
	var added []string
	for _, e := range ex {
		if _, ok := index[e.Label]; ok {
			continue
		}
		if info.Task != TaskFolders {
			return nil, errorf("update %s: label %q is not one of %v", info.Name, e.Label, info.Classes)
		}
		index[e.Label] = len(info.Classes)
		info.Classes = append(info.Classes, e.Label)
		added = append(added, e.Label)
	}
	dim := 1 << uint(info.Features.Bits)
	newOut := len(info.Classes)
	if newOut == 2 {
		newOut = 1
	}
	if newOut != nOut {
		// Widen the weights: a binary model becomes a softmax with class 0
		// at 0 and class 1 at its old score.
		nw := make([]float32, dim*newOut)
		nb := make([]float32, newOut)
		for f := 0; f < dim; f++ {
			if nOut == 1 {
				nw[f*newOut+1] = w[f]
			} else {
				copy(nw[f*newOut:f*newOut+nOut], w[f*nOut:f*nOut+nOut])
			}
		}
		if nOut == 1 {
			nb[1] = bias[0]
		} else {
			copy(nb, bias)
		}
		// New classes start a little below the others.
		for k := nOut; k < newOut; k++ {
			if nOut == 1 && k == 1 {
				continue
			}
			nb[k] = -1
		}
		w, bias, nOut = nw, nb, newOut
		if info.Temperature <= 0 {
			info.Temperature = 1
		}
	} else {
		w = append([]float32(nil), w...)
		bias = append([]float32(nil), bias...)
	}
	ys := make([]int, len(ex))
	wts := make([]float64, len(ex))
	order := make([]int, len(ex))
	for i, e := range ex {
		ys[i] = index[e.Label]
		wts[i] = e.Weight
		if wts[i] <= 0 {
			wts[i] = 1
		}
		order[i] = i
	}
	xs := featurize(info.Features, m.idf, ex)
	g2 := make([]float32, len(w))
	for i := range g2 {
		g2[i] = 1
	}
	gb := make([]float64, nOut)
	for k := range gb {
		gb[k] = 1
	}
	sgdEpochs(w, bias, g2, gb, xs, ys, wts, order, nOut, 40, 0.5, 0, uint64(info.Version)+1, 3)
	h := sha256.New()
	h.Write([]byte(info.DataDigest))
	h.Write([]byte(digest(xs, ys)))
	info.DataDigest = hex.EncodeToString(h.Sum(nil))
	info.Version++
	info.Examples += len(ex)
	info.Created = time.Now().UTC()
	if info.Metrics == nil {
		info.Metrics = map[string]float64{}
	}
	info.Metrics["corrections"] += float64(len(ex))
	_ = added
	if nOut == 1 && info.UndecidedLo == 0 && info.UndecidedHi == 0 {
		info.UndecidedLo, info.UndecidedHi = 0.25, 0.75
	}
	if nOut > 1 && info.MinTop == 0 {
		info.MinTop = 0.5
	}
	return &Model{info: info, nOut: nOut, w: w, bias: bias, idf: m.idf}, nil
}

// String describes the model in one line.
func (m *Model) String() string {
	return fmt.Sprintf("%s (%s, %d classes, 2^%d features)", m.info.ID(), m.info.Task, len(m.info.Classes), m.info.Features.Bits)
}

// adaInit is AdaGrad's initial accumulator: it keeps the first steps of
// rarely seen features from jumping by the full learning rate.
var adaInit = 1e-8

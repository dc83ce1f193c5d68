package ml

import "math"

// Batch training of a binary logistic regression with L-BFGS.
//
// The AdaGrad passes of sgdEpochs stop after a fixed number of epochs,
// before the log loss has converged; for the spam task, where the false
// positive rate at 99% recall hangs on the few hardest spam messages, a
// fully minimised objective ranks the tail better (doc/design/models.md).
// lbfgsBinary minimises
//
//	C · Σ wᵢ · logloss(yᵢ, w·xᵢ + b) + ½‖w‖²
//
// (the bias is not penalised), the objective scikit-learn's
// LogisticRegression minimises, over the buckets that occur in the
// training examples only: a bucket no example has keeps weight 0, so the
// solver works in a compact space whatever the hash size.

// lbfgsBinary returns the weights (dim of them) and the bias.
func lbfgsBinary(xs []vec, ys []int, wts []float64, order []int, dim int, c float64, maxIter int) ([]float32, float32) {
	// Compact index of the buckets in use.
	pos := make(map[uint32]int32)
	var active []uint32
	cx := make([]struct {
		idx []int32
		val []float64
	}, len(order))
	for k, i := range order {
		x := &xs[i]
		cx[k].idx = make([]int32, len(x.idx))
		cx[k].val = make([]float64, len(x.idx))
		for j, f := range x.idx {
			p, ok := pos[f]
			if !ok {
				p = int32(len(active))
				pos[f] = p
				active = append(active, f)
			}
			cx[k].idx[j] = p
			cx[k].val[j] = float64(x.val[j])
		}
	}
	n := len(active) + 1 // the last coordinate is the bias
	ex := make([]float64, len(order))
	ey := make([]float64, len(order))
	for k, i := range order {
		ex[k] = wts[i]
		if ex[k] <= 0 {
			ex[k] = 1
		}
		ex[k] *= c
		ey[k] = float64(ys[i])
	}
	// f returns the objective at w and writes its gradient to g.
	f := func(w, g []float64) float64 {
		clear(g)
		loss := 0.0
		for k := range cx {
			z := w[n-1]
			for j, p := range cx[k].idx {
				z += w[p] * cx[k].val[j]
			}
			// log(1+e^z) − y·z, computed stably.
			var l float64
			if z > 0 {
				l = z + math.Log1p(math.Exp(-z))
			} else {
				l = math.Log1p(math.Exp(z))
			}
			loss += ex[k] * (l - ey[k]*z)
			d := ex[k] * (sigmoid(z) - ey[k])
			for j, p := range cx[k].idx {
				g[p] += d * cx[k].val[j]
			}
			g[n-1] += d
		}
		for j := 0; j < n-1; j++ {
			loss += 0.5 * w[j] * w[j]
			g[j] += w[j]
		}
		return loss
	}
	w := minimizeLBFGS(f, make([]float64, n), maxIter)
	out := make([]float32, dim)
	for j, b := range active {
		out[b] = float32(w[j])
	}
	return out, float32(w[n-1])
}

// minimizeLBFGS minimises a smooth convex f from x0 with limited-memory
// BFGS (10 pairs) and a backtracking line search under the Armijo
// condition. It stops after maxIter iterations, when the gradient's
// largest component is below 1e-6·max(1, |f|), or when a step no longer
// lowers f.
func minimizeLBFGS(f func(x, g []float64) float64, x []float64, maxIter int) []float64 {
	const mem = 10
	n := len(x)
	g := make([]float64, n)
	fx := f(x, g)
	var ss, ys [][]float64
	var rho []float64
	d := make([]float64, n)
	alpha := make([]float64, mem)
	xn := make([]float64, n)
	gn := make([]float64, n)
	for it := 0; it < maxIter; it++ {
		gmax := 0.0
		for _, v := range g {
			gmax = max(gmax, math.Abs(v))
		}
		if gmax < 1e-6*max(1, math.Abs(fx)) {
			break
		}
		// Two-loop recursion: d = −H·g.
		for i := range d {
			d[i] = -g[i]
		}
		for i := len(ss) - 1; i >= 0; i-- {
			alpha[i] = rho[i] * dot(ss[i], d)
			axpy(-alpha[i], ys[i], d)
		}
		if k := len(ss) - 1; k >= 0 {
			gamma := dot(ss[k], ys[k]) / dot(ys[k], ys[k])
			for i := range d {
				d[i] *= gamma
			}
		} else {
			// First step: a unit-length move along −g.
			s := 1 / math.Sqrt(dot(g, g))
			for i := range d {
				d[i] *= s
			}
		}
		for i := range ss {
			b := rho[i] * dot(ys[i], d)
			axpy(alpha[i]-b, ss[i], d)
		}
		gd := dot(g, d)
		if gd >= 0 {
			// Not a descent direction (numerical trouble): restart.
			ss, ys, rho = ss[:0], ys[:0], rho[:0]
			for i := range d {
				d[i] = -g[i]
			}
			gd = dot(g, d)
		}
		step, fn := 1.0, 0.0
		ok := false
		for ls := 0; ls < 40; ls++ {
			for i := range xn {
				xn[i] = x[i] + step*d[i]
			}
			fn = f(xn, gn)
			if fn <= fx+1e-4*step*gd {
				ok = true
				break
			}
			step /= 2
		}
		if !ok || fx-fn < 1e-12*max(1, math.Abs(fx)) {
			if ok {
				copy(x, xn)
			}
			break
		}
		s := make([]float64, n)
		y := make([]float64, n)
		if len(ss) == mem {
			s, y = ss[0], ys[0]
			ss, ys, rho = ss[1:], ys[1:], rho[1:]
		}
		for i := range s {
			s[i] = xn[i] - x[i]
			y[i] = gn[i] - g[i]
		}
		if sy := dot(s, y); sy > 1e-12 {
			ss, ys, rho = append(ss, s), append(ys, y), append(rho, 1/sy)
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
	}
	return x
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// axpy sets y += a·x.
func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

package ml

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestReplyAdaptThreshold(t *testing.T) {
	// 100 earlier scores 0.01, 0.02, ..., 1.00.
	var h []float64
	for i := 1; i <= 100; i++ {
		h = append(h, float64(i)/100)
	}
	tests := []struct {
		name    string
		a       ReplyAdapt
		earlier []float64
		want    float64
	}{
		{"off", ReplyAdapt{}, h, 0.5},
		{"off keeps base", ReplyAdapt{Base: 0.2}, h, 0.2},
		{"short history", ReplyAdapt{Share: 0.1, Min: 200}, h, 0.5},
		// The 10th highest of 100 is 0.91; with a negligible prior it
		// is the threshold.
		{"share only", ReplyAdapt{Share: 0.1, Prior: 1e-9}, h, 0.91},
		// Prior 100 = history length: the mean of logit(0.91) and
		// logit(0.5) in log-odds.
		{"half way", ReplyAdapt{Share: 0.1, Prior: 100}, h, sigmoid(logit(0.91) / 2)},
		{"share 1 flags all", ReplyAdapt{Share: 0.999, Prior: 1e-9}, h, 0.01},
	}
	for _, tc := range tests {
		if got := tc.a.Threshold(tc.earlier); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("%s: %+v.Threshold(...) = %v, want %v", tc.name, tc.a, got, tc.want)
		}
	}
}

func TestReplyAdaptIgnoresOrderAndDoesNotModify(t *testing.T) {
	a := ReplyAdapt{Share: 0.2, Min: 3}
	x := []float64{0.9, 0.1, 0.5, 0.3, 0.7}
	y := []float64{0.1, 0.3, 0.5, 0.7, 0.9}
	if gx, gy := a.Threshold(x), a.Threshold(y); gx != gy {
		t.Errorf("Threshold depends on order: %v vs %v", gx, gy)
	}
	if x[0] != 0.9 || x[1] != 0.1 {
		t.Errorf("Threshold modified its input: %v", x)
	}
}

func TestShift(t *testing.T) {
	tests := []struct{ p, t, want float64 }{
		{0.5, 0.5, 0.5},
		{0.2, 0.2, 0.5},
		{0.3, 0.2, sigmoid(logit(0.3) - logit(0.2))},
	}
	for _, tc := range tests {
		if got := Shift(tc.p, tc.t); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Shift(%v, %v) = %v, want %v", tc.p, tc.t, got, tc.want)
		}
	}
}

func TestGateReply(t *testing.T) {
	tests := []struct {
		p    float64
		ks   map[string]float64
		want float64
	}{
		{0.8, nil, 0.8},
		// odds 4 × 0.75 = 3: 0.75.
		{0.8, map[string]float64{"person": 0.5, "notification": 0.25, "newsletter": 0.25}, 0.75},
		{0.8, map[string]float64{"newsletter": 0.9, "spam": 0.1}, 0},
		{0.4, map[string]float64{"person": 1}, 0.4},
	}
	for _, tc := range tests {
		if got := GateReply(tc.p, tc.ks); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("GateReply(%v, %v) = %v, want %v", tc.p, tc.ks, got, tc.want)
		}
	}
}

// TestGateReplyCommutesWithShift: deciding gated scores at t equals
// deciding gated shifted scores at 0.5.
func TestGateReplyCommutesWithShift(t *testing.T) {
	const th = 0.19
	for _, p := range []float64{0.01, 0.1, 0.19, 0.3, 0.7, 0.99} {
		for _, s := range []float64{0.05, 0.3, 0.9, 1} {
			ks := map[string]float64{"person": s, "newsletter": 1 - s}
			a := logit(GateReply(p, ks)) - logit(th)
			b := logit(GateReply(Shift(p, th), ks))
			if math.Abs(a-b) > 1e-6 {
				t.Errorf("p %v s %v: logit(GateReply(p))-logit(t) = %v, logit(GateReply(Shift(p, t))) = %v", p, s, a, b)
			}
		}
	}
}

func TestNewReplyAdapt(t *testing.T) {
	m := &Model{info: Info{Task: TaskNeedsReply, Threshold: 0.5, Metrics: map[string]float64{MetricReplyShare: 0.15}}}
	if got := NewReplyAdapt(m); got.Share != 0.15 || got.Base != 0.5 {
		t.Errorf("NewReplyAdapt(share 0.15) = %+v, want Share 0.15 Base 0.5", got)
	}
	m.info.Metrics = nil
	if got := NewReplyAdapt(m); got != (ReplyAdapt{}) {
		t.Errorf("NewReplyAdapt(no share) = %+v, want zero", got)
	}
}

// FuzzReplyAdaptThreshold: for any history and settings the decision
// point is a probability, lies between Base and the history's share
// quantile, does not rise when Share rises, and Shift moves it to 0.5.
func FuzzReplyAdaptThreshold(f *testing.F) {
	f.Add(0.1, 0.5, 50.0, 5, []byte{1, 2, 3, 200, 100, 50, 7, 9})
	f.Add(0.9, 0.2, 0.0, 0, []byte{255, 0, 255, 0})
	f.Add(0.0, 0.0, 0.0, 0, []byte{})
	f.Add(math.NaN(), math.Inf(1), -1.0, -3, []byte{0})
	f.Fuzz(func(t *testing.T, share, base, prior float64, minN int, raw []byte) {
		var h []float64
		for i := 0; i+2 <= len(raw); i += 2 {
			h = append(h, float64(binary.BigEndian.Uint16(raw[i:]))/65535)
		}
		a := ReplyAdapt{Share: share, Base: base, Prior: prior, Min: minN % 64}
		got := a.Threshold(h)
		if !(got > 0 && got < 1) {
			t.Fatalf("%+v.Threshold(%d scores) = %v, want in (0, 1)", a, len(h), got)
		}
		b := a.base()
		if !(share > 0 && share < 1) && got != b {
			t.Fatalf("%+v.Threshold = %v with adaptation off, want base %v", a, got, b)
		}
		if share > 0 && share < 0.95 {
			more := a
			more.Share = share + 0.05
			if g2 := more.Threshold(h); g2 > got+1e-12 {
				t.Fatalf("Threshold rose with Share: %v at %v, %v at %v", got, share, g2, more.Share)
			}
		}
		if s := Shift(got, got); math.Abs(s-0.5) > 1e-9 {
			t.Fatalf("Shift(t, t) = %v, want 0.5", s)
		}
	})
}

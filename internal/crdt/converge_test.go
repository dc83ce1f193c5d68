package crdt

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

func randomProgram(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return b
}

func FuzzConverge(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 10, 100, 400, 1500} {
		f.Add(randomProgram(rng, n))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		runProgram(t, data)
	})
}

// TestConvergeSeeds runs the trace simulator on seeded random histories so
// that plain go test covers what FuzzConverge explores.
func TestConvergeSeeds(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 30
	}
	totalOps, totalApplied := 0, 0
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 7))
		s := runProgram(t, randomProgram(rng, 200+rng.IntN(3000)))
		totalOps += len(s.log)
		totalApplied += s.applied
	}
	if totalOps < seeds*20 {
		t.Errorf("%d seeds made only %d ops; the generator is not exercising the state", seeds, totalOps)
	}
	t.Logf("%d histories, %d ops, %d remote applies", seeds, totalOps, totalApplied)
}

// randomStates builds n states from one random history, each holding a
// random subset of the ops and collected at a random safe horizon.
func randomStates(t *testing.T, rng *rand.Rand, n int) []*State {
	t.Helper()
	s := runProgramNoFinish(t, randomProgram(rng, 600))
	var out []*State
	for range n {
		st := NewState()
		var missing []Op
		for _, op := range s.log {
			if rng.IntN(3) == 0 {
				missing = append(missing, op)
				continue
			}
			if err := st.Apply(op); err != nil {
				t.Fatalf("Apply(%s %s) = %v", op.Kind, op.Stamp, err)
			}
		}
		if rng.IntN(2) == 0 && len(s.log) > 0 {
			h := s.log[len(s.log)-1].Stamp.Wall + 1
			for _, op := range missing {
				h = min(h, op.Stamp.Wall)
			}
			h -= int64(rng.IntN(2000))
			st.Collect(time.UnixMilli(h))
		}
		out = append(out, st)
	}
	return out
}

func runProgramNoFinish(t testing.TB, data []byte) *sim {
	p := &program{b: data}
	s := newSim(t, 3, []time.Duration{0, time.Second, -time.Second})
	for !p.done() {
		s.step(p)
	}
	return s
}

func merged(states ...*State) *State {
	out := states[0].Clone()
	for _, s := range states[1:] {
		out.Merge(s)
	}
	return out
}

func TestMergeLaws(t *testing.T) {
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 99))
		st := randomStates(t, rng, 3)
		a, b, c := st[0], st[1], st[2]
		if ab, ba := merged(a, b).Snapshot(), merged(b, a).Snapshot(); !bytes.Equal(ab, ba) {
			t.Fatalf("seed %d: merge not commutative:\na∪b = %x\nb∪a = %x", seed, ab, ba)
		}
		left := merged(merged(a, b), c).Snapshot()
		right := merged(a, merged(b, c)).Snapshot()
		if !bytes.Equal(left, right) {
			t.Fatalf("seed %d: merge not associative:\n(a∪b)∪c = %x\na∪(b∪c) = %x", seed, left, right)
		}
		if aa := merged(a, a).Snapshot(); !bytes.Equal(aa, a.Snapshot()) {
			t.Fatalf("seed %d: merge not idempotent:\na∪a = %x\na   = %x", seed, aa, a.Snapshot())
		}
		// Merge leaves its argument alone.
		before := b.Snapshot()
		_ = merged(a, b)
		if !bytes.Equal(before, b.Snapshot()) {
			t.Fatalf("seed %d: Merge modified its argument", seed)
		}
	}
}

func TestApplyIdempotentAndCommutative(t *testing.T) {
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 5))
		s := runProgramNoFinish(t, randomProgram(rng, 800))
		forward, twice, shuffled := NewState(), NewState(), NewState()
		for _, op := range s.log {
			mustApply(t, forward, op)
			mustApply(t, twice, op)
			mustApply(t, twice, op)
		}
		perm := rng.Perm(len(s.log))
		for _, i := range perm {
			mustApply(t, shuffled, s.log[i])
		}
		want := forward.Snapshot()
		if got := twice.Snapshot(); !bytes.Equal(got, want) {
			t.Fatalf("seed %d: applying every op twice changed the state", seed)
		}
		if got := shuffled.Snapshot(); !bytes.Equal(got, want) {
			t.Fatalf("seed %d: applying ops in another order changed the state", seed)
		}
	}
}

func mustApply(t *testing.T, s *State, op Op) {
	t.Helper()
	if err := s.Apply(op); err != nil {
		t.Fatalf("Apply(%s %s) = %v", op.Kind, op.Stamp, err)
	}
}

package crdt

import (
	"errors"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestHLCNowMonotonic(t *testing.T) {
	c := &fakeClock{t0}
	h := NewHLC("a", c.now, 0)
	s1 := h.Now()
	if want := (Stamp{t0.UnixMilli(), 0, "a"}); s1 != want {
		t.Fatalf("Now() = %v, want %v", s1, want)
	}
	s2 := h.Now() // same millisecond
	if want := (Stamp{t0.UnixMilli(), 1, "a"}); s2 != want {
		t.Fatalf("Now() in the same ms = %v, want %v", s2, want)
	}
	c.t = t0.Add(-time.Minute) // physical clock steps back
	s3 := h.Now()
	if !s2.Less(s3) {
		t.Fatalf("Now() after a backwards step = %v, want after %v", s3, s2)
	}
	c.t = t0.Add(time.Second)
	if s4 := h.Now(); s4 != (Stamp{t0.Add(time.Second).UnixMilli(), 0, "a"}) {
		t.Fatalf("Now() after time passed = %v", s4)
	}
}

func TestHLCObserve(t *testing.T) {
	c := &fakeClock{t0}
	h := NewHLC("a", c.now, time.Hour)
	ms := t0.UnixMilli()
	tests := []struct {
		name   string
		remote Stamp
		want   Stamp // next Now() after observing
	}{
		{"remote behind", Stamp{ms - 1000, 5, "b"}, Stamp{ms, 2, "a"}},
		{"remote ahead within bound", Stamp{ms + 60_000, 7, "b"}, Stamp{ms + 60_000, 9, "a"}},
		{"remote equal wall, higher logical", Stamp{ms + 60_000, 20, "c"}, Stamp{ms + 60_000, 22, "a"}},
	}
	h.Now()
	for _, tt := range tests {
		if err := h.Observe(tt.remote); err != nil {
			t.Fatalf("%s: Observe(%v) = %v", tt.name, tt.remote, err)
		}
		if got := h.Now(); got != tt.want {
			t.Errorf("%s: Now() after Observe(%v) = %v, want %v", tt.name, tt.remote, got, tt.want)
		}
	}
}

func TestHLCDriftBound(t *testing.T) {
	c := &fakeClock{t0}
	h := NewHLC("a", c.now, 0)
	before := h.Now()
	far := Stamp{t0.Add(DefaultMaxDrift + time.Second).UnixMilli(), 0, "b"}
	err := h.Observe(far)
	if !errors.Is(err, ErrClockDrift) {
		t.Fatalf("Observe(%v) = %v, want ErrClockDrift", far, err)
	}
	if got := h.Last(); got != before {
		t.Fatalf("clock moved on a refused stamp: Last() = %v, want %v", got, before)
	}
	edge := Stamp{t0.Add(DefaultMaxDrift).UnixMilli(), 0, "b"}
	if err := h.Observe(edge); err != nil {
		t.Fatalf("Observe(%v) at the bound = %v, want nil", edge, err)
	}
	// A replica refuses the op too, and its state is unchanged.
	r := NewReplica("c", c.now, 0)
	op := Op{Stamp: far, Kind: KindSet, Collection: CollTask, ID: "1", Field: "title", Value: []byte("x")}
	if err := r.Receive(op); !errors.Is(err, ErrClockDrift) {
		t.Fatalf("Receive(far op) = %v, want ErrClockDrift", err)
	}
	if _, ok := r.State.Get(CollTask, "1"); ok {
		t.Fatalf("refused op was applied")
	}
}

func TestHLCLogicalOverflow(t *testing.T) {
	c := &fakeClock{t0}
	h := NewHLC("a", c.now, 0)
	h.Restore(Stamp{Wall: t0.UnixMilli(), Logical: ^uint32(0)})
	got := h.Now()
	if want := (Stamp{t0.UnixMilli() + 1, 0, "a"}); got != want {
		t.Fatalf("Now() at logical overflow = %v, want %v", got, want)
	}
}

func TestStampCompare(t *testing.T) {
	tests := []struct {
		a, b Stamp
		want int
	}{
		{Stamp{1, 0, "a"}, Stamp{2, 0, "a"}, -1},
		{Stamp{2, 0, "a"}, Stamp{1, 9, "z"}, 1},
		{Stamp{1, 1, "a"}, Stamp{1, 2, "a"}, -1},
		{Stamp{1, 1, "b"}, Stamp{1, 1, "a"}, 1},
		{Stamp{1, 1, "a"}, Stamp{1, 1, "a"}, 0},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

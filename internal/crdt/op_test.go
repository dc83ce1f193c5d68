package crdt

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestBatchRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	s := runProgramNoFinish(t, randomProgram(rng, 1500))
	if len(s.log) < 50 {
		t.Fatalf("only %d ops generated", len(s.log))
	}
	b, err := EncodeBatch(s.log)
	if err != nil {
		t.Fatalf("EncodeBatch = %v", err)
	}
	if b[0] != BatchVersion {
		t.Fatalf("first byte = %d, want version %d", b[0], BatchVersion)
	}
	again, _ := EncodeBatch(s.log)
	if !bytes.Equal(b, again) {
		t.Fatalf("EncodeBatch is not deterministic")
	}
	ops, err := DecodeBatch(b)
	if err != nil {
		t.Fatalf("DecodeBatch = %v", err)
	}
	if diff := gocmp.Diff(s.log, ops); diff != "" {
		t.Fatalf("DecodeBatch(EncodeBatch(ops)) (-want +got):\n%s", diff)
	}
}

func TestValidateRejects(t *testing.T) {
	good := set(1, "a", "1", "title", "x")
	tests := []struct {
		name string
		mod  func(*Op)
	}{
		{"no device", func(o *Op) { o.Stamp.Device = "" }},
		{"zero wall", func(o *Op) { o.Stamp.Wall = 0 }},
		{"no collection", func(o *Op) { o.Collection = "" }},
		{"no id", func(o *Op) { o.ID = "" }},
		{"no field", func(o *Op) { o.Field = "" }},
		{"unknown kind", func(o *Op) { o.Kind = 9 }},
		{"delete with field", func(o *Op) { o.Kind = KindDelete; o.Value = nil }},
		{"value on add", func(o *Op) { o.Kind = KindAdd }},
		{"dot after remove", func(o *Op) {
			o.Kind, o.Value, o.Dots = KindRemove, nil, []Stamp{stamp(5, "a")}
		}},
		{"unsorted dots", func(o *Op) {
			o.Kind, o.Value, o.Stamp, o.Dots = KindRemove, nil, stamp(9, "a"), []Stamp{stamp(2, "a"), stamp(1, "a")}
		}},
	}
	for _, tt := range tests {
		op := good
		tt.mod(&op)
		if err := op.Validate(); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("%s: Validate() = %v, want ErrInvalidOp", tt.name, err)
		}
		if err := NewState().Apply(op); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("%s: Apply() = %v, want ErrInvalidOp", tt.name, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	b, _ := EncodeBatch([]Op{set(1, "a", "1", "title", "x")})
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"wrong version", append([]byte{2}, b[1:]...)},
		{"truncated", b[:len(b)-1]},
		{"trailing", append(bytes.Clone(b), 0)},
		{"non-minimal varint count", append([]byte{1, 0x81, 0x00}, b[2:]...)},
	}
	for _, tt := range tests {
		if _, err := DecodeBatch(tt.in); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: DecodeBatch(%x) = %v, want ErrFormat", tt.name, tt.in, err)
		}
	}
}

// FuzzDecodeBatch: the decoder never panics, and whatever it accepts
// re-encodes to the same bytes and applies without error.
func FuzzDecodeBatch(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 3))
	s := runProgramNoFinish(f, randomProgram(rng, 300))
	b, _ := EncodeBatch(s.log)
	f.Add(b)
	one, _ := EncodeBatch([]Op{remove(9, "a", "1", "x", stamp(1, "a"), stamp(2, "b"))})
	f.Add(one)
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		ops, err := DecodeBatch(data)
		if err != nil {
			return
		}
		again, err := EncodeBatch(ops)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("EncodeBatch(DecodeBatch(b)) = %x, %v; want %x", again, err, data)
		}
		st := NewState()
		for _, op := range ops {
			if err := st.Apply(op); err != nil {
				t.Fatalf("Apply(decoded op) = %v", err)
			}
		}
	})
}

// FuzzLoadSnapshot: the loader never panics and accepts only canonical
// snapshots.
func FuzzLoadSnapshot(f *testing.F) {
	rng := rand.New(rand.NewPCG(4, 4))
	s := runProgramNoFinish(f, randomProgram(rng, 400))
	for _, r := range s.reps {
		f.Add(r.State.Snapshot())
	}
	f.Add(NewState().Snapshot())
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := LoadSnapshot(data)
		if err != nil {
			return
		}
		if again := st.Snapshot(); !bytes.Equal(again, data) {
			t.Fatalf("Snapshot(LoadSnapshot(b)) = %x, want %x", again, data)
		}
		c := st.Clone()
		c.Merge(st)
		if !bytes.Equal(c.Snapshot(), data) {
			t.Fatalf("merging a loaded snapshot with itself changed it")
		}
	})
}

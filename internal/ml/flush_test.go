package ml

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// refFlushIDF is flushIDF as it was before the radix sort and the weight
// table (commit f5b8b12): the reference the optimised code must equal.
func refFlushIDF(f *featurizer, v *vec) {
	for i := range f.grp {
		f.grp[i] &= f.mask
	}
	slices.Sort(f.grp)
	start := len(v.idx)
	norm := 0.0
	for i := 0; i < len(f.grp); {
		j := i
		for j < len(f.grp) && f.grp[j] == f.grp[i] {
			j++
		}
		w := 1 + math.Log(float64(j-i))
		if f.idf != nil {
			w *= float64(f.idf[f.grp[i]])
		}
		v.idx = append(v.idx, f.grp[i])
		v.val = append(v.val, float32(w))
		norm += w * w
		i = j
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for k := start; k < len(v.val); k++ {
			v.val[k] *= inv
		}
	}
	f.grp = f.grp[:0]
}

// checkFlushIDF flushes grp with flushIDF and refFlushIDF after a common
// prefix in v and reports a difference in the idx/val sequences.
func checkFlushIDF(t *testing.T, f *featurizer, grp []uint32, prefix int) {
	t.Helper()
	var got, want vec
	for i := 0; i < prefix; i++ {
		got.idx, got.val = append(got.idx, uint32(i)), append(got.val, 0.5)
	}
	want.idx, want.val = slices.Clone(got.idx), slices.Clone(got.val)
	f.grp = append(f.grp[:0], grp...)
	f.flushIDF(&got)
	if len(f.grp) != 0 {
		t.Fatalf("flushIDF left %d hashes in the group", len(f.grp))
	}
	f.grp = append(f.grp[:0], grp...)
	refFlushIDF(f, &want)
	if !slices.Equal(got.idx, want.idx) {
		t.Fatalf("flushIDF(%d hashes, bits %d) idx = %v, want %v", len(grp), f.s.Bits, got.idx, want.idx)
	}
	for i := range got.val {
		if math.Float32bits(got.val[i]) != math.Float32bits(want.val[i]) {
			t.Fatalf("flushIDF(%d hashes, bits %d) val[%d] = %v, want %v", len(grp), f.s.Bits, i, got.val[i], want.val[i])
		}
	}
}

func idfFeaturizer(bits int, withIDF bool) *featurizer {
	s := DefaultFeatures(TaskSpam)
	s.Bits = bits
	f := newFeaturizer(s)
	if withIDF {
		r := rand.New(rand.NewPCG(1, uint64(bits)))
		f.idf = make([]float32, 1<<bits)
		for i := range f.idf {
			f.idf[i] = 1 + 8*r.Float32()
		}
	}
	return f
}

// TestFlushIDFMatchesReference compares flushIDF with the reference on
// random groups of every size around the radix threshold, with few and
// many repeats, for several hash widths, with and without IDF weights.
func TestFlushIDFMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for _, bits := range []int{10, 11, 18, 20, 24} {
		for _, withIDF := range []bool{false, true} {
			f := idfFeaturizer(bits, withIDF)
			for _, n := range []int{0, 1, 2, 3, 50, radixMin - 1, radixMin, radixMin + 1, 500, 1000, 4000, 20000} {
				for _, distinct := range []uint32{3, 100, 1 << 31} {
					grp := make([]uint32, n)
					for i := range grp {
						grp[i] = r.Uint32()
						if distinct < 1<<31 {
							grp[i] = grp[i] % distinct * 2654435761
						}
					}
					checkFlushIDF(t, f, grp, n%5)
				}
			}
		}
	}
}

// TestFlushIDFMatchesReferenceOnMail compares the two on the word and
// character groups of real messages, with the spam model's IDF table.
func TestFlushIDFMatchesReferenceOnMail(t *testing.T) {
	msgs := spamAssassin(t, 150)
	ms, err := Defaults() // float32 IDF values (compact models keep bytes)
	if err != nil {
		t.Fatal(err)
	}
	f := ms[TaskSpam].featurizer()
	if f.idf == nil {
		t.Fatal("the default spam model has no IDF table")
	}
	sizes := 0
	for i := range msgs {
		m := &msgs[i]
		f.grp = f.grp[:0]
		f.words("w", m.Text, f.s.TextBytes)
		checkFlushIDF(t, f, slices.Clone(f.grp), 0)
		f.chars(m.Subject+"\n"+clipBytes(m.Text, f.s.CharBytes), f.s.CharBytes)
		sizes += len(f.grp)
		checkFlushIDF(t, f, slices.Clone(f.grp), 3)
	}
	if sizes == 0 {
		t.Fatal("no character n-grams in the messages")
	}
}

// TestTFWeight checks the weight table against the formula.
func TestTFWeight(t *testing.T) {
	for n := 1; n < 300; n++ {
		if got, want := tfWeight(n), 1+math.Log(float64(n)); got != want {
			t.Fatalf("tfWeight(%d) = %v, want %v", n, got, want)
		}
	}
}

// FuzzFlushIDF checks flushIDF against the reference on any group.
func FuzzFlushIDF(f *testing.F) {
	f.Add([]byte{}, uint8(20))
	f.Add([]byte{1, 2, 3, 4, 1, 2, 3, 4, 9, 9, 9, 9}, uint8(10))
	seed := make([]byte, 4*600)
	for i := range seed {
		seed[i] = byte(i * 7 % 13)
	}
	f.Add(seed, uint8(18))
	fs := map[int]*featurizer{}
	f.Fuzz(func(t *testing.T, b []byte, bits uint8) {
		nb := []int{10, 11, 15, 18, 20, 24}[int(bits)%6]
		fz := fs[nb]
		if fz == nil {
			fz = idfFeaturizer(nb, nb <= 20)
			fs[nb] = fz
		}
		grp := make([]uint32, len(b)/4)
		for i := range grp {
			grp[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		// Repeat the group to get past the radix threshold.
		for len(grp) > 0 && len(grp) < radixMin {
			grp = append(grp, grp...)
		}
		checkFlushIDF(t, fz, grp, len(b)%3)
	})
}

func BenchmarkFlushIDF(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{100, 200, 400, 1000, 4000} {
		f := idfFeaturizer(20, true)
		grp := make([]uint32, n)
		for i := range grp {
			grp[i] = r.Uint32()
		}
		var v vec
		b.Run(fmt.Sprint("new/", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f.grp = append(f.grp[:0], grp...)
				v.idx, v.val = v.idx[:0], v.val[:0]
				f.flushIDF(&v)
			}
		})
		b.Run(fmt.Sprint("ref/", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f.grp = append(f.grp[:0], grp...)
				v.idx, v.val = v.idx[:0], v.val[:0]
				refFlushIDF(f, &v)
			}
		})
	}
}

// FuzzSortShared: the order sortShared gives a memo group, for every
// number of bits it serves and whichever featurizer sorted the group
// first, is the sorted masked group.
func FuzzSortShared(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(0))
	f.Add(bytes.Repeat([]byte{0xff, 0x00, 0x13, 0x80}, 300), uint8(2))
	f.Add(bytes.Repeat([]byte{9, 8, 7, 6, 5, 4, 3, 2, 1}, 700), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, order uint8) {
		h := make([]uint32, len(data)/4)
		for i := range h {
			h[i] = binary.LittleEndian.Uint32(data[4*i:])
		}
		var memo msgMemo
		m := &wire.Message{}
		memo.reset(m)
		memo.groups = append(memo.groups, memoGroup{h: h})
		allBits := []int{sharedSortBits, sharedSortBits + 2, sharedSortBits + 5, sharedSortBits + 12}
		for k := range allBits {
			bits := allBits[(k+int(order))%len(allBits)]
			fz := newFeaturizer(FeatureSettings{Bits: bits})
			fz.memo = &memo
			fz.grp = append(fz.grp[:0], h...)
			fz.cur = 0
			if fz.curGroup() == nil {
				t.Fatal("curGroup() = nil for a whole memo group")
			}
			got := fz.sortShared(fz.curGroup())
			want := make([]uint32, len(h))
			for i, x := range h {
				want[i] = x & fz.mask
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("sortShared with %d bits = %v, want %v", bits, got, want)
			}
		}
	})
}

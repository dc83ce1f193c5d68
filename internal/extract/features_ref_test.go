package extract

import (
	"bufio"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/testdata"
)

// referenceVector is the straightforward featurisation the fast one
// (featurizer.vectorInto) must equal: every feature name built as a
// string, hashed with hash/fnv, counted in a map.
func referenceVector(s FeatureSettings, sentence string, ref time.Time) sparse {
	mask := uint32(1)<<s.Bits - 1
	counts := map[uint32]float32{}
	add := func(name string) {
		h := fnv.New32a()
		h.Write([]byte(name))
		counts[h.Sum32()&mask]++
	}
	toks := tokens(sentence)
	add("bias")
	for n := 1; n <= s.NGrams; n++ {
		for i := 0; i+n <= len(toks); i++ {
			add("w" + string(rune('0'+n)) + ":" + strings.Join(toks[i:i+n], " "))
		}
	}
	if s.Cues {
		for _, c := range cues(sentence, toks, ref) {
			add("c:" + c)
		}
	}
	var v sparse
	for i := range counts {
		v.idx = append(v.idx, i)
	}
	slices.Sort(v.idx)
	var norm float64
	for _, i := range v.idx {
		v.val = append(v.val, counts[i])
		norm += float64(counts[i]) * float64(counts[i])
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.val {
			v.val[i] *= inv
		}
	}
	return v
}

// TestVectorMatchesReference compares the fast featurisation with the
// reference on every sentence of the email-intent corpus, reusing one
// featurizer throughout as Model.Prob does.
func TestVectorMatchesReference(t *testing.T) {
	f, err := os.Open(filepath.Join(testdata.Dir(t, "email-intent"), "train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	set := DefaultFeatureSettings()
	fz := newFeaturizer(set)
	n := 0
	for sc.Scan() {
		_, s, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		got, want := fz.vectorInto(s, cueRef), referenceVector(set, s, cueRef)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("vectorInto(%q) = %v, want %v", s, got, want)
		}
		n++
	}
	if n < 3000 {
		t.Fatalf("compared %d sentences, want the whole corpus", n)
	}
}

func FuzzVectorMatchesReference(f *testing.F) {
	for _, s := range []string{"Could you send me the report by Friday EOD?", "", "PLEASE CALL ME ASAP!!!", "it’s 3:30 — don't forget: $LINK", "\xff\xfe ünïcödé words’ and ’quotes", "a b c d e f g h i j k l m n o p"} {
		f.Add(s)
	}
	set := DefaultFeatureSettings()
	fz := newFeaturizer(set)
	f.Fuzz(func(t *testing.T, s string) {
		got, want := fz.vectorInto(s, cueRef), referenceVector(set, s, cueRef)
		if len(got.idx) == 0 && len(want.idx) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("vectorInto(%q) = %v, want %v", s, got, want)
		}
		if m := fz.vector(s, cueRef); !reflect.DeepEqual(m, want) {
			t.Fatalf("vector(%q) = %v, want %v", s, m, want)
		}
	})
}

package ml

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// TestHeaderScale checks that HeaderScale scales exactly the header group:
// with headers only, the vector's length is the scale.
func TestHeaderScale(t *testing.T) {
	m := wire.Message{From: "a@example.com", To: []string{"b@example.org"}, Subject: "hello there", Text: "some words of text"}
	for _, scale := range []float32{0, 0.7, 2} {
		s := DefaultFeatures(TaskSpam)
		s.HeaderScale = scale
		s.IDF = false
		hs := s
		hs.Headers = false
		var all, words vec
		newFeaturizer(s).extract(&m, &all)
		newFeaturizer(hs).extract(&m, &words)
		sq := func(v vec) float64 {
			n := 0.0
			for _, x := range v.val {
				n += float64(x) * float64(x)
			}
			return n
		}
		want := 1.0
		if scale > 0 {
			want = float64(scale) * float64(scale)
		}
		if got := sq(all) - sq(words); math.Abs(got-want) > 1e-4 {
			t.Errorf("HeaderScale %g: header group squared length %g, want %g", scale, got, want)
		}
	}
	bad := DefaultFeatures(TaskSpam)
	bad.HeaderScale = float32(math.NaN())
	if bad.validate() == nil {
		t.Error("validate accepted a NaN header scale")
	}
}

// TestMinDF checks that with MinDF the buckets seen in fewer training
// messages get IDF 0 and drop out of a message's vector (no value, no
// share of the group's length), while the others keep their IDF.
func TestMinDF(t *testing.T) {
	s := DefaultFeatures(TaskSpam)
	s.Bits, s.CharMin, s.CharMax, s.Headers, s.Bigrams = 16, 0, 0, false, false
	ex := []Example{
		{Msg: wire.Message{Text: "common rare"}},
		{Msg: wire.Message{Text: "common"}},
		{Msg: wire.Message{Text: "common"}},
	}
	bucket := func(fs FeatureSettings, word string) uint32 {
		f := newFeaturizer(fs)
		f.words("w", word, 100)
		return f.grp[0] & f.mask
	}
	for _, tc := range []struct {
		minDF          int
		rareZero, zero bool
	}{{0, false, false}, {1, false, true}, {2, true, true}} {
		fs := s
		fs.MinDF = tc.minDF
		idf := docFreqIDF(fs, ex)
		common, rare, unseen := idf[bucket(fs, "common")], idf[bucket(fs, "rare")], idf[bucket(fs, "never")]
		if common <= 0 {
			t.Errorf("MinDF %d: idf(common) = %g, want > 0", tc.minDF, common)
		}
		if (rare == 0) != tc.rareZero {
			t.Errorf("MinDF %d: idf(rare) = %g, want zero %v", tc.minDF, rare, tc.rareZero)
		}
		if (unseen == 0) != tc.zero {
			t.Errorf("MinDF %d: idf(unseen) = %g, want zero %v", tc.minDF, unseen, tc.zero)
		}
		// "common never": with MinDF ≥ 1 the unseen word is dropped, so
		// the text group is "common" alone at unit length.
		f := newFeaturizer(fs)
		f.idf = idf
		var v vec
		f.extract(&wire.Message{Text: "common never"}, &v)
		got := 0.0
		for i, b := range v.idx {
			if b == bucket(fs, "common") {
				got = float64(v.val[i])
			}
		}
		want := 1.0
		if tc.minDF == 0 {
			want = float64(common) / math.Hypot(float64(common), float64(unseen))
		}
		if math.Abs(got-want) > 1e-5 {
			t.Errorf("MinDF %d: value of common in \"common never\" = %g, want %g", tc.minDF, got, want)
		}
	}
	bad := s
	bad.IDF, bad.MinDF = false, 2
	if bad.validate() == nil {
		t.Error("validate accepted MinDF without IDF")
	}
}

// TestSpamCWithoutSolver checks that TrainOptions.C reaches the spam
// task's default solver: a much stronger penalty gives smaller weights.
func TestSpamCWithoutSolver(t *testing.T) {
	maxW := func(c float64) float64 {
		o := smallOpts()
		o.C, o.Holdout = c, -1
		m, err := Train(TaskSpam, synthExamples(40), o)
		if err != nil {
			t.Fatal(err)
		}
		mx := 0.0
		for _, w := range m.w {
			mx = max(mx, math.Abs(float64(w)))
		}
		return mx
	}
	if def, weak := maxW(0), maxW(0.01); !(weak < def/2) {
		t.Errorf("max |w| with C = 0.01 is %g, with the default C %g: want the first well below", weak, def)
	}
}

// TestFromChars checks the sender group: of length FromChars, made of the
// same buckets as the character n-grams of the same letters in the text,
// and off unless asked for.
func TestFromChars(t *testing.T) {
	base := DefaultFeatures(TaskSpam)
	base.IDF, base.Headers = false, false
	m := wire.Message{From: "zork.quux@example.com", FromName: "Zork Quux", Subject: "hi", Text: "plain words"}
	sq := func(v vec) float64 {
		n := 0.0
		for _, x := range v.val {
			n += float64(x) * float64(x)
		}
		return n
	}
	for _, scale := range []float32{0.6, 1, 2} {
		on, off := base, base
		on.FromChars, off.FromChars = scale, 0
		var a, b vec
		newFeaturizer(on).extract(&m, &a)
		newFeaturizer(off).extract(&m, &b)
		if got, want := sq(a)-sq(b), float64(scale*scale); math.Abs(got-want) > 1e-4 {
			t.Errorf("FromChars %g: sender group squared length %g, want %g", scale, got, want)
		}
		// The text "zork" gives the n-grams " zo", "zor", ... the sender
		// group has them too.
		fc := newFeaturizer(off)
		fc.chars("zork", 100)
		if len(fc.grp) == 0 {
			t.Fatal("chars(\"zork\") made no n-grams")
		}
		for _, h := range fc.grp {
			if k := h & fc.mask; !slices.Contains(a.idx, k) || slices.Contains(b.idx, k) {
				t.Errorf("FromChars %g: n-gram bucket %d of the text \"zork\" in the sender group %v, in the rest %v; want true, false",
					scale, k, slices.Contains(a.idx, k), slices.Contains(b.idx, k))
			}
		}
	}
	// Without character n-grams there is no sender group either.
	noChars := base
	noChars.FromChars, noChars.CharMin, noChars.CharMax = 1, 0, 0
	plain := noChars
	plain.FromChars = 0
	var x, y vec
	newFeaturizer(noChars).extract(&m, &x)
	newFeaturizer(plain).extract(&m, &y)
	if !slices.Equal(x.idx, y.idx) || !slices.Equal(x.val, y.val) {
		t.Errorf("FromChars without character n-grams changed the vector: %v, want %v", x, y)
	}
	if DefaultFeatures(TaskKind).FromChars != 0 || DefaultFeatures(TaskNeedsReply).FromChars != 0 {
		t.Error("FromChars is on for kind or needs_reply; their shipped models would change")
	}
	for _, bad := range []FeatureSettings{
		func() FeatureSettings { s := base; s.FromChars = float32(math.NaN()); return s }(),
		func() FeatureSettings { s := base; s.FromChars = -1; return s }(),
	} {
		if bad.validate() == nil {
			t.Errorf("validate accepted FromChars %g", bad.FromChars)
		}
	}
}

// FuzzSpamFeatures: on any sender, subject and text the spam featurizer
// gives buckets inside its hash space and finite values, each bucket once
// per group, and a sender group no longer than FromChars.
func FuzzSpamFeatures(f *testing.F) {
	f.Add("Zork <zork@example.com>", "Zork", "WIN $$$ now!!!", "Click here: http://x.example/", 0.6)
	f.Add("", "", "", "", 1.0)
	f.Add("\xff\xfe@\x00", "名前 ÉÀ", "Ѐ\u212a", strings.Repeat("ab ", 700), 2.0)
	f.Add(strings.Repeat("a", 300)+"@b", strings.Repeat("é", 150), "x", "y", 0.0)
	f.Fuzz(func(t *testing.T, from, name, subj, text string, scale float64) {
		s := DefaultFeatures(TaskSpam)
		s.Bits, s.IDF = 12, false
		if !(scale >= 0 && scale <= 10) {
			return
		}
		s.FromChars = float32(scale)
		m := wire.Message{From: from, FromName: name, Subject: subj, Text: text}
		var v, w vec
		newFeaturizer(s).extract(&m, &v)
		off := s
		off.FromChars = 0
		newFeaturizer(off).extract(&m, &w)
		n := 0.0
		for i, b := range v.idx {
			if b >= 1<<12 {
				t.Fatalf("bucket %d outside 2^12", b)
			}
			x := float64(v.val[i])
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("value %g of bucket %d", x, b)
			}
			n += x * x
		}
		nOff := 0.0
		for _, x := range w.val {
			nOff += float64(x) * float64(x)
		}
		if extra := n - nOff; extra > scale*scale+1e-3 || extra < -1e-3 {
			t.Fatalf("sender group squared length %g, want at most %g", extra, scale*scale)
		}
	})
}

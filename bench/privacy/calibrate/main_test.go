package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pam-ai/pam/internal/testdata"
)

// TestExtractTableUpToDate: the action-rate table internal/extract ships is
// what this program fits from the Email Intent data and the shipped action
// model's settings. It fails after the action model's settings or data
// change until `go run ./bench/privacy/calibrate -write` is run again. (The
// message table beside it rests on the hand labels, which others extend;
// it is not checked here.)
func TestExtractTableUpToDate(t *testing.T) {
	root, err := testdata.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "..", "shared", "data", "email-intent", "train.tsv")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("evaluation data missing under CI: %v", err)
		}
		t.Skipf("evaluation data missing: %v", err)
	}
	var w bytes.Buffer
	maps, prior, err := extractCalibration(context.Background(), &w, path, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		if len(maps[f]) == 0 || prior[f] <= 0 || prior[f] >= 1 {
			t.Errorf("form %s: %d steps, share of asks %v", f, len(maps[f]), prior[f])
		}
	}
	tmp := filepath.Join(t.TempDir(), "calibration.go")
	if err := writeExtract(tmp, maps, []bin{{Upto: 1, Rate: 0.5}}, []float64{0, 0, 0, 0}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(root, "internal", "extract", "calibration.go"))
	if err != nil {
		t.Fatal(err)
	}
	block := func(src []byte) []byte {
		i := bytes.Index(src, []byte("var actionRates"))
		if i < 0 {
			return nil
		}
		j := bytes.Index(src[i:], []byte("\n}\n"))
		if j < 0 {
			return nil
		}
		return src[i : i+j]
	}
	if g, w := block(got), block(want); g == nil || !bytes.Equal(g, w) {
		t.Errorf("internal/extract/calibration.go is not what the data and the action model's settings give; run go run ./bench/privacy/calibrate -write")
	}
}

func TestFitMonotone(t *testing.T) {
	xs := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
	ys := []bool{false, true, false, false, true, true, false, true}
	bs := fitMonotone(xs, ys, 4)
	prev := 0.0
	for i, b := range bs {
		if b.Rate < prev {
			t.Errorf("fitMonotone step %d rate %v after %v: not monotone", i, b.Rate, prev)
		}
		prev = b.Rate
	}
	if last := bs[len(bs)-1].Upto; last != 1 {
		t.Errorf("last step ends at %v, want 1", last)
	}
	// Bins of two: (0.1,0.2) 1/2, (0.3,0.4) 0/2, (0.5,0.6) 2/2, (0.7,0.8) 1/2;
	// the first two pool to 1/4 -> (1+1)/(4+2); the last two to 3/4 -> 4/6.
	want := []bin{{Upto: 0.4, Rate: 2.0 / 6, N: 4}, {Upto: 1, Rate: 4.0 / 6, N: 4}}
	if len(bs) != len(want) {
		t.Fatalf("fitMonotone = %+v, want %+v", bs, want)
	}
	for i := range want {
		if bs[i].Upto != want[i].Upto || bs[i].N != want[i].N || abs(bs[i].Rate-want[i].Rate) > 1e-12 {
			t.Errorf("fitMonotone step %d = %+v, want %+v", i, bs[i], want[i])
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

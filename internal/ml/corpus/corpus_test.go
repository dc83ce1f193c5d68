package corpus

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func mailDir(t *testing.T) string {
	t.Helper()
	d, err := FindMailDir(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "spamassassin")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing under CI: %v", err)
		}
		t.Skipf("shared data missing: %v", err)
	}
	return d
}

func TestFirstReceived(t *testing.T) {
	raw := "Return-Path: <a@b>\nReceived: from x by y;\n\tThu, 22 Aug 2002 08:17:21 -0400 (EDT)\n" +
		"Received: from z by x; Wed, 21 Aug 2002 01:00:00 +0000\nSubject: s\n\nbody Received: no; Fri, 1 Jan 2010 00:00:00 +0000\n"
	got, ok := FirstReceived([]byte(raw))
	want := time.Date(2002, 8, 22, 12, 17, 21, 0, time.UTC)
	if !ok || !got.Equal(want) {
		t.Errorf("FirstReceived = %v, %v, want %v (the topmost header, folded)", got, ok, want)
	}
	if _, ok := FirstReceived([]byte("Subject: none\n\nReceived: x; Fri, 1 Jan 2010 00:00:00 +0000\n")); ok {
		t.Errorf("FirstReceived found a date in the body")
	}
}

func TestReadLabels(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.tsv")
	os.WriteFile(p, []byte("# comment\na/1\tperson\tyes\nb/2\tspam\tno\n"), 0o644)
	ls, err := ReadLabels(p)
	if err != nil || len(ls) != 2 || ls[0] != (Label{"a/1", "person", true}) || ls[1] != (Label{"b/2", "spam", false}) {
		t.Errorf("ReadLabels = %v, %v", ls, err)
	}
	os.WriteFile(p, []byte("a/1\tperson\tmaybe\n"), 0o644)
	if _, err := ReadLabels(p); err == nil {
		t.Errorf("ReadLabels accepted needs_reply \"maybe\"")
	}
	os.WriteFile(p, []byte("a/1\tfriend\tyes\n"), 0o644)
	if _, err := ReadLabels(p); err == nil {
		t.Errorf("ReadLabels accepted kind \"friend\"")
	}
}

// TestRepoLabels checks labels/kind.tsv: at least 300 hand labels, every
// path present in the shared data.
func TestRepoLabels(t *testing.T) {
	d := mailDir(t)
	// Tests run in internal/ml/corpus.
	ls, err := ReadLabels(filepath.Join("..", "..", "..", "labels", "kind.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 300 {
		t.Errorf("labels/kind.tsv has %d labels, want ≥ 300", len(ls))
	}
	for _, l := range ls {
		if _, err := os.Stat(filepath.Join(d, l.Rel)); err != nil {
			t.Errorf("labelled file %s: %v", l.Rel, err)
		}
	}
}

func TestSpamSplit(t *testing.T) {
	d := mailDir(t)
	tr, te, err := SpamSplit(d, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 2600 || len(te) != 650 {
		t.Errorf("SpamSplit = %d train, %d test, want 2600 and 650", len(tr), len(te))
	}
	// Per folder, every test message is at least as new as every
	// training message.
	newestTrain := map[string]time.Time{}
	for _, f := range tr {
		if f.Date.After(newestTrain[f.Group]) {
			newestTrain[f.Group] = f.Date
		}
	}
	for _, f := range te {
		if f.Date.Before(newestTrain[f.Group]) {
			t.Errorf("test file %s (%v) is older than the newest %s training file (%v)", f.Rel, f.Date, f.Group, newestTrain[f.Group])
			break
		}
	}
}

func TestNestedF1(t *testing.T) {
	// Fold 0 is decided at fold 1's best threshold (0.6): one hit, one
	// false alarm. Fold 1 at fold 0's (0.9): two misses. F1 = 2/(2+1+2).
	scores := []float64{0.9, 0.8, 0.1, 0.7, 0.6, 0.2}
	labels := []bool{true, false, false, true, true, false}
	foldOf := []int{0, 0, 0, 1, 1, 1}
	defer func(r string) { ReplyRule = r }(ReplyRule)
	ReplyRule = "f1"
	if got, want := nestedF1(scores, labels, foldOf, 2), 0.4; math.Abs(got-want) > 1e-12 {
		t.Errorf("nestedF1(...) = %v, want %v", got, want)
	}
	if got := f1At(scores, labels, 0.6); math.Abs(got-6.0/7) > 1e-12 {
		t.Errorf("f1At(..., 0.6) = %v, want %v", got, 6.0/7)
	}
}

func TestReplyCut(t *testing.T) {
	defer func(r string) { ReplyRule = r }(ReplyRule)
	scores := []float64{0.1, 0.9, 0.4, 0.7, 0.3, 0.8}
	labels := []bool{false, true, true, false, false, false}
	tests := []struct {
		rule string
		want float64
	}{
		// Two positives: flag the two highest scores.
		{"prevalence", 0.8},
		// F1-best: 0.4 flags 4 (2 hits, 2 false) F1 0.667; 0.9 flags one
		// hit, F1 0.667 too; ml.BestF1Threshold keeps the first best from
		// the top.
		{"f1", 0.9},
	}
	for _, tc := range tests {
		ReplyRule = tc.rule
		got, err := replyCut(scores, labels)
		if err != nil || got != tc.want {
			t.Errorf("replyCut with rule %s = %v, %v; want %v", tc.rule, got, err, tc.want)
		}
	}
	ReplyRule = "median"
	if _, err := replyCut(scores, labels); err == nil {
		t.Errorf("replyCut with rule median: no error")
	}
}

package ml

import (
	"bytes"
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// demoMessages is the demo mailbox as a classifier sees it.
func demoMessages(t testing.TB) []wire.Message {
	t.Helper()
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	var msgs []wire.Message
	for _, dm := range demo.Messages(now) {
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			t.Fatalf("demo message does not parse: %v", err)
		}
		msgs = append(msgs, FromMessage(pm, []string{demo.UserEmail}))
	}
	if len(msgs) < 20 {
		t.Fatalf("demo mailbox has %d messages", len(msgs))
	}
	return msgs
}

// sameClassification compares two results, probabilities within tol.
func sameClassification(a, b wire.Classification, tol float64) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= tol }
	if a.ID != b.ID || a.Kind != b.Kind || a.Label != b.Label || a.Degraded != b.Degraded ||
		!slices.Equal(a.Models, b.Models) || !slices.Equal(a.Undecided, b.Undecided) ||
		!near(a.Spam, b.Spam) || !near(a.NeedsReply, b.NeedsReply) ||
		len(a.KindScores) != len(b.KindScores) || len(a.LabelScores) != len(b.LabelScores) {
		return false
	}
	for k, v := range a.KindScores {
		if w, ok := b.KindScores[k]; !ok || !near(v, w) {
			return false
		}
	}
	for k, v := range a.LabelScores {
		if w, ok := b.LabelScores[k]; !ok || !near(v, w) {
			return false
		}
	}
	return true
}

// TestOptimisedClassifyMatchesStraightforward checks the worker's path
// (compact default models, a batch split over the cores) against the
// straightforward one (float32 models, one message at a time) on the demo
// mailbox and, when the shared data is there, SpamAssassin mail: the same
// kinds, undecided flags and probabilities within 1e-4.
func TestOptimisedClassifyMatchesStraightforward(t *testing.T) {
	full, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	compact, err := CompactDefaults()
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range compact {
		if !m.Compact() {
			t.Errorf("CompactDefaults()[%s] is not compact", name)
		}
		if full[name].Compact() {
			t.Errorf("Defaults()[%s] is compact", name)
		}
	}
	tasks := []string{TaskSpam, TaskKind, TaskNeedsReply}
	pick := func(ms map[string]*Model) []*Model {
		var out []*Model
		for _, t := range tasks {
			out = append(out, ms[t])
		}
		return out
	}
	slow, fast := NewClassifier(pick(full)...), NewClassifier(pick(compact)...)
	msgs := demoMessages(t)
	if _, err := sharedDataDir(); err == nil || os.Getenv("CI") == "true" {
		msgs = append(msgs, spamAssassin(t, 100)...)
	} else {
		t.Logf("demo mailbox only: %v", err)
	}
	got := fast.Classify(msgs)
	kinds := map[string]int{}
	for i := range msgs {
		want := slow.Classify(msgs[i : i+1])[0]
		if !sameClassification(got[i], want, 1e-4) {
			t.Fatalf("message %d (%s): optimised %+v, straightforward %+v", i, msgs[i].ID, got[i], want)
		}
		kinds[want.Kind]++
	}
	if len(kinds) < 3 {
		t.Fatalf("only kinds %v among %d messages: the comparison is too weak", kinds, len(msgs))
	}
	t.Logf("%d messages, kinds %v", len(msgs), kinds)
}

// TestCompactScoresExact checks that a compact model scores exactly as
// the float32 model of the same file, and that Trainable and Save give
// back that model.
func TestCompactScoresExact(t *testing.T) {
	full, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	compact, err := CompactDefaults()
	if err != nil {
		t.Fatal(err)
	}
	msgs := demoMessages(t)
	for name, fm := range full {
		cm := compact[name]
		for i, msg := range msgs {
			if a, b := cm.Predict(msg), fm.Predict(msg); !slices.Equal(a, b) {
				t.Fatalf("%s message %d: compact Predict = %v, float32 %v", name, i, a, b)
			}
		}
		tr := cm.Trainable()
		if tr.Compact() || !reflect.DeepEqual(tr.w, fm.w) {
			t.Errorf("%s: Trainable() weights differ from Load's", name)
		}
		if name != TaskNeedsReply {
			continue // saving is slow; the smallest model shows the path
		}
		var a, b bytes.Buffer
		if err := cm.Save(&a); err != nil {
			t.Fatal(err)
		}
		if err := fm.Save(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: Save of the compact model differs from Save of the float32 one", name)
		}
	}
}

// FuzzLoadCompact: whatever Load accepts, LoadCompact accepts with the
// same predictions, and what Load refuses LoadCompact refuses too.
func FuzzLoadCompact(f *testing.F) {
	m, err := Train(TaskFolders, append(synthExamples(10), Example{Msg: synth(99, false), Label: "Other"}), smallOpts())
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes()[:b.Len()-32])
	f.Add([]byte(magic))
	f.Add([]byte(magic + "\x01\x00\x00\x00\x02{}"))
	msg := wire.Message{Subject: "x", Text: "hello world", From: "a@b.example"}
	f.Fuzz(func(t *testing.T, data []byte) {
		sum := sha256.Sum256(data)
		file := append(append([]byte(nil), data...), sum[:]...)
		a, errA := Load(bytes.NewReader(file))
		c, errC := LoadCompact(bytes.NewReader(file))
		if (errA == nil) != (errC == nil) {
			t.Fatalf("Load error %v, LoadCompact error %v", errA, errC)
		}
		if errA != nil {
			return
		}
		if pa, pc := a.Predict(msg), c.Predict(msg); !slices.Equal(pa, pc) {
			t.Fatalf("Predict: Load's model %v, LoadCompact's %v", pa, pc)
		}
	})
}

// TestFeatureHeadersCoverSource checks FeatureHeaders against every header
// name this package reads (header(m, "...") and Headers["..."] outside
// tests), and that no code reads headers otherwise (a computed name, a
// range over them), which the list could not follow.
func TestFeatureHeadersCoverSource(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`header\(&?\w+, "([^"]+)"\)|Headers\["([^"]+)"\]`)
	computed := regexp.MustCompile(`header\(&?\w+, [^"]|Headers\[[^"\]]|range [\w.]*\.Headers|len\([\w.]*\.Headers\)`)
	kept := map[string]bool{}
	for _, h := range FeatureHeaders {
		kept[h] = true
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			name := m[1] + m[2]
			n++
			if !kept[name] {
				t.Errorf("%s reads header %q, which FeatureHeaders leaves out", f, name)
			}
		}
		for _, line := range strings.Split(string(src), "\n") {
			l := strings.TrimSpace(line)
			if strings.HasPrefix(l, "//") || strings.Contains(l, "func header(") || l == "return m.Headers[k]" || f == "classify.go" && (strings.Contains(l, "w.Headers") || strings.Contains(l, "range m.Headers") || strings.Contains(l, "len(m.Headers)")) {
				continue // the accessor itself, FromMessage's copy and FeatureView, comments
			}
			if computed.MatchString(l) {
				t.Errorf("%s reads headers other than by a literal name (FeatureHeaders cannot follow it): %s", f, l)
			}
		}
	}
	if n < 10 {
		t.Fatalf("found %d header reads in the source; the scan is broken", n)
	}
}

// TestFeatureViewSameFeatures checks that classifying the feature view
// gives the same results as the full message.
func TestFeatureViewSameFeatures(t *testing.T) {
	ms, err := CompactDefaults()
	if err != nil {
		t.Fatal(err)
	}
	c := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	var full, view []wire.Message
	for _, dm := range demo.Messages(now) {
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			t.Fatal(err)
		}
		full = append(full, FromMessage(pm, []string{demo.UserEmail}))
		view = append(view, FeatureView(pm, []string{demo.UserEmail}))
	}
	a, b := c.Classify(full), c.Classify(view)
	for i := range a {
		if !sameClassification(a[i], b[i], 0) {
			t.Errorf("message %d: full headers %+v, feature view %+v", i, a[i], b[i])
		}
		if k, _ := RuleKind(full[i]); func() string { k2, _ := RuleKind(view[i]); return k2 }() != k {
			t.Errorf("message %d: RuleKind differs on the feature view", i)
		}
	}
}

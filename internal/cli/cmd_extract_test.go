package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/extract"
)

// TestActionModelInWorker: the CLI's action scorer runs the model in a
// real "pam worker extract" child (this test binary, see TestMain) and
// gives the in-process model's probabilities.
func TestActionModelInWorker(t *testing.T) {
	ctx := context.Background()
	// The worker's stderr is copied in by os/exec's goroutine while the
	// test reads it: a locked buffer.
	var buf bytes.Buffer
	stderr := &lockedWriter{w: &buf}
	sc, err := newActionModel(&Env{Home: t.TempDir(), Stderr: stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	sents := []string{"Could you send me the Q3 numbers by Friday?", "The weather in Lisbon was great all week."}
	got, err := sc.Score(ctx, sents)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := extract.Default()
	want, _ := m.Score(ctx, sents)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("worker Score(%q) = %v, want %v", sents[i], got[i], want[i])
		}
	}
	if st := sc.sup.Stats(); st.Starts != 1 || st.Crashes != 0 {
		t.Errorf("worker stats = %+v, want one start, no crash", st)
	}
	stderr.mu.Lock()
	errText := buf.String()
	stderr.mu.Unlock()
	if sc.degraded() || errText != "" {
		t.Errorf("degraded = %v, stderr %q; want the model to answer", sc.degraded(), errText)
	}
	if sc.ModelID() == "" {
		t.Error("ModelID() is empty after an answer")
	}

	// pam extract --sentences --json answers through the worker too.
	out, errOut, code := run(t, t.TempDir(), strings.Join(sents, "\n")+"\n", "extract", "--sentences", "--json")
	if code != 0 {
		t.Fatalf("extract --sentences: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("extract --sentences: %d lines, want 2:\n%s", len(lines), out)
	}
	for i, l := range lines {
		var j struct {
			Text     string  `json:"text"`
			Action   float64 `json:"action"`
			Degraded bool    `json:"degraded"`
		}
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		if j.Text != sents[i] || j.Action != round4(want[i]) || j.Degraded {
			t.Errorf("extract --sentences line %d = %+v, want %q %.4f not degraded", i, j, sents[i], want[i])
		}
	}
}

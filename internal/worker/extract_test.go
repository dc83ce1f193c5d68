package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/worker/wire"
)

var scoreSentences = []string{
	"Could you send me the Q3 numbers by Friday?",
	"The weather in Lisbon was great all week.",
	"Please sign the form and return it.",
}

// TestExtractHandler runs the extract worker's handler behind Serve over
// pipes: scores equal the embedded model's, the model loads lazily, a bad
// model file is a request error that leaves the worker serving.
func TestExtractHandler(t *testing.T) {
	ctx := context.Background()
	reqR, reqW := io.Pipe()
	respR, respW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, reqR, respW, NewExtractHandler(), 0) }()
	br := bufio.NewReader(respR)
	id := uint64(0)
	call := func(kind string, in any, out any) string {
		t.Helper()
		id++
		body, _ := json.Marshal(in)
		if err := WriteFrame(reqW, Request{ID: id, Kind: kind, Body: body}); err != nil {
			t.Fatal(err)
		}
		var r Response
		if err := ReadFrame(br, &r); err != nil {
			t.Fatal(err)
		}
		if r.ID != id {
			t.Fatalf("response id %d, want %d", r.ID, id)
		}
		if r.Error == "" && out != nil {
			if err := json.Unmarshal(r.Body, out); err != nil {
				t.Fatal(err)
			}
		}
		return r.Error
	}
	var ping PingResponse
	if e := call(KindPing, nil, &ping); e != "" || ping.Loaded {
		t.Errorf("ping before scoring = %+v, %q; want not loaded", ping, e)
	}
	var resp wire.ScoreResponse
	if e := call(KindScore, wire.ScoreRequest{Sentences: scoreSentences}, &resp); e != "" {
		t.Fatalf("score: %s", e)
	}
	m, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Score(ctx, scoreSentences)
	if len(resp.Probs) != len(want) {
		t.Fatalf("score = %d probabilities, want %d", len(resp.Probs), len(want))
	}
	for i := range want {
		if resp.Probs[i] != want[i] {
			t.Errorf("score(%q) = %v, want %v (in-process)", scoreSentences[i], resp.Probs[i], want[i])
		}
	}
	if resp.Model == "" || resp.Threshold <= 0 || resp.Threshold >= 1 {
		t.Errorf("score response model %q threshold %v", resp.Model, resp.Threshold)
	}
	if resp.Probs[0] < 0.5 || resp.Probs[1] > 0.5 {
		t.Errorf("probabilities %v: want the request above 0.5 and the statement below", resp.Probs)
	}
	if e := call(KindPing, nil, &ping); e != "" || !ping.Loaded {
		t.Errorf("ping after scoring = %+v, %q; want loaded", ping, e)
	}
	if e := call(KindScore, wire.ScoreRequest{Sentences: scoreSentences, Model: filepath.Join(t.TempDir(), "missing.model")}, nil); e == "" {
		t.Error("score with a missing model file: no error")
	}
	if e := call("classify", nil, nil); e == "" {
		t.Error("classify sent to the extract worker: no error")
	}
	if e := call(KindScore, wire.ScoreRequest{Sentences: scoreSentences[:1]}, &resp); e != "" || len(resp.Probs) != 1 {
		t.Errorf("score after errors = %v, %q", resp.Probs, e)
	}
	reqW.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve at EOF = %v, want nil", err)
	}
}

// TestActionScorerFallback: a worker that rejects the request (the test
// child knows no "score" kind) or cannot start makes the scorer answer
// with the rules, once marked degraded, without asking again.
func TestActionScorerFallback(t *testing.T) {
	ctx := context.Background()
	rules, _ := extract.Rules{}.Score(ctx, scoreSentences)
	for _, tc := range []struct {
		name string
		cfg  func() Config
		want func(error) bool
	}{
		{"remote error", func() Config { return testConfig(t) }, func(err error) bool {
			var re *RemoteError
			return errors.As(err, &re)
		}},
		{"no binary", func() Config {
			c := testConfig(t)
			c.Path = filepath.Join(t.TempDir(), "no-such-pam")
			return c
		}, func(err error) bool { return errors.Is(err, ErrUnavailable) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sup := newSup(t, tc.cfg())
			var notes []error
			a := &ActionScorer{Sup: sup, OnDegrade: func(err error) { notes = append(notes, err) }}
			for i := 0; i < 2; i++ {
				got, err := a.Score(ctx, scoreSentences)
				if err != nil {
					t.Fatalf("Score = %v", err)
				}
				for j := range rules {
					if got[j] != rules[j] {
						t.Errorf("Score(%q) = %v, want the rules' %v", scoreSentences[j], got[j], rules[j])
					}
				}
			}
			n, down := a.Degraded()
			if n != 2*len(scoreSentences) || !tc.want(down) {
				t.Errorf("Degraded() = %d, %v; want %d and the worker's error", n, down, 2*len(scoreSentences))
			}
			if len(notes) != 1 {
				t.Errorf("OnDegrade called %d times, want once", len(notes))
			}
			if st := sup.Stats(); st.Starts > 1 {
				t.Errorf("worker started %d times, want at most once (no retry after falling back)", st.Starts)
			}
		})
	}
	// A cancelled context is an error, not a fallback.
	sup := newSup(t, testConfig(t))
	a := &ActionScorer{Sup: sup}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Score(cctx, scoreSentences); !errors.Is(err, context.Canceled) {
		t.Errorf("Score(cancelled) = %v, want context.Canceled", err)
	}
	if n, _ := a.Degraded(); n != 0 {
		t.Errorf("Degraded after a cancelled call = %d, want 0", n)
	}
}

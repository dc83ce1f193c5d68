package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Request kinds understood by the extract worker ("pam worker extract"),
// besides KindPing.
const (
	KindScore = "score" // wire.ScoreRequest → wire.ScoreResponse
)

// MaxScoreSentences bounds one ScoreRequest.
const MaxScoreSentences = 4096

// extractHandler is the child side of "pam worker extract": the
// action-sentence model of internal/extract, used by task extraction and
// by the quick-reply trigger.
type extractHandler struct {
	def   *extract.Model
	files map[string]extractFile
}

type extractFile struct {
	m     *extract.Model
	mtime time.Time
	size  int64
}

// NewExtractHandler returns the Handler of the extract worker. It loads
// the embedded model (or a model file) on first use and drops it on
// Unload.
func NewExtractHandler() Handler { return &extractHandler{} }

func (h *extractHandler) Unload() {
	h.def, h.files = nil, nil
	debug.FreeOSMemory()
}

func (h *extractHandler) Handle(ctx context.Context, kind string, body json.RawMessage) (any, error) {
	switch kind {
	case KindPing:
		return PingResponse{PID: os.Getpid(), Loaded: h.def != nil || len(h.files) > 0}, nil
	case KindScore:
		var req wire.ScoreRequest
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("score request: %w", err)
		}
		if len(req.Sentences) > MaxScoreSentences {
			return nil, fmt.Errorf("score request: %d sentences, at most %d", len(req.Sentences), MaxScoreSentences)
		}
		m, err := h.model(req.Model)
		if err != nil {
			return nil, err
		}
		probs, err := m.Score(ctx, req.Sentences)
		if err != nil {
			return nil, err
		}
		info := m.Info()
		return wire.ScoreResponse{Probs: probs, Model: fmt.Sprintf("%s@%d", info.Name, info.Version), Threshold: info.Threshold}, nil
	}
	return nil, fmt.Errorf("unknown request kind %q", kind)
}

func (h *extractHandler) model(spec string) (*extract.Model, error) {
	if spec == "" {
		if h.def == nil {
			m, err := extract.LoadDefault()
			if err != nil {
				return nil, err
			}
			h.def = m
		}
		return h.def, nil
	}
	fi, err := os.Stat(spec)
	if err != nil {
		return nil, fmt.Errorf("action model file: %w", err)
	}
	if f, ok := h.files[spec]; ok && f.mtime.Equal(fi.ModTime()) && f.size == fi.Size() {
		return f.m, nil
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, fmt.Errorf("action model file: %w", err)
	}
	defer f.Close()
	m, err := extract.Load(f)
	if err != nil {
		return nil, fmt.Errorf("action model file %s: %w", filepath.Base(spec), err)
	}
	if h.files == nil || len(h.files) > 8 {
		h.files = map[string]extractFile{}
	}
	h.files[spec] = extractFile{m: m, mtime: fi.ModTime(), size: fi.Size()}
	return m, nil
}

// ActionScorer is the parent side of the extract worker: an
// extract.Scorer that sends sentences to "pam worker extract" through a
// Supervisor. When the worker cannot answer (ErrUnavailable, a crash, a
// timeout, its memory limit, or a RemoteError such as an unreadable model
// file) it answers with the rules tier (extract.Rules) and records that it
// is degraded; from then on, for the rest of its life, it uses the rules
// without asking the worker again, so that one command does not wait on a
// restart loop message after message. A cancelled context is returned as
// is. It is safe for concurrent use.
type ActionScorer struct {
	Sup *Supervisor
	// Model is the model spec sent with each request ("" for the embedded
	// default).
	Model string
	// OnDegrade, when set, is called once, with the worker's error, when
	// the scorer falls back to the rules.
	OnDegrade func(error)

	mu       sync.Mutex
	down     error
	degraded int
	model    string
}

var _ extract.Scorer = (*ActionScorer)(nil)

// Score implements extract.Scorer.
func (a *ActionScorer) Score(ctx context.Context, sentences []string) ([]float64, error) {
	if len(sentences) == 0 {
		return nil, nil
	}
	a.mu.Lock()
	down := a.down
	a.mu.Unlock()
	if down == nil {
		probs, err := a.call(ctx, sentences)
		if err == nil {
			return probs, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		var remote *RemoteError
		if !IsDown(err) && !errors.As(err, &remote) {
			return nil, err
		}
		a.mu.Lock()
		first := a.down == nil
		if first {
			a.down = err
		}
		a.mu.Unlock()
		if first && a.OnDegrade != nil {
			a.OnDegrade(err)
		}
	}
	a.mu.Lock()
	a.degraded += len(sentences)
	a.mu.Unlock()
	return extract.Rules{}.Score(ctx, sentences)
}

func (a *ActionScorer) call(ctx context.Context, sentences []string) ([]float64, error) {
	out := make([]float64, 0, len(sentences))
	for len(sentences) > 0 {
		n := min(len(sentences), MaxScoreSentences)
		var resp wire.ScoreResponse
		if err := a.Sup.Call(ctx, KindScore, wire.ScoreRequest{Sentences: sentences[:n], Model: a.Model}, &resp); err != nil {
			return nil, err
		}
		if len(resp.Probs) != n {
			return nil, fmt.Errorf("worker extract: %d probabilities for %d sentences: %w", len(resp.Probs), n, ErrProtocol)
		}
		a.mu.Lock()
		a.model = resp.Model
		a.mu.Unlock()
		out = append(out, resp.Probs...)
		sentences = sentences[n:]
	}
	return out, nil
}

// Degraded returns how many sentences the rules scored instead of the
// model, and the worker error that made the scorer fall back (nil when it
// never did).
func (a *ActionScorer) Degraded() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.degraded, a.down
}

// ModelID returns the id of the model that last answered ("" when none
// has).
func (a *ActionScorer) ModelID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.model
}

// IsDown reports whether err means a worker could not answer: it is
// unavailable, crashed, timed out or hit its memory limit. Callers fall
// back to the tier below.
func IsDown(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, ErrCrashed) ||
		errors.Is(err, ErrTimeout) || errors.Is(err, ErrMemoryLimit)
}

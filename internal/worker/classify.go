package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Request kinds understood by the classify worker.
const (
	KindClassify = "classify" // wire.ClassifyRequest → wire.ClassifyResponse
	KindUpdate   = "update"   // UpdateRequest → UpdateResponse
	KindPing     = "ping"     // nothing → PingResponse (does not load models)
)

// BuiltinPrefix marks a model spec naming an embedded default model
// ("builtin:kind"); any other spec is a model file path.
const BuiltinPrefix = "builtin:"

// UpdateRequest asks the worker to adapt a model to labelled examples
// (the user's corrections) and write the result to Out.
type UpdateRequest struct {
	Task string `json:"task"` // ml task: spam, kind, needs_reply, folders
	// Base is the model spec to start from; empty trains a new model
	// from the examples alone (a first folders model).
	Base     string            `json:"base,omitempty"`
	Examples []LabelledMessage `json:"examples"`
	Out      string            `json:"out"` // file to write, atomically
}

// LabelledMessage is one training example.
type LabelledMessage struct {
	Msg    wire.Message `json:"msg"`
	Label  string       `json:"label"`
	Weight float64      `json:"weight,omitempty"`
}

// UpdateResponse describes the model written.
type UpdateResponse struct {
	ID       string `json:"id"` // name@version
	Examples int    `json:"examples"`
}

// PingResponse reports the worker's state.
type PingResponse struct {
	PID    int  `json:"pid"`
	Loaded bool `json:"loaded"`
}

// FromMessage is the view of a parsed message that the classifiers see
// (see ml.FromMessage), with only the headers they read
// (ml.FeatureView); the parent calls it before sending a batch.
func FromMessage(m *pam.Message, userAddrs []string) wire.Message {
	return ml.FeatureView(m, userAddrs)
}

// Rules is the tier below the models: the deterministic header rules
// (List-Id → forum or newsletter, noreply and Auto-Submitted →
// notification, social networks → social, else person). The result is
// marked Degraded, and spam is reported undecided at 0.5 since rules cannot
// tell.
func Rules(m wire.Message) wire.Classification {
	kind, nr := ml.RuleKind(m)
	scores := map[string]float64{}
	for _, k := range ml.Kinds {
		scores[k] = 0
	}
	scores[kind] = 1
	return wire.Classification{
		ID: m.ID, Spam: 0.5, Kind: kind, KindScores: scores, NeedsReply: nr,
		Models: []string{"rules"}, Undecided: []string{"spam"}, Degraded: true,
	}
}

// Tasks are the default model names, in the order they are listed.
var Tasks = []string{ml.TaskSpam, ml.TaskKind, ml.TaskNeedsReply}

// classifyHandler is the child side of "pam worker classify".
type classifyHandler struct {
	trim     bool                 // TrimExecutablePages after loading the defaults and after batches
	trimmed  time.Time            // when it last trimmed after a batch
	defaults map[string]*ml.Model // embedded models, loaded lazily
	files    map[string]fileModel // model files by path
	clfs     map[string]*ml.Classifier
}

type fileModel struct {
	m     *ml.Model
	mtime time.Time
	size  int64
}

// NewClassifyHandler returns the Handler of the classify worker. It loads
// models on first use and drops them on Unload.
func NewClassifyHandler() Handler { return &classifyHandler{} }

func (h *classifyHandler) Unload() {
	h.defaults, h.files, h.clfs = nil, nil, nil
	debug.FreeOSMemory()
}

func (h *classifyHandler) Handle(ctx context.Context, kind string, body json.RawMessage) (any, error) {
	switch kind {
	case KindPing:
		return PingResponse{PID: os.Getpid(), Loaded: h.defaults != nil || len(h.files) > 0}, nil
	case KindClassify:
		var req wire.ClassifyRequest
		if err := decodeClassifyRequest(body, &req); err != nil {
			return nil, fmt.Errorf("classify request: %w", err)
		}
		c, err := h.classifier(req.Models)
		if err != nil {
			return nil, err
		}
		res := c.Classify(req.Messages)
		if h.trim && time.Since(h.trimmed) > time.Second {
			// The kernel maps the binary's pages 64 KB at a time around
			// each page the code touches; dropping them now and then
			// keeps the resident set near what classifying uses (about
			// 13 of the 18 MB otherwise mapped: bench/worker). The pages
			// stay in the page cache, so this costs a few minor faults.
			// Best effort: a failure only leaves the pages mapped.
			_, _ = TrimExecutablePages()
			h.trimmed = time.Now()
		}
		return wire.ClassifyResponse{Results: res}, nil
	case KindUpdate:
		var req UpdateRequest
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("update request: %w", err)
		}
		return h.update(req)
	}
	return nil, fmt.Errorf("unknown request kind %q", kind)
}

// classifier returns the classifier for a list of specs; no specs means
// every embedded default.
func (h *classifyHandler) classifier(specs []string) (*ml.Classifier, error) {
	if len(specs) == 0 {
		if err := h.loadDefaults(); err != nil {
			return nil, err
		}
		for _, t := range Tasks {
			if _, ok := h.defaults[t]; ok {
				specs = append(specs, BuiltinPrefix+t)
			}
		}
	}
	var models []*ml.Model
	var key strings.Builder
	for _, s := range specs {
		if name, ok := strings.CutPrefix(s, BuiltinPrefix); ok {
			if err := h.loadDefaults(); err != nil {
				return nil, err
			}
			if _, ok := h.defaults[name]; !ok {
				continue // not shipped: the classifier falls back to rules for it
			}
		}
		m, stamp, err := h.model(s)
		if err != nil {
			return nil, err
		}
		models = append(models, m)
		fmt.Fprintf(&key, "%s|%s\n", s, stamp)
	}
	if c, ok := h.clfs[key.String()]; ok {
		return c, nil
	}
	if h.clfs == nil || len(h.clfs) > 16 {
		h.clfs = map[string]*ml.Classifier{}
	}
	c := ml.NewClassifier(models...)
	h.clfs[key.String()] = c
	return c, nil
}

func (h *classifyHandler) loadDefaults() error {
	if h.defaults != nil {
		return nil
	}
	d, err := ml.CompactDefaults()
	if err != nil {
		return err
	}
	h.defaults = d
	if h.trim {
		// Loading read the embedded model files and ran code that
		// classifying does not need again. Best effort, as below.
		_, _ = TrimExecutablePages()
	}
	return nil
}

// model loads one spec; stamp changes when a file changes.
func (h *classifyHandler) model(spec string) (*ml.Model, string, error) {
	if name, ok := strings.CutPrefix(spec, BuiltinPrefix); ok {
		if err := h.loadDefaults(); err != nil {
			return nil, "", err
		}
		m, ok := h.defaults[name]
		if !ok {
			return nil, "", fmt.Errorf("no built-in model %q", name)
		}
		return m, "builtin", nil
	}
	fi, err := os.Stat(spec)
	if err != nil {
		return nil, "", fmt.Errorf("model file: %w", err)
	}
	if fm, ok := h.files[spec]; ok && fm.mtime.Equal(fi.ModTime()) && fm.size == fi.Size() {
		return fm.m, fm.mtime.String(), nil
	}
	m, err := loadModelFile(spec)
	if err != nil {
		return nil, "", err
	}
	if h.files == nil {
		h.files = map[string]fileModel{}
	}
	h.files[spec] = fileModel{m: m, mtime: fi.ModTime(), size: fi.Size()}
	return m, fi.ModTime().String(), nil
}

func loadModelFile(path string) (*ml.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	defer f.Close()
	m, err := ml.LoadCompact(f)
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", filepath.Base(path), err)
	}
	return m, nil
}

func (h *classifyHandler) update(req UpdateRequest) (UpdateResponse, error) {
	if req.Out == "" || len(req.Examples) == 0 {
		return UpdateResponse{}, fmt.Errorf("update: no output file or no examples")
	}
	ex := make([]ml.Example, len(req.Examples))
	for i, e := range req.Examples {
		ex[i] = ml.Example{Msg: e.Msg, Label: e.Label, Weight: e.Weight}
	}
	var m *ml.Model
	var err error
	if req.Base == "" {
		m, err = ml.Train(req.Task, ex, ml.TrainOptions{Holdout: -1, Created: time.Now().UTC()})
	} else {
		var base *ml.Model
		base, _, err = h.model(req.Base)
		if err != nil {
			return UpdateResponse{}, err
		}
		if base.Info().Task != req.Task {
			return UpdateResponse{}, fmt.Errorf("update: model %s is for %s, not %s", base.Info().ID(), base.Info().Task, req.Task)
		}
		m, err = ml.Update(base.Trainable(), ex)
	}
	if err != nil {
		return UpdateResponse{}, err
	}
	if err := writeAtomic(req.Out, m.Save); err != nil {
		return UpdateResponse{}, err
	}
	return UpdateResponse{ID: m.Info().ID(), Examples: m.Info().Examples}, nil
}

// writeAtomic writes a file through a temporary file, fsync and rename,
// then syncs the directory.
func writeAtomic(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// RunWorker is the body of "pam worker KIND": it serves requests on r and
// w (stdin and stdout) until r ends, unloading its models after idle
// without requests (the supervisor passes it as PAM_WORKER_IDLE).
func RunWorker(ctx context.Context, kind string, r io.Reader, w io.Writer, idle time.Duration) error {
	return RunWorkerWith(ctx, kind, r, w, WorkerOptions{Idle: idle, Trim: true})
}

// WorkerOptions tune a worker process.
type WorkerOptions struct {
	// Idle is how long models stay loaded without requests (0: forever).
	Idle time.Duration
	// Trim drops the binary's read-only pages from the classify worker
	// after start-up, after loading the default models and at most once
	// a second after a batch (see TrimExecutablePages); its resident
	// memory is then mostly its models and working data.
	Trim bool
}

// RunWorkerWith is RunWorker with options.
func RunWorkerWith(ctx context.Context, kind string, r io.Reader, w io.Writer, opts WorkerOptions) error {
	var h Handler
	switch kind {
	case "classify":
		h = &classifyHandler{trim: opts.Trim}
		if opts.Trim {
			// Start-up ran the init code of every package in the
			// binary; most of it never runs again here. Best effort: a
			// failure only leaves the pages mapped.
			_, _ = TrimExecutablePages()
		}
	case "extract":
		h = NewExtractHandler()
	default:
		return fmt.Errorf("unknown worker kind %q (want classify or extract)", kind)
	}
	return Serve(ctx, r, w, h, opts.Idle)
}

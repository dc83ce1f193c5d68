package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker"
)

// pipelineReport describes what the AI pipeline did after an import.
type pipelineReport struct {
	Stage     string   `json:"stage"`
	Processed int      `json:"processed"`
	Degraded  int      `json:"degraded"`
	Seconds   float64  `json:"seconds"`
	Learnt    []string `json:"learnt,omitempty"` // personal models made from corrections and moves
	Worker    string   `json:"worker_error,omitempty"`
}

func (p pipelineReport) note() string {
	s := ""
	if p.Degraded > 0 {
		s = fmt.Sprintf(" (%d degraded to rules)", p.Degraded)
	}
	if len(p.Learnt) > 0 {
		s += fmt.Sprintf("; learnt %v from corrections", p.Learnt)
	}
	return s
}

// workerConfig is the supervisor configuration of a worker kind. The
// memory limit comes from PAM_WORKER_MEMORY_MB (default 256).
func workerConfig(env *Env, kind string) (worker.Config, error) {
	cfg := worker.Config{
		Kind:   kind,
		Home:   env.Home,
		Stderr: env.Stderr,
		Logger: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if v := os.Getenv("PAM_WORKER_MEMORY_MB"); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb == 0 {
			return cfg, usageError{fmt.Sprintf("PAM_WORKER_MEMORY_MB=%q: want a number of megabytes (negative: no limit)", v)}
		}
		cfg.MemoryLimit = int64(mb) << 20
	}
	return cfg, nil
}

// newClassifyWorker returns a supervisor for "pam worker classify"; the
// process starts on the first request. The caller closes it.
func newClassifyWorker(env *Env) (*worker.Supervisor, error) {
	cfg, err := workerConfig(env, "classify")
	if err != nil {
		return nil, err
	}
	return worker.New(cfg)
}

func modelRegistry(env *Env) worker.Registry {
	return worker.Registry{Dir: filepath.Join(env.Home, "models")}
}

// runPipeline processes what is queued in the store (the newly imported
// rows and anything left from an earlier run): it first learns pending
// corrections (folder moves seen by this import, labels), then classifies
// the queue with the active models. The import is already committed; the
// pipeline never runs inside it.
func runPipeline(ctx context.Context, env *Env, st *store.Store, rows []int64) (pipelineReport, error) {
	rep := pipelineReport{Stage: "classify"}
	// Invitations (text/calendar parts) are linked to their events first:
	// rule code, in-process, cheap for mail without calendar parts.
	if err := st.LinkInvites(ctx, rows); err != nil {
		return rep, fmt.Errorf("link invitations: %w", err)
	}
	sup, err := newClassifyWorker(env)
	if err != nil {
		return rep, err
	}
	defer sup.Close()
	return runPipelineWith(ctx, env, st, sup)
}

func runPipelineWith(ctx context.Context, env *Env, st *store.Store, sup *worker.Supervisor) (pipelineReport, error) {
	rep := pipelineReport{Stage: "classify"}
	reg := modelRegistry(env)
	user, err := pipeline.UserAddresses(ctx, st)
	if err != nil {
		return rep, err
	}
	learnt, err := pipeline.Learn(ctx, st, reg, sup, user)
	rep.Learnt = learnt.Models
	if err != nil {
		if ctx.Err() != nil {
			return rep, err
		}
		// The corrections stay queued for the next run; classification
		// goes on with the models there are.
		fmt.Fprintf(env.Stderr, "pam: learning from corrections postponed: %v\n", err)
	}
	specs, err := reg.ActiveSpecs()
	if err != nil {
		return rep, err
	}
	escalate, p, err := classifyEscalator(env, st)
	if err != nil {
		// A broken privacy.json keeps every answer on the device; the
		// classification itself goes on.
		fmt.Fprintf(env.Stderr, "pam: privacy settings unreadable, classification stays on the device: %v\n", err)
		escalate, p = nil, nil
	}
	if p != nil {
		defer p.close()
	}
	r := pipeline.Runner{
		Store:         st,
		UserAddresses: user,
		Classifier: &pipeline.Classifier{Worker: sup, Models: specs, OnDegrade: func(err error) {
			rep.Worker = err.Error()
		}},
		Escalate: escalate,
	}
	res, err := r.Run(ctx)
	rep.Processed, rep.Degraded, rep.Seconds = res.Processed, res.Degraded, res.Seconds
	if err != nil {
		return rep, fmt.Errorf("pipeline: %w", err)
	}
	return rep, nil
}

// isWorkerDown reports whether err means the worker could not answer.
func isWorkerDown(err error) bool {
	return errors.Is(err, worker.ErrUnavailable) || errors.Is(err, worker.ErrCrashed) ||
		errors.Is(err, worker.ErrTimeout) || errors.Is(err, worker.ErrMemoryLimit)
}

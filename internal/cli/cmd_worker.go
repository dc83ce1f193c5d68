package cli

import (
	"context"
	"os"
	"runtime/debug"
	"time"

	"github.com/pam-ai/pam/internal/worker"
)

func init() {
	register(&command{Name: "worker", Summary: "(internal) serve a model worker on stdin/stdout", Run: runWorker})
}

// runWorker is the child side of the worker runtime: pam re-executes
// itself as "pam worker KIND" under a supervisor, with a scrubbed
// environment. It is not meant to be run by hand.
func runWorker(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "worker", "KIND")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"worker: give one worker kind (classify)"}
	}
	if os.Getenv("GOGC") == "" {
		// Workers favour memory over CPU: half the default heap growth
		// keeps a classifier under its RSS target (bench/worker).
		debug.SetGCPercent(50)
	}
	idle, _ := time.ParseDuration(os.Getenv("PAM_WORKER_IDLE"))
	// PAM_WORKER_TRIM=0 keeps the binary's pages mapped (to measure what
	// trimming saves: bench/worker -notrim).
	trim := os.Getenv("PAM_WORKER_TRIM") != "0"
	return worker.RunWorkerWith(ctx, rest[0], env.Stdin, env.Stdout, worker.WorkerOptions{Idle: idle, Trim: trim})
}

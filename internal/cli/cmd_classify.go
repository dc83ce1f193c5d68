package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/worker"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func init() {
	register(&command{Name: "classify", Summary: "classify message files, or the store's pending queue", Run: runClassify})
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// classified is one line of pam classify --json. Keep it stable: scripts
// and benchmarks read it.
type classified struct {
	Path        string             `json:"path"`
	Spam        float64            `json:"spam"`
	Kind        string             `json:"kind"`
	KindScores  map[string]float64 `json:"kind_scores"`
	NeedsReply  float64            `json:"needs_reply"`
	Model       string             `json:"model"` // name@version of each model used, comma-separated
	Label       string             `json:"label,omitempty"`
	LabelScores map[string]float64 `json:"label_scores,omitempty"`
	Undecided   []string           `json:"undecided,omitempty"`
	Degraded    bool               `json:"degraded,omitempty"` // answered by rules: no worker could
}

func runClassify(ctx context.Context, env *Env, args []string) error {
	var models multiFlag
	fs := newFlags(env, "classify", "[--model FILE]... [--json] PATH... | --pending")
	fs.Var(&models, "model", "model file to use instead of the active one of its task (repeatable)")
	asJSON := fs.Bool("json", false, "print one JSON object per message")
	pending := fs.Bool("pending", false, "classify what is queued in the store (left by an interrupted import)")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *pending {
		if len(paths) > 0 || len(models) > 0 {
			return usageError{"classify: --pending takes no paths or models"}
		}
		return classifyPending(ctx, env, *asJSON)
	}
	if len(paths) == 0 {
		return usageError{"classify: give message files or directories"}
	}
	specs, err := modelRegistry(env).ActiveSpecs()
	if err != nil {
		return err
	}
	for _, m := range models {
		abs, err := filepath.Abs(m)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return usageError{fmt.Sprintf("classify: --model: %v", err)}
		}
		specs = append(specs, abs)
	}
	files, problems, err := messageFiles(paths)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	for _, p := range problems {
		fmt.Fprintf(env.Stderr, "pam classify: %s\n", p)
	}
	if os.Getenv("GOGC") == "" && len(files) > 64 {
		// Parsing makes short-lived garbage (mail.Parse allocates over
		// 100 KB per message) over a small live heap, so at the default
		// GC percent the parent spent about half its CPU in the runtime.
		// A bulk run trades some memory for it: the parent's CPU down by
		// a third, its peak RSS from about 45 to 67 MB (bench/worker).
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	sup, err := newClassifyWorker(env)
	if err != nil {
		return err
	}
	defer sup.Close()
	warned := false
	c := &pipeline.Classifier{Worker: sup, Models: specs, BatchSize: classifyBatch, OnDegrade: func(err error) {
		if !warned {
			fmt.Fprintf(env.Stderr, "pam classify: worker unavailable, results from rules (degraded): %v\n", err)
			warned = true
		}
	}}
	// Results are written a batch at a time (one write per batch, not
	// one per message).
	out := bufio.NewWriter(env.Stdout)
	failed, err := classifyFiles(ctx, c, files, func(path string, r wire.Classification) error {
		return printClassified(out, path, r, *asJSON)
	}, out.Flush)
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	for _, f := range failed {
		fmt.Fprintf(env.Stderr, "pam classify: %s\n", f)
	}
	if n := len(failed) + len(problems); n > 0 {
		return partialError{fmt.Sprintf("%d file(s) could not be read", n)}
	}
	return nil
}

func classifyPending(ctx context.Context, env *Env, asJSON bool) error {
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := runPipeline(ctx, env, st, nil)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	fmt.Fprintf(env.Stdout, "%s: %d message(s) in %.2fs%s\n", rep.Stage, rep.Processed, rep.Seconds, rep.note())
	return nil
}

// isMaildirFolder reports whether dir is a Maildir (has cur/).
func isMaildirFolder(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "cur"))
	return err == nil
}

// Batch sizes of pam classify: a request to the worker carries up to
// classifyBatch messages (the first firstBatch). Each request costs the
// parent and the worker a serial stretch (encoding, the pipe, decoding,
// two wake-ups) while the other side waits, and the worker's cores wait
// for the slowest message of each batch: over the 3,250 SpamAssassin
// files, batches of 256 took about 5% less CPU and 12% less wall time
// than batches of 64 (bench/worker/results.md). The worker's peak RSS is
// measured with the same size (bench/worker).
const (
	classifyBatch = 256
	firstBatch    = 64
)

// classifyFiles parses files in parallel, sends them to the classifier in
// batches while the next batch is parsed, and calls emit for each result
// in file order, then flush after each batch. It returns the files that
// could not be read.
func classifyFiles(ctx context.Context, c *pipeline.Classifier, files []string, emit func(path string, r wire.Classification) error, flush func() error) ([]string, error) {
	type parsed struct {
		msgs  []wire.Message
		paths []string
		bad   []string
	}
	batches := make(chan chan parsed, 2*runtime.GOMAXPROCS(0))
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	wg.Add(1)
	go func() { // owned by classifyFiles: ends when every batch is handed over or ctx ends
		defer wg.Done()
		defer close(batches)
		for start, n := 0, 0; start < len(files); start += n {
			// The first batch is small so that the worker starts (it
			// starts on the first request) while the next are parsed.
			n = classifyBatch
			if start == 0 {
				n = firstBatch
			}
			part := files[start:min(start+n, len(files))]
			ch := make(chan parsed, 1)
			select {
			case batches <- ch:
			case <-ctx.Done():
				return
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				var p parsed
				for _, f := range part {
					raw, err := os.ReadFile(f)
					if err != nil {
						p.bad = append(p.bad, fmt.Sprintf("%s: %v", f, err))
						continue
					}
					m, err := mail.Parse(raw)
					if err != nil {
						p.bad = append(p.bad, fmt.Sprintf("%s: %v", f, err))
						continue
					}
					w := worker.FromMessage(m, nil)
					w.ID = f
					p.msgs = append(p.msgs, w)
					p.paths = append(p.paths, f)
				}
				ch <- p
			}()
		}
	}()
	var bad []string
	for ch := range batches {
		p := <-ch
		bad = append(bad, p.bad...)
		res, err := c.Classify(ctx, p.msgs)
		if err != nil {
			return bad, fmt.Errorf("classify: %w", err)
		}
		for i, r := range res {
			if err := emit(p.paths[i], r); err != nil {
				return bad, err
			}
		}
		if err := flush(); err != nil {
			return bad, err
		}
	}
	return bad, ctx.Err()
}

func printClassified(w io.Writer, path string, r wire.Classification, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(classified{
			Path: path, Spam: r.Spam, Kind: r.Kind, KindScores: r.KindScores, NeedsReply: r.NeedsReply,
			Model: strings.Join(r.Models, ","), Label: r.Label, LabelScores: r.LabelScores,
			Undecided: r.Undecided, Degraded: r.Degraded,
		})
	}
	extra := ""
	if r.Label != "" {
		extra = "  folder=" + r.Label
	}
	if r.Degraded {
		extra += "  (rules)"
	}
	_, err := fmt.Fprintf(w, "%-12s spam=%.2f reply=%.2f%s  %s\n", r.Kind, r.Spam, r.NeedsReply, extra, path)
	return err
}

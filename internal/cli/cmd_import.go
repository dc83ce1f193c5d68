package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/ingest"
)

func init() {
	register(&command{Name: "import", Summary: "import a Maildir tree, an mbox file or message files", Run: runImport})
}

// importMemLimit is the Go heap's soft limit during an import.
const importMemLimit = 48 << 20

type importOptions struct {
	JSON bool
	NoAI bool
}

func runImport(ctx context.Context, env *Env, args []string) error {
	var opts importOptions
	fs := newFlags(env, "import", "[--json] [--no-ai] PATH...")
	fs.BoolVar(&opts.JSON, "json", false, "print the summary as JSON")
	fs.BoolVar(&opts.NoAI, "no-ai", false, "skip the AI pipeline after importing")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError{"import: give a Maildir, an mbox file or message files"}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit for the Go heap keeps a large import's peak memory
		// flat; SQLite's page caches (4 MB each) come on top.
		debug.SetMemoryLimit(importMemLimit)
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	var total ingest.Summary
	bar := &progressBar{w: env.Stderr, on: isTerminal(env.Stderr) && !opts.JSON}
	var runErr, calPartial error
	for _, p := range paths {
		if strings.EqualFold(filepath.Ext(p), ".ics") {
			// A calendar file: its events go to a local calendar.
			if _, err := importCalendarFile(ctx, env, st, p); err != nil {
				var pe partialError
				if !errors.As(err, &pe) {
					runErr = err
					break
				}
				calPartial = err
			}
			continue
		}
		sum, err := ingest.Import(ctx, st, p, ingest.Options{Progress: bar.update})
		bar.finish()
		total.Imported += sum.Imported
		total.Duplicates += sum.Duplicates
		total.Failed += sum.Failed
		total.Seconds += sum.Seconds
		total.Errors = append(total.Errors, sum.Errors...)
		total.New = append(total.New, sum.New...)
		if err != nil {
			runErr = err
			break
		}
	}
	pipe := pipelineReport{}
	if runErr == nil && !opts.NoAI {
		pipe, runErr = runPipeline(ctx, env, st, total.New)
	}
	if opts.JSON {
		out := struct {
			ingest.Summary
			Pipeline *pipelineReport `json:"pipeline,omitempty"`
		}{Summary: total}
		if !opts.NoAI {
			out.Pipeline = &pipe
		}
		if err := json.NewEncoder(env.Stdout).Encode(out); err != nil {
			return err
		}
	} else {
		printImportSummary(env.Stdout, total, pipe, opts.NoAI)
	}
	if runErr != nil {
		return runErr
	}
	if calPartial != nil {
		return calPartial
	}
	if total.Failed > 0 {
		return partialError{fmt.Sprintf("%d item(s) could not be imported (see above; nothing else was affected)", total.Failed)}
	}
	return nil
}

func printImportSummary(w io.Writer, s ingest.Summary, p pipelineReport, noAI bool) {
	rate := 0.0
	if s.Seconds > 0 {
		rate = float64(s.Imported) / s.Seconds
	}
	fmt.Fprintf(w, "imported %d, already present %d, failed %d in %.2fs (%.0f msgs/s)\n", s.Imported, s.Duplicates, s.Failed, s.Seconds, rate)
	for i, e := range s.Errors {
		if i == 10 {
			fmt.Fprintf(w, "  … and %d more\n", len(s.Errors)-10)
			break
		}
		fmt.Fprintf(w, "  failed: %s\n", e)
	}
	if !noAI && p.Stage != "" {
		fmt.Fprintf(w, "%s: %d message(s) in %.2fs%s\n", p.Stage, p.Processed, p.Seconds, p.note())
	}
}

// progressBar draws "count, rate, ETA" on a terminal.
type progressBar struct {
	w     io.Writer
	on    bool
	drawn bool
}

func (b *progressBar) update(p ingest.Progress) {
	if !b.on || p.Total == 0 {
		return
	}
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Done) / s
	}
	eta := "—"
	if rate > 0 {
		eta = (time.Duration(float64(p.Total-p.Done)/rate) * time.Second).Round(time.Second).String()
	}
	width := 30
	fill := width * p.Done / p.Total
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d  %.0f msgs/s  ETA %s ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.Done, p.Total, rate, eta)
	b.drawn = true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}

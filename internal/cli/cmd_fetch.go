package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/ingest"
	"github.com/pam-ai/pam/internal/mail/imap"
)

func init() {
	register(&command{Name: "fetch", Summary: "fetch new mail from IMAP accounts now (through pam serve when it runs)", Run: runFetch})
}

type fetchOptions struct {
	JSON, NoAI, Direct bool
}

// fetchReport is pam fetch's result.
type fetchReport struct {
	Via      string          `json:"via"` // daemon or direct
	Accounts []imap.Summary  `json:"accounts"`
	Pipeline *pipelineReport `json:"pipeline,omitempty"`
}

func runFetch(ctx context.Context, env *Env, args []string) error {
	var opts fetchOptions
	fs := newFlags(env, "fetch", "[--json] [--no-ai] [--direct] [ACCOUNT]")
	fs.BoolVar(&opts.JSON, "json", false, "print the summary as JSON")
	fs.BoolVar(&opts.NoAI, "no-ai", false, "skip the AI pipeline after fetching")
	fs.BoolVar(&opts.Direct, "direct", false, "sync in this process even when pam serve runs")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{"fetch: at most one ACCOUNT"}
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	if err := ensureHome(env); err != nil {
		return err
	}
	var rep fetchReport
	var runErr error
	if cl, err := daemon.Connect(ctx, env.Home); err == nil && !opts.Direct {
		rep.Via = "daemon"
		var res apiFetchResult
		runErr = cl.Fetch(ctx, name, &res)
		rep.Accounts = res.IMAP
	} else {
		rep.Via = "direct"
		rep, runErr = fetchDirect(ctx, env, name, opts)
	}
	if rep.Accounts == nil {
		rep.Accounts = []imap.Summary{}
	}
	if opts.JSON {
		if err := json.NewEncoder(env.Stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		printFetch(env.Stdout, rep)
	}
	if runErr != nil {
		return runErr
	}
	failed := 0
	for _, s := range rep.Accounts {
		failed += s.Failed
	}
	if failed > 0 {
		return partialError{fmt.Sprintf("%d message(s) could not be fetched; they are recorded and retried at the next fetch", failed)}
	}
	return nil
}

func fetchDirect(ctx context.Context, env *Env, name string, opts fetchOptions) (fetchReport, error) {
	rep := fetchReport{Via: "direct"}
	st, err := openStore(ctx, env)
	if err != nil {
		return rep, err
	}
	defer st.Close()
	cfgs, err := imapAccounts(ctx, env, st, name)
	if err != nil {
		return rep, err
	}
	if len(cfgs) == 0 {
		return rep, usageError{"fetch: no IMAP account (add one with: pam account add imap --host H --user U)"}
	}
	bar := &progressBar{w: env.Stderr, on: isTerminal(env.Stderr) && !opts.JSON}
	var newRows []int64
	var errs []error
	for _, cfg := range cfgs {
		sy := imap.NewSyncer(st, cfg, imap.Options{Progress: func(p imap.Progress) {
			bar.update(ingest.Progress{Done: p.Done, Total: p.Total, Imported: p.Imported, Duplicates: p.Duplicates, Failed: p.Failed, Elapsed: p.Elapsed})
		}})
		sum, err := sy.Sync(ctx)
		bar.finish()
		rep.Accounts = append(rep.Accounts, sum)
		newRows = append(newRows, sum.New...)
		if err != nil {
			if ctx.Err() != nil {
				return rep, err
			}
			errs = append(errs, err)
		}
	}
	if !opts.NoAI && len(newRows) > 0 {
		pipe, err := runPipeline(ctx, env, st, newRows)
		rep.Pipeline = &pipe
		if err != nil {
			errs = append(errs, err)
		}
	}
	return rep, errors.Join(errs...)
}

func printFetch(w io.Writer, rep fetchReport) {
	for _, s := range rep.Accounts {
		rate := 0.0
		if s.Seconds > 0 {
			rate = float64(s.Imported) / s.Seconds
		}
		fmt.Fprintf(w, "%s: %d new, %d already present, %d failed in %d folder(s), %.2fs (%.0f msgs/s)",
			s.Account, s.Imported, s.Duplicates, s.Failed, s.Folders, s.Seconds, rate)
		if rep.Via == "daemon" {
			fmt.Fprint(w, " [via pam serve]")
		}
		fmt.Fprintln(w)
		var extra []string
		if s.FlagsPulled+s.FlagsPushed > 0 {
			extra = append(extra, fmt.Sprintf("flags: %d from the server, %d to it", s.FlagsPulled, s.FlagsPushed))
		}
		if s.Applied > 0 {
			extra = append(extra, fmt.Sprintf("%d move(s)/delete(s) applied", s.Applied))
		}
		if s.Removed > 0 {
			extra = append(extra, fmt.Sprintf("%d removed on the server", s.Removed))
		}
		if len(s.Resynced) > 0 {
			extra = append(extra, "resynced after a UIDVALIDITY change: "+strings.Join(s.Resynced, ", "))
		}
		if s.Attempts > 1 {
			extra = append(extra, fmt.Sprintf("%d attempts (connection problems)", s.Attempts))
		}
		for _, e := range extra {
			fmt.Fprintln(w, "  "+e)
		}
		for i, e := range s.Errors {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more\n", len(s.Errors)-10)
				break
			}
			fmt.Fprintln(w, "  failed: "+e)
		}
	}
	if p := rep.Pipeline; p != nil && p.Stage != "" {
		fmt.Fprintf(w, "%s: %d message(s) in %.2fs%s\n", p.Stage, p.Processed, p.Seconds, p.note())
	}
}

// apiFetchResult is the daemon's answer to POST /api/fetch.
type apiFetchResult struct {
	IMAP   []imap.Summary     `json:"imap"`
	Others map[string]jsonRaw `json:"others,omitempty"`
}

type jsonRaw = json.RawMessage

func mustJSON(v any) jsonRaw {
	b, err := json.Marshal(v)
	if err != nil {
		return jsonRaw(`null`)
	}
	return b
}

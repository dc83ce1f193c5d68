package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/ingest"
	"github.com/pam-ai/pam/internal/search"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "demo", Summary: "run PAM on built-in demo data in a throw-away home", Run: runDemo})
}

// demoRun is what every demo step sees.
type demoRun struct {
	Env     *Env
	Store   *store.Store
	Now     time.Time
	Maildir string // the demo mailbox, written as a Maildir
	Import  ingest.Summary
	Out     io.Writer
}

// demoStep is one section of the demo. Features add theirs from their own
// files with registerDemoStep; steps run in Order.
type demoStep struct {
	Order int
	Title string
	Run   func(ctx context.Context, d *demoRun) error
}

var demoSteps []demoStep

func registerDemoStep(s demoStep) { demoSteps = append(demoSteps, s) }

func init() {
	registerDemoStep(demoStep{Order: 10, Title: "Import", Run: demoImport})
	registerDemoStep(demoStep{Order: 20, Title: "Inbox", Run: demoInbox})
	registerDemoStep(demoStep{Order: 30, Title: "Search", Run: demoSearch})
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "[--keep] [--now RFC3339]")
	keep := fs.Bool("keep", false, "keep the demo home and print its path")
	nowFlag := fs.String("now", "", "pretend it is this time (RFC 3339); default: now")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageError{fmt.Sprintf("--now: %v", err)}
		}
		now = t
	}
	dir, err := os.MkdirTemp("", "pam-demo-")
	if err != nil {
		return err
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	denv := *env
	denv.Home = filepath.Join(dir, "home")
	denv.Offline = true
	d := &demoRun{Env: &denv, Now: now, Maildir: filepath.Join(dir, "Mail"), Out: env.Stdout}
	if err := demo.WriteMaildir(d.Maildir, now); err != nil {
		return fmt.Errorf("demo: write mailbox: %w", err)
	}
	st, err := openStore(ctx, &denv)
	if err != nil {
		return err
	}
	defer st.Close()
	d.Store = st
	fmt.Fprintf(env.Stdout, "PAM demo — %d built-in messages for %s <%s>, everything local and offline.\n", len(demo.Messages(now)), demo.UserName, demo.UserEmail)
	sort.SliceStable(demoSteps, func(i, j int) bool { return demoSteps[i].Order < demoSteps[j].Order })
	for _, s := range demoSteps {
		fmt.Fprintf(env.Stdout, "\n== %s %s\n", s.Title, strings.Repeat("=", max(0, 66-len(s.Title))))
		if err := s.Run(ctx, d); err != nil {
			return fmt.Errorf("demo step %s: %w", s.Title, err)
		}
	}
	if *keep {
		fmt.Fprintf(env.Stdout, "\nThe demo home is kept: pam --home %s inbox\n", denv.Home)
	}
	return nil
}

func demoImport(ctx context.Context, d *demoRun) error {
	fmt.Fprintf(d.Out, "$ pam import %s\n", "<demo Maildir>")
	sum, err := ingest.Import(ctx, d.Store, d.Maildir, ingest.Options{})
	if err != nil {
		return err
	}
	d.Import = sum
	pipe, err := runPipeline(ctx, d.Env, d.Store, sum.New)
	if err != nil {
		return err
	}
	printImportSummary(d.Out, sum, pipe, false)
	c, err := d.Store.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "store: %d messages in %d threads, %d unread\n", c.Messages, c.Threads, c.Unread)
	var withProblems []store.Summary
	q, _ := search.Parse("date:1970..2200 OR NOT date:1970..2200")
	all, err := d.Store.Search(ctx, q, 1000, 0)
	if err != nil {
		return err
	}
	for _, s := range all {
		if s.Problems != "" {
			withProblems = append(withProblems, s)
		}
	}
	if len(withProblems) > 0 {
		fmt.Fprintf(d.Out, "malformed mail kept, with what was wrong:\n")
		for _, s := range withProblems {
			subj := s.Subject
			if subj == "" {
				subj = "(no subject)"
			}
			fmt.Fprintf(d.Out, "  %s  %-34s  %s\n", s.ID, clipRunes(subj, 34), clipRunes(s.Problems, 70))
		}
	}
	return nil
}

func demoInbox(ctx context.Context, d *demoRun) error {
	fmt.Fprintln(d.Out, "$ pam inbox --limit 12")
	list, err := d.Store.Inbox(ctx, 12, notInbox)
	if err != nil {
		return err
	}
	for _, t := range list {
		s := t.Latest
		if t.Count > 1 {
			s.Subject += fmt.Sprintf(" (%d)", t.Count)
		}
		s.Unread = t.Unread > 0
		printSummaryLine(d.Out, s)
	}
	return nil
}

func demoSearch(ctx context.Context, d *demoRun) error {
	for _, qs := range []string{"invoice OR receipt", "from:priya", "is:unread has:attachment", "label:Sent (friday OR tomorrow)"} {
		q, err := search.Parse(qs)
		if err != nil {
			return err
		}
		res, err := d.Store.Search(ctx, q, 4, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "$ pam search '%s'   (%d shown)\n", qs, len(res))
		for _, r := range res {
			printSummaryLine(d.Out, r)
		}
	}
	return nil
}

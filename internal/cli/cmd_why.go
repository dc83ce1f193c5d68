package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pam-ai/pam/internal/router"
)

func init() {
	register(&command{Name: "why", Summary: "explain how far an AI job on message ID may escalate: pam why ID JOB", Run: runWhy})
}

func runWhy(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "why", "[--allow-sensitive] [--json] ID JOB")
	override := fs.Bool("allow-sensitive", false, "as if you allowed this message to leave although it looks sensitive")
	asJSON := fs.Bool("json", false, "JSON output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{"usage: pam why ID JOB (jobs: " + strings.Join(router.Jobs, ", ") + ")"}
	}
	job := pos[1]
	known := false
	for _, j := range router.Jobs {
		known = known || j == job
	}
	if !known {
		return usageError{fmt.Sprintf("unknown job %q (jobs: %s)", job, strings.Join(router.Jobs, ", "))}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, m, _, err := messageInput(ctx, st, pos[0])
	if err != nil {
		return err
	}
	p, err := openPrivacy(env, false)
	if err != nil {
		return err
	}
	p.router.Ask = nil // explaining never asks
	d := p.router.Decide(ctx, router.Input{Job: job, Text: m.Subject + "\n" + m.Text, Override: *override})
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(struct {
			ID string `json:"id"`
			router.Decision
		}{sum.ID, d})
	}
	fmt.Fprintf(env.Stdout, "%s on %s (%s): may go up to the %s\n", job, sum.ID, clipRunes(sum.Subject, 50), d.MaxTier)
	fmt.Fprintf(env.Stdout, "policy: %s", d.Policy)
	if len(d.Sensitive) > 0 {
		fmt.Fprintf(env.Stdout, "; sensitive: %s", strings.Join(d.Sensitive, ", "))
	}
	fmt.Fprintln(env.Stdout)
	for _, r := range d.Reasons {
		fmt.Fprintf(env.Stdout, "  - %s\n", r)
	}
	return nil
}

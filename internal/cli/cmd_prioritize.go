package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/router/fallback"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "prioritize", Summary: "rank open items (inbox threads) by what needs you first", Run: runPrioritize})
}

const prioritizeInstructions = "You rank the user's open items (e-mail threads and tasks) by what needs the user's attention first. " +
	"Each item is listed with an id. Return every id exactly once, most urgent first."

var orderSchema = map[string]any{
	"type":     "object",
	"required": []string{"order"},
	"properties": map[string]any{
		"order": map[string]any{"type": "array", "maxItems": 200, "items": map[string]any{"type": "string", "maxLength": 64}},
	},
}

func runPrioritize(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "prioritize", "[--limit N] [--json]")
	limit := fs.Int("limit", 20, "how many inbox threads to rank")
	asJSON := fs.Bool("json", false, "JSON Lines output")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := openPrivacy(env, true)
	if err != nil {
		return err
	}
	defer p.close()
	threads, err := st.Inbox(ctx, *limit, notInbox)
	if err != nil {
		return err
	}
	known, err := knownAbout(ctx, st, threads)
	if err != nil {
		return err
	}
	ranked, out, err := prioritize(ctx, p, threads, known, time.Now())
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	for i, r := range ranked {
		if *asJSON {
			enc.Encode(r)
			continue
		}
		fmt.Fprintf(env.Stdout, "%2d. %s  %-50s  %s\n", i+1, r.ID, clipRunes(r.Title, 50), strings.Join(r.Why, ", "))
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "(ranked by %s)\n", out.Tier)
	}
	return nil
}

// machineSender reports whether an address looks automated.
func machineSender(email string) bool {
	e := strings.ToLower(email)
	for _, s := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notifications", "notification", "mailer-daemon", "newsletter", "news@", "info@", "bounce", "updates@", "alerts@"} {
		if strings.Contains(e, s) {
			return true
		}
	}
	return false
}

// threadFacts is what the device already knows about a thread beyond its
// headers: the classifier's reading of its latest message and the
// soonest due date of the user's open to-dos from it.
type threadFacts struct {
	Kind       string
	NeedsReply bool
	Due        time.Time
}

// knownAbout gathers threadFacts for the threads to rank: the stored
// classification (absent before the pipeline ran, or degraded — then
// nothing is assumed) and the open to-dos extracted from the thread.
func knownAbout(ctx context.Context, st *store.Store, threads []store.ThreadSummary) (map[int64]threadFacts, error) {
	out := make(map[int64]threadFacts, len(threads))
	for _, t := range threads {
		var f threadFacts
		if c, err := pipeline.Get(ctx, st, t.Latest.Row); err == nil && !c.Degraded {
			// needs_reply's decision point is 0.5 by construction
			// (doc/design/models.md).
			f.Kind, f.NeedsReply = c.Kind, c.NeedsReply >= 0.5
		}
		todos, err := st.Tasks(ctx, store.TaskFilter{Status: store.TaskOpen, Kind: "todo", Thread: t.Thread})
		if err != nil {
			return nil, err
		}
		for _, td := range todos {
			if !td.Due.IsZero() && (f.Due.IsZero() || td.Due.Before(f.Due)) {
				f.Due = td.Due
			}
		}
		out[t.Thread] = f
	}
	return out, nil
}

func prioritize(ctx context.Context, p *privacy, threads []store.ThreadSummary, known map[int64]threadFacts, now time.Time) ([]fallback.Ranked, router.Outcome, error) {
	items := make([]fallback.Item, 0, len(threads))
	var data strings.Builder
	for _, t := range threads {
		s := t.Latest
		f := known[t.Thread]
		items = append(items, fallback.Item{ID: s.ID, Title: s.Subject, Received: s.Date, Flagged: s.Flagged, Unread: t.Unread > 0,
			FromPerson: !machineSender(s.FromEmail), Kind: f.Kind, NeedsReply: f.NeedsReply, Due: f.Due})
		fmt.Fprintf(&data, "id=%s | received %s | from %s | flagged=%v unread=%v | %s\n", s.ID, s.Date.Format("2006-01-02"), s.FromName, s.Flagged, t.Unread > 0, s.Subject)
	}
	local, conf := fallback.Prioritize(items, now)
	byID := map[string]fallback.Ranked{}
	for _, r := range local {
		byID[r.ID] = r
	}
	req := llm.Request{Job: router.JobPrioritize, Instructions: prioritizeInstructions,
		Data: []llm.Quote{{Label: "open items", Text: data.String()}}, SchemaName: "priority_order", Schema: orderSchema, MaxTokens: 2000}
	d := p.router.Decide(ctx, router.Input{Job: router.JobPrioritize, Text: data.String()})
	steps := p.steps(router.JobPrioritize,
		func(context.Context) (router.Result, error) {
			return router.Result{Confidence: conf, Value: local}, nil
		},
		func(ctx context.Context, pr llm.Provider) (router.Result, error) {
			ans, err := p.gateway.Complete(ctx, pr, req)
			if err != nil {
				return router.Result{}, err
			}
			// Deterministic check: only known ids, each once; the rest keep
			// the local order after them.
			var out []fallback.Ranked
			seen := map[string]bool{}
			list, _ := ans.Value["order"].([]any)
			for _, v := range list {
				id, _ := v.(string)
				if r, ok := byID[id]; ok && !seen[id] {
					seen[id] = true
					out = append(out, r)
				}
			}
			for _, r := range local {
				if !seen[r.ID] {
					out = append(out, r)
				}
			}
			return router.Result{Confidence: 0.9, Value: out}, nil
		})
	out, err := p.router.Run(ctx, d, steps)
	if err != nil {
		return nil, out, err
	}
	p.logJob(router.JobPrioritize, "", out, false)
	ranked, _ := out.Value.([]fallback.Ranked)
	return ranked, out, nil
}

package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/worker"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func init() {
	register(&command{Name: "extract", Summary: "tasks and due dates in message files; --sentences: action probability per stdin line", Run: runExtract})
}

// actionModel is the action-sentence model as the CLI uses it: in a
// "pam worker extract" child under a supervisor (started on the first
// sentence), with the rules tier when the worker cannot answer. The caller
// closes it.
type actionModel struct {
	*worker.ActionScorer
	sup *worker.Supervisor
}

// newActionModel returns the action-sentence scorer of one command run.
// When it falls back to rules it says so once on stderr.
func newActionModel(env *Env) (*actionModel, error) {
	cfg, err := workerConfig(env, "extract")
	if err != nil {
		return nil, err
	}
	sup, err := worker.New(cfg)
	if err != nil {
		return nil, err
	}
	a := &worker.ActionScorer{Sup: sup, OnDegrade: func(err error) {
		fmt.Fprintf(env.Stderr, "pam: the action model is unavailable (%v); action sentences are found by rules (degraded)\n", err)
	}}
	return &actionModel{ActionScorer: a, sup: sup}, nil
}

// Close stops the worker.
func (a *actionModel) Close() error { return a.sup.Close() }

// degraded reports whether the rules answered for the model.
func (a *actionModel) degraded() bool {
	n, _ := a.Degraded()
	return n > 0
}

// extractTaskJSON is one task of pam extract --json (the issue 5 contract).
type extractTaskJSON struct {
	Title      string  `json:"title"`
	Due        *string `json:"due"`
	DueText    string  `json:"due_text"`
	Requester  string  `json:"requester"`
	Confidence float64 `json:"confidence"`
}

type extractJSON struct {
	Path  string            `json:"path"`
	Tasks []extractTaskJSON `json:"tasks"`
	Error string            `json:"error,omitempty"`
	// Degraded: the action model's worker could not answer; the rules
	// tier found these tasks.
	Degraded bool `json:"degraded,omitempty"`
	// Tier answered the extract job ("embedded model", or "local LLM" /
	// "cloud" when it climbed); empty when the extractor does not run on
	// the message (bulk or automated mail).
	Tier string `json:"tier,omitempty"`
}

func runExtract(ctx context.Context, env *Env, args []string) error {
	fl := newFlags(env, "extract", "[--json] [--tz ZONE] [--user EMAIL] PATH... | --sentences [--json] < lines")
	asJSON := fl.Bool("json", false, "one JSON object per message (or sentence) per line")
	sentences := fl.Bool("sentences", false, "score one sentence per stdin line")
	tz := fl.String("tz", "", "the user's time zone for due dates (default: local)")
	user := fl.String("user", "", "the user's address: mail from it is read as sent mail (promises, waiting-on)")
	rest, err := parseFlags(fl, args)
	if err != nil {
		return err
	}
	sc, err := newActionModel(env)
	if err != nil {
		return err
	}
	defer sc.Close()
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	if *sentences {
		if len(rest) > 0 {
			return usageError{"--sentences reads stdin; give no paths"}
		}
		return extractSentences(ctx, env, out, sc, *asJSON)
	}
	if len(rest) == 0 {
		return usageError{"give message files or directories"}
	}
	loc := time.Local
	if *tz != "" {
		if loc, err = time.LoadLocation(*tz); err != nil {
			return usageError{fmt.Sprintf("--tz: unknown time zone %q", *tz)}
		}
	}
	opts := extract.Options{Location: loc, User: extract.Address{Email: strings.ToLower(*user)}}
	p, err := openPrivacy(env, true)
	if err != nil {
		return err
	}
	p.batchJobs = true // one job per file: one append at the end
	defer p.close()
	// When the extract job may climb, its confidence reads the needs_reply
	// classifier too (a classify worker); otherwise no model is started
	// for it. The classifier reads the user's place among the recipients
	// (its models never saw mail without it: without the user's address
	// its needs_reply comes out low and falsely sure), so it is asked only
	// when --user names the user.
	var clf needsReplyFunc
	if p.cfg.PolicyFor(router.JobExtract) != router.Never && *user != "" {
		sup, err := newClassifyWorker(env)
		if err != nil {
			return err
		}
		defer sup.Close()
		specs, err := modelRegistry(env).ActiveSpecs()
		if err != nil {
			return err
		}
		c := &pipeline.Classifier{Worker: sup, Models: specs}
		users := []string{strings.ToLower(*user)}
		clf = func(ctx context.Context, m *pam.Message) (float64, bool) {
			res, err := c.Classify(ctx, []wire.Message{worker.FromMessage(m, users)})
			if err != nil || len(res) != 1 || res[0].Degraded {
				return 0, false
			}
			return res[0].NeedsReply, true
		}
	}
	files, problems, err := messageFiles(rest)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	failed := len(problems)
	for _, p := range problems {
		fmt.Fprintf(env.Stderr, "pam extract: %s\n", p)
	}
	sort.Strings(files)
	enc := json.NewEncoder(out)
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		res := extractJSON{Path: path, Tasks: []extractTaskJSON{}}
		raw, err := os.ReadFile(path)
		if err == nil {
			var items []extract.Item
			items, res.Tier, err = extractJob(ctx, p, raw, sc, opts, clf)
			for _, it := range items {
				j := extractTaskJSON{Title: it.Title, DueText: it.DueText, Confidence: round2(it.Confidence)}
				if it.Kind == extract.Waiting {
					j.Requester = it.Owner.Display() // waiting on them; the user asked
				} else {
					j.Requester = it.Requester.Display()
				}
				if !it.Due.IsZero() {
					s := it.Due.In(loc).Format(time.RFC3339)
					j.Due = &s
				}
				res.Tasks = append(res.Tasks, j)
			}
		}
		if err != nil {
			res.Error = err.Error()
			failed++
		}
		res.Degraded = sc.degraded()
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(out, path)
		if res.Tier != "" && res.Tier != router.Embedded.String() {
			fmt.Fprintf(out, "  (answered by the %s tier)\n", res.Tier)
		}
		if res.Error != "" {
			fmt.Fprintf(out, "  error: %s\n", res.Error)
		}
		for _, t := range res.Tasks {
			due := ""
			if t.Due != nil {
				due = " — due " + *t.Due
			}
			fmt.Fprintf(out, "  • %s%s (from %s, %.2f)\n", t.Title, due, t.Requester, t.Confidence)
		}
	}
	if failed > 0 {
		return partialError{fmt.Sprintf("%d file(s) could not be read (see above); the others were", failed)}
	}
	return nil
}

func extractSentences(ctx context.Context, env *Env, out *bufio.Writer, sc *actionModel, asJSON bool) error {
	in := bufio.NewScanner(env.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	enc := json.NewEncoder(out)
	for in.Scan() {
		text := in.Text()
		p, err := sc.Score(ctx, []string{text})
		if err != nil {
			return err
		}
		if asJSON {
			if err := enc.Encode(struct {
				Text     string  `json:"text"`
				Action   float64 `json:"action"`
				Degraded bool    `json:"degraded,omitempty"`
			}{text, round4(p[0]), sc.degraded()}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(out, "%.3f\t%s\n", p[0], text)
	}
	return in.Err()
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }
func round4(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

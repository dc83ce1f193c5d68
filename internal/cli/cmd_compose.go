package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/redact"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/router/fallback"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "compose", Summary: "draft a reply to message ID from an intent (local, or escalated if allowed)", Run: runCompose})
}

const composeInstructions = "You draft e-mail replies for the user, in the user's own voice: short, plain, friendly. " +
	"The user's intent for the reply is given as the task. Write only the reply body (greeting, text, sign-off), " +
	"no subject, no quoted original. Do not include links or images unless the intent asks for them."

var draftSchema = map[string]any{
	"type":     "object",
	"required": []string{"draft"},
	"properties": map[string]any{
		"draft": map[string]any{"type": "string", "maxLength": 4000},
	},
}

// composeResult is what pam compose prints.
type composeResult struct {
	ID      string         `json:"id"`
	Draft   string         `json:"draft"`
	Tier    string         `json:"tier"`
	Cloud   bool           `json:"cloud"`
	Flagged []string       `json:"flagged_urls,omitempty"`
	Outcome router.Outcome `json:"outcome"`
	// Payload is the exact body escalation would send (dry run).
	Payload string `json:"payload,omitempty"`
}

type composeOpts struct {
	dryRun         bool
	allowSensitive bool
}

func runCompose(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "compose", "[--dry-run] [--allow-sensitive] [--json] ID \"intent\"")
	var o composeOpts
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the exact redacted payload escalation would send; send nothing")
	fs.BoolVar(&o.allowSensitive, "allow-sensitive", false, "let this message leave the device even if it looks sensitive (policy and budget still apply)")
	asJSON := fs.Bool("json", false, "JSON output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{"usage: pam compose [--dry-run] [--allow-sensitive] [--json] ID \"intent\""}
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
	res, err := compose(ctx, p, storeSource{st}, pos[0], pos[1], o)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(res)
	}
	if o.dryRun {
		fmt.Fprintf(env.Stdout, "dry run — nothing sent. Escalation would send exactly these bytes to %s:\n%s\n\n", p.dryRun.BaseURL(), res.Payload)
	}
	fmt.Fprintf(env.Stdout, "draft (%s, not sent — review and send it yourself):\n\n%s\n", res.Tier, res.Draft)
	if len(res.Flagged) > 0 {
		fmt.Fprintln(env.Stdout, "\nwarning: the model added links that were not in the message; they are shown defanged and were not opened:")
		for _, u := range res.Flagged {
			fmt.Fprintf(env.Stdout, "  %s\n", defang(u))
		}
	}
	return nil
}

// msgSource loads a message for a job (the store in the CLI).
type msgSource interface {
	load(ctx context.Context, ref string) (id string, m *pam.Message, h redact.Hints, err error)
}

// storeSource reads messages from the store.
type storeSource struct{ st *store.Store }

func (s storeSource) load(ctx context.Context, ref string) (string, *pam.Message, redact.Hints, error) {
	sum, m, h, err := messageInput(ctx, s.st, ref)
	return sum.ID, m, h, err
}

// compose runs the compose job on one message.
func compose(ctx context.Context, p *privacy, src msgSource, ref, intent string, o composeOpts) (composeResult, error) {
	id, m, hints, err := src.load(ctx, ref)
	if err != nil {
		return composeResult{}, err
	}
	from := senderName(m)
	req := llm.Request{
		Job:          router.JobCompose,
		Instructions: composeInstructions,
		Task:         intent,
		Data:         quoteMessage("the message to reply to", m),
		Hints:        hints,
		SchemaName:   "reply_draft",
		Schema:       draftSchema,
		MaxTokens:    800,
	}
	res := composeResult{ID: id}
	if o.dryRun {
		pr, err := p.gateway.Prepare(p.dryRun, req)
		if err != nil {
			return res, err
		}
		res.Payload = string(pr.Body)
	}
	d := p.router.Decide(ctx, router.Input{Job: router.JobCompose, Text: m.Subject + "\n" + m.Text, Override: o.allowSensitive})
	if o.dryRun && d.MaxTier == router.Cloud {
		d.MaxTier = router.LocalLLM
		d.Reasons = append(d.Reasons, "dry run: the cloud tier is not called")
	}
	var flagged []string
	steps := p.steps(router.JobCompose,
		func(ctx context.Context) (router.Result, error) {
			draft, conf := fallback.Compose(intent, fallback.Message{FromName: from, Subject: m.Subject, Text: m.Text}, userFirstName(m))
			return router.Result{Confidence: conf, Value: draft}, nil
		},
		func(ctx context.Context, pr llm.Provider) (router.Result, error) {
			ans, err := p.gateway.Complete(ctx, pr, req)
			if err != nil {
				return router.Result{}, err
			}
			flagged = ans.Flagged
			draft, _ := ans.Value["draft"].(string)
			if strings.TrimSpace(draft) == "" {
				return router.Result{}, errors.New("empty draft")
			}
			return router.Result{Confidence: 0.9, Value: draft}, nil
		})
	out, err := p.router.Run(ctx, d, steps)
	if err != nil {
		return res, err
	}
	p.logJob(router.JobCompose, id, out, o.dryRun)
	res.Draft, _ = out.Value.(string)
	res.Tier, res.Cloud, res.Outcome = out.Tier, out.Cloud, out
	if out.Tier != router.Rules.String() {
		res.Flagged = flagged
		for _, u := range flagged {
			res.Draft = strings.ReplaceAll(res.Draft, u, defang(u))
		}
	}
	return res, nil
}

// userFirstName guesses the user's first name from the message's To
// header (the first recipient), for the sign-off; "" when unknown.
func userFirstName(m *pam.Message) string {
	if len(m.To) == 0 || m.To[0].Name == "" {
		return ""
	}
	return strings.Fields(m.To[0].Name)[0]
}

// defang makes a URL unclickable: "https://x" → "hxxps[://]x".
func defang(u string) string {
	u = strings.Replace(u, "http", "hxxp", 1)
	return strings.Replace(u, "://", "[://]", 1)
}

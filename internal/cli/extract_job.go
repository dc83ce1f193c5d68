package cli

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/when"
)

const extractInstructions = "You list what an e-mail the user received asks the user to do. For each request give a short " +
	"imperative title (at most 12 words) and, if the message gives one, the deadline in the message's own words (due_text). " +
	"Leave out pleasantries, things the sender will do, and anything the message does not ask. No tasks if it asks nothing."

var extractSchema = map[string]any{
	"type":     "object",
	"required": []string{"tasks"},
	"properties": map[string]any{
		"tasks": map[string]any{"type": "array", "maxItems": 20, "items": map[string]any{
			"type":     "object",
			"required": []string{"title"},
			"properties": map[string]any{
				"title":    map[string]any{"type": "string", "maxLength": 200},
				"due_text": map[string]any{"type": "string", "maxLength": 80},
			},
		}},
	},
}

// extractJob runs the extract job on one raw message: the device's
// extraction, whose confidence is router.ExtractConfidence over the
// certainties of exactly the decisions the extractor takes; when that is
// under the threshold and the user allowed the extract job (policy,
// sensitivity, budget, online), it climbs like every escalating job —
// redacted, ledgered, schema-checked. Messages the extractor does not run
// on (bulk, automated) are no job. tier is "" when no job ran.
// needsReplyFunc gives the needs_reply classifier's probability for a
// message (ok false when no model could answer).
type needsReplyFunc func(ctx context.Context, m *pam.Message) (p float64, ok bool)

func extractJob(ctx context.Context, p *privacy, raw []byte, sc extract.Scorer, opts extract.Options, clf needsReplyFunc) (items []extract.Item, tier string, err error) {
	pm, err := mail.Parse(raw)
	if err != nil {
		return nil, "", err
	}
	msg := extract.FromMessage(pm, opts.User)
	items, err = extract.Extract(ctx, msg, sc, opts)
	if err != nil || p == nil || !extract.Runs(msg) {
		return items, "", err
	}
	certs, err := decisionCertainties(ctx, msg, sc, opts)
	if err != nil {
		return items, "", err
	}
	conf := router.ExtractConfidence(certs)
	if clf != nil {
		// Whether the message asks anything at all, as the classifier
		// sees it, weighed against whether Extract found items.
		// When that says the message most likely asks nothing although
		// Extract found requests in it, the more probable answer — no
		// to-dos — is the device's answer.
		if v, ok := clf(ctx, pm); ok {
			if !msg.FromUser && len(items) > 0 && extract.NeedsProb(certs, true, v) < 0.5 {
				conf = 1 - extract.NeedsProb(certs, true, v)
				if items = extract.WithoutTodos(items); len(items) > 0 {
					conf = router.ExtractConfidenceWith(certs, true, v)
				}
			} else {
				conf = router.ExtractConfidenceWith(certs, len(items) > 0, v)
			}
		}
	}
	req := llm.Request{
		Job:          router.JobExtract,
		Instructions: extractInstructions,
		Data:         quoteMessage("the message", pm),
		Hints:        hintsOf(pm),
		SchemaName:   "tasks",
		Schema:       extractSchema,
		MaxTokens:    600,
	}
	local := func(ctx context.Context) (router.Result, error) {
		return router.Result{Confidence: conf, Value: items}, nil
	}
	model := func(ctx context.Context, pr llm.Provider) (router.Result, error) {
		ans, err := p.gateway.Complete(ctx, pr, req)
		if err != nil {
			return router.Result{}, err
		}
		list, ok := ans.Value["tasks"].([]any)
		if !ok {
			return router.Result{}, errors.New("answer without tasks")
		}
		loc := opts.Location
		if loc == nil {
			loc = time.Local
		}
		var out []extract.Item
		for _, v := range list {
			t, _ := v.(map[string]any)
			title, _ := t["title"].(string)
			if title = strings.TrimSpace(title); title == "" {
				continue
			}
			for _, u := range ans.Flagged {
				title = strings.ReplaceAll(title, u, defang(u))
			}
			it := extract.Item{Kind: extract.Todo, Title: title, Requester: msg.From, Owner: opts.User, Confidence: 0.9, Source: msg.ID}
			if dt, _ := t["due_text"].(string); strings.TrimSpace(dt) != "" {
				it.DueText = strings.TrimSpace(dt)
				ref := msg.Date
				if ref.IsZero() {
					ref = time.Now()
				}
				wo := when.Options{Location: loc, FutureBias: true}
				if r, ok := when.Resolve(it.DueText, ref.In(loc), wo); ok {
					it.Due = when.DueFrom(r, wo) // "by Friday": Friday at close of business
				}
			}
			out = append(out, it)
		}
		return router.Result{Confidence: 0.9, Value: out}, nil
	}
	d := p.router.Decide(ctx, router.Input{Job: router.JobExtract, Text: pm.Subject + "\n" + pm.Text})
	res, err := p.router.Run(ctx, d, p.stepsFrom(router.Step{Tier: router.Embedded, Name: "action model and extraction rules", Run: local}, model))
	if err != nil {
		return items, "", err
	}
	p.logJob(router.JobExtract, pm.ID, res, false)
	got, _ := res.Value.([]extract.Item)
	return got, res.Tier, nil
}

// decisionCertainties are the calibrated certainties of the decisions
// Extract takes on msg (extract.Decisions, extract.DecisionCertainty).
func decisionCertainties(ctx context.Context, msg extract.Message, sc extract.Scorer, opts extract.Options) ([]float64, error) {
	ds := extract.Decisions(msg, opts)
	texts := make([]string, len(ds))
	for i, d := range ds {
		texts[i] = d.Text
	}
	probs, err := sc.Score(ctx, texts)
	if err != nil {
		return nil, err
	}
	certs := make([]float64, len(ds))
	for i, d := range ds {
		certs[i] = extract.DecisionCertainty(d, probs[i])
	}
	return certs, nil
}

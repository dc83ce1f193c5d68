package cli

import (
	"context"
	"errors"
	"strings"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/reply"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
)

const replyInstructions = "You suggest quick replies to an e-mail the user received. Say whether the message asks the user " +
	"to answer or to act (needs_reply). If it does, give up to three short replies (one or two sentences each) the user could send, " +
	"in the user's voice: plain and friendly, no links, no images. If it does not, give no replies."

var quickReplySchema = map[string]any{
	"type":     "object",
	"required": []string{"needs_reply", "replies"},
	"properties": map[string]any{
		"needs_reply": map[string]any{"type": "boolean"},
		"replies":     map[string]any{"type": "array", "maxItems": 3, "items": map[string]any{"type": "string", "maxLength": 300}},
	},
}

// replyJobResult is what the reply job answered and how.
type replyJobResult struct {
	ID          string             `json:"id"`
	Suggestions []reply.Suggestion `json:"suggestions"`
	Tier        string             `json:"tier"`
	Cloud       bool               `json:"cloud"`
	Outcome     router.Outcome     `json:"outcome"`
	Payload     string             `json:"payload,omitempty"` // dry run: the exact bytes escalation would send
	Flagged     []string           `json:"flagged_urls,omitempty"`
}

type replyJobOpts struct {
	force, dryRun, allowSensitive bool
}

// replyJob runs the reply job on message row: the device decides whether
// the message needs an answer and suggests replies; when its confidence
// (router.ReplyConfidence, calibrated on hand-labelled mail) is under the
// threshold and the user's policy, the message's sensitivity, the budget
// and the online state allow it, the job climbs to the local LLM or the
// cloud, redacted, ledgered, schema-checked. --force is the user saying a
// reply is needed: the device answers.
func (rc *replyContext) replyJob(ctx context.Context, p *privacy, st *store.Store, row int64, o replyJobOpts) (replyJobResult, error) {
	sum, err := st.SummaryByRow(ctx, row)
	if err != nil {
		return replyJobResult{}, err
	}
	a, err := rc.analyse(ctx, st, row)
	if err != nil {
		return replyJobResult{}, err
	}
	res := replyJobResult{ID: sum.ID}
	req := llm.Request{
		Job:          router.JobReply,
		Instructions: replyInstructions,
		Data:         quoteMessage("the message", a.pm),
		Hints:        hintsOf(a.pm),
		SchemaName:   "quick_replies",
		Schema:       quickReplySchema,
		MaxTokens:    400,
	}
	if o.dryRun {
		pr, err := p.gateway.Prepare(p.dryRun, req)
		if err != nil {
			return res, err
		}
		res.Payload = string(pr.Body)
	}
	local := func(ctx context.Context) (router.Result, error) {
		if o.force {
			return router.Result{Confidence: 1, Value: rc.suggest(a)}, nil
		}
		conf := router.ReplyConfidence(a.p, a.fires)
		var sug []reply.Suggestion
		if a.fires {
			sug = rc.suggest(a)
		}
		return router.Result{Confidence: conf, Value: sug}, nil
	}
	var flagged []string
	model := func(ctx context.Context, pr llm.Provider) (router.Result, error) {
		ans, err := p.gateway.Complete(ctx, pr, req)
		if err != nil {
			return router.Result{}, err
		}
		needs, ok := ans.Value["needs_reply"].(bool)
		if !ok {
			return router.Result{}, errors.New("answer without needs_reply")
		}
		flagged = ans.Flagged
		var sug []reply.Suggestion
		if needs || o.force {
			list, _ := ans.Value["replies"].([]any)
			for _, v := range list {
				text, _ := v.(string)
				if text = strings.TrimSpace(text); text == "" {
					continue
				}
				for _, u := range ans.Flagged {
					text = strings.ReplaceAll(text, u, defang(u))
				}
				sug = append(sug, reply.Suggestion{Text: text, Intent: "model"})
			}
			if len(sug) == 0 {
				return router.Result{}, errors.New("needs a reply, but no reply given")
			}
		}
		return router.Result{Confidence: 0.9, Value: sug}, nil
	}
	d := p.router.Decide(ctx, router.Input{Job: router.JobReply, Text: a.pm.Subject + "\n" + a.pm.Text, Override: o.allowSensitive})
	if o.dryRun && d.MaxTier == router.Cloud {
		d.MaxTier = router.LocalLLM
		d.Reasons = append(d.Reasons, "dry run: the cloud tier is not called")
	}
	out, err := p.router.Run(ctx, d, p.stepsFrom(router.Step{Tier: router.Embedded, Name: "action model and reply rules", Run: local}, model))
	if err != nil {
		return res, err
	}
	p.logJob(router.JobReply, sum.ID, out, o.dryRun)
	res.Suggestions, _ = out.Value.([]reply.Suggestion)
	res.Tier, res.Cloud, res.Outcome = out.Tier, out.Cloud, out
	if out.Tier != router.Embedded.String() {
		res.Flagged = flagged
	}
	return res, nil
}

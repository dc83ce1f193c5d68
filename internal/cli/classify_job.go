package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// classifyKinds are the kind classes (ml.Kinds; the CLI does not import
// internal/ml, see doc/design/workers.md).
var classifyKinds = []string{"person", "forum", "newsletter", "promotion", "notification", "social", "spam"}

const classifyInstructions = "You sort one e-mail the user received. kind: person (a person writing to the user or a small group), " +
	"forum (a mailing-list discussion), newsletter, promotion (selling), notification (automated: receipts, alerts, shipping, reports, " +
	"calendar notices), social (a social network's notice) or spam. needs_reply: whether the user is expected to answer or act. " +
	"spam: whether it is unsolicited bulk or fraudulent mail."

var classifySchema = map[string]any{
	"type":     "object",
	"required": []string{"kind", "needs_reply", "spam"},
	"properties": map[string]any{
		"kind":        map[string]any{"type": "string", "enum": classifyKinds},
		"needs_reply": map[string]any{"type": "boolean"},
		"spam":        map[string]any{"type": "boolean"},
	},
}

// classifyEscalator returns the pipeline's escalation hook for the classify
// job, or nil when the user's policy keeps classification on the device
// (the default: nothing is loaded, nothing is logged). With a policy, every
// classification is a job: answered by the device when its confidence
// (router.ClassifyConfidence: the classifier's undecided band) reaches the
// threshold, else climbing — redacted, ledgered, schema-checked — when the
// message's sensitivity, the budget and the online state allow. The caller
// closes the returned privacy (which writes the job log).
func classifyEscalator(env *Env, st *store.Store) (func(context.Context, int64, wire.Classification) wire.Classification, *privacy, error) {
	cfg, err := router.LoadConfig(filepath.Join(env.Home, router.ConfigFile))
	if err != nil {
		return nil, nil, err
	}
	if cfg.PolicyFor(router.JobClassify) == router.Never {
		return nil, nil, nil
	}
	p, err := openPrivacy(env, true)
	if err != nil {
		return nil, nil, err
	}
	p.batchJobs = true
	hook := func(ctx context.Context, row int64, c wire.Classification) wire.Classification {
		conf := router.ClassifyConfidence(c)
		sum, err := st.SummaryByRow(ctx, row)
		if err != nil {
			return c
		}
		local := router.Step{Tier: router.Embedded, Name: "classifier", Run: func(context.Context) (router.Result, error) {
			return router.Result{Confidence: conf, Value: c}, nil
		}}
		if conf >= p.cfg.EffectiveThreshold() {
			p.logJob(router.JobClassify, sum.ID, router.Outcome{Tier: router.Embedded.String(), Confidence: conf}, false)
			return c
		}
		raw, err := st.Raw(ctx, row)
		if err != nil {
			return c
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			return c
		}
		req := llm.Request{
			Job:          router.JobClassify,
			Instructions: classifyInstructions,
			Data:         quoteMessage("the message", pm),
			Hints:        hintsOf(pm),
			SchemaName:   "classification",
			Schema:       classifySchema,
			MaxTokens:    100,
		}
		model := func(ctx context.Context, pr llm.Provider) (router.Result, error) {
			ans, err := p.gateway.Complete(ctx, pr, req)
			if err != nil {
				return router.Result{}, err
			}
			kind, _ := ans.Value["kind"].(string)
			needs, ok1 := ans.Value["needs_reply"].(bool)
			spam, ok2 := ans.Value["spam"].(bool)
			if !slices.Contains(classifyKinds, kind) || !ok1 || !ok2 {
				return router.Result{}, errors.New("answer outside the schema")
			}
			out := c
			out.Kind, out.KindScores, out.Undecided, out.Degraded = kind, map[string]float64{kind: 0.9}, nil, false
			out.Spam, out.NeedsReply = 0.1, 0.1
			if spam || kind == "spam" {
				out.Spam, out.Kind = 0.9, "spam"
				out.KindScores = map[string]float64{"spam": 0.9}
			}
			if needs && !spam {
				out.NeedsReply = 0.9
			}
			out.Models = append(slices.Clone(c.Models), fmt.Sprintf("llm:%s", pr.Model()))
			return router.Result{Confidence: 0.9, Value: out}, nil
		}
		d := p.router.Decide(ctx, router.Input{Job: router.JobClassify, Text: pm.Subject + "\n" + pm.Text})
		res, err := p.router.Run(ctx, d, p.stepsFrom(local, model))
		if err != nil {
			return c
		}
		p.logJob(router.JobClassify, sum.ID, res, false)
		if got, ok := res.Value.(wire.Classification); ok {
			return got
		}
		return c
	}
	return hook, p, nil
}

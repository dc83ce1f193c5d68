// Package router decides, for each AI job, how far up the ladder of tiers
// it may climb — rules → embedded model → local LLM → cloud — and runs the
// ladder, stopping at the first tier that is allowed and confident enough.
//
// The decision depends on the job's policy (never, ask, auto; never by
// default), the data's sensitivity (health, finance, legal, credentials,
// dense personal data keep a job on the device unless the user overrides
// it for that message), whether the device is online, and the monthly
// budget. Every decision carries its reasons, which `pam why` prints.
// Configuration is device-local and never syncs.
package router

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/pam-ai/pam/internal/llm"
)

// Tier is a rung of the ladder.
type Tier int

const (
	Rules Tier = iota
	Embedded
	LocalLLM
	Cloud
)

func (t Tier) String() string {
	switch t {
	case Rules:
		return "rules"
	case Embedded:
		return "embedded model"
	case LocalLLM:
		return "local LLM"
	case Cloud:
		return "cloud"
	}
	return fmt.Sprintf("tier(%d)", int(t))
}

// Router holds the configuration and the state the decision needs. It is
// safe for concurrent use.
type Router struct {
	Cfg Config
	// SpentUSD returns this month's cloud spend (from the ledger); nil
	// means 0.
	SpentUSD func() float64
	// Ask asks the user on a terminal; nil means there is no terminal,
	// and "ask" is denied.
	Ask func(ctx context.Context, question string) (bool, error)

	mu      sync.Mutex
	granted map[string]bool // jobs the user allowed in this run (ask)
}

// Input is what the decision looks at.
type Input struct {
	Job string
	// Text is the data the job would send (for sensitivity).
	Text string
	// Override: the user allows this message's data to leave although it
	// is sensitive.
	Override bool
}

// Decision is how high a job may climb, and why.
type Decision struct {
	Job       string   `json:"job"`
	Policy    Policy   `json:"policy"`
	MaxTier   Tier     `json:"-"`
	Max       string   `json:"max_tier"`
	Sensitive []string `json:"sensitive,omitempty"`
	Reasons   []string `json:"reasons"`
}

// Decide returns the highest tier job may use on in, with the reasons.
// A configured local LLM is always allowed (loopback is not egress); the
// cloud needs all of: a cloud provider, online, policy auto (or ask,
// answered yes on a terminal), data not sensitive (or overridden), and
// budget left.
func (r *Router) Decide(ctx context.Context, in Input) Decision {
	d := Decision{Job: in.Job, Policy: r.Cfg.PolicyFor(in.Job), MaxTier: Embedded}
	add := func(f string, a ...any) { d.Reasons = append(d.Reasons, fmt.Sprintf(f, a...)) }
	add("rules and the embedded model always run on the device")
	if p := r.Cfg.LocalLLM; p != nil {
		if TierOf(p) == LocalLLM {
			d.MaxTier = LocalLLM
			add("local LLM %s at %s is on loopback: allowed, nothing leaves the device", p.Model, p.BaseURL)
		} else {
			add("local_llm %s is not on loopback, so it counts as cloud", p.BaseURL)
		}
	} else {
		add("no local LLM configured")
	}
	d.Sensitive = Sensitivity(in.Text)
	cloud := r.cloudProvider()
	deny := func(f string, a ...any) Decision {
		add("cloud: no — "+f, a...)
		d.Max = d.MaxTier.String()
		return d
	}
	switch {
	case d.Policy == Never:
		return deny("policy for %s is never (the default; set it to ask or auto in %s)", in.Job, ConfigFile)
	case cloud == nil:
		return deny("no cloud provider configured")
	case r.Cfg.Offline:
		return deny("offline mode allows loopback only")
	case len(d.Sensitive) > 0 && !in.Override:
		return deny("the data looks sensitive (%v); it stays local unless you override for this message", d.Sensitive)
	}
	budget := r.Cfg.MonthlyBudgetUSD
	spent := 0.0
	if r.SpentUSD != nil {
		spent = r.SpentUSD()
	}
	if budget <= 0 {
		return deny("monthly budget is 0")
	}
	if spent >= budget {
		return deny("monthly budget spent ($%.2f of $%.2f)", spent, budget)
	}
	if d.Policy == Ask {
		ok, err := r.ask(ctx, in.Job)
		if err != nil || !ok {
			if r.Ask == nil {
				return deny("policy for %s is ask and there is no terminal to ask on", in.Job)
			}
			return deny("policy for %s is ask and you said no", in.Job)
		}
		add("you allowed %s to use the cloud", in.Job)
	}
	if len(d.Sensitive) > 0 {
		add("sensitive data (%v) overridden by you for this message", d.Sensitive)
	}
	d.MaxTier = Cloud
	add("cloud: allowed — policy %s, online, $%.2f of $%.2f budget spent; the payload is redacted and ledgered", d.Policy, spent, budget)
	d.Max = d.MaxTier.String()
	return d
}

func (r *Router) cloudProvider() *Provider {
	if r.Cfg.Cloud != nil {
		return r.Cfg.Cloud
	}
	if r.Cfg.LocalLLM != nil && TierOf(r.Cfg.LocalLLM) == Cloud {
		return r.Cfg.LocalLLM
	}
	return nil
}

func (r *Router) ask(ctx context.Context, job string) (bool, error) {
	r.mu.Lock()
	if r.granted[job] {
		r.mu.Unlock()
		return true, nil
	}
	r.mu.Unlock()
	if r.Ask == nil {
		return false, errors.New("no terminal")
	}
	ok, err := r.Ask(ctx, fmt.Sprintf("Send a redacted copy of this %s job to the cloud?", job))
	if err != nil || !ok {
		return false, err
	}
	r.mu.Lock()
	if r.granted == nil {
		r.granted = map[string]bool{}
	}
	r.granted[job] = true
	r.mu.Unlock()
	return true, nil
}

// Allow implements llm.Policy: the gateway's last check before a cloud
// call. It repeats the parts of Decide that do not depend on the data
// (offline, policy, ask granted, budget); the data's sensitivity is
// Decide's, which every caller runs first.
func (r *Router) Allow(ctx context.Context, job string, p llm.Provider) error {
	if r.Cfg.Offline {
		return errors.New("offline")
	}
	switch r.Cfg.PolicyFor(job) {
	case Never:
		return fmt.Errorf("policy for %s is never", job)
	case Ask:
		r.mu.Lock()
		ok := r.granted[job]
		r.mu.Unlock()
		if !ok {
			return fmt.Errorf("policy for %s is ask and the user was not asked", job)
		}
	}
	spent := 0.0
	if r.SpentUSD != nil {
		spent = r.SpentUSD()
	}
	if r.Cfg.MonthlyBudgetUSD <= 0 || spent >= r.Cfg.MonthlyBudgetUSD {
		return fmt.Errorf("monthly budget spent ($%.2f of $%.2f)", spent, r.Cfg.MonthlyBudgetUSD)
	}
	return nil
}

var _ llm.Policy = (*Router)(nil)

// Step is one rung a job can use: its tier and how to run it.
type Step struct {
	Tier Tier
	Name string
	Run  func(ctx context.Context) (Result, error)
}

// Result is a tier's answer with its confidence in [0, 1].
type Result struct {
	Confidence float64
	Value      any
}

// Attempt records one step tried.
type Attempt struct {
	Tier       string  `json:"tier"`
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence,omitempty"`
	Error      string  `json:"error,omitempty"`
	Skipped    string  `json:"skipped,omitempty"`
}

// Outcome is what the ladder produced.
type Outcome struct {
	Decision   Decision  `json:"decision"`
	Tier       string    `json:"tier"`
	Cloud      bool      `json:"cloud"`
	Confidence float64   `json:"confidence"`
	Value      any       `json:"-"`
	Trail      []Attempt `json:"trail"`
}

// ErrNoAnswer: no step answered.
var ErrNoAnswer = errors.New("router: no tier answered")

// Run climbs steps (in tier order) up to d.MaxTier, stopping at the first
// answer whose confidence reaches the threshold. If none does, the most
// confident answer wins. A step that fails is recorded and the ladder
// goes on: a failing or refused model degrades to what is below it.
func (r *Router) Run(ctx context.Context, d Decision, steps []Step) (Outcome, error) {
	out := Outcome{Decision: d}
	var best *Result
	var bestStep Step
	for _, s := range steps {
		if s.Tier > d.MaxTier {
			out.Trail = append(out.Trail, Attempt{Tier: s.Tier.String(), Name: s.Name, Skipped: "above " + d.MaxTier.String()})
			continue
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res, err := s.Run(ctx)
		if err != nil {
			out.Trail = append(out.Trail, Attempt{Tier: s.Tier.String(), Name: s.Name, Error: err.Error()})
			continue
		}
		out.Trail = append(out.Trail, Attempt{Tier: s.Tier.String(), Name: s.Name, Confidence: res.Confidence})
		// A higher tier's answer wins a tie: it was asked because the
		// answers below it were not enough.
		if best == nil || res.Confidence >= best.Confidence {
			r := res
			best, bestStep = &r, s
		}
		if res.Confidence >= r.Cfg.threshold() {
			break
		}
	}
	if best == nil {
		return out, ErrNoAnswer
	}
	out.Tier = bestStep.Tier.String()
	out.Cloud = bestStep.Tier == Cloud
	out.Confidence = best.Confidence
	out.Value = best.Value
	return out, nil
}

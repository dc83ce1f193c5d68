package router

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func cloudCfg() Config {
	return Config{
		MonthlyBudgetUSD: 5,
		Policies:         map[string]Policy{JobCompose: Auto, JobPrioritize: Ask},
		LocalLLM:         &Provider{Kind: "openai", BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.2"},
		Cloud:            &Provider{Kind: "claude", Model: "claude-sonnet-4-5"},
	}
}

func TestDefaultsStayLocal(t *testing.T) {
	r := &Router{Cfg: DefaultConfig()}
	for _, job := range Jobs {
		d := r.Decide(context.Background(), Input{Job: job, Text: "Lunch on Friday?"})
		if d.MaxTier != Embedded || d.Policy != Never {
			t.Errorf("Decide(%s) with defaults = %v/%s, want embedded model/never", job, d.MaxTier, d.Policy)
		}
	}
	c := DefaultConfig()
	c.Cloud = &Provider{Kind: "claude"}
	c.MonthlyBudgetUSD = 10
	r = &Router{Cfg: c}
	if d := r.Decide(context.Background(), Input{Job: JobCompose, Text: "hi"}); d.MaxTier == Cloud {
		t.Errorf("default policy allowed the cloud: %v", d.Reasons)
	}
}

func TestDecide(t *testing.T) {
	ctx := context.Background()
	yes := func(context.Context, string) (bool, error) { return true, nil }
	no := func(context.Context, string) (bool, error) { return false, nil }
	for _, tc := range []struct {
		name   string
		mod    func(*Config)
		ask    func(context.Context, string) (bool, error)
		spent  float64
		in     Input
		want   Tier
		reason string
	}{
		{"auto", nil, nil, 0, Input{Job: JobCompose, Text: "Lunch on Friday?"}, Cloud, "cloud: allowed"},
		{"offline", func(c *Config) { c.Offline = true }, nil, 0, Input{Job: JobCompose, Text: "hi"}, LocalLLM, "offline"},
		{"never", nil, nil, 0, Input{Job: JobClassify, Text: "hi"}, LocalLLM, "is never"},
		{"ask without terminal", nil, nil, 0, Input{Job: JobPrioritize, Text: "hi"}, LocalLLM, "no terminal"},
		{"ask yes", nil, yes, 0, Input{Job: JobPrioritize, Text: "hi"}, Cloud, "you allowed"},
		{"ask no", nil, no, 0, Input{Job: JobPrioritize, Text: "hi"}, LocalLLM, "you said no"},
		{"budget spent", nil, nil, 5, Input{Job: JobCompose, Text: "hi"}, LocalLLM, "budget spent"},
		{"budget zero", func(c *Config) { c.MonthlyBudgetUSD = 0 }, nil, 0, Input{Job: JobCompose, Text: "hi"}, LocalLLM, "budget is 0"},
		{"health", nil, nil, 0, Input{Job: JobCompose, Text: "My biopsy results came back"}, LocalLLM, "sensitive"},
		{"health overridden", nil, nil, 0, Input{Job: JobCompose, Text: "My biopsy results came back", Override: true}, Cloud, "overridden"},
		{"credentials", nil, nil, 0, Input{Job: JobCompose, Text: "Your verification code is 449201"}, LocalLLM, "credentials"},
		{"no local llm", func(c *Config) { c.LocalLLM = nil; c.Policies[JobCompose] = Never }, nil, 0, Input{Job: JobCompose, Text: "hi"}, Embedded, "never"},
		{"remote 'local' llm is cloud", func(c *Config) {
			c.Cloud = nil
			c.LocalLLM.BaseURL = "http://gpu-box.lan:8000/v1"
		}, nil, 0, Input{Job: JobCompose, Text: "hi"}, Cloud, "counts as cloud"},
	} {
		c := cloudCfg()
		if tc.mod != nil {
			tc.mod(&c)
		}
		spent := tc.spent
		r := &Router{Cfg: c, Ask: tc.ask, SpentUSD: func() float64 { return spent }}
		d := r.Decide(ctx, tc.in)
		if d.MaxTier != tc.want || !strings.Contains(strings.Join(d.Reasons, "; "), tc.reason) {
			t.Errorf("%s: Decide = %v (%s), want %v with reason %q", tc.name, d.MaxTier, strings.Join(d.Reasons, "; "), tc.want, tc.reason)
		}
	}
}

func TestSpentBudgetFallsBackToLocal(t *testing.T) {
	c := cloudCfg()
	c.LocalLLM = nil
	spent := 0.0
	r := &Router{Cfg: c, SpentUSD: func() float64 { return spent }}
	calls := map[Tier]int{}
	steps := []Step{
		{Tier: Rules, Name: "template", Run: func(context.Context) (Result, error) {
			calls[Rules]++
			return Result{Confidence: 0.4, Value: "local draft"}, nil
		}},
		{Tier: Cloud, Name: "claude", Run: func(context.Context) (Result, error) {
			calls[Cloud]++
			return Result{Confidence: 0.9, Value: "cloud draft"}, nil
		}},
	}
	in := Input{Job: JobCompose, Text: "Can we meet?"}
	out, err := r.Run(context.Background(), r.Decide(context.Background(), in), steps)
	if err != nil || out.Value != "cloud draft" || !out.Cloud {
		t.Fatalf("with budget: %v %+v, want the cloud draft", err, out)
	}
	spent = 5.01
	out, err = r.Run(context.Background(), r.Decide(context.Background(), in), steps)
	if err != nil || out.Value != "local draft" || out.Cloud || out.Tier != "rules" {
		t.Fatalf("budget spent: %v %+v, want the local draft", err, out)
	}
	if calls[Cloud] != 1 {
		t.Errorf("cloud step ran %d times, want 1 (not after the budget was spent)", calls[Cloud])
	}
	if err := r.Allow(context.Background(), JobCompose, nil); err == nil {
		t.Error("Allow with the budget spent = nil, want an error")
	}
}

func TestRunDegradesOnError(t *testing.T) {
	r := &Router{Cfg: cloudCfg()}
	d := Decision{MaxTier: LocalLLM}
	out, err := r.Run(context.Background(), d, []Step{
		{Tier: Rules, Name: "rules", Run: func(context.Context) (Result, error) { return Result{Confidence: 0.3, Value: "r"}, nil }},
		{Tier: LocalLLM, Name: "llm", Run: func(context.Context) (Result, error) { return Result{}, errors.New("connection refused") }},
	})
	if err != nil || out.Value != "r" || len(out.Trail) != 2 || out.Trail[1].Error == "" {
		t.Errorf("Run = %+v, %v; want rules' answer with the LLM's error in the trail", out, err)
	}
}

func TestAllow(t *testing.T) {
	r := &Router{Cfg: cloudCfg(), SpentUSD: func() float64 { return 0 }}
	ctx := context.Background()
	if err := r.Allow(ctx, JobCompose, nil); err != nil {
		t.Errorf("Allow(compose, auto) = %v", err)
	}
	for _, job := range []string{JobClassify, JobPrioritize} { // never; ask not granted
		if err := r.Allow(ctx, job, nil); err == nil {
			t.Errorf("Allow(%s) = nil, want denial", job)
		}
	}
	r.Cfg.Offline = true
	if err := r.Allow(ctx, JobCompose, nil); err == nil {
		t.Error("Allow offline = nil")
	}
}

func TestConfigRoundTripAndValidation(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ConfigFile)
	c, err := LoadConfig(p)
	if err != nil || !reflect.DeepEqual(c, DefaultConfig()) {
		t.Fatalf("LoadConfig(missing) = %+v, %v", c, err)
	}
	want := cloudCfg()
	if err := SaveConfig(p, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(p)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("round trip = %+v, %v; want %+v", got, err, want)
	}
	pinned := Config{Hosts: map[string]string{"LLM.lan": "192.168.1.20"}}
	if h := pinned.PinnedHosts(); h["llm.lan"].String() != "192.168.1.20" {
		t.Errorf("PinnedHosts = %v, want llm.lan (lower case) pinned to 192.168.1.20", h)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	for body, field := range map[string]string{
		`{"policies":{"compose":"always"}}`: "policies.compose",
		`{"policies":{"dance":"auto"}}`:     "unknown job",
		`{"monthly_budget_usd":-1}`:         "monthly_budget_usd",
		`{"cloud":{"kind":"gpt"}}`:          "cloud.kind",
		`{"local_llm":{"kind":"openai"}}`:   "local_llm",
		`{"budget":3}`:                      "unknown field",
		`{"threshold":2}`:                   "threshold",
		`{"hosts":{"llm.lan":"not-an-ip"}}`: "hosts.llm.lan",
		`{"hosts":{"a/b":"10.0.0.1"}}`:      "hosts",
	} {
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("LoadConfig(%s) = %v, want an error naming %q", body, err, field)
		}
	}
}

func TestSensitivity(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Lunch on Friday at noon?", []string{}},
		{"The doctor wants to discuss your diagnosis.", []string{Health}},
		{"Attached is my payslip for March.", []string{Finance}},
		{"My lawyer will send the settlement agreement.", []string{Legal}},
		{"Your one-time code is 123456.", []string{Credentials}},
		{"Card 4111 1111 1111 1111 please charge it", []string{Finance}},
		{"a@b.example x@y.example +1 415 555 0100 +44 20 7946 0958 Mr. Smith", []string{DensePII}},
	} {
		got := Sensitivity(tc.text)
		if len(got) == 0 {
			got = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Sensitivity(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestJobLogStats(t *testing.T) {
	p := filepath.Join(t.TempDir(), JobsFile)
	for i := 0; i < 9; i++ {
		AppendJob(p, JobRecord{Job: JobClassify, Tier: "rules"})
	}
	AppendJob(p, JobRecord{Job: JobCompose, Tier: "cloud", Cloud: true})
	AppendJob(p, JobRecord{Job: JobCompose, Tier: "cloud", Cloud: true, DryRun: true})
	recs, err := ReadJobs(p)
	if err != nil {
		t.Fatal(err)
	}
	s := Summarise(recs)
	if s.Total != 10 || s.Cloud != 1 || s.LocalShare != 0.9 || s.ByJob[JobCompose].Cloud != 1 {
		t.Errorf("Summarise = %+v, want 10 jobs, 1 cloud, 0.9 local", s)
	}
}

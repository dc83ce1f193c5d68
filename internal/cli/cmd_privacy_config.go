package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pam-ai/pam/internal/router"
)

// runPrivacyConfig shows or changes privacy.json: per-job policies, the
// budget, offline mode, the providers, the threshold and pinned hosts.
// Every change is validated as a whole and written atomically (0600); the
// settings are device-local and never sync.
func runPrivacyConfig(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "privacy config", "[--policy JOB=never|ask|auto]... [--budget USD] [--offline on|off] "+
		"[--local-llm URL --local-model NAME] [--cloud claude|openai|none --cloud-url URL --cloud-model NAME] [--threshold X] [--host NAME=IP]... [--json]")
	var policies, hosts multiFlag
	fs.Var(&policies, "policy", "JOB=never|ask|auto (jobs: "+strings.Join(router.Jobs, ", ")+"; all=… sets every job); repeatable")
	fs.Var(&hosts, "host", "NAME=IP pins a provider's host name (NAME= removes it); repeatable")
	budget := fs.String("budget", "", "monthly cloud budget in US dollars (0: no cloud call)")
	offline := fs.String("offline", "", "on: nothing beyond loopback; off")
	localURL := fs.String("local-llm", "", "base URL of an OpenAI-compatible server you run (none: remove)")
	localModel := fs.String("local-model", "", "model name on that server")
	cloud := fs.String("cloud", "", "claude, openai (an OpenAI-compatible cloud) or none")
	cloudURL := fs.String("cloud-url", "", "the cloud's base URL (default for claude: the Anthropic API)")
	cloudModel := fs.String("cloud-model", "", "the cloud model")
	threshold := fs.String("threshold", "", "confidence at which an answer is accepted (0-1; default 0.75)")
	asJSON := fs.Bool("json", false, "print the settings as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := ensureHome(env); err != nil {
		return err
	}
	path := filepath.Join(env.Home, router.ConfigFile)
	cfg, err := router.LoadConfig(path)
	if err != nil {
		return err
	}
	changed := false
	for _, p := range policies {
		job, pol, ok := strings.Cut(p, "=")
		if !ok {
			return usageError{fmt.Sprintf("--policy %q: want JOB=never|ask|auto", p)}
		}
		jobs := []string{job}
		if job == "all" {
			jobs = router.Jobs
		}
		if cfg.Policies == nil {
			cfg.Policies = map[string]router.Policy{}
		}
		for _, j := range jobs {
			cfg.Policies[j] = router.Policy(pol)
			if pol == string(router.Never) {
				delete(cfg.Policies, j) // never is the default: keep the file short
			}
		}
		changed = true
	}
	if *budget != "" {
		v, err := strconv.ParseFloat(*budget, 64)
		if err != nil {
			return usageError{fmt.Sprintf("--budget %q: not a number", *budget)}
		}
		cfg.MonthlyBudgetUSD, changed = v, true
	}
	if *offline != "" {
		switch *offline {
		case "on":
			cfg.Offline = true
		case "off":
			cfg.Offline = false
		default:
			return usageError{fmt.Sprintf("--offline %q: want on or off", *offline)}
		}
		changed = true
	}
	if *localURL != "" {
		if *localURL == "none" {
			cfg.LocalLLM = nil
		} else {
			cfg.LocalLLM = &router.Provider{Kind: "openai", BaseURL: *localURL, Model: *localModel}
		}
		changed = true
	} else if *localModel != "" {
		if cfg.LocalLLM == nil {
			return usageError{"--local-model needs --local-llm URL (none is set)"}
		}
		cfg.LocalLLM.Model, changed = *localModel, true
	}
	if *cloud != "" {
		switch *cloud {
		case "none":
			cfg.Cloud = nil
		case "claude", "openai":
			cfg.Cloud = &router.Provider{Kind: *cloud, BaseURL: *cloudURL, Model: *cloudModel}
		default:
			return usageError{fmt.Sprintf("--cloud %q: want claude, openai or none", *cloud)}
		}
		changed = true
	} else if *cloudURL != "" || *cloudModel != "" {
		if cfg.Cloud == nil {
			return usageError{"--cloud-url and --cloud-model need --cloud claude|openai (none is set)"}
		}
		if *cloudURL != "" {
			cfg.Cloud.BaseURL = *cloudURL
		}
		if *cloudModel != "" {
			cfg.Cloud.Model = *cloudModel
		}
		changed = true
	}
	if *threshold != "" {
		v, err := strconv.ParseFloat(*threshold, 64)
		if err != nil {
			return usageError{fmt.Sprintf("--threshold %q: not a number", *threshold)}
		}
		cfg.Threshold, changed = v, true
	}
	for _, h := range hosts {
		name, ip, ok := strings.Cut(h, "=")
		if !ok {
			return usageError{fmt.Sprintf("--host %q: want NAME=IP", h)}
		}
		if cfg.Hosts == nil {
			cfg.Hosts = map[string]string{}
		}
		if ip == "" {
			delete(cfg.Hosts, name)
		} else {
			cfg.Hosts[name] = ip
		}
		changed = true
	}
	if changed {
		if err := cfg.Validate(); err != nil {
			return usageError{fmt.Sprintf("privacy config: %v (nothing changed)", err)}
		}
		if err := router.SaveConfig(path, cfg); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(cfg)
	}
	printPrivacyConfig(env, cfg, changed)
	return nil
}

func printPrivacyConfig(env *Env, cfg router.Config, changed bool) {
	w := env.Stdout
	if changed {
		fmt.Fprintln(w, "saved (device-local, never synced):")
	}
	fmt.Fprintf(w, "offline      %v\n", cfg.Offline)
	fmt.Fprintf(w, "budget       $%.2f per month (0: no cloud call)\n", cfg.MonthlyBudgetUSD)
	fmt.Fprintf(w, "threshold    %.2f\n", cfg.EffectiveThreshold())
	jobs := append([]string(nil), router.Jobs...)
	sort.Strings(jobs)
	var pols []string
	for _, j := range jobs {
		pols = append(pols, fmt.Sprintf("%s=%s", j, cfg.PolicyFor(j)))
	}
	fmt.Fprintf(w, "policies     %s\n", strings.Join(pols, " "))
	show := func(name string, p *router.Provider) {
		if p == nil {
			fmt.Fprintf(w, "%-12s none\n", name)
			return
		}
		url := p.BaseURL
		if url == "" {
			url = "(the provider's default)"
		}
		fmt.Fprintf(w, "%-12s %s %s, model %q — %s tier\n", name, p.Kind, url, p.Model, router.TierOf(p))
	}
	show("local LLM", cfg.LocalLLM)
	show("cloud", cfg.Cloud)
	if len(cfg.Hosts) > 0 {
		var hs []string
		for n, a := range cfg.Hosts {
			hs = append(hs, n+"="+a)
		}
		sort.Strings(hs)
		fmt.Fprintf(w, "hosts        %s\n", strings.Join(hs, " "))
	}
}

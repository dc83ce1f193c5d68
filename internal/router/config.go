package router

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/egress"
)

// Policy is the user's rule for escalating one job beyond the device.
type Policy string

const (
	Never Policy = "never" // the default
	Ask   Policy = "ask"   // ask on a terminal; denied when there is none
	Auto  Policy = "auto"
)

// Jobs.
const (
	JobClassify   = "classify"
	JobExtract    = "extract"
	JobReply      = "reply"
	JobPrioritize = "prioritize"
	JobSchedule   = "schedule"
	JobCompose    = "compose"
)

// Jobs lists every AI job.
var Jobs = []string{JobClassify, JobExtract, JobReply, JobPrioritize, JobSchedule, JobCompose}

// Provider is a model server in the configuration.
type Provider struct {
	Kind    string `json:"kind"` // "claude" or "openai"
	BaseURL string `json:"base_url"`
	Model   string `json:"model"`
	// NoSchema: the server does not support schema-constrained output.
	NoSchema bool `json:"no_schema,omitempty"`
}

// Config is the device-local privacy configuration: a file in the data
// directory (ConfigFile) that never syncs.
type Config struct {
	// Offline forbids every connection beyond loopback (as --offline).
	Offline bool `json:"offline"`
	// MonthlyBudgetUSD caps the cloud spend per calendar month; 0 (the
	// default) means no cloud call.
	MonthlyBudgetUSD float64 `json:"monthly_budget_usd"`
	// Policies per job; a missing job is "never".
	Policies map[string]Policy `json:"policies,omitempty"`
	// LocalLLM is the tier below the cloud: an OpenAI-compatible server the
	// user runs. If its URL is not loopback it is treated as cloud.
	LocalLLM *Provider `json:"local_llm,omitempty"`
	// Cloud is the top tier (Claude by default when configured).
	Cloud *Provider `json:"cloud,omitempty"`
	// Threshold is the confidence at which a tier's answer is accepted;
	// 0 means 0.75.
	Threshold float64 `json:"threshold,omitempty"`
	// Hosts pins provider host names to addresses, like /etc/hosts (an
	// LLM server on the local network known by a name no resolver has).
	// A pinned address is checked like any other: offline, only loopback.
	// Whether a provider is cloud still goes by its URL: a name that is
	// not loopback is cloud (redacted, ledgered) wherever it points.
	Hosts map[string]string `json:"hosts,omitempty"`
}

// PinnedHosts returns Hosts parsed (Validate has checked them).
func (c Config) PinnedHosts() map[string]netip.Addr {
	if len(c.Hosts) == 0 {
		return nil
	}
	out := make(map[string]netip.Addr, len(c.Hosts))
	for name, a := range c.Hosts {
		if ip, err := netip.ParseAddr(a); err == nil {
			out[strings.ToLower(name)] = ip
		}
	}
	return out
}

// ConfigFile is the configuration's name in the data directory.
const ConfigFile = "privacy.json"

// DefaultConfig is every job never, budget 0, no providers.
func DefaultConfig() Config { return Config{} }

// PolicyFor returns the policy of job (never when unset).
func (c Config) PolicyFor(job string) Policy {
	if p, ok := c.Policies[job]; ok {
		return p
	}
	return Never
}

func (c Config) threshold() float64 {
	if c.Threshold <= 0 {
		return 0.75
	}
	return c.Threshold
}

// EffectiveThreshold is the confidence at which an answer is accepted
// (Threshold, or 0.75 when unset).
func (c Config) EffectiveThreshold() float64 { return c.threshold() }

// Validate checks the configuration and names the bad field.
func (c Config) Validate() error {
	for name, a := range c.Hosts {
		if name == "" || strings.ContainsAny(name, "/: ") {
			return fmt.Errorf("hosts: %q is not a host name", name)
		}
		if _, err := netip.ParseAddr(a); err != nil {
			return fmt.Errorf("hosts.%s: %q is not an IP address", name, a)
		}
	}
	if c.MonthlyBudgetUSD < 0 {
		return fmt.Errorf("monthly_budget_usd: %v is negative", c.MonthlyBudgetUSD)
	}
	if c.Threshold < 0 || c.Threshold > 1 {
		return fmt.Errorf("threshold: %v is not in [0, 1]", c.Threshold)
	}
	jobs := make([]string, 0, len(c.Policies))
	for j := range c.Policies {
		jobs = append(jobs, j)
	}
	sort.Strings(jobs)
	for _, j := range jobs {
		known := false
		for _, k := range Jobs {
			known = known || k == j
		}
		if !known {
			return fmt.Errorf("policies: unknown job %q (jobs: %s)", j, strings.Join(Jobs, ", "))
		}
		switch c.Policies[j] {
		case Never, Ask, Auto:
		default:
			return fmt.Errorf("policies.%s: %q is not never, ask or auto", j, c.Policies[j])
		}
	}
	for name, p := range map[string]*Provider{"local_llm": c.LocalLLM, "cloud": c.Cloud} {
		if p == nil {
			continue
		}
		if p.Kind != "claude" && p.Kind != "openai" {
			return fmt.Errorf("%s.kind: %q is not claude or openai", name, p.Kind)
		}
		if p.Kind == "openai" && (p.BaseURL == "" || p.Model == "") {
			return fmt.Errorf("%s: an openai provider needs base_url and model", name)
		}
	}
	return nil
}

// LoadConfig reads the configuration at path; a missing file is the
// default configuration.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("privacy config: %w", err)
	}
	var c Config
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("privacy config %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("privacy config %s: %w", path, err)
	}
	return c, nil
}

// SaveConfig writes c to path atomically (temp file, fsync, rename, fsync
// of the directory), mode 0600.
func SaveConfig(path string, c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".privacy-*.json")
	if err != nil {
		return fmt.Errorf("privacy config: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err == nil {
		_, err = f.Write(append(b, '\n'))
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err == nil {
			var d *os.File
			if d, err = os.Open(dir); err == nil {
				err = d.Sync()
				d.Close()
			}
		}
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("privacy config: %w", err)
	}
	return nil
}

// TierOf returns the tier a provider belongs to: Cloud when its base URL
// is not loopback, whatever it is called, else LocalLLM.
func TierOf(p *Provider) Tier {
	if p.Kind == "claude" && p.BaseURL == "" {
		return Cloud
	}
	if egress.IsLoopbackURL(p.BaseURL) {
		return LocalLLM
	}
	return Cloud
}

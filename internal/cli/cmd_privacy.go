package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/egress"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/redact"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "privacy", Summary: "the egress ledger (ledger, verify, stats) and the escalation settings (config)", Usage: "ledger [--json] | verify | stats [--json] | config [--policy JOB=never|ask|auto]... [--budget USD] [--offline on|off] [--local-llm URL --local-model M] [--cloud claude|openai|none ...] [--threshold X] [--host NAME=IP]", Run: runPrivacy})
}

// Files of the privacy gateway in the data directory.
const (
	ledgerFile    = "privacy-ledger.jsonl"
	claudeKeyFile = "secrets/anthropic-api-key"
)

// privacy is the wiring of the model ladder for one command: the
// device-local config, the router, the gateway with its ledger, and the
// providers (nil when not configured).
type privacy struct {
	home    string
	cfg     router.Config
	router  *router.Router
	gateway *llm.Gateway
	ledger  *llm.Ledger
	local   llm.Provider // tier LocalLLM (or cloud, if its URL is not loopback)
	cloud   llm.Provider
	dryRun  llm.Provider // what the cloud tier would be, for dry runs
	// batchJobs keeps job records for one append at close (many jobs).
	batchJobs bool
	jobs      []router.JobRecord
}

// openPrivacy loads the config and builds the providers on the one egress
// client. The ledger is opened only when withLedger is set.
func openPrivacy(env *Env, withLedger bool) (*privacy, error) {
	if err := ensureHome(env); err != nil {
		return nil, err
	}
	cfg, err := router.LoadConfig(filepath.Join(env.Home, router.ConfigFile))
	if err != nil {
		return nil, err
	}
	if env.Offline {
		cfg.Offline = true
	}
	p := &privacy{home: env.Home, cfg: cfg}
	ledgerPath := filepath.Join(env.Home, ledgerFile)
	p.router = &router.Router{Cfg: cfg, SpentUSD: func() float64 {
		entries, _, err := llm.ReadLedger(ledgerPath)
		if err != nil {
			return 1e18 // an unreadable ledger counts as a spent budget
		}
		return float64(llm.SpentMicroUSD(entries, time.Now())) / 1e6
	}}
	if isTerminal(env.Stdin) && isTerminal(env.Stderr) {
		in := bufio.NewReader(env.Stdin)
		p.router.Ask = func(ctx context.Context, q string) (bool, error) {
			fmt.Fprintf(env.Stderr, "%s [y/N] ", q)
			line, err := in.ReadString('\n')
			if err != nil {
				return false, err
			}
			a := strings.ToLower(strings.TrimSpace(line))
			return a == "y" || a == "yes", nil
		}
	}
	p.gateway = &llm.Gateway{Policy: p.router}
	if withLedger {
		l, err := llm.OpenLedger(ledgerPath)
		if err != nil {
			return nil, err
		}
		p.ledger = l
		p.gateway.Ledger = l
	}
	client := egress.NewClient(&egress.Dialer{Offline: cfg.Offline, Hosts: cfg.PinnedHosts()}, 0)
	build := func(pc *router.Provider) (llm.Provider, error) {
		switch pc.Kind {
		case "claude":
			return llm.NewClaude(llm.ClaudeConfig{BaseURL: pc.BaseURL, Model: pc.Model, APIKey: claudeKey(env), HTTP: client, NoStructured: pc.NoSchema})
		default:
			return llm.NewOpenAI(llm.OpenAIConfig{BaseURL: pc.BaseURL, Model: pc.Model, HTTP: client, NoSchema: pc.NoSchema})
		}
	}
	if cfg.LocalLLM != nil {
		if p.local, err = build(cfg.LocalLLM); err != nil {
			return nil, err
		}
	}
	if cfg.Cloud != nil {
		if p.cloud, err = build(cfg.Cloud); err != nil {
			return nil, err
		}
		p.dryRun = p.cloud
	} else {
		// The payload Claude would get with the defaults, for dry runs.
		p.dryRun, _ = llm.NewClaude(llm.ClaudeConfig{HTTP: client})
	}
	return p, nil
}

func (p *privacy) close() {
	if len(p.jobs) > 0 {
		p.flushJobs()
	}
	if p.ledger != nil {
		p.ledger.Close()
	}
}

// tierOf is the tier of a configured provider.
func (p *privacy) steps(job string, local func(context.Context) (router.Result, error), model func(context.Context, llm.Provider) (router.Result, error)) []router.Step {
	return p.stepsFrom(router.Step{Tier: router.Rules, Name: "local rules", Run: local}, model)
}

// stepsFrom is steps with the device's own step given whole (its tier:
// rules, or an embedded model).
func (p *privacy) stepsFrom(first router.Step, model func(context.Context, llm.Provider) (router.Result, error)) []router.Step {
	steps := []router.Step{first}
	add := func(pr llm.Provider, pc *router.Provider) {
		if pr == nil {
			return
		}
		steps = append(steps, router.Step{Tier: router.TierOf(pc), Name: pr.Name() + " " + pr.Model(), Run: func(ctx context.Context) (router.Result, error) { return model(ctx, pr) }})
	}
	add(p.local, p.cfg.LocalLLM)
	add(p.cloud, p.cfg.Cloud)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Tier < steps[j].Tier })
	return steps
}

// logJob appends the outcome to the job log (content-free). While
// batching (pam extract over a tree) records are kept and written by close
// in one append.
func (p *privacy) logJob(job, item string, out router.Outcome, dry bool) {
	rec := router.JobRecord{Time: time.Now().UTC(), Job: job, Item: item, Tier: out.Tier, Cloud: out.Cloud, Confidence: out.Confidence, DryRun: dry}
	if p.batchJobs {
		p.jobs = append(p.jobs, rec)
		if len(p.jobs) >= 1000 {
			p.flushJobs()
		}
		return
	}
	_ = router.AppendJob(filepath.Join(p.home, router.JobsFile), rec)
}

// flushJobs writes the kept job records.
func (p *privacy) flushJobs() {
	_ = router.AppendJobs(filepath.Join(p.home, router.JobsFile), p.jobs)
	p.jobs = p.jobs[:0]
}

// claudeKey reads the API key from ANTHROPIC_API_KEY or the 0600 secret
// file in the data directory. It is never printed or passed to workers.
func claudeKey(env *Env) string {
	if k := os.Getenv("ANTHROPIC_API_KEY"); k != "" {
		return k
	}
	b, err := os.ReadFile(filepath.Join(env.Home, claudeKeyFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// messageInput loads a message for an AI job: the parsed message and the
// redaction hints from its headers.
func messageInput(ctx context.Context, st *store.Store, ref string) (store.Summary, *pam.Message, redact.Hints, error) {
	row, err := st.Resolve(ctx, ref)
	if err != nil {
		return store.Summary{}, nil, redact.Hints{}, err
	}
	sum, err := st.SummaryByRow(ctx, row)
	if err != nil {
		return store.Summary{}, nil, redact.Hints{}, err
	}
	raw, err := st.Raw(ctx, row)
	if err != nil {
		return store.Summary{}, nil, redact.Hints{}, err
	}
	m, err := mail.Parse(raw)
	if err != nil {
		return store.Summary{}, nil, redact.Hints{}, fmt.Errorf("message %s: %w", sum.ID, err)
	}
	return sum, m, hintsOf(m), nil
}

// senderName is how a model request names the sender: the display name,
// else the address (redaction replaces either).
func senderName(m *pam.Message) string {
	if len(m.From) == 0 {
		return ""
	}
	if m.From[0].Name != "" {
		return m.From[0].Name
	}
	return m.From[0].Email
}

// quoteMessage is a message as the quoted data of a model request: its
// subject, sender and text.
func quoteMessage(label string, m *pam.Message) []llm.Quote {
	return []llm.Quote{{Label: label, Text: "Subject: " + m.Subject + "\nFrom: " + senderName(m) + "\n\n" + m.Text}}
}

// hintsOf are the redaction hints a message's headers give: the names and
// addresses of its sender and recipients.
func hintsOf(m *pam.Message) redact.Hints {
	var h redact.Hints
	for _, list := range [][]pam.Address{m.From, m.To, m.Cc, m.ReplyTo} {
		for _, a := range list {
			if a.Name != "" {
				h.People = append(h.People, a.Name)
			}
			if a.Email != "" {
				h.Emails = append(h.Emails, a.Email)
			}
		}
	}
	return h
}

func runPrivacy(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: pam privacy ledger [--json] | verify | stats [--json] | config [...]"}
	}
	switch args[0] {
	case "config":
		return runPrivacyConfig(ctx, env, args[1:])
	case "ledger":
		return runPrivacyLedger(ctx, env, args[1:])
	case "verify":
		return runPrivacyVerify(ctx, env, args[1:])
	case "stats":
		return runPrivacyStats(ctx, env, args[1:])
	}
	return usageError{fmt.Sprintf("pam privacy: unknown subcommand %q (ledger, verify, stats, config)", args[0])}
}

func runPrivacyLedger(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "privacy ledger", "[--json] [--body]")
	asJSON := fs.Bool("json", false, "one JSON object per egress (sent entry with its answer)")
	body := fs.Bool("body", false, "print the exact bytes sent")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	entries, torn, err := llm.ReadLedger(filepath.Join(env.Home, ledgerFile))
	if err != nil {
		return err
	}
	eg := llm.Pair(entries)
	enc := json.NewEncoder(env.Stdout)
	for _, e := range eg {
		if *asJSON {
			if err := enc.Encode(e); err != nil {
				return err
			}
			continue
		}
		status := "no answer recorded"
		if a := e.Answer; a != nil {
			status = fmt.Sprintf("%d in / %d out tokens, $%.4f", a.InputTokens, a.OutputTokens, float64(a.CostMicroUSD)/1e6)
			if a.Error != "" {
				status = "failed: " + clipRunes(a.Error, 80)
			}
		}
		fmt.Fprintf(env.Stdout, "#%d  %s  %-10s %s %s  %d bytes  %s\n", e.Sent.Seq, e.Sent.Time.Local().Format("2006-01-02 15:04:05"), e.Sent.Job, e.Sent.Provider, e.Sent.Model, len(e.Sent.Body), status)
		if *body {
			fmt.Fprintf(env.Stdout, "%s\n\n", e.Sent.Body)
		}
	}
	if !*asJSON && len(eg) == 0 {
		fmt.Fprintln(env.Stdout, "nothing has left this device: the ledger is empty")
	}
	if torn {
		fmt.Fprintln(env.Stderr, "pam privacy ledger: the last line is incomplete (a crash while writing); no request was sent for it")
	}
	return nil
}

// inventory is the set of known personal values on the device.
type inventory struct {
	values []string // lower-case
	kinds  map[string]string
}

// loadInventory collects the addresses and names in the store's addresses
// table: e-mail addresses, full display names, and names of two or more
// words. Single given names are not checked (too many are words).
func loadInventory(ctx context.Context, st *store.Store) (*inventory, error) {
	rows, err := st.DB().QueryContext(ctx, "SELECT email, name FROM addresses")
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	defer rows.Close()
	inv := &inventory{kinds: map[string]string{}}
	add := func(v, kind string) {
		v = strings.ToLower(strings.TrimSpace(v))
		if len([]rune(v)) < 5 {
			return
		}
		if _, ok := inv.kinds[v]; !ok {
			inv.kinds[v] = kind
			inv.values = append(inv.values, v)
		}
	}
	for rows.Next() {
		var email, name string
		if err := rows.Scan(&email, &name); err != nil {
			return nil, err
		}
		add(email, "address")
		name = strings.Trim(name, `"' `)
		if strings.Contains(name, ",") { // "Last, First"
			parts := strings.SplitN(name, ",", 2)
			name = strings.TrimSpace(parts[1]) + " " + strings.TrimSpace(parts[0])
		}
		if len(strings.Fields(name)) >= 2 && !strings.Contains(name, "@") {
			add(name, "name")
		}
	}
	return inv, rows.Err()
}

// leaks returns the known values found in text (case-insensitive, on word
// boundaries).
func (inv *inventory) leaks(text string) []string {
	low := strings.ToLower(text)
	var out []string
	for _, v := range inv.values {
		i := strings.Index(low, v)
		for i >= 0 {
			before, after := i == 0 || !isWordByte(low[i-1]), i+len(v) == len(low) || !isWordByte(low[i+len(v)])
			if before && after {
				out = append(out, inv.kinds[v]+" "+v)
				break
			}
			j := strings.Index(low[i+1:], v)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return out
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 0x80
}

func runPrivacyVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "privacy verify", "")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	entries, torn, err := llm.ReadLedger(filepath.Join(env.Home, ledgerFile))
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	inv, err := loadInventory(ctx, st)
	if err != nil {
		return err
	}
	bad := 0
	checked := 0
	for _, e := range llm.Pair(entries) {
		checked++
		var problems []string
		if e.Sent.BodySHA256 == "" || !bodyDigestOK(e.Sent) {
			problems = append(problems, "body digest does not match")
		}
		for _, l := range inv.leaks(e.Sent.Body) {
			problems = append(problems, "known "+l)
		}
		for _, s := range redact.Detect(userText(e.Sent.Body), redact.Hints{}) {
			if s.Type == redact.TypePerson || s.Type == redact.TypeOrg {
				continue // the detectors' guesses at names are noisy; the inventory checks real ones
			}
			problems = append(problems, "detector "+s.Type)
		}
		if len(problems) > 0 {
			bad++
			fmt.Fprintf(env.Stdout, "#%d %s %s: LEAK? %s\n", e.Sent.Seq, e.Sent.Time.Local().Format("2006-01-02 15:04"), e.Sent.Job, strings.Join(problems, "; "))
		}
	}
	fmt.Fprintf(env.Stdout, "checked %d egress entries against %d known values (addresses and names in the store) and the detectors: %d with findings\n", checked, len(inv.values), bad)
	if torn {
		fmt.Fprintln(env.Stdout, "note: the ledger's last line is incomplete (a crash while writing it; nothing was sent for it)")
	}
	if bad > 0 {
		return partialError{fmt.Sprintf("%d ledger entries carry known personal values", bad)}
	}
	return nil
}

func bodyDigestOK(e llm.Entry) bool {
	sum := sha256.Sum256([]byte(e.Body))
	return hex.EncodeToString(sum[:]) == e.BodySHA256
}

// userText pulls the human text out of a request body (Anthropic or
// OpenAI shape) so the detectors see text, not JSON escapes.
func userText(body string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	var b strings.Builder
	var walk func(x any, key string)
	walk = func(x any, key string) {
		switch t := x.(type) {
		case string:
			if key == "text" || key == "content" {
				b.WriteString(t)
				b.WriteByte('\n')
			}
		case map[string]any:
			for k, e := range t {
				if k == "output_config" || k == "response_format" {
					continue
				}
				walk(e, k)
			}
		case []any:
			for _, e := range t {
				walk(e, key)
			}
		}
	}
	walk(v, "")
	return b.String()
}

func runPrivacyStats(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "privacy stats", "[--json]")
	asJSON := fs.Bool("json", false, "JSON output")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	recs, err := router.ReadJobs(filepath.Join(env.Home, router.JobsFile))
	if err != nil {
		return err
	}
	s := router.Summarise(recs)
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(s)
	}
	printStats(env.Stdout, s)
	return nil
}

func printStats(w io.Writer, s router.Stats) {
	if s.Total == 0 {
		fmt.Fprintln(w, "no AI jobs recorded yet")
		return
	}
	fmt.Fprintf(w, "AI jobs answered without the cloud: %d of %d (%.1f%%)\n", s.Local, s.Total, 100*s.LocalShare)
	for _, j := range s.JobNames() {
		r := s.ByJob[j]
		fmt.Fprintf(w, "  %-11s %4d jobs, %d to the cloud\n", j, r.Total, r.Cloud)
	}
}

func llmReadLedger(env *Env) ([]llm.Entry, bool, error) {
	return llm.ReadLedger(filepath.Join(env.Home, ledgerFile))
}

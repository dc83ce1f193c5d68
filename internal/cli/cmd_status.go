package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
)

func init() {
	register(&command{Name: "status", Summary: "where PAM stands: data, queues, accounts, daemon, sync, models, privacy settings", Run: runStatus})
}

// statusReport is what pam status says; --json prints it as is.
type statusReport struct {
	Home        string          `json:"home"`
	StoreBytes  int64           `json:"store_bytes"`
	IndexBytes  int64           `json:"index_bytes"`
	Messages    int             `json:"messages"`
	Threads     int             `json:"threads"`
	Unread      int             `json:"unread"`
	Unreadable  int             `json:"unreadable"`    // import failures kept with what was wrong
	AIQueue     int             `json:"ai_queue"`      // messages waiting for the AI pipeline
	Accounts    []statusAccount `json:"accounts"`      // IMAP
	Calendars   int             `json:"calendars"`     // local and CalDAV
	OpenTasks   int             `json:"open_tasks"`    // your to-dos
	Overdue     int             `json:"overdue_tasks"` // of them, past due
	WaitingOn   int             `json:"waiting_on"`    // what others owe you
	Daemon      string          `json:"daemon"`        // "running (pid N)" or "not running"
	Sync        string          `json:"sync"`          // "off" or "on (scope …)"
	Models      []string        `json:"models"`        // active name@version
	Offline     bool            `json:"offline"`
	Escalation  []string        `json:"escalation"` // jobs whose policy is not never
	BudgetUSD   float64         `json:"monthly_budget_usd"`
	SpentUSD    float64         `json:"spent_this_month_usd"`
	CloudCalls  int             `json:"cloud_requests"` // sent entries in the ledger
	LedgerTorn  bool            `json:"ledger_torn,omitempty"`
	Problems    []string        `json:"problems,omitempty"`
	GeneratedAt time.Time       `json:"generated_at"`
}

type statusAccount struct {
	Name    string `json:"name"`
	Host    string `json:"host"`
	Queued  int    `json:"queued_changes"` // moves, archives, deletes for the server
	Drafts  int    `json:"queued_drafts"`
	Refused int    `json:"refused"` // queued items the server refused (kept, retried)
}

func runStatus(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "status", "[--json]")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(env.Home, "pam.db")); errors.Is(err, iofs.ErrNotExist) {
		if *asJSON {
			return json.NewEncoder(env.Stdout).Encode(map[string]any{"home": env.Home, "messages": 0, "empty": true})
		}
		fmt.Fprintf(env.Stdout, "no PAM data in %s yet (pam import, pam account add, or pam demo to look around)\n", env.Home)
		return nil
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := gatherStatus(ctx, env, st, time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(r)
	}
	printStatus(env, r)
	return nil
}

func gatherStatus(ctx context.Context, env *Env, st *store.Store, now time.Time) (statusReport, error) {
	r := statusReport{Home: env.Home, GeneratedAt: now.UTC(), Accounts: []statusAccount{}, Models: []string{}, Escalation: []string{}}
	r.StoreBytes = fileSize(filepath.Join(env.Home, "pam.db")) + fileSize(filepath.Join(env.Home, "pam.db-wal"))
	r.IndexBytes = fileSize(filepath.Join(env.Home, "search.db")) + fileSize(filepath.Join(env.Home, "search.db-wal"))
	c, err := st.Count(ctx)
	if err != nil {
		return r, err
	}
	r.Messages, r.Threads, r.Unread, r.Unreadable = c.Messages, c.Threads, c.Unread, c.Failures
	db := st.DB()
	count := func(q string, args ...any) int {
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("status query: %v", err))
		}
		return n
	}
	r.AIQueue = count("SELECT count(*) FROM pending")
	r.Calendars = count("SELECT count(*) FROM calendars")
	r.OpenTasks = count("SELECT count(*) FROM tasks WHERE status = 'open' AND kind = 'todo'")
	r.Overdue = count("SELECT count(*) FROM tasks WHERE status = 'open' AND kind = 'todo' AND due IS NOT NULL AND due < ?", now.Unix())
	r.WaitingOn = count("SELECT count(*) FROM tasks WHERE status = 'open' AND kind = 'waiting'")
	accts, err := account.NewStore(db).List(ctx, "imap")
	if err != nil {
		return r, err
	}
	for _, a := range accts {
		r.Accounts = append(r.Accounts, statusAccount{
			Name:    a.Name,
			Host:    a.Host,
			Queued:  count("SELECT count(*) FROM imap_outbox WHERE account = ?", a.Name),
			Drafts:  count("SELECT count(*) FROM imap_drafts WHERE account = ?", a.Name),
			Refused: count("SELECT (SELECT count(*) FROM imap_outbox WHERE account = ?1 AND error != '') + (SELECT count(*) FROM imap_drafts WHERE account = ?1 AND error != '')", a.Name),
		})
	}
	r.Daemon = "not running"
	if cl, err := daemon.Connect(ctx, env.Home); err == nil {
		if ds, err := cl.Status(ctx); err == nil {
			r.Daemon = fmt.Sprintf("running (pid %d, since %s)", ds.PID, ds.Started.Local().Format("2006-01-02 15:04"))
		}
	}
	r.Sync = "off"
	if on, err := syncclient.Configured(ctx, db); err != nil {
		r.Problems = append(r.Problems, err.Error())
	} else if on {
		var scope string
		db.QueryRowContext(ctx, "SELECT value FROM sync_meta WHERE key = 'scope'").Scan(&scope)
		r.Sync = fmt.Sprintf("on (scope %s; %d change(s) to push)", scope, count("SELECT count(*) FROM sync_pending"))
	}
	if specs, err := modelRegistry(env).List(); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("models: %v", err))
	} else {
		for _, m := range specs {
			if m.Active {
				r.Models = append(r.Models, m.Name+"@"+m.Version)
			}
		}
	}
	cfg, err := router.LoadConfig(filepath.Join(env.Home, router.ConfigFile))
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("privacy settings: %v", err))
	}
	r.Offline = cfg.Offline || env.Offline
	for job, p := range cfg.Policies {
		if p != router.Never && p != "" {
			r.Escalation = append(r.Escalation, fmt.Sprintf("%s: %s", job, p))
		}
	}
	sort.Strings(r.Escalation)
	r.BudgetUSD = cfg.MonthlyBudgetUSD
	entries, torn, err := llm.ReadLedger(filepath.Join(env.Home, ledgerFile))
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("ledger: %v", err))
	}
	r.LedgerTorn = torn
	r.SpentUSD = float64(llm.SpentMicroUSD(entries, now)) / 1e6
	for _, e := range entries {
		if e.Kind == "sent" {
			r.CloudCalls++
		}
	}
	return r, nil
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func printStatus(env *Env, r statusReport) {
	w := env.Stdout
	fmt.Fprintf(w, "data       %s (store %s, search index %s)\n", r.Home, humanBytes(r.StoreBytes), humanBytes(r.IndexBytes))
	fmt.Fprintf(w, "mail       %d messages in %d threads, %d unread", r.Messages, r.Threads, r.Unread)
	if r.Unreadable > 0 {
		fmt.Fprintf(w, "; %d could not be read (kept with what was wrong)", r.Unreadable)
	}
	if r.AIQueue > 0 {
		fmt.Fprintf(w, "; %d waiting for the AI pipeline (pam classify --pending)", r.AIQueue)
	}
	fmt.Fprintln(w)
	if len(r.Accounts) == 0 {
		fmt.Fprintln(w, "accounts   none (pam account add imap …)")
	}
	for _, a := range r.Accounts {
		fmt.Fprintf(w, "account    %s (%s)", a.Name, a.Host)
		if a.Queued+a.Drafts > 0 {
			fmt.Fprintf(w, ": %d change(s) and %d draft(s) queued for the server", a.Queued, a.Drafts)
		}
		if a.Refused > 0 {
			fmt.Fprintf(w, ", %d refused so far (retried at the next fetch)", a.Refused)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "calendars  %d\n", r.Calendars)
	fmt.Fprintf(w, "tasks      %d open (%d overdue), waiting on others for %d\n", r.OpenTasks, r.Overdue, r.WaitingOn)
	fmt.Fprintf(w, "daemon     %s\n", r.Daemon)
	fmt.Fprintf(w, "sync       %s\n", r.Sync)
	fmt.Fprintf(w, "models     %s\n", strings.Join(r.Models, ", "))
	esc := "never, for every job"
	if len(r.Escalation) > 0 {
		esc = strings.Join(r.Escalation, ", ")
	}
	off := ""
	if r.Offline {
		off = "offline; "
	}
	fmt.Fprintf(w, "privacy    %sescalation %s; budget $%.2f/month, $%.2f spent this month; %d request(s) in the ledger\n",
		off, esc, r.BudgetUSD, r.SpentUSD, r.CloudCalls)
	if r.LedgerTorn {
		fmt.Fprintln(w, "           the ledger's last line is torn (a crash while writing it): pam privacy verify")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem    %s\n", p)
	}
}

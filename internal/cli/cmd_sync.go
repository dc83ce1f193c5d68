package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/syncclient"
	"github.com/pam-ai/pam/internal/syncclient/pamstate"
)

func init() {
	register(&command{Name: "sync", Summary: "end-to-end encrypted sync of tasks, labels… between your devices", Run: runSync})
	registerServeServices(syncServices)
}

// syncService is the background sync loop as a pam serve service.
type syncService struct{ *syncclient.Loop }

func (syncService) Name() string { return "sync" }

// syncServices gives pam serve the sync loop when sync is set up.
func syncServices(ctx context.Context, d serveDeps) ([]daemon.Service, error) {
	ok, err := syncclient.Configured(ctx, d.Store.DB())
	if err != nil || !ok {
		return nil, err
	}
	c, err := syncclient.Open(ctx, syncclient.Options{Home: d.Env.Home, DB: d.Store.DB(), Logger: d.Logger})
	if err != nil {
		return nil, err
	}
	if u, _ := syncclient.CheckRelayURL(c.RelayURL()); u != nil {
		if err := checkOffline(d.Env, u); err != nil {
			return nil, err
		}
	}
	pamstate.Register(c, d.Store)
	return []daemon.Service{syncService{&syncclient.Loop{Client: c, Interval: d.Poll}}}, nil
}

const syncUsage = `[init --relay URL [--scope LIST] [--passphrase-file F] | invite | join --relay URL --invite CODE |
              status [--json] | scope [LIST] | revoke DEVICE | snapshot]
  pam sync            push queued changes and pull the other devices' once`

// scopeNames maps what the user types to crdt collections.
var scopeNames = map[string]string{
	"tasks": crdt.CollTask, "task": crdt.CollTask,
	"labels": crdt.CollLabel, "label": crdt.CollLabel,
	"corrections": crdt.CollCorrection, "correction": crdt.CollCorrection,
	"templates": crdt.CollTemplate, "template": crdt.CollTemplate,
	"proposals": crdt.CollProposal, "proposal": crdt.CollProposal,
	"contacts": crdt.CollContact, "contact": crdt.CollContact,
}

func parseScope(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" || s == "all" {
		return syncclient.DefaultScope, nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		c, ok := scopeNames[p]
		if !ok {
			if _, err := syncclient.CheckScope([]string{p}); errors.Is(err, syncclient.ErrDeviceLocal) {
				return nil, usageError{fmt.Sprintf("scope %q: privacy settings (escalation policies, provider URLs, budget) are device-local and never sync", p)}
			}
			return nil, usageError{fmt.Sprintf("scope %q: want some of tasks, labels, corrections, templates, proposals, contacts", p)}
		}
		out = append(out, c)
	}
	return syncclient.CheckScope(out)
}

func showScope(scope []string) string {
	plural := map[string]string{}
	for k, v := range scopeNames {
		if strings.HasSuffix(k, "s") {
			plural[v] = k
		}
	}
	var out []string
	for _, c := range scope {
		if p, ok := plural[c]; ok {
			out = append(out, p)
		} else {
			out = append(out, c)
		}
	}
	return strings.Join(out, ", ")
}

func runSync(ctx context.Context, env *Env, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "":
		return syncOnce(ctx, env, args)
	case "init":
		return syncInit(ctx, env, args)
	case "invite":
		return syncInvite(ctx, env, args)
	case "join":
		return syncJoin(ctx, env, args)
	case "status":
		return syncStatus(ctx, env, args)
	case "scope":
		return syncScope(ctx, env, args)
	case "revoke":
		return syncRevoke(ctx, env, args)
	case "snapshot":
		return syncSnapshot(ctx, env, args)
	}
	return usageError{fmt.Sprintf("unknown sync command %q; usage: pam sync %s", sub, syncUsage)}
}

// checkRelayFlag validates the relay URL and honours --offline.
func checkRelayFlag(env *Env, raw string) error {
	if raw == "" {
		return usageError{"--relay URL is required"}
	}
	u, err := syncclient.CheckRelayURL(raw)
	if err != nil {
		return usageError{err.Error()}
	}
	return checkOffline(env, u)
}

func checkOffline(env *Env, u *url.URL) error {
	if env.Offline && !syncclient.IsLoopback(u.Hostname()) {
		return fmt.Errorf("offline mode: the relay %s is not on loopback", u.Host)
	}
	return nil
}

func openSync(ctx context.Context, env *Env) (*syncclient.Client, func(), error) {
	st, err := openStore(ctx, env)
	if err != nil {
		return nil, nil, err
	}
	c, err := syncclient.Open(ctx, syncclient.Options{Home: env.Home, DB: st.DB()})
	if err != nil {
		st.Close()
		if errors.Is(err, syncclient.ErrNotConfigured) {
			return nil, nil, fmt.Errorf("%w: %v", pam.ErrNotFound, err)
		}
		return nil, nil, err
	}
	st2, _ := syncclient.CheckRelayURL(c.RelayURL())
	if st2 != nil {
		if err := checkOffline(env, st2); err != nil {
			st.Close()
			return nil, nil, err
		}
	}
	pamstate.Register(c, st)
	return c, func() { st.Close() }, nil
}

func syncInit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync init", "--relay URL [--scope tasks,labels,…] [--passphrase-file F]")
	relay := fs.String("relay", "", "relay URL (https://…, or http:// to a loopback address)")
	scope := fs.String("scope", "all", "what to sync: tasks, labels, corrections, templates, proposals, contacts")
	passFile := fs.String("passphrase-file", "", "read the recovery passphrase from this file (default: prompt)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{"pam sync init takes no arguments"}
	}
	if err := checkRelayFlag(env, *relay); err != nil {
		return err
	}
	sc, err := parseScope(*scope)
	if err != nil {
		return err
	}
	pass, err := readPassphrase(env, *passFile)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(env.Stdout, "Syncing: %s\n(never synced: mail itself, escalation policies, provider URLs, budget)\n", showScope(sc))
	res, err := syncclient.Init(ctx, syncclient.Options{Home: env.Home, DB: st.DB()}, *relay, sc, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Account %s created on %s; this device is %s.\n", res.Client.Account(), *relay, res.Client.Device())
	fmt.Fprintf(env.Stdout, "\nRecovery key (shown once; write it down and keep it offline):\n\n    %s\n\n", res.RecoveryKey)
	fmt.Fprintln(env.Stdout, "Add another device with: pam sync invite")
	return nil
}

// readPassphrase reads the passphrase from a file (first line) or, on a
// terminal, from two prompts.
func readPassphrase(env *Env, file string) ([]byte, error) {
	var pass []byte
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("passphrase file: %w", err)
		}
		pass = []byte(strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"))
	} else {
		f, ok := env.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return nil, usageError{"no terminal to ask for a passphrase: use --passphrase-file"}
		}
		fmt.Fprint(env.Stderr, "Recovery passphrase: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return nil, err
		}
		fmt.Fprint(env.Stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return nil, err
		}
		if string(p1) != string(p2) {
			return nil, usageError{"the passphrases differ"}
		}
		pass = p1
	}
	if len([]rune(string(pass))) < 10 {
		return nil, usageError{"the passphrase must have at least 10 characters"}
	}
	return pass, nil
}

func syncInvite(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync invite", "[--ttl 30m]")
	ttl := fs.Duration("ttl", 30*time.Minute, "how long the invite stays valid (the relay caps it)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	inv, err := c.Invite(ctx, *ttl)
	if err != nil {
		return err
	}
	st, _ := c.Status(ctx)
	fmt.Fprintf(env.Stdout, "On the new device run (valid %s, once):\n\n    pam sync join --relay %s --invite %s\n\n", *ttl, st.Relay, inv)
	fmt.Fprintln(env.Stdout, "The part after the dot is a secret: send it over a channel you trust, not through the relay's operator.")
	return nil
}

func syncJoin(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync join", "--relay URL --invite CODE")
	relay := fs.String("relay", "", "relay URL")
	invite := fs.String("invite", "", "the invite printed by pam sync invite")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkRelayFlag(env, *relay); err != nil {
		return err
	}
	if *invite == "" {
		return usageError{"--invite CODE is required"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := syncclient.Join(ctx, syncclient.Options{Home: env.Home, DB: st.DB()}, *relay, *invite)
	if err != nil && c == nil {
		return err
	}
	if err == nil {
		// Join pulled everything: write it into the tasks and corrections.
		pamstate.Register(c, st)
		err = c.Import(ctx)
	}
	fmt.Fprintf(env.Stdout, "Joined account %s as device %s. Syncing: %s\n", c.Account(), c.Device(), showScope(c.Scope()))
	return err
}

func syncOnce(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync", syncUsage)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	rep, err := c.Sync(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "pushed %d batches, pulled %d (%d changes applied)\n", rep.Pushed, rep.Pulled, rep.Applied)
	if rep.Held > 0 {
		fmt.Fprintf(env.Stdout, "%d changes held back: another device's clock is more than an hour ahead\n", rep.Held)
	}
	for _, e := range rep.Refused {
		fmt.Fprintf(env.Stderr, "refused: %v\n", e)
	}
	if len(rep.Refused) > 0 {
		return partialError{fmt.Sprintf("%d device chains failed verification", len(rep.Refused))}
	}
	return nil
}

func syncStatus(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync status", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	last := "never"
	if st.LastSync != nil {
		last = st.LastSync.Local().Format(time.RFC3339)
	}
	fmt.Fprintf(env.Stdout, "relay:    %s\naccount:  %s\ndevice:   %s\nscope:    %s\nepoch:    %d\nlast sync: %s\nqueued:   %d changes, %d batches not yet acknowledged\n",
		st.Relay, st.Account, st.Device, showScope(st.Scope), st.Epoch, last, st.Queued, st.Unacked)
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nDEVICE\tSTATE\tBATCHES SEEN")
	for _, d := range st.Devices {
		state := "active"
		if d.Revoked != 0 {
			state = fmt.Sprintf("revoked (epoch %d)", d.Revoked)
		}
		seen := fmt.Sprint(st.Cursors[d.ID])
		if d.Self {
			state += " (this device)"
			seen = fmt.Sprint(st.Acked)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.ID, state, seen)
	}
	return tw.Flush()
}

func syncScope(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync scope", "[tasks,labels,…|all]")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	if len(rest) > 0 {
		sc, err := parseScope(strings.Join(rest, ","))
		if err != nil {
			return err
		}
		if err := c.SetScope(ctx, sc); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "Syncing: %s\n", showScope(c.Scope()))
	return nil
}

func syncRevoke(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync revoke", "DEVICE")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"usage: pam sync revoke DEVICE (see pam sync status)"}
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	if err := c.Revoke(ctx, rest[0]); err != nil {
		return err
	}
	st, _ := c.Status(ctx)
	fmt.Fprintf(env.Stdout, "Revoked %s. New epoch %d: its key went to the remaining devices only.\n", rest[0], st.Epoch)
	return nil
}

func syncSnapshot(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sync snapshot", "")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, done, err := openSync(ctx, env)
	if err != nil {
		return err
	}
	defer done()
	if _, err := c.Sync(ctx); err != nil {
		return err
	}
	if err := c.PushSnapshot(ctx); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Snapshot uploaded: new devices start from it.")
	return nil
}

package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/mail/imap"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "account", Summary: "add, list or remove connected accounts (IMAP)", Usage: "add imap --host H --user U [--port N] [--tls|--starttls|--plain] [--ca-file F] [--password-file F] [--no-check] | list [--json] | remove NAME", Run: runAccount})
}

// passwordEnv is the environment variable an IMAP password may come from.
const passwordEnv = "PAM_IMAP_PASSWORD"

func runAccount(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"account: say add, list or remove (pam account add imap --host H --user U)"}
	}
	switch args[0] {
	case "add":
		if len(args) < 2 || args[1] != "imap" {
			return usageError{"account add: only imap accounts for now: pam account add imap --host H --user U"}
		}
		return runAccountAddIMAP(ctx, env, args[2:])
	case "list", "ls":
		return runAccountList(ctx, env, args[1:])
	case "remove", "rm":
		return runAccountRemove(ctx, env, args[1:])
	default:
		return usageError{fmt.Sprintf("account: unknown subcommand %q (add, list, remove)", args[0])}
	}
}

// secretsFor returns where account passwords are kept: the OS keyring
// when a Secret Service answers on the D-Bus session bus, else the 0600
// file in the data directory.
func secretsFor(env *Env) account.Secrets {
	return account.OpenSecrets(context.Background(), env.Home, os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
}

func runAccountAddIMAP(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "account add imap", "[NAME] --host H [--port P] --user U [--tls|--starttls|--plain] [--ca-file F] [--password-file F] [--no-check]")
	var a account.Account
	var tls, starttls, plain, noCheck bool
	var pwFile string
	fs.StringVar(&a.Host, "host", "", "IMAP server host name or address")
	fs.IntVar(&a.Port, "port", 0, "port (default 993 with --tls, 143 otherwise)")
	fs.StringVar(&a.User, "user", "", "login name")
	fs.BoolVar(&tls, "tls", false, "implicit TLS (the default)")
	fs.BoolVar(&starttls, "starttls", false, "STARTTLS on the plain port")
	fs.BoolVar(&plain, "plain", false, "no encryption (loopback addresses only)")
	fs.StringVar(&a.CAFile, "ca-file", "", "PEM certificate(s) to trust for this server (self-signed)")
	fs.StringVar(&pwFile, "password-file", "", "read the password from this file (else $"+passwordEnv+", else a prompt)")
	fs.BoolVar(&noCheck, "no-check", false, "save without logging in first")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{"account add imap: at most one NAME"}
	}
	a.Kind, a.Security = account.KindIMAP, string(imap.SecurityTLS)
	switch {
	case btoi(tls)+btoi(starttls)+btoi(plain) > 1:
		return usageError{"account add imap: choose one of --tls, --starttls, --plain"}
	case starttls:
		a.Security = string(imap.SecuritySTARTTLS)
	case plain:
		a.Security = string(imap.SecurityPlain)
	}
	a.Name = a.Host
	if len(pos) == 1 {
		a.Name = pos[0]
	}
	if a.CAFile != "" {
		if abs, err := absPath(a.CAFile); err == nil {
			a.CAFile = abs
		}
	}
	cfg := imapConfig(env, a, "")
	if err := cfg.Validate(); err != nil {
		return usageError{"account add imap: " + err.Error()}
	}
	pw, err := readIMAPPassword(env, pwFile, a)
	if err != nil {
		return err
	}
	cfg.Password = pw
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	accts := account.NewStore(st.DB())
	if _, err := accts.Get(ctx, a.Name); err == nil {
		return fmt.Errorf("account %s already exists (pam account remove %s first): %w", a.Name, a.Name, pam.ErrConflict)
	}
	if !noCheck {
		if err := imap.CheckLogin(ctx, cfg); err != nil {
			return err
		}
	}
	sec := secretsFor(env)
	if err := sec.Set(a.SecretKey(), pw); err != nil {
		return err
	}
	if err := accts.Add(ctx, a); err != nil {
		sec.Delete(a.SecretKey())
		return err
	}
	fmt.Fprintf(env.Stdout, "added account %s: %s@%s (%s)\n", a.Name, a.User, cfg.Host, a.Security)
	fmt.Fprintf(env.Stdout, "password kept in %s\n", sec.Where())
	fmt.Fprintf(env.Stdout, "fetch its mail with: pam fetch %s\n", a.Name)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func absPath(p string) (string, error) {
	if strings.HasPrefix(p, "/") {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return wd + "/" + p, nil
}

// readPassword takes the password from --password-file, else the
// environment, else a terminal prompt without echo.
func readIMAPPassword(env *Env, file string, a account.Account) (string, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		pw := strings.TrimRight(string(data), "\r\n")
		if pw == "" {
			return "", usageError{"password file " + file + " is empty"}
		}
		return pw, nil
	}
	if pw := os.Getenv(passwordEnv); pw != "" {
		return pw, nil
	}
	f, ok := env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError{"no password: give --password-file FILE or set " + passwordEnv + " (no terminal to prompt on)"}
	}
	fmt.Fprintf(env.Stderr, "password for %s@%s: ", a.User, a.Host)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if len(b) == 0 {
		return "", usageError{"empty password"}
	}
	return string(b), nil
}

// imapConfig turns saved settings into the IMAP source's configuration.
func imapConfig(env *Env, a account.Account, password string) imap.Config {
	return imap.Config{Account: a.Name, Host: a.Host, Port: a.Port, User: a.User, Password: password,
		Security: imap.Security(a.Security), CAFile: a.CAFile, Offline: env.Offline}
}

// imapAccounts returns the IMAP accounts (only name when given) with
// their passwords.
func imapAccounts(ctx context.Context, env *Env, st *store.Store, name string) ([]imap.Config, error) {
	accts := account.NewStore(st.DB())
	var list []account.Account
	if name != "" {
		a, err := accts.Get(ctx, name)
		if err != nil {
			return nil, err
		}
		if a.Kind != account.KindIMAP {
			return nil, fmt.Errorf("account %s is not an IMAP account: %w", name, pam.ErrInvalid)
		}
		list = []account.Account{a}
	} else {
		var err error
		if list, err = accts.List(ctx, account.KindIMAP); err != nil {
			return nil, err
		}
	}
	sec := secretsFor(env)
	var out []imap.Config
	for _, a := range list {
		pw, err := sec.Get(a.SecretKey())
		if errors.Is(err, pam.ErrNotFound) {
			return nil, fmt.Errorf("account %s has no password saved (remove and add it again)", a.Name)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, imapConfig(env, a, pw))
	}
	return out, nil
}

func runAccountList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "account list", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := account.NewStore(st.DB()).List(ctx, "")
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []account.Account{}
		}
		return json.NewEncoder(env.Stdout).Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "no accounts (add one with: pam account add imap --host H --user U)")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSERVER\tUSER\tSECURITY")
	for _, a := range list {
		server := a.Host
		if a.Port != 0 {
			server = fmt.Sprintf("%s:%d", a.Host, a.Port)
		}
		if a.URL != "" {
			server = a.URL
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Kind, server, a.User, a.Security)
	}
	return tw.Flush()
}

func runAccountRemove(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "account remove", "NAME")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"account remove: give one account NAME"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	accts := account.NewStore(st.DB())
	a, err := accts.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if err := accts.Remove(ctx, a.Name); err != nil {
		return err
	}
	if err := secretsFor(env).Delete(a.SecretKey()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "removed account %s and its password (the mail already fetched stays)\n", a.Name)
	return nil
}

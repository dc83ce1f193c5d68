package cli

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/testserver/secretservice"
)

// TestAccountPasswordInKeyring: with a Secret Service on the session bus
// (a real gnome-keyring on a private bus), `pam account add` keeps the
// password in the keyring, not in the data directory, and `pam account
// remove` deletes it from the keyring.
func TestAccountPasswordInKeyring(t *testing.T) {
	srv := secretservice.Start(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", srv.Address)
	home := filepath.Join(t.TempDir(), "home")
	const pw = "Zt4#keyring-only-secret"
	pf := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pf, []byte(pw+"\n"), 0o600)
	out, code := runPam(t, home, "account", "add", "imap", "work", "--host", "imap.example.org", "--user", "me", "--no-check", "--password-file", pf)
	if code != 0 {
		t.Fatalf("account add = %d %q", code, out)
	}
	if !strings.Contains(out, "keyring") {
		t.Errorf("account add says %q, want it to name the keyring", out)
	}
	ctx := context.Background()
	if got, err := srv.Lookup(ctx, "application", "pam", "key", "imap:work"); err != nil || got != pw {
		t.Errorf("secret-tool lookup = %q, %v, want the password", got, err)
	}
	if _, err := os.Stat(filepath.Join(home, account.SecretsFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s exists (%v), want none when the keyring is used", account.SecretsFile, err)
	}
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), pw) {
			t.Errorf("%s holds the password", p)
		}
		return nil
	})
	if out, code := runPam(t, home, "account", "remove", "work"); code != 0 {
		t.Fatalf("account remove = %d %q", code, out)
	}
	if got, err := srv.Lookup(ctx, "application", "pam", "key", "imap:work"); err == nil && got != "" {
		t.Errorf("after remove, secret-tool lookup = %q, want nothing", got)
	}
}

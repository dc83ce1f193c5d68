package account

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/testserver/secretservice"
)

// openKeyring returns PAM's keyring on srv for a fresh data directory.
func openKeyring(t *testing.T, srv *secretservice.Server) (*Keyring, string) {
	t.Helper()
	home := t.TempDir()
	sec := OpenSecrets(context.Background(), home, srv.Address)
	k, ok := sec.(*Keyring)
	if !ok {
		t.Fatalf("OpenSecrets with gnome-keyring on the bus = %T (%s), want *Keyring", sec, sec.Where())
	}
	return k, home
}

// TestKeyringGnomeKeyring stores an account's password through PAM into a
// real gnome-keyring, reads it back with libsecret's secret-tool, and
// checks it is neither in the data directory nor in the database.
func TestKeyringGnomeKeyring(t *testing.T) {
	ctx := context.Background()
	srv := secretservice.Start(t)
	k, home := openKeyring(t, srv)
	if w := k.Where(); !strings.HasPrefix(w, "the keyring (Secret Service") {
		t.Errorf("Where() = %q, want the keyring", w)
	}

	st, err := store.Open(ctx, filepath.Join(home, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	a := Account{Name: "work", Kind: KindIMAP, Host: "imap.example.org", User: "me", Security: "tls"}
	if err := NewStore(st.DB()).Add(ctx, a); err != nil {
		t.Fatal(err)
	}
	const pw = "Kq7!zR2-correct horse battery"
	if err := k.Set(a.SecretKey(), pw); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(a.SecretKey()); err != nil || got != pw {
		t.Errorf("Get(%s) = %q, %v, want %q", a.SecretKey(), got, err, pw)
	}
	got, err := srv.Lookup(ctx, "application", "pam", "home", home, "key", "imap:work")
	if err != nil || got != pw {
		t.Errorf("secret-tool lookup = %q, %v, want %q", got, err, pw)
	}
	st.Close()

	// Not in the data directory (database, WAL, any other file).
	if _, err := os.Stat(filepath.Join(home, SecretsFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s exists (%v), want no secrets file when the keyring is used", SecretsFile, err)
	}
	var files int
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(p)
		if err != nil {
			t.Error(err)
			return nil
		}
		if bytes.Contains(data, []byte(pw)) {
			t.Errorf("%s holds the password", p)
		}
		return nil
	})
	if files == 0 {
		t.Error("the data directory is empty; the database was not written")
	}
	// Nor in clear in gnome-keyring's own files.
	kf, err := srv.Files()
	if err != nil || len(kf) == 0 {
		t.Fatalf("keyring files = %v, %v, want some", kf, err)
	}
	for _, p := range kf {
		data, _ := os.ReadFile(p)
		if bytes.Contains(data, []byte(pw)) {
			t.Errorf("%s holds the password in clear", p)
		}
	}

	// Set again replaces the item rather than adding one.
	if err := k.Set(a.SecretKey(), "second"); err != nil {
		t.Fatal(err)
	}
	out, err := srv.SecretTool(ctx, "search", "--all", "application", "pam", "home", home, "key", "imap:work")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, "\nsecret = "); n != 1 || !strings.Contains(out, "\nsecret = second\n") {
		t.Errorf("secret-tool search after a second Set found %d items:\n%s\nwant one with secret second", n, out)
	}
	if !strings.Contains(out, "\nlabel = PAM: imap:work\n") {
		t.Errorf("secret-tool search:\n%s\nwant label PAM: imap:work", out)
	}

	// Another data directory does not see it.
	other, _ := openKeyring(t, srv)
	if got, err := other.Get(a.SecretKey()); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Get from another data directory = %q, %v, want ErrNotFound", got, err)
	}

	if err := k.Delete(a.SecretKey()); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(a.SecretKey()); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Get after Delete = %q, %v, want ErrNotFound", got, err)
	}
	if got, err := srv.Lookup(ctx, "application", "pam", "home", home, "key", "imap:work"); err == nil && got != "" {
		t.Errorf("secret-tool lookup after Delete = %q, want nothing", got)
	}
	if err := k.Delete(a.SecretKey()); err != nil {
		t.Errorf("Delete of an unknown key = %v, want nil", err)
	}
}

// TestKeyringReadsOtherClients reads an item written by secret-tool, so
// the encrypted session decodes what another implementation sent.
func TestKeyringReadsOtherClients(t *testing.T) {
	ctx := context.Background()
	srv := secretservice.Start(t)
	k, home := openKeyring(t, srv)
	for _, pw := range []string{"x", "exactly16bytes!!", "ünïcødé and spaces ", strings.Repeat("long", 100)} {
		if err := srv.Store(ctx, "PAM: caldav:home", pw, "application", "pam", "home", home, "key", "caldav:home"); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Get("caldav:home"); err != nil || got != pw {
			t.Errorf("Get(caldav:home) after secret-tool stored %q = %q, %v", pw, got, err)
		}
	}
}

// TestKeyringLocked: a locked collection gives ErrKeyringLocked and no
// fallback to the file.
func TestKeyringLocked(t *testing.T) {
	ctx := context.Background()
	srv := secretservice.Start(t)
	k, home := openKeyring(t, srv)
	if err := k.Set("imap:work", "pw"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := OpenSecrets(ctx, home, srv.Address).(*Keyring); !ok {
		t.Error("OpenSecrets with a locked keyring did not choose the keyring")
	}
	if got, err := k.Get("imap:work"); !errors.Is(err, ErrKeyringLocked) {
		t.Errorf("Get when locked = %q, %v, want ErrKeyringLocked", got, err)
	}
	if err := k.Set("imap:other", "pw2"); !errors.Is(err, ErrKeyringLocked) {
		t.Errorf("Set when locked = %v, want ErrKeyringLocked", err)
	}
	if err := k.Delete("imap:work"); !errors.Is(err, ErrKeyringLocked) {
		t.Errorf("Delete when locked = %v, want ErrKeyringLocked", err)
	}
	if _, err := os.Stat(filepath.Join(home, SecretsFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a locked keyring wrote %s (%v)", SecretsFile, err)
	}
}

// TestKeyringMovesFileSecrets: a password saved in the file before the
// keyring was reachable is still found, and leaves the file on Set.
func TestKeyringMovesFileSecrets(t *testing.T) {
	srv := secretservice.Start(t)
	k, home := openKeyring(t, srv)
	file := NewFileSecrets(home)
	if err := file.Set("imap:old", "from-the-file"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("imap:old"); err != nil || got != "from-the-file" {
		t.Errorf("Get(imap:old) = %q, %v, want the file's value", got, err)
	}
	if err := k.Set("imap:old", "in-the-keyring"); err != nil {
		t.Fatal(err)
	}
	if got, err := file.Get("imap:old"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("file Get after keyring Set = %q, %v, want ErrNotFound", got, err)
	}
	if got, err := k.Get("imap:old"); err != nil || got != "in-the-keyring" {
		t.Errorf("Get(imap:old) = %q, %v, want in-the-keyring", got, err)
	}
	data, _ := os.ReadFile(filepath.Join(home, SecretsFile))
	if bytes.Contains(data, []byte("from-the-file")) || bytes.Contains(data, []byte("in-the-keyring")) {
		t.Errorf("%s still holds a password: %s", SecretsFile, data)
	}
}

// TestOpenSecretsFallback: without a Secret Service, the 0600 file.
func TestOpenSecretsFallback(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	bus := secretservice.StartBus(t) // a bus on which nothing answers
	for _, tc := range []struct{ name, addr string }{
		{"no bus", ""},
		{"bus without a keyring", bus.Address},
		{"dead socket", "unix:path=" + filepath.Join(home, "no-such-socket")},
	} {
		sec := OpenSecrets(ctx, home, tc.addr)
		if _, ok := sec.(*FileSecrets); !ok {
			t.Errorf("%s: OpenSecrets = %T, want *FileSecrets", tc.name, sec)
		}
		if want := filepath.Join(home, SecretsFile) + " (mode 0600)"; sec.Where() != want {
			t.Errorf("%s: Where() = %q, want %q", tc.name, sec.Where(), want)
		}
		if _, err := OpenKeyring(ctx, tc.addr, home); !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("%s: OpenKeyring = %v, want ErrKeyringUnavailable", tc.name, err)
		}
	}
}

package account

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := NewStore(st.DB())
	a := Account{Name: "work", Kind: KindIMAP, Host: "imap.example.org", Port: 993, User: "me", Security: "tls"}
	if err := s.Add(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, a); !errors.Is(err, pam.ErrConflict) {
		t.Errorf("Add twice = %v, want ErrConflict", err)
	}
	b := Account{Name: "cal", Kind: KindCalDAV, URL: "https://dav.example.org/"}
	if err := s.Add(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got, cmpopts.IgnoreFields(Account{}, "Created")); diff != "" {
		t.Errorf("Get(work) differs (-want +got):\n%s", diff)
	}
	list, err := s.List(ctx, KindIMAP)
	if err != nil || len(list) != 1 || list[0].Name != "work" {
		t.Errorf("List(imap) = %v, %v, want [work]", list, err)
	}
	all, _ := s.List(ctx, "")
	if len(all) != 2 || all[0].Name != "cal" {
		t.Errorf("List() = %v, want [cal work]", all)
	}
	if err := s.Remove(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "work"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Get after Remove = %v, want ErrNotFound", err)
	}
	if err := s.Remove(ctx, "work"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Remove twice = %v, want ErrNotFound", err)
	}
}

func TestFileSecrets(t *testing.T) {
	dir := t.TempDir()
	s := NewFileSecrets(dir)
	if _, err := s.Get("imap:work"); !errors.Is(err, pam.ErrNotFound) {
		t.Fatalf("Get on empty = %v, want ErrNotFound", err)
	}
	if err := s.Set("imap:work", "p@ss w0rd"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("imap:home", "other"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets file mode = %v, want 0600", fi.Mode().Perm())
	}
	if got, err := NewFileSecrets(dir).Get("imap:work"); err != nil || got != "p@ss w0rd" {
		t.Errorf("Get(imap:work) = %q, %v, want the password", got, err)
	}
	if err := s.Delete("imap:work"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("imap:work"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
	if got, _ := s.Get("imap:home"); got != "other" {
		t.Errorf("Get(imap:home) = %q, want other", got)
	}
	// A file others can read is tightened on read.
	os.Chmod(filepath.Join(dir, SecretsFile), 0o644)
	if _, err := s.Get("imap:home"); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Stat(filepath.Join(dir, SecretsFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after read = %v, want 0600", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("data directory has %d entries, want only the secrets file (no temp files left)", len(ents))
	}
}

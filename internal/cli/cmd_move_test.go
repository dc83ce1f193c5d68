package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/testserver/dovecot"
)

// TestArchiveMoveDeleteOnServer archives, moves and deletes fetched
// messages with the CLI and checks the real Dovecot after the next fetch.
func TestArchiveMoveDeleteOnServer(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	for i := 10; i < 13; i++ {
		if _, err := s.Deliver("INBOX", imapTestMsg(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateFolder("Projects"); err != nil {
		t.Fatal(err)
	}
	home := fetchedHome(t, s)
	ids := map[string]string{}
	out, _, _ := run(t, home, "", "search", "--json", "label:INBOX")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct{ ID, Subject string }
		json.Unmarshal([]byte(line), &r)
		ids[r.Subject] = r.ID
	}
	if len(ids) != 3 {
		t.Fatalf("fetched %d INBOX messages, want 3: %q", len(ids), out)
	}
	for _, c := range [][]string{{"archive", ids["hello 10"]}, {"move", "--to", "Projects", ids["hello 11"]}, {"delete", ids["hello 12"]}} {
		if out, errs, code := run(t, home, "", c...); code != 0 || !strings.Contains(out, "queued for work") {
			t.Fatalf("%v: exit %d: %s %s", c, code, out, errs)
		}
	}
	if _, errs, code := run(t, home, "", "fetch", "--no-ai", "--direct"); code != 0 {
		t.Fatalf("fetch: %s", errs)
	}
	count := func(folder string) int {
		out, err := s.Doveadm("search", "-u", s.User, "mailbox", folder, "ALL")
		if err != nil {
			t.Fatalf("doveadm search %s: %v", folder, err)
		}
		return len(strings.Fields(out)) / 2
	}
	if n := count("INBOX"); n != 0 {
		t.Errorf("INBOX holds %d messages on the server, want 0", n)
	}
	if n := count("Projects"); n != 1 {
		t.Errorf("Projects holds %d messages, want 1", n)
	}
	if n := count("Archive"); n != 1 {
		t.Errorf("Archive holds %d messages, want 1", n)
	}
	if n := count("Trash"); n != 1 {
		t.Errorf("Trash holds %d messages, want 1", n)
	}
	// The local view follows the server.
	out, _, _ = run(t, home, "", "search", "--json", "label:Projects")
	if !strings.Contains(out, ids["hello 11"]) {
		t.Errorf("label:Projects = %q, want the moved message", out)
	}
}

func TestArchiveLocalMessage(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	mdir := demoMaildir(t)
	if _, errs, code := run(t, home, "", "import", "--no-ai", mdir); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ := run(t, home, "", "search", "--json", "--limit", "1", "label:INBOX")
	var r struct{ ID string }
	json.Unmarshal([]byte(out), &r)
	if out, errs, code := run(t, home, "", "archive", r.ID); code != 0 || !strings.Contains(out, "local message") {
		t.Fatalf("archive: exit %d: %s %s", code, out, errs)
	}
	out, _, _ = run(t, home, "", "show", "--json", r.ID)
	if !strings.Contains(out, `"labels":["Archive"]`) {
		t.Errorf("after archive: %s", out)
	}
}

// fetchedHome adds the Dovecot account of s as "work" to a new home,
// fetches it once (without the AI pipeline) and returns the home.
func fetchedHome(t *testing.T, s *dovecot.Server) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte(s.Password), 0o600)
	if _, errs, code := run(t, home, "", "account", "add", "imap", "work", "--host", "127.0.0.1", "--port", strconv.Itoa(s.TLSPort),
		"--user", s.User, "--ca-file", s.CAFile, "--password-file", pw); code != 0 {
		t.Fatalf("account add: %s", errs)
	}
	if _, errs, code := run(t, home, "", "fetch", "--no-ai", "--direct"); code != 0 {
		t.Fatalf("fetch: %s", errs)
	}
	return home
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/testserver/dovecot"
)

func imapTestMsg(i int) []byte {
	return []byte(fmt.Sprintf("From: a%d@example.org\r\nTo: pam@example.org\r\nSubject: hello %d\r\nMessage-ID: <cli%d@example.org>\r\n"+
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\n\r\nMessage %d.\r\n", i, i, i, i))
}

func TestAccountFetchServe(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{Password: "s3cret-pw-4711"})
	for i := 0; i < 3; i++ {
		if _, err := s.Deliver("INBOX", imapTestMsg(i)); err != nil {
			t.Fatal(err)
		}
	}
	home := filepath.Join(t.TempDir(), "home")
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(s.Password+"\n"), 0o600)
	port := strconv.Itoa(s.TLSPort)

	// Without the CA file the self-signed certificate is refused.
	_, errs, code := run(t, home, "", "account", "add", "imap", "work", "--host", "127.0.0.1", "--port", port, "--user", "pam", "--password-file", pwFile)
	if code != exitFailure || !strings.Contains(errs, "--ca-file") {
		t.Fatalf("add without --ca-file: exit %d, %q; want 1 and a hint about --ca-file", code, errs)
	}
	// Plaintext to a non-loopback host is refused before any connection.
	_, errs, code = run(t, home, "", "account", "add", "imap", "x", "--host", "imap.example.org", "--plain", "--user", "pam", "--password-file", pwFile)
	if code != exitUsage || !strings.Contains(errs, "refusing plaintext") {
		t.Fatalf("add --plain to a remote host: exit %d, %q", code, errs)
	}
	out, errs, code := run(t, home, "", "account", "add", "imap", "work", "--host", "127.0.0.1", "--port", port, "--user", "pam",
		"--ca-file", s.CAFile, "--password-file", pwFile)
	if code != 0 || !strings.Contains(out, "password kept in") {
		t.Fatalf("account add: exit %d: %s %s", code, out, errs)
	}
	fi, err := os.Stat(filepath.Join(home, account.SecretsFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v %v, want mode 0600", fi, err)
	}
	for _, name := range []string{"pam.db", "pam.db-wal"} {
		data, _ := os.ReadFile(filepath.Join(home, name))
		if bytes.Contains(data, []byte(s.Password)) {
			t.Errorf("the password is in %s", name)
		}
	}
	out, _, code = run(t, home, "", "account", "list", "--json")
	var list []account.Account
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].Name != "work" || list[0].Port != s.TLSPort {
		t.Fatalf("account list --json = %q (exit %d)", out, code)
	}

	out, errs, code = run(t, home, "", "fetch", "--json", "--no-ai")
	var rep fetchReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("fetch: exit %d: %s %s", code, out, errs)
	}
	if rep.Via != "direct" || len(rep.Accounts) != 1 || rep.Accounts[0].Imported != 3 {
		t.Fatalf("fetch = %+v, want 3 imported directly", rep)
	}

	// A wrong password: a clear message without the password.
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("wrong-pw-0815"), 0o600)
	if _, errs, code := run(t, home, "", "account", "add", "imap", "bad", "--host", "127.0.0.1", "--port", port, "--user", "pam",
		"--ca-file", s.CAFile, "--password-file", bad); code == 0 || !strings.Contains(errs, "authentication failed for pam@127.0.0.1") || strings.Contains(errs, "wrong-pw-0815") {
		t.Fatalf("add with a wrong password: exit %d, %q", code, errs)
	}

	// pam serve: the fetch goes through the daemon.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var serveErr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--home", home, "serve", "--no-ai", "--poll", "1h"}, strings.NewReader(""), &bytes.Buffer{}, &serveErr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := daemon.Connect(context.Background(), home); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("pam serve did not come up: %s", serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := s.Deliver("INBOX", imapTestMsg(3)); err != nil {
		t.Fatal(err)
	}
	out, errs, code = run(t, home, "", "fetch", "--json", "--no-ai", "work")
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Via != "daemon" || len(rep.Accounts) != 1 {
		t.Fatalf("fetch via daemon: exit %d: %s %s", code, out, errs)
	}
	if _, _, code := run(t, home, "", "fetch", "--no-ai", "nosuch"); code != exitNotFound {
		t.Errorf("fetch of an unknown account through the daemon: exit %d, want %d", code, exitNotFound)
	}
	st, err := openStore(context.Background(), &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	st.DB().QueryRow("SELECT count(*) FROM messages").Scan(&n)
	st.Close()
	if n != 4 {
		t.Errorf("messages after the daemon's fetch = %d, want 4", n)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("pam serve exit %d after cancel: %s", code, serveErr.String())
	}
	if strings.Contains(serveErr.String(), s.Password) {
		t.Error("pam serve logged the password")
	}

	out, _, code = run(t, home, "", "account", "remove", "work")
	if code != 0 || !strings.Contains(out, "removed account work") {
		t.Fatalf("account remove: exit %d %q", code, out)
	}
	if _, err := account.NewFileSecrets(home).Get("imap:work"); err == nil {
		t.Error("password still saved after remove")
	}
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/syncclient"
	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
)

func runPam(t *testing.T, home string, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"--home", home}, args...), strings.NewReader(""), &out, &errb)
	return out.String() + errb.String(), code
}

// TestSyncCommands: init with a passphrase file, invite, join, sync,
// status, scope and revoke between two homes through a loopback relay.
func TestSyncCommands(t *testing.T) {
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "relay.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	relay := httptest.NewServer(syncserver.New(st, syncserver.Config{}).Handler())
	defer relay.Close()
	a, b := t.TempDir(), t.TempDir()
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("correct horse battery staple\n"), 0o600)

	if out, code := runPam(t, a, "sync", "init", "--relay", "http://relay.example.org", "--passphrase-file", pf); code != exitUsage || !strings.Contains(out, "loopback") {
		t.Errorf("init over plain http to a remote host = %d %q, want usage error", code, out)
	}
	if out, code := runPam(t, a, "sync", "init", "--relay", relay.URL, "--scope", "tasks,budget", "--passphrase-file", pf); code != exitUsage || !strings.Contains(out, "never sync") {
		t.Errorf("init with scope budget = %d %q, want usage error", code, out)
	}
	out, code := runPam(t, a, "sync", "init", "--relay", relay.URL, "--scope", "tasks,labels", "--passphrase-file", pf)
	if code != 0 || !strings.Contains(out, "Syncing: labels, tasks") || !regexp.MustCompile(`Recovery key`).MatchString(out) {
		t.Fatalf("init = %d %q", code, out)
	}
	out, code = runPam(t, a, "sync", "invite")
	m := regexp.MustCompile(`--invite (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("invite = %d %q", code, out)
	}
	if out, code = runPam(t, b, "sync", "join", "--relay", relay.URL, "--invite", m[1]); code != 0 || !strings.Contains(out, "Joined") {
		t.Fatalf("join = %d %q", code, out)
	}
	// Write through the library (no task CLI yet) and sync with the CLI.
	edit := func(home, id, title string) {
		s, err := openStore(context.Background(), &Env{Home: home})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, err := syncclient.Open(context.Background(), syncclient.Options{Home: home, DB: s.DB()})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Set(context.Background(), "task", id, "title", []byte(title)); err != nil {
			t.Fatal(err)
		}
	}
	edit(a, "t1", "Send the contract")
	for _, h := range []string{a, b, a} {
		if out, code := runPam(t, h, "sync"); code != 0 {
			t.Fatalf("sync = %d %q", code, out)
		}
	}
	out, code = runPam(t, b, "sync", "status", "--json")
	var stb syncclient.Status
	if code != 0 || json.Unmarshal([]byte(out), &stb) != nil || stb.OpsApplied != 1 || len(stb.Devices) != 2 {
		t.Fatalf("status --json = %d %q", code, out)
	}
	if out, code = runPam(t, b, "sync", "scope", "labels"); code != 0 || !strings.Contains(out, "Syncing: labels") {
		t.Errorf("scope labels = %d %q", code, out)
	}
	if out, code = runPam(t, a, "sync", "revoke", stb.Device); code != 0 || !strings.Contains(out, "epoch 2") {
		t.Fatalf("revoke = %d %q", code, out)
	}
	if out, code = runPam(t, b, "sync"); code == 0 || !strings.Contains(out, "unauthorized") {
		t.Errorf("sync on revoked device = %d %q, want failure", code, out)
	}
	if out, code = runPam(t, a, "sync", "status"); code != 0 || !strings.Contains(out, "revoked (epoch 2)") {
		t.Errorf("status = %d %q", code, out)
	}
	if out, code = runPam(t, t.TempDir(), "sync", "status"); code != exitNotFound {
		t.Errorf("status without setup = %d %q, want %d", code, out, exitNotFound)
	}
}

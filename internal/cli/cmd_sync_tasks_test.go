package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncclient"
	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
	"github.com/pam-ai/pam/internal/syncwire"
)

// TestSyncTasksEndToEnd is issue 7's "done when", through the CLI: two
// PAM homes and a relay on loopback; a task added on A while the relay is
// unreachable and then edited on both converges; the relay's database
// holds none of the plaintext; after A revokes B, B can no longer sync and
// cannot open A's new batches.
func TestSyncTasksEndToEnd(t *testing.T) {
	ctx := context.Background()
	relayDB := filepath.Join(t.TempDir(), "relay.db")
	st, err := sqlstore.OpenSQLite(ctx, relayDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var offline atomic.Bool
	h := syncserver.New(st, syncserver.Config{}).Handler()
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if offline.Load() {
			panic(http.ErrAbortHandler) // the connection drops: unreachable
		}
		h.ServeHTTP(w, r)
	}))
	defer relay.Close()
	a, b := pairedHomes(t, relay.URL)
	must := func(home string, args ...string) string { t.Helper(); return mustPam(t, home, args...) }

	// Offline on A: the task is added and its op queued.
	offline.Store(true)
	idA := strings.TrimSpace(must(a, "task", "add", "Send the contract to Dana friday"))
	if out, code := runPam(t, a, "sync"); code == 0 || !strings.Contains(out, "unreachable") {
		t.Fatalf("sync with the relay down = %d %q, want a failure", code, out)
	}
	var sa syncclient.Status
	if err := json.Unmarshal([]byte(must(a, "sync", "status", "--json")), &sa); err != nil || sa.Queued+sa.Unacked == 0 {
		t.Fatalf("status while offline = %+v (%v), want queued changes", sa, err)
	}
	offline.Store(false)
	must(a, "sync")
	must(b, "sync")
	tb := tasksJSON(t, b)
	if len(tb) != 1 || tb[0].Title != "Send the contract to Dana" || tb[0].Due == nil {
		t.Fatalf("B's tasks after sync = %+v, want the task with its due date", tb)
	}
	ta := tasksJSON(t, a)
	if *ta[0].Due != *tb[0].Due {
		t.Errorf("due on A %s, on B %s", *ta[0].Due, *tb[0].Due)
	}

	// Edited on both before either syncs: the same field (title) on both,
	// a different one (done) on B only.
	must(a, "task", "edit", idA, "Send the signed contract to Dana")
	idB := strconv.FormatInt(tb[0].ID, 10)
	must(b, "task", "edit", idB, "Send the contract to Dana and Lee")
	must(b, "task", "done", idB)
	for _, home := range []string{a, b, a, b} {
		must(home, "sync")
	}
	ta, tb = tasksJSON(t, a), tasksJSON(t, b)
	if len(ta) != 1 || len(tb) != 1 {
		t.Fatalf("tasks A %+v, B %+v, want one each", ta, tb)
	}
	if ta[0].Title != tb[0].Title || ta[0].Status != "done" || tb[0].Status != "done" {
		t.Errorf("not converged: A %+v, B %+v", ta[0], tb[0])
	}
	if want := "Send the contract to Dana and Lee"; ta[0].Title != want {
		// B's edit went out last (its ops are stamped when B exports
		// them, after A's), so B's title wins.
		t.Errorf("title = %q, want the later edit %q", ta[0].Title, want)
	}
	var s1, s2 syncclient.Status
	json.Unmarshal([]byte(must(a, "sync", "status", "--json")), &s1)
	json.Unmarshal([]byte(must(b, "sync", "status", "--json")), &s2)
	if s1.Queued+s1.Unacked+s2.Queued+s2.Unacked != 0 {
		t.Errorf("queues not empty after sync: A %+v, B %+v", s1, s2)
	}

	// The relay holds only ciphertext.
	st.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	for _, f := range []string{relayDB, relayDB + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		for _, secret := range []string{"contract", "Dana", "signed", "Lee"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("relay file %s holds %q in plaintext", filepath.Base(f), secret)
			}
		}
	}

	// Revoke B: B's token stops working and A's next batch is sealed under
	// an epoch key B never receives.
	must(a, "sync", "revoke", s2.Device)
	must(a, "task", "add", "Book the venue")
	must(a, "sync")
	if out, code := runPam(t, b, "sync"); code == 0 || !strings.Contains(out, "unauthorized") {
		t.Errorf("sync on revoked B = %d %q, want unauthorized", code, out)
	}
	pr, err := st.Pull(ctx, s1.Account, nil, 1000, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var last syncwire.Batch
	var prev [32]byte
	for _, x := range pr.Batches {
		if x.Device == s1.Device {
			if last.Data != nil {
				prev = seal.Hash(last.Data)
			}
			last = x
		}
	}
	ringB := readKeyring(t, b)
	rosterB, err := seal.VerifyRoster(readSyncFile(t, b, "roster"), s1.Account, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = seal.OpenBatch(last.Data, ringB, rosterB, seal.Expect{Account: s1.Account, Device: s1.Device, Seq: last.Seq, Prev: prev})
	if !errors.Is(err, seal.ErrNoEpochKey) {
		t.Errorf("B opening A's post-revocation batch = %v, want ErrNoEpochKey", err)
	}
	if tb := tasksJSON(t, b); len(tb) != 1 {
		t.Errorf("B's tasks after revocation = %+v, want only the old one", tb)
	}
}

func tasksJSON(t *testing.T, home string) []taskJSON {
	t.Helper()
	out, code := runPam(t, home, "tasks", "--json", "--status", "all")
	if code != 0 {
		t.Fatalf("pam tasks = %d %q", code, out)
	}
	var list []taskJSON
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var j taskJSON
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatalf("pam tasks line %q: %v", l, err)
		}
		list = append(list, j)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Title < list[j].Title })
	return list
}

func readSyncFile(t *testing.T, home, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(home, "sync", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readKeyring(t *testing.T, home string) *seal.Keyring {
	t.Helper()
	r, err := seal.UnmarshalKeyring(readSyncFile(t, home, "keyring"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mustPam runs pam in home and fails the test unless it exits 0.
func mustPam(t *testing.T, home string, args ...string) string {
	t.Helper()
	out, code := runPam(t, home, args...)
	if code != 0 {
		t.Fatalf("pam %s = %d %q", strings.Join(args, " "), code, out)
	}
	return out
}

// pairedHomes returns two PAM homes syncing through the relay at url: A
// set up with a passphrase, B joined with A's invite.
func pairedHomes(t *testing.T, url string) (a, b string) {
	t.Helper()
	a, b = t.TempDir(), t.TempDir()
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("correct horse battery staple\n"), 0o600)
	mustPam(t, a, "sync", "init", "--relay", url, "--passphrase-file", pf)
	m := regexp.MustCompile(`--invite (\S+)`).FindStringSubmatch(mustPam(t, a, "sync", "invite"))
	if m == nil {
		t.Fatal("no invite printed")
	}
	mustPam(t, b, "sync", "join", "--relay", url, "--invite", m[1])
	return a, b
}

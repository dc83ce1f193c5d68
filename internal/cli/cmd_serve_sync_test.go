package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
)

// TestServeRunsSyncLoop: with sync set up, `pam serve` syncs on its own.
// A task added on device A reaches device B while B's daemon runs (no
// `pam sync` on B), and B's edit made while its daemon runs reaches A.
// The daemon syncs every --poll (at least 10 s), so this takes ~20 s.
func TestServeRunsSyncLoop(t *testing.T) {
	t.Parallel() // mostly waiting on the daemon's 10 s ticks
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "relay.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	relay := httptest.NewServer(syncserver.New(st, syncserver.Config{}).Handler())
	defer relay.Close()
	a, b := pairedHomes(t, relay.URL)
	must := func(home string, args ...string) string { t.Helper(); return mustPam(t, home, args...) }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var serveErr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--home", b, "serve", "--no-ai", "--poll", "10s"}, strings.NewReader(""), &bytes.Buffer{}, &serveErr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := daemon.Connect(context.Background(), b); err == nil {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("pam serve exited with %d: %s", code, serveErr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("pam serve did not come up: %s", serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	must(a, "task", "add", "Call the plumber")
	must(a, "sync")
	var id int64
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				cancel()
				<-done
				t.Fatalf("%s: not within 30 s; serve log: %s", what, serveErr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("A's task on B through B's daemon", func() bool {
		for _, tk := range tasksJSON(t, b) {
			if tk.Title == "Call the plumber" {
				id = tk.ID
				return true
			}
		}
		return false
	})

	// An edit on B while its daemon runs: the daemon's loop pushes it.
	must(b, "task", "done", strconv.FormatInt(id, 10))
	waitFor("B's edit on A", func() bool {
		must(a, "sync")
		ta := tasksJSON(t, a)
		return len(ta) == 1 && ta[0].Status == "done"
	})

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("pam serve exit %d after cancel: %s", code, serveErr.String())
	}
	if strings.Contains(serveErr.String(), "correct horse") {
		t.Error("pam serve logged the passphrase")
	}
}

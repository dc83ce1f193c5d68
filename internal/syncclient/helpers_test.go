package syncclient

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
)

// Child-process modes: the test binary re-executes itself as a relay or
// as a client so that the fault tests can kill -9 a real process.
func TestMain(m *testing.M) {
	switch {
	case os.Getenv("PAM_SYNCTEST_RELAY") != "":
		os.Exit(childRelay(os.Getenv("PAM_SYNCTEST_RELAY"), os.Getenv("PAM_SYNCTEST_ADDR")))
	case os.Getenv("PAM_SYNCTEST_CLIENT") != "":
		os.Exit(childClient(os.Getenv("PAM_SYNCTEST_CLIENT")))
	}
	os.Exit(m.Run())
}

func childRelay(spec, addr string) int {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	return errCode(http.Serve(ln, syncserver.New(st, syncserver.Config{PullMaxBatches: 5, Rate: 1e6, Burst: 1e6}).Handler()))
}

// childClient pulls until nothing is left, then prints "done".
func childClient(home string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(home, "pam.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c, err := Open(ctx, Options{Home: home, DB: st.DB()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := c.Pull(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("done")
	return 0
}

func errCode(err error) int {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// testRelay is an in-process relay over SQLite on loopback that can be
// taken offline (connections are dropped).
type testRelay struct {
	URL  string
	st   *sqlstore.Store
	path string
	down atomic.Bool
	srv  *httptest.Server
}

func newTestRelay(t *testing.T) *testRelay {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay.db")
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return newTestRelayOn(t, st, path)
}

func newTestRelayOn(t *testing.T, st *sqlstore.Store, path string) *testRelay {
	r := &testRelay{st: st, path: path}
	h := syncserver.New(st, syncserver.Config{Rate: 1e6, Burst: 1e6}).Handler()
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.down.Load() {
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, req)
	}))
	r.URL = r.srv.URL
	t.Cleanup(func() { r.srv.Close(); st.Close() })
	return r
}

// home is one PAM data directory with its store.
type home struct {
	dir string
	st  *store.Store
}

func newHome(t *testing.T) *home {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &home{dir: dir, st: st}
}

func (h *home) opts() Options { return Options{Home: h.dir, DB: h.st.DB(), BatchOps: 50} }

var testScope = []string{"note", "label"}

// account sets up an account on r with n devices (first by Init, the rest
// by invite and Join).
func account(t *testing.T, r *testRelay, n int) []*Client {
	t.Helper()
	ctx := context.Background()
	h := newHome(t)
	res, err := Init(ctx, h.opts(), r.URL, testScope, nil)
	if err != nil {
		t.Fatalf("Init = %v", err)
	}
	cs := []*Client{res.Client}
	for i := 1; i < n; i++ {
		inv, err := cs[0].Invite(ctx, time.Minute)
		if err != nil {
			t.Fatalf("Invite = %v", err)
		}
		c, err := Join(ctx, newHome(t).opts(), r.URL, inv.String())
		if err != nil {
			t.Fatalf("Join = %v", err)
		}
		cs = append(cs, c)
	}
	return cs
}

func syncAll(t *testing.T, cs ...*Client) {
	t.Helper()
	for round := 0; round < 2; round++ {
		for _, c := range cs {
			rep, err := c.Sync(context.Background())
			if err != nil {
				t.Fatalf("Sync(%s) = %v", c.Device(), err)
			}
			if len(rep.Refused) > 0 {
				t.Fatalf("Sync(%s) refused %v", c.Device(), rep.Refused)
			}
		}
	}
}

func field(t *testing.T, c *Client, coll, id, f string) string {
	t.Helper()
	o, ok, err := c.Get(context.Background(), coll, id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return "<absent>"
	}
	return string(o.Fields[f])
}

// startChild runs the test binary in a child mode.
func startChild(t *testing.T, env ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

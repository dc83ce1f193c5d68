package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

// flaky fails its first two runs, then runs until stopped.
type flaky struct {
	runs atomic.Int32
}

func (f *flaky) Name() string { return "flaky" }
func (f *flaky) Serve(ctx context.Context) error {
	if f.runs.Add(1) <= 2 {
		return errors.New("boom")
	}
	<-ctx.Done()
	return nil
}

type panicky struct{ runs atomic.Int32 }

func (p *panicky) Name() string { return "panicky" }
func (p *panicky) Serve(ctx context.Context) error {
	if p.runs.Add(1) == 1 {
		panic("oops")
	}
	<-ctx.Done()
	return nil
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSupervisorRestarts(t *testing.T) {
	sup := NewSupervisor(nil)
	sup.MinBackoff, sup.MaxBackoff = time.Millisecond, 10*time.Millisecond
	f, p := &flaky{}, &panicky{}
	sup.Add(f)
	sup.Add(p)
	if err := sup.Add(&flaky{}); err == nil {
		t.Error("Add of a second service named flaky succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sup.Serve(ctx); close(done) }()
	waitUntil(t, "flaky's third run", func() bool { return f.runs.Load() == 3 && p.runs.Load() == 2 })
	waitUntil(t, "running state", func() bool {
		st := sup.Status()
		return st[0].State == "running" && st[1].State == "running"
	})
	st := sup.Status()
	if st[0].Name != "flaky" || st[0].Restarts != 2 || st[0].LastError != "boom" {
		t.Errorf("flaky status = %+v, want 2 restarts, last error boom", st[0])
	}
	if st[1].Restarts != 1 || !strings.Contains(st[1].LastError, "panic: oops") {
		t.Errorf("panicky status = %+v, want 1 restart after a panic", st[1])
	}
	cancel()
	<-done
	for _, s := range sup.Status() {
		if s.State != "stopped" {
			t.Errorf("%s state after shutdown = %s, want stopped", s.Name, s.State)
		}
	}
}

func startRun(t *testing.T, cfg Config) (port int, stop func() error) {
	t.Helper()
	ready := make(chan int, 1)
	cfg.Ready = func(p int) { ready <- p }
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, cfg) }()
	select {
	case port = <-ready:
	case err := <-errc:
		cancel()
		t.Fatalf("Run: %v", err)
	}
	var once sync.Once
	var runErr error
	return port, func() error {
		once.Do(func() { cancel(); runErr = <-errc })
		return runErr
	}
}

func TestAPIGuards(t *testing.T) {
	dir := t.TempDir()
	var fetched atomic.Int32
	port, stop := startRun(t, Config{Dir: dir, Fetch: func(ctx context.Context, account string) (any, error) {
		if account == "nope" {
			return nil, fmt.Errorf("account nope: %w", pam.ErrNotFound)
		}
		fetched.Add(1)
		return map[string]any{"account": account, "imported": 3}, nil
	}})
	defer stop()
	tokData, err := os.ReadFile(filepath.Join(dir, TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(tokData))
	for _, name := range []string{TokenFile, RuntimeFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", name, fi.Mode().Perm())
		}
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	for _, c := range []struct {
		name, method, path, host, origin, token string
		want                                    int
	}{
		{"ok", "GET", "/api/status", "", "", token, 200},
		{"localhost host", "GET", "/api/status", "localhost:" + strconv.Itoa(port), "", token, 200},
		{"no token", "GET", "/api/status", "", "", "", 401},
		{"wrong token", "GET", "/api/status", "", "", strings.Repeat("0", 64), 401},
		{"rebinding host", "GET", "/api/status", "evil.example:" + strconv.Itoa(port), "", token, 421},
		{"other port host", "GET", "/api/status", "127.0.0.1:1", "", token, 421},
		{"cross origin", "POST", "/api/fetch", "", "http://evil.example", token, 403},
		{"same origin", "POST", "/api/fetch", "", "http://127.0.0.1:" + strconv.Itoa(port), token, 200},
		{"fetch unknown account", "POST", "/api/fetch?account=nope", "", "", token, 404},
		{"fetch is POST only", "GET", "/api/fetch", "", "", token, 405},
	} {
		req, _ := http.NewRequest(c.method, base+c.path, nil)
		if c.host != "" {
			req.Host = c.host
		}
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: %s %s = %d, want %d", c.name, c.method, c.path, resp.StatusCode, c.want)
		}
	}
	if fetched.Load() != 1 {
		t.Errorf("fetch ran %d times, want 1 (only the allowed request)", fetched.Load())
	}
	// The client finds the daemon through the data directory.
	cl, err := Connect(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := cl.Fetch(context.Background(), "work", &out); err != nil || out["account"] != "work" {
		t.Errorf("Client.Fetch = %v, %v, want account work", out, err)
	}
	if err := stop(); err != nil {
		t.Errorf("Run returned %v after cancel", err)
	}
	if _, err := os.Stat(filepath.Join(dir, RuntimeFile)); !os.IsNotExist(err) {
		t.Errorf("runtime file left after shutdown: %v", err)
	}
	if _, err := Connect(context.Background(), dir); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Connect after shutdown = %v, want ErrNotRunning", err)
	}
}

// stopper records its clean stop in a file.
type stopper struct{ path string }

func (s stopper) Name() string { return "stopper" }
func (s stopper) Serve(ctx context.Context) error {
	<-ctx.Done()
	return os.WriteFile(s.path, []byte("stopped cleanly"), 0o600)
}

func TestMain(m *testing.M) {
	if dir := os.Getenv("PAM_DAEMON_TEST_CHILD"); dir != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := Run(ctx, Config{Dir: dir, Services: []Service{stopper{filepath.Join(dir, "stopped")}}})
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A real child process stops cleanly on SIGTERM and on SIGINT.
func TestSignalShutdown(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "PAM_DAEMON_TEST_CHILD="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "the child's runtime file", func() bool {
			data, err := os.ReadFile(filepath.Join(dir, RuntimeFile))
			var rt Runtime
			return err == nil && json.Unmarshal(data, &rt) == nil && rt.PID == cmd.Process.Pid
		})
		if _, err := Connect(context.Background(), dir); err != nil {
			t.Fatalf("Connect to the child: %v", err)
		}
		cmd.Process.Signal(sig)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child after %v: %v, want exit 0", sig, err)
		}
		if data, err := os.ReadFile(filepath.Join(dir, "stopped")); err != nil || string(data) != "stopped cleanly" {
			t.Errorf("%v: service did not stop cleanly: %q %v", sig, data, err)
		}
		if _, err := os.Stat(filepath.Join(dir, RuntimeFile)); !os.IsNotExist(err) {
			t.Errorf("%v: runtime file left: %v", sig, err)
		}
	}
}

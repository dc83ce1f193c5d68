package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The test binary doubles as the worker child: with PAM_WORKER_TEST_CHILD
// set, TestMain serves testHandler on stdin/stdout instead of running the
// tests. The misbehaving request kinds (crash, hang, alloc) exist only in
// this test binary.
func TestMain(m *testing.M) {
	if os.Getenv("PAM_WORKER_TEST_CHILD") == "1" {
		idle, _ := time.ParseDuration(os.Getenv("PAM_WORKER_IDLE"))
		if err := Serve(context.Background(), os.Stdin, os.Stdout, &testHandler{}, idle); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type testHandler struct {
	loads   atomic.Int32
	loaded  bool
	hoard   [][]byte
	unloads int
}

func (h *testHandler) Handle(ctx context.Context, kind string, body json.RawMessage) (any, error) {
	if !h.loaded {
		h.loaded = true
		h.loads.Add(1)
	}
	switch kind {
	case "echo":
		var s string
		if err := json.Unmarshal(body, &s); err != nil {
			return nil, err
		}
		return s, nil
	case "state":
		return map[string]any{"loads": h.loads.Load(), "unloads": h.unloads, "pid": os.Getpid()}, nil
	case "env":
		return os.Environ(), nil
	case "crash":
		os.Exit(3)
	case "hang":
		select {}
	case "alloc": // allocate and touch MB megabytes in 1 MB steps, keep them
		var mb int
		json.Unmarshal(body, &mb)
		for i := 0; i < mb; i++ {
			b := bytes.Repeat([]byte{byte(i)}, 1<<20)
			h.hoard = append(h.hoard, b)
			time.Sleep(time.Millisecond)
		}
		return len(h.hoard), nil
	case "fail":
		return nil, errors.New("no such model")
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

func (h *testHandler) Unload() { h.loaded = false; h.unloads++ }

func testConfig(t *testing.T) Config {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Kind:           "test",
		Path:           exe,
		Args:           []string{"-test.run=^$"},
		Env:            []string{"PAM_WORKER_TEST_CHILD=1"},
		MemoryLimit:    -1,
		RequestTimeout: 10 * time.Second,
		BackoffMin:     time.Millisecond,
		BackoffMax:     4 * time.Millisecond,
		Stderr:         os.Stderr,
	}
}

func newSup(t *testing.T, cfg Config) *Supervisor {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func echo(t *testing.T, s *Supervisor, in string) {
	t.Helper()
	var out string
	if err := s.Call(context.Background(), "echo", in, &out); err != nil {
		t.Fatalf("echo %q: %v", in, err)
	}
	if out != in {
		t.Fatalf("echo %q = %q", in, out)
	}
}

func TestCallAndRemoteError(t *testing.T) {
	s := newSup(t, testConfig(t))
	echo(t, s, "hello")
	echo(t, s, strings.Repeat("x", 300<<10)) // larger than a pipe buffer
	err := s.Call(context.Background(), "fail", nil, nil)
	var re *RemoteError
	if !errors.As(err, &re) || re.Msg != "no such model" {
		t.Fatalf("fail = %v, want RemoteError(no such model)", err)
	}
	echo(t, s, "still there")
	if st := s.Stats(); st.Starts != 1 || st.Crashes != 0 {
		t.Errorf("stats = %+v, want 1 start and no crash", st)
	}
}

func TestScrubbedEnvironment(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "sk-secret")
	t.Setenv("PAM_IMAP_PASSWORD", "hunter2")
	cfg := testConfig(t)
	cfg.Home = "/tmp/pamhome"
	cfg.MemoryLimit = 200 << 20
	s := newSup(t, cfg)
	var env []string
	if err := s.Call(context.Background(), "env", nil, &env); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
		if strings.Contains(v, "sk-secret") || strings.Contains(v, "hunter2") {
			t.Errorf("worker environment leaks a secret in %s", k)
		}
	}
	if got["PAM_HOME"] != "/tmp/pamhome" {
		t.Errorf("PAM_HOME = %q, want /tmp/pamhome", got["PAM_HOME"])
	}
	if got["GOMEMLIMIT"] != fmt.Sprint(150<<20) {
		t.Errorf("GOMEMLIMIT = %q, want %d", got["GOMEMLIMIT"], 150<<20)
	}
	allowed := map[string]bool{"PATH": true, "HOME": true, "TMPDIR": true, "LANG": true, "LC_ALL": true, "TZ": true,
		"PAM_HOME": true, "GOMEMLIMIT": true, "PAM_WORKER_IDLE": true, "PAM_WORKER_TEST_CHILD": true}
	for k := range got {
		if !allowed[k] {
			t.Errorf("worker inherited %s", k)
		}
	}
}

func TestCrashRestarts(t *testing.T) {
	s := newSup(t, testConfig(t))
	echo(t, s, "a")
	pid := s.PID()
	err := s.Call(context.Background(), "crash", nil, nil)
	if !errors.Is(err, ErrCrashed) || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("crash = %v, want ErrCrashed with exit status 3", err)
	}
	echo(t, s, "b")
	if s.PID() == pid {
		t.Errorf("worker pid unchanged after crash")
	}
	if st := s.Stats(); st.Starts != 2 || st.Crashes != 1 {
		t.Errorf("stats = %+v, want 2 starts, 1 crash", st)
	}
}

func TestHangTimesOut(t *testing.T) {
	cfg := testConfig(t)
	cfg.RequestTimeout = 300 * time.Millisecond
	s := newSup(t, cfg)
	err := s.Call(context.Background(), "hang", nil, nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("hang = %v, want ErrTimeout", err)
	}
	echo(t, s, "after the hang")
	if st := s.Stats(); st.Timeouts != 1 || st.Starts != 2 {
		t.Errorf("stats = %+v, want 1 timeout, 2 starts", st)
	}
}

func TestContextCancelStopsWorkerWithoutFailure(t *testing.T) {
	s := newSup(t, testConfig(t))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := s.Call(ctx, "hang", nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang with deadline = %v, want context.DeadlineExceeded", err)
	}
	echo(t, s, "next")
	if st := s.Stats(); st.Crashes != 0 {
		t.Errorf("stats = %+v, want no crash counted for a cancelled call", st)
	}
}

func TestMemoryLimitKillsAndRestarts(t *testing.T) {
	cfg := testConfig(t)
	cfg.MemoryLimit = 64 << 20
	cfg.PollInterval = 10 * time.Millisecond
	s := newSup(t, cfg)
	echo(t, s, "small")
	var n int
	err := s.Call(context.Background(), "alloc", 1024, &n)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("alloc 1 GB under a 64 MB limit = %v (%d MB held), want ErrMemoryLimit", err, n)
	}
	st := s.Stats()
	if st.LimitKills != 1 {
		t.Errorf("stats = %+v, want 1 limit kill", st)
	}
	if st.Enforcer != "cgroup" && st.Enforcer != "rss-poll" {
		t.Errorf("enforcer = %q", st.Enforcer)
	}
	if st.PeakRSS > 512<<20 {
		t.Errorf("peak RSS %d MB: the limit was not enforced in time", st.PeakRSS>>20)
	}
	echo(t, s, "restarted")
	if err := s.Call(context.Background(), "alloc", 8, &n); err != nil || n != 8 {
		t.Errorf("alloc 8 MB after restart = %d, %v; want 8, nil", n, err)
	}
	if st := s.Stats(); st.Starts != 2 {
		t.Errorf("starts = %d, want 2", st.Starts)
	}
}

func TestRestartLoopGuard(t *testing.T) {
	cfg := testConfig(t)
	cfg.LoopCrashes = 3
	cfg.LoopWindow = time.Minute
	cfg.LoopCooldown = time.Hour
	s := newSup(t, cfg)
	for i := 0; i < 3; i++ {
		if err := s.Call(context.Background(), "crash", nil, nil); !errors.Is(err, ErrCrashed) {
			t.Fatalf("crash %d = %v, want ErrCrashed", i, err)
		}
	}
	err := s.Call(context.Background(), "echo", "x", nil)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("call after 3 crashes = %v, want ErrUnavailable", err)
	}
	if st := s.Stats(); st.GaveUp != 1 || st.Starts != 3 {
		t.Errorf("stats = %+v, want gave up once after 3 starts", st)
	}
}

func TestBackoffBeyondMaxWaitIsUnavailable(t *testing.T) {
	cfg := testConfig(t)
	cfg.BackoffMin = time.Hour
	cfg.BackoffMax = time.Hour
	s := newSup(t, cfg)
	if err := s.Call(context.Background(), "crash", nil, nil); !errors.Is(err, ErrCrashed) {
		t.Fatalf("crash = %v", err)
	}
	if err := s.Call(context.Background(), "echo", "x", nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("call during a 1h backoff = %v, want ErrUnavailable", err)
	}
}

func TestLazyLoadAndIdleUnload(t *testing.T) {
	cfg := testConfig(t)
	cfg.ModelIdle = 50 * time.Millisecond
	s := newSup(t, cfg)
	type state struct{ Loads, Unloads int }
	var st state
	if err := s.Call(context.Background(), "state", nil, &st); err != nil {
		t.Fatal(err)
	}
	if st.Loads != 1 || st.Unloads != 0 {
		t.Fatalf("first request: %+v, want 1 load, 0 unloads", st)
	}
	deadline := time.Now().Add(5 * time.Second)
	for st.Unloads == 0 && time.Now().Before(deadline) {
		time.Sleep(150 * time.Millisecond)
		if err := s.Call(context.Background(), "state", nil, &st); err != nil {
			t.Fatal(err)
		}
	}
	if st.Unloads == 0 || st.Loads < 2 {
		t.Errorf("after idle: %+v, want an unload and a reload", st)
	}
}

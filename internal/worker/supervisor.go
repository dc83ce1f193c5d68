package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Errors a Call can return besides the context's. The supervisor has
// already stopped the worker when it returns one of the first three; the
// next Call starts a new one (after the backoff).
var (
	ErrTimeout     = errors.New("worker request timed out")
	ErrMemoryLimit = errors.New("worker exceeded its memory limit")
	ErrCrashed     = errors.New("worker crashed")
	// ErrUnavailable means no worker is running and none may be started
	// now: it is backing off after a crash, or gave up after a restart
	// loop. Callers fall back to the tier below.
	ErrUnavailable = errors.New("worker unavailable")
)

// RemoteError is an error the worker reported for one request (a model
// file it could not read, a bad request); the worker is still running.
type RemoteError struct{ Msg string }

func (e *RemoteError) Error() string { return "worker: " + e.Msg }

// DefaultMemoryLimit is the memory limit of a worker when Config does not
// set one.
const DefaultMemoryLimit = 256 << 20

// Config describes one supervised worker. Zero values take the defaults
// documented on each field.
type Config struct {
	Kind string // worker kind: the child runs "pam worker KIND"
	// Path is the executable; default os.Executable() (pam re-executes
	// itself). Args are its arguments; default {"worker", Kind}.
	Path string
	Args []string
	// Home is passed to the child as PAM_HOME.
	Home string
	// Env lists extra NAME=VALUE entries for the child on top of the
	// scrubbed environment (PATH, HOME, TMPDIR, LANG, LC_ALL, TZ, PAM_HOME,
	// GOMEMLIMIT, PAM_WORKER_IDLE); nothing else is inherited.
	Env []string
	// MemoryLimit in bytes; default DefaultMemoryLimit; negative: none.
	// Enforced by a cgroup v2 when one can be created, else by polling the
	// child's RSS every PollInterval (default 50 ms). GOMEMLIMIT inside the
	// child is set to 3/4 of it as a soft limit.
	MemoryLimit  int64
	PollInterval time.Duration
	// RequestTimeout bounds each Call; default 30 s. A worker that does
	// not answer in time is killed.
	RequestTimeout time.Duration
	// ModelIdle is how long the child keeps its model loaded without
	// requests; default 5 min.
	ModelIdle time.Duration
	// Restart policy: after a failure the next start waits a backoff that
	// starts at BackoffMin (default 100 ms) and doubles up to BackoffMax
	// (default 10 s); it resets once a worker has answered requests for
	// BackoffMin*100. Call waits for the backoff only up to MaxWait
	// (default 2 s), else returns ErrUnavailable.
	BackoffMin, BackoffMax, MaxWait time.Duration
	// Restart-loop guard: LoopCrashes failures (default 5) within
	// LoopWindow (default 1 min) make the supervisor give up for
	// LoopCooldown (default 5 min): calls fail with ErrUnavailable.
	LoopCrashes  int
	LoopWindow   time.Duration
	LoopCooldown time.Duration
	// Stderr receives the child's standard error; default discarded.
	Stderr io.Writer
	Logger *slog.Logger
}

func (c *Config) defaults() error {
	if c.Kind == "" {
		return errors.New("worker config: Kind is empty")
	}
	if c.Path == "" {
		p, err := os.Executable()
		if err != nil {
			return fmt.Errorf("worker config: find executable: %w", err)
		}
		c.Path = p
	}
	if c.Args == nil {
		c.Args = []string{"worker", c.Kind}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.MemoryLimit == 0 {
		c.MemoryLimit = DefaultMemoryLimit
	}
	def(&c.PollInterval, 50*time.Millisecond)
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.ModelIdle, 5*time.Minute)
	def(&c.BackoffMin, 100*time.Millisecond)
	def(&c.BackoffMax, 10*time.Second)
	def(&c.MaxWait, 2*time.Second)
	def(&c.LoopWindow, time.Minute)
	def(&c.LoopCooldown, 5*time.Minute)
	if c.LoopCrashes <= 0 {
		c.LoopCrashes = 5
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Stats counts what happened to a supervisor's workers.
type Stats struct {
	Starts     int    `json:"starts"`
	Crashes    int    `json:"crashes"`     // exits and kills other than Close, all causes
	LimitKills int    `json:"limit_kills"` // of which: memory limit
	Timeouts   int    `json:"timeouts"`    // of which: request timeouts
	GaveUp     int    `json:"gave_up"`     // restart-loop guard trips
	Enforcer   string `json:"enforcer"`    // "cgroup", "rss-poll" or "none"
	PeakRSS    int64  `json:"peak_rss"`    // highest VmHWM seen of any worker, bytes
	LastError  string `json:"last_error,omitempty"`
}

// Supervisor runs one worker process on demand and restarts it after
// failures. Calls are serialised: one request is in flight at a time.
// It is safe for concurrent use.
type Supervisor struct {
	cfg Config

	mu        sync.Mutex // serialises calls and guards the fields below
	p         *proc
	nextID    uint64
	nextStart time.Time
	backoff   time.Duration
	failures  []time.Time
	downUntil time.Time
	seq       int

	statsMu sync.Mutex
	stats   Stats
}

// New returns a supervisor for cfg. No process starts until the first Call.
func New(cfg Config) (*Supervisor, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	return &Supervisor{cfg: cfg}, nil
}

// Stats returns a snapshot of the counters.
func (s *Supervisor) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

func (s *Supervisor) stat(f func(*Stats)) {
	s.statsMu.Lock()
	f(&s.stats)
	s.statsMu.Unlock()
}

// proc is one running child.
type proc struct {
	cmd      *exec.Cmd
	stdin    *os.File
	resps    chan Response // closed when stdout ends
	done     chan struct{} // closed when the process has exited
	waitErr  error
	limitHit atomic.Bool
	closing  atomic.Bool
	cg       *cgroup
	started  time.Time
}

// Call sends one request of the given kind with body in and decodes the
// answer into out. It starts the worker if needed. On a timeout, crash or
// memory-limit kill it returns an error wrapping ErrTimeout, ErrCrashed or
// ErrMemoryLimit; when the worker is down it returns ErrUnavailable at
// once; an error the worker reported comes back as *RemoteError. When ctx
// ends first the worker is stopped (without counting as a failure) and
// ctx's error is returned.
func (s *Supervisor) Call(ctx context.Context, kind string, in, out any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("worker %s: encode request: %w", s.cfg.Kind, err)
	}
	if err := s.ensure(ctx); err != nil {
		return err
	}
	p := s.p
	s.nextID++
	id := s.nextID
	timeout, ctxBound := s.cfg.RequestTimeout, false
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout, ctxBound = time.Until(dl), true
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	p.stdin.SetWriteDeadline(time.Now().Add(timeout))
	if err := writeRequest(p.stdin, Request{ID: id, Kind: kind, Body: body}); err != nil {
		if ctx.Err() != nil {
			s.stop(p)
			return ctx.Err()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return s.failed(p, ErrTimeout)
		}
		return s.failed(p, fmt.Errorf("%w: write request: %v", ErrCrashed, err))
	}
	select {
	case r, ok := <-p.resps:
		if !ok {
			return s.failed(p, nil)
		}
		if r.ID != id {
			return s.failed(p, fmt.Errorf("%w: response id %d, want %d", ErrProtocol, r.ID, id))
		}
		s.resetBackoff(p)
		if r.Error != "" {
			return &RemoteError{Msg: r.Error}
		}
		if out != nil {
			if err := json.Unmarshal(r.Body, out); err != nil {
				return fmt.Errorf("worker %s: decode response: %w", s.cfg.Kind, err)
			}
		}
		return nil
	case <-p.done:
		return s.failed(p, nil)
	case <-timer.C:
		if ctxBound { // the caller's deadline, not the worker's fault
			<-ctx.Done()
			s.stop(p)
			return ctx.Err()
		}
		return s.failed(p, ErrTimeout)
	case <-ctx.Done():
		s.stop(p)
		return ctx.Err()
	}
}

// Close stops the worker: it closes its stdin, waits up to a second for a
// clean exit and kills it otherwise.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p != nil {
		s.stop(s.p)
	}
	return nil
}

// PID returns the process id of the running worker, or 0.
func (s *Supervisor) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p == nil {
		return 0
	}
	return s.p.cmd.Process.Pid
}

// ensure makes s.p a running worker, or says why there is none.
func (s *Supervisor) ensure(ctx context.Context) error {
	if s.p != nil {
		select {
		case <-s.p.done: // died between calls (killed for its memory, say)
			s.failed(s.p, nil)
		default:
			return nil
		}
	}
	now := time.Now()
	if now.Before(s.downUntil) {
		return fmt.Errorf("worker %s: restart loop, retrying after %s: %w", s.cfg.Kind, s.downUntil.Format(time.TimeOnly), ErrUnavailable)
	}
	if wait := s.nextStart.Sub(now); wait > 0 {
		if wait > s.cfg.MaxWait {
			return fmt.Errorf("worker %s: restarting in %s: %w", s.cfg.Kind, wait.Round(time.Millisecond), ErrUnavailable)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return s.start()
}

func (s *Supervisor) start() error {
	cfg := &s.cfg
	inR, inW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("worker %s: %w", cfg.Kind, err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return fmt.Errorf("worker %s: %w", cfg.Kind, err)
	}
	cmd := exec.Command(cfg.Path, cfg.Args...)
	cmd.Env = childEnv(cfg)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, cfg.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &proc{cmd: cmd, stdin: inW, resps: make(chan Response, 1), done: make(chan struct{}), started: time.Now()}
	enforcer := "none"
	if cfg.MemoryLimit > 0 {
		enforcer = "rss-poll"
		s.seq++
		if cg, err := newCgroup(fmt.Sprintf("pam-worker-%d-%s-%d", os.Getpid(), cfg.Kind, s.seq), cfg.MemoryLimit); err == nil {
			p.cg = cg
			enforcer = "cgroup"
			cmd.SysProcAttr.UseCgroupFD = true
			cmd.SysProcAttr.CgroupFD = int(cg.fd.Fd())
		} else {
			cfg.Logger.Debug("worker memory limit by RSS polling", "kind", cfg.Kind, "reason", err)
		}
	}
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		if p.cg != nil {
			p.cg.remove()
		}
		s.recordFailure(time.Now())
		return fmt.Errorf("worker %s: start: %v: %w", cfg.Kind, err, ErrUnavailable)
	}
	s.p = p
	s.stat(func(st *Stats) { st.Starts++; st.Enforcer = enforcer })
	cfg.Logger.Info("worker started", "kind", cfg.Kind, "pid", cmd.Process.Pid, "limit", cfg.MemoryLimit, "enforcer", enforcer)
	go func() { // owned by p: ends when the child's stdout ends
		defer close(p.resps)
		defer outR.Close()
		for {
			var r Response
			if err := ReadFrame(outR, &r); err != nil {
				return
			}
			p.resps <- r
		}
	}()
	go func() { // owned by p: ends when the child exits
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	go s.watch(p) // ends when the child exits
	return nil
}

// watch polls the child's memory: it records the peak and, when no cgroup
// enforces the limit, kills the child past it.
func (s *Supervisor) watch(p *proc) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	pid := p.cmd.Process.Pid
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		rss, peak, err := procMemory(pid)
		if err != nil {
			continue
		}
		s.stat(func(st *Stats) { st.PeakRSS = max(st.PeakRSS, peak) })
		if p.cg == nil && s.cfg.MemoryLimit > 0 && rss > s.cfg.MemoryLimit {
			p.limitHit.Store(true)
			p.cmd.Process.Kill()
			return
		}
	}
}

// failed handles the end of a worker that did not answer: it kills and
// reaps it, works out why it ended (cause, or its exit), records the
// failure for the backoff and the loop guard, and returns the error for
// the caller.
func (s *Supervisor) failed(p *proc, cause error) error {
	p.cmd.Process.Kill()
	<-p.done
	p.stdin.Close()
	if s.p == p {
		s.p = nil
	}
	oom := p.limitHit.Load() || (p.cg != nil && p.cg.oomKilled())
	if p.cg != nil {
		p.cg.remove()
	}
	var err error
	switch {
	case oom:
		err = fmt.Errorf("worker %s: %w (limit %d MB)", s.cfg.Kind, ErrMemoryLimit, s.cfg.MemoryLimit>>20)
	case cause != nil && errors.Is(cause, ErrTimeout):
		err = fmt.Errorf("worker %s: %w", s.cfg.Kind, ErrTimeout)
	case cause != nil:
		err = fmt.Errorf("worker %s: %w", s.cfg.Kind, cause)
	default:
		err = fmt.Errorf("worker %s: %w: %s", s.cfg.Kind, ErrCrashed, exitText(p.waitErr))
	}
	s.stat(func(st *Stats) {
		st.Crashes++
		if oom {
			st.LimitKills++
		} else if errors.Is(err, ErrTimeout) {
			st.Timeouts++
		}
		st.LastError = err.Error()
	})
	s.cfg.Logger.Warn("worker failed", "kind", s.cfg.Kind, "pid", p.cmd.Process.Pid, "err", err)
	s.recordFailure(time.Now())
	return err
}

// recordFailure advances the backoff and trips the loop guard.
func (s *Supervisor) recordFailure(now time.Time) {
	if s.backoff == 0 {
		s.backoff = s.cfg.BackoffMin
	} else {
		s.backoff = min(2*s.backoff, s.cfg.BackoffMax)
	}
	s.nextStart = now.Add(s.backoff)
	keep := s.failures[:0]
	for _, t := range s.failures {
		if now.Sub(t) < s.cfg.LoopWindow {
			keep = append(keep, t)
		}
	}
	s.failures = append(keep, now)
	if len(s.failures) >= s.cfg.LoopCrashes {
		s.downUntil = now.Add(s.cfg.LoopCooldown)
		s.failures = nil
		s.backoff = 0
		s.stat(func(st *Stats) { st.GaveUp++ })
		s.cfg.Logger.Error("worker restart loop: giving up for a while", "kind", s.cfg.Kind, "failures", s.cfg.LoopCrashes, "window", s.cfg.LoopWindow, "cooldown", s.cfg.LoopCooldown)
	}
}

// resetBackoff forgets past failures once a worker has been healthy long
// enough.
func (s *Supervisor) resetBackoff(p *proc) {
	if s.backoff != 0 && time.Since(p.started) > 100*s.cfg.BackoffMin {
		s.backoff = 0
	}
}

// stop ends a worker that is not at fault (Close, a cancelled call).
func (s *Supervisor) stop(p *proc) {
	p.closing.Store(true)
	p.stdin.Close()
	t := time.NewTimer(time.Second)
	select {
	case <-p.done:
	case <-t.C:
		p.cmd.Process.Kill()
		<-p.done
	}
	t.Stop()
	if p.cg != nil {
		p.cg.remove()
	}
	if s.p == p {
		s.p = nil
	}
}

func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by " + ws.Signal().String()
		}
		return "exit status " + strconv.Itoa(ee.ExitCode())
	}
	if err == nil {
		return "exited"
	}
	return err.Error()
}

// childEnv is the scrubbed environment of a worker: a few essentials and
// the limits, never the parent's secrets.
func childEnv(cfg *Config) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	if cfg.Home != "" {
		env = append(env, "PAM_HOME="+cfg.Home)
	}
	if cfg.MemoryLimit > 0 {
		env = append(env, "GOMEMLIMIT="+strconv.FormatInt(cfg.MemoryLimit/4*3, 10))
	}
	env = append(env, "PAM_WORKER_IDLE="+cfg.ModelIdle.String())
	return append(env, cfg.Env...)
}

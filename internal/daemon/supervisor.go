// Package daemon is the core of `pam serve`: a supervisor that runs
// long-lived services (IMAP IDLE loops, CalDAV polling, later the pipeline
// and the web UI) and restarts each with backoff when it fails, and a small
// JSON API on 127.0.0.1 for the command line (status, fetch now), guarded
// by Host and Origin checks and a bearer token kept in the data directory.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Service is a long-lived loop owned by the daemon.
//
// Serve runs until ctx is done and then returns nil promptly; an error
// return means the service failed and the supervisor restarts it after a
// backoff. Name identifies the service in status and logs ("imap:work").
type Service interface {
	Name() string
	Serve(ctx context.Context) error
}

// ServiceStatus is the supervisor's view of one service.
type ServiceStatus struct {
	Name      string    `json:"name"`
	State     string    `json:"state"` // running, backoff, stopped, failed
	Restarts  int       `json:"restarts"`
	LastError string    `json:"last_error,omitempty"`
	Since     time.Time `json:"since"`
}

// Supervisor runs services and restarts them with exponential backoff.
type Supervisor struct {
	// MinBackoff and MaxBackoff bound the wait before a restart (default
	// 1 s and 5 min). A service that ran for longer than MaxBackoff before
	// failing starts again from MinBackoff.
	MinBackoff, MaxBackoff time.Duration

	log      *slog.Logger
	mu       sync.Mutex
	services []Service
	status   map[string]*ServiceStatus
}

// NewSupervisor returns an empty supervisor.
func NewSupervisor(log *slog.Logger) *Supervisor {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Supervisor{MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, log: log, status: map[string]*ServiceStatus{}}
}

// Add registers svc; it must be called before Serve. Names must be unique.
func (s *Supervisor) Add(svc Service) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.status[svc.Name()]; dup {
		return fmt.Errorf("daemon: two services named %s", svc.Name())
	}
	s.services = append(s.services, svc)
	s.status[svc.Name()] = &ServiceStatus{Name: svc.Name(), State: "starting", Since: time.Now()}
	return nil
}

// Status returns every service's status, by name.
func (s *Supervisor) Status() []ServiceStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ServiceStatus, 0, len(s.status))
	for _, st := range s.status {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Supervisor) set(name string, f func(*ServiceStatus)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.status[name])
}

// Serve runs every service until ctx is done, then waits for all of them
// to return.
func (s *Supervisor) Serve(ctx context.Context) error {
	s.mu.Lock()
	svcs := append([]Service(nil), s.services...)
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.run(ctx, svc)
		}()
	}
	wg.Wait()
	return nil
}

func (s *Supervisor) run(ctx context.Context, svc Service) {
	name := svc.Name()
	wait := s.MinBackoff
	for {
		s.set(name, func(st *ServiceStatus) { st.State, st.Since = "running", time.Now() })
		started := time.Now()
		err := s.serveOne(ctx, svc)
		if ctx.Err() != nil {
			s.set(name, func(st *ServiceStatus) { st.State, st.Since = "stopped", time.Now() })
			return
		}
		if err == nil {
			err = errors.New("returned before shutdown")
		}
		if time.Since(started) > s.MaxBackoff {
			wait = s.MinBackoff
		}
		s.log.Warn("service failed; restarting", "service", name, "err", err, "wait", wait)
		s.set(name, func(st *ServiceStatus) {
			st.State, st.Since, st.LastError = "backoff", time.Now(), err.Error()
			st.Restarts++
		})
		select {
		case <-ctx.Done():
			s.set(name, func(st *ServiceStatus) { st.State, st.Since = "stopped", time.Now() })
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, s.MaxBackoff)
	}
}

// serveOne runs svc once, turning a panic into an error.
func (s *Supervisor) serveOne(ctx context.Context, svc Service) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return svc.Serve(ctx)
}

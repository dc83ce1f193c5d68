package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/mail/imap"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "serve", Summary: "run the background daemon (IMAP IDLE, polling) with a local API", Run: runServe})
	registerServeServices(imapServices)
}

// serveDeps is what a service factory gets from pam serve.
type serveDeps struct {
	Env    *Env
	Store  *store.Store
	Logger *slog.Logger
	Poll   time.Duration // --poll
	NoAI   bool          // --no-ai
}

// serviceFactory makes the services of one kind (one per account, say).
type serviceFactory func(ctx context.Context, d serveDeps) ([]daemon.Service, error)

var serviceFactories []serviceFactory

// registerServeServices adds a kind of service to pam serve; call it from
// init() in the file of the feature (CalDAV polling, the pipeline...).
func registerServeServices(f serviceFactory) { serviceFactories = append(serviceFactories, f) }

// fetchNower is a service that can sync now for POST /api/fetch; its Name
// is "KIND:ACCOUNT".
type fetchNower interface {
	daemon.Service
	FetchNow(ctx context.Context) (any, error)
}

// statuser is a service with a status of its own for GET /api/status.
type statuser interface {
	daemon.Service
	ServiceStatus() any
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "[--port N] [--poll DURATION] [--no-ai]")
	port := fs.Int("port", 0, "API port on 127.0.0.1 (0: any free port; the port is written to daemon.json in the data directory)")
	poll := fs.Duration("poll", 5*time.Minute, "sync every account at least this often (IDLE wakes INBOX sooner)")
	noAI := fs.Bool("no-ai", false, "do not run the AI pipeline over new mail")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *poll < 10*time.Second {
		return usageError{"serve: --poll must be at least 10s"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if cl, err := daemon.Connect(ctx, env.Home); err == nil {
		st, _ := cl.Status(ctx)
		return fmt.Errorf("pam serve already runs for %s (pid %d)", env.Home, st.PID)
	}
	// The daemon's services, its logger and the ready line write to
	// stderr from several goroutines: one lock for all of them.
	se := *env
	se.Stderr = &lockedWriter{w: env.Stderr}
	env = &se
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	deps := serveDeps{Env: env, Store: st, Logger: log, Poll: *poll, NoAI: *noAI}
	var svcs []daemon.Service
	for _, f := range serviceFactories {
		s, err := f(ctx, deps)
		if err != nil {
			return err
		}
		svcs = append(svcs, s...)
	}
	cfg := daemon.Config{
		Dir: env.Home, Port: *port, Services: svcs, Logger: log,
		Fetch: func(ctx context.Context, account string) (any, error) { return fetchAll(ctx, svcs, account) },
		Extra: func(ctx context.Context) any {
			out := map[string]any{}
			for _, s := range svcs {
				if x, ok := s.(statuser); ok {
					out[s.Name()] = x.ServiceStatus()
				}
			}
			return out
		},
		Ready: func(p int) {
			fmt.Fprintf(env.Stderr, "pam serve: API on http://127.0.0.1:%d (token in %s/%s), %d service(s); stop with Ctrl-C or SIGTERM\n",
				p, env.Home, daemon.TokenFile, len(svcs))
		},
	}
	return daemon.Run(ctx, cfg)
}

// fetchAll syncs now every service that can (only those of account, when
// given) and gathers their results.
func fetchAll(ctx context.Context, svcs []daemon.Service, account string) (any, error) {
	res := apiFetchResult{IMAP: []imap.Summary{}}
	var errs []string
	found := false
	for _, s := range svcs {
		f, ok := s.(fetchNower)
		if !ok {
			continue
		}
		_, acct, _ := strings.Cut(s.Name(), ":")
		if account != "" && acct != account {
			continue
		}
		found = true
		out, err := f.FetchNow(ctx)
		if err != nil {
			errs = append(errs, err.Error())
		}
		if sum, ok := out.(imap.Summary); ok {
			res.IMAP = append(res.IMAP, sum)
			continue
		}
		if res.Others == nil {
			res.Others = map[string]jsonRaw{}
		}
		res.Others[s.Name()] = mustJSON(out)
	}
	if account != "" && !found {
		return res, fmt.Errorf("no account %s in pam serve (added after it started? restart it): %w", account, pam.ErrNotFound)
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return res, nil
}

// imapService adapts an IMAP watcher to the daemon.
type imapService struct{ *imap.Watcher }

func (s imapService) FetchNow(ctx context.Context) (any, error) { return s.Fetch(ctx) }
func (s imapService) ServiceStatus() any                        { return s.Status() }

func imapServices(ctx context.Context, d serveDeps) ([]daemon.Service, error) {
	cfgs, err := imapAccounts(ctx, d.Env, d.Store, "")
	if err != nil {
		return nil, err
	}
	var out []daemon.Service
	for _, cfg := range cfgs {
		sy := imap.NewSyncer(d.Store, cfg, imap.Options{Logger: d.Logger})
		w := imap.NewWatcher(sy, d.Poll)
		env, st, log, noAI := d.Env, d.Store, d.Logger, d.NoAI
		w.AfterSync = func(ctx context.Context, sum imap.Summary, err error) {
			if err != nil {
				log.Warn("imap sync failed", "account", sum.Account, "err", err)
			} else if sum.Imported > 0 || sum.FlagsPulled > 0 || sum.Removed > 0 {
				log.Info("imap sync", "account", sum.Account, "new", sum.Imported, "flags", sum.FlagsPulled, "removed", sum.Removed)
			}
			if len(sum.New) > 0 && ctx.Err() == nil && !noAI {
				if _, err := runPipeline(ctx, env, st, sum.New); err != nil {
					log.Warn("pipeline after imap sync", "err", err)
				}
			}
		}
		out = append(out, imapService{w})
	}
	return out, nil
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

package imap

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Watcher keeps one account in sync for the daemon: a sync at start, then
// another whenever INBOX changes (IDLE, when the server offers it), at
// least every Poll interval (all folders, and the fallback without IDLE),
// and when Kick is called.
type Watcher struct {
	// AfterSync, when set, is called after each sync (the daemon runs the
	// AI pipeline over the new messages there). Set it before Serve.
	AfterSync func(ctx context.Context, sum Summary, err error)

	sy   *Syncer
	poll time.Duration
	kick chan struct{}

	mu   sync.Mutex
	last Status
}

// Status is what a Watcher reports about its account.
type Status struct {
	Account  string    `json:"account"`
	Idle     bool      `json:"idle"` // waiting in IDLE (else polling)
	LastSync time.Time `json:"last_sync,omitzero"`
	LastOK   time.Time `json:"last_ok,omitzero"`
	Last     *Summary  `json:"last,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// NewWatcher returns a Watcher over sy; poll <= 0 means 5 minutes.
func NewWatcher(sy *Syncer, poll time.Duration) *Watcher {
	if poll <= 0 {
		poll = 5 * time.Minute
	}
	return &Watcher{sy: sy, poll: poll, kick: make(chan struct{}, 1), last: Status{Account: sy.cfg.Account}}
}

// Name names the service.
func (w *Watcher) Name() string { return "imap:" + w.sy.cfg.Account }

// Status returns the latest status.
func (w *Watcher) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Kick asks for a sync soon; it does not wait.
func (w *Watcher) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Fetch syncs now and returns the summary (it waits for a sync already
// running to end first).
func (w *Watcher) Fetch(ctx context.Context) (Summary, error) {
	sum, err := w.sy.Sync(ctx)
	w.record(sum, err)
	if w.AfterSync != nil {
		w.AfterSync(ctx, sum, err)
	}
	return sum, err
}

func (w *Watcher) record(sum Summary, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last.LastSync = time.Now()
	w.last.Last = &sum
	w.last.Error = ""
	if err != nil {
		w.last.Error = err.Error()
	} else {
		w.last.LastOK = w.last.LastSync
	}
}

// Serve runs until ctx is done. It returns an error when a sync fails
// after its retries (the supervisor restarts it with backoff).
func (w *Watcher) Serve(ctx context.Context) error {
	for {
		if _, err := w.Fetch(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := w.wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// wait returns when there is something to sync: news in INBOX (IDLE), the
// poll interval passed, a Kick, or ctx done.
func (w *Watcher) wait(ctx context.Context) error {
	timer := time.NewTimer(w.poll)
	defer timer.Stop()
	news := make(chan struct{}, 1)
	signal := func() {
		select {
		case news <- struct{}{}:
		default:
		}
	}
	h := &imapclient.UnilateralDataHandler{
		Expunge: func(uint32) { signal() },
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				signal()
			}
		},
		Fetch: func(*imapclient.FetchMessageData) { signal() },
	}
	idleCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	c, err := dial(idleCtx, w.sy.cfg, h)
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	defer c.Close()
	var idle *imapclient.IdleCommand
	if c.Caps().Has(imap.CapIdle) {
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return fmt.Errorf("idle: select INBOX: %w", err)
		}
		// News that arrived between the sync and now.
		select {
		case <-news:
		default:
		}
		idle, err = c.Idle()
		if err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		w.setIdle(true)
		defer w.setIdle(false)
	} else {
		c.Logout().Wait()
	}
	select {
	case <-ctx.Done():
	case <-timer.C:
	case <-w.kick:
	case <-news:
	case <-c.Closed():
		return fmt.Errorf("idle: connection closed")
	}
	if idle != nil {
		idle.Close()
		idle.Wait()
		c.Logout().Wait()
	}
	return nil
}

func (w *Watcher) setIdle(on bool) {
	w.mu.Lock()
	w.last.Idle = on
	w.mu.Unlock()
}

package syncclient

import (
	"context"
	"time"
)

// Loop syncs in the background for pam serve: push and pull every
// Interval (default one minute), backing off while the relay is
// unreachable. Edits made meanwhile stay queued in the store.
type Loop struct {
	Client   *Client
	Interval time.Duration
	// Kick, when not nil, triggers an immediate sync (for example after a
	// local edit); sends must not block.
	Kick <-chan struct{}
}

// Serve runs until ctx is done and then returns ctx.Err(). Sync failures
// are logged (ids and counts only) and retried; they never end the loop.
func (l *Loop) Serve(ctx context.Context) error {
	every := l.Interval
	if every <= 0 {
		every = time.Minute
	}
	wait := time.Duration(0)
	fails := 0
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		case <-l.Kick:
			t.Stop()
		}
		rep, err := l.Client.Sync(ctx)
		log := l.Client.o.Logger
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fails++
			wait = min(every<<min(fails, 6), time.Hour)
			log.Warn("sync failed", "err", err, "retry_in", wait)
			continue
		}
		fails, wait = 0, every
		if rep.Pushed+rep.Pulled > 0 || len(rep.Refused) > 0 {
			log.Info("synced", "pushed", rep.Pushed, "pulled", rep.Pulled, "applied", rep.Applied, "refused", len(rep.Refused))
		}
	}
}

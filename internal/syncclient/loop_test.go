package syncclient

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestLoop: a background loop on B picks up A's edit and stops with its
// context.
func TestLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := newTestRelay(t)
	cs := account(t, r, 2)
	a, b := cs[0], cs[1]
	done := make(chan error, 1)
	go func() { done <- (&Loop{Client: b, Interval: 20 * time.Millisecond}).Serve(ctx) }()
	if err := a.Set(ctx, "note", "n", "title", []byte("from A")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500 && field(t, b, "note", "n", "title") != "from A"; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if got := field(t, b, "note", "n", "title"); got != "from A" {
		t.Errorf("B's loop did not pull: title %q", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Serve = %v, want context.Canceled", err)
	}
}

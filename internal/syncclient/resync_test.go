package syncclient

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestFullResyncAfterRetention: B is away longer than the retention
// period with an edit queued. Meanwhile A deleted a task and collected
// the tombstone. When B comes back it must not push its stale ops (A
// refuses them as older than its horizon, so the edit would be lost) nor
// keep the deleted task: it reloads the snapshot and re-issues its edit
// with a new stamp, which A then applies.
func TestFullResyncAfterRetention(t *testing.T) {
	ctx := context.Background()
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	r := newTestRelay(t)
	ha, hb := newHome(t), newHome(t)
	oa, ob := ha.opts(), hb.opts()
	oa.Now, ob.Now = now, now
	res, err := Init(ctx, oa, r.URL, testScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Client
	inv, err := a.Invite(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Join(ctx, ob, r.URL, inv.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Set(ctx, "note", "t1", "title", []byte("old task")); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if got := field(t, b, "note", "t1", "title"); got != "old task" {
		t.Fatalf("B t1 = %q", got)
	}
	// B goes away with an edit queued; A deletes t1 and snapshots.
	if err := b.Set(ctx, "note", "t2", "title", []byte("written while away")); err != nil {
		t.Fatal(err)
	}
	if err := a.Delete(ctx, "note", "t1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.PushSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	// 31 days later A syncs (and collects tombstones), then B comes back.
	skew.Store(int64(31 * 24 * time.Hour))
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	ra, _ := a.loadReplica(ctx, a.db)
	if h := ra.State.Horizon(); time.Since(h) > 24*time.Hour*29 {
		t.Fatalf("A's horizon %v did not move after the retention period", h)
	}
	if need, _ := b.needsFullResync(ctx); !need {
		t.Fatal("B does not need a full resync after 31 days")
	}
	if _, err := b.Sync(ctx); err != nil {
		t.Fatalf("B Sync after retention = %v", err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Client{"A": a, "B": b} {
		if _, ok, _ := c.Get(ctx, "note", "t1"); ok {
			t.Errorf("%s still has the deleted t1", name)
		}
		if got := field(t, c, "note", "t2", "title"); got != "written while away" {
			t.Errorf("%s t2 = %q, want B's edit from while it was away", name, got)
		}
	}
	if need, _ := b.needsFullResync(ctx); need {
		t.Error("B still needs a full resync after syncing")
	}
}

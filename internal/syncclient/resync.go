package syncclient

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncwire"
)

// Tombstone collection and full resync (doc/design/sync.md). After every
// successful sync a device collects tombstones older than the retention
// period; from then on it refuses ops stamped before that horizon. So a
// device that has not synced for longer than the retention must not push
// what it queued while away as it is (those ops would be refused as
// stale, and its old state could bring back deleted data): it loads the
// relay's latest snapshot instead of its own state, rewinds its cursors to
// the heads the snapshot covers, and re-issues its unsynced changes as
// new ops with new stamps.

func (c *Client) retention() time.Duration {
	if c.o.Retention > 0 {
		return c.o.Retention
	}
	return crdt.DefaultRetention
}

// horizon is now minus the retention, truncated to a UTC day: devices
// that sync on the same day collect up to the same point (so equal states
// keep equal snapshot bytes), and the state is rewritten once a day at
// most.
func (c *Client) horizon() time.Time {
	return c.o.Now().Add(-c.retention()).UTC().Truncate(24 * time.Hour)
}

// needsFullResync reports whether this device was away longer than the
// retention period.
func (c *Client) needsFullResync(ctx context.Context) (bool, error) {
	ls, err := getMetaInt(ctx, c.db, "last_sync")
	if err != nil || ls == 0 {
		return false, err
	}
	return crdt.NeedsFullResync(time.UnixMilli(ls), c.o.Now(), c.retention()), nil
}

// collect drops tombstones older than the retention period.
func (c *Client) collect(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	horizon := c.horizon()
	return c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		if !horizon.After(r.State.Horizon()) {
			return nil
		}
		r.State.Collect(horizon)
		return saveReplica(ctx, tx, r)
	})
}

// FullResync replaces the local state by the relay's latest snapshot and
// re-issues this device's unsynced changes (queued ops and sealed but
// unacknowledged batches) with new stamps. Sync calls it when the device
// was away longer than the retention period.
func (c *Client) FullResync(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.refreshKeys(ctx); err != nil {
		return err
	}
	s, ok, err := c.relay.snapshot(ctx)
	if err != nil {
		return fmt.Errorf("full resync: %w", err)
	}
	var snap *crdt.State
	if ok {
		h, err := syncwire.ParseHeader(s.Data)
		if err != nil {
			return fmt.Errorf("full resync: %w", err)
		}
		plain, err := seal.OpenSnapshot(s.Data, c.ring, c.roster, seal.Expect{Account: c.account, Device: h.Device, Seq: h.Seq, Prev: syncwire.CoverHash(s.Heads)})
		if err != nil {
			return fmt.Errorf("full resync: open snapshot: %w", err)
		}
		if snap, err = crdt.LoadSnapshot(plain); err != nil {
			return fmt.Errorf("full resync: %w", err)
		}
	}
	// This device's unsynced changes: ops still queued, and those of
	// sealed batches the relay has not acknowledged (opened with our own
	// keys; the header carries the chain position).
	var mine []crdt.Op
	rows, err := c.db.QueryContext(ctx, `SELECT sealed FROM sync_outbox ORDER BY seq`)
	if err != nil {
		return err
	}
	var sealed [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return err
		}
		sealed = append(sealed, b)
	}
	rows.Close()
	for _, b := range sealed {
		h, err := syncwire.ParseHeader(b)
		if err != nil {
			return err
		}
		plain, err := seal.OpenBatch(b, c.ring, c.roster, seal.Expect{Account: c.account, Device: c.devID, Seq: h.Seq, Prev: h.Prev})
		if err != nil {
			return fmt.Errorf("full resync: own batch %d: %w", h.Seq, err)
		}
		ops, err := crdt.DecodeBatch(plain)
		if err != nil {
			return err
		}
		mine = append(mine, ops...)
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT op FROM sync_pending ORDER BY id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			ops, err := crdt.DecodeBatch(b)
			if err != nil {
				rows.Close()
				return err
			}
			mine = append(mine, ops...)
		}
		rows.Close()
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		if snap != nil {
			r.State = snap
			for _, hd := range snap.Heads() {
				r.Clock.Observe(hd)
			}
			// Rewind every other device's cursor to the snapshot: batches
			// after it are pulled again and applied to the new state.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_peers`); err != nil {
				return err
			}
			for d, hd := range s.Heads {
				if d == c.devID {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers (device, seq, hash) VALUES (?, ?, ?)`, d, int64(hd.Seq), hd.Hash[:]); err != nil {
					return err
				}
			}
		}
		r.State.Collect(c.horizon())
		for _, q := range []string{`DELETE FROM sync_pending`, `DELETE FROM sync_held`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		reissued := 0
		for _, op := range mine {
			var n crdt.Op
			var err error
			switch op.Kind {
			case crdt.KindSet:
				n, err = r.Set(op.Collection, op.ID, op.Field, op.Value)
			case crdt.KindAdd:
				n, err = r.Add(op.Collection, op.ID, op.Field, op.Elem)
			case crdt.KindRemove:
				n, err = r.Remove(op.Collection, op.ID, op.Field, op.Elem)
			case crdt.KindDelete:
				n, err = r.Delete(op.Collection, op.ID)
			default:
				continue
			}
			if err != nil {
				return fmt.Errorf("full resync: re-issue: %w", err)
			}
			b, err := crdt.EncodeBatch([]crdt.Op{n})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending (op) VALUES (?)`, b); err != nil {
				return err
			}
			reissued++
		}
		c.o.Logger.Info("full resync", "snapshot", snap != nil, "reissued", reissued)
		return saveReplica(ctx, tx, r)
	})
}

package syncclient

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncwire"
)

// Report says what one Sync did.
type Report struct {
	Pushed  int     // batches the relay acknowledged
	Pulled  int     // remote batches opened and applied
	Applied int     // remote ops applied
	Held    int     // remote ops held back (clock too far ahead)
	Refused []error // per-device chain errors (tampering, forks, missing keys)
}

// Sync pushes queued edits and then pulls and applies the other devices'
// batches, once.
func (c *Client) Sync(ctx context.Context) (Report, error) {
	var rep Report
	if full, err := c.needsFullResync(ctx); err != nil {
		return rep, err
	} else if full {
		if err := c.FullResync(ctx); err != nil {
			return rep, err
		}
	}
	// Local changes made outside the Client become queued ops first, so
	// that they go out with this push (or wait in the queue while the relay
	// is unreachable).
	if err := c.Export(ctx); err != nil {
		return rep, err
	}
	n, err := c.Push(ctx)
	rep.Pushed = n
	if err != nil {
		return rep, err
	}
	pr, err := c.Pull(ctx)
	pr.Pushed = rep.Pushed
	if err == nil {
		err = c.Import(ctx)
	}
	if err == nil {
		err = c.collect(ctx)
	}
	if err == nil {
		err = setMetaInt(ctx, c.db, "last_sync", c.o.Now().UnixMilli())
	}
	return pr, err
}

// Push seals queued local ops into batches (BatchOps ops each) and sends
// every unacknowledged batch to the relay in order. A batch is sealed and
// stored in the outbox in one transaction before it is sent, so a crash
// re-sends the very same bytes (which the relay acknowledges again).
func (c *Client) Push(ctx context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sent := 0
	for {
		n, err := c.flushOutbox(ctx)
		sent += n
		if err != nil {
			return sent, err
		}
		more, err := c.sealPending(ctx)
		if err != nil || !more {
			return sent, err
		}
	}
}

func (c *Client) flushOutbox(ctx context.Context) (int, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT seq, sealed FROM sync_outbox ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	type item struct {
		seq    uint64
		sealed []byte
	}
	var items []item
	for rows.Next() {
		var it item
		var seq int64
		if err := rows.Scan(&seq, &it.sealed); err != nil {
			rows.Close()
			return 0, err
		}
		it.seq = uint64(seq)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if _, err := c.relay.append(ctx, c.devID, it.seq, it.sealed); err != nil {
			if IsCode(err, syncwire.CodeSeqConflict) {
				return n, fmt.Errorf("the relay holds a different batch %d of this device (fork or restored data directory): %w", it.seq, err)
			}
			return n, fmt.Errorf("push batch %d: %w", it.seq, err)
		}
		err := c.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_outbox WHERE seq = ?`, int64(it.seq)); err != nil {
				return err
			}
			return setMetaInt(ctx, tx, "acked_seq", int64(it.seq))
		})
		if err != nil {
			return n, fmt.Errorf("record ack of batch %d: %w", it.seq, err)
		}
		n++
	}
	return n, nil
}

// sealPending seals up to BatchOps queued ops as the next batch; more
// reports whether it sealed one.
func (c *Client) sealPending(ctx context.Context) (bool, error) {
	more := false
	err := c.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, op FROM sync_pending ORDER BY id LIMIT ?`, c.o.BatchOps)
		if err != nil {
			return fmt.Errorf("read queued ops: %w", err)
		}
		var ops []crdt.Op
		var last int64
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&last, &b); err != nil {
				rows.Close()
				return err
			}
			o, err := crdt.DecodeBatch(b)
			if err != nil {
				rows.Close()
				return fmt.Errorf("queued op %d: %w", last, err)
			}
			ops = append(ops, o...)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ops) == 0 {
			return nil
		}
		plain, err := crdt.EncodeBatch(ops)
		if err != nil {
			return err
		}
		seq, err := getMetaInt(ctx, tx, "chain_seq")
		if err != nil {
			return err
		}
		prevB, err := getMeta(ctx, tx, "chain_hash")
		if err != nil {
			return err
		}
		var prev [32]byte
		copy(prev[:], prevB)
		sealed, err := seal.SealBatch(c.ring, c.dev, uint64(seq+1), prev, plain)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_outbox (seq, sealed) VALUES (?, ?)`, seq+1, sealed); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_pending WHERE id <= ?`, last); err != nil {
			return err
		}
		h := seal.Hash(sealed)
		if err := setMeta(ctx, tx, "chain_hash", h[:]); err != nil {
			return err
		}
		more = true
		return setMetaInt(ctx, tx, "chain_seq", seq+1)
	})
	return more, err
}

// peer is a device's position in its chain as this device accepted it.
type peer struct {
	seq  uint64
	hash [32]byte
}

func loadPeers(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]peer, error) {
	rows, err := q.QueryContext(ctx, `SELECT device, seq, hash FROM sync_peers`)
	if err != nil {
		return nil, fmt.Errorf("read cursors: %w", err)
	}
	defer rows.Close()
	m := map[string]peer{}
	for rows.Next() {
		var d string
		var seq int64
		var h []byte
		if err := rows.Scan(&d, &seq, &h); err != nil {
			return nil, err
		}
		var p peer
		p.seq = uint64(seq)
		copy(p.hash[:], h)
		m[d] = p
	}
	return m, rows.Err()
}

// Pull fetches the other devices' batches past this device's cursors,
// checks and opens each (chain order, signature, roster, epoch key),
// applies its ops and saves state and cursors in one transaction per relay
// answer. A device whose chain fails a check is skipped (its error is in
// Report.Refused) and the others go on.
func (c *Client) Pull(ctx context.Context) (Report, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var rep Report
	if err := c.refreshKeys(ctx); err != nil {
		return rep, err
	}
	refreshed := false
	for round := 0; round < 10000; round++ {
		peers, err := loadPeers(ctx, c.db)
		if err != nil {
			return rep, err
		}
		chainSeq, err := getMetaInt(ctx, c.db, "chain_seq")
		if err != nil {
			return rep, err
		}
		since := map[string]uint64{c.devID: uint64(chainSeq)}
		for d, p := range peers {
			if d != c.devID {
				since[d] = p.seq
			}
		}
		resp, err := c.relay.pull(ctx, since)
		if err != nil {
			return rep, fmt.Errorf("pull: %w", err)
		}
		var ops []crdt.Op
		bad := map[string]bool{}
		changed := map[string]peer{}
		retry := false
		for _, b := range resp.Batches {
			if b.Device == c.devID || bad[b.Device] {
				continue
			}
			p := peers[b.Device]
			if cp, ok := changed[b.Device]; ok {
				p = cp
			}
			plain, err := seal.OpenBatch(b.Data, c.ring, c.roster, seal.Expect{Account: c.account, Device: b.Device, Seq: p.seq + 1, Prev: p.hash})
			if errors.Is(err, seal.ErrNoEpochKey) || errors.Is(err, seal.ErrUnknownDevice) {
				if !refreshed {
					// A rotation or a new device we have not heard of yet.
					refreshed, retry = true, true
					break
				}
			}
			if err != nil {
				bad[b.Device] = true
				rep.Refused = append(rep.Refused, fmt.Errorf("device %s batch %d: %w", b.Device, b.Seq, err))
				c.o.Logger.Warn("batch refused", "device", b.Device, "seq", b.Seq, "err", err)
				continue
			}
			bops, err := crdt.DecodeBatch(plain)
			if err != nil {
				bad[b.Device] = true
				rep.Refused = append(rep.Refused, fmt.Errorf("device %s batch %d: %w", b.Device, b.Seq, err))
				continue
			}
			ops = append(ops, bops...)
			changed[b.Device] = peer{seq: b.Seq, hash: seal.Hash(b.Data)}
			rep.Pulled++
		}
		if retry {
			if err := c.refreshKeys(ctx); err != nil {
				return rep, err
			}
			continue
		}
		keys, applied, held, err := c.apply(ctx, ops, changed)
		if err != nil {
			return rep, err
		}
		rep.Applied += applied
		rep.Held += held
		if err := c.notify(ctx, keys); err != nil {
			return rep, err
		}
		if !resp.More || len(changed) == 0 {
			break
		}
	}
	return rep, nil
}

type objKey struct{ coll, id string }

// apply applies remote ops (and retries held ones), and saves state,
// cursors and the held queue in one transaction.
func (c *Client) apply(ctx context.Context, ops []crdt.Op, cursors map[string]peer) (map[objKey]bool, int, int, error) {
	keys := map[objKey]bool{}
	applied, held := 0, 0
	err := c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT op FROM sync_held ORDER BY id`)
		if err != nil {
			return err
		}
		var all []crdt.Op
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			o, err := crdt.DecodeBatch(b)
			if err != nil {
				rows.Close()
				return err
			}
			all = append(all, o...)
		}
		rows.Close()
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_held`); err != nil {
			return err
		}
		all = append(all, ops...)
		var keep []crdt.Op
		for _, op := range all {
			switch err := r.Receive(op); {
			case errors.Is(err, crdt.ErrClockDrift):
				keep = append(keep, op)
			case errors.Is(err, crdt.ErrStale), errors.Is(err, crdt.ErrInvalidOp):
				c.o.Logger.Warn("remote op dropped", "device", op.Stamp.Device, "err", err)
			case err != nil:
				return err
			default:
				applied++
				keys[objKey{op.Collection, op.ID}] = true
			}
		}
		held = len(keep)
		if len(keep) > 0 {
			b, err := crdt.EncodeBatch(keep)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_held (op) VALUES (?)`, b); err != nil {
				return err
			}
		}
		for d, p := range cursors {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers (device, seq, hash) VALUES (?, ?, ?)
				ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, d, int64(p.seq), p.hash[:]); err != nil {
				return err
			}
		}
		n, err := getMetaInt(ctx, tx, "ops_applied")
		if err != nil {
			return err
		}
		if err := setMetaInt(ctx, tx, "ops_applied", n+int64(applied)); err != nil {
			return err
		}
		return saveReplica(ctx, tx, r)
	})
	return keys, applied, held, err
}

func (c *Client) notify(ctx context.Context, keys map[objKey]bool) error {
	if len(keys) == 0 || len(c.adapters) == 0 {
		return nil
	}
	r, err := c.loadReplica(ctx, c.db)
	if err != nil {
		return err
	}
	for k := range keys {
		a, ok := c.adapters[k.coll]
		if !ok || !c.inScope(k.coll) {
			continue
		}
		obj, ok := r.State.Get(k.coll, k.id)
		if err := a.Changed(ctx, k.id, obj, ok); err != nil {
			return fmt.Errorf("adapter %s: %w", k.coll, err)
		}
	}
	return nil
}

// PushSnapshot uploads the whole replicated state, sealed, bound to the
// per-device heads it covers (this device's acknowledged batches and every
// batch it applied), so a new device can start from it.
func (c *Client) PushSnapshot(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var snap []byte
	heads := map[string]syncwire.Head{}
	err := c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		snap = r.State.Snapshot()
		peers, err := loadPeers(ctx, tx)
		if err != nil {
			return err
		}
		for d, p := range peers {
			heads[d] = syncwire.Head{Seq: p.seq, Hash: p.hash}
		}
		acked, err := getMetaInt(ctx, tx, "acked_seq")
		if err != nil || acked == 0 {
			return err
		}
		// The hash of the acknowledged batch: the outbox holds only
		// unacknowledged ones, so recompute it from the chain position.
		chainSeq, err := getMetaInt(ctx, tx, "chain_seq")
		if err != nil {
			return err
		}
		if chainSeq != acked {
			return errors.New("push queued batches before a snapshot")
		}
		h, err := getMeta(ctx, tx, "chain_hash")
		if err != nil {
			return err
		}
		var hh syncwire.Hash
		copy(hh[:], h)
		heads[c.devID] = syncwire.Head{Seq: uint64(acked), Hash: hh}
		return nil
	})
	if err != nil {
		return err
	}
	n, err := getMetaInt(ctx, c.db, "snapshot_seq")
	if err != nil {
		return err
	}
	sealed, err := seal.SealSnapshot(c.ring, c.dev, uint64(n+1), syncwire.CoverHash(heads), snap)
	if err != nil {
		return err
	}
	if err := setMetaInt(ctx, c.db, "snapshot_seq", n+1); err != nil {
		return err
	}
	if err := c.relay.putSnapshot(ctx, syncwire.Snapshot{Heads: heads, Data: sealed}); err != nil {
		return fmt.Errorf("upload snapshot: %w", err)
	}
	return nil
}

// Restore merges the relay's latest snapshot into the local state and
// moves the cursors to the heads it covers (only forward). A device without
// a snapshot on the relay does nothing.
func (c *Client) Restore(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok, err := c.relay.snapshot(ctx)
	if err != nil || !ok {
		return err
	}
	h, err := syncwire.ParseHeader(s.Data)
	if err != nil {
		return err
	}
	plain, err := seal.OpenSnapshot(s.Data, c.ring, c.roster, seal.Expect{Account: c.account, Device: h.Device, Seq: h.Seq, Prev: syncwire.CoverHash(s.Heads)})
	if errors.Is(err, seal.ErrNoEpochKey) {
		if err := c.refreshKeys(ctx); err != nil {
			return err
		}
		plain, err = seal.OpenSnapshot(s.Data, c.ring, c.roster, seal.Expect{Account: c.account, Device: h.Device, Seq: h.Seq, Prev: syncwire.CoverHash(s.Heads)})
	}
	if err != nil {
		return fmt.Errorf("open snapshot: %w", err)
	}
	st, err := crdt.LoadSnapshot(plain)
	if err != nil {
		return fmt.Errorf("load snapshot: %w", err)
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		peers, err := loadPeers(ctx, tx)
		if err != nil {
			return err
		}
		r.State.Merge(st)
		for _, hd := range st.Heads() {
			r.Clock.Observe(hd)
		}
		for d, hd := range s.Heads {
			if d == c.devID || peers[d].seq >= hd.Seq {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers (device, seq, hash) VALUES (?, ?, ?)
				ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, d, int64(hd.Seq), hd.Hash[:]); err != nil {
				return err
			}
		}
		return saveReplica(ctx, tx, r)
	})
}

// Status is what pam sync status shows.
type Status struct {
	Relay      string            `json:"relay"`
	Account    string            `json:"account"`
	Device     string            `json:"device"`
	Scope      []string          `json:"scope"`
	Epoch      uint32            `json:"epoch"`
	Devices    []DeviceStatus    `json:"devices"`
	Queued     int               `json:"queued_ops"`
	Unacked    int               `json:"unacked_batches"`
	Sealed     uint64            `json:"sealed_batches"`
	Acked      uint64            `json:"acked_batches"`
	Cursors    map[string]uint64 `json:"cursors"`
	LastSync   *time.Time        `json:"last_sync,omitempty"`
	OpsApplied int64             `json:"ops_applied"`
	Held       int               `json:"held_ops"`
}

// DeviceStatus is one roster member.
type DeviceStatus struct {
	ID      string `json:"id"`
	Self    bool   `json:"self,omitempty"`
	Added   uint32 `json:"added_epoch"`
	Revoked uint32 `json:"revoked_epoch,omitempty"`
}

// Status reports the local sync state; it does not contact the relay.
func (c *Client) Status(ctx context.Context) (Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := Status{Relay: c.relay.base.String(), Account: c.account, Device: c.devID, Scope: c.scope, Epoch: c.ring.Current, Cursors: map[string]uint64{}}
	for _, m := range c.roster.Members {
		st.Devices = append(st.Devices, DeviceStatus{ID: m.ID, Self: m.ID == c.devID, Added: m.Added, Revoked: m.Revoked})
	}
	q := func(query string, dst *int) error { return c.db.QueryRowContext(ctx, query).Scan(dst) }
	if err := q(`SELECT COUNT(*) FROM sync_pending`, &st.Queued); err != nil {
		return st, err
	}
	if err := q(`SELECT COUNT(*) FROM sync_outbox`, &st.Unacked); err != nil {
		return st, err
	}
	var held int
	if err := q(`SELECT COUNT(*) FROM sync_held`, &held); err != nil {
		return st, err
	}
	st.Held = held
	m, err := c.metaAll(ctx)
	if err != nil {
		return st, err
	}
	num := func(k string) int64 { n, _ := strconv.ParseInt(string(m[k]), 10, 64); return n }
	st.Sealed, st.Acked, st.OpsApplied = uint64(num("chain_seq")), uint64(num("acked_seq")), num("ops_applied")
	if ls := num("last_sync"); ls > 0 {
		t := time.UnixMilli(ls).UTC()
		st.LastSync = &t
	}
	peers, err := loadPeers(ctx, c.db)
	if err != nil {
		return st, err
	}
	for d, p := range peers {
		st.Cursors[d] = p.seq
	}
	return st, nil
}

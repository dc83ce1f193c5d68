package syncclient

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pam-ai/pam/internal/crdt"
)

// Reconciler keeps one collection of PAM's own tables (tasks,
// corrections…) in step with the replicated state, for state that PAM
// code changes without going through the Client (pam task add writes the
// store only). Sync calls Export before it pushes and Import after it
// pulls; neither is called for a collection outside the device's scope.
type Reconciler interface {
	Collection() string
	// Export turns what changed in PAM's tables since the last reconcile
	// into ops (through Client.Edit). It must be idempotent: after a crash
	// it may see the same change again.
	Export(ctx context.Context, c *Client) error
	// Import writes the replicated state into PAM's tables. It must be
	// idempotent.
	Import(ctx context.Context, c *Client) error
}

// AddReconciler registers r; Sync runs it.
func (c *Client) AddReconciler(r Reconciler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reconcilers = append(c.reconcilers, r)
}

func (c *Client) activeReconcilers() []Reconciler {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Reconciler
	for _, r := range c.reconcilers {
		if c.inScope(r.Collection()) {
			out = append(out, r)
		}
	}
	return out
}

// Export runs every registered reconciler's Export: local changes become
// queued ops. Sync calls it; pam commands may call it to queue edits
// without contacting the relay.
func (c *Client) Export(ctx context.Context) error {
	for _, r := range c.activeReconcilers() {
		if err := r.Export(ctx, c); err != nil {
			return fmt.Errorf("export %s: %w", r.Collection(), err)
		}
	}
	return nil
}

// Import runs every registered reconciler's Import.
func (c *Client) Import(ctx context.Context) error {
	for _, r := range c.activeReconcilers() {
		if err := r.Import(ctx, c); err != nil {
			return fmt.Errorf("import %s: %w", r.Collection(), err)
		}
	}
	return nil
}

// Editor makes several local edits in one transaction (Client.Edit): the
// replicated state is loaded and saved once, however many ops.
type Editor struct {
	c     *Client
	r     *crdt.Replica
	tx    *sql.Tx
	ops   []crdt.Op
	queue func(op crdt.Op) error
}

func (e *Editor) do(coll string, make func() (crdt.Op, error)) error {
	if !e.c.inScope(coll) {
		return fmt.Errorf("%q: %w", coll, ErrOutOfScope)
	}
	op, err := make()
	if err != nil {
		return err
	}
	return e.queue(op)
}

// Set writes field of (coll, id).
func (e *Editor) Set(coll, id, field string, value []byte) error {
	return e.do(coll, func() (crdt.Op, error) { return e.r.Set(coll, id, field, value) })
}

// Add adds elem to the set field of (coll, id).
func (e *Editor) Add(coll, id, field, elem string) error {
	return e.do(coll, func() (crdt.Op, error) { return e.r.Add(coll, id, field, elem) })
}

// Remove removes elem from the set field of (coll, id) as this device sees it.
func (e *Editor) Remove(coll, id, field, elem string) error {
	return e.do(coll, func() (crdt.Op, error) { return e.r.Remove(coll, id, field, elem) })
}

// Delete deletes (coll, id).
func (e *Editor) Delete(coll, id string) error {
	return e.do(coll, func() (crdt.Op, error) { return e.r.Delete(coll, id) })
}

// Get returns the visible object (coll, id) as it is inside the edit.
func (e *Editor) Get(coll, id string) (crdt.Object, bool) { return e.r.State.Get(coll, id) }

// Tx is the edit's transaction on the store, for a caller that records
// its own bookkeeping atomically with the ops.
func (e *Editor) Tx() *sql.Tx { return e.tx }

// Edit runs fn with an Editor; the ops it makes are applied and queued in
// one transaction, which commits only when fn returns nil.
func (c *Client) Edit(ctx context.Context, fn func(e *Editor) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		e := &Editor{c: c, r: r, tx: tx}
		e.queue = func(op crdt.Op) error {
			b, err := crdt.EncodeBatch([]crdt.Op{op})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending (op) VALUES (?)`, b); err != nil {
				return fmt.Errorf("queue op: %w", err)
			}
			e.ops = append(e.ops, op)
			return nil
		}
		if err := fn(e); err != nil {
			return err
		}
		if len(e.ops) == 0 {
			return nil
		}
		return saveReplica(ctx, tx, r)
	})
}

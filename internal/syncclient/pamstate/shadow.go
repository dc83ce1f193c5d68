// Package pamstate connects PAM's own tables to sync: tasks (the store's
// tasks table, edited by pam task …) and the user's corrections (pam
// label) become objects of the replicated state, keyed by ids that are
// the same on every device — a task by its UID (or, for a task extracted
// from mail, by its source message's stable id), a correction by its
// message's stable id (messages.pid), so that annotations find their
// message on every device.
//
// PAM code writes its tables without knowing about sync, so each
// collection is reconciled around every sync (syncclient.Reconciler):
// a shadow — the values each object had when it was last reconciled,
// kept in sync_meta — tells a local change (table ≠ shadow: Export makes
// ops of it) from a remote one (replicated state ≠ shadow: Import writes
// it to the table). Every step is idempotent, so a crash between two of
// them at worst re-sends a value the other devices already have.
package pamstate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
)

// Register adds the reconcilers of every PAM collection it knows to c.
func Register(c *syncclient.Client, st *store.Store) {
	c.AddReconciler(&Tasks{St: st})
	c.AddReconciler(&Corrections{St: st})
}

// entry is one object's shadow: the local row it maps to (tasks) and the
// field values last reconciled.
type entry struct {
	Row int64             `json:"row,omitempty"`
	F   map[string]string `json:"f"`
}

func shadowKey(coll, id string) string { return "shadow/" + coll + "/" + id }

// loadShadow reads every shadow entry of a collection.
func loadShadow(ctx context.Context, db *sql.DB, coll string) (map[string]entry, error) {
	prefix := "shadow/" + coll + "/"
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM sync_meta WHERE key >= ? AND key < ?`, prefix, prefix+"\xff")
	if err != nil {
		return nil, fmt.Errorf("read %s shadow: %w", coll, err)
	}
	defer rows.Close()
	out := map[string]entry{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		var e entry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k[len(prefix):]] = e
	}
	return out, rows.Err()
}

// shadowWriter writes shadow entries (nil entry: delete) in one
// transaction.
type shadowWriter struct {
	coll string
	put  map[string]*entry
}

func newShadowWriter(coll string) *shadowWriter {
	return &shadowWriter{coll: coll, put: map[string]*entry{}}
}

func (w *shadowWriter) set(id string, e entry) { w.put[id] = &e }
func (w *shadowWriter) drop(id string)         { w.put[id] = nil }

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func (w *shadowWriter) writeTo(ctx context.Context, x execer) error {
	ids := make([]string, 0, len(w.put))
	for id := range w.put {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := w.put[id]
		if e == nil {
			if _, err := x.ExecContext(ctx, `DELETE FROM sync_meta WHERE key = ?`, shadowKey(w.coll, id)); err != nil {
				return fmt.Errorf("shadow: %w", err)
			}
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, shadowKey(w.coll, id), b); err != nil {
			return fmt.Errorf("shadow: %w", err)
		}
	}
	return nil
}

func (w *shadowWriter) write(ctx context.Context, db *sql.DB) error {
	if len(w.put) == 0 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := w.writeTo(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// changed returns the fields whose values differ between a and b (a
// missing field counts as empty), sorted.
func changed(a, b map[string]string) []string {
	keys := maps.Clone(a)
	if keys == nil {
		keys = map[string]string{}
	}
	for k := range b {
		keys[k] = ""
	}
	var out []string
	for k := range keys {
		if a[k] != b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// fieldsOf turns an object's register values into strings.
func fieldsOf(f map[string][]byte) map[string]string {
	out := make(map[string]string, len(f))
	for k, v := range f {
		out[k] = string(v)
	}
	return out
}

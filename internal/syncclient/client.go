// Package syncclient is the device side of PAM's sync: it keeps PAM's
// replicated state (tasks, labels, corrections, templates, proposals —
// any crdt collection) in the local store, queues local edits while
// offline, seals them into signed batches for the relay, and opens, checks
// and applies the batches of the account's other devices. Keys live in
// files under the data directory (sync/, mode 0600); state and cursors live
// in the store's sync_* tables and change together in one transaction, so a
// crash never loses an acknowledged batch nor applies an op twice.
//
// Collections are generic: PAM code edits objects through the Client and
// registers an Adapter per collection to hear about remote changes.
package syncclient

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/seal"
)

// Errors.
var (
	ErrNotConfigured = errors.New("sync is not set up on this device (pam sync init or pam sync join)")
	ErrConfigured    = errors.New("sync is already set up on this device")
	ErrOutOfScope    = errors.New("collection is not in the sync scope")
	ErrDeviceLocal   = errors.New("device-local settings never sync")
)

// DefaultScope is what syncs unless the user chooses: every collection PAM
// syncs.
var DefaultScope = []string{crdt.CollTask, crdt.CollLabel, crdt.CollCorrection, crdt.CollTemplate, crdt.CollProposal, crdt.CollContact}

// deviceLocal names collections that must never sync: privacy settings
// (escalation policies, provider URLs, budget) stay on each device.
var deviceLocal = []string{"setting", "settings", "policy", "policies", "escalation", "provider", "providers", "budget", "secret", "secrets"}

// CheckScope validates a scope: crdt collection names, none of them
// device-local, no duplicates. It returns the sorted list.
func CheckScope(scope []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, c := range scope {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		for _, l := range deviceLocal {
			if strings.EqualFold(c, l) {
				return nil, fmt.Errorf("scope %q: %w", c, ErrDeviceLocal)
			}
		}
		if len(c) > crdt.MaxNameLen || strings.ContainsAny(c, ", \t\n") {
			return nil, fmt.Errorf("scope %q: not a collection name", c)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("scope is empty")
	}
	sort.Strings(out)
	return out, nil
}

// Adapter connects one collection of PAM state to sync. Changed is called
// after a pull changed an object of the collection, with the object as it
// is now (ok false when it was deleted). It must be idempotent: after a
// crash it may be called again for the same change.
type Adapter interface {
	Collection() string
	Changed(ctx context.Context, id string, obj crdt.Object, ok bool) error
}

// Options configure a Client. Home and DB are required.
type Options struct {
	Home     string       // the data directory; keys go to Home/sync (0700, files 0600)
	DB       *sql.DB      // the PAM store (store.Store.DB()), migrated to 0007
	HTTP     *http.Client // nil: a client with a 30 s timeout
	Now      func() time.Time
	Logger   *slog.Logger // ids and counts only
	BatchOps int          // ops per sealed batch (default 50)
	// Retention is how long tombstones are kept (default
	// crdt.DefaultRetention); a device away longer does a full resync.
	Retention time.Duration
}

func (o Options) withDefaults() Options {
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.BatchOps <= 0 {
		o.BatchOps = 50
	}
	return o
}

// Client is one device's sync engine. Its methods are safe for concurrent
// use within a process; across processes the store's transactions
// serialize them.
type Client struct {
	mu       sync.Mutex
	o        Options
	db       *sql.DB
	dir      string
	account  string
	devID    string
	dev      *seal.Device
	ring     *seal.Keyring
	roster   *seal.Roster
	rosterB  []byte
	scope    []string
	relay    *relay
	adapters map[string]Adapter
	// reconcilers run around every Sync (reconcile.go).
	reconcilers []Reconciler
}

func syncDir(home string) string { return filepath.Join(home, "sync") }

// Configured reports whether sync is set up in this data directory.
func Configured(ctx context.Context, db *sql.DB) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_meta WHERE key = 'account'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sync state: %w", err)
	}
	return n > 0, nil
}

// Open loads a configured client; ErrNotConfigured when sync was never set up.
func Open(ctx context.Context, o Options) (*Client, error) {
	o = o.withDefaults()
	ok, err := Configured(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotConfigured
	}
	c := &Client{o: o, db: o.DB, dir: syncDir(o.Home), adapters: map[string]Adapter{}}
	m, err := c.metaAll(ctx)
	if err != nil {
		return nil, err
	}
	c.account, c.devID = string(m["account"]), string(m["device"])
	c.scope = strings.Split(string(m["scope"]), ",")
	u, err := CheckRelayURL(string(m["relay"]))
	if err != nil {
		return nil, err
	}
	tok, err := os.ReadFile(filepath.Join(c.dir, "token"))
	if err != nil {
		return nil, fmt.Errorf("sync token: %w", err)
	}
	c.relay = &relay{base: u, token: strings.TrimSpace(string(tok)), hc: o.HTTP}
	db, err := os.ReadFile(filepath.Join(c.dir, "device.key"))
	if err != nil {
		return nil, fmt.Errorf("device key: %w", err)
	}
	if c.dev, err = seal.UnmarshalDevice(db); err != nil {
		return nil, fmt.Errorf("device key: %w", err)
	}
	rb, err := os.ReadFile(filepath.Join(c.dir, "keyring"))
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if c.ring, err = seal.UnmarshalKeyring(rb); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	c.rosterB, err = os.ReadFile(filepath.Join(c.dir, "roster"))
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	// The stored roster was verified when it was accepted; re-verify its
	// signature (first-contact rules) as a check against local corruption.
	if c.roster, err = seal.VerifyRoster(c.rosterB, c.account, nil); err != nil {
		return nil, fmt.Errorf("stored roster: %w", err)
	}
	return c, nil
}

// Register adds an adapter for its collection.
func (c *Client) Register(a Adapter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.adapters[a.Collection()] = a
}

// Account returns the account id; Device this device's id.
func (c *Client) Account() string { return c.account }

// Device returns this device's id.
func (c *Client) Device() string { return c.devID }

// Scope returns the collections this device syncs.
func (c *Client) Scope() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.scope...)
}

func (c *Client) inScope(coll string) bool {
	for _, s := range c.scope {
		if s == coll {
			return true
		}
	}
	return false
}

// SetScope changes what this device syncs from now on. Edits already
// queued stay queued.
func (c *Client) SetScope(ctx context.Context, scope []string) error {
	s, err := CheckScope(scope)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.db.ExecContext(ctx, `INSERT INTO sync_meta (key, value) VALUES ('scope', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, []byte(strings.Join(s, ","))); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	c.scope = s
	return nil
}

// --- files ---

// writeFile writes a secret file atomically: temp file 0600, fsync,
// rename, fsync of the directory.
func writeFile(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (c *Client) saveKeyring() error {
	b, err := c.ring.MarshalBinary()
	if err != nil {
		return err
	}
	return writeFile(c.dir, "keyring", b)
}

// --- meta ---

func (c *Client) metaAll(ctx context.Context) (map[string][]byte, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT key, value FROM sync_meta WHERE key NOT LIKE 'shadow/%'`)
	if err != nil {
		return nil, fmt.Errorf("sync meta: %w", err)
	}
	defer rows.Close()
	m := map[string][]byte{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func setMeta(ctx context.Context, q querier, key string, v []byte) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, v)
	if err != nil {
		return fmt.Errorf("sync meta %s: %w", key, err)
	}
	return nil
}

func getMeta(ctx context.Context, q querier, key string) ([]byte, error) {
	var v []byte
	err := q.QueryRowContext(ctx, `SELECT value FROM sync_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sync meta %s: %w", key, err)
	}
	return v, nil
}

func getMetaInt(ctx context.Context, q querier, key string) (int64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == nil {
		return 0, err
	}
	return strconv.ParseInt(string(v), 10, 64)
}

func setMetaInt(ctx context.Context, q querier, key string, n int64) error {
	return setMeta(ctx, q, key, []byte(strconv.FormatInt(n, 10)))
}

// --- state ---

// loadReplica reads the replicated state and the clock.
func (c *Client) loadReplica(ctx context.Context, q querier) (*crdt.Replica, error) {
	var snap []byte
	var wall int64
	var logical int64
	err := q.QueryRowContext(ctx, `SELECT snapshot, clock_wall, clock_logical FROM sync_state WHERE id = 1`).Scan(&snap, &wall, &logical)
	r := crdt.NewReplica(c.devID, c.o.Now, 0)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load sync state: %w", err)
	}
	st, err := crdt.LoadSnapshot(snap)
	if err != nil {
		return nil, fmt.Errorf("load sync state: %w", err)
	}
	r.State = st
	r.Clock.Restore(crdt.Stamp{Wall: wall, Logical: uint32(logical), Device: c.devID})
	return r, nil
}

func saveReplica(ctx context.Context, q querier, r *crdt.Replica) error {
	last := r.Clock.Last()
	_, err := q.ExecContext(ctx, `INSERT INTO sync_state (id, snapshot, clock_wall, clock_logical) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, clock_wall = excluded.clock_wall, clock_logical = excluded.clock_logical`,
		r.State.Snapshot(), last.Wall, int64(last.Logical))
	if err != nil {
		return fmt.Errorf("save sync state: %w", err)
	}
	return nil
}

func (c *Client) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: commit: %w", err)
	}
	return nil
}

// --- local edits ---

// edit stamps one local op with make, applies it and queues it, in one
// transaction.
func (c *Client) edit(ctx context.Context, coll string, make func(r *crdt.Replica) (crdt.Op, error)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.inScope(coll) {
		return fmt.Errorf("%q: %w", coll, ErrOutOfScope)
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		r, err := c.loadReplica(ctx, tx)
		if err != nil {
			return err
		}
		op, err := make(r)
		if err != nil {
			return err
		}
		b, err := crdt.EncodeBatch([]crdt.Op{op})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending (op) VALUES (?)`, b); err != nil {
			return fmt.Errorf("queue op: %w", err)
		}
		return saveReplica(ctx, tx, r)
	})
}

// Set writes field of (coll, id).
func (c *Client) Set(ctx context.Context, coll, id, field string, value []byte) error {
	return c.edit(ctx, coll, func(r *crdt.Replica) (crdt.Op, error) { return r.Set(coll, id, field, value) })
}

// Add adds elem to the set field of (coll, id).
func (c *Client) Add(ctx context.Context, coll, id, field, elem string) error {
	return c.edit(ctx, coll, func(r *crdt.Replica) (crdt.Op, error) { return r.Add(coll, id, field, elem) })
}

// Remove removes elem from the set field of (coll, id) as this device sees it.
func (c *Client) Remove(ctx context.Context, coll, id, field, elem string) error {
	return c.edit(ctx, coll, func(r *crdt.Replica) (crdt.Op, error) { return r.Remove(coll, id, field, elem) })
}

// Delete deletes (coll, id).
func (c *Client) Delete(ctx context.Context, coll, id string) error {
	return c.edit(ctx, coll, func(r *crdt.Replica) (crdt.Op, error) { return r.Delete(coll, id) })
}

// Get returns the visible object (coll, id).
func (c *Client) Get(ctx context.Context, coll, id string) (crdt.Object, bool, error) {
	r, err := c.loadReplica(ctx, c.db)
	if err != nil {
		return crdt.Object{}, false, err
	}
	o, ok := r.State.Get(coll, id)
	return o, ok, nil
}

// Objects returns the visible objects of coll (all when coll is empty).
func (c *Client) Objects(ctx context.Context, coll string) ([]crdt.Object, error) {
	r, err := c.loadReplica(ctx, c.db)
	if err != nil {
		return nil, err
	}
	var out []crdt.Object
	for _, o := range r.State.Objects() {
		if coll == "" || o.Collection == coll {
			out = append(out, o)
		}
	}
	return out, nil
}

// StateSnapshot returns the canonical bytes of the replicated state, for
// comparing replicas.
func (c *Client) StateSnapshot(ctx context.Context) ([]byte, error) {
	r, err := c.loadReplica(ctx, c.db)
	if err != nil {
		return nil, err
	}
	return r.State.Snapshot(), nil
}

func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// RelayURL returns the relay this device syncs with.
func (c *Client) RelayURL() string { return c.relay.base.String() }

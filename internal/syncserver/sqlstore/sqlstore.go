// Package sqlstore implements syncserver.Storage twice, over SQLite
// (modernc.org/sqlite, the default: one file, no server) and over
// PostgreSQL (pgx, for when one machine is not enough). Both run the same
// hand-written SQL through database/sql with a small dialect table (bind
// parameters, row locks, byte length, unique-violation detection), and both
// pass the one conformance suite in syncserver/storetest.
package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncwire"
)

// dialect is what differs between the two databases.
type dialect struct {
	name      string
	dollar    bool   // $1 bind parameters instead of ?
	forUpdate string // row-lock suffix of a SELECT inside a write transaction
	length    string // function returning a BLOB's byte length
	unique    func(error) bool
	schema    string
	// byteOrder is the ORDER BY suffix that sorts text by its bytes.
	byteOrder string
	// oneWriter serializes write transactions in the process: SQLite
	// allows one writer, and waiting in Go is far cheaper than SQLite's
	// busy handler, which sleeps and retries.
	oneWriter bool
}

// Store is a syncserver.Storage over a SQL database.
type Store struct {
	db      *sql.DB
	d       dialect
	writeMu sync.Mutex
	queue   appendQueue // appends waiting for the next group commit (SQLite)
	stmts   stmts
	tokens  tokenCache
}

var _ syncserver.Storage = (*Store)(nil)

func (s *Store) q(query string) string {
	if !s.d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (s *Store) migrate(ctx context.Context) error {
	for _, stmt := range strings.Split(s.d.schema, ";") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("relay schema (%s): %w", s.d.name, err)
		}
	}
	return nil
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// Close closes the database.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.stmts.head, s.stmts.batch, s.stmts.charge, s.stmts.insert, s.stmts.setHead, s.stmts.auth, s.stmts.devices} {
		if st != nil {
			st.Close()
		}
	}
	return s.db.Close()
}

// DB returns the handle, for tests that scan what the relay stored.
func (s *Store) DB() *sql.DB { return s.db }

// tx runs fn in a transaction and commits when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.d.oneWriter {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// charge adds delta bytes to the account's usage, failing with ErrQuota
// when that would exceed its quota.
func (s *Store) charge(ctx context.Context, tx *sql.Tx, account string, delta int64) error {
	if delta == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET used = used + ? WHERE id = ? AND used + ? <= quota`), delta, account, delta)
	if err != nil {
		return fmt.Errorf("charge quota: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM accounts WHERE id = ?`), account).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return syncserver.ErrNotFound
		}
		return syncserver.ErrQuota
	}
	return nil
}

// CreateAccount implements syncserver.Storage.
func (s *Store) CreateAccount(ctx context.Context, account, device string, tokenHash [32]byte, quota int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO accounts (id, quota, used, created) VALUES (?, ?, 0, ?)`), account, quota, time.Now().UnixMilli())
		if err != nil {
			if s.d.unique(err) {
				return syncserver.ErrExists
			}
			return fmt.Errorf("create account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO devices (account, id, token_hash) VALUES (?, ?, ?)`), account, device, tokenHash[:]); err != nil {
			if s.d.unique(err) {
				return syncserver.ErrExists
			}
			return fmt.Errorf("create device: %w", err)
		}
		return nil
	})
}

// Authenticate implements syncserver.Storage.
func (s *Store) Authenticate(ctx context.Context, tokenHash [32]byte) (string, string, error) {
	acct, dev, gen, ok := s.tokens.get(tokenHash)
	if ok {
		return acct, dev, nil
	}
	var revoked int64
	err := s.stmts.auth.QueryRowContext(ctx, tokenHash[:]).Scan(&acct, &dev, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", syncserver.ErrNotFound
	}
	if err != nil {
		return "", "", fmt.Errorf("authenticate: %w", err)
	}
	if revoked != 0 {
		return "", "", syncserver.ErrRevoked
	}
	s.tokens.put(tokenHash, acct, dev, gen)
	return acct, dev, nil
}

// Devices implements syncserver.Storage.
func (s *Store) Devices(ctx context.Context, account string) ([]syncserver.Device, error) {
	rows, err := s.stmts.devices.QueryContext(ctx, account)
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	defer rows.Close()
	var out []syncserver.Device
	for rows.Next() {
		var d syncserver.Device
		var head, rev int64
		if err := rows.Scan(&d.ID, &head, &rev); err != nil {
			return nil, fmt.Errorf("devices: %w", err)
		}
		d.Head, d.Revoked = uint64(head), rev != 0
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	// Byte order, whatever the database's collation.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// RevokeDevice implements syncserver.Storage.
func (s *Store) RevokeDevice(ctx context.Context, account, device string) error {
	if s.d.oneWriter {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE devices SET revoked = 1 WHERE account = ? AND id = ?`), account, device)
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	s.tokens.forget(account, device)
	if n, _ := res.RowsAffected(); n == 0 {
		return syncserver.ErrNotFound
	}
	return nil
}

// Append implements syncserver.Storage. With one writer (SQLite),
// concurrent appends are committed in groups (group.go); with row locks
// (PostgreSQL), each runs in its own transaction.
func (s *Store) Append(ctx context.Context, account, device string, seq uint64, data []byte) (bool, error) {
	if s.d.oneWriter {
		return s.appendGrouped(ctx, account, device, seq, data)
	}
	dup := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		dup, err = s.appendIn(ctx, tx, account, device, seq, data)
		return err
	})
	return dup, err
}

// Pull implements syncserver.Storage.
func (s *Store) Pull(ctx context.Context, account string, since map[string]uint64, maxBatches int, maxBytes int64) (syncserver.PullResult, error) {
	devs, err := s.Devices(ctx, account)
	if err != nil {
		return syncserver.PullResult{}, err
	}
	bs, more, err := s.pull(ctx, account, devs, since, maxBatches, maxBytes)
	return syncserver.PullResult{Batches: bs, More: more, Devices: devs}, err
}

func (s *Store) pull(ctx context.Context, account string, devs []syncserver.Device, since map[string]uint64, maxBatches int, maxBytes int64) ([]syncwire.Batch, bool, error) {
	// One query for every device with batches due (it was one per device,
	// and a pull was the relay's most frequent request): each device's
	// range (since, head] in device then sequence order. Chains have no
	// gaps, so head − since batches are due per device.
	var where []string
	args := []any{account}
	due := 0
	for _, d := range devs {
		from := since[d.ID]
		if d.Head <= from {
			continue
		}
		where = append(where, "(device = ? AND seq > ? AND seq <= ?)")
		args = append(args, d.ID, int64(from), int64(d.Head))
		due += int(d.Head - from)
	}
	if due == 0 {
		return nil, false, nil
	}
	args = append(args, min(due, maxBatches))
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT device, seq, data FROM batches WHERE account = ? AND (`+
		strings.Join(where, " OR ")+`) ORDER BY device`+s.d.byteOrder+`, seq LIMIT ?`), args...)
	if err != nil {
		return nil, false, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	var out []syncwire.Batch
	var size int64
	for rows.Next() {
		var b syncwire.Batch
		var seq int64
		if err := rows.Scan(&b.Device, &seq, &b.Data); err != nil {
			return nil, false, fmt.Errorf("pull: %w", err)
		}
		b.Seq = uint64(seq)
		if len(out) > 0 && size+int64(len(b.Data)) > maxBytes {
			return out, true, nil
		}
		out = append(out, b)
		size += int64(len(b.Data))
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("pull: %w", err)
	}
	return out, len(out) < due, nil
}

// PutSnapshot implements syncserver.Storage.
func (s *Store) PutSnapshot(ctx context.Context, account string, snap syncwire.Snapshot) error {
	heads, err := json.Marshal(snap.Heads)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for dev, h := range snap.Heads {
			var head int64
			err := tx.QueryRowContext(ctx, s.q(`SELECT head FROM devices WHERE account = ? AND id = ?`), account, dev).Scan(&head)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && h.Seq > uint64(head)) {
				return syncserver.ErrSeqGap
			}
			if err != nil {
				return fmt.Errorf("put snapshot: %w", err)
			}
			if h.Seq == 0 {
				if h.Hash != (syncwire.Hash{}) {
					return syncserver.ErrSeqConflict
				}
				continue
			}
			var data []byte
			if err := tx.QueryRowContext(ctx, s.q(`SELECT data FROM batches WHERE account = ? AND device = ? AND seq = ?`), account, dev, int64(h.Seq)).Scan(&data); err != nil {
				return fmt.Errorf("put snapshot: %w", err)
			}
			if sha256.Sum256(data) != h.Hash {
				return syncserver.ErrSeqConflict
			}
		}
		var old int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT `+s.d.length+`(data) FROM snapshots WHERE account = ?`+s.d.forUpdate), account).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("put snapshot: %w", err)
		}
		if err := s.charge(ctx, tx, account, int64(len(snap.Data))-old); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO snapshots (account, heads, data) VALUES (?, ?, ?)
			ON CONFLICT (account) DO UPDATE SET heads = excluded.heads, data = excluded.data`), account, string(heads), snap.Data)
		if err != nil {
			return fmt.Errorf("put snapshot: %w", err)
		}
		return nil
	})
}

// Snapshot implements syncserver.Storage.
func (s *Store) Snapshot(ctx context.Context, account string) (syncwire.Snapshot, error) {
	var snap syncwire.Snapshot
	var heads string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT heads, data FROM snapshots WHERE account = ?`), account).Scan(&heads, &snap.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, syncserver.ErrNotFound
	}
	if err != nil {
		return snap, fmt.Errorf("snapshot: %w", err)
	}
	if err := json.Unmarshal([]byte(heads), &snap.Heads); err != nil {
		return snap, fmt.Errorf("snapshot heads: %w", err)
	}
	return snap, nil
}

// PutBlob implements syncserver.Storage.
func (s *Store) PutBlob(ctx context.Context, account, name string, rev int64, data []byte) (int64, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var cur, old int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT rev, `+s.d.length+`(data) FROM blobs WHERE account = ? AND name = ?`+s.d.forUpdate), account, name).Scan(&cur, &old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("put blob: %w", err)
		}
		if cur != rev {
			return syncserver.ErrRevConflict
		}
		if err := s.charge(ctx, tx, account, int64(len(data))-old); err != nil {
			return err
		}
		if rev == 0 {
			_, err = tx.ExecContext(ctx, s.q(`INSERT INTO blobs (account, name, rev, data) VALUES (?, ?, 1, ?)`), account, name, data)
			if err != nil && s.d.unique(err) {
				return syncserver.ErrRevConflict
			}
		} else {
			_, err = tx.ExecContext(ctx, s.q(`UPDATE blobs SET rev = rev + 1, data = ? WHERE account = ? AND name = ?`), data, account, name)
		}
		if err != nil {
			return fmt.Errorf("put blob: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return rev + 1, nil
}

// Blob implements syncserver.Storage.
func (s *Store) Blob(ctx context.Context, account, name string) (syncwire.Blob, error) {
	b := syncwire.Blob{Name: name}
	err := s.db.QueryRowContext(ctx, s.q(`SELECT rev, data FROM blobs WHERE account = ? AND name = ?`), account, name).Scan(&b.Rev, &b.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return b, syncserver.ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("blob: %w", err)
	}
	return b, nil
}

// Blobs implements syncserver.Storage.
func (s *Store) Blobs(ctx context.Context, account, prefix string) ([]syncwire.Blob, error) {
	// Prefix match in Go: LIKE escaping and collations differ between the
	// two databases, and names are short.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT name, rev, data FROM blobs WHERE account = ?`), account)
	if err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	defer rows.Close()
	var out []syncwire.Blob
	for rows.Next() {
		var b syncwire.Blob
		if err := rows.Scan(&b.Name, &b.Rev, &b.Data); err != nil {
			return nil, fmt.Errorf("blobs: %w", err)
		}
		if strings.HasPrefix(b.Name, prefix) {
			out = append(out, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PutInvite implements syncserver.Storage.
func (s *Store) PutInvite(ctx context.Context, account, code, device string, blob []byte, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Expired invites of the account are dropped and refunded first.
		var stale int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(SUM(`+s.d.length+`(blob)), 0) FROM invites WHERE account = ? AND expires <= ?`), account, time.Now().UnixMilli()).Scan(&stale); err != nil {
			return fmt.Errorf("put invite: %w", err)
		}
		if stale > 0 {
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM invites WHERE account = ? AND expires <= ?`), account, time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("put invite: %w", err)
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET used = used - ? WHERE id = ?`), stale, account); err != nil {
				return fmt.Errorf("put invite: %w", err)
			}
		}
		var n int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT (SELECT COUNT(*) FROM devices WHERE account = ? AND id = ?) + (SELECT COUNT(*) FROM invites WHERE account = ? AND device = ?)`), account, device, account, device).Scan(&n); err != nil {
			return fmt.Errorf("put invite: %w", err)
		}
		if n > 0 {
			return syncserver.ErrExists
		}
		if err := s.charge(ctx, tx, account, int64(len(blob))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO invites (code, account, device, blob, expires) VALUES (?, ?, ?, ?, ?)`), code, account, device, blob, expires.UnixMilli())
		if err != nil {
			if s.d.unique(err) {
				return syncserver.ErrExists
			}
			return fmt.Errorf("put invite: %w", err)
		}
		return nil
	})
}

// ClaimInvite implements syncserver.Storage.
func (s *Store) ClaimInvite(ctx context.Context, code string, tokenHash [32]byte, now time.Time) (string, string, []byte, error) {
	var acct, dev string
	var blob []byte
	expired := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var exp int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT account, device, blob, expires FROM invites WHERE code = ?`+s.d.forUpdate), code).Scan(&acct, &dev, &blob, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return syncserver.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("claim invite: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM invites WHERE code = ?`), code); err != nil {
			return fmt.Errorf("claim invite: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET used = used - ? WHERE id = ?`), int64(len(blob)), acct); err != nil {
			return fmt.Errorf("claim invite: %w", err)
		}
		if now.UnixMilli() >= exp {
			expired = true
			return nil // commit the deletion
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO devices (account, id, token_hash) VALUES (?, ?, ?)`), acct, dev, tokenHash[:]); err != nil {
			if s.d.unique(err) {
				return syncserver.ErrExists
			}
			return fmt.Errorf("claim invite: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", "", nil, err
	}
	if expired {
		return "", "", nil, syncserver.ErrExpired
	}
	return acct, dev, blob, nil
}

// Usage implements syncserver.Storage.
func (s *Store) Usage(ctx context.Context, account string) (int64, int64, error) {
	var used, quota int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT used, quota FROM accounts WHERE id = ?`), account).Scan(&used, &quota)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, syncserver.ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("usage: %w", err)
	}
	return used, quota, nil
}

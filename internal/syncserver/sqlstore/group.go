package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/syncserver"
)

// Group commit (SQLite). Every commit in WAL mode with synchronous=FULL
// costs an fsync, and SQLite has one writer: appends that arrive while a
// commit is running wait in a queue, and the next writer commits all of
// them in one transaction, each under its own savepoint so that one refused
// append (gap, conflict, quota) does not undo the others. No append is
// acknowledged before the transaction holding it has committed, so the
// durability promise of Storage.Append holds for every one of them. No
// goroutine is started: whichever caller gets the writer lock first does
// the work for the queue (leader/follower).

// appendReq is one queued append and, once done is closed, its result.
type appendReq struct {
	account, device string
	seq             uint64
	data            []byte
	dup             bool
	err             error
	done            chan struct{}
}

type appendQueue struct {
	mu  sync.Mutex
	req []*appendReq
}

func (q *appendQueue) push(r *appendReq) {
	q.mu.Lock()
	q.req = append(q.req, r)
	q.mu.Unlock()
}

func (q *appendQueue) take() []*appendReq {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.req
	q.req = nil
	return r
}

// maxGroup bounds one group's transaction.
const maxGroup = 256

// appendGrouped is Append for a one-writer database.
func (s *Store) appendGrouped(ctx context.Context, account, device string, seq uint64, data []byte) (bool, error) {
	r := &appendReq{account: account, device: device, seq: seq, data: data, done: make(chan struct{})}
	s.queue.push(r)
	s.writeMu.Lock()
	select {
	case <-r.done: // a previous writer committed it with its group
		s.writeMu.Unlock()
		return r.dup, r.err
	default:
	}
	group := s.queue.take()
	for len(group) > 0 {
		n := min(len(group), maxGroup)
		// The group's transaction must not be cut short by the leader's
		// request going away: the others wait on it.
		s.commitGroup(context.WithoutCancel(ctx), group[:n])
		group = group[n:]
	}
	s.writeMu.Unlock()
	<-r.done
	return r.dup, r.err
}

// commitGroup runs the appends of group in one transaction and closes each
// one's done channel with its result.
func (s *Store) commitGroup(ctx context.Context, group []*appendReq) {
	finish := func(err error) {
		for _, r := range group {
			if err != nil && r.err == nil {
				r.err, r.dup = err, false
			}
			close(r.done)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		finish(fmt.Errorf("append: begin: %w", err))
		return
	}
	for i, r := range group {
		if len(group) > 1 {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT a"); err != nil {
				tx.Rollback()
				finish(fmt.Errorf("append: savepoint: %w", err))
				return
			}
		}
		r.dup, r.err = s.appendIn(ctx, tx, r.account, r.device, r.seq, r.data)
		if len(group) == 1 {
			break
		}
		qs := []string{"RELEASE a"}
		if r.err != nil {
			qs = []string{"ROLLBACK TO a", "RELEASE a"}
		}
		for _, q := range qs {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				tx.Rollback()
				finish(fmt.Errorf("append %d of group: %w", i, err))
				return
			}
		}
	}
	if len(group) == 1 && group[0].err != nil {
		tx.Rollback()
		finish(nil)
		return
	}
	if err := tx.Commit(); err != nil {
		finish(fmt.Errorf("append: commit: %w", err))
		return
	}
	finish(nil)
}

// appendIn is the body of an append inside a write transaction.
func (s *Store) appendIn(ctx context.Context, tx *sql.Tx, account, device string, seq uint64, data []byte) (bool, error) {
	var head int64
	err := tx.StmtContext(ctx, s.stmts.head).QueryRowContext(ctx, account, device).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return false, syncserver.ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("append: %w", err)
	}
	if seq <= uint64(head) {
		var old []byte
		if err := tx.StmtContext(ctx, s.stmts.batch).QueryRowContext(ctx, account, device, int64(seq)).Scan(&old); err != nil {
			return false, fmt.Errorf("append: read stored batch: %w", err)
		}
		if !bytes.Equal(old, data) {
			return false, syncserver.ErrSeqConflict
		}
		return true, nil
	}
	if seq != uint64(head)+1 {
		return false, syncserver.ErrSeqGap
	}
	res, err := tx.StmtContext(ctx, s.stmts.charge).ExecContext(ctx, int64(len(data)), account, int64(len(data)))
	if err != nil {
		return false, fmt.Errorf("charge quota: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, syncserver.ErrQuota // the account exists: its device row was found
	}
	if _, err := tx.StmtContext(ctx, s.stmts.insert).ExecContext(ctx, account, device, int64(seq), data); err != nil {
		return false, fmt.Errorf("append: %w", err)
	}
	if _, err := tx.StmtContext(ctx, s.stmts.setHead).ExecContext(ctx, int64(seq), account, device); err != nil {
		return false, fmt.Errorf("append: %w", err)
	}
	return false, nil
}

// stmts are the prepared statements of the hot paths (parsing SQL was a
// fifth of the CPU per append before).
type stmts struct {
	head, batch, charge, insert, setHead, auth, devices *sql.Stmt
}

func (s *Store) prepare(ctx context.Context) error {
	var err error
	p := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.db.PrepareContext(ctx, s.q(q))
		return st
	}
	s.stmts = stmts{
		head:    p(`SELECT head FROM devices WHERE account = ? AND id = ?` + s.d.forUpdate),
		batch:   p(`SELECT data FROM batches WHERE account = ? AND device = ? AND seq = ?`),
		charge:  p(`UPDATE accounts SET used = used + ? WHERE id = ? AND used + ? <= quota`),
		insert:  p(`INSERT INTO batches (account, device, seq, data) VALUES (?, ?, ?, ?)`),
		setHead: p(`UPDATE devices SET head = ? WHERE account = ? AND id = ?`),
		auth:    p(`SELECT account, id, revoked FROM devices WHERE token_hash = ?`),
		devices: p(`SELECT id, head, revoked FROM devices WHERE account = ? ORDER BY id`),
	}
	if err != nil {
		return fmt.Errorf("prepare (%s): %w", s.d.name, err)
	}
	return nil
}

func (s *Store) init(ctx context.Context) error {
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.prepare(ctx)
}

// PostgresTokenTTL is how long a PostgreSQL-backed relay process trusts a
// cached token lookup; revocations through the same process apply at once.
const PostgresTokenTTL = 5 * time.Second

// maxTokens bounds the token cache; past it the cache starts afresh.
const maxTokens = 100_000

// tokenCache remembers successful token lookups: authentication was one
// query per request. Only known, unrevoked tokens are cached.
type tokenCache struct {
	mu  sync.Mutex
	ttl time.Duration // 0: until forgotten
	m   map[[32]byte]tokenEntry
	gen uint64 // bumped by forget: a lookup that raced a revocation is not cached
}

type tokenEntry struct {
	account, device string
	at              time.Time
}

// get returns a cached lookup, or the generation to pass to put.
func (c *tokenCache) get(h [32]byte) (string, string, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[h]
	if !ok || (c.ttl > 0 && time.Since(e.at) > c.ttl) {
		return "", "", c.gen, false
	}
	return e.account, e.device, c.gen, true
}

func (c *tokenCache) put(h [32]byte, account, device string, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxTokens {
		c.m = map[[32]byte]tokenEntry{}
	}
	c.m[h] = tokenEntry{account, device, time.Now()}
}

func (c *tokenCache) forget(account, device string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.m {
		if e.account == account && e.device == device {
			delete(c.m, h)
		}
	}
}

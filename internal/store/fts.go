package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/pam-ai/pam/internal/mail"
)

// The full-text index lives in its own SQLite file (search.db beside
// pam.db), written by its own connection from the store's indexer
// goroutine. SQLite allows one writer per database file, so keeping the
// index apart lets indexing run on another core while the next batch of
// messages is written. The index is derived data: the table indexed
// records every row in it (so two processes indexing the same rows do it
// once), and Open indexes every message missing from it from the raw
// bytes, so a crash between the two commits loses nothing.

//go:embed ftssql/*.sql
var ftsMigrations embed.FS

// ftsDoc is one message's searchable text.
type ftsDoc struct {
	row                               int64
	subject, sender, recipients, body string
}

// indexer owns the index connection and the goroutine that writes to it.
type indexer struct {
	db      *sql.DB
	in      chan []ftsDoc
	pending sync.WaitGroup
	done    chan struct{}
	mu      sync.Mutex
	err     error
	closed  bool
}

func newIndexer(db *sql.DB) *indexer {
	ix := &indexer{db: db, in: make(chan []ftsDoc, 2), done: make(chan struct{})}
	go ix.run()
	return ix
}

func (ix *indexer) run() {
	defer close(ix.done)
	for docs := range ix.in {
		ix.mu.Lock()
		failed := ix.err != nil
		ix.mu.Unlock()
		if !failed {
			// A failed batch stops indexing: its rows stay missing from
			// indexed, so the next Open indexes them.
			if err := ix.write(context.Background(), docs); err != nil {
				ix.mu.Lock()
				ix.err = fmt.Errorf("search index: %w", err)
				ix.mu.Unlock()
			}
		}
		ix.pending.Done()
	}
}

func (ix *indexer) enqueue(docs []ftsDoc) error {
	if len(docs) == 0 {
		return nil
	}
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return fmt.Errorf("search index: store is closed")
	}
	ix.pending.Add(1)
	ix.mu.Unlock()
	ix.in <- docs
	return nil
}

// flush waits until everything enqueued is indexed and returns the first
// indexing error.
func (ix *indexer) flush() error {
	ix.pending.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.err
}

func (ix *indexer) close() error {
	ix.mu.Lock()
	ix.closed = true
	ix.mu.Unlock()
	close(ix.in)
	<-ix.done
	err := ix.flush()
	if cerr := ix.db.Close(); err == nil {
		err = cerr
	}
	return err
}

func (ix *indexer) write(ctx context.Context, docs []ftsDoc) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	mark, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO indexed (row) VALUES (?)")
	if err != nil {
		return err
	}
	defer mark.Close()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO message_fts (rowid, subject, sender, recipients, body) VALUES (?,?,?,?,?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, d := range docs {
		res, err := mark.ExecContext(ctx, d.row)
		if err != nil {
			return fmt.Errorf("index message row %d: %w", d.row, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			continue // indexed already (by another process or a catch-up)
		}
		if _, err := ins.ExecContext(ctx, d.row, d.subject, d.sender, d.recipients, d.body); err != nil {
			return fmt.Errorf("index message row %d: %w", d.row, err)
		}
	}
	return tx.Commit()
}

// Flush waits until the search index has caught up with every committed
// message and reports an indexing failure.
func (s *Store) Flush() error { return s.idx.flush() }

// catchUp indexes the messages missing from the index (after a crash
// between the two commits, or an index rebuilt from empty) and advances
// state('done').
func (s *Store) catchUp(ctx context.Context) error {
	var done, last int64
	if err := s.idx.db.QueryRowContext(ctx, "SELECT v FROM state WHERE k = 'done'").Scan(&done); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM messages").Scan(&last); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if last <= done {
		return nil
	}
	have := map[int64]bool{}
	rows, err := s.idx.db.QueryContext(ctx, "SELECT row FROM indexed WHERE row > ? AND row <= ?", done, last)
	if err != nil {
		return fmt.Errorf("search index catch-up: %w", err)
	}
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		have[r] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.db.QueryContext(ctx, "SELECT id FROM messages WHERE id > ? AND id <= ? ORDER BY id", done, last)
	if err != nil {
		return fmt.Errorf("search index catch-up: %w", err)
	}
	var missing []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !have[id] {
			missing = append(missing, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var docs []ftsDoc
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		if err := s.idx.write(ctx, docs); err != nil {
			return fmt.Errorf("search index catch-up: %w", err)
		}
		docs = docs[:0]
		return nil
	}
	for _, id := range missing {
		raw, err := s.Raw(ctx, id)
		if err != nil {
			return fmt.Errorf("search index catch-up: %w", err)
		}
		subject, sender, recips, body := "", "", "", ""
		if m, err := mail.Parse(raw); err == nil {
			subject, sender, recips, body = m.Subject, joinAddrs(m.From, m.ReplyTo), joinAddrs(m.To, m.Cc)+" "+joinAddrs(m.Bcc, nil), m.Text
		}
		docs = append(docs, docFor(id, subject, sender, recips, body))
		if len(docs) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// Every row up to last is indexed now (by us or by whoever did it first).
	if _, err := s.idx.db.ExecContext(ctx, "UPDATE state SET v = max(v, ?) WHERE k = 'done'", last); err != nil {
		return fmt.Errorf("search index catch-up: %w", err)
	}
	return nil
}

func docFor(row int64, subject, sender, recipients, body string) ftsDoc {
	if len(body) > maxIndexedBody {
		body = body[:maxIndexedBody]
	}
	return ftsDoc{row: row, subject: subject, sender: sender, recipients: strings.TrimSpace(recipients), body: body}
}

// searchConn returns a connection of the main database with the index
// attached as "fts". The caller must Close it.
func (s *Store) searchConn(ctx context.Context) (*sql.Conn, error) {
	if err := s.idx.flush(); err != nil {
		return nil, err
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		c.Close()
		return nil, err
	}
	attached := false
	for rows.Next() {
		var seq int
		var name, file string
		if err := rows.Scan(&seq, &name, &file); err != nil {
			rows.Close()
			c.Close()
			return nil, err
		}
		if name == "fts" {
			attached = true
		}
	}
	rows.Close()
	if !attached {
		if _, err := c.ExecContext(ctx, "ATTACH DATABASE ? AS fts", s.ftsPath); err != nil {
			c.Close()
			return nil, fmt.Errorf("attach search index: %w", err)
		}
	}
	return c, nil
}

// Package store is PAM's local database: SQLite in WAL mode with foreign
// keys, embedded numbered migrations, one file per aggregate, and an FTS5
// index for search. Every query takes a context; every I/O error is
// returned to the caller.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed sql/*.sql
var migrations embed.FS

// Store is an open PAM database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	path    string
	ftsPath string
	idx     *indexer
	writeMu sync.Mutex // orders batch commits with their index entries
	wc      writeCache // guarded by writeMu

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := sql.Open(driverName, dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path, ftsPath: filepath.Join(filepath.Dir(path), "search.db")}
	if err := pragmas(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, migrations, "sql"); err != nil {
		db.Close()
		return nil, err
	}
	fdb, err := sql.Open(driverName, dsn(s.ftsPath))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open search index: %w", err)
	}
	fdb.SetMaxOpenConns(1)
	if err := pragmas(ctx, fdb); err != nil {
		db.Close()
		fdb.Close()
		return nil, err
	}
	if err := migrate(ctx, fdb, ftsMigrations, "ftssql"); err != nil {
		db.Close()
		fdb.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	s.idx = newIndexer(fdb)
	if err := s.catchUp(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close waits for the search index to catch up, then closes both
// database files. It reports an indexing or close error.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.idx != nil {
			s.closeErr = s.idx.close()
		}
		if err := s.db.Close(); s.closeErr == nil {
			s.closeErr = err
		}
	})
	return s.closeErr
}

// Path returns the database file path.
func (s *Store) Path() string { return s.path }

func pragmas(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return fmt.Errorf("open store: set WAL: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open store: journal mode is %q, want wal", mode)
	}
	return nil
}

// migrate applies, in number order and each in its own transaction, the
// embedded migrations not yet recorded in schema_migrations (so a
// migration merged after a higher-numbered one still runs). PRAGMA
// user_version holds the highest applied number; a database with a
// migration this binary does not know is refused.
func migrate(ctx context.Context, db *sql.DB, migrations embed.FS, dir string) error {
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	known := map[int]bool{}
	top := 0
	for _, name := range names {
		base := filepath.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || n <= 0 {
			return fmt.Errorf("migrate: bad migration name %s", base)
		}
		if known[n] {
			return fmt.Errorf("migrate: two migrations numbered %d", n)
		}
		known[n] = true
		top = max(top, n)
		if applied[n] {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%s','now'))", n, base); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("store has schema migration %d, which this pam does not know: upgrade pam", v)
		}
	}
	var cur int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if cur != top {
		// Only written when it changes: a read-only command (pam search)
		// must not write, or closing the database costs a checkpoint.
		if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", top)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// SchemaVersion returns PRAGMA user_version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// DB exposes the handle to packages of this module that keep their own
// tables (tasks, models) in the same database file.
func (s *Store) DB() *sql.DB { return s.db }

// errNoRows maps sql.ErrNoRows to pam.ErrNotFound at the call sites.
var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

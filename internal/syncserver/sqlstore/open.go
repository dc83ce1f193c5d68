package sqlstore

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

//go:embed sql/sqlite.sql
var sqliteSchema string

//go:embed sql/postgres.sql
var postgresSchema string

// Open opens the storage a --store flag names: "sqlite:PATH" or a
// "postgres://" / "postgresql://" URL.
func Open(ctx context.Context, spec string) (*Store, error) {
	switch {
	case strings.HasPrefix(spec, "sqlite:"):
		return OpenSQLite(ctx, strings.TrimPrefix(spec, "sqlite:"))
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return OpenPostgres(ctx, spec)
	}
	return nil, fmt.Errorf("store %q: want sqlite:PATH or postgres://URL", redactSpec(spec))
}

// redactSpec hides a password in a store URL for error messages.
func redactSpec(spec string) string {
	if u, err := url.Parse(spec); err == nil && u.User != nil {
		return u.Redacted()
	}
	return spec
}

// OpenSQLite opens (creating) a relay database file. Commits are durable
// (WAL with synchronous=FULL): an acknowledged append survives a crash of
// the process or of the machine.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite store: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite store: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite store: %w", err)
	}
	db.SetMaxOpenConns(8)
	s := &Store{db: db, d: dialect{
		name:      "sqlite",
		length:    "length",
		oneWriter: true,
		unique: func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") ||
				err != nil && strings.Contains(err.Error(), "PRIMARY KEY")
		},
		schema: sqliteSchema,
	}}
	// One process owns the file: a revocation clears the cache at once.
	s.tokens.ttl = 0
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenPostgres opens a relay database on a PostgreSQL server and creates
// its tables when missing.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store %s: %w", redactSpec(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store %s: %w", redactSpec(dsn), err)
	}
	s := &Store{db: db, d: dialect{
		name:      "postgres",
		dollar:    true,
		forUpdate: " FOR UPDATE",
		byteOrder: ` COLLATE "C"`,
		length:    "octet_length",
		unique: func(err error) bool {
			var pe *pgconn.PgError
			return errors.As(err, &pe) && pe.Code == "23505"
		},
		schema: postgresSchema,
	}}
	// Several relay processes may share the database: a token revoked
	// through another one keeps working here for at most this long.
	s.tokens.ttl = PostgresTokenTTL
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Package account keeps PAM's connected accounts (IMAP mail, CalDAV
// calendars): their settings in the store's accounts table, their secrets
// in a Secrets implementation — never in the config file, the settings or
// logs.
package account

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

// Kinds of accounts.
const (
	KindIMAP   = "imap"
	KindCalDAV = "caldav"
)

// Account is one connected account's settings. It holds no secret.
type Account struct {
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Host     string    `json:"host,omitempty"`
	Port     int       `json:"port,omitempty"`
	User     string    `json:"user,omitempty"`
	Security string    `json:"security,omitempty"` // tls, starttls, plain
	CAFile   string    `json:"ca_file,omitempty"`
	URL      string    `json:"url,omitempty"` // CalDAV
	Created  time.Time `json:"created"`
}

// SecretKey is the name of the account's password in a Secrets store.
func (a Account) SecretKey() string { return a.Kind + ":" + a.Name }

// Store keeps accounts in the database (table accounts, migration 0004).
type Store struct{ db *sql.DB }

// NewStore returns a Store over db.
func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// Add saves a new account; a name already used is pam.ErrConflict.
func (s *Store) Add(ctx context.Context, a Account) error {
	if a.Created.IsZero() {
		a.Created = time.Now().UTC()
	}
	settings, err := json.Marshal(a)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, "INSERT INTO accounts (name, kind, settings, created_at) VALUES (?,?,?,?) ON CONFLICT(name) DO NOTHING",
		a.Name, a.Kind, string(settings), a.Created.Unix())
	if err != nil {
		return fmt.Errorf("add account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("account %s already exists: %w", a.Name, pam.ErrConflict)
	}
	return nil
}

// Get returns the account called name, or pam.ErrNotFound.
func (s *Store) Get(ctx context.Context, name string) (Account, error) {
	var settings string
	err := s.db.QueryRowContext(ctx, "SELECT settings FROM accounts WHERE name = ?", name).Scan(&settings)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, fmt.Errorf("account %s: %w", name, pam.ErrNotFound)
	}
	if err != nil {
		return Account{}, fmt.Errorf("account %s: %w", name, err)
	}
	var a Account
	if err := json.Unmarshal([]byte(settings), &a); err != nil {
		return Account{}, fmt.Errorf("account %s: bad settings: %w", name, err)
	}
	return a, nil
}

// List returns every account (of kind, when kind is not ""), by name.
func (s *Store) List(ctx context.Context, kind string) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT settings FROM accounts WHERE ? = '' OR kind = ? ORDER BY name", kind, kind)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var settings string
		if err := rows.Scan(&settings); err != nil {
			return nil, err
		}
		var a Account
		if err := json.Unmarshal([]byte(settings), &a); err != nil {
			return nil, fmt.Errorf("list accounts: bad settings: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Remove deletes the account's settings and its IMAP sync state. The mail
// already fetched stays in the store.
func (s *Store) Remove(ctx context.Context, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM accounts WHERE name = ?", name)
	if err != nil {
		return fmt.Errorf("remove account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("account %s: %w", name, pam.ErrNotFound)
	}
	for _, q := range []string{"DELETE FROM imap_folders WHERE account = ?", "DELETE FROM imap_outbox WHERE account = ?"} {
		if _, err := tx.ExecContext(ctx, q, name); err != nil {
			return fmt.Errorf("remove account: %w", err)
		}
	}
	return tx.Commit()
}

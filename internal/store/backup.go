package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// SnapshotTo writes a consistent copy of the message database to path,
// which must not exist, with SQLite's VACUUM INTO: one read transaction,
// so an import or pam serve writing at the same time goes on, and the
// copy holds every committed transaction up to its start and nothing
// after. The search index is not copied; Open rebuilds it from the
// messages' raw bytes.
func (s *Store) SnapshotTo(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("snapshot: %s already exists", path)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("snapshot to %s: %w", path, err)
	}
	return nil
}

// CheckFile runs SQLite's integrity check over the database file at path
// and reports what it found wrong. It does not migrate or change the file.
func CheckFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	db, err := sql.Open(driverName, dsn(path))
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("… %d more", len(problems)-5))
		}
		return fmt.Errorf("check %s: database is damaged: %s", path, strings.Join(problems, "; "))
	}
	return nil
}

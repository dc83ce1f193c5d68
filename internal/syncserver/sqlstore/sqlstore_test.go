package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/storetest"
	"github.com/pam-ai/pam/internal/testserver/postgres"
)

func TestSQLiteConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) syncserver.Storage {
		st, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "relay.db"))
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func TestPostgresConformance(t *testing.T) {
	srv := postgres.Start(t)
	storetest.Run(t, func(t *testing.T) syncserver.Storage {
		url, err := srv.NewDatabase(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st, err := OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func TestOpenSpec(t *testing.T) {
	for _, spec := range []string{"", "mysql://x", "postgres:/nohost", "file.db"} {
		if _, err := Open(context.Background(), spec); err == nil {
			t.Errorf("Open(%q) = nil error, want one", spec)
		}
	}
	if _, err := Open(context.Background(), "mysql://u:secret@h/db"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open error %v leaks or is nil", err)
	}
}

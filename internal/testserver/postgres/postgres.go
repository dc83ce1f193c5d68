// Package postgres starts a throwaway PostgreSQL server on loopback for
// tests and benchmarks (doc: /work/shared/TESTING.md recipe): initdb into a
// temporary directory, pg_ctl start on a free port, stop by pg_ctl when the
// test ends. The server runs as the postgres user when the caller is root.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// BinDir is where Debian's postgresql-15 package puts the server binaries.
const BinDir = "/usr/lib/postgresql/15/bin"

// Server is a running PostgreSQL server.
type Server struct {
	Dir  string // data directory parent
	Port int
	URL  string // postgres://pam@127.0.0.1:PORT/postgres
	n    atomic.Int64
	stop func() error
}

// Available reports whether the server binaries are installed.
func Available() bool {
	_, err := os.Stat(filepath.Join(BinDir, "initdb"))
	return err == nil
}

// Start starts a server for t and stops it at cleanup. Without the binaries
// it skips the test, or fails it when CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	if !Available() {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL binaries missing in %s (Debian package postgresql-15)", BinDir)
		}
		t.Skipf("PostgreSQL binaries missing in %s (install postgresql-15)", BinDir)
	}
	s, err := StartServer(context.Background())
	if err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop postgres: %v", err)
		}
	})
	return s
}

// StartServer starts a server outside a test (benchmarks). The caller
// must call Stop.
func StartServer(ctx context.Context) (*Server, error) {
	dir, err := os.MkdirTemp("", "pam-pg-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	asPostgres := os.Geteuid() == 0
	if asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	run := func(name string, args ...string) error {
		bin := filepath.Join(BinDir, name)
		var cmd *exec.Cmd
		if asPostgres {
			cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
		} else {
			cmd = exec.CommandContext(ctx, bin, args...)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-A", "trust", "-U", "pam", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB", port, dir)
	if err := run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-o", opts, "start"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{Dir: dir, Port: port, URL: fmt.Sprintf("postgres://pam@127.0.0.1:%d/postgres?sslmode=disable", port)}
	s.stop = func() error {
		err := run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
		return errors.Join(err, os.RemoveAll(dir))
	}
	return s, nil
}

// Stop stops the server and removes its files.
func (s *Server) Stop() error { return s.stop() }

// PID returns the postmaster's process id (for measuring its memory).
func (s *Server) PID() (int, error) {
	b, err := os.ReadFile(filepath.Join(s.Dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	var pid int
	_, err = fmt.Sscanf(string(b), "%d", &pid)
	return pid, err
}

// NewDatabase creates an empty database and returns its URL.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d", s.n.Add(1))
	db, err := sql.Open("pgx", s.URL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return fmt.Sprintf("postgres://pam@127.0.0.1:%d/%s?sslmode=disable", s.Port, name), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

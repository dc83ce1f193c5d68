package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pam-ai/pam/internal/store"
)

// ensureHome creates the data directory with mode 0700, and tightens an
// existing one that others can read.
func ensureHome(env *Env) error {
	if err := os.MkdirAll(env.Home, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	fi, err := os.Stat(env.Home)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(env.Home, 0o700); err != nil {
			return fmt.Errorf("data directory %s is readable by others and cannot be fixed: %w", env.Home, err)
		}
	}
	return nil
}

// openStore opens the store in the data directory.
func openStore(ctx context.Context, env *Env) (*store.Store, error) {
	if err := ensureHome(env); err != nil {
		return nil, err
	}
	return store.Open(ctx, filepath.Join(env.Home, "pam.db"))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return termIsTerminal(int(f.Fd()))
}

// openMessage checks that rest holds exactly one message id, opens the
// store and resolves the id. The caller closes the store.
func openMessage(ctx context.Context, env *Env, cmd string, rest []string) (*store.Store, int64, error) {
	if len(rest) != 1 {
		return nil, 0, usageError{cmd + ": give one message id"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return nil, 0, err
	}
	row, err := st.Resolve(ctx, rest[0])
	if err != nil {
		st.Close()
		return nil, 0, err
	}
	return st, row, nil
}

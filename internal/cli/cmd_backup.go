package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"

	"github.com/pam-ai/pam/internal/backup"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "backup", Summary: "copy the data directory to a new directory, consistent while PAM runs (--verify DIR checks one)", Run: runBackup})
	register(&command{Name: "restore", Summary: "restore a backup into an empty data directory (pam --home NEW restore DIR)", Run: runRestore})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "backup", "[--verify] [--json] DIR")
	verify := fs.Bool("verify", false, "check the backup in DIR against its manifest instead of writing one")
	asJSON := fs.Bool("json", false, "print the manifest (or the problems) as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"backup: give one directory (new or empty; outside the data directory)"}
	}
	dir := rest[0]
	if *verify {
		m, problems, err := backup.Verify(ctx, dir, store.CheckFile)
		if err != nil {
			return err
		}
		if *asJSON {
			out := struct {
				Manifest backup.Manifest `json:"manifest"`
				Problems []string        `json:"problems"`
			}{m, []string{}}
			for _, p := range problems {
				out.Problems = append(out.Problems, p.String())
			}
			json.NewEncoder(env.Stdout).Encode(out)
		} else {
			for _, p := range problems {
				fmt.Fprintf(env.Stdout, "BAD  %s\n", p)
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("backup %s: %d problem(s): do not restore it", dir, len(problems))
		}
		if !*asJSON {
			fmt.Fprintf(env.Stdout, "backup %s of %s: %d files, %s, every byte as recorded; database integrity ok\n",
				dir, m.Created.Local().Format("2006-01-02 15:04"), len(m.Files), humanBytes(m.Bytes()))
		}
		return nil
	}
	if _, err := os.Stat(filepath.Join(env.Home, backup.DBName)); errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("no PAM data in %s: nothing to back up", env.Home)
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := backup.Create(ctx, st, env.Home, dir)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(m)
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s: %d files, %s (the search index is rebuilt on restore)\n",
		env.Home, dir, len(m.Files), humanBytes(m.Bytes()))
	fmt.Fprintln(env.Stdout, "It holds what the data directory holds, account secrets kept in a file and the sync identity included: keep it as private.")
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "restore", "DIR   (into the data directory given by --home, which must be new or empty)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"restore: give the backup directory"}
	}
	m, err := backup.Restore(ctx, rest[0], env.Home, store.CheckFile)
	if err != nil {
		return err
	}
	// Opening the store migrates an older backup and rebuilds the
	// search index now rather than on the first search.
	st, err := openStore(ctx, env)
	if err != nil {
		return fmt.Errorf("restored %d files, but the store does not open: %w", len(m.Files), err)
	}
	c, err := st.Count(ctx)
	st.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored the backup of %s into %s: %d files, %d messages\n",
		m.Created.Local().Format("2006-01-02 15:04"), env.Home, len(m.Files), c.Messages)
	fmt.Fprintln(env.Stdout, "If the backed-up device still runs and syncs, do not sync from both: leave sync on one (pam sync revoke).")
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

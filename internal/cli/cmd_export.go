package cli

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pam-ai/pam/internal/mail/maildir"
	"github.com/pam-ai/pam/internal/mail/mbox"
	"github.com/pam-ai/pam/internal/search"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "export", Summary: "write your mail (or a search's) to a Maildir++ tree or an mbox file any mail program reads", Run: runExport})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "(--maildir DIR | --mbox FILE) [QUERY]")
	dir := fs.String("maildir", "", "a new (or empty) directory to write the Maildir++ tree into (labels as folders, flags kept)")
	mboxPath := fs.String("mbox", "", "a new file to write as one mbox (mboxrd; no labels or flags)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if (*dir == "") == (*mboxPath == "") {
		return usageError{"export: give --maildir DIR or --mbox FILE"}
	}
	var q *search.Node
	if query := strings.Join(rest, " "); query != "" {
		if q, err = search.Parse(query); err != nil {
			return usageError{fmt.Sprintf("export: query: %v", err)}
		}
	}
	if *dir != "" {
		if entries, err := os.ReadDir(*dir); err == nil && len(entries) > 0 {
			return fmt.Errorf("export: %s is not empty: give a new directory", *dir)
		} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("export: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(env.Home, "pam.db")); errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("no PAM data in %s: nothing to export", env.Home)
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if *mboxPath != "" {
		return exportMbox(ctx, env, st, q, *mboxPath)
	}
	w := &maildir.Writer{Root: *dir}
	messages, files := 0, 0
	folders := map[string]bool{}
	err = st.Each(ctx, q, func(m store.Summary) error {
		raw, err := st.Raw(ctx, m.Row)
		if err != nil {
			return fmt.Errorf("export %s: %w", m.ID, err)
		}
		labels := m.Labels
		if len(labels) == 0 {
			labels = []string{"INBOX"}
		}
		// A message with several labels is in each of their folders, as
		// an IMAP server shows Gmail labels; importing the tree back gives
		// it all of them again.
		for _, l := range labels {
			if err := w.Write(l, m.ID, m.Flags, raw); err != nil {
				return fmt.Errorf("export %s: %w", m.ID, err)
			}
			folders[l] = true
			files++
		}
		messages++
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "exported %d messages (%d files) into %d folder(s) of the Maildir++ tree %s\n", messages, files, len(folders), *dir)
	return nil
}

// exportMbox writes the messages of q (all when nil) into a new mbox file,
// synced, written to a temporary name and renamed: a failed export leaves
// no half file under the name given.
func exportMbox(ctx context.Context, env *Env, st *store.Store, q *search.Node, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("export: %s exists: give a new file", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := mbox.NewWriter(tmp)
	n := 0
	err = st.Each(ctx, q, func(m store.Summary) error {
		raw, err := st.Raw(ctx, m.Row)
		if err != nil {
			return fmt.Errorf("export %s: %w", m.ID, err)
		}
		n++
		return w.Write(m.FromEmail, m.Date, raw)
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(env.Stdout, "exported %d messages into the mbox file %s (labels and flags are not kept in mbox: use --maildir for those)\n", n, path)
	return nil
}

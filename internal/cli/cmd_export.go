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
	"github.com/pam-ai/pam/internal/search"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "export", Summary: "write your mail (or a search's) to a Maildir++ tree any mail program reads", Run: runExport})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "--maildir DIR [QUERY]")
	dir := fs.String("maildir", "", "a new (or empty) directory to write the Maildir++ tree into")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *dir == "" {
		return usageError{"export: give --maildir DIR"}
	}
	var q *search.Node
	if query := strings.Join(rest, " "); query != "" {
		if q, err = search.Parse(query); err != nil {
			return usageError{fmt.Sprintf("export: query: %v", err)}
		}
	}
	if entries, err := os.ReadDir(*dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty: give a new directory", *dir)
	} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := os.Stat(filepath.Join(env.Home, "pam.db")); errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("no PAM data in %s: nothing to export", env.Home)
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
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

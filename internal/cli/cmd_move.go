package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/pam-ai/pam/internal/mail/imap"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "archive", Summary: "archive messages (on their IMAP server at the next fetch)", Run: func(ctx context.Context, env *Env, args []string) error {
		return runMove(ctx, env, "archive", imap.OpArchive, args)
	}})
	register(&command{Name: "delete", Summary: "delete messages (moved to Trash on their IMAP server at the next fetch)", Run: func(ctx context.Context, env *Env, args []string) error {
		return runMove(ctx, env, "delete", imap.OpDelete, args)
	}})
	register(&command{Name: "move", Summary: "move messages to a folder (on their IMAP server at the next fetch)", Run: func(ctx context.Context, env *Env, args []string) error {
		return runMove(ctx, env, "move", imap.OpMove, args)
	}})
}

// runMove queues archive/move/delete for messages that live on an IMAP
// account (applied on the server by the next pam fetch or by pam serve) and
// applies it to the labels of messages that only exist locally.
func runMove(ctx context.Context, env *Env, name string, op imap.Op, args []string) error {
	fs := newFlags(env, name, "[--to FOLDER] ID...")
	to := fs.String("to", "", "destination folder (move)")
	ids, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usageError{name + ": give one or more message ids"}
	}
	if op == imap.OpMove && *to == "" {
		return usageError{"move: --to FOLDER is required"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	queued := 0
	for _, id := range ids {
		row, err := st.Resolve(ctx, id)
		if err != nil {
			return err
		}
		accounts, err := imapAccountsOf(ctx, st, row)
		if err != nil {
			return err
		}
		for _, acct := range accounts {
			if err := imap.Queue(ctx, st.DB(), acct, row, op, *to); err != nil {
				return fmt.Errorf("%s %s: %w", name, id, err)
			}
			queued++
		}
		if len(accounts) == 0 {
			if err := moveLocal(ctx, st, row, op, *to); err != nil {
				return fmt.Errorf("%s %s: %w", name, id, err)
			}
		}
		fmt.Fprintf(env.Stdout, "%s %s", name, id)
		if len(accounts) > 0 {
			fmt.Fprintf(env.Stdout, ": queued for %s", strings.Join(accounts, ", "))
		} else {
			fmt.Fprint(env.Stdout, ": done (local message)")
		}
		fmt.Fprintln(env.Stdout)
	}
	if queued > 0 {
		fmt.Fprintln(env.Stdout, "the server applies it at the next `pam fetch` (or at once when `pam serve` runs)")
	}
	return nil
}

// imapAccountsOf lists the IMAP accounts a message was fetched from.
func imapAccountsOf(ctx context.Context, st *store.Store, row int64) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, "SELECT key FROM sources WHERE message = ? AND key >= 'imap:' AND key < 'imap;'", row)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		if acct, _, _, _, ok := imap.ParseSourceKey(key); ok && !seen[acct] {
			seen[acct] = true
			out = append(out, acct)
		}
	}
	return out, rows.Err()
}

// moveLocal applies the operation to a local-only message's labels.
func moveLocal(ctx context.Context, st *store.Store, row int64, op imap.Op, dest string) error {
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	label := map[imap.Op]string{imap.OpArchive: "Archive", imap.OpDelete: "Trash", imap.OpMove: dest}[op]
	if label == "" {
		return fmt.Errorf("no destination: %w", pam.ErrInvalid)
	}
	// The message leaves every folder label (INBOX included) for label.
	if _, err := tx.ExecContext(ctx, "DELETE FROM message_labels WHERE message = ?", row); err != nil {
		return err
	}
	var lid int64
	if err := tx.QueryRowContext(ctx, "INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id", label).Scan(&lid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO message_labels (message, label) VALUES (?, ?)", row, lid); err != nil {
		return err
	}
	if op == imap.OpDelete {
		if _, err := tx.ExecContext(ctx, "UPDATE messages SET flags = flags | ? WHERE id = ?", int(pam.FlagTrashed), row); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// uploadDraft queues the draft at path (written for an answer to message
// row) for the Drafts folder of the IMAP account the message came from, so
// it shows in the user's own mail program to review and send. A message
// that is on no IMAP account keeps its draft in the data directory only.
func uploadDraft(ctx context.Context, env *Env, st *store.Store, row int64, path string) error {
	accounts, err := imapAccountsOf(ctx, st, row)
	if err != nil || len(accounts) == 0 {
		return err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := imap.QueueDraft(ctx, st.DB(), accounts[0], raw); err != nil {
		return fmt.Errorf("draft for account %s: %w", accounts[0], err)
	}
	fmt.Fprintf(env.Stdout, "queued for the Drafts folder of account %s (uploaded at the next `pam fetch`, or at once when `pam serve` runs); PAM sends nothing\n", accounts[0])
	return nil
}

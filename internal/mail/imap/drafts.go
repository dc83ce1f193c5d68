package imap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/pam-ai/pam/internal/pam"
)

// maxDraft bounds a queued draft (PAM's drafts are a few KB).
const maxDraft = 10 << 20

// QueueDraft records that raw, an RFC 5322 draft PAM wrote, is to be
// uploaded to the Drafts folder of account at the next sync, flagged
// \Draft and \Seen, for the user to review and send from their own mail
// program.
func QueueDraft(ctx context.Context, db *sql.DB, account string, raw []byte) error {
	if len(raw) == 0 || len(raw) > maxDraft {
		return fmt.Errorf("queue draft: %d bytes: %w", len(raw), pam.ErrInvalid)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE name = ?", account).Scan(&n); err != nil {
		return fmt.Errorf("queue draft: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("account %s: %w", account, pam.ErrNotFound)
	}
	_, err := db.ExecContext(ctx, "INSERT INTO imap_drafts (account, raw, created_at) VALUES (?,?,?)", account, raw, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("queue draft: %w", err)
	}
	return nil
}

// pushDrafts uploads the queued drafts. A draft the server refuses (NO)
// is kept with its error and retried at the next sync, up to 5 times; a
// connection failure stops the push (the sync is retried).
func (s *Syncer) pushDrafts(ctx context.Context, ss *session, p plan) (int, error) {
	db := s.st.DB()
	rows, err := db.QueryContext(ctx, "SELECT id, raw FROM imap_drafts WHERE account = ? AND tries < 5 ORDER BY id", s.cfg.Account)
	if err != nil {
		return 0, fmt.Errorf("drafts: %w", err)
	}
	type draft struct {
		id  int64
		raw []byte
	}
	var drafts []draft
	for rows.Next() {
		var d draft
		if err := rows.Scan(&d.id, &d.raw); err != nil {
			rows.Close()
			return 0, err
		}
		drafts = append(drafts, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(drafts) == 0 {
		return 0, err
	}
	folder := p.Drafts
	if folder == "" {
		folder = "Drafts"
		var opts *imap.CreateOptions
		if ss.caps.Has(imap.CapCreateSpecialUse) {
			opts = &imap.CreateOptions{SpecialUse: []imap.MailboxAttr{imap.MailboxAttrDrafts}}
		}
		if err := ss.c.Create(folder, opts).Wait(); err != nil {
			var ie *imap.Error
			if !errors.As(err, &ie) || ie.Code != imap.ResponseCodeAlreadyExists {
				return 0, fmt.Errorf("create %s: %w", folder, err)
			}
		}
	}
	done := 0
	for _, d := range drafts {
		err := appendMessage(ss, folder, d.raw, []imap.Flag{imap.FlagDraft, imap.FlagSeen})
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) && ie.Type != imap.StatusResponseTypeBye {
				if _, dberr := db.ExecContext(ctx, "UPDATE imap_drafts SET tries = tries + 1, error = ? WHERE id = ?", err.Error(), d.id); dberr != nil {
					return done, dberr
				}
				continue
			}
			return done, fmt.Errorf("upload draft to %s: %w", folder, err)
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM imap_drafts WHERE id = ?", d.id); err != nil {
			return done, fmt.Errorf("drafts: %w", err)
		}
		done++
	}
	return done, nil
}

func appendMessage(ss *session, folder string, raw []byte, flags []imap.Flag) error {
	cmd := ss.c.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: flags, Time: time.Now()})
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err := cmd.Wait()
	return err
}

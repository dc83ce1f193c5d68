package imap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/pam-ai/pam/internal/pam"
)

// Op is a change PAM applies to messages on the server.
type Op string

const (
	OpMove    Op = "move"    // to the folder given
	OpArchive Op = "archive" // to the server's Archive folder (\Archive, else "Archive", created when missing)
	OpDelete  Op = "delete"  // to Trash; from Trash (or without one), deleted and expunged
)

// Queue records that message row is to be moved, archived or deleted on
// account's server. The next sync applies it (before fetching), to every
// copy of the message in the account. PAM keeps the message itself; a
// delete only marks it trashed once the server has no copy left.
func Queue(ctx context.Context, db *sql.DB, account string, row int64, op Op, dest string) error {
	switch op {
	case OpMove:
		if dest == "" {
			return fmt.Errorf("move: no destination folder: %w", pam.ErrInvalid)
		}
	case OpArchive, OpDelete:
	default:
		return fmt.Errorf("queue: unknown operation %q: %w", op, pam.ErrInvalid)
	}
	prefix := "imap:" + account + ":"
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sources WHERE message = ? AND key >= ? AND key < ?", row, prefix, prefix+"\xff").Scan(&n); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("message %d is not on account %s: %w", row, account, pam.ErrNotFound)
	}
	_, err := db.ExecContext(ctx, "INSERT INTO imap_outbox (account, message, op, dest, created_at) VALUES (?,?,?,?,?)", account, row, string(op), dest, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

type outboxItem struct {
	id   int64
	row  int64
	op   Op
	dest string
}

// pushOutbox applies queued changes. An item the server refuses (NO) is
// kept with its error and retried at the next sync, up to 5 times; a
// connection failure stops the push (the sync is retried).
func (s *Syncer) pushOutbox(ctx context.Context, ss *session, p plan) (int, []int64, error) {
	db := s.st.DB()
	rows, err := db.QueryContext(ctx, "SELECT id, message, op, dest FROM imap_outbox WHERE account = ? AND tries < 5 ORDER BY id", s.cfg.Account)
	if err != nil {
		return 0, nil, fmt.Errorf("outbox: %w", err)
	}
	var items []outboxItem
	for rows.Next() {
		var it outboxItem
		var op string
		if err := rows.Scan(&it.id, &it.row, &op, &it.dest); err != nil {
			rows.Close()
			return 0, nil, err
		}
		it.op = Op(op)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	applied := 0
	var touched []int64
	for _, it := range items {
		t, err := s.applyOne(ctx, ss, p, it)
		touched = append(touched, t...)
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) && ie.Type != imap.StatusResponseTypeBye {
				if _, dberr := db.ExecContext(ctx, "UPDATE imap_outbox SET tries = tries + 1, error = ? WHERE id = ?", err.Error(), it.id); dberr != nil {
					return applied, touched, dberr
				}
				continue
			}
			return applied, touched, err
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM imap_outbox WHERE id = ?", it.id); err != nil {
			return applied, touched, fmt.Errorf("outbox: %w", err)
		}
		applied++
	}
	return applied, touched, nil
}

// applyOne applies one queued change to every copy of the message.
func (s *Syncer) applyOne(ctx context.Context, ss *session, p plan, it outboxItem) ([]int64, error) {
	db := s.st.DB()
	prefix := "imap:" + s.cfg.Account + ":"
	rows, err := db.QueryContext(ctx, "SELECT key, flags FROM sources WHERE message = ? AND key >= ? AND key < ?", it.row, prefix, prefix+"\xff")
	if err != nil {
		return nil, err
	}
	type copyAt struct {
		key      string
		folder   string
		validity uint32
		uid      imap.UID
		flags    pam.Flags
	}
	var copies []copyAt
	for rows.Next() {
		var c copyAt
		var f int
		if err := rows.Scan(&c.key, &f); err != nil {
			rows.Close()
			return nil, err
		}
		_, folder, v, uid, ok := ParseSourceKey(c.key)
		if !ok {
			continue
		}
		c.folder, c.validity, c.uid, c.flags = folder, v, uid, pam.Flags(f)
		copies = append(copies, c)
	}
	rows.Close()
	dest := it.dest
	switch it.op {
	case OpArchive:
		dest = p.Archive
		if dest == "" {
			dest = "Archive"
			if err := ss.c.Create(dest, nil).Wait(); err != nil {
				var ie *imap.Error
				if !errors.As(err, &ie) || ie.Code != imap.ResponseCodeAlreadyExists {
					return nil, fmt.Errorf("create %s: %w", dest, err)
				}
			}
		}
	case OpDelete:
		dest = p.Trash
	}
	var touched []int64
	for _, c := range copies {
		// The SELECT's own answer, not ss.c.Mailbox(): the client records
		// the selected mailbox after Wait returns, so reading it at once
		// races (seen as a nil mailbox under load).
		if sd, err := ss.c.Select(c.folder, nil).Wait(); err != nil {
			return touched, fmt.Errorf("select %s: %w", c.folder, err)
		} else if sd == nil {
			return touched, fmt.Errorf("select %s: no answer", c.folder)
		}
		set := imap.UIDSetNum(c.uid)
		if it.op == OpDelete && (dest == "" || dest == c.folder) {
			if err := expungeUIDs(ss, set); err != nil {
				return touched, fmt.Errorf("delete in %s: %w", c.folder, err)
			}
		} else {
			if dest == c.folder {
				continue
			}
			newUID, validity, err := moveUIDs(ss, set, dest)
			if err != nil {
				return touched, fmt.Errorf("move from %s to %s: %w", c.folder, dest, err)
			}
			if newUID != 0 {
				if err := addSource(ctx, db, it.row, SourceKey(s.cfg.Account, dest, validity, newUID), dest, c.flags); err != nil {
					return touched, err
				}
			}
		}
		t, err := removeSources(ctx, db, []string{c.key})
		if err != nil {
			return touched, err
		}
		touched = append(touched, t...)
	}
	return touched, nil
}

// moveUIDs moves set from the selected folder to dest: MOVE when offered,
// else COPY, STORE \Deleted and (UID) EXPUNGE. It returns the message's
// UID in dest when the server says (UIDPLUS), else 0.
func moveUIDs(ss *session, set imap.UIDSet, dest string) (imap.UID, uint32, error) {
	if ss.caps.Has(imap.CapMove) {
		data, err := ss.c.Move(set, dest).Wait()
		if err != nil {
			return 0, 0, err
		}
		return firstUID(data.DestUIDs), data.UIDValidity, nil
	}
	data, err := ss.c.Copy(set, dest).Wait()
	if err != nil {
		return 0, 0, err
	}
	if err := expungeUIDs(ss, set); err != nil {
		return 0, 0, err
	}
	return firstUID(data.DestUIDs), data.UIDValidity, nil
}

// expungeUIDs deletes set from the selected folder: STORE \Deleted, then
// UID EXPUNGE (UIDPLUS) so that nothing else marked deleted goes, else
// EXPUNGE.
func expungeUIDs(ss *session, set imap.UIDSet) error {
	if err := ss.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		return err
	}
	var cmd *imapclient.ExpungeCommand
	if ss.caps.Has(imap.CapUIDPlus) {
		cmd = ss.c.UIDExpunge(set)
	} else {
		cmd = ss.c.Expunge()
	}
	return cmd.Close()
}

func firstUID(ns imap.NumSet) imap.UID {
	set, ok := ns.(imap.UIDSet)
	if !ok {
		return 0
	}
	uids, ok := set.Nums()
	if !ok || len(uids) != 1 {
		return 0
	}
	return uids[0]
}

// setLabel makes label name exactly the messages with the given
// Message-IDs (Gmail labels seen as folders).
func setLabel(ctx context.Context, db *sql.DB, name string, messageIDs []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var lid int64
	if err := tx.QueryRowContext(ctx, "INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id", name).Scan(&lid); err != nil {
		return fmt.Errorf("label %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS imap_label_ids (msgid TEXT PRIMARY KEY)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM temp.imap_label_ids"); err != nil {
		return err
	}
	for _, id := range messageIDs {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO temp.imap_label_ids (msgid) VALUES (?)", id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO message_labels (message, label) SELECT m.id, ? FROM messages m JOIN temp.imap_label_ids t ON t.msgid = m.message_id", lid); err != nil {
		return fmt.Errorf("label %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM message_labels WHERE label = ? AND message IN (SELECT id FROM messages
		WHERE message_id NOT IN (SELECT msgid FROM temp.imap_label_ids))`, lid); err != nil {
		return fmt.Errorf("label %s: %w", name, err)
	}
	return tx.Commit()
}

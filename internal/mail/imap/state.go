package imap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/pam-ai/pam/internal/pam"
)

// SourceKey returns the store's source key of one message on the server.
func SourceKey(account, folder string, validity uint32, uid imap.UID) string {
	return fmt.Sprintf("imap:%s:%s:%d:%d", account, folder, validity, uid)
}

// folderPrefix is the key prefix of every message of folder, any validity.
func folderPrefix(account, folder string) string {
	return "imap:" + account + ":" + folder + ":"
}

// ParseSourceKey splits an IMAP source key. Folder names may contain ':';
// the validity and UID are the last two fields.
func ParseSourceKey(key string) (account, folder string, validity uint32, uid imap.UID, ok bool) {
	rest, found := strings.CutPrefix(key, "imap:")
	if !found {
		return
	}
	account, rest, found = strings.Cut(rest, ":")
	if !found || account == "" {
		return
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return
	}
	u, err := strconv.ParseUint(rest[i+1:], 10, 32)
	if err != nil || u == 0 {
		return
	}
	rest = rest[:i]
	j := strings.LastIndexByte(rest, ':')
	if j < 0 {
		return
	}
	v, err := strconv.ParseUint(rest[j+1:], 10, 32)
	if err != nil {
		return
	}
	folder = rest[:j]
	if folder == "" {
		return
	}
	return account, folder, uint32(v), imap.UID(u), true
}

// cursor is a folder's sync state.
type cursor struct {
	Validity      uint32
	UIDNext       imap.UID
	HighestModSeq uint64
}

func loadCursor(ctx context.Context, db *sql.DB, account, folder string) (cursor, bool, error) {
	var c cursor
	var v, n int64
	var m int64
	err := db.QueryRowContext(ctx, "SELECT uidvalidity, uidnext, highestmodseq FROM imap_folders WHERE account = ? AND folder = ?", account, folder).Scan(&v, &n, &m)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("imap cursor: %w", err)
	}
	c.Validity, c.UIDNext, c.HighestModSeq = uint32(v), imap.UID(n), uint64(m)
	return c, true, nil
}

func saveCursor(ctx context.Context, db *sql.DB, account, folder string, c cursor) error {
	_, err := db.ExecContext(ctx, `INSERT INTO imap_folders (account, folder, uidvalidity, uidnext, highestmodseq, synced_at) VALUES (?,?,?,?,?,?)
		ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, uidnext = excluded.uidnext,
		highestmodseq = excluded.highestmodseq, synced_at = excluded.synced_at`,
		account, folder, int64(c.Validity), int64(c.UIDNext), int64(c.HighestModSeq), time.Now().Unix())
	if err != nil {
		return fmt.Errorf("imap cursor: %w", err)
	}
	return nil
}

// knownUIDs returns the UIDs of folder under validity that are in the
// store, with the flags last seen on the server.
func knownUIDs(ctx context.Context, db *sql.DB, account, folder string, validity uint32) (map[imap.UID]pam.Flags, error) {
	prefix := fmt.Sprintf("imap:%s:%s:%d:", account, folder, validity)
	rows, err := db.QueryContext(ctx, "SELECT key, flags FROM sources WHERE key >= ? AND key < ?", prefix, prefix+"\xff")
	if err != nil {
		return nil, fmt.Errorf("known uids: %w", err)
	}
	defer rows.Close()
	out := map[imap.UID]pam.Flags{}
	for rows.Next() {
		var k string
		var f int
		if err := rows.Scan(&k, &f); err != nil {
			return nil, err
		}
		a, fo, v, uid, ok := ParseSourceKey(k)
		if ok && a == account && fo == folder && v == validity {
			out[uid] = pam.Flags(f)
		}
	}
	return out, rows.Err()
}

// staleKeys returns the keys of folder under any validity but the given.
func staleKeys(ctx context.Context, db *sql.DB, account, folder string, validity uint32) ([]string, error) {
	prefix := folderPrefix(account, folder)
	rows, err := db.QueryContext(ctx, "SELECT key FROM sources WHERE key >= ? AND key < ?", prefix, prefix+"\xff")
	if err != nil {
		return nil, fmt.Errorf("stale keys: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		a, fo, v, _, ok := ParseSourceKey(k)
		if ok && a == account && fo == folder && v != validity {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// removeSources forgets keys (the messages left the folder on the server):
// the source rows go, and the folder's label when no other source of the
// message is in that folder. It returns the messages touched, for the
// orphan check at the end of a sync.
func removeSources(ctx context.Context, db *sql.DB, keys []string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var touched []int64
	for _, k := range keys {
		var msg int64
		err := tx.QueryRowContext(ctx, "DELETE FROM sources WHERE key = ? RETURNING message", k).Scan(&msg)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("remove source: %w", err)
		}
		touched = append(touched, msg)
		account, folder, _, _, ok := ParseSourceKey(k)
		if !ok {
			continue
		}
		prefix := folderPrefix(account, folder)
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sources WHERE message = ? AND key >= ? AND key < ?", msg, prefix, prefix+"\xff").Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM message_labels WHERE message = ? AND label = (SELECT id FROM labels WHERE name = ?)", msg, folder); err != nil {
				return nil, err
			}
		}
	}
	return touched, tx.Commit()
}

// addSource records that message row is at key on the server, with its
// folder as a label (after a move PAM made itself).
func addSource(ctx context.Context, db *sql.DB, row int64, key, folder string, f pam.Flags) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO sources (key, message, flags) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET message = excluded.message, flags = excluded.flags", key, row, int(f)); err != nil {
		return fmt.Errorf("add source: %w", err)
	}
	var lid int64
	if err := tx.QueryRowContext(ctx, "INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id", folder).Scan(&lid); err != nil {
		return fmt.Errorf("add source: label: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO message_labels (message, label) VALUES (?,?)", row, lid); err != nil {
		return fmt.Errorf("add source: label: %w", err)
	}
	return tx.Commit()
}

// trashOrphans marks the messages among rows that have no source left
// anywhere as trashed: the server no longer has them, but PAM keeps the
// data (the user can purge it).
func trashOrphans(ctx context.Context, db *sql.DB, rows []int64) (int, error) {
	n := 0
	for _, r := range rows {
		res, err := db.ExecContext(ctx, "UPDATE messages SET flags = flags | ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sources WHERE message = ?) AND (flags & ?) = 0",
			int(pam.FlagTrashed), r, r, int(pam.FlagTrashed))
		if err != nil {
			return n, fmt.Errorf("trash orphans: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// syncedFlags are the flags that go both ways.
const syncedFlags = pam.FlagSeen | pam.FlagFlagged | pam.FlagReplied

// flagsFromIMAP maps IMAP system flags to PAM's.
func flagsFromIMAP(fl []imap.Flag) pam.Flags {
	var f pam.Flags
	for _, x := range fl {
		switch strings.ToLower(string(x)) {
		case `\seen`:
			f |= pam.FlagSeen
		case `\flagged`:
			f |= pam.FlagFlagged
		case `\answered`:
			f |= pam.FlagReplied
		case `\draft`:
			f |= pam.FlagDraft
		case `\deleted`:
			f |= pam.FlagTrashed
		}
	}
	return f
}

// flagsToIMAP maps PAM's synced flags to IMAP system flags.
func flagsToIMAP(f pam.Flags) []imap.Flag {
	var out []imap.Flag
	if f.Has(pam.FlagSeen) {
		out = append(out, imap.FlagSeen)
	}
	if f.Has(pam.FlagFlagged) {
		out = append(out, imap.FlagFlagged)
	}
	if f.Has(pam.FlagReplied) {
		out = append(out, imap.FlagAnswered)
	}
	return out
}

// localFlagChange is a message whose flags PAM changed since the server's
// were last seen.
type localFlagChange struct {
	uid           imap.UID
	server, local pam.Flags
	key           string
}

// localFlagChanges lists messages of folder (under validity) whose synced
// flags differ between the message (PAM's state) and the source (the
// server's state when last seen).
func localFlagChanges(ctx context.Context, db *sql.DB, account, folder string, validity uint32) ([]localFlagChange, error) {
	prefix := fmt.Sprintf("imap:%s:%s:%d:", account, folder, validity)
	rows, err := db.QueryContext(ctx, `SELECT s.key, s.flags, m.flags FROM sources s JOIN messages m ON m.id = s.message
		WHERE s.key >= ? AND s.key < ? AND (s.flags & ?) != (m.flags & ?)`, prefix, prefix+"\xff", int(syncedFlags), int(syncedFlags))
	if err != nil {
		return nil, fmt.Errorf("local flag changes: %w", err)
	}
	defer rows.Close()
	var out []localFlagChange
	for rows.Next() {
		var c localFlagChange
		var s, l int
		if err := rows.Scan(&c.key, &s, &l); err != nil {
			return nil, err
		}
		a, fo, v, uid, ok := ParseSourceKey(c.key)
		if !ok || a != account || fo != folder || v != validity {
			continue
		}
		c.uid, c.server, c.local = uid, pam.Flags(s), pam.Flags(l)
		out = append(out, c)
	}
	return out, rows.Err()
}

// applyServerFlags records the server's flags for the given keys and
// applies what changed on the server to the messages: bits that changed
// since last seen take the server's value; the others keep PAM's.
func applyServerFlags(ctx context.Context, db *sql.DB, changes map[string]pam.Flags) error {
	if len(changes) == 0 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for key, server := range changes {
		var old int
		var msg int64
		err := tx.QueryRowContext(ctx, "SELECT flags, message FROM sources WHERE key = ?", key).Scan(&old, &msg)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("server flags: %w", err)
		}
		changed := pam.Flags(old) ^ server
		if _, err := tx.ExecContext(ctx, "UPDATE sources SET flags = ? WHERE key = ?", int(server), key); err != nil {
			return fmt.Errorf("server flags: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE messages SET flags = (flags & ~?) | ? WHERE id = ?", int(changed), int(server&changed), msg); err != nil {
			return fmt.Errorf("server flags: %w", err)
		}
	}
	return tx.Commit()
}

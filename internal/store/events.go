package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
)

// CalDAVAccount is a CalDAV server the user added. Its password is not
// kept here (see the secret store).
type CalDAVAccount struct {
	ID        int64
	Name      string
	URL       string
	Username  string
	HomeSet   string
	LastSync  time.Time
	LastError string
}

// Calendar is a local calendar (Account == 0) or a CalDAV collection.
type Calendar struct {
	ID          int64
	Account     int64 // 0 for a local calendar
	AccountName string
	Name        string
	Href        string // absolute collection URL for CalDAV
	Components  string // e.g. "VEVENT,VTODO"; "" when unknown
	CTag        string
	SyncToken   string
}

// Local reports whether c is a local calendar (not synchronised).
func (c Calendar) Local() bool { return c.Account == 0 }

// CalObject is one calendar resource: the components sharing one UID, as
// iCalendar text.
type CalObject struct {
	ID       int64
	Calendar int64
	UID      string
	Href     string // absolute resource URL; "" until uploaded
	ETag     string // ETag of the server copy Raw was last synced with
	Raw      []byte
	// Dirty: changed locally since the last sync. Deleted: deleted locally
	// (a tombstone until the server has been told).
	Dirty, Deleted bool
	// Version counts local writes; MarkCalObjectSynced only clears Dirty
	// when it has not moved, so an edit made during a sync is not lost.
	Version    int64
	ConflictOf string
	Updated    time.Time
}

// AddCalDAVAccount records a new account; a name in use is ErrConflict.
func (s *Store) AddCalDAVAccount(ctx context.Context, a CalDAVAccount) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO caldav_accounts(name, url, username, home_set, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`, a.Name, a.URL, a.Username, a.HomeSet, time.Now().Unix())
	if err != nil {
		return 0, fmt.Errorf("add caldav account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("caldav account %q exists: %w", a.Name, pam.ErrConflict)
	}
	return res.LastInsertId()
}

// CalDAVAccounts lists the accounts by name.
func (s *Store) CalDAVAccounts(ctx context.Context) ([]CalDAVAccount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, url, username, home_set, last_sync, last_error FROM caldav_accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("caldav accounts: %w", err)
	}
	defer rows.Close()
	var out []CalDAVAccount
	for rows.Next() {
		var a CalDAVAccount
		var last int64
		if err := rows.Scan(&a.ID, &a.Name, &a.URL, &a.Username, &a.HomeSet, &last, &a.LastError); err != nil {
			return nil, err
		}
		if last != 0 {
			a.LastSync = time.Unix(last, 0)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetCalDAVAccountStatus records the outcome of a sync: when it completed
// (zero: leave as is) and its error text ("" when it succeeded).
func (s *Store) SetCalDAVAccountStatus(ctx context.Context, id int64, synced time.Time, errText string) error {
	var err error
	if synced.IsZero() {
		_, err = s.db.ExecContext(ctx, `UPDATE caldav_accounts SET last_error = ? WHERE id = ?`, errText, id)
	} else {
		_, err = s.db.ExecContext(ctx, `UPDATE caldav_accounts SET last_error = ?, last_sync = ? WHERE id = ?`, errText, synced.Unix(), id)
	}
	return err
}

// SetCalDAVHomeSet records the calendar-home-set found by discovery.
func (s *Store) SetCalDAVHomeSet(ctx context.Context, id int64, home string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE caldav_accounts SET home_set = ? WHERE id = ?`, home, id)
	return err
}

// LocalCalendar returns the id of the local calendar called name, creating
// it when needed.
func (s *Store) LocalCalendar(ctx context.Context, name string) (int64, error) {
	if strings.TrimSpace(name) == "" {
		return 0, fmt.Errorf("local calendar: empty name: %w", pam.ErrInvalid)
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM calendars WHERE account IS NULL AND name = ?`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !isNoRows(err) {
		return 0, fmt.Errorf("local calendar: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO calendars(account, name, created_at) VALUES (NULL, ?, ?)`, name, time.Now().Unix())
	if err != nil {
		return 0, fmt.Errorf("create local calendar: %w", err)
	}
	return res.LastInsertId()
}

// EnsureRemoteCalendar returns the id of account's collection at href,
// creating the row or updating its name and components.
func (s *Store) EnsureRemoteCalendar(ctx context.Context, account int64, href, name, components string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM calendars WHERE account = ? AND href = ?`, account, href).Scan(&id)
	switch {
	case err == nil:
		_, err = s.db.ExecContext(ctx, `UPDATE calendars SET name = ?, components = ? WHERE id = ?`, name, components, id)
		return id, err
	case !isNoRows(err):
		return 0, fmt.Errorf("remote calendar: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO calendars(account, name, href, components, created_at) VALUES (?, ?, ?, ?, ?)`,
		account, name, href, components, time.Now().Unix())
	if err != nil {
		return 0, fmt.Errorf("create remote calendar: %w", err)
	}
	return res.LastInsertId()
}

// Calendars lists all calendars, local ones first, then by account and name.
func (s *Store) Calendars(ctx context.Context) ([]Calendar, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, COALESCE(c.account, 0), COALESCE(a.name, ''), c.name, c.href, c.components, c.ctag, c.sync_token
		FROM calendars c LEFT JOIN caldav_accounts a ON a.id = c.account
		ORDER BY c.account IS NOT NULL, a.name, c.name, c.id`)
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	defer rows.Close()
	var out []Calendar
	for rows.Next() {
		var c Calendar
		if err := rows.Scan(&c.ID, &c.Account, &c.AccountName, &c.Name, &c.Href, &c.Components, &c.CTag, &c.SyncToken); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetCalendarSync records a collection's sync token and CTag after a
// completed sync.
func (s *Store) SetCalendarSync(ctx context.Context, id int64, token, ctag string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE calendars SET sync_token = ?, ctag = ? WHERE id = ?`, token, ctag, id)
	return err
}

const calObjectCols = `id, calendar, uid, href, etag, raw, dirty, deleted, version, conflict_of, updated_at`

func scanCalObject(sc interface{ Scan(...any) error }) (CalObject, error) {
	var o CalObject
	var updated int64
	err := sc.Scan(&o.ID, &o.Calendar, &o.UID, &o.Href, &o.ETag, &o.Raw, &o.Dirty, &o.Deleted, &o.Version, &o.ConflictOf, &updated)
	o.Updated = time.Unix(updated, 0)
	return o, err
}

func (s *Store) calObjects(ctx context.Context, q string, args ...any) ([]CalObject, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("calendar objects: %w", err)
	}
	defer rows.Close()
	var out []CalObject
	for rows.Next() {
		o, err := scanCalObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CalObjects returns all objects of a calendar, tombstones included.
func (s *Store) CalObjects(ctx context.Context, cal int64) ([]CalObject, error) {
	return s.calObjects(ctx, `SELECT `+calObjectCols+` FROM cal_objects WHERE calendar = ? ORDER BY id`, cal)
}

// CalObjectByUID returns one object of a calendar (tombstones included),
// or ErrNotFound.
func (s *Store) CalObjectByUID(ctx context.Context, cal int64, uid string) (CalObject, error) {
	o, err := scanCalObject(s.db.QueryRowContext(ctx, `SELECT `+calObjectCols+` FROM cal_objects WHERE calendar = ? AND uid = ?`, cal, uid))
	if isNoRows(err) {
		return CalObject{}, fmt.Errorf("calendar object: %w", pam.ErrNotFound)
	}
	return o, err
}

// CalObjectsByUID returns the live (not deleted) objects with uid in any
// calendar.
func (s *Store) CalObjectsByUID(ctx context.Context, uid string) ([]CalObject, error) {
	return s.calObjects(ctx, `SELECT `+calObjectCols+` FROM cal_objects WHERE uid = ? AND deleted = 0 ORDER BY id`, uid)
}

// CalObjectsBetween returns the live objects with a VEVENT that may have an
// occurrence in [from, to): the caller expands them. The window is widened
// by two days for floating and all-day values.
func (s *Store) CalObjectsBetween(ctx context.Context, from, to time.Time) ([]CalObject, error) {
	const slack = 2 * 24 * 3600
	return s.calObjects(ctx, `SELECT `+calObjectCols+` FROM cal_objects WHERE deleted = 0 AND id IN (
		SELECT object FROM cal_components WHERE kind = 'VEVENT'
		AND (first_start IS NULL OR first_start < ?) AND (last_end IS NULL OR last_end > ?))
		ORDER BY calendar, id`, to.Unix()+slack, from.Unix()-slack)
}

// CalObjectsToPush returns a calendar's objects with local changes.
func (s *Store) CalObjectsToPush(ctx context.Context, cal int64) ([]CalObject, error) {
	return s.calObjects(ctx, `SELECT `+calObjectCols+` FROM cal_objects WHERE calendar = ? AND dirty = 1 ORDER BY id`, cal)
}

// PutCalObject inserts or replaces the object (Calendar, UID) with all of
// o's fields, bumps its version and re-indexes its components. It returns
// the row id. Raw must parse as iCalendar.
func (s *Store) PutCalObject(ctx context.Context, o CalObject) (int64, error) {
	if o.UID == "" {
		return 0, fmt.Errorf("put calendar object: empty UID: %w", pam.ErrInvalid)
	}
	idx, err := indexCalendar(o.Raw)
	if err != nil {
		return 0, fmt.Errorf("put calendar object: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO cal_objects(calendar, uid, href, etag, raw, dirty, deleted, conflict_of, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(calendar, uid) DO UPDATE SET href = excluded.href, etag = excluded.etag, raw = excluded.raw,
			dirty = excluded.dirty, deleted = excluded.deleted, conflict_of = excluded.conflict_of,
			updated_at = excluded.updated_at, version = version + 1
		RETURNING id`, o.Calendar, o.UID, o.Href, o.ETag, o.Raw, o.Dirty, o.Deleted, o.ConflictOf, time.Now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("put calendar object: %w", err)
	}
	if err := writeIndex(ctx, tx, id, idx); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// MarkCalObjectSynced records that the server holds the object at href
// with etag, and, when raw is not nil, that the server's bytes are raw
// (servers may re-serialise what they are given). Dirty is cleared and raw
// stored only when the object's version is still version, so a local edit
// made during the sync is kept for the next one; it reports whether the
// version matched.
func (s *Store) MarkCalObjectSynced(ctx context.Context, id, version int64, href, etag string, raw []byte) (bool, error) {
	var idx []compIndex
	if raw != nil {
		var err error
		if idx, err = indexCalendar(raw); err != nil {
			raw = nil // keep ours; the server's copy is still recorded by etag
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var cur int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM cal_objects WHERE id = ?`, id).Scan(&cur)
	if isNoRows(err) {
		return false, fmt.Errorf("mark synced: object %d: %w", id, pam.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("mark synced: %w", err)
	}
	if cur != version {
		if _, err := tx.ExecContext(ctx, `UPDATE cal_objects SET href = ?, etag = ? WHERE id = ?`, href, etag, id); err != nil {
			return false, fmt.Errorf("mark synced: %w", err)
		}
		return false, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cal_objects SET href = ?, etag = ?, dirty = 0, raw = COALESCE(?, raw) WHERE id = ?`,
		href, etag, raw, id); err != nil {
		return false, fmt.Errorf("mark synced: %w", err)
	}
	if raw != nil {
		if err := writeIndex(ctx, tx, id, idx); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

func writeIndex(ctx context.Context, tx *sql.Tx, id int64, idx []compIndex) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cal_components WHERE object = ?`, id); err != nil {
		return err
	}
	for _, c := range idx {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO cal_components(object, kind, uid, recurrence_id, summary, first_start, last_end, recurring)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, c.kind, c.uid, c.recurrenceID, c.summary, c.firstStart, c.lastEnd, c.recurring)
		if err != nil {
			return fmt.Errorf("index calendar object: %w", err)
		}
	}
	return nil
}

// DeleteCalObject removes an object for good (no tombstone).
func (s *Store) DeleteCalObject(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM cal_objects WHERE id = ?`, id)
	return err
}

// DeleteCalObjectLocally deletes the object (cal, uid) as a local change:
// an object the server has (href set) becomes a tombstone for the next
// sync; any other object is removed at once.
func (s *Store) DeleteCalObjectLocally(ctx context.Context, cal int64, uid string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE cal_objects SET deleted = 1, dirty = 1, version = version + 1, updated_at = ?
		WHERE calendar = ? AND uid = ? AND href != ''`, time.Now().Unix(), cal, uid)
	if err != nil {
		return fmt.Errorf("delete calendar object: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	res, err = s.db.ExecContext(ctx, `DELETE FROM cal_objects WHERE calendar = ? AND uid = ?`, cal, uid)
	if err != nil {
		return fmt.Errorf("delete calendar object: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete calendar object %s: %w", uid, pam.ErrNotFound)
	}
	return nil
}

// CalendarCounts says how many live events and to-dos a calendar holds and
// how many objects wait to be pushed.
type CalendarCounts struct{ Events, Todos, Dirty int }

// CountCalendar returns the counts of one calendar.
func (s *Store) CountCalendar(ctx context.Context, cal int64) (CalendarCounts, error) {
	var c CalendarCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(DISTINCT o.id) FROM cal_objects o JOIN cal_components k ON k.object = o.id WHERE o.calendar = ?1 AND o.deleted = 0 AND k.kind = 'VEVENT'),
		(SELECT COUNT(DISTINCT o.id) FROM cal_objects o JOIN cal_components k ON k.object = o.id WHERE o.calendar = ?1 AND o.deleted = 0 AND k.kind = 'VTODO'),
		(SELECT COUNT(*) FROM cal_objects WHERE calendar = ?1 AND dirty = 1)`, cal).Scan(&c.Events, &c.Todos, &c.Dirty)
	return c, err
}

type compIndex struct {
	kind, uid, recurrenceID, summary string
	firstStart, lastEnd              sql.NullInt64
	recurring                        bool
}

// indexCalendar derives the cal_components rows of an object.
func indexCalendar(raw []byte) ([]compIndex, error) {
	cal, err := calendar.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	var out []compIndex
	for _, ev := range cal.Events {
		c := compIndex{kind: "VEVENT", uid: ev.UID, summary: ev.Summary, recurring: len(ev.RRules) > 0 || len(ev.RDates) > 0}
		if p := ev.Raw.Prop("RECURRENCE-ID"); p != nil {
			c.recurrenceID = p.Value
		}
		if !ev.Start.IsZero() {
			c.firstStart = sql.NullInt64{Int64: ev.Start.Time.Unix(), Valid: true}
			end := ev.End.Time
			if ev.End.IsZero() || end.Before(ev.Start.Time) {
				end = ev.Start.Time.Add(24 * time.Hour)
			}
			if !c.recurring {
				c.lastEnd = sql.NullInt64{Int64: end.Unix(), Valid: true}
			}
		}
		if !ev.RecurrenceID.IsZero() {
			// An override may move its instance anywhere; keep it a
			// candidate whenever its master is (the master is expanded).
			c.firstStart, c.lastEnd = sql.NullInt64{}, sql.NullInt64{}
		}
		out = append(out, c)
	}
	for _, t := range cal.Todos {
		c := compIndex{kind: "VTODO", uid: t.UID, summary: t.Summary, recurring: len(t.RRules) > 0}
		if p := t.Raw.Prop("RECURRENCE-ID"); p != nil {
			c.recurrenceID = p.Value
		}
		first, last := t.Start, t.Due
		if first.IsZero() {
			first = t.Due
		}
		if last.IsZero() {
			last = t.Start
		}
		if !first.IsZero() {
			c.firstStart = sql.NullInt64{Int64: first.Time.Unix(), Valid: true}
			c.lastEnd = sql.NullInt64{Int64: last.Time.Unix(), Valid: true}
		}
		out = append(out, c)
	}
	return out, nil
}

// Invite is an iTIP message found in a text/calendar part of a message.
type Invite struct {
	Message      int64  // message row
	MessageID    string // the message's stable id
	Idx          int    // which text/calendar part
	Method       string
	UID          string
	RecurrenceID string
	Sequence     int
	Summary      string
	Start        time.Time
	Date         time.Time // the message's date
	Raw          []byte    // the text/calendar part
}

// LinkInvites parses the text/calendar parts of the given messages and
// records each iTIP message (one with a METHOD and a VEVENT) in invites,
// where it links to calendar objects by UID. Messages without calendar
// parts cost one decompression and a byte search. Running it again for
// the same rows is harmless. Parts that are not iTIP are ignored.
func (s *Store) LinkInvites(ctx context.Context, rows []int64) error {
	for _, row := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw, err := s.Raw(ctx, row)
		if errors.Is(err, pam.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("link invites: %w", err)
		}
		if !bytes.Contains(bytes.ToLower(raw), []byte("text/calendar")) {
			continue
		}
		m, err := mail.Parse(raw)
		if err != nil || len(m.Calendar) == 0 {
			continue
		}
		for i, part := range m.Calendar {
			inv, err := calendar.ParseInvite(part)
			if err != nil || inv.Event.UID == "" {
				continue
			}
			ev := inv.Event
			rid := ""
			if p := ev.Raw.Prop("RECURRENCE-ID"); p != nil {
				rid = p.Value
			}
			var start sql.NullInt64
			if !ev.Start.IsZero() {
				start = sql.NullInt64{Int64: ev.Start.Time.Unix(), Valid: true}
			}
			_, err = s.db.ExecContext(ctx, `INSERT OR REPLACE INTO invites(message, idx, method, uid, recurrence_id, sequence, summary, dtstart, raw)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, row, i, inv.Method, ev.UID, rid, ev.Sequence, ev.Summary, start, part)
			if err != nil {
				return fmt.Errorf("link invites: %w", err)
			}
		}
	}
	return nil
}

const inviteCols = `i.message, m.pid, i.idx, i.method, i.uid, i.recurrence_id, i.sequence, i.summary, i.dtstart, m.date, i.raw`

func (s *Store) invites(ctx context.Context, where string, args ...any) ([]Invite, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+inviteCols+` FROM invites i JOIN messages m ON m.id = i.message `+where+
		` ORDER BY m.date, i.message, i.idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("invites: %w", err)
	}
	defer rows.Close()
	var out []Invite
	for rows.Next() {
		var iv Invite
		var start sql.NullInt64
		var date int64
		if err := rows.Scan(&iv.Message, &iv.MessageID, &iv.Idx, &iv.Method, &iv.UID, &iv.RecurrenceID, &iv.Sequence, &iv.Summary, &start, &date, &iv.Raw); err != nil {
			return nil, err
		}
		if start.Valid {
			iv.Start = time.Unix(start.Int64, 0).UTC()
		}
		if date != 0 {
			iv.Date = time.Unix(date, 0).UTC()
		}
		out = append(out, iv)
	}
	return out, rows.Err()
}

// Invites returns every recorded invitation, oldest message first.
func (s *Store) Invites(ctx context.Context) ([]Invite, error) { return s.invites(ctx, "") }

// InvitesForMessage returns the invitations in one message.
func (s *Store) InvitesForMessage(ctx context.Context, row int64) ([]Invite, error) {
	return s.invites(ctx, "WHERE i.message = ?", row)
}

// InvitesByUID returns the invitations about one event, oldest first.
func (s *Store) InvitesByUID(ctx context.Context, uid string) ([]Invite, error) {
	return s.invites(ctx, "WHERE i.uid = ?", uid)
}

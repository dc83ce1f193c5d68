package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/search"
)

// Summary is one message as listed by search, inbox and thread views.
type Summary struct {
	Row           int64     `json:"-"`
	ID            string    `json:"id"`
	Thread        int64     `json:"thread"`
	Date          time.Time `json:"date"`
	FromName      string    `json:"from_name,omitempty"`
	FromEmail     string    `json:"from"`
	Recipients    string    `json:"to,omitempty"`
	Subject       string    `json:"subject"`
	Snippet       string    `json:"snippet"`
	Flags         pam.Flags `json:"-"`
	Unread        bool      `json:"unread"`
	Flagged       bool      `json:"flagged"`
	HasAttachment bool      `json:"attachment"`
	Labels        []string  `json:"labels"`
	Problems      string    `json:"problems,omitempty"`
}

const summaryCols = `m.id, m.pid, m.thread_id, m.date, m.from_name, m.from_email, m.recipients, m.subject, m.snippet, m.flags, m.has_attachment, m.problems`

func scanSummary(sc interface{ Scan(...any) error }) (Summary, error) {
	var s Summary
	var date int64
	var flags, att int
	err := sc.Scan(&s.Row, &s.ID, &s.Thread, &date, &s.FromName, &s.FromEmail, &s.Recipients, &s.Subject, &s.Snippet, &flags, &att, &s.Problems)
	if date != 0 {
		s.Date = time.Unix(date, 0).UTC()
	}
	s.Flags = pam.Flags(flags)
	s.Unread = !s.Flags.Has(pam.FlagSeen)
	s.Flagged = s.Flags.Has(pam.FlagFlagged)
	s.HasAttachment = att != 0
	return s, err
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Store) summaries(ctx context.Context, q string, args ...any) ([]Summary, error) {
	return s.summariesOn(ctx, s.db, q, args...)
}

func (s *Store) summariesOn(ctx context.Context, db querier, q string, args ...any) ([]Summary, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		sm, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillLabels(ctx, out)
}

func (s *Store) fillLabels(ctx context.Context, list []Summary) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph := make([]string, len(list))
	args := make([]any, len(list))
	for i, sm := range list {
		idx[sm.Row] = i
		ph[i] = "?"
		args[i] = sm.Row
		list[i].Labels = []string{}
	}
	rows, err := s.db.QueryContext(ctx, "SELECT ml.message, l.name FROM message_labels ml JOIN labels l ON l.id = ml.label WHERE ml.message IN ("+strings.Join(ph, ",")+") ORDER BY l.name", args...)
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		i := idx[id]
		list[i].Labels = append(list[i].Labels, name)
	}
	return rows.Err()
}

// Search runs a parsed query, newest first.
func (s *Store) Search(ctx context.Context, q *search.Node, limit, offset int) ([]Summary, error) {
	var c compiler
	where := c.node(q)
	if limit <= 0 {
		limit = 50
	}
	c.args = append(c.args, limit, offset)
	conn, err := s.searchConn(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer conn.Close()
	out, err := s.summariesOn(ctx, conn, "SELECT "+summaryCols+" FROM messages m WHERE "+where+" ORDER BY m.date DESC, m.id DESC LIMIT ? OFFSET ?", c.args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// compiler turns a query tree into a SQL predicate over messages m.
type compiler struct{ args []any }

func ftsable(n *search.Node) bool {
	switch n.Op {
	case search.OpTerm:
		switch n.Field {
		case "", "from", "to", "subject":
			return true
		}
		return false
	case search.OpOr, search.OpAnd:
		for _, c := range n.Children {
			if !ftsable(c) {
				return false
			}
		}
		return true
	}
	return false
}

func (c *compiler) node(n *search.Node) string {
	if ftsable(n) {
		c.args = append(c.args, ftsExpr(n))
		return "m.id IN (SELECT rowid FROM fts.message_fts WHERE message_fts MATCH ?)"
	}
	switch n.Op {
	case search.OpAnd:
		// Keep all full-text children in one MATCH, the rest in SQL.
		var text, other []*search.Node
		for _, k := range n.Children {
			if ftsable(k) {
				text = append(text, k)
			} else {
				other = append(other, k)
			}
		}
		var parts []string
		if len(text) > 0 {
			parts = append(parts, c.node(&search.Node{Op: search.OpAnd, Children: text}))
		}
		for _, k := range other {
			parts = append(parts, c.node(k))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " AND ") + ")"
	case search.OpOr:
		parts := make([]string, len(n.Children))
		for i, k := range n.Children {
			parts[i] = c.node(k)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case search.OpNot:
		return "NOT " + c.node(n.Children[0])
	}
	switch n.Field {
	case "label":
		c.args = append(c.args, n.Value, n.Value)
		return "m.id IN (SELECT ml.message FROM message_labels ml JOIN labels l ON l.id = ml.label WHERE l.name = ? COLLATE NOCASE OR l.name LIKE ? || '/%')"
	case "is":
		switch n.Value {
		case "unread":
			return fmt.Sprintf("(m.flags & %d) = 0", pam.FlagSeen)
		case "read", "seen":
			return fmt.Sprintf("(m.flags & %d) <> 0", pam.FlagSeen)
		case "flagged", "starred":
			return fmt.Sprintf("(m.flags & %d) <> 0", pam.FlagFlagged)
		case "replied", "answered":
			return fmt.Sprintf("(m.flags & %d) <> 0", pam.FlagReplied)
		}
	case "has":
		return "m.has_attachment = 1"
	case "date":
		var parts []string
		if !n.From.IsZero() {
			c.args = append(c.args, n.From.Unix())
			parts = append(parts, "m.date >= ?")
		}
		if !n.To.IsZero() {
			c.args = append(c.args, n.To.Unix())
			parts = append(parts, "m.date < ?")
		}
		return "(m.date <> 0 AND " + strings.Join(parts, " AND ") + ")"
	}
	return "0"
}

// ftsExpr renders an FTS-only subtree as an FTS5 query string.
func ftsExpr(n *search.Node) string {
	switch n.Op {
	case search.OpAnd, search.OpOr:
		op := " AND "
		if n.Op == search.OpOr {
			op = " OR "
		}
		parts := make([]string, len(n.Children))
		for i, k := range n.Children {
			parts[i] = ftsExpr(k)
		}
		return "(" + strings.Join(parts, op) + ")"
	}
	s := `"` + strings.ReplaceAll(n.Value, `"`, `""`) + `"`
	if n.Prefix {
		s += " *"
	}
	switch n.Field {
	case "from":
		return "sender : " + s
	case "to":
		return "recipients : " + s
	case "subject":
		return "subject : " + s
	}
	return s
}

// Resolve finds the row id of a message by its stable id or an
// unambiguous prefix of at least 6 characters.
func (s *Store) Resolve(ctx context.Context, ref string) (int64, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if len(ref) < 6 {
		return 0, fmt.Errorf("message id %q: too short: %w", ref, pam.ErrInvalid)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM messages WHERE pid >= ? AND pid < ? LIMIT 2", ref, ref+"\xff")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	switch len(ids) {
	case 0:
		return 0, fmt.Errorf("message %s: %w", ref, pam.ErrNotFound)
	case 1:
		return ids[0], nil
	}
	return 0, fmt.Errorf("message id %q is ambiguous: %w", ref, pam.ErrInvalid)
}

// SummaryByRow returns one message's summary.
func (s *Store) SummaryByRow(ctx context.Context, row int64) (Summary, error) {
	list, err := s.summaries(ctx, "SELECT "+summaryCols+" FROM messages m WHERE m.id = ?", row)
	if err != nil {
		return Summary{}, err
	}
	if len(list) == 0 {
		return Summary{}, fmt.Errorf("message row %d: %w", row, pam.ErrNotFound)
	}
	return list[0], nil
}

// Raw returns the raw bytes of a message.
func (s *Store) Raw(ctx context.Context, row int64) ([]byte, error) {
	var codec int
	var data []byte
	err := s.db.QueryRowContext(ctx, "SELECT codec, data FROM raw WHERE message = ?", row).Scan(&codec, &data)
	if isNoRows(err) {
		return nil, fmt.Errorf("raw message %d: %w", row, pam.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return decompress(codec, data)
}

// Thread returns the messages of a thread, oldest first.
func (s *Store) Thread(ctx context.Context, thread int64) ([]Summary, error) {
	return s.summaries(ctx, "SELECT "+summaryCols+" FROM messages m WHERE m.thread_id = ? ORDER BY m.date, m.id", thread)
}

// ThreadSummary is one line of the inbox.
type ThreadSummary struct {
	Thread   int64     `json:"thread"`
	Latest   Summary   `json:"latest"`
	Count    int       `json:"count"`
	Unread   int       `json:"unread"`
	LastDate time.Time `json:"last_date"`
}

// Inbox returns the latest threads, newest first, leaving out threads whose
// messages are all in the labels given in exclude (sent mail, spam, trash).
func (s *Store) Inbox(ctx context.Context, limit int, exclude []string) ([]ThreadSummary, error) {
	if limit <= 0 {
		limit = 30
	}
	excl := "0"
	var args []any
	if len(exclude) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(exclude)), ",")
		excl = "NOT EXISTS (SELECT 1 FROM message_labels ml JOIN labels l ON l.id = ml.label WHERE ml.message = m.id AND l.name COLLATE NOCASE IN (" + ph + "))"
		for _, e := range exclude {
			args = append(args, e)
		}
	} else {
		excl = "1"
	}
	args = append(args, limit)
	q := `WITH t AS (
		SELECT m.thread_id AS tid, max(m.date) AS last, count(*) AS n,
		       sum(CASE WHEN (m.flags & 1) = 0 THEN 1 ELSE 0 END) AS unread
		FROM messages m WHERE ` + excl + ` GROUP BY m.thread_id ORDER BY last DESC LIMIT ?)
	SELECT t.tid, t.n, t.unread, ` + summaryCols + ` FROM t JOIN messages m ON m.id = (
		SELECT id FROM messages WHERE thread_id = t.tid ORDER BY date DESC, id DESC LIMIT 1)
	ORDER BY t.last DESC`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []ThreadSummary
	for rows.Next() {
		var ts ThreadSummary
		var sm Summary
		var date int64
		var flags, att int
		if err := rows.Scan(&ts.Thread, &ts.Count, &ts.Unread, &sm.Row, &sm.ID, &sm.Thread, &date, &sm.FromName, &sm.FromEmail, &sm.Recipients, &sm.Subject, &sm.Snippet, &flags, &att, &sm.Problems); err != nil {
			return nil, err
		}
		if date != 0 {
			sm.Date = time.Unix(date, 0).UTC()
		}
		sm.Flags = pam.Flags(flags)
		sm.Unread, sm.Flagged, sm.HasAttachment = !sm.Flags.Has(pam.FlagSeen), sm.Flags.Has(pam.FlagFlagged), att != 0
		ts.Latest, ts.LastDate = sm, sm.Date
		out = append(out, ts)
	}
	return out, rows.Err()
}

// Counts reports totals for status displays.
type Counts struct {
	Messages, Threads, Unread, Failures int
}

// Count returns the store's totals.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM threads),
		(SELECT count(*) FROM messages WHERE (flags & 1) = 0), (SELECT count(*) FROM import_failures)`).Scan(&c.Messages, &c.Threads, &c.Unread, &c.Failures)
	return c, err
}

// Failure is an input that could not be imported.
type Failure struct{ Source, Error string }

// Failures lists recorded import failures.
func (s *Store) Failures(ctx context.Context) ([]Failure, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, error FROM import_failures ORDER BY key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Failure
	for rows.Next() {
		var f Failure
		if err := rows.Scan(&f.Source, &f.Error); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

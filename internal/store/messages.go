package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/pam"
)

// Incoming is one item an importer hands to WriteBatch: a parsed message
// with its raw bytes, or a failure to record.
type Incoming struct {
	Source string    // stable key of where it came from (maildir:..., mbox:..., imap:...)
	Label  string    // label from the folder, or ""
	Flags  pam.Flags // flags from the source
	Msg    *pam.Message
	Raw    []byte // compressed raw message (see Compress)
	Codec  int
	Err    error // set when the item could not be read or parsed
}

// BatchResult counts what WriteBatch did.
type BatchResult struct {
	Imported   int
	Duplicates int
	Failed     int
	// New lists the row ids of imported messages, for the pipeline.
	New []int64
}

// KnownSources returns every source key already imported, with its flags,
// so a re-run can skip them without reading or parsing.
func (s *Store) KnownSources(ctx context.Context, prefix string) (map[string]pam.Flags, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, flags FROM sources WHERE key >= ? AND key < ?", prefix, prefix+"\xff")
	if err != nil {
		return nil, fmt.Errorf("known sources: %w", err)
	}
	defer rows.Close()
	out := map[string]pam.Flags{}
	for rows.Next() {
		var k string
		var f int
		if err := rows.Scan(&k, &f); err != nil {
			return nil, err
		}
		out[k] = pam.Flags(f)
	}
	return out, rows.Err()
}

// UpdateSourceFlags sets the flags of the message behind a known source.
func (s *Store) UpdateSourceFlags(ctx context.Context, source string, f pam.Flags) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, "UPDATE sources SET flags = ? WHERE key = ? RETURNING message", int(f), source).Scan(&id); err != nil {
		if isNoRows(err) {
			return fmt.Errorf("source %s: %w", source, pam.ErrNotFound)
		}
		return fmt.Errorf("update flags: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE messages SET flags = ? WHERE id = ?", int(f), id); err != nil {
		return fmt.Errorf("update flags: %w", err)
	}
	return tx.Commit()
}

// batchStmts are the prepared statements of one write transaction.
type batchStmts struct {
	byPid, insMsg, insRaw, insSrc, insPending, insAtt, insMA, insLabel, upThread *sql.Stmt
	insAddr, getLabel, insFail, refs, insRef                                     *sql.Stmt
}

func prepare(ctx context.Context, tx *sql.Tx) (*batchStmts, error) {
	var b batchStmts
	var err error
	p := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		*dst, err = tx.PrepareContext(ctx, q)
	}
	p(&b.byPid, "SELECT id FROM messages WHERE pid = ?")
	p(&b.insMsg, `INSERT INTO messages (pid, message_id, digest, thread_id, date, subject, from_name, from_email,
		recipients, flags, has_attachment, size, snippet, problems, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`)
	p(&b.insRaw, "INSERT INTO raw (message, codec, data) VALUES (?,?,?)")
	p(&b.insSrc, "INSERT INTO sources (key, message, flags) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET message = excluded.message, flags = excluded.flags")
	p(&b.insPending, "INSERT OR IGNORE INTO pending (message) VALUES (?)")
	p(&b.insAtt, "INSERT OR IGNORE INTO attachments (message, idx, filename, content_type, size) VALUES (?,?,?,?,?)")
	p(&b.insMA, "INSERT OR IGNORE INTO message_addresses (message, role, address) VALUES (?,?,?)")
	p(&b.insLabel, "INSERT OR IGNORE INTO message_labels (message, label) VALUES (?,?)")
	p(&b.upThread, "UPDATE threads SET last_date = max(last_date, ?) WHERE id = ?")
	p(&b.insAddr, `INSERT INTO addresses (email, name) VALUES (?, ?)
		ON CONFLICT(email) DO UPDATE SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE addresses.name END
		RETURNING id`)
	p(&b.getLabel, "INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id")
	p(&b.insFail, "INSERT INTO import_failures (key, error, at) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET error = excluded.error, at = excluded.at")
	p(&b.refs, "SELECT thread_id FROM thread_refs WHERE msgid = ?")
	p(&b.insRef, "INSERT INTO thread_refs (msgid, thread_id) VALUES (?, ?) ON CONFLICT(msgid) DO NOTHING")
	if err != nil {
		b.close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return &b, nil
}

func (b *batchStmts) close() {
	for _, st := range []*sql.Stmt{b.byPid, b.insMsg, b.insRaw, b.insSrc, b.insPending, b.insAtt, b.insMA, b.insLabel, b.upThread, b.insAddr, b.getLabel, b.insFail, b.refs, b.insRef} {
		if st != nil {
			st.Close()
		}
	}
}

// WriteBatch writes items in one transaction: new messages with their
// threads, addresses, labels, attachments, raw bytes, search index entries
// and pipeline queue entries; duplicates (same stable id) only gain the
// source and label; failures are recorded. Either the whole batch commits
// or none of it does.
func (s *Store) WriteBatch(ctx context.Context, items []Incoming) (BatchResult, error) {
	var res BatchResult
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var docs []ftsDoc
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("write batch: %w", err)
	}
	defer tx.Rollback()
	committed := false
	defer func() {
		if !committed {
			s.wc.reset() // the cache may hold rows the rollback removed
		}
	}()
	if err := s.wc.load(ctx, tx); err != nil {
		return res, err
	}
	st, err := prepare(ctx, tx)
	if err != nil {
		return res, err
	}
	defer st.close()
	now := time.Now().Unix()
	labelIDs := map[string]int64{}
	for i := range items {
		it := &items[i]
		if it.Msg == nil {
			msg := "unknown error"
			if it.Err != nil {
				msg = it.Err.Error()
			}
			if _, err := st.insFail.ExecContext(ctx, it.Source, msg, now); err != nil {
				return res, fmt.Errorf("record failure: %w", err)
			}
			res.Failed++
			continue
		}
		id, isNew, err := s.writeOne(ctx, tx, st, it, now, &docs)
		if err != nil {
			return res, fmt.Errorf("write message %s: %w", it.Msg.ID, err)
		}
		if isNew {
			res.Imported++
			res.New = append(res.New, id)
		} else {
			res.Duplicates++
		}
		if it.Label != "" {
			lid, ok := labelIDs[it.Label]
			if !ok {
				if err := st.getLabel.QueryRowContext(ctx, it.Label).Scan(&lid); err != nil {
					return res, fmt.Errorf("label: %w", err)
				}
				labelIDs[it.Label] = lid
			}
			if _, err := st.insLabel.ExecContext(ctx, id, lid); err != nil {
				return res, fmt.Errorf("label: %w", err)
			}
		}
		if _, err := st.insSrc.ExecContext(ctx, it.Source, id, int(it.Flags)); err != nil {
			return res, fmt.Errorf("source: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return BatchResult{}, fmt.Errorf("write batch: commit: %w", err)
	}
	committed = true
	if err := s.idx.enqueue(docs); err != nil {
		return res, err
	}
	return res, nil
}

func (s *Store) writeOne(ctx context.Context, tx *sql.Tx, st *batchStmts, it *Incoming, now int64, docs *[]ftsDoc) (int64, bool, error) {
	m := it.Msg
	var id int64
	err := st.byPid.QueryRowContext(ctx, m.ID).Scan(&id)
	if err == nil {
		if it.Flags != 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE messages SET flags = flags | ? WHERE id = ?", int(it.Flags), id); err != nil {
				return 0, false, err
			}
		}
		return id, false, nil
	}
	if !isNoRows(err) {
		return 0, false, err
	}
	threadID, err := s.threadFor(ctx, tx, st, m)
	if err != nil {
		return 0, false, fmt.Errorf("thread: %w", err)
	}
	date := int64(0)
	if !m.Date.IsZero() {
		date = m.Date.Unix()
	}
	var fromName, fromEmail string
	if len(m.From) > 0 {
		fromName, fromEmail = m.From[0].Name, m.From[0].Email
	}
	recips := joinAddrs(m.To, m.Cc)
	hasAtt := 0
	if len(m.Attachments) > 0 {
		hasAtt = 1
	}
	err = st.insMsg.QueryRowContext(ctx, m.ID, m.MessageID, m.Digest[:], threadID, date, m.Subject, fromName, fromEmail,
		recips, int(it.Flags), hasAtt, m.Size, Snippet(m.Text, 160), strings.Join(m.Problems, "; "), now).Scan(&id)
	if err != nil {
		return 0, false, err
	}
	if _, err := st.upThread.ExecContext(ctx, date, threadID); err != nil {
		return 0, false, err
	}
	if _, err := st.insRaw.ExecContext(ctx, id, it.Codec, it.Raw); err != nil {
		return 0, false, err
	}
	*docs = append(*docs, docFor(id, m.Subject, joinAddrs(m.From, m.ReplyTo), recips+" "+joinAddrs(m.Bcc, nil), m.Text))
	for role, list := range [][]pam.Address{nil, m.From, m.To, m.Cc, m.Bcc, m.ReplyTo} {
		for _, a := range list {
			if a.Email == "" {
				continue
			}
			aid, ok := s.wc.addrID(a)
			if !ok {
				if err := st.insAddr.QueryRowContext(ctx, a.Email, a.Name).Scan(&aid); err != nil {
					return 0, false, fmt.Errorf("address: %w", err)
				}
				s.wc.setAddr(a, aid)
			}
			if _, err := st.insMA.ExecContext(ctx, id, role, aid); err != nil {
				return 0, false, err
			}
		}
	}
	for i, a := range m.Attachments {
		if _, err := st.insAtt.ExecContext(ctx, id, i, a.Filename, a.ContentType, a.Size); err != nil {
			return 0, false, err
		}
	}
	if _, err := st.insPending.ExecContext(ctx, id); err != nil {
		return 0, false, err
	}
	return id, true, nil
}

const maxIndexedBody = 1 << 20

// threadFor finds or creates the thread of m: by its own Message-ID or
// any it references (merging threads a message joins), else by subject for
// replies within 60 days, else a new thread.
func (s *Store) threadFor(ctx context.Context, tx *sql.Tx, st *batchStmts, m *pam.Message) (int64, error) {
	ids := make([]string, 0, len(m.References)+2)
	if m.MessageID != "" {
		ids = append(ids, m.MessageID)
	}
	ids = append(ids, m.References...)
	if m.InReplyTo != "" {
		ids = append(ids, m.InReplyTo)
	}
	found := map[int64]bool{}
	var thread int64
	for _, mid := range ids {
		t, ok, err := s.wc.threadOf(ctx, st, mid)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		if !found[t] {
			found[t] = true
			if thread == 0 || t < thread {
				thread = t
			}
		}
	}
	key := SubjectKey(m.Subject)
	if thread == 0 && key != "" && isReply(m.Subject) {
		var t int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM threads WHERE subject_key = ? AND abs(last_date - ?) < ? ORDER BY last_date DESC LIMIT 1",
			key, m.Date.Unix(), int64(60*24*3600)).Scan(&t)
		if err != nil && !isNoRows(err) {
			return 0, err
		}
		thread = t
	}
	if thread == 0 {
		err := tx.QueryRowContext(ctx, "INSERT INTO threads (subject, subject_key, last_date) VALUES (?,?,0) RETURNING id", m.Subject, key).Scan(&thread)
		if err != nil {
			return 0, err
		}
	}
	for t := range found {
		if t == thread {
			continue
		}
		// m joins two threads: merge the other into this one.
		for _, q := range []string{
			"UPDATE messages SET thread_id = ? WHERE thread_id = ?",
			"UPDATE thread_refs SET thread_id = ? WHERE thread_id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, thread, t); err != nil {
				return 0, err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE threads SET last_date = max(last_date, (SELECT last_date FROM threads WHERE id = ?)) WHERE id = ?", t, thread); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM threads WHERE id = ?", t); err != nil {
			return 0, err
		}
		s.wc.mergeThreads(t, thread)
	}
	for _, mid := range ids {
		if _, ok, _ := s.wc.threadOf(ctx, nil, mid); ok && s.wc.refsOn {
			continue // already mapped (ON CONFLICT DO NOTHING)
		}
		if _, err := st.insRef.ExecContext(ctx, mid, thread); err != nil {
			return 0, err
		}
		s.wc.setRef(mid, thread)
	}
	return thread, nil
}

var (
	reReplyPrefix = regexp.MustCompile(`(?i)^\s*((re|fwd?|aw|sv|wg|antw|r)(\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)+`)
	reWS          = regexp.MustCompile(`\s+`)
)

// SubjectKey normalises a subject for threading: reply and forward prefixes
// and list tags removed, case and spacing folded.
func SubjectKey(s string) string {
	s = reReplyPrefix.ReplaceAllString(s, "")
	return strings.ToLower(strings.TrimSpace(reWS.ReplaceAllString(s, " ")))
}

func isReply(s string) bool {
	loc := reReplyPrefix.FindStringIndex(s)
	if loc == nil {
		return false
	}
	p := strings.ToLower(s[loc[0]:loc[1]])
	return strings.Contains(p, ":")
}

func joinAddrs(a, b []pam.Address) string {
	var sb strings.Builder
	for _, l := range [][]pam.Address{a, b} {
		for _, x := range l {
			if sb.Len() > 0 {
				sb.WriteString(", ")
			}
			if x.Name != "" {
				sb.WriteString(x.Name)
				sb.WriteString(" <")
				sb.WriteString(x.Email)
				sb.WriteString(">")
			} else {
				sb.WriteString(x.Email)
			}
		}
	}
	return sb.String()
}

// Snippet returns the first n runes of text on one line, skipping quoted
// lines.
func Snippet(text string, n int) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if l == "" || strings.HasPrefix(l, ">") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
		if utf8.RuneCountInString(b.String()) >= n {
			break
		}
	}
	s := b.String()
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}

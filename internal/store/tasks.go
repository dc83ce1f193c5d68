package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

// Task is one row of the tasks table (migration 0008).
type Task struct {
	ID             int64
	UID            string
	Title, Notes   string
	Kind           string // todo | waiting
	Status         string // open | done
	Due            time.Time
	DueText        string
	SnoozedUntil   time.Time
	Requester      string
	RequesterEmail string
	Owner          string
	OwnerEmail     string
	Confidence     float64
	Origin         string // user | mail | caldav
	Message        int64  // first source message row; 0: none
	MessagePID     string // its stable id
	Thread         int64
	MailKey        string
	Edited         bool
	Created        time.Time
	Updated        time.Time
	Completed      time.Time
	Sequence       int
}

// Task kinds and statuses.
const (
	TaskTodo    = "todo"
	TaskWaiting = "waiting"
	TaskOpen    = "open"
	TaskDone    = "done"
)

const taskCols = `t.id, t.uid, t.title, t.notes, t.kind, t.status, t.due, t.due_text, t.snoozed_until, t.requester, t.requester_email,
t.owner, t.owner_email, t.confidence, t.origin, t.message, COALESCE(m.pid, ''), t.thread, COALESCE(t.mail_key, ''), t.edited,
t.created, t.updated, t.completed, t.sequence`

func scanTask(sc interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var due, snoozed, msg, thread, completed sql.NullInt64
	var created, updated int64
	var edited int
	err := sc.Scan(&t.ID, &t.UID, &t.Title, &t.Notes, &t.Kind, &t.Status, &due, &t.DueText, &snoozed, &t.Requester, &t.RequesterEmail,
		&t.Owner, &t.OwnerEmail, &t.Confidence, &t.Origin, &msg, &t.MessagePID, &thread, &t.MailKey, &edited,
		&created, &updated, &completed, &t.Sequence)
	t.Due, t.SnoozedUntil, t.Completed = unixOrZero(due), unixOrZero(snoozed), unixOrZero(completed)
	t.Message, t.Thread = msg.Int64, thread.Int64
	t.Created, t.Updated = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	t.Edited = edited != 0
	return t, err
}

func unixOrZero(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// NewTaskUID returns a random UID for a new task.
func NewTaskUID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "@pam"
}

func validTask(t *Task) error {
	if strings.TrimSpace(t.Title) == "" {
		return fmt.Errorf("task: empty title: %w", pam.ErrInvalid)
	}
	switch t.Kind {
	case "":
		t.Kind = TaskTodo
	case TaskTodo, TaskWaiting:
	default:
		return fmt.Errorf("task: kind %q: %w", t.Kind, pam.ErrInvalid)
	}
	switch t.Status {
	case "":
		t.Status = TaskOpen
	case TaskOpen, TaskDone:
	default:
		return fmt.Errorf("task: status %q: %w", t.Status, pam.ErrInvalid)
	}
	if t.Origin == "" {
		t.Origin = "user"
	}
	if t.UID == "" {
		t.UID = NewTaskUID()
	}
	return nil
}

// AddTask inserts a task and returns its id. A zero UID gets a new one.
func (s *Store) AddTask(ctx context.Context, t Task) (int64, error) {
	if err := validTask(&t); err != nil {
		return 0, err
	}
	now := time.Now().Unix()
	if t.Status == TaskDone && t.Completed.IsZero() {
		t.Completed = time.Now()
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO tasks (uid, title, notes, kind, status, due, due_text, snoozed_until, requester, requester_email,
owner, owner_email, confidence, origin, message, thread, mail_key, edited, created, updated, completed, sequence)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		t.UID, t.Title, t.Notes, t.Kind, t.Status, nullTime(t.Due), t.DueText, nullTime(t.SnoozedUntil), t.Requester, t.RequesterEmail,
		t.Owner, t.OwnerEmail, t.Confidence, t.Origin, nullInt(t.Message), nullInt(t.Thread), nullStr(t.MailKey), boolInt(t.Edited), now, now,
		nullTime(t.Completed), t.Sequence)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, fmt.Errorf("add task: %w", pam.ErrConflict)
		}
		return 0, fmt.Errorf("add task: %w", err)
	}
	return res.LastInsertId()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// UpdateTask writes every field of t (by ID) and bumps its sequence.
func (s *Store) UpdateTask(ctx context.Context, t Task) error {
	if err := validTask(&t); err != nil {
		return err
	}
	if t.Status == TaskDone && t.Completed.IsZero() {
		t.Completed = time.Now()
	}
	if t.Status == TaskOpen {
		t.Completed = time.Time{}
	}
	res, err := s.db.ExecContext(ctx, `UPDATE tasks SET title=?, notes=?, kind=?, status=?, due=?, due_text=?, snoozed_until=?, requester=?,
requester_email=?, owner=?, owner_email=?, confidence=?, edited=?, updated=?, completed=?, sequence=sequence+1 WHERE id=?`,
		t.Title, t.Notes, t.Kind, t.Status, nullTime(t.Due), t.DueText, nullTime(t.SnoozedUntil), t.Requester,
		t.RequesterEmail, t.Owner, t.OwnerEmail, t.Confidence, boolInt(t.Edited), time.Now().Unix(), nullTime(t.Completed), t.ID)
	if err != nil {
		return fmt.Errorf("update task %d: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("task %d: %w", t.ID, pam.ErrNotFound)
	}
	return nil
}

// DeleteTask removes a task.
func (s *Store) DeleteTask(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM tasks WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete task %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("task %d: %w", id, pam.ErrNotFound)
	}
	return nil
}

// TaskByID returns one task.
func (s *Store) TaskByID(ctx context.Context, id int64) (Task, error) {
	return s.oneTask(ctx, "t.id = ?", id)
}

// TaskByUID returns the task with a UID.
func (s *Store) TaskByUID(ctx context.Context, uid string) (Task, error) {
	return s.oneTask(ctx, "t.uid = ?", uid)
}

// TaskByMailKey returns the extracted task with a mail key.
func (s *Store) TaskByMailKey(ctx context.Context, key string) (Task, error) {
	return s.oneTask(ctx, "t.mail_key = ?", key)
}

func (s *Store) oneTask(ctx context.Context, where string, arg any) (Task, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+taskCols+" FROM tasks t LEFT JOIN messages m ON m.id = t.message WHERE "+where, arg)
	t, err := scanTask(row)
	if isNoRows(err) {
		return Task{}, fmt.Errorf("task %v: %w", arg, pam.ErrNotFound)
	}
	if err != nil {
		return Task{}, fmt.Errorf("read task: %w", err)
	}
	return t, nil
}

// TaskFilter selects tasks; zero fields do not filter.
type TaskFilter struct {
	Status string // open | done
	Kind   string // todo | waiting
	// DueBefore keeps tasks due before it (with a due date).
	DueBefore time.Time
	// Awake leaves out tasks snoozed past this instant.
	Awake  time.Time
	Thread int64
}

// Tasks lists tasks: those with a due date first, soonest first, then the
// rest, newest first.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "t.status = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		where, args = append(where, "t.kind = ?"), append(args, f.Kind)
	}
	if !f.DueBefore.IsZero() {
		where, args = append(where, "t.due IS NOT NULL AND t.due < ?"), append(args, f.DueBefore.Unix())
	}
	if !f.Awake.IsZero() {
		where, args = append(where, "(t.snoozed_until IS NULL OR t.snoozed_until <= ?)"), append(args, f.Awake.Unix())
	}
	if f.Thread != 0 {
		where, args = append(where, "t.thread = ?"), append(args, f.Thread)
	}
	q := "SELECT " + taskCols + " FROM tasks t LEFT JOIN messages m ON m.id = t.message"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY t.due IS NULL, t.due, t.created DESC, t.id"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("list tasks: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// LinkTaskMessage records that a message asked for (role "source"),
// moved or closed a task. Linking twice is a no-op.
func (s *Store) LinkTaskMessage(ctx context.Context, task, message int64, role string) error {
	_, err := s.db.ExecContext(ctx, "INSERT OR IGNORE INTO task_messages (task, message, role) VALUES (?,?,?)", task, message, role)
	if err != nil {
		return fmt.Errorf("link task %d: %w", task, err)
	}
	return nil
}

// TaskMessages returns the message rows linked to a task, by role.
func (s *Store) TaskMessages(ctx context.Context, task int64) (map[string][]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT role, message FROM task_messages WHERE task = ? ORDER BY message", task)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var role string
		var m int64
		if err := rows.Scan(&role, &m); err != nil {
			return nil, err
		}
		out[role] = append(out[role], m)
	}
	return out, rows.Err()
}

// UnextractedThreads returns the threads holding messages that have not
// been through task extraction, latest activity first (a bounded run
// covers the mail the daily brief is about; older threads follow on later
// runs).
func (s *Store) UnextractedThreads(ctx context.Context, limit int) ([]int64, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.thread_id FROM messages m LEFT JOIN extracted e ON e.message = m.id
WHERE e.message IS NULL GROUP BY m.thread_id ORDER BY MAX(m.date) DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("unextracted threads: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// MarkExtracted records that messages went through task extraction.
func (s *Store) MarkExtracted(ctx context.Context, rows []int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().Unix()
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO extracted (message, at) VALUES (?, ?)", r, now); err != nil {
			return fmt.Errorf("mark extracted: %w", err)
		}
	}
	return tx.Commit()
}

package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Result is a stored classification of one message.
type Result struct {
	Row         int64              `json:"-"`
	Spam        float64            `json:"spam"`
	Kind        string             `json:"kind"`
	KindScores  map[string]float64 `json:"kind_scores"`
	NeedsReply  float64            `json:"needs_reply"`
	Label       string             `json:"label,omitempty"`
	LabelScores map[string]float64 `json:"label_scores,omitempty"`
	Models      []string           `json:"models"`
	Undecided   []string           `json:"undecided,omitempty"`
	Degraded    bool               `json:"degraded,omitempty"`
	At          time.Time          `json:"at"`
}

// save stores results (keyed by row) and removes the rows from the
// pending queue, in one transaction. done lists rows to dequeue without a
// result (unreadable).
func save(ctx context.Context, st *store.Store, rows []int64, res []wire.Classification, done []int64) error {
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save classifications: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO classifications
		(message, spam, kind, kind_scores, needs_reply, label, label_scores, models, undecided, degraded, at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(message) DO UPDATE SET spam = excluded.spam, kind = excluded.kind, kind_scores = excluded.kind_scores,
		needs_reply = excluded.needs_reply, label = excluded.label, label_scores = excluded.label_scores,
		models = excluded.models, undecided = excluded.undecided, degraded = excluded.degraded, at = excluded.at`)
	if err != nil {
		return fmt.Errorf("save classifications: %w", err)
	}
	defer ins.Close()
	del, err := tx.PrepareContext(ctx, "DELETE FROM pending WHERE message = ?")
	if err != nil {
		return fmt.Errorf("save classifications: %w", err)
	}
	defer del.Close()
	now := time.Now().Unix()
	for i, c := range res {
		ks, _ := json.Marshal(nonNil(c.KindScores))
		ls, _ := json.Marshal(nonNil(c.LabelScores))
		deg := 0
		if c.Degraded {
			deg = 1
		}
		if _, err := ins.ExecContext(ctx, rows[i], c.Spam, c.Kind, string(ks), c.NeedsReply, c.Label, string(ls),
			strings.Join(c.Models, " "), strings.Join(c.Undecided, " "), deg, now); err != nil {
			return fmt.Errorf("save classification: %w", err)
		}
		if _, err := del.ExecContext(ctx, rows[i]); err != nil {
			return fmt.Errorf("dequeue: %w", err)
		}
	}
	for _, r := range done {
		if _, err := del.ExecContext(ctx, r); err != nil {
			return fmt.Errorf("dequeue: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save classifications: %w", err)
	}
	return nil
}

func nonNil(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	return m
}

// pendingRows returns up to limit queued rows after row after, in order.
func pendingRows(ctx context.Context, st *store.Store, after int64, limit int) ([]int64, error) {
	rows, err := st.DB().QueryContext(ctx, "SELECT message FROM pending WHERE message > ? ORDER BY message LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("pending: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PendingCount returns the length of the pipeline's queue.
func PendingCount(ctx context.Context, st *store.Store) (int, error) {
	var n int
	err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM pending").Scan(&n)
	return n, err
}

// Enqueue puts rows back on the pipeline's queue (to classify them again).
func Enqueue(ctx context.Context, st *store.Store, rows ...int64) error {
	for _, r := range rows {
		if _, err := st.DB().ExecContext(ctx, "INSERT OR IGNORE INTO pending (message) VALUES (?)", r); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

const resultCols = "message, spam, kind, kind_scores, needs_reply, label, label_scores, models, undecided, degraded, at"

func scanResult(sc interface{ Scan(...any) error }) (Result, error) {
	var r Result
	var ks, ls, models, und string
	var deg int
	var at int64
	if err := sc.Scan(&r.Row, &r.Spam, &r.Kind, &ks, &r.NeedsReply, &r.Label, &ls, &models, &und, &deg, &at); err != nil {
		return r, err
	}
	json.Unmarshal([]byte(ks), &r.KindScores)
	json.Unmarshal([]byte(ls), &r.LabelScores)
	if len(r.LabelScores) == 0 {
		r.LabelScores = nil
	}
	r.Models = strings.Fields(models)
	r.Undecided = strings.Fields(und)
	r.Degraded = deg != 0
	r.At = time.Unix(at, 0).UTC()
	return r, nil
}

// Get returns the stored classification of a message.
func Get(ctx context.Context, st *store.Store, row int64) (Result, error) {
	r, err := scanResult(st.DB().QueryRowContext(ctx, "SELECT "+resultCols+" FROM classifications WHERE message = ?", row))
	if err == sql.ErrNoRows {
		return Result{}, fmt.Errorf("classification of message row %d: %w", row, pam.ErrNotFound)
	}
	return r, err
}

// Results returns the classifications of the given rows, by row; rows not
// classified yet are absent.
func Results(ctx context.Context, st *store.Store, rows []int64) (map[int64]Result, error) {
	out := map[int64]Result{}
	for start := 0; start < len(rows); start += 500 {
		chunk := rows[start:min(start+500, len(rows))]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		q := "SELECT " + resultCols + " FROM classifications WHERE message IN (" + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + ")"
		rs, err := st.DB().QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("classifications: %w", err)
		}
		for rs.Next() {
			r, err := scanResult(rs)
			if err != nil {
				rs.Close()
				return nil, err
			}
			out[r.Row] = r
		}
		if err := rs.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ByID returns every stored classification keyed by the message's stable
// id (for evaluations against labelled mail).
func ByID(ctx context.Context, st *store.Store) (map[string]Result, error) {
	rs, err := st.DB().QueryContext(ctx, "SELECT m.pid, "+strings.ReplaceAll(resultCols, "message,", "c.message,")+" FROM classifications c JOIN messages m ON m.id = c.message")
	if err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	defer rs.Close()
	out := map[string]Result{}
	for rs.Next() {
		var pid string
		var r Result
		var ks, ls, models, und string
		var deg int
		var at int64
		if err := rs.Scan(&pid, &r.Row, &r.Spam, &r.Kind, &ks, &r.NeedsReply, &r.Label, &ls, &models, &und, &deg, &at); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(ks), &r.KindScores)
		r.Models, r.Undecided, r.Degraded = strings.Fields(models), strings.Fields(und), deg != 0
		r.At = time.Unix(at, 0).UTC()
		out[pid] = r
	}
	return out, rs.Err()
}

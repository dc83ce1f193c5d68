// Package pipeline runs PAM's AI over what ingestion stored: it drains the
// store's pending queue after each import, classifies the new messages
// through a worker process (falling back to rules while the worker is
// down), stores the results, and turns the user's corrections into
// personal models. It never runs inside an import transaction, and a crash
// between import and pipeline loses nothing: the queue is in the store.
package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Runner drains the pending queue of one store.
type Runner struct {
	Store      *store.Store
	Classifier *Classifier
	// UserAddresses are the user's own addresses (see UserAddresses).
	UserAddresses []string
	BatchSize     int // messages read and written per transaction; default 256
	Logger        *slog.Logger
	// Escalate, when set, may replace a message's classification by a
	// bigger model's (the classify job's ladder, when the user allowed
	// it); it returns the classification to store, c itself when it did
	// not climb or the climb failed. Nil (the default) keeps every answer
	// on the device.
	Escalate func(ctx context.Context, row int64, c wire.Classification) wire.Classification
}

// Report says what a run did.
type Report struct {
	Processed int     `json:"processed"`
	Degraded  int     `json:"degraded"`
	Failed    int     `json:"failed"` // unreadable raw messages, dequeued without a result
	Seconds   float64 `json:"seconds"`
}

// Run classifies every message on the pending queue, batch by batch:
// each batch's results are stored and its rows dequeued in one
// transaction, so an interrupted run resumes where it stopped.
func (r *Runner) Run(ctx context.Context) (Report, error) {
	start := time.Now()
	var rep Report
	n := r.BatchSize
	if n <= 0 {
		n = 256
	}
	var after int64
	for {
		rows, err := pendingRows(ctx, r.Store, after, n)
		if err != nil {
			return rep, err
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1]
		msgs, ok, bad, err := r.load(ctx, rows)
		if err != nil {
			return rep, err
		}
		res, err := r.Classifier.Classify(ctx, msgs)
		if err != nil {
			if ctx.Err() != nil {
				return rep, err
			}
			// The worker rejected the request (a broken model file):
			// rules still give every message a result.
			r.logger().Warn("classification rejected, using rules", "err", err)
			res = make([]wire.Classification, len(msgs))
			for i, m := range msgs {
				res[i] = worker.Rules(m)
			}
		}
		if r.Escalate != nil {
			for i := range res {
				res[i] = r.Escalate(ctx, ok[i], res[i])
			}
		}
		if err := save(ctx, r.Store, ok, res, bad); err != nil {
			return rep, err
		}
		rep.Processed += len(res)
		rep.Failed += len(bad)
		for _, c := range res {
			if c.Degraded {
				rep.Degraded++
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	r.logger().Info("pipeline run", "processed", rep.Processed, "degraded", rep.Degraded, "failed", rep.Failed)
	return rep, nil
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// load parses the raw messages of rows into the classifiers' view; the ID
// of each wire.Message is its row. Rows whose raw message cannot be read
// are returned in bad.
func (r *Runner) load(ctx context.Context, rows []int64) (msgs []wire.Message, ok, bad []int64, err error) {
	for _, row := range rows {
		m, err := loadMessage(ctx, r.Store, row, r.UserAddresses)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, nil, ctx.Err()
			}
			r.logger().Warn("pipeline: unreadable message", "row", row, "err", err)
			bad = append(bad, row)
			continue
		}
		msgs = append(msgs, m)
		ok = append(ok, row)
	}
	return msgs, ok, bad, nil
}

func loadMessage(ctx context.Context, st *store.Store, row int64, user []string) (wire.Message, error) {
	raw, err := st.Raw(ctx, row)
	if err != nil {
		return wire.Message{}, err
	}
	pm, err := mail.Parse(raw)
	if err != nil {
		return wire.Message{}, fmt.Errorf("parse message row %d: %w", row, err)
	}
	m := worker.FromMessage(pm, user)
	m.ID = strconv.FormatInt(row, 10)
	return m, nil
}

// UserAddresses guesses the user's own addresses: the senders of the
// messages in sent-mail folders, most frequent first (at most 5). A
// mailbox without sent mail (an archive of received mail, a Maildir of
// the inbox only) falls back to the address the mail is most often sent
// To, when it is on at least a quarter of the messages and five or more:
// that is whose mailbox it is. The classifier reads the user's place
// among the recipients; without the user's address it cannot.
func UserAddresses(ctx context.Context, st *store.Store) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT m.from_email, count(*) AS n FROM messages m
		JOIN message_labels ml ON ml.message = m.id JOIN labels l ON l.id = ml.label
		WHERE l.name COLLATE NOCASE IN ('Sent', 'Sent Items', 'Sent Messages') AND m.from_email <> ''
		GROUP BY m.from_email ORDER BY n DESC LIMIT 5`)
	if err != nil {
		return nil, fmt.Errorf("user addresses: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil || len(out) > 0 {
		return out, err
	}
	var a string
	var n, total int
	err = st.DB().QueryRowContext(ctx, `SELECT a.email, count(*) AS n, (SELECT count(*) FROM messages) FROM message_addresses ma
		JOIN addresses a ON a.id = ma.address WHERE ma.role = 2 AND a.email <> ''
		GROUP BY ma.address ORDER BY n DESC, a.email LIMIT 1`).Scan(&a, &n, &total)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("user addresses: %w", err)
	}
	if n >= 5 && 4*n >= total {
		return []string{a}, nil
	}
	return nil, nil
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker"
)

// Correction tasks: the model each correction teaches.
const (
	TaskSpam    = "spam"    // labels "spam", "ham"
	TaskKind    = "kind"    // labels: Kinds
	TaskFolders = "folders" // labels: folder paths
)

// Kinds are the labels of the kind task.
var Kinds = []string{"person", "forum", "newsletter", "promotion", "notification", "social", "spam"}

// Correct records the user's label for a message (task TaskSpam, TaskKind
// or TaskFolders) and queues the message to be classified again. A kind
// correction also settles spam: kind "spam" means spam, any other kind
// means ham when the message was classified as spam. The personal models
// learn the corrections on the next Learn.
func Correct(ctx context.Context, st *store.Store, row int64, task, label string) error {
	switch task {
	case TaskSpam:
		if label != "spam" && label != "ham" {
			return fmt.Errorf("spam label %q (want spam or ham): %w", label, pam.ErrInvalid)
		}
	case TaskKind:
		if !slices.Contains(Kinds, label) {
			return fmt.Errorf("kind %q (want one of %v): %w", label, Kinds, pam.ErrInvalid)
		}
	case TaskFolders:
		if label == "" || len(label) > 256 {
			return fmt.Errorf("folder name %q: %w", label, pam.ErrInvalid)
		}
	default:
		return fmt.Errorf("correction task %q: %w", task, pam.ErrInvalid)
	}
	type corr struct{ task, label string }
	cs := []corr{{task, label}}
	if task == TaskKind {
		if label == "spam" {
			cs = append(cs, corr{TaskSpam, "spam"})
		} else if r, err := Get(ctx, st, row); err == nil && r.Spam >= 0.5 {
			cs = append(cs, corr{TaskSpam, "ham"})
		}
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("correct: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().Unix()
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO corrections (message, task, label, source, at) VALUES (?,?,?,'user',?)", row, c.task, c.label, now); err != nil {
			return fmt.Errorf("correct: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO pending (message) VALUES (?)", row); err != nil {
		return fmt.Errorf("correct: %w", err)
	}
	return tx.Commit()
}

// LearnReport says which personal models Learn made.
type LearnReport struct {
	Applied int      `json:"applied"` // corrections learnt
	Models  []string `json:"models"`  // NAME@VERSION activated in the registry
}

// maxExamples caps the corrections (and filing examples) one update sees.
const maxExamples = 2000

// Learn turns the corrections not yet learnt into personal models: for
// each task with new corrections, the worker adapts the active model to
// all of that task's corrections (the newest per message), the result is
// added to the registry as a new version and made active, and the
// corrections are marked applied. A first folders model is trained from
// the store's filing plus the corrections, then adapted to the
// corrections. The corrected messages are queued to be classified again.
// A task that fails (no worker, no base model) keeps its corrections for a
// later run; the error joins every task's failure.
func Learn(ctx context.Context, st *store.Store, reg worker.Registry, w Caller, user []string) (LearnReport, error) {
	var rep LearnReport
	tasks, err := tasksToLearn(ctx, st)
	if err != nil {
		return rep, err
	}
	var errs []error
	for _, task := range tasks {
		model, n, err := learnTask(ctx, st, reg, w, user, task)
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			// This task's corrections stay unapplied for a later run; the
			// other tasks go on.
			errs = append(errs, fmt.Errorf("learn %s: %w", task, err))
			continue
		}
		if model != "" {
			rep.Applied += n
			rep.Models = append(rep.Models, model)
		}
	}
	return rep, errors.Join(errs...)
}

// learnTask makes and activates one personal model; it returns its
// NAME@VERSION and the corrections applied.
func learnTask(ctx context.Context, st *store.Store, reg worker.Registry, w Caller, user []string, task string) (string, int, error) {
	ex, rows, maxID, err := correctionExamples(ctx, st, task, user)
	if err != nil || len(ex) == 0 {
		return "", 0, err
	}
	active, err := reg.Active(task)
	if err != nil {
		return "", 0, err
	}
	base := reg.Spec(task, active)
	if task == TaskFolders && active == worker.Builtin {
		// A first folders model: trained on the user's filing plus the
		// corrections, then adapted to the corrections below so that it
		// reproduces them.
		filing, err := filingExamples(ctx, st, user)
		if err != nil {
			return "", 0, err
		}
		_, path, err := reg.NextVersion(task)
		if err != nil {
			return "", 0, err
		}
		var out worker.UpdateResponse
		if err := w.Call(ctx, worker.KindUpdate, worker.UpdateRequest{Task: task, Examples: append(filing, ex...), Out: path}, &out); err != nil {
			return "", 0, err
		}
		base = path
	}
	version, path, err := reg.NextVersion(task)
	if err != nil {
		return "", 0, err
	}
	var out worker.UpdateResponse
	if err := w.Call(ctx, worker.KindUpdate, worker.UpdateRequest{Task: task, Base: base, Examples: ex, Out: path}, &out); err != nil {
		return "", 0, err
	}
	if err := reg.Use(task, version); err != nil {
		return "", 0, err
	}
	n, err := markApplied(ctx, st, task, maxID)
	if err != nil {
		return "", 0, err
	}
	if err := Enqueue(ctx, st, rows...); err != nil {
		return "", 0, err
	}
	return task + "@" + version, n, nil
}

func tasksToLearn(ctx context.Context, st *store.Store) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, "SELECT DISTINCT task FROM corrections WHERE applied = 0 ORDER BY task")
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if t == TaskSpam || t == TaskKind || t == TaskFolders {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

// correctionExamples returns the newest correction per message of a task
// as examples, the rows they are about, and the highest correction id seen.
func correctionExamples(ctx context.Context, st *store.Store, task string, user []string) ([]worker.LabelledMessage, []int64, int64, error) {
	rs, err := st.DB().QueryContext(ctx, `SELECT c.message, c.label, c.id FROM corrections c
		WHERE c.task = ? AND c.id = (SELECT max(id) FROM corrections WHERE task = c.task AND message = c.message)
		ORDER BY c.id DESC LIMIT ?`, task, maxExamples)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("corrections: %w", err)
	}
	type item struct {
		row   int64
		label string
	}
	var items []item
	var maxID int64
	for rs.Next() {
		var it item
		var id int64
		if err := rs.Scan(&it.row, &it.label, &id); err != nil {
			rs.Close()
			return nil, nil, 0, err
		}
		maxID = max(maxID, id)
		items = append(items, it)
	}
	if err := rs.Close(); err != nil {
		return nil, nil, 0, err
	}
	if err := st.DB().QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM corrections WHERE task = ?", task).Scan(&maxID); err != nil {
		return nil, nil, 0, err
	}
	var ex []worker.LabelledMessage
	var rows []int64
	for _, it := range items {
		m, err := loadMessage(ctx, st, it.row, user)
		if err != nil {
			continue // deleted or unreadable: nothing to learn from
		}
		ex = append(ex, worker.LabelledMessage{Msg: m, Label: it.label})
		rows = append(rows, it.row)
	}
	return ex, rows, maxID, nil
}

// filingExamples samples the user's own filing: the newest messages with
// their folder label (sent, draft, spam and trash folders left out).
func filingExamples(ctx context.Context, st *store.Store, user []string) ([]worker.LabelledMessage, error) {
	rs, err := st.DB().QueryContext(ctx, `SELECT m.id, min(l.name) FROM messages m
		JOIN message_labels ml ON ml.message = m.id JOIN labels l ON l.id = ml.label
		WHERE l.name COLLATE NOCASE NOT IN ('Sent', 'Sent Items', 'Sent Messages', 'Drafts', 'Trash', 'Spam', 'Junk', 'Deleted Items')
		GROUP BY m.id ORDER BY m.date DESC LIMIT ?`, maxExamples)
	if err != nil {
		return nil, fmt.Errorf("filing: %w", err)
	}
	type item struct {
		row   int64
		label string
	}
	var items []item
	for rs.Next() {
		var it item
		if err := rs.Scan(&it.row, &it.label); err != nil {
			rs.Close()
			return nil, err
		}
		items = append(items, it)
	}
	if err := rs.Close(); err != nil {
		return nil, err
	}
	var ex []worker.LabelledMessage
	for _, it := range items {
		m, err := loadMessage(ctx, st, it.row, user)
		if err != nil {
			continue
		}
		ex = append(ex, worker.LabelledMessage{Msg: m, Label: it.label})
	}
	return ex, nil
}

func markApplied(ctx context.Context, st *store.Store, task string, maxID int64) (int, error) {
	res, err := st.DB().ExecContext(ctx, "UPDATE corrections SET applied = 1 WHERE task = ? AND applied = 0 AND id <= ?", task, maxID)
	if err != nil {
		return 0, fmt.Errorf("corrections: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Corrections lists the corrections of a message, oldest first, as
// "task=label (source)".
func Corrections(ctx context.Context, st *store.Store, row int64) ([]string, error) {
	rs, err := st.DB().QueryContext(ctx, "SELECT task, label, source FROM corrections WHERE message = ? ORDER BY id", row)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var t, l, s string
		if err := rs.Scan(&t, &l, &s); err != nil {
			return nil, err
		}
		out = append(out, t+"="+strconv.Quote(l)+" ("+s+")")
	}
	return out, rs.Err()
}

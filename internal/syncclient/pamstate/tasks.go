package pamstate

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
)

// Tasks reconciles the store's tasks with the "task" collection.
//
// Object id: the task's UID for tasks typed in (the UID travels, so the
// task has the same UID on every device); for a task extracted from mail,
// "mail-" and a digest of its source message's stable id, kind and
// sentence, so that two devices that extracted the same task from the same
// mail hold one object. Fields (strings): title, notes, kind, status, due
// and snoozed and completed (unix seconds, "" for none), due_text,
// requester, requester_email, owner, owner_email, confidence, edited
// ("1"/"0"); and, read when a device first creates the task, uid, origin
// and source (the message's stable id).
type Tasks struct {
	St *store.Store
}

var _ syncclient.Reconciler = (*Tasks)(nil)

// Collection implements syncclient.Reconciler.
func (*Tasks) Collection() string { return crdt.CollTask }

// syncedFields are the fields Export compares and Import writes back.
var syncedFields = []string{"title", "notes", "kind", "status", "due", "due_text", "snoozed", "completed",
	"requester", "requester_email", "owner", "owner_email", "confidence", "edited"}

// createFields are set once with the task and read only to create it.
var createFields = []string{"uid", "origin", "source"}

func unixStr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10)
}

func parseUnix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s == "" {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// TaskFields returns the synced fields of a task.
func TaskFields(t store.Task) map[string]string {
	edited := "0"
	if t.Edited {
		edited = "1"
	}
	return map[string]string{
		"title": t.Title, "notes": t.Notes, "kind": t.Kind, "status": t.Status,
		"due": unixStr(t.Due), "due_text": t.DueText, "snoozed": unixStr(t.SnoozedUntil), "completed": unixStr(t.Completed),
		"requester": t.Requester, "requester_email": t.RequesterEmail, "owner": t.Owner, "owner_email": t.OwnerEmail,
		"confidence": strconv.FormatFloat(t.Confidence, 'g', -1, 64), "edited": edited,
		"uid": t.UID, "origin": t.Origin, "source": t.MessagePID,
	}
}

// TaskID returns the object id of a task that has never been synced.
func TaskID(t store.Task) string {
	if t.Origin == "mail" && t.MessagePID != "" {
		h := sha256.Sum256([]byte(t.MessagePID + "\x00" + t.Kind + "\x00" + t.Notes))
		return "mail-" + hex.EncodeToString(h[:12])
	}
	return t.UID
}

// syncMailKey marks a mail task this device created from another device's
// object (its own extraction did not find it first).
const syncMailKey = "sync:"

func applyTaskFields(t *store.Task, f map[string]string, only []string) {
	for _, k := range only {
		v := f[k]
		switch k {
		case "title":
			if strings.TrimSpace(v) != "" {
				t.Title = v
			}
		case "notes":
			t.Notes = v
		case "kind":
			t.Kind = v
		case "status":
			t.Status = v
		case "due":
			t.Due = parseUnix(v)
		case "due_text":
			t.DueText = v
		case "snoozed":
			t.SnoozedUntil = parseUnix(v)
		case "completed":
			t.Completed = parseUnix(v)
		case "requester":
			t.Requester = v
		case "requester_email":
			t.RequesterEmail = v
		case "owner":
			t.Owner = v
		case "owner_email":
			t.OwnerEmail = v
		case "confidence":
			if c, err := strconv.ParseFloat(v, 64); err == nil {
				t.Confidence = c
			}
		case "edited":
			t.Edited = v == "1"
		}
	}
	if t.Kind != store.TaskTodo && t.Kind != store.TaskWaiting {
		t.Kind = store.TaskTodo
	}
	if t.Status != store.TaskOpen && t.Status != store.TaskDone {
		t.Status = store.TaskOpen
	}
}

func synced(f map[string]string) map[string]string {
	out := make(map[string]string, len(syncedFields)+len(createFields))
	for _, k := range syncedFields {
		out[k] = f[k]
	}
	for _, k := range createFields {
		if v, ok := f[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Export implements syncclient.Reconciler: tasks added, changed or deleted
// in the store since the last reconcile become ops.
func (a *Tasks) Export(ctx context.Context, c *syncclient.Client) error {
	db := a.St.DB()
	shadow, err := loadShadow(ctx, db, crdt.CollTask)
	if err != nil {
		return err
	}
	local, err := a.St.Tasks(ctx, store.TaskFilter{})
	if err != nil {
		return err
	}
	byRow := map[int64]string{}
	for id, e := range shadow {
		byRow[e.Row] = id
	}
	rows := map[int64]store.Task{}
	for _, t := range local {
		rows[t.ID] = t
	}
	w := newShadowWriter(crdt.CollTask)
	type set struct{ id, field, value string }
	var sets []set
	seen := map[string]bool{}
	var live map[string]bool // objects in the replicated state, read once when needed
	for _, t := range local {
		id, known := byRow[t.ID]
		if !known {
			id = TaskID(t)
			if e, taken := shadow[id]; taken {
				other, exists := rows[e.Row]
				if exists && e.Row != t.ID {
					// Two local rows for one object: a mail task this device
					// created from another device's object, and the same
					// task found again by its own extraction. Keep the
					// extracted row (mail keeps it up to date), give it the
					// synced values, drop the other.
					keep, dropRow := t, other
					if !strings.HasPrefix(other.MailKey, syncMailKey) {
						keep, dropRow = other, t
					}
					applyTaskFields(&keep, e.F, syncedFields)
					if err := a.St.UpdateTask(ctx, keep); err != nil {
						return err
					}
					if err := a.St.DeleteTask(ctx, dropRow.ID); err != nil && !errors.Is(err, pam.ErrNotFound) {
						return err
					}
					delete(rows, dropRow.ID)
					e.Row = keep.ID
					w.set(id, e)
					seen[id] = true
					continue
				}
			}
		}
		seen[id] = true
		f := TaskFields(t)
		e, had := shadow[id]
		var diff []string
		if !had {
			diff = append(append(diff, syncedFields...), createFields...)
		} else {
			for _, k := range syncedFields {
				if f[k] != e.F[k] {
					diff = append(diff, k)
				}
			}
		}
		if len(diff) == 0 {
			if e.Row != t.ID {
				e.Row = t.ID
				w.set(id, e)
			}
			continue
		}
		if had {
			if live == nil {
				objs, err := c.Objects(ctx, crdt.CollTask)
				if err != nil {
					return err
				}
				live = map[string]bool{}
				for _, o := range objs {
					live[o.ID] = true
				}
			}
			if !live[id] {
				// Deleted on another device, edited here: a write after a
				// delete starts the object afresh, so write all of it.
				diff = append(append([]string(nil), syncedFields...), createFields...)
			}
		}
		for _, k := range diff {
			sets = append(sets, set{id, k, f[k]})
		}
		w.set(id, entry{Row: t.ID, F: synced(f)})
	}
	var deletes []string
	for id, e := range shadow {
		if _, ok := rows[e.Row]; !ok && !seen[id] {
			deletes = append(deletes, id)
			w.drop(id)
		}
	}
	if len(sets) == 0 && len(deletes) == 0 {
		return w.write(ctx, db)
	}
	return c.Edit(ctx, func(e *syncclient.Editor) error {
		for _, s := range sets {
			if err := e.Set(crdt.CollTask, s.id, s.field, []byte(s.value)); err != nil {
				return err
			}
		}
		for _, id := range deletes {
			if err := e.Delete(crdt.CollTask, id); err != nil {
				return err
			}
		}
		return w.writeTo(ctx, e.Tx())
	})
}

// Import implements syncclient.Reconciler: objects changed by other
// devices are written to the store (created, updated, deleted).
func (a *Tasks) Import(ctx context.Context, c *syncclient.Client) error {
	db := a.St.DB()
	shadow, err := loadShadow(ctx, db, crdt.CollTask)
	if err != nil {
		return err
	}
	objs, err := c.Objects(ctx, crdt.CollTask)
	if err != nil {
		return err
	}
	local, err := a.St.Tasks(ctx, store.TaskFilter{})
	if err != nil {
		return err
	}
	rows := map[int64]store.Task{}
	byUID := map[string]store.Task{}
	for _, t := range local {
		rows[t.ID] = t
		byUID[t.UID] = t
	}
	w := newShadowWriter(crdt.CollTask)
	live := map[string]bool{}
	for _, o := range objs {
		live[o.ID] = true
		f := fieldsOf(o.Fields)
		e, had := shadow[o.ID]
		if had && len(changed(synced(f), e.F)) == 0 {
			continue
		}
		t, exists := rows[e.Row]
		if !had || !exists {
			t, exists = byUID[f["uid"]]
			if !exists && !strings.HasPrefix(o.ID, "mail-") {
				t, exists = byUID[o.ID]
			}
		}
		if exists {
			only := syncedFields
			if had {
				only = changed(synced(f), e.F)
			}
			applyTaskFields(&t, f, only)
			if err := a.St.UpdateTask(ctx, t); err != nil {
				return fmt.Errorf("task %s: %w", o.ID, err)
			}
		} else {
			t = store.Task{UID: f["uid"], Origin: f["origin"]}
			if t.UID == "" {
				t.UID = o.ID
			}
			if t.Origin == "" {
				t.Origin = "user"
			}
			if strings.HasPrefix(o.ID, "mail-") {
				t.MailKey = syncMailKey + o.ID
			}
			applyTaskFields(&t, f, syncedFields)
			if strings.TrimSpace(t.Title) == "" {
				t.Title = "(untitled)"
			}
			if src := f["source"]; src != "" {
				if row, thread, ok, err := messageRow(ctx, db, src); err != nil {
					return err
				} else if ok {
					t.Message, t.Thread = row, thread
				}
			}
			id, err := a.St.AddTask(ctx, t)
			if err != nil {
				return fmt.Errorf("task %s: %w", o.ID, err)
			}
			t.ID = id
		}
		w.set(o.ID, entry{Row: t.ID, F: synced(f)})
	}
	for id, e := range shadow {
		if live[id] {
			continue
		}
		if _, ok := rows[e.Row]; ok {
			if err := a.St.DeleteTask(ctx, e.Row); err != nil && !errors.Is(err, pam.ErrNotFound) {
				return err
			}
		}
		w.drop(id)
	}
	return w.write(ctx, db)
}

// messageRow finds a message by its stable id.
func messageRow(ctx context.Context, db *sql.DB, pid string) (row, thread int64, ok bool, err error) {
	err = db.QueryRowContext(ctx, `SELECT id, thread_id FROM messages WHERE pid = ?`, pid).Scan(&row, &thread)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("message %s: %w", pid, err)
	}
	return row, thread, true, nil
}

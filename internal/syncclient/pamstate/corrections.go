package pamstate

import (
	"context"
	"fmt"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/pipeline"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
)

// Corrections reconciles the user's corrections (pam label: a message's
// kind, folder or spam verdict) with the "correction" collection. The
// object id is the message's stable id (messages.pid), the field is the
// correction task (spam, kind, folders) and the value the label: the
// latest correction wins. Corrections learnt from folder moves (source
// "move") stay local: each device sees the moves in its own mail.
//
// A correction of a message this device does not have (yet) waits: it is
// applied by the first Import after the message arrives.
type Corrections struct {
	St *store.Store
}

var _ syncclient.Reconciler = (*Corrections)(nil)

// Collection implements syncclient.Reconciler.
func (*Corrections) Collection() string { return crdt.CollCorrection }

// localCorrections returns the latest user label per message and task.
func (a *Corrections) localCorrections(ctx context.Context) (map[string]map[string]string, error) {
	rows, err := a.St.DB().QueryContext(ctx, `SELECT m.pid, c.task, c.label FROM corrections c JOIN messages m ON m.id = c.message
		WHERE c.source = 'user' ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var pid, task, label string
		if err := rows.Scan(&pid, &task, &label); err != nil {
			return nil, err
		}
		if out[pid] == nil {
			out[pid] = map[string]string{}
		}
		out[pid][task] = label
	}
	return out, rows.Err()
}

// Export implements syncclient.Reconciler.
func (a *Corrections) Export(ctx context.Context, c *syncclient.Client) error {
	db := a.St.DB()
	shadow, err := loadShadow(ctx, db, crdt.CollCorrection)
	if err != nil {
		return err
	}
	local, err := a.localCorrections(ctx)
	if err != nil {
		return err
	}
	type set struct{ pid, task, label string }
	var sets []set
	w := newShadowWriter(crdt.CollCorrection)
	for pid, f := range local {
		e := shadow[pid]
		n := 0
		merged := map[string]string{}
		for k, v := range e.F {
			merged[k] = v
		}
		for task, label := range f {
			if e.F[task] != label {
				sets = append(sets, set{pid, task, label})
				merged[task] = label
				n++
			}
		}
		if n > 0 {
			w.set(pid, entry{F: merged})
		}
	}
	if len(sets) == 0 {
		return nil
	}
	return c.Edit(ctx, func(e *syncclient.Editor) error {
		for _, s := range sets {
			if err := e.Set(crdt.CollCorrection, s.pid, s.task, []byte(s.label)); err != nil {
				return err
			}
		}
		return w.writeTo(ctx, e.Tx())
	})
}

// Import implements syncclient.Reconciler: another device's correction is
// recorded here as the user's own (pipeline.Correct), which queues the
// message to be classified again and teaches the personal models on the
// next learn.
func (a *Corrections) Import(ctx context.Context, c *syncclient.Client) error {
	db := a.St.DB()
	shadow, err := loadShadow(ctx, db, crdt.CollCorrection)
	if err != nil {
		return err
	}
	objs, err := c.Objects(ctx, crdt.CollCorrection)
	if err != nil {
		return err
	}
	local, err := a.localCorrections(ctx)
	if err != nil {
		return err
	}
	w := newShadowWriter(crdt.CollCorrection)
	for _, o := range objs {
		f := fieldsOf(o.Fields)
		e := shadow[o.ID]
		diff := changed(f, e.F)
		if len(diff) == 0 {
			continue
		}
		row, _, ok, err := messageRow(ctx, db, o.ID)
		if err != nil {
			return err
		}
		if !ok {
			continue // the message is not here yet
		}
		for _, task := range diff {
			label, ok := f[task]
			if !ok || local[o.ID][task] == label {
				continue
			}
			if err := pipeline.Correct(ctx, a.St, row, task, label); err != nil {
				// A label this version does not know: keep the object,
				// skip the field.
				continue
			}
		}
		w.set(o.ID, entry{F: f})
	}
	return w.write(ctx, db)
}

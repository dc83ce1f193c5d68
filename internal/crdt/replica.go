package crdt

import "time"

// Replica pairs a device's clock with its state: it stamps and applies local
// changes and receives remote ops. It is not safe for concurrent use.
type Replica struct {
	Clock *HLC
	State *State
}

// NewReplica returns an empty replica for device; now and maxDrift are
// passed to NewHLC.
func NewReplica(device string, now func() time.Time, maxDrift time.Duration) *Replica {
	return &Replica{Clock: NewHLC(device, now, maxDrift), State: NewState()}
}

func (r *Replica) local(op Op) (Op, error) {
	op.Stamp = r.Clock.Now()
	if err := r.State.Apply(op); err != nil {
		return Op{}, err
	}
	return op, nil
}

// Set writes field of (collection, id) and returns the op to send.
func (r *Replica) Set(collection, id, field string, value []byte) (Op, error) {
	return r.local(Op{Kind: KindSet, Collection: collection, ID: id, Field: field, Value: value})
}

// Add adds elem to the set field of (collection, id).
func (r *Replica) Add(collection, id, field, elem string) (Op, error) {
	return r.local(Op{Kind: KindAdd, Collection: collection, ID: id, Field: field, Elem: elem})
}

// Remove removes elem from the set field as this replica sees it: the
// tags it has observed. A concurrent add elsewhere survives.
func (r *Replica) Remove(collection, id, field, elem string) (Op, error) {
	dots := r.State.Dots(collection, id, field, elem)
	for _, d := range dots {
		r.Clock.Restore(d) // a merged-in dot may be ahead of the clock
	}
	return r.local(Op{Kind: KindRemove, Collection: collection, ID: id, Field: field, Elem: elem, Dots: dots})
}

// Delete deletes (collection, id): every write stamped before the delete is
// gone; a later write starts the object afresh.
func (r *Replica) Delete(collection, id string) (Op, error) {
	return r.local(Op{Kind: KindDelete, Collection: collection, ID: id})
}

// Receive applies a remote op after observing its stamp. An op whose stamp
// is beyond the clock's drift bound is refused with ErrClockDrift and not
// applied; the caller keeps it and retries later.
func (r *Replica) Receive(op Op) error {
	if err := op.Validate(); err != nil {
		return err
	}
	if err := r.Clock.Observe(op.Stamp); err != nil {
		return err
	}
	return r.State.Apply(op)
}

package crdt

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// DefaultRetention is how long tombstones are kept before Collect may drop
// them. A replica that has not synced for longer must do a full resync.
const DefaultRetention = 30 * 24 * time.Hour

// ErrStale is returned by Apply for an op stamped before the state's
// horizon: its tombstones may be gone, so applying it could resurrect deleted
// data. The replica that made it must resync from a snapshot and re-issue its
// pending changes with new stamps.
var ErrStale = errors.New("crdt: op older than the tombstone horizon")

// NeedsFullResync reports whether a replica that last synced at lastSync
// must discard its state and load a fresh snapshot instead of replaying ops,
// because peers may have collected tombstones it has not seen.
func NeedsFullResync(lastSync, now time.Time, retention time.Duration) bool {
	return now.Sub(lastSync) >= retention
}

type key struct{ collection, id string }

type register struct {
	stamp Stamp
	value []byte
}

// wins reports whether r beats s as a last-writer-wins register. Equal stamps
// only arise from a misbehaving device; the larger value wins so that merge
// stays deterministic.
func (r register) wins(s register) bool {
	if c := r.stamp.Compare(s.stamp); c != 0 {
		return c > 0
	}
	return bytes.Compare(r.value, s.value) > 0
}

type orset struct {
	tags    map[Stamp]string   // live tags: dot -> element
	removed map[Stamp]struct{} // removed dots not yet collected
}

type object struct {
	deleted Stamp // latest delete; zero when none or collected
	fields  map[string]register
	sets    map[string]*orset
}

func newObject() *object {
	return &object{fields: map[string]register{}, sets: map[string]*orset{}}
}

func (o *object) set(field string) *orset {
	s := o.sets[field]
	if s == nil {
		s = &orset{tags: map[Stamp]string{}, removed: map[Stamp]struct{}{}}
		o.sets[field] = s
	}
	return s
}

// visible reports whether the object has any live content.
func (o *object) visible() bool {
	if len(o.fields) > 0 {
		return true
	}
	for _, s := range o.sets {
		if len(s.tags) > 0 {
			return true
		}
	}
	return false
}

// prune drops what a delete at o.deleted or the horizon has made dead and
// reports whether nothing is left.
func (o *object) prune(horizon int64) (empty bool) {
	if !o.deleted.IsZero() && o.deleted.Wall < horizon {
		o.deleted = Stamp{}
	}
	for f, r := range o.fields {
		if !o.deleted.Less(r.stamp) {
			delete(o.fields, f)
		}
	}
	for f, s := range o.sets {
		for d := range s.tags {
			if !o.deleted.Less(d) {
				delete(s.tags, d)
			}
		}
		for d := range s.removed {
			if !o.deleted.Less(d) || d.Wall < horizon {
				delete(s.removed, d)
			}
		}
		if len(s.tags) == 0 && len(s.removed) == 0 {
			delete(o.sets, f)
		}
	}
	return o.deleted.IsZero() && len(o.fields) == 0 && len(o.sets) == 0
}

// State is one replica's view of the synced objects. The zero value is not
// usable; call NewState. A State is not safe for concurrent use.
type State struct {
	objects map[key]*object
	heads   map[string]Stamp
	horizon int64 // ms; everything stamped before it is settled
}

// NewState returns an empty state.
func NewState() *State {
	return &State{objects: map[key]*object{}, heads: map[string]Stamp{}}
}

// Horizon returns the tombstone horizon: ops stamped before it are refused.
func (s *State) Horizon() time.Time { return time.UnixMilli(s.horizon).UTC() }

// Heads returns, for each device, the highest stamp applied from it. Heads
// are not a gap-free watermark: the sync layer tracks batch sequences for
// that.
func (s *State) Heads() map[string]Stamp { return maps.Clone(s.heads) }

// Apply applies one op. It is idempotent, and ops commute: any order of the
// same set of ops gives the same state. It returns ErrInvalidOp for a
// malformed op and ErrStale for one older than the horizon; in both cases
// the state is unchanged.
func (s *State) Apply(op Op) error {
	if err := op.Validate(); err != nil {
		return err
	}
	if op.Stamp.Wall < s.horizon {
		return fmt.Errorf("%w: %s stamped %s, horizon %s", ErrStale, op.Kind, op.Stamp.Time().Format(time.RFC3339), s.Horizon().Format(time.RFC3339))
	}
	if h, ok := s.heads[op.Stamp.Device]; !ok || h.Less(op.Stamp) {
		s.heads[op.Stamp.Device] = op.Stamp
	}
	k := key{op.Collection, op.ID}
	o := s.objects[k]
	if o == nil {
		o = newObject()
		s.objects[k] = o
	}
	switch op.Kind {
	case KindSet:
		r := register{op.Stamp, slices.Clone(op.Value)}
		if old, ok := o.fields[op.Field]; !ok || r.wins(old) {
			o.fields[op.Field] = r
		}
	case KindAdd:
		set := o.set(op.Field)
		if _, gone := set.removed[op.Stamp]; !gone {
			if old, ok := set.tags[op.Stamp]; !ok || op.Elem > old {
				set.tags[op.Stamp] = op.Elem
			}
		}
	case KindRemove:
		set := o.set(op.Field)
		for _, d := range op.Dots {
			delete(set.tags, d)
			set.removed[d] = struct{}{}
		}
	case KindDelete:
		if o.deleted.Less(op.Stamp) {
			o.deleted = op.Stamp
		}
	}
	if o.prune(s.horizon) {
		delete(s.objects, k)
	}
	return nil
}

// Collect drops tombstones (object deletes and removed set tags) stamped
// before horizon and refuses older ops from then on. The caller MUST only
// collect up to a point before which this replica has received every op
// (for example now minus DefaultRetention, with replicas that fell further
// behind forced into a full resync); otherwise a late op could resurrect
// deleted data. A horizon at or before the current one does nothing.
func (s *State) Collect(horizon time.Time) {
	h := horizon.UnixMilli()
	if h <= s.horizon {
		return
	}
	s.horizon = h
	for k, o := range s.objects {
		if o.prune(h) {
			delete(s.objects, k)
		}
	}
}

// Clone returns a deep copy of s.
func (s *State) Clone() *State {
	c := NewState()
	c.Merge(s)
	return c
}

// Merge joins other into s; other is not modified. Merge is commutative,
// associative and idempotent on the visible state and on Snapshot bytes.
// Content present on only one side and stamped before the other side's
// horizon is dropped: that side had every op before its horizon, so it saw
// the content and its removal.
func (s *State) Merge(other *State) {
	mine := s.horizon
	theirs := other.horizon
	for d, h := range other.heads {
		if cur, ok := s.heads[d]; !ok || cur.Less(h) {
			s.heads[d] = h
		}
	}
	keys := make(map[key]bool, len(s.objects)+len(other.objects))
	for k := range s.objects {
		keys[k] = true
	}
	for k := range other.objects {
		keys[k] = true
	}
	for k := range keys {
		a, b := s.objects[k], other.objects[k]
		if a == nil {
			a = newObject()
		}
		if b == nil {
			b = newObject()
		}
		m := mergeObject(a, b, mine, theirs)
		s.objects[k] = m
	}
	s.horizon = max(mine, theirs)
	for k, o := range s.objects {
		if o.prune(s.horizon) {
			delete(s.objects, k)
		}
	}
}

// mergeObject joins a (from a state with horizon ha) and b (horizon hb)
// into a fresh object. Nothing of a or b is aliased.
func mergeObject(a, b *object, ha, hb int64) *object {
	m := newObject()
	m.deleted = a.deleted
	if m.deleted.Less(b.deleted) {
		m.deleted = b.deleted
	}
	// keep says whether content stamped st, present on one side only,
	// survives: the side lacking it must not have settled st.
	keep := func(st Stamp, lackingHorizon int64) bool { return st.Wall >= lackingHorizon }
	for f, ra := range a.fields {
		rb, ok := b.fields[f]
		switch {
		case !ok:
			if keep(ra.stamp, hb) {
				m.fields[f] = register{ra.stamp, slices.Clone(ra.value)}
			}
		case rb.wins(ra):
			m.fields[f] = register{rb.stamp, slices.Clone(rb.value)}
		default:
			m.fields[f] = register{ra.stamp, slices.Clone(ra.value)}
		}
	}
	for f, rb := range b.fields {
		if _, ok := a.fields[f]; !ok && keep(rb.stamp, ha) {
			m.fields[f] = register{rb.stamp, slices.Clone(rb.value)}
		}
	}
	names := map[string]bool{}
	for f := range a.sets {
		names[f] = true
	}
	for f := range b.sets {
		names[f] = true
	}
	for f := range names {
		sa, sb := a.sets[f], b.sets[f]
		out := m.set(f)
		if sa != nil {
			for d := range sa.removed {
				out.removed[d] = struct{}{}
			}
		}
		if sb != nil {
			for d := range sb.removed {
				out.removed[d] = struct{}{}
			}
		}
		addTags := func(from, to *orset, toHorizon int64) {
			if from == nil {
				return
			}
			for d, e := range from.tags {
				if _, gone := out.removed[d]; gone {
					continue
				}
				other, ok := "", false
				if to != nil {
					other, ok = to.tags[d]
				}
				if !ok && !keep(d, toHorizon) {
					continue
				}
				if cur, seen := out.tags[d]; !seen || e > cur {
					out.tags[d] = e
				}
				if ok && other > out.tags[d] {
					out.tags[d] = other
				}
			}
		}
		addTags(sa, sb, hb)
		addTags(sb, sa, ha)
	}
	return m
}

// Object is the visible content of one replicated object.
type Object struct {
	Collection string
	ID         string
	Fields     map[string][]byte   // last-writer-wins fields
	Sets       map[string][]string // observed-remove set fields, elements sorted, non-empty
}

// Get returns the visible object (collection, id); ok is false when it does
// not exist or was deleted.
func (s *State) Get(collection, id string) (Object, bool) {
	o := s.objects[key{collection, id}]
	if o == nil || !o.visible() {
		return Object{}, false
	}
	return view(key{collection, id}, o), true
}

func view(k key, o *object) Object {
	v := Object{Collection: k.collection, ID: k.id, Fields: map[string][]byte{}, Sets: map[string][]string{}}
	for f, r := range o.fields {
		v.Fields[f] = slices.Clone(r.value)
	}
	for f, set := range o.sets {
		var elems []string
		for _, e := range set.tags {
			elems = append(elems, e)
		}
		if len(elems) == 0 {
			continue
		}
		slices.Sort(elems)
		v.Sets[f] = slices.Compact(elems)
	}
	return v
}

// Objects returns every visible object, sorted by collection and id.
func (s *State) Objects() []Object {
	var out []Object
	for _, k := range s.sortedKeys() {
		if o := s.objects[k]; o.visible() {
			out = append(out, view(k, o))
		}
	}
	return out
}

// Dots returns the live tags of elem in a set field, sorted: the dots a
// remove op must name to remove the element as this replica sees it.
func (s *State) Dots(collection, id, field, elem string) []Stamp {
	o := s.objects[key{collection, id}]
	if o == nil || o.sets[field] == nil {
		return nil
	}
	var dots []Stamp
	for d, e := range o.sets[field].tags {
		if e == elem {
			dots = append(dots, d)
		}
	}
	slices.SortFunc(dots, Stamp.Compare)
	return dots
}

func (s *State) sortedKeys() []key {
	keys := slices.Collect(maps.Keys(s.objects))
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.collection, b.collection), cmp.Compare(a.id, b.id))
	})
	return keys
}

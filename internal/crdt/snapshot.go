package crdt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
)

// SnapshotVersion is the first byte of an encoded snapshot.
const SnapshotVersion byte = 1

// maxSnapshotItems bounds each count in a snapshot so that a corrupt count
// cannot make the decoder allocate without limit.
const maxSnapshotItems = 1 << 24

// Snapshot returns the canonical encoding of the whole state: horizon,
// per-device heads, objects with their registers, set tags and tombstones.
// Equal states give equal bytes. History is not kept: a snapshot is the
// compacted result of every op it covers.
func (s *State) Snapshot() []byte {
	b := []byte{SnapshotVersion}
	b = binary.AppendUvarint(b, uint64(s.horizon))
	devs := slices.Sorted(maps.Keys(s.heads))
	b = binary.AppendUvarint(b, uint64(len(devs)))
	for _, d := range devs {
		b = appendStamp(b, s.heads[d])
	}
	keys := s.sortedKeys()
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		o := s.objects[k]
		b = appendString(b, k.collection)
		b = appendString(b, k.id)
		b = appendStamp(b, o.deleted)
		fields := slices.Sorted(maps.Keys(o.fields))
		b = binary.AppendUvarint(b, uint64(len(fields)))
		for _, f := range fields {
			b = appendString(b, f)
			b = appendStamp(b, o.fields[f].stamp)
			b = appendBytes(b, o.fields[f].value)
		}
		sets := slices.Sorted(maps.Keys(o.sets))
		b = binary.AppendUvarint(b, uint64(len(sets)))
		for _, f := range sets {
			set := o.sets[f]
			b = appendString(b, f)
			dots := slices.SortedFunc(maps.Keys(set.tags), Stamp.Compare)
			b = binary.AppendUvarint(b, uint64(len(dots)))
			for _, d := range dots {
				b = appendStamp(b, d)
				b = appendString(b, set.tags[d])
			}
			rm := slices.SortedFunc(maps.Keys(set.removed), Stamp.Compare)
			b = binary.AppendUvarint(b, uint64(len(rm)))
			for _, d := range rm {
				b = appendStamp(b, d)
			}
		}
	}
	return b
}

// LoadSnapshot parses a snapshot made by Snapshot. It accepts only canonical
// encodings, so LoadSnapshot(b).Snapshot() equals b.
func LoadSnapshot(b []byte) (*State, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty snapshot", ErrFormat)
	}
	if b[0] != SnapshotVersion {
		return nil, fmt.Errorf("%w: snapshot version %d, want %d", ErrFormat, b[0], SnapshotVersion)
	}
	r := &reader{b: b[1:]}
	s := NewState()
	h := r.uvarint()
	if h > math.MaxInt64 {
		r.fail("horizon out of range")
	}
	s.horizon = int64(h)
	count := func() uint64 {
		n := r.uvarint()
		if n > maxSnapshotItems || n > uint64(len(r.b)) {
			r.fail("count %d out of range", n)
			return 0
		}
		return n
	}
	stamp := func(zeroOK bool) Stamp {
		st := r.stamp()
		if r.err == nil && !(zeroOK && st.IsZero()) {
			if err := validStamp(st); err != nil {
				r.fail("stamp %s: %v", st, err)
			}
		}
		return st
	}
	nheads := count()
	for i := uint64(0); i < nheads && r.err == nil; i++ {
		st := stamp(false)
		s.heads[st.Device] = st
	}
	nobj := count()
	for i := uint64(0); i < nobj && r.err == nil; i++ {
		k := key{r.string(MaxNameLen), r.string(MaxIDLen)}
		if r.err == nil && (k.collection == "" || k.id == "") {
			r.fail("empty collection or id")
		}
		o := newObject()
		o.deleted = stamp(true)
		nf := count()
		for j := uint64(0); j < nf && r.err == nil; j++ {
			f := r.string(MaxNameLen)
			st := stamp(false)
			v := r.bytes(MaxValueLen)
			o.fields[f] = register{st, slices.Clone(v)}
		}
		ns := count()
		for j := uint64(0); j < ns && r.err == nil; j++ {
			set := o.set(r.string(MaxNameLen))
			nt := count()
			for t := uint64(0); t < nt && r.err == nil; t++ {
				d := stamp(false)
				set.tags[d] = r.string(MaxElemLen)
			}
			nr := count()
			for t := uint64(0); t < nr && r.err == nil; t++ {
				set.removed[stamp(false)] = struct{}{}
			}
		}
		s.objects[k] = o
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes in snapshot", ErrFormat, len(r.b))
	}
	for k, o := range s.objects {
		if o.prune(s.horizon) {
			delete(s.objects, k)
		}
	}
	// Sorted order, no duplicates, nothing prunable, no empty names:
	// checked at once by re-encoding.
	if !bytes.Equal(s.Snapshot(), b) {
		return nil, fmt.Errorf("%w: non-canonical snapshot encoding", ErrFormat)
	}
	for k, o := range s.objects {
		for f := range o.fields {
			if f == "" {
				return nil, fmt.Errorf("%w: empty field name in %s/%s", ErrFormat, k.collection, k.id)
			}
		}
		for f := range o.sets {
			if f == "" {
				return nil, fmt.Errorf("%w: empty set name in %s/%s", ErrFormat, k.collection, k.id)
			}
		}
	}
	return s, nil
}

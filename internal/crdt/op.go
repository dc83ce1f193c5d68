package crdt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Kind says what an Op does.
type Kind uint8

// The op kinds. Their numeric values are part of the wire format.
const (
	KindSet    Kind = 1 // write a last-writer-wins field
	KindAdd    Kind = 2 // add an element to an observed-remove set field; the op's stamp is the tag
	KindRemove Kind = 3 // remove the observed tags (Dots) of an element
	KindDelete Kind = 4 // delete the object: everything stamped before the op is gone
)

func (k Kind) String() string {
	switch k {
	case KindSet:
		return "set"
	case KindAdd:
		return "add"
	case KindRemove:
		return "remove"
	case KindDelete:
		return "delete"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Collections PAM syncs. The package accepts any collection name within
// MaxNameLen; these are the ones the client uses.
const (
	CollTask       = "task"
	CollLabel      = "label"
	CollCorrection = "correction"
	CollTemplate   = "template"
	CollProposal   = "proposal"
	CollContact    = "contact"
)

// Size limits enforced by Validate and the decoders.
const (
	MaxNameLen  = 64      // collection and field names
	MaxIDLen    = 512     // object ids
	MaxElemLen  = 1024    // set elements
	MaxValueLen = 1 << 20 // field values
	MaxDots     = 4096    // tags named by one remove
	MaxBatchOps = 1 << 16 // ops in one batch
)

// ErrInvalidOp is returned for an op that breaks the rules in Validate.
var ErrInvalidOp = errors.New("crdt: invalid op")

// ErrFormat is returned when bytes are not a valid batch or snapshot.
var ErrFormat = errors.New("crdt: malformed encoding")

// BatchVersion is the first byte of an encoded op batch.
const BatchVersion byte = 1

// Op is one change to the replicated state.
type Op struct {
	Stamp      Stamp
	Kind       Kind
	Collection string
	ID         string
	Field      string  // empty for KindDelete
	Value      []byte  // KindSet: the new value, opaque to this package
	Elem       string  // KindAdd, KindRemove: the set element
	Dots       []Stamp // KindRemove: the tags of Elem the remover observed, sorted
}

// Validate checks the op's shape and limits.
func (o Op) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s %s/%s: %s", ErrInvalidOp, o.Kind, o.Collection, o.ID, fmt.Sprintf(format, args...))
	}
	if err := validStamp(o.Stamp); err != nil {
		return bad("stamp: %v", err)
	}
	if o.Collection == "" || len(o.Collection) > MaxNameLen {
		return bad("collection length %d not in 1..%d", len(o.Collection), MaxNameLen)
	}
	if o.ID == "" || len(o.ID) > MaxIDLen {
		return bad("id length %d not in 1..%d", len(o.ID), MaxIDLen)
	}
	switch o.Kind {
	case KindSet, KindAdd, KindRemove:
		if o.Field == "" || len(o.Field) > MaxNameLen {
			return bad("field length %d not in 1..%d", len(o.Field), MaxNameLen)
		}
	case KindDelete:
		if o.Field != "" {
			return bad("delete names field %q", o.Field)
		}
	default:
		return bad("unknown kind")
	}
	if o.Kind != KindSet && len(o.Value) != 0 {
		return bad("value on a %s op", o.Kind)
	}
	if len(o.Value) > MaxValueLen {
		return bad("value of %d bytes exceeds %d", len(o.Value), MaxValueLen)
	}
	if o.Kind != KindAdd && o.Kind != KindRemove && o.Elem != "" {
		return bad("element on a %s op", o.Kind)
	}
	if len(o.Elem) > MaxElemLen {
		return bad("element of %d bytes exceeds %d", len(o.Elem), MaxElemLen)
	}
	if o.Kind != KindRemove && len(o.Dots) != 0 {
		return bad("dots on a %s op", o.Kind)
	}
	if len(o.Dots) > MaxDots {
		return bad("%d dots exceed %d", len(o.Dots), MaxDots)
	}
	for i, d := range o.Dots {
		if err := validStamp(d); err != nil {
			return bad("dot %d: %v", i, err)
		}
		if i > 0 && !o.Dots[i-1].Less(d) {
			return bad("dots not sorted and unique")
		}
		if !d.Less(o.Stamp) {
			return bad("dot %s not before the remove", d)
		}
	}
	return nil
}

func validStamp(s Stamp) error {
	if s.Wall <= 0 {
		return errors.New("wall time not positive")
	}
	if s.Device == "" || len(s.Device) > MaxDeviceLen {
		return fmt.Errorf("device length %d not in 1..%d", len(s.Device), MaxDeviceLen)
	}
	return nil
}

// EncodeBatch returns the canonical encoding of ops (see doc/design/sync.md).
// The same ops always give the same bytes.
func EncodeBatch(ops []Op) ([]byte, error) {
	if len(ops) > MaxBatchOps {
		return nil, fmt.Errorf("%w: %d ops exceed %d", ErrInvalidOp, len(ops), MaxBatchOps)
	}
	b := []byte{BatchVersion}
	b = binary.AppendUvarint(b, uint64(len(ops)))
	for _, o := range ops {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		b = appendOp(b, o)
	}
	return b, nil
}

// DecodeBatch parses an encoded batch. It accepts only canonical encodings of
// valid ops, so DecodeBatch followed by EncodeBatch returns the input.
func DecodeBatch(b []byte) ([]Op, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty batch", ErrFormat)
	}
	if b[0] != BatchVersion {
		return nil, fmt.Errorf("%w: batch version %d, want %d", ErrFormat, b[0], BatchVersion)
	}
	r := &reader{b: b[1:]}
	n := r.uvarint()
	if n > MaxBatchOps {
		return nil, fmt.Errorf("%w: %d ops exceed %d", ErrFormat, n, MaxBatchOps)
	}
	ops := make([]Op, 0, min(n, uint64(len(b))))
	for i := uint64(0); i < n && r.err == nil; i++ {
		o := r.op()
		if r.err != nil {
			break
		}
		if err := o.Validate(); err != nil {
			return nil, fmt.Errorf("%w: op %d: %v", ErrFormat, i, err)
		}
		ops = append(ops, o)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(r.b))
	}
	// Reject non-canonical varints and the like by re-encoding.
	again, err := EncodeBatch(ops)
	if err != nil || !bytes.Equal(again, b) {
		return nil, fmt.Errorf("%w: non-canonical batch encoding", ErrFormat)
	}
	return ops, nil
}

func appendStamp(b []byte, s Stamp) []byte {
	b = binary.AppendUvarint(b, uint64(s.Wall))
	b = binary.AppendUvarint(b, uint64(s.Logical))
	return appendString(b, s.Device)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendOp(b []byte, o Op) []byte {
	b = append(b, byte(o.Kind))
	b = appendStamp(b, o.Stamp)
	b = appendString(b, o.Collection)
	b = appendString(b, o.ID)
	b = appendString(b, o.Field)
	switch o.Kind {
	case KindSet:
		b = appendBytes(b, o.Value)
	case KindAdd:
		b = appendString(b, o.Elem)
	case KindRemove:
		b = appendString(b, o.Elem)
		b = binary.AppendUvarint(b, uint64(len(o.Dots)))
		for _, d := range o.Dots {
			b = appendStamp(b, d)
		}
	}
	return b
}

// reader decodes the primitives of the formats; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
	}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) bytes(limit int) []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(limit) || n > uint64(len(r.b)) {
		r.fail("length %d exceeds limit or input", n)
		return nil
	}
	s := r.b[:n:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) string(limit int) string { return string(r.bytes(limit)) }

func (r *reader) stamp() Stamp {
	w := r.uvarint()
	l := r.uvarint()
	d := r.string(MaxDeviceLen)
	if w > math.MaxInt64 || l > math.MaxUint32 {
		r.fail("stamp out of range")
	}
	return Stamp{Wall: int64(w), Logical: uint32(l), Device: d}
}

func (r *reader) op() Op {
	o := Op{Kind: Kind(r.byte())}
	o.Stamp = r.stamp()
	o.Collection = r.string(MaxNameLen)
	o.ID = r.string(MaxIDLen)
	o.Field = r.string(MaxNameLen)
	switch o.Kind {
	case KindSet:
		if v := r.bytes(MaxValueLen); len(v) > 0 {
			o.Value = slices.Clone(v)
		}
	case KindAdd:
		o.Elem = r.string(MaxElemLen)
	case KindRemove:
		o.Elem = r.string(MaxElemLen)
		n := r.uvarint()
		if n > MaxDots {
			r.fail("%d dots exceed %d", n, MaxDots)
			return o
		}
		for i := uint64(0); i < n && r.err == nil; i++ {
			o.Dots = append(o.Dots, r.stamp())
		}
	case KindDelete:
	default:
		r.fail("unknown op kind %d", o.Kind)
	}
	return o
}

package crdt

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// This file holds the trace simulator shared by FuzzConverge and the seeded
// property tests: 3-4 replicas make random changes, deliver ops through a
// network that reorders, duplicates and drops (then retries), save and load
// snapshots, merge states and collect tombstones; at the end every replica
// must show the same objects as the reference model.

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// program reads the fuzzer's bytes; it returns zeros once exhausted.
type program struct {
	b []byte
	i int
}

func (p *program) done() bool { return p.i >= len(p.b) }

func (p *program) next() int {
	if p.done() {
		return 0
	}
	c := p.b[p.i]
	p.i++
	return int(c)
}

type message struct {
	to int
	op Op
}

type sim struct {
	t       testing.TB
	now     time.Time
	reps    []*Replica
	has     []map[Stamp]bool // ops each replica has applied or merged in
	log     []Op             // every op made, in creation order
	flight  []message
	retry   []message
	applied int
}

func newSim(t testing.TB, n int, skews []time.Duration) *sim {
	s := &sim{t: t, now: t0}
	for i := range n {
		skew := skews[i]
		s.reps = append(s.reps, NewReplica(fmt.Sprintf("dev%c", 'a'+i), func() time.Time { return s.now.Add(skew) }, 0))
		s.has = append(s.has, map[Stamp]bool{})
	}
	return s
}

var (
	simColls  = []string{CollTask, CollLabel, CollProposal}
	simIDs    = []string{"1", "2", "3"}
	simFields = []string{"title", "due"}
	simSets   = []string{"labels"}
	simElems  = []string{"work", "home", "urgent"}
)

func (s *sim) local(r int, op Op, err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("local op on replica %d: %v", r, err)
	}
	s.log = append(s.log, op)
	s.has[r][op.Stamp] = true
	for q := range s.reps {
		if q != r {
			s.flight = append(s.flight, message{q, op})
		}
	}
}

func (s *sim) deliver(m message) {
	s.t.Helper()
	err := s.reps[m.to].Receive(m.op)
	switch {
	case err == nil:
		s.has[m.to][m.op.Stamp] = true
		s.applied++
	case s.has[m.to][m.op.Stamp] && errorsIs(err, ErrStale):
		// A duplicate of an op already settled under the horizon.
	default:
		s.t.Fatalf("deliver %s %s to replica %d: %v", m.op.Kind, m.op.Stamp, m.to, err)
	}
}

// safeHorizon is the latest horizon replica r may collect at: before every
// op it lacks and before any op a replica can still make.
func (s *sim) safeHorizon(r int) time.Time {
	h := int64(1 << 62)
	for _, q := range s.reps {
		h = min(h, q.Clock.Last().Wall)
	}
	for _, op := range s.log {
		if !s.has[r][op.Stamp] {
			h = min(h, op.Stamp.Wall)
		}
	}
	return time.UnixMilli(h)
}

func (s *sim) step(p *program) {
	s.t.Helper()
	r := p.next() % len(s.reps)
	rep := s.reps[r]
	coll, id := simColls[p.next()%len(simColls)], simIDs[p.next()%len(simIDs)]
	switch p.next() % 12 {
	case 0, 1:
		op, err := rep.Set(coll, id, simFields[p.next()%len(simFields)], []byte{byte(p.next())})
		s.local(r, op, err)
	case 2:
		op, err := rep.Add(coll, id, simSets[0], simElems[p.next()%len(simElems)])
		s.local(r, op, err)
	case 3:
		op, err := rep.Remove(coll, id, simSets[0], simElems[p.next()%len(simElems)])
		s.local(r, op, err)
	case 4:
		op, err := rep.Delete(coll, id)
		s.local(r, op, err)
	case 5, 6: // deliver one message, in any order
		if len(s.flight) > 0 {
			i := p.next() % len(s.flight)
			m := s.flight[i]
			s.flight = slices.Delete(s.flight, i, i+1)
			s.deliver(m)
		}
	case 7: // duplicate: deliver but keep in flight
		if len(s.flight) > 0 {
			s.deliver(s.flight[p.next()%len(s.flight)])
		}
	case 8: // drop; the sender retries later
		if len(s.flight) > 0 {
			i := p.next() % len(s.flight)
			s.retry = append(s.retry, s.flight[i])
			s.flight = slices.Delete(s.flight, i, i+1)
		}
	case 9: // retry everything dropped
		s.flight = append(s.flight, s.retry...)
		s.retry = nil
	case 10: // save and load, or merge another replica's state
		if p.next()%2 == 0 {
			s.saveLoad(r)
		} else {
			q := p.next() % len(s.reps)
			rep.State.Merge(s.reps[q].State)
			for st := range s.has[q] {
				s.has[r][st] = true
			}
		}
	case 11: // time passes; maybe collect tombstones
		s.now = s.now.Add(time.Duration(p.next()*37) * time.Millisecond)
		if p.next()%3 == 0 {
			rep.State.Collect(s.safeHorizon(r))
		}
	}
}

func (s *sim) saveLoad(r int) {
	s.t.Helper()
	snap := s.reps[r].State.Snapshot()
	st, err := LoadSnapshot(snap)
	if err != nil {
		s.t.Fatalf("LoadSnapshot(Snapshot()) of replica %d: %v", r, err)
	}
	if again := st.Snapshot(); !bytes.Equal(again, snap) {
		s.t.Fatalf("snapshot of replica %d changed over save/load:\n%x\n%x", r, snap, again)
	}
	s.reps[r].State = st
}

// finish delivers everything still pending, then every op to every replica,
// and checks convergence against the reference model.
func (s *sim) finish() {
	s.t.Helper()
	for _, m := range append(s.flight, s.retry...) {
		s.deliver(m)
	}
	s.flight, s.retry = nil, nil
	for r := range s.reps {
		s.saveLoad(r)
		for _, op := range s.log {
			s.deliver(message{r, op}) // duplicates are harmless
		}
	}
	want := Reference(s.log)
	for r, rep := range s.reps {
		if diff := gocmp.Diff(want, rep.State.Objects()); diff != "" {
			s.t.Fatalf("replica %d differs from the reference model after %d ops (-want +got):\n%s", r, len(s.log), diff)
		}
	}
	// Merging converged states changes nothing visible, in any order.
	all := s.reps[0].State.Clone()
	for _, rep := range s.reps[1:] {
		all.Merge(rep.State)
	}
	if diff := gocmp.Diff(want, all.Objects()); diff != "" {
		s.t.Fatalf("merge of converged replicas differs from the reference (-want +got):\n%s", diff)
	}
}

func runProgram(t testing.TB, data []byte) *sim {
	p := &program{b: data}
	n := 3 + p.next()%2
	skews := make([]time.Duration, n)
	for i := range skews {
		skews[i] = time.Duration(p.next()-128) * 3 * time.Second // within ±7 min
	}
	s := newSim(t, n, skews)
	for steps := 0; !p.done() && steps < 2000; steps++ {
		s.step(p)
	}
	s.finish()
	return s
}

// Reference is the model the CRDT must agree with: sort every op by stamp
// and fold. A set overwrites, an add inserts its tag, a remove drops the
// named tags, a delete clears the object; an object is visible when it has
// any field or tag.
func Reference(ops []Op) []Object {
	sorted := slices.Clone(ops)
	slices.SortFunc(sorted, func(a, b Op) int { return a.Stamp.Compare(b.Stamp) })
	type obj struct {
		fields map[string][]byte
		tags   map[string]map[Stamp]string
	}
	objs := map[key]*obj{}
	for _, op := range sorted {
		k := key{op.Collection, op.ID}
		o := objs[k]
		if o == nil || op.Kind == KindDelete {
			o = &obj{fields: map[string][]byte{}, tags: map[string]map[Stamp]string{}}
			objs[k] = o
		}
		if o.tags[op.Field] == nil {
			o.tags[op.Field] = map[Stamp]string{}
		}
		switch op.Kind {
		case KindSet:
			o.fields[op.Field] = op.Value
		case KindAdd:
			o.tags[op.Field][op.Stamp] = op.Elem
		case KindRemove:
			for _, d := range op.Dots {
				delete(o.tags[op.Field], d)
			}
		}
	}
	var out []Object
	keys := slices.SortedFunc(maps.Keys(objs), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.collection, b.collection), cmp.Compare(a.id, b.id))
	})
	for _, k := range keys {
		o := objs[k]
		v := Object{Collection: k.collection, ID: k.id, Fields: map[string][]byte{}, Sets: map[string][]string{}}
		for f, val := range o.fields {
			v.Fields[f] = slices.Clone(val)
		}
		for f, tags := range o.tags {
			elems := slices.Sorted(maps.Values(tags))
			if len(elems) > 0 {
				v.Sets[f] = slices.Compact(elems)
			}
		}
		if len(v.Fields) > 0 || len(v.Sets) > 0 {
			out = append(out, v)
		}
	}
	return out
}

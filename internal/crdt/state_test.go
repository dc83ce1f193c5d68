package crdt

import (
	"bytes"
	"errors"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

func stamp(ms int64, dev string) Stamp { return Stamp{Wall: t0.UnixMilli() + ms, Device: dev} }

func set(ms int64, dev, id, field, value string) Op {
	return Op{Stamp: stamp(ms, dev), Kind: KindSet, Collection: CollTask, ID: id, Field: field, Value: []byte(value)}
}

func del(ms int64, dev, id string) Op {
	return Op{Stamp: stamp(ms, dev), Kind: KindDelete, Collection: CollTask, ID: id}
}

func add(ms int64, dev, id, elem string) Op {
	return Op{Stamp: stamp(ms, dev), Kind: KindAdd, Collection: CollTask, ID: id, Field: "labels", Elem: elem}
}

func remove(ms int64, dev, id, elem string, dots ...Stamp) Op {
	return Op{Stamp: stamp(ms, dev), Kind: KindRemove, Collection: CollTask, ID: id, Field: "labels", Elem: elem, Dots: dots}
}

func apply(t *testing.T, ops ...Op) *State {
	t.Helper()
	s := NewState()
	for _, op := range ops {
		mustApply(t, s, op)
	}
	return s
}

func TestMergeRules(t *testing.T) {
	tests := []struct {
		name string
		ops  []Op
		want *Object // nil: not visible
	}{
		{"last writer wins", []Op{set(2, "b", "1", "title", "new"), set(1, "a", "1", "title", "old")},
			&Object{Fields: map[string][]byte{"title": []byte("new")}}},
		{"device breaks a stamp tie", []Op{set(1, "b", "1", "title", "from b"), set(1, "a", "1", "title", "from a")},
			&Object{Fields: map[string][]byte{"title": []byte("from b")}}},
		{"delete hides the object", []Op{set(1, "a", "1", "title", "x"), del(2, "b", "1")}, nil},
		{"older write does not resurrect", []Op{del(2, "b", "1"), set(1, "a", "1", "title", "x")}, nil},
		{"newer write starts afresh", []Op{set(1, "a", "1", "title", "x"), set(1, "a", "1", "due", "mon"), del(2, "b", "1"), set(3, "a", "1", "title", "y")},
			&Object{Fields: map[string][]byte{"title": []byte("y")}}},
		{"concurrent add survives a remove", []Op{add(1, "a", "1", "work"), add(2, "b", "1", "work"), remove(3, "a", "1", "work", stamp(1, "a"))},
			&Object{Sets: map[string][]string{"labels": {"work"}}}},
		{"observed remove removes", []Op{add(1, "a", "1", "work"), add(2, "b", "1", "home"), remove(3, "a", "1", "work", stamp(1, "a"))},
			&Object{Sets: map[string][]string{"labels": {"home"}}}},
		{"remove before its add arrives", []Op{remove(3, "a", "1", "work", stamp(1, "a")), add(1, "a", "1", "work")}, nil},
		{"delete drops older tags", []Op{add(1, "a", "1", "work"), del(2, "a", "1"), add(3, "b", "1", "home")},
			&Object{Sets: map[string][]string{"labels": {"home"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := apply(t, tt.ops...)
			got, ok := s.Get(CollTask, "1")
			if tt.want == nil {
				if ok {
					t.Fatalf("Get = %+v, want not visible", got)
				}
				return
			}
			want := *tt.want
			want.Collection, want.ID = CollTask, "1"
			if want.Fields == nil {
				want.Fields = map[string][]byte{}
			}
			if want.Sets == nil {
				want.Sets = map[string][]string{}
			}
			if !ok {
				t.Fatalf("Get = not visible, want %+v", want)
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Fatalf("Get (-want +got):\n%s", diff)
			}
			if diff := gocmp.Diff(Reference(tt.ops), s.Objects()); diff != "" {
				t.Fatalf("state differs from the reference (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCollectAndStale(t *testing.T) {
	s := apply(t, set(1, "a", "1", "title", "x"), del(2, "b", "1"), set(3, "a", "2", "title", "kept"))
	s.Collect(t0.Add(time.Second))
	snap := s.Snapshot()
	loaded, err := LoadSnapshot(snap)
	if err != nil {
		t.Fatalf("LoadSnapshot = %v", err)
	}
	if _, ok := loaded.objects[key{CollTask, "1"}]; ok {
		t.Errorf("tombstone of task 1 kept after Collect")
	}
	if _, ok := loaded.Get(CollTask, "2"); !ok {
		t.Errorf("Collect dropped live task 2")
	}
	late := set(1, "c", "1", "title", "zombie")
	if err := loaded.Apply(late); !errors.Is(err, ErrStale) {
		t.Fatalf("Apply(op before horizon) = %v, want ErrStale", err)
	}
	if _, ok := loaded.Get(CollTask, "1"); ok {
		t.Fatalf("a stale op resurrected deleted task 1")
	}
	if !bytes.Equal(loaded.Snapshot(), snap) {
		t.Fatalf("a refused op changed the state")
	}
	// A state that still holds the old write merged into the collected one
	// must not resurrect it either.
	old := apply(t, set(1, "a", "1", "title", "x"))
	loaded.Merge(old)
	if _, ok := loaded.Get(CollTask, "1"); ok {
		t.Fatalf("merging a stale state resurrected deleted task 1")
	}
}

func TestNeedsFullResync(t *testing.T) {
	now := t0
	tests := []struct {
		last time.Time
		want bool
	}{
		{now.Add(-time.Hour), false},
		{now.Add(-DefaultRetention + time.Minute), false},
		{now.Add(-DefaultRetention), true},
		{now.Add(-2 * DefaultRetention), true},
	}
	for _, tt := range tests {
		if got := NeedsFullResync(tt.last, now, DefaultRetention); got != tt.want {
			t.Errorf("NeedsFullResync(%v, %v) = %v, want %v", tt.last, now, got, tt.want)
		}
	}
}

func TestHeads(t *testing.T) {
	s := apply(t, set(5, "a", "1", "t", "x"), set(3, "a", "2", "t", "x"), set(4, "b", "1", "t", "y"))
	want := map[string]Stamp{"a": stamp(5, "a"), "b": stamp(4, "b")}
	if diff := gocmp.Diff(want, s.Heads()); diff != "" {
		t.Fatalf("Heads (-want +got):\n%s", diff)
	}
	loaded, err := LoadSnapshot(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(want, loaded.Heads()); diff != "" {
		t.Fatalf("Heads after LoadSnapshot (-want +got):\n%s", diff)
	}
}

package when

import (
	"reflect"
	"testing"
	"time"
)

// TestMemoGenerations checks that a recycled parser never reads the memo
// entries of an earlier parse: texts parsed one after another (longer and
// shorter, so entries past the current length are stale too) give the
// reference results, also across the wrap-around of the parse numbers,
// where entries made to look current are planted before the wrap.
func TestMemoGenerations(t *testing.T) {
	ref := time.Date(2024, 6, 5, 10, 0, 0, 0, time.UTC)
	texts := []string{
		"can we meet tomorrow at 5pm or on Friday the 14th?",
		"next week",
		"from Monday 9am until Wednesday noon, then again in two weeks",
		"no date here at all",
		"by end of day",
		"on 3/4 at 10:30",
	}
	check := func(round int) {
		t.Helper()
		for _, s := range texts {
			fast, slow := find(s, ref, Options{}, true), find(s, ref, Options{}, false)
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("round %d: Find(%q) = %+v, reference %+v", round, s, fast, slow)
			}
		}
	}
	check(0)
	// Plant entries that would read as filled by the parse after the
	// wrap (gen 1) and as filled by the next parse (gen 0 is never used:
	// the wrap clears), then put the parser back to be recycled.
	p := newParser(texts[2], ref, Options{})
	bogus := compoundResult{t: term{strength: strong, month: 1, dom: 1}, j: 3, ok: true, gen: 1}
	for i := range p.memo {
		p.memo[i], p.atoms[i] = bogus, bogus
	}
	p.gen = ^uint32(0)
	p.free()
	check(1)
	check(2)
}

package redact

import (
	"slices"
	"sort"
	"testing"
)

// widenHintsRef is widenHints as it was before it indexed bytes: the
// reference the faster one must equal.
func widenHintsRef(out, dropped []bspan) []bspan {
	for _, c := range dropped {
		var inside []int
		ok := true
		for i, o := range out {
			if o.end <= c.start || o.start >= c.end {
				continue
			}
			if o.start < c.start || o.end > c.end || o.prio != prioHint || o.typ != TypeOrg && o.typ != TypePerson {
				ok = false
				break
			}
			inside = append(inside, i)
		}
		if !ok || len(inside) == 0 {
			continue
		}
		if one := out[inside[0]]; len(inside) == 1 && one.start == c.start && one.end == c.end {
			continue
		}
		for j := len(inside) - 1; j >= 0; j-- {
			out = append(out[:inside[j]], out[inside[j]+1:]...)
		}
		out = append(out, c)
	}
	return out
}

func sortedSpans(s []bspan) []bspan {
	s = slices.Clone(s)
	sort.Slice(s, func(i, j int) bool { return s[i].start < s[j].start })
	return s
}

// FuzzWidenHints: on non-overlapping picked spans and any dropped
// candidates, the indexed widenHints gives the reference's spans.
func FuzzWidenHints(f *testing.F) {
	f.Add([]byte{0, 3, 1, 4, 8, 1, 10, 12, 0}, []byte{0, 9, 2, 9, 14, 3})
	f.Add([]byte{2, 5, 1}, []byte{0, 6, 2, 1, 4, 2})
	f.Fuzz(func(t *testing.T, picked, cands []byte) {
		types := []string{TypePerson, TypeOrg, TypeEmail}
		var out []bspan
		pos := 0
		for i := 0; i+2 < len(picked) && len(out) < 40; i += 3 {
			start := pos + int(picked[i]%8)
			end := start + 1 + int(picked[i+1]%8)
			prio := prioHint
			if picked[i+2]%3 == 2 {
				prio = prioHint - 10
			}
			out = append(out, bspan{start: start, end: end, typ: types[int(picked[i+2])%len(types)], prio: prio})
			pos = end
		}
		var dropped []bspan
		for i := 0; i+2 < len(cands) && len(dropped) < 20; i += 3 {
			start := int(cands[i] % 64)
			end := start + 1 + int(cands[i+1]%24)
			dropped = append(dropped, bspan{start: start, end: end, typ: types[int(cands[i+2])%2], prio: prioHint - 5})
		}
		want := sortedSpans(widenHintsRef(slices.Clone(out), dropped))
		got := sortedSpans(widenHints(slices.Clone(out), dropped))
		if !slices.Equal(got, want) {
			t.Fatalf("widenHints(%v, %v) = %v, want %v", out, dropped, got, want)
		}
	})
}

// FuzzMaxTokens: maxTokens bounds what tokenize makes, so the slice never grows.
func FuzzMaxTokens(f *testing.F) {
	for _, s := range []string{"", "Hi Anna, call +1 415 555 0100.", "naïve café—Zoë’s 10:30", "\xff\xfe x", "a\u00a0b\u2028c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, max := len(tokenize(s)), maxTokens(s); n > max {
			t.Fatalf("tokenize(%q) made %d tokens, maxTokens said %d", s, n, max)
		}
	})
}

package when

import "time"

// atomCycleOf: the day after Christmas, the week before Friday, the month
// of March, the 2nd day after tomorrow, rest of the week.
func (p *parser) atomCycleOf(i int) (term, int, bool) {
	// Every form starts with "the", "rest", an ordinal (a number or an
	// ordinal word) or a cycle word.
	if !p.reference && !p.isNum(i) && !p.has(i, cOrdinal|cCycleWord) && !p.is(i, "the", "rest") {
		return term{}, 0, false
	}
	j := i
	the := p.is(j, "the")
	if the {
		j++
	}
	if k, ok := p.seq(j, "rest", "of", "the", "week|month|year"); ok && !the {
		// Duckling's "rest of the week" runs from today to Friday.
		g := cycleWords[tokS(p, k-1)]
		end := unit(p.ref, g, 1).start
		if g == Week {
			end = addGrain(end, Day, -2)
		}
		s := p.today(0)
		if !end.After(s.start) {
			return term{}, 0, false
		}
		return anchorTerm(span{start: s.start, end: end, grain: Day, interval: true}, strong), k, true
	}
	n := 1
	if o, k, ok := p.ordinal(j); ok && o >= 1 && o <= 366 {
		n, j = o, k
	}
	g, ok := cycleWords[tokS(p, j)]
	if !ok || g < Day {
		return term{}, 0, false
	}
	k := j + 1
	sign := 0
	switch {
	case p.is(k, "after"):
		sign = 1
	case p.is(k, "before") && n == 1:
		sign = -1
	case p.is(k, "of") && the && n == 1 && g >= Month:
		// "the month of March": the unit containing it
	default:
		return term{}, 0, false
	}
	if !the && n == 1 && p.toks[i].s != "day" {
		return term{}, 0, false // "week after Christmas" wants "the"
	}
	if p.is(k+1, "next", "last") {
		return term{}, 0, false // see atomCycle
	}
	t, k2, ok := p.compound(k + 1)
	if !ok || t.tod != nil {
		return term{}, 0, false
	}
	v, ok := p.resolve(t, p.ref)
	if !ok {
		return term{}, 0, false
	}
	if v.grain > g {
		return term{}, 0, false // "the day after March"
	}
	s := unit(v.start, g, sign*n)
	tt := anchorTerm(s, strong)
	tt.explicit = t.explicit
	return tt, k2, true
}

// atomHalf: H1, H2 2025, the first half of next year, second half of 2024.
// A half year has no grain of its own: it is a six-month interval at month
// grain.
func (p *parser) atomHalf(i int) (term, int, bool) {
	if !p.reference && !p.is(i, "h", "the", "first", "1st", "second", "2nd") {
		return term{}, 0, false
	}
	h, j := 0, i
	hasY, y := false, 0
	switch {
	case p.is(i, "h") && p.adj(i+1) && (p.is(i+1, "1") || p.is(i+1, "2")):
		h, j = p.toks[i+1].n, i+2
		if yy, k, ok := p.yearAfter(j, true); ok {
			hasY, y, j = true, yy, k
		}
	default:
		k := i
		if p.is(k, "the") {
			k++
		}
		k2, ok := p.seq(k, "first|1st|second|2nd", "half")
		if !ok {
			return term{}, 0, false
		}
		h, j = 1, k2
		if p.is(k, "second", "2nd") {
			h = 2
		}
		if !p.is(j, "of", "in") {
			return term{}, 0, false
		}
		box, k3, ok := p.container(j + 1)
		if !ok || box.grain != Year {
			return term{}, 0, false
		}
		hasY, y, j = true, box.start.Year(), k3
	}
	if !hasY {
		y = p.ref.Year()
	}
	s := time.Date(y, time.Month(6*h-5), 1, 0, 0, 0, 0, p.loc)
	e := addGrain(s, Month, 6)
	if !hasY && p.opts.FutureBias && !e.After(p.ref) {
		s, e = addGrain(s, Year, 1), addGrain(e, Year, 1)
	}
	st := strong
	if !hasY {
		st = latent // "H1" alone may be a heading or a visa
	}
	return anchorTerm(span{start: s, end: e, grain: Month, interval: true}, st), j, true
}

package when

import "time"

// atomDuration: in 3 days, 2 weeks ago, a week from Monday, 3 fridays from
// now, upcoming two weeks, in 3 business days.
func (p *parser) atomDuration(i int) (term, int, bool) {
	// Past "in" and "upcoming|coming|next", every form starts with a count
	// or a duration.
	if !p.reference && !p.has(i, cDurIn) && !p.countStart(i) {
		return term{}, 0, false
	}
	if p.is(i, "in") {
		if p.is(i+1, "about", "around", "approximately", "roughly", "approx") {
			if d, j, ok := p.duration(i + 2); ok {
				return anchorTerm(p.shift(d, 1), strong), j, true
			}
		}
		if d, j, ok := p.duration(i + 1); ok {
			if k, ok := p.seq(j, "?'", "?s", "time"); ok && p.is(k-1, "time") {
				j = k // "in two weeks' time"
			}
			return anchorTerm(p.shift(d, 1), strong), j, true
		}
		if n, ok := p.num(i + 1); ok && n <= 99 && len(p.toks[i+1].s) <= 2 && !p.is(i+2, ":", "/", "-", ".") && !p.unitFollows(i+2) {
			return anchorTerm(p.shift(dur{n: n, g: Minute}, 1), latent), i + 2, true
		}
		return term{}, 0, false
	}
	// upcoming two weeks, two upcoming weeks
	if p.is(i, "upcoming", "coming", "next") {
		if n, j, ok := p.count(i + 1); ok && n <= maxDurN {
			if g, ok := cycleWords[singular(tokS(p, j))]; ok && p.is(i, "upcoming") {
				return anchorTerm(unit(p.ref, g, n), strong), j + 1, true
			}
		}
	}
	if n, j, ok := p.count(i); ok && n <= maxDurN && p.is(j, "upcoming") {
		if g, ok := cycleWords[singular(tokS(p, j+1))]; ok {
			return anchorTerm(unit(p.ref, g, n), strong), j + 2, true
		}
	}
	// 3 fridays from now, 2 thursdays ago
	if n, j, ok := p.count(i); ok && n >= 1 && n <= 520 {
		if d, ok := pluralWeekdays[tokS(p, j)]; ok {
			if k, ok := p.seq(j+1, "from", "now|today"); ok {
				c := civilOf(p.ref)
				for cnt := 0; cnt < n; {
					c = c.next()
					if c.wd == d {
						cnt++
					}
				}
				return anchorTerm(dayAt(c.at(p.loc), Day), strong), k, true
			}
			if k, ok := p.seq(j+1, "ago|back"); ok {
				c := civilOf(p.ref)
				for cnt := 0; cnt < n; {
					c = c.prev()
					if c.wd == d {
						cnt++
					}
				}
				t := anchorTerm(dayAt(c.at(p.loc), Day), strong)
				t.explicit = true
				return t, k, true
			}
		}
	}
	d, j, ok := p.duration(i)
	if !ok {
		return term{}, 0, false
	}
	switch {
	case p.is(j, "ago", "back", "earlier"):
		t := anchorTerm(p.shift(d, -1), strong)
		t.explicit = true
		return t, j + 1, true
	case p.is(j, "hence", "later"):
		return anchorTerm(p.shift(d, 1), strong), j + 1, true
	}
	if k, ok := p.seq(j, "from", "?right", "now"); ok {
		s := exact(p.ref, d, 1, p.opts)
		s = truncate(s, Second)
		return anchorTerm(span{start: s, end: s.Add(time.Second), grain: Second}, strong), k, true
	}
	// British: "a week on Monday", "a week today", "a fortnight tomorrow"
	weeks := d.g == Week || d.g == Day && d.n%7 == 0
	weekOn := weeks && p.is(j, "on")
	st := strong
	if weeks && p.is(j, "today", "tomorrow") {
		// latent: "it has been three weeks today" is no date
		weekOn, j, st = true, j-1, latent
	}
	if p.is(j, "from", "after", "before", "past") || weekOn {
		sign := 1
		if p.is(j, "before") {
			sign = -1
		}
		t, k, ok := p.compound(j + 1)
		if !ok {
			return term{}, 0, false
		}
		from := p.ref
		if t.yearly() {
			// Duckling shifts every occurrence of a yearly date and takes
			// the first that ends after now: "a year after Christmas"
			// said in February is this coming Christmas.
			from = exact(p.ref, d, -sign, p.opts)
		}
		v, ok := p.resolve(t, from)
		if !ok {
			return term{}, 0, false
		}
		s := exact(v.start, d, sign, p.opts)
		return anchorTerm(span{start: s, end: addGrain(s, v.grain, 1), grain: v.grain}, st), k, true
	}
	return term{}, 0, false
}

func singular(s string) string {
	if len(s) > 2 && s[len(s)-1] == 's' {
		return s[:len(s)-1]
	}
	return s
}

// container reads the period in "first Monday of X": a month, a year, this
// month, next year…
func (p *parser) container(i int) (span, int, bool) {
	j := i
	if p.is(j, "around") {
		j++
	}
	if n, k, ok := p.relWord(j); ok {
		if g, ok := cycleWords[tokS(p, k)]; ok && g >= Week {
			return unit(p.ref, g, n), k + 1, true
		}
	}
	if k, ok := p.seq(j, "the", "month|year|week|quarter"); ok {
		return unit(p.ref, cycleWords[tokS(p, k-1)], 0), k, true
	}
	if m, k, ok := p.monthWord(j); ok {
		t := term{month: m}
		if y, k2, ok := p.yearAfter(k, false); ok {
			t.year, t.hasYear = y, true
			k = k2
		}
		v, ok := p.resolve(t, p.ref)
		if !ok {
			return span{}, 0, false
		}
		return span{start: v.start, end: v.end, grain: Month}, k, true
	}
	if t, k, ok := p.atomQuarter(j); ok && t.anchor != nil {
		return *t.anchor, k, true
	}
	if n, ok := p.num(j); ok && len(p.toks[j].s) == 4 && n >= 1000 {
		s := time.Date(n, 1, 1, 0, 0, 0, 0, p.loc)
		return span{start: s, end: addGrain(s, Year, 1), grain: Year}, j + 1, true
	}
	return span{}, 0, false
}

// atomNthOf: first Tuesday of October, last Monday of March, third day of
// October, 2nd last week of October 2018, last weekend of July, 20th of
// next month, third Tuesday after Christmas 2014.
func (p *parser) atomNthOf(i int) (term, int, bool) {
	// Every form starts with "the", "last", a number or an ordinal word.
	if !p.reference && !p.isNum(i) && !p.has(i, cOrdinal) && !p.is(i, "the", "last") {
		return term{}, 0, false
	}
	j := i
	if p.is(j, "the") {
		j++
	}
	n, k, ok := p.ordinal(j)
	last := false
	switch {
	case ok:
		if p.is(k, "last") {
			last, k = true, k+1
		}
	case p.is(j, "last"):
		n, k, last = 1, j+1, true
	default:
		if nn, ok := p.num(j); ok && len(p.toks[j].s) <= 2 && p.is(j+1, "of") {
			n, k = nn, j+1
		} else {
			return term{}, 0, false
		}
	}
	if n < 1 || n > 60 {
		return term{}, 0, false
	}
	// what is counted
	what, d := "", 0
	if dd, k2, _, ok := p.dowWord(k); ok {
		what, d, k = "dow", dd, k2
	} else if k2, ok := p.weekendWord(k); ok {
		what, k = "weekend", k2
	} else if p.is(k, "day", "week", "month") || p.is(k, "quarter") && last {
		what, k = tokS(p, k), k+1
	} else if p.is(k, "of") && !last {
		what = "dom"
	} else {
		return term{}, 0, false
	}
	// third Tuesday after Christmas
	if what == "dow" && !last && p.is(k, "after") {
		t, k2, ok := p.compound(k + 1)
		if !ok {
			return term{}, 0, false
		}
		v, ok := p.resolve(t, p.ref)
		if !ok {
			return term{}, 0, false
		}
		c := civilOf(v.start)
		for cnt := 0; cnt < n; {
			c = c.next()
			if c.wd == d {
				cnt++
			}
		}
		return anchorTerm(dayAt(c.at(p.loc), Day), strong), k2, true
	}
	if !p.is(k, "of", "in", "from") {
		return term{}, 0, false
	}
	box, k2, ok := p.container(k + 1)
	if !ok {
		return term{}, 0, false
	}
	var s span
	switch what {
	case "dom":
		if box.grain != Month || n > 31 {
			return term{}, 0, false
		}
		day := addGrain(box.start, Day, n-1)
		if !day.Before(box.end) {
			return term{}, 0, false
		}
		s = dayAt(day, Day)
	case "day":
		day := addGrain(box.start, Day, n-1)
		if last {
			day = addGrain(box.end, Day, -n)
		}
		if day.Before(box.start) || !day.Before(box.end) {
			return term{}, 0, false
		}
		s = dayAt(day, Day)
	case "dow", "weekend":
		if what == "weekend" {
			d = 5
		}
		var days []time.Time
		for c, i := civilOf(box.start), 0; i < 400 && c.at(p.loc).Before(box.end); c, i = c.next(), i+1 {
			if c.wd == d {
				days = append(days, c.at(p.loc))
			}
		}
		idx := n - 1
		if last {
			idx = len(days) - n
		}
		if idx < 0 || idx >= len(days) {
			return term{}, 0, false
		}
		s = dayAt(days[idx], Day)
		if what == "weekend" {
			s = p.weekend(truncate(days[idx], Week))
		}
	case "month", "quarter":
		// the first month of 2014, the last quarter of next year
		g := cycleWords[what]
		if g >= box.grain {
			return term{}, 0, false
		}
		first := addGrain(box.start, g, n-1)
		if last {
			first = addGrain(box.end, g, -n)
		}
		if first.Before(box.start) || !first.Before(box.end) {
			return term{}, 0, false
		}
		s = dayAt(first, g)
	case "week":
		var weeks []time.Time
		w := truncate(box.start, Week)
		if w.Before(box.start) {
			w = addGrain(w, Week, 1)
		}
		for i := 0; i < 60 && !addGrain(w, Week, 1).After(box.end); i++ {
			weeks = append(weeks, w)
			w = addGrain(w, Week, 1)
		}
		idx := n - 1
		if last {
			idx = len(weeks) - n
		}
		if idx < 0 || idx >= len(weeks) {
			return term{}, 0, false
		}
		s = dayAt(weeks[idx], Week)
	}
	return anchorTerm(s, strong), k2, true
}

// atomEdge: end of the month, EOM, beginning of next week, early March,
// end of 2012.
func (p *parser) atomEdge(i int) (term, int, bool) {
	j := i
	if p.is(j, "the") {
		j++
	}
	part := ""
	switch tokS(p, j) {
	case "eom":
		return anchorTerm(p.edge(unit(p.ref, Month, 0), "end"), strong), j + 1, true
	case "bom":
		return anchorTerm(p.edge(unit(p.ref, Month, 0), "begin"), strong), j + 1, true
	case "eoy":
		return anchorTerm(p.edge(unit(p.ref, Year, 0), "end"), strong), j + 1, true
	case "boy":
		return anchorTerm(p.edge(unit(p.ref, Year, 0), "begin"), strong), j + 1, true
	case "eow":
		return anchorTerm(p.edge(unit(p.ref, Week, 0), "end"), strong), j + 1, true
	case "end":
		part = "end"
	case "beginning", "start":
		part = "begin"
	case "middle":
		part = "mid"
	case "midweek", "midmonth", "midyear":
		g := cycleWords[tokS(p, j)[3:]]
		return anchorTerm(p.edge(unit(p.ref, g, 0), "mid"), strong), j + 1, true
	case "later":
		if k, ok := p.seq(j+1, "this", "week"); ok {
			return anchorTerm(p.edge(unit(p.ref, Week, 0), "end"), strong), k, true
		}
		if k, ok := p.seq(j+1, "today"); ok {
			// the rest of today
			s := truncate(p.ref, Second)
			return anchorTerm(span{start: s, end: p.today(1).start, grain: Second, interval: true}, strong), k, true
		}
		if k, ok := p.seq(j+1, "this|in|the", "?the", "month|year"); ok {
			g := cycleWords[tokS(p, k-1)]
			return anchorTerm(span{start: p.today(0).start, end: unit(p.ref, g, 1).start, grain: Day, interval: true}, strong), k, true
		}
		return term{}, 0, false
	case "early", "mid", "late":
		part = map[string]string{"early": "begin", "mid": "mid", "late": "end"}[tokS(p, j)]
		k := j + 1
		if p.is(k, "-") {
			k++
		}
		if p.is(k, "of") && !p.is(k+1, "the", "this", "next", "last") {
			k++ // "late of March"
		}
		if box, k2, ok := p.container(k); ok {
			if e := p.edge(box, part); !e.start.IsZero() {
				return anchorTerm(e, strong), k2, true
			}
		}
		if g, ok := cycleWords[tokS(p, k)]; ok && g >= Week && (k > j+1 || !p.adj(k)) {
			// mid-month, mid-year, early week
			if e := p.edge(unit(p.ref, g, 0), part); !e.start.IsZero() {
				return anchorTerm(e, strong), k + 1, true
			}
		}
		if m, k2, ok := p.monthWord(k); ok {
			t := term{month: m}
			if y, k3, ok := p.yearAfter(k2, false); ok {
				t.year, t.hasYear = y, true
				k2 = k3
			}
			v, ok := p.resolve(t, p.ref)
			if !ok {
				return term{}, 0, false
			}
			return anchorTerm(p.edge(span{start: v.start, end: v.end, grain: Month}, part), strong), k2, true
		}
		return term{}, 0, false
	default:
		return term{}, 0, false
	}
	k, ok := p.seq(j+1, "of")
	if !ok {
		return term{}, 0, false
	}
	box, k2, ok := p.container(k)
	if !ok {
		if k3, ok := p.seq(k, "?the", "month|year|week"); ok {
			box, k2 = unit(p.ref, cycleWords[tokS(p, k3-1)], 0), k3
		} else {
			return term{}, 0, false
		}
	}
	s := p.edge(box, part)
	if s.start.IsZero() {
		return term{}, 0, false
	}
	return anchorTerm(s, strong), k2, true
}

// edge returns the beginning, middle or end of a week, month or year, as
// Duckling does: weeks Mon-Wed and Fri-Sun, months days 1-10, 11-20 and 21
// on, years the first three and last four months.
func (p *parser) edge(box span, part string) span {
	switch box.grain {
	case Week:
		switch part {
		case "begin":
			return span{start: box.start, end: addGrain(box.start, Day, 3), grain: Day, interval: true}
		case "mid":
			// not in Duckling: Tuesday to Thursday
			return span{start: addGrain(box.start, Day, 1), end: addGrain(box.start, Day, 4), grain: Day, interval: true}
		case "end":
			return span{start: addGrain(box.start, Day, 4), end: box.end, grain: Day, interval: true}
		}
	case Month:
		switch part {
		case "begin":
			return span{start: box.start, end: addGrain(box.start, Day, 10), grain: Day, interval: true}
		case "mid":
			return span{start: addGrain(box.start, Day, 10), end: addGrain(box.start, Day, 20), grain: Day, interval: true}
		case "end":
			return span{start: addGrain(box.start, Day, 20), end: box.end, grain: Day, interval: true}
		}
	case Year:
		switch part {
		case "begin":
			return span{start: box.start, end: addGrain(box.start, Month, 3), grain: Month, interval: true}
		case "mid":
			return span{start: addGrain(box.start, Month, 4), end: addGrain(box.start, Month, 8), grain: Month, interval: true}
		case "end":
			return span{start: addGrain(box.start, Month, 8), end: box.end, grain: Month, interval: true}
		}
	case Quarter:
		switch part {
		case "begin":
			return span{start: box.start, end: addGrain(box.start, Month, 1), grain: Month, interval: true}
		case "end":
			return span{start: addGrain(box.start, Month, 2), end: box.end, grain: Month, interval: true}
		}
	}
	return span{}
}

// atomQuarter: Q3, Q3 2014, 2018Q4, 18q4, 3rd quarter, the 4th qtr of
// 2018.
func (p *parser) atomQuarter(i int) (term, int, bool) {
	// Every form starts with "q", "the", a number or an ordinal word.
	if !p.reference && !p.isNum(i) && !p.has(i, cOrdinal) && !p.is(i, "q", "the") {
		return term{}, 0, false
	}
	q, y, hasY := 0, 0, false
	j := i
	switch {
	case p.is(i, "q") && p.adj(i+1):
		n, ok := p.num(i + 1)
		if !ok {
			return term{}, 0, false
		}
		q, j = n, i+2
		if yy, k, ok := p.yearAfter(j, true); ok {
			y, hasY, j = yy, true, k
		} else if p.is(j, "'") || p.is(j, "fy") {
			// not handled
		}
	case i < len(p.toks) && p.toks[i].num && len(p.toks[i].s) == 4 && p.is(i+1, "q") && !p.adj(i+1) && p.adj(i+2):
		// 2018 Q4
		n, ok := p.num(i + 2)
		if !ok {
			return term{}, 0, false
		}
		y, hasY, q, j = p.toks[i].n, true, n, i+3
	case i < len(p.toks) && p.toks[i].num && p.is(i+1, "q") && p.adj(i+1) && p.adj(i+2):
		n, ok := p.num(i + 2)
		if !ok {
			return term{}, 0, false
		}
		y, hasY, q, j = p.toks[i].n, true, n, i+3
		switch len(p.toks[i].s) {
		case 2:
			y = 2000 + y
		case 4:
		default:
			return term{}, 0, false
		}
	default:
		k := i
		if p.is(k, "the") {
			k++
		}
		n, k2, ok := p.ordinal(k)
		if !ok || !p.is(k2, "quarter", "qtr") {
			return term{}, 0, false
		}
		q, j = n, k2+1
		k3 := j
		if p.is(k3, "of") {
			k3++
		}
		if yy, k4, ok := p.yearAfter(k3, true); ok {
			y, hasY, j = yy, true, k4
		}
	}
	if q < 1 || q > 4 {
		return term{}, 0, false
	}
	if !hasY && p.is(j, "of") {
		// Q4 of 2014, the second quarter of next year
		if box, k, ok := p.container(j + 1); ok && box.grain == Year {
			y, hasY, j = box.start.Year(), true, k
		}
	}
	if !hasY {
		y = p.ref.Year()
	}
	s := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, p.loc)
	e := addGrain(s, Quarter, 1)
	if !hasY && p.opts.FutureBias && !e.After(p.ref) {
		s, e = addGrain(s, Year, 1), addGrain(e, Year, 1)
	}
	t := anchorTerm(span{start: s, end: e, grain: Quarter}, strong)
	t.explicit = hasY
	return t, j, true
}

// atomWeekOf: the week of October 7th.
func (p *parser) atomWeekOf(i int) (term, int, bool) {
	if !p.reference && !p.is(i, "the", "week") {
		return term{}, 0, false
	}
	j, ok := p.seq(i, "?the", "week", "of")
	if !ok || j == i {
		return term{}, 0, false
	}
	t, k, ok := p.compound(j)
	if !ok {
		return term{}, 0, false
	}
	v, ok := p.resolve(t, p.ref)
	if !ok {
		return term{}, 0, false
	}
	return anchorTerm(dayAt(v.start, Week), strong), k, true
}

// special parses values that are not a single constrained time: "next 3
// days", "last 2 weeks", "4pm for 30 mins", "for 10 days from 18th Dec".
func (p *parser) special(i int) (val, int, bool) {
	j := i
	if p.is(j, "in", "during", "over", "for", "within") {
		j++
	}
	if p.is(j, "the") {
		j++
	}
	if p.is(j, "next", "last", "past", "previous", "coming", "following") {
		if n, k, ok := p.count(j + 1); ok && n >= 1 && n <= maxDurN {
			if g, ok := cycleWords[singular(tokS(p, k))]; ok {
				var s, e time.Time
				if p.is(j, "last", "past", "previous") {
					s, e = unit(p.ref, g, -n).start, unit(p.ref, g, 0).start
				} else {
					s, e = unit(p.ref, g, 1).start, unit(p.ref, g, n+1).start
				}
				return val{start: s, end: e, grain: g, interval: true, strength: strong}, k + 1, true
			}
		}
	}
	// for DUR from X / for DUR starting from X
	if p.is(i, "for") {
		if d, k, ok := p.duration(i + 1); ok {
			if k2, ok := p.seq(k, "?starting|beginning", "from|on|at"); ok && k2 > k || p.is(k, "starting") {
				if k2 == k {
					k2 = k + 1
				}
				t, k3, ok := p.compound(k2)
				if ok {
					if v, ok := p.withDuration(t, d); ok {
						return v, k3, true
					}
				}
			}
		}
	}
	// [from] X for DUR
	k := i
	if p.is(k, "from", "starting") {
		k++
	}
	t, k2, ok := p.compound(k)
	if ok && p.is(k2, "for") {
		if d, k3, ok := p.duration(k2 + 1); ok {
			if v, ok := p.withDuration(t, d); ok {
				return v, k3, true
			}
		}
	}
	return val{}, 0, false
}

func (p *parser) withDuration(t term, d dur) (val, bool) {
	v, ok := p.resolve(t, p.ref)
	if !ok || d.biz {
		return val{}, false
	}
	g := min(v.grain, d.g)
	last := exact(v.start, d, 1, p.opts)
	return val{start: v.start, end: addGrain(last, g, 1), grain: g, interval: true, strength: strong}, true
}

package when

import (
	"time"
)

// Strength of a match: weak matches never stand alone, latent ones stand
// alone only as the whole input of Resolve, strong ones are found in
// sentences.
const (
	weak = iota
	latent
	strong
)

// val is a resolved value.
type val struct {
	start, end time.Time
	grain      Grain
	interval   bool
	open       Direction
	deadline   bool
	strength   int
}

// span is a concrete period, end exclusive.
type span struct {
	start, end time.Time
	grain      Grain
	interval   bool
	deadline   bool
	soft       bool // "this morning", "tonight": dropped when a time of day is given
}

// tod is a time of day.
type tod struct {
	h, m, s int
	is12    bool // the hour may be a.m. or p.m.
	grain   Grain
	ampm    int // 0 unknown, amAM, amPM
	bare    bool
	num     int // value of a bare number, for reading it as a day of month
}

const (
	amAM = 1
	amPM = 2
)

// pod is a part of the day, in minutes from midnight.
type pod struct {
	from, to int
	ampm     int
}

// term is an unresolved expression: constraints to search for, optionally
// within a concrete anchor period.
type term struct {
	year     int
	hasYear  bool
	month    int
	dom      int
	dow      int
	hasDow   bool
	notImm   bool
	tod      *tod
	pod      *pod
	anchor   *span
	zone     *time.Location
	strength int
	deadline bool
	explicit bool // an explicit year or past: no future bias
	hol      *holiday
}

func (t term) hasDate() bool {
	return t.hasYear || t.month > 0 || t.dom > 0 || t.hasDow || t.hol != nil
}

// yearly reports a date that recurs once a year ("Christmas", "March 3").
func (t term) yearly() bool {
	return (t.hol != nil || t.month > 0 && t.dom > 0) && !t.hasYear && !t.hasDow && t.anchor == nil && t.tod == nil && t.pod == nil
}

func (t term) empty() bool {
	return !t.hasDate() && t.tod == nil && t.pod == nil && t.anchor == nil && t.zone == nil
}

// merge combines two terms that constrain the same time; false on a
// conflict.
func merge(a, b term) (term, bool) {
	if a.empty() {
		return b, true
	}
	r := a
	if b.hasYear {
		if a.hasYear && a.year != b.year {
			return a, false
		}
		r.hasYear, r.year = true, b.year
	}
	if b.month > 0 {
		if a.month > 0 && a.month != b.month {
			return a, false
		}
		r.month = b.month
	}
	if b.dom > 0 {
		if a.dom > 0 && a.dom != b.dom {
			return a, false
		}
		r.dom = b.dom
	}
	if b.hasDow {
		if a.hasDow && a.dow != b.dow {
			return a, false
		}
		r.hasDow, r.dow = true, b.dow
		r.notImm = r.notImm || b.notImm
	}
	if b.hol != nil {
		if a.hol != nil && a.hol != b.hol {
			return a, false
		}
		r.hol = b.hol
	}
	if b.tod != nil {
		if a.tod != nil {
			return a, false
		}
		r.tod = b.tod
	}
	if b.pod != nil {
		if a.pod != nil {
			return a, false
		}
		r.pod = b.pod
	}
	if b.zone != nil {
		if a.zone != nil || r.tod == nil {
			return a, false
		}
		r.zone = b.zone
	}
	if b.anchor != nil {
		switch {
		case a.anchor == nil:
			r.anchor = b.anchor
		case within(*b.anchor, *a.anchor) && b.anchor.grain <= a.anchor.grain:
			r.anchor = b.anchor
		case within(*a.anchor, *b.anchor):
			// keep a's finer anchor
		default:
			return a, false
		}
	}
	if r.anchor != nil && r.anchor.interval && r.anchor.grain < Day && (r.tod != nil || r.pod != nil) {
		return a, false
	}
	r.strength = max(a.strength, b.strength)
	r.deadline = a.deadline || b.deadline
	r.explicit = a.explicit || b.explicit
	return r, true
}

func within(inner, outer span) bool {
	return !inner.start.Before(outer.start) && !inner.end.After(outer.end)
}

// civil is a calendar day with its weekday.
type civil struct {
	y  int
	m  time.Month
	d  int
	wd int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d, int(t.Weekday())}
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func (c civil) next() civil {
	c.d++
	if c.d > daysIn(c.y, c.m) {
		c.d = 1
		c.m++
		if c.m > 12 {
			c.m = 1
			c.y++
		}
	}
	c.wd = (c.wd + 1) % 7
	return c
}

func (c civil) prev() civil {
	c.d--
	if c.d < 1 {
		c.m--
		if c.m < 1 {
			c.m = 12
			c.y--
		}
		c.d = daysIn(c.y, c.m)
	}
	c.wd = (c.wd + 6) % 7
	return c
}

func (c civil) at(loc *time.Location) time.Time {
	return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, loc)
}

func (t term) matchDay(c civil) bool {
	if t.hasYear && c.y != t.year {
		return false
	}
	if t.month > 0 && int(c.m) != t.month {
		return false
	}
	if t.dom > 0 && c.d != t.dom {
		return false
	}
	if t.hasDow && c.wd != t.dow {
		return false
	}
	if t.hol != nil {
		m, d := t.hol.date(c.y)
		if c.m != m || c.d != d {
			return false
		}
	}
	return true
}

// hours lists the clock hours a time of day may mean, ascending.
func (t *tod) hours() []int {
	if t.is12 && t.h >= 1 && t.h <= 11 {
		return []int{t.h, t.h + 12}
	}
	if t.is12 && t.h == 12 {
		return []int{0, 12}
	}
	return []int{t.h}
}

// withPod settles a.m./p.m. from a part of the day.
func (t *tod) withPod(p *pod) *tod {
	if p == nil || !t.is12 || t.ampm != 0 || p.ampm == 0 {
		return t
	}
	c := *t
	c.is12 = false
	switch {
	case p.ampm == amAM && c.h == 12:
		c.h = 0
	case p.ampm == amPM && c.h < 12:
		c.h += 12
	case p.ampm == amPM && c.h == 12 && p.from >= 18*60:
		c.h = 0
	}
	return &c
}

func addGrain(t time.Time, g Grain, n int) time.Time {
	switch g {
	case Second:
		return t.Add(time.Duration(n) * time.Second)
	case Minute:
		return t.Add(time.Duration(n) * time.Minute)
	case Hour:
		return t.Add(time.Duration(n) * time.Hour)
	case Day:
		y, m, d := t.Date()
		h, mi, s := t.Clock()
		return time.Date(y, m, d+n, h, mi, s, t.Nanosecond(), t.Location())
	case Week:
		return addGrain(t, Day, 7*n)
	case Month:
		return addMonths(t, n)
	case Quarter:
		return addMonths(t, 3*n)
	case Year:
		return addMonths(t, 12*n)
	}
	return t
}

// addMonths adds n calendar months, clamping the day to the month's length.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	total := y*12 + int(m) - 1 + n
	ny, nm := total/12, time.Month(total%12+1)
	if total < 0 {
		ny, nm = (total-11)/12, time.Month((total%12+12)%12+1)
	}
	if dm := daysIn(ny, nm); d > dm {
		d = dm
	}
	return time.Date(ny, nm, d, h, mi, s, t.Nanosecond(), t.Location())
}

// truncate returns the start of the grain unit containing t.
func truncate(t time.Time, g Grain) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	loc := t.Location()
	switch g {
	case Second:
		return time.Date(y, m, d, h, mi, s, 0, loc)
	case Minute:
		return time.Date(y, m, d, h, mi, 0, 0, loc)
	case Hour:
		return time.Date(y, m, d, h, 0, 0, 0, loc)
	case Day:
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case Week:
		off := (int(t.Weekday()) + 6) % 7
		return time.Date(y, m, d-off, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case Quarter:
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	case Year:
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	}
	return t
}

// unit returns the n-th grain unit after the one containing t.
func unit(t time.Time, g Grain, n int) span {
	s := addGrain(truncate(t, g), g, n)
	return span{start: s, end: addGrain(s, g, 1), grain: g}
}

func dayAt(t time.Time, g Grain) span { return unit(t, g, 0) }

// finer is the grain Duckling gives a value shifted by a duration of grain g.
func finer(g Grain) Grain {
	switch g {
	case Second:
		return Second
	case Year:
		return Month
	case Month, Quarter:
		return Day
	case Week:
		return Day
	}
	return g - 1
}

// searchDays bounds the day-by-day search for a date pattern.
const searchDays = 5 * 366

// resolve finds the first instance of t whose end is after from.
func (p *parser) resolve(t term, from time.Time) (val, bool) {
	loc := p.loc
	if t.zone != nil {
		loc = t.zone
		from = from.In(loc)
	}
	s, ok := p.resolveIn(t, from, loc)
	if !ok {
		return val{}, false
	}
	v := val{start: s.start.In(p.loc), end: s.end.In(p.loc), grain: s.grain, interval: s.interval, strength: t.strength, deadline: t.deadline || s.deadline}
	if t.zone != nil && v.grain > Minute {
		v.grain = Minute
	}
	return v, true
}

func (p *parser) resolveIn(t term, from time.Time, loc *time.Location) (span, bool) {
	tt := t.tod
	if tt != nil {
		tt = tt.withPod(t.pod)
	}
	if t.anchor != nil {
		base := *t.anchor
		base.start, base.end = base.start.In(loc), base.end.In(loc)
		if base.soft && tt != nil && !t.hasDate() {
			t.anchor = nil
			return p.resolveIn(t, from, loc)
		}
		if !t.hasDate() && tt == nil && t.pod == nil {
			return base, true
		}
		if t.month > 0 && t.dom == 0 && !t.hasDow && tt == nil && t.pod == nil {
			y := base.start.Year()
			if base.grain < Year && base.grain >= Month {
				// "March in 1 year": the month of that year
			}
			if t.hasYear {
				y = t.year
			}
			s := time.Date(y, time.Month(t.month), 1, 0, 0, 0, 0, loc)
			return span{start: s, end: addGrain(s, Month, 1), grain: Month}, true
		}
		if t.hasDate() {
			g := base.grain
			switch {
			case (t.month > 0 || t.hol != nil) && g < Year:
				base = dayAt(base.start, Year)
			case t.dom > 0 && g < Month:
				base = dayAt(base.start, Month)
			case t.hasDow && g < Week:
				base = dayAt(base.start, Week)
			}
		} else if base.grain < Day {
			base = dayAt(base.start, Day)
		}
		c := civilOf(base.start)
		for i := 0; i < 400; i++ {
			day := c.at(loc)
			if !day.Before(base.end) {
				break
			}
			if t.matchDay(c) {
				if s, ok := inDay(t, tt, c, loc, base.start); ok && s.start.Before(base.end) {
					return s, true
				}
			}
			c = c.next()
		}
		return span{}, false
	}
	if t.hasDate() {
		return p.searchDate(t, tt, from, loc)
	}
	if tt != nil || t.pod != nil {
		c := civilOf(from)
		for i := 0; i < 3; i++ {
			if s, ok := inDay(t, tt, c, loc, from); ok {
				return s, true
			}
			c = c.next()
		}
	}
	return span{}, false
}

// inDay returns the instance of the time of day or part of day on day c
// that ends after from (or the day itself when t has neither).
func inDay(t term, tt *tod, c civil, loc *time.Location, from time.Time) (span, bool) {
	if tt != nil {
		for _, h := range tt.hours() {
			s := time.Date(c.y, c.m, c.d, h, tt.m, tt.s, 0, loc)
			e := addGrain(s, tt.grain, 1)
			if e.After(from) {
				return span{start: s, end: e, grain: tt.grain}, true
			}
		}
		return span{}, false
	}
	if t.pod != nil {
		s := time.Date(c.y, c.m, c.d, 0, t.pod.from, 0, 0, loc)
		e := time.Date(c.y, c.m, c.d, 0, t.pod.to, 0, 0, loc)
		if e.After(from) {
			return span{start: s, end: e, grain: Hour, interval: true}, true
		}
		return span{}, false
	}
	s := c.at(loc)
	e := time.Date(c.y, c.m, c.d+1, 0, 0, 0, 0, loc)
	return span{start: s, end: e, grain: Day}, e.After(from)
}

func (p *parser) searchDate(t term, tt *tod, from time.Time, loc *time.Location) (span, bool) {
	// Year or month only.
	if t.dom == 0 && !t.hasDow && t.hol == nil && tt == nil && t.pod == nil {
		if t.hasYear && t.month == 0 {
			s := time.Date(t.year, 1, 1, 0, 0, 0, 0, loc)
			return span{start: s, end: addGrain(s, Year, 1), grain: Year}, true
		}
		if t.hasYear {
			s := time.Date(t.year, time.Month(t.month), 1, 0, 0, 0, 0, loc)
			return span{start: s, end: addGrain(s, Month, 1), grain: Month}, true
		}
		cur := dayAt(from, Month)
		if t.notImm {
			cur = unit(from, Month, 1)
		}
		for i := 0; i < 13; i++ {
			if int(cur.start.Month()) == t.month {
				return cur, true
			}
			cur = unit(cur.start, Month, 1)
		}
		return span{}, false
	}
	if t.hasYear {
		c := civil{t.year, 1, 1, 0}
		if t.month > 0 {
			c.m = time.Month(t.month)
		}
		c.wd = int(c.at(loc).Weekday())
		for i := 0; i < 366 && c.y == t.year; i++ {
			if t.matchDay(c) {
				if s, ok := inDay(t, tt, c, loc, time.Time{}); ok {
					return s, true
				}
			}
			c = c.next()
		}
		return span{}, false
	}
	start := civilOf(from)
	c := start
	if t.notImm {
		c = c.next()
	}
	limit := searchDays
	if p.opts.FutureBias {
		limit = 12 * 366 // a weekday and date recur within 11 years
	}
	for i := 0; i < limit; i++ {
		if t.matchDay(c) {
			if s, ok := inDay(t, tt, c, loc, from); ok {
				return s, true
			}
		}
		c = c.next()
	}
	if p.opts.FutureBias {
		return span{}, false
	}
	c = start.prev()
	for i := 0; i < searchDays; i++ {
		if t.matchDay(c) {
			if s, ok := inDay(t, tt, c, loc, time.Time{}); ok {
				return s, true
			}
		}
		c = c.prev()
	}
	return span{}, false
}

// resolvePast finds the latest instance of a date pattern that starts
// before the reference ("since Monday").
func (p *parser) resolvePast(t term) (val, bool) {
	if !t.hasDate() || t.tod != nil || t.pod != nil || t.zone != nil {
		return val{}, false
	}
	c := civilOf(p.ref)
	for i := 0; i < searchDays; i++ {
		if t.matchDay(c) {
			s, _ := inDay(t, nil, c, p.loc, time.Time{})
			if t.dom == 0 && !t.hasDow && t.hol == nil {
				s = dayAt(s.start, Month)
			}
			if s.start.Before(p.ref) {
				return val{start: s.start, end: s.end, grain: s.grain, strength: t.strength}, true
			}
		}
		c = c.prev()
	}
	return val{}, false
}

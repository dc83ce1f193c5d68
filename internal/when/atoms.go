package when

import (
	"strings"
	"time"
)

func anchorTerm(s span, strength int) term {
	return term{anchor: &s, strength: strength}
}

func (p *parser) today(n int) span { return unit(p.ref, Day, n) }

// nightPod and latePod are the parts of day of "tonight" and "late
// tonight"; made only when they match.
func nightPod() *pod { return &pod{from: 18 * 60, to: 24 * 60, ampm: amPM} }
func latePod() *pod  { return &pod{from: 21 * 60, to: 24 * 60, ampm: amPM} }

// relDayFirst and cycleFirst are the words atomRelDay and atomCycle can
// start with (the first words of their patterns, optional ones included,
// and of relWord, weekendWord and season); for any other token they skip
// the patterns. A test compares Find with and without (vocab_test.go).
var (
	relDayFirst = wordSet("right just now immediately at the next following this day late last " +
		"tonight tonite tonights tonites tonigth today todays tday tdy tomorrow tomorrows tmrw tmr " +
		"tomorow tommorow tommorrow yesterday yesterdays yday")
	cycleFirst = wordSet("all the weekend wkend weekends wkends week spring summer fall autumn winter " +
		"season seasons month year quarter day this current present next coming upcoming following " +
		"last past previous prior preceding")
)

// relWordFirst are the words relWord can start with.
var relWordFirst = wordSet("this the current present next coming upcoming following last past previous prior preceding")

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// atomRelDay: now, today, tomorrow, yesterday, tonight, the day after
// tomorrow, last night.
func (p *parser) atomRelDay(i int) (term, int, bool) {
	if !p.reference && !p.has(i, cRelDay) {
		return term{}, 0, false
	}
	if j, ok := p.seq(i, "?right|just", "now"); ok && j > i || p.is(i, "immediately") {
		if j <= i {
			j = i + 1
		}
		return anchorTerm(span{start: p.ref, end: p.ref.Add(time.Second), grain: Second}, strong), j, true
	}
	if j, ok := p.seq(i, "?at", "the", "moment"); ok && j > i+1 {
		return anchorTerm(span{start: p.ref, end: p.ref.Add(time.Second), grain: Second}, strong), j, true
	}
	if j, ok := p.seq(i, "?the", "next|following", "business|working|work", "day"); ok && j > i+2 {
		s := truncate(AddBusinessDays(p.ref, 1, p.opts), Day)
		return anchorTerm(span{start: s, end: addGrain(s, Day, 1), grain: Day}, strong), j, true
	}
	if j, ok := p.seq(i, "this", "time"); ok {
		return anchorTerm(p.today(0), strong), j, true
	}
	if j, ok := p.seq(i, "?the", "day", "after", "tomorrow"); ok && j > i+2 {
		return anchorTerm(p.today(2), strong), j, true
	}
	if j, ok := p.seq(i, "?the", "day", "before", "yesterday"); ok && j > i+2 {
		return anchorTerm(p.today(-2), strong), j, true
	}
	if j, ok := p.seq(i, "?late", "tonight|tonite|tonights|tonites|tonigth"); ok && j > i {
		s := p.today(0)
		s.soft = true
		t := anchorTerm(s, strong)
		t.pod = nightPod()
		if j == i+2 {
			t.pod = latePod()
		}
		return t, j, true
	}
	if j, ok := p.seq(i, "?late", "last", "night"); ok && j > i+1 {
		t := anchorTerm(p.today(-1), strong)
		t.pod = nightPod()
		if j == i+3 {
			t.pod = latePod()
		}
		return t, j, true
	}
	switch p.toks[i].s {
	case "today", "todays", "tday", "tdy":
		return anchorTerm(p.today(0), strong), i + 1, true
	case "tomorrow", "tomorrows", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow":
		return anchorTerm(p.today(1), strong), i + 1, true
	case "yesterday", "yesterdays", "yday":
		return anchorTerm(p.today(-1), strong), i + 1, true
	}
	return term{}, 0, false
}

var cycleWords = map[string]Grain{
	"week": Week, "month": Month, "quarter": Quarter, "qtr": Quarter,
	"year": Year, "yr": Year, "day": Day, "hour": Hour, "minute": Minute,
	"second": Second, "sec": Second,
}

// relWord reads this/next/last and their synonyms.
func (p *parser) relWord(i int) (int, int, bool) {
	if j, ok := p.seq(i, "this", "past"); ok {
		return -1, j, true
	}
	if j, ok := p.seq(i, "this", "coming|upcoming"); ok {
		return 1, j, true
	}
	if j, ok := p.seq(i, "the", "following|next|previous|last|past|current|coming|upcoming"); ok {
		n, _, _ := p.relWord(i + 1)
		return n, j, true
	}
	switch tokS(p, i) {
	case "this", "current", "present":
		return 0, i + 1, true
	case "next", "coming", "upcoming", "following":
		return 1, i + 1, true
	case "last", "past", "previous", "prior", "preceding":
		return -1, i + 1, true
	}
	return 0, 0, false
}

// weekendWord matches weekend, week-end, week end, wkend.
func (p *parser) weekendWord(i int) (int, bool) {
	if p.is(i, "weekend", "wkend", "weekends", "wkends") {
		return i + 1, true
	}
	if j, ok := p.seq(i, "week", "?-", "end|ends"); ok {
		return j, true
	}
	return i, false
}

func (p *parser) weekend(weekStart time.Time) span {
	s := addGrain(weekStart, Day, 4).Add(18 * time.Hour)
	s = time.Date(s.Year(), s.Month(), s.Day(), 18, 0, 0, 0, p.loc)
	e := addGrain(weekStart, Day, 7)
	return span{start: s, end: e, grain: Hour, interval: true}
}

// atomCycle: this week, next month, last year, the following week, this
// weekend, all week, seasons.
func (p *parser) atomCycle(i int) (term, int, bool) {
	if !p.reference && !p.has(i, cCycle) {
		return term{}, 0, false
	}
	if j, ok := p.seq(i, "all", "week"); ok {
		s := truncate(p.ref, Week)
		return anchorTerm(span{start: s, end: addGrain(s, Day, 6), grain: Day, interval: true}, strong), j, true
	}
	k0 := i
	if p.is(k0, "the") {
		k0++
	}
	if j, ok := p.weekendWord(k0); ok && (j > i+1 || !p.is(i, "week")) {
		// "the weekend", "weekend after next", "the weekend before last"
		n := 0
		if j2, ok := p.seq(j, "after", "next"); ok {
			n, j = 1, j2
		} else if j2, ok := p.seq(j, "before", "last"); ok {
			n, j = -2, j2
		}
		return anchorTerm(p.weekend(addGrain(truncate(p.ref, Week), Week, n)), strong), j, true
	}
	if s, k, ok := p.season(i, 0); ok && !p.is(i, "season", "seasons") {
		k2 := k
		if p.is(k2, "of") {
			k2++
		}
		if y, k3, ok := p.yearAfter(k2, false); ok {
			// summer 2014: the season that starts in 2014
			n := y - s.start.Year()
			if n < -3000 || n > 3000 {
				return term{}, 0, false
			}
			s.start, s.end = addGrain(s.start, Year, n), addGrain(s.end, Year, n)
			t := anchorTerm(s, strong)
			t.explicit = true
			return t, k3, true
		}
		return anchorTerm(s, latent), k, true
	}
	if k, ok := p.seq(i, "?the", "week|month|year|quarter|day", "after", "next"); ok {
		return anchorTerm(unit(p.ref, cycleWords[tokS(p, k-3)], 2), strong), k, true
	}
	if k, ok := p.seq(i, "?the", "week|month|year|quarter|day", "before", "last"); ok {
		t := anchorTerm(unit(p.ref, cycleWords[tokS(p, k-3)], -2), strong)
		t.explicit = true
		return t, k, true
	}
	n, j, ok := p.relWord(i)
	if !ok {
		return term{}, 0, false
	}
	if k, ok := p.weekendWord(j); ok {
		ws := addGrain(truncate(p.ref, Week), Week, n)
		return anchorTerm(p.weekend(ws), strong), k, true
	}
	if s, k, ok := p.season(j, n); ok {
		return anchorTerm(s, strong), k, true
	}
	g, ok := cycleWords[tokS(p, j)]
	if !ok {
		return term{}, 0, false
	}
	return anchorTerm(unit(p.ref, g, n), strong), j + 1, true
}

// season: named seasons run from their first day to the day after the next
// season starts (Duckling's outer interval); "season" alone stops the day
// before the next one starts.
func (p *parser) season(i, n int) (span, int, bool) {
	starts := [4][2]int{{3, 20}, {6, 21}, {9, 23}, {12, 21}} // spring, summer, fall, winter
	named := -1
	switch tokS(p, i) {
	case "spring":
		named = 0
	case "summer":
		named = 1
	case "fall", "autumn":
		named = 2
	case "winter":
		named = 3
	case "season", "seasons":
	default:
		return span{}, 0, false
	}
	y := p.ref.Year()
	// all season starts around the reference, in order
	var bounds []time.Time
	for yy := y - 2; yy <= y+2; yy++ {
		for _, s := range starts {
			bounds = append(bounds, time.Date(yy, time.Month(s[0]), s[1], 0, 0, 0, 0, p.loc))
		}
	}
	mk := func(k int) span {
		if named >= 0 {
			return span{start: bounds[k], end: addGrain(bounds[k+1], Day, 1), grain: Day, interval: true}
		}
		return span{start: bounds[k], end: addGrain(bounds[k+1], Day, -1), grain: Day, interval: true}
	}
	cur := -1
	for k := 0; k+1 < len(bounds); k++ {
		if named >= 0 && k%4 != named {
			continue
		}
		if mk(k).end.After(p.ref) {
			cur = k
			break
		}
	}
	if cur < 0 {
		return span{}, 0, false
	}
	step := 1
	if named >= 0 {
		step = 4
	}
	k := cur + n*step
	if k < 0 || k+1 >= len(bounds) {
		return span{}, 0, false
	}
	return mk(k), i + 1, true
}

// dowWord reads a weekday name; abbreviations in lower case are latent.
func (p *parser) dowWord(i int) (int, int, int, bool) {
	if p.is(i, "a") && p.is(i-1, "on") {
		i++ // "on a Monday"
	}
	d, ok := weekdays[tokS(p, i)]
	if !ok {
		if d, ok = pluralWeekdays[tokS(p, i)]; !ok {
			return 0, 0, 0, false
		}
	}
	st := strong
	if len(p.toks[i].s) <= 4 && !p.toks[i].upper {
		st = latent
	}
	j := i + 1
	if p.is(j, ".") && p.adj(j) {
		j++
	}
	return d, j, st, true
}

// atomDow: Monday, this Monday, next Monday, last Monday, Monday after
// next, Sunday from last week, last week's Sunday.
func (p *parser) atomDow(i int) (term, int, bool) {
	if !p.reference && !p.has(i, cDow) {
		return term{}, 0, false // neither relWord nor dowWord can start here
	}
	week := truncate(p.ref, Week)
	inWeek := func(d, n int) span {
		return unit(addGrain(week, Day, 7*n+(d+6)%7), Day, 0)
	}
	if n, j, ok := p.relWord(i); ok {
		if k, ok := p.seq(j, "week", "'", "s"); ok {
			if d, k2, _, ok := p.dowWord(k); ok {
				return anchorTerm(inWeek(d, n), strong), k2, true
			}
		}
		if d, k, _, ok := p.dowWord(j); ok {
			switch {
			case n == 0 || n > 0 && p.is(i, "coming", "upcoming", "this"):
				return term{dow: d, hasDow: true, notImm: true, strength: strong}, k, true
			case n > 0:
				return anchorTerm(inWeek(d, 1), strong), k, true
			default:
				c := civilOf(p.ref).prev()
				for c.wd != d {
					c = c.prev()
				}
				t := anchorTerm(span{start: c.at(p.loc), end: addGrain(c.at(p.loc), Day, 1), grain: Day}, strong)
				t.explicit = true
				return t, k, true
			}
		}
		return term{}, 0, false
	}
	d, j, st, ok := p.dowWord(i)
	if !ok {
		return term{}, 0, false
	}
	if k, ok := p.seq(j, "after", "next"); ok {
		t := term{dow: d, hasDow: true, notImm: true}
		v, ok := p.resolve(t, p.ref)
		if !ok {
			return term{}, 0, false
		}
		s := unit(v.start, Day, 7)
		return anchorTerm(s, strong), k, true
	}
	if k, ok := p.seq(j, "before", "last"); ok {
		// the last one before the last one
		c := civilOf(p.ref).prev()
		for c.wd != d {
			c = c.prev()
		}
		day := addGrain(c.at(p.loc), Day, -7)
		t := anchorTerm(dayAt(day, Day), strong)
		t.explicit = true
		return t, k, true
	}
	if k, ok := p.seq(j, "week"); ok && !p.is(k, "of", "end", "-", "'") {
		// British "Monday week": a week after the coming Monday
		v, ok := p.resolve(term{dow: d, hasDow: true, notImm: true}, p.ref)
		if !ok {
			return term{}, 0, false
		}
		return anchorTerm(unit(v.start, Day, 7), strong), k, true
	}
	if k, ok := p.seq(j, "from|of", "last|past|previous", "week"); ok {
		return anchorTerm(inWeek(d, -1), strong), k, true
	}
	return term{dow: d, hasDow: true, notImm: true, strength: st}, j, true
}

// ordinal reads "3rd", "third", "twenty-first", "the 3rd" is handled by
// callers.
func (p *parser) ordinal(i int) (int, int, bool) {
	if n, ok := p.num(i); ok && p.is(i+1, "st", "nd", "rd", "th") && p.adj(i+1) && len(p.toks[i].s) <= 2 {
		return n, i + 2, true
	}
	if n, ok := ordinalWords[tokS(p, i)]; ok {
		return n, i + 1, true
	}
	if n, ok := tens[tokS(p, i)]; ok {
		j := i + 1
		if p.is(j, "-") {
			j++
		}
		if u, ok := ordinalWords[tokS(p, j)]; ok && u >= 1 && u <= 9 {
			return n + u, j + 1, true
		}
	}
	return 0, 0, false
}

// dayNum reads a day of the month: an ordinal or a number 1-31.
func (p *parser) dayNum(i int) (int, int, bool, bool) {
	if n, j, ok := p.ordinal(i); ok {
		return n, j, true, n >= 1 && n <= 31
	}
	if n, ok := p.num(i); ok && len(p.toks[i].s) <= 2 && !p.is(i+1, ":") {
		return n, i + 1, false, n >= 1 && n <= 31
	}
	return 0, 0, false, false
}

func (p *parser) monthWord(i int) (int, int, bool) {
	m, ok := months[tokS(p, i)]
	if !ok {
		return 0, 0, false
	}
	j := i + 1
	if p.is(j, ".") && p.adj(j) {
		j++
	}
	return m, j, true
}

// yearAfter reads a year following a date: ", 2014", "2014", "'15", and
// (when short is set) "15".
func (p *parser) yearAfter(i int, short bool) (int, int, bool) {
	j := i
	if p.is(j, ",") {
		j++
	}
	if p.is(j, "'") {
		if n, ok := p.num(j + 1); ok && len(p.toks[j+1].s) == 2 {
			return 2000 + n, j + 2, true
		}
	}
	if n, ok := p.num(j); ok && !p.is(j+1, ":") && !(p.is(j+1, "st", "nd", "rd", "th") && p.adj(j+1)) {
		switch len(p.toks[j].s) {
		case 4:
			if !p.unitFollows(j + 1) {
				return n, j + 1, true
			}
		case 2:
			if short && !p.unitFollows(j+1) && !p.ampmFollows(j+1) {
				return twoDigitYear(n), j + 1, true
			}
		}
	}
	return 0, 0, false
}

func (p *parser) unitFollows(i int) bool {
	_, ok := unitWords[tokS(p, i)]
	return ok || p.is(i, ":", "h", "am", "pm", "a", "p")
}

func (p *parser) ampmFollows(i int) bool {
	_, _, ok := p.ampm(i)
	return ok
}

func twoDigitYear(n int) int {
	if n < 50 {
		return 2000 + n
	}
	return 1900 + n
}

// atomMonthDate: March 3, the 3rd of March, 3 March 2014, March, March
// 2014, next March, the ides of March.
func (p *parser) atomMonthDate(i int) (term, int, bool) {
	// Every form starts with "ides", a word relWord reads ("the" among
	// them), a day number (digits or an ordinal word) or a month name.
	if !p.reference && !p.has(i, cMonthDate) {
		if _, num := p.num(i); !num {
			return term{}, 0, false
		}
	}
	// the ides of March
	if j, ok := p.seq(i, "?the", "ides", "of"); ok && j > i+1 {
		if m, k, ok := p.monthWord(j); ok {
			d := 13
			if m == 3 || m == 5 || m == 7 || m == 10 {
				d = 15
			}
			return term{month: m, dom: d, strength: strong}, k, true
		}
	}
	// next March, March after next, last March
	if n, j, ok := p.relWord(i); ok {
		if m, k, ok := p.monthWord(j); ok {
			t := term{month: m, notImm: true}
			if n == 0 {
				t.notImm = false
				t.strength = strong
				return t, k, true
			}
			v, ok := p.resolve(t, p.ref)
			if !ok {
				return term{}, 0, false
			}
			if n < 0 {
				s := unit(p.ref, Month, -1)
				for int(s.start.Month()) != m {
					s = unit(s.start, Month, -1)
				}
				tt := anchorTerm(s, strong)
				tt.explicit = true
				return tt, k, true
			}
			return anchorTerm(span{start: v.start, end: v.end, grain: Month}, strong), k, true
		}
	}
	// day first: [the] 3rd [of] March [2014]
	j := i
	if p.is(j, "the") {
		j++
	}
	if d, k, _, ok := p.dayNum(j); ok {
		k2 := k
		if p.is(k2, "of") {
			k2++
		}
		if p.is(k2, "-", "/") && p.adj(k2) {
			k2 = i // handled by numeric dates
		}
		if m, k3, ok := p.monthWord(k2); ok && k2 > i {
			if d > daysIn(2000, time.Month(m)) {
				return term{}, 0, false
			}
			t := term{month: m, dom: d, strength: strong}
			if y, k4, ok := p.yearAfter(k3, true); ok {
				t.year, t.hasYear, t.explicit = y, true, true
				k3 = k4
			}
			return t, k3, true
		}
	}
	// month first: March [the] 3rd [, 2014] | March 2014 | March
	m, k, ok := p.monthWord(i)
	if !ok {
		return term{}, 0, false
	}
	if k2, ok := p.seq(k, "after", "next"); ok {
		v, ok := p.resolve(term{month: m, notImm: true}, p.ref)
		if !ok {
			return term{}, 0, false
		}
		s := unit(v.start, Year, 0)
		s = unit(addGrain(v.start, Year, 1), Month, 0)
		return anchorTerm(s, strong), k2, true
	}
	t := term{month: m, strength: latent}
	if p.toks[i].upper && p.toks[i].s != "may" && p.toks[i].s != "mar" {
		t.strength = strong
	}
	k2 := k
	if p.is(k2, "the") {
		k2++
	}
	if p.is(k2, "-") && p.adj(k2) { // "Mar-03" style
		k2++
	}
	if d, k3, _, ok := p.dayNum(k2); ok && d >= 1 && d <= daysIn(2000, time.Month(m)) {
		t.dom = d
		t.strength = strong
		k = k3
		if y, k4, ok := p.yearAfter(k, false); ok {
			t.year, t.hasYear, t.explicit = y, true, true
			k = k4
		}
		return t, k, true
	}
	if y, k4, ok := p.yearAfter(k, false); ok {
		t.year, t.hasYear, t.explicit = y, true, true
		t.strength = strong
		return t, k4, true
	}
	return t, k, true
}

// atomNumericDate: 2/15, 10/31/1974, 2015-03-03, 31/Oct/1974, 31-Oct-74,
// 10.31.1974.
func (p *parser) atomNumericDate(i int) (term, int, bool) {
	a, ok := p.num(i)
	if !ok {
		return term{}, 0, false
	}
	sep := tokS(p, i+1)
	if sep != "/" && sep != "-" && sep != "." {
		return term{}, 0, false
	}
	spaced := !p.adj(i+1) || !p.adj(i+2)
	// d/Mon/y
	if m, k, ok := p.monthWord(i + 2); ok && p.is(k, sep) {
		if y, ok := p.num(k + 1); ok {
			yy := y
			if len(p.toks[k+1].s) == 2 {
				yy = twoDigitYear(y)
			}
			if a >= 1 && a <= daysIn(yy, time.Month(m)) {
				return term{year: yy, hasYear: true, month: m, dom: a, strength: strong, explicit: true}, k + 2, true
			}
		}
	}
	b, ok := p.num(i + 2)
	if !ok {
		return term{}, 0, false
	}
	la, lb := len(p.toks[i].s), len(p.toks[i+2].s)
	// y-m-d, with an ISO 8601 time: 2025-05-05T10:00[:00][Z|+02:00]
	if la == 4 && lb <= 2 && p.is(i+3, sep) {
		if c, ok := p.num(i + 4); ok && len(p.toks[i+4].s) <= 2 {
			if b >= 1 && b <= 12 && c >= 1 && c <= daysIn(a, time.Month(b)) {
				t := term{year: a, hasYear: true, month: b, dom: c, strength: strong, explicit: true}
				if tt, zone, k, ok := p.isoTime(i + 5); ok && sep == "-" {
					t.tod, t.zone = &tt, zone
					return t, k, true
				}
				return t, i + 5, true
			}
		}
		return term{}, 0, false
	}
	// y-m, y/m: a month
	if la == 4 && lb <= 2 && sep != "." && !spaced && b >= 1 && b <= 12 && !p.is(i+3, ":", ".", "/", "-") {
		return term{year: a, hasYear: true, month: b, strength: strong, explicit: true}, i + 3, true
	}
	// m/y, m-y: a month
	if la <= 2 && lb == 4 && sep != "." && !spaced && a >= 1 && a <= 12 && !p.is(i+3, ":", ".", "/", "-") {
		st := strong
		if sep == "-" {
			st = latent
		}
		return term{year: b, hasYear: true, month: a, strength: st, explicit: true}, i + 3, true
	}
	if la > 2 || lb > 2 {
		return term{}, 0, false
	}
	// m/d/y
	if p.is(i+3, sep) && !spaced {
		if c, ok := p.num(i + 4); ok {
			y := c
			switch len(p.toks[i+4].s) {
			case 2:
				y = twoDigitYear(c)
			case 4:
			default:
				return term{}, 0, false
			}
			if a >= 1 && a <= 12 && b >= 1 && b <= daysIn(y, time.Month(a)) {
				return term{year: y, hasYear: true, month: a, dom: b, strength: strong, explicit: true}, i + 5, true
			}
			// d/m/y when the first number cannot be a month (18/02/2013)
			if a > 12 && b >= 1 && b <= 12 && a <= daysIn(y, time.Month(b)) {
				return term{year: y, hasYear: true, month: b, dom: a, strength: strong, explicit: true}, i + 5, true
			}
		}
		return term{}, 0, false
	}
	if sep == "." {
		return term{}, 0, false
	}
	// m/d
	if a >= 1 && a <= 12 && b >= 1 && b <= daysIn(2000, time.Month(a)) {
		if p.is(i+3, ":", ".") || p.ampmFollows(i+3) {
			return term{}, 0, false
		}
		st := strong
		if sep == "-" {
			st = latent
		}
		return term{month: a, dom: b, strength: st}, i + 3, true
	}
	// d/m when the first number cannot be a month (18/2)
	if sep == "/" && a > 12 && b >= 1 && b <= 12 && a <= daysIn(2000, time.Month(b)) && !p.is(i+3, ":", ".") && !p.ampmFollows(i+3) {
		return term{month: b, dom: a, strength: strong}, i + 3, true
	}
	return term{}, 0, false
}

// atomYear: 2014, in 2014 AD, 14 a.d.; "BC" is refused.
func (p *parser) atomYear(i int) (term, int, bool) {
	n, ok := p.num(i)
	if !ok || p.is(i+1, ":", "/", ".") && p.adj(i+1) && !p.is(i+2, "d") {
		return term{}, 0, false
	}
	j := i + 1
	ad := false
	if k, ok := p.seq(j, "a", ".", "d", "?."); ok {
		j, ad = k, true
	} else if p.is(j, "ad", "ce") {
		j, ad = j+1, true
	} else if p.is(j, "bc", "bce") || p.is(j, "b") && p.is(j+1, ".") {
		return term{}, 0, false
	}
	if !ad && (len(p.toks[i].s) != 4 || n < 1000 || n > 2999) {
		return term{}, 0, false
	}
	if !ad && p.is(i-1, "at", "@", "around", "about", "approximately", "approx") {
		return term{}, 0, false
	}
	st := latent
	if ad || p.is(i-1, "in", "of", "since", "after", "before", "until", "through", "during", "by") {
		st = strong
	}
	return term{year: n, hasYear: true, strength: st, explicit: true}, j, true
}

// atomDom: the 15th, the 24, 15th.
func (p *parser) atomDom(i int) (term, int, bool) {
	// "the", a number or an ordinal word (dayNum).
	if !p.reference && !p.isNum(i) && !p.has(i, cOrdinal) && !p.is(i, "the") {
		return term{}, 0, false
	}
	j := i
	the := p.is(j, "the")
	if the {
		j++
	}
	d, k, ord, ok := p.dayNum(j)
	if !ok {
		return term{}, 0, false
	}
	if !ord && !the {
		return term{}, 0, false
	}
	if !ord && p.is(k, "'", "\"") {
		return term{}, 0, false
	}
	if d < 1 || d > 31 {
		return term{}, 0, false
	}
	st := latent
	if ord && p.is(i-1, "on", "by", "before", "until", "after", "from", "since") || ord && the && p.is(i-1, "on", "by", "before", "until", "after", "from", "since") {
		st = strong
	}
	return term{dom: d, strength: st}, k, true
}

// atomHoliday: Christmas [year].
func (p *parser) atomHoliday(i int) (term, int, bool) {
	if !p.reference && !p.is(i, "christmas", "xmas", "new") {
		return term{}, 0, false
	}
	if k, ok := p.seq(i, "christmas|xmas", "eve"); ok {
		return term{month: 12, dom: 24, strength: strong}, k, true
	}
	if k, ok := p.seq(i, "new", "year", "'", "s", "eve"); ok {
		return term{month: 12, dom: 31, strength: strong}, k, true
	}
	j, ok := p.seq(i, "christmas|xmas", "?day")
	if !ok {
		if j, ok = p.seq(i, "new", "year", "'", "s", "?day"); !ok {
			return term{}, 0, false
		}
		t := term{month: 1, dom: 1, strength: strong}
		return t, j, true
	}
	t := term{month: 12, dom: 25, strength: strong}
	if y, k, ok := p.yearAfter(j, false); ok {
		t.year, t.hasYear, t.explicit = y, true, true
		j = k
	}
	return t, j, true
}

// isoTime reads the time part of an ISO 8601 date-time after the date:
// "T10:00", "T10:00:30", then "Z", "+02:00", "-0500" or nothing.
func (p *parser) isoTime(i int) (tod, *time.Location, int, bool) {
	if !p.is(i, "t") || !p.adj(i) || !p.adj(i+1) {
		return tod{}, nil, 0, false
	}
	h, ok := p.num(i + 1)
	if !ok || len(p.toks[i+1].s) != 2 || h > 23 || !p.is(i+2, ":") {
		return tod{}, nil, 0, false
	}
	m, ok := p.num(i + 3)
	if !ok || len(p.toks[i+3].s) != 2 || m > 59 {
		return tod{}, nil, 0, false
	}
	t := tod{h: h, m: m, grain: Minute}
	j := i + 4
	if p.is(j, ":") && p.adj(j) {
		sec, ok := p.num(j + 1)
		if !ok || len(p.toks[j+1].s) != 2 || sec > 59 {
			return tod{}, nil, 0, false
		}
		t.s, t.grain, j = sec, Second, j+2
		if p.is(j, ".") && p.adj(j) && j+1 < len(p.toks) && p.toks[j+1].num {
			j += 2 // fractions of a second
		}
	}
	var zone *time.Location
	switch {
	case p.is(j, "z") && p.adj(j):
		zone, j = time.UTC, j+1
	case p.is(j, "+", "-") && p.adj(j):
		sign := 1
		if p.is(j, "-") {
			sign = -1
		}
		n, ok := p.num(j + 1)
		if !ok {
			break
		}
		var oh, om int
		switch len(p.toks[j+1].s) {
		case 2:
			oh = n
			if p.is(j+2, ":") {
				if mm, ok := p.num(j + 3); ok && len(p.toks[j+3].s) == 2 {
					om, j = mm, j+2
				}
			}
		case 4:
			oh, om = n/100, n%100
		default:
			return tod{}, nil, 0, false
		}
		if oh > 14 || om > 59 {
			return tod{}, nil, 0, false
		}
		zone, j = time.FixedZone("", sign*(oh*3600+om*60)), j+2
	}
	return t, zone, j, true
}

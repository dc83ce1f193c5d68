package when

import (
	"strings"
	"sync"
	"time"
)

// holiday is a day that recurs every year on a date computed from the
// year: Easter and the days counted from it, or the n-th weekday of a
// month (Thanksgiving, Labor Day).
type holiday struct {
	name string
	date func(y int) (time.Month, int)
}

// easter returns Western Easter Sunday (the anonymous Gregorian algorithm).
func easter(y int) (time.Month, int) {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// fromEaster is the day n days after Easter Sunday (n may be negative).
func fromEaster(n int) func(int) (time.Month, int) {
	return func(y int) (time.Month, int) {
		m, d := easter(y)
		t := time.Date(y, m, d+n, 0, 0, 0, 0, time.UTC)
		return t.Month(), t.Day()
	}
}

// nthWeekday is the n-th weekday wd of month m (n = -1: the last).
func nthWeekday(m time.Month, wd time.Weekday, n int) func(int) (time.Month, int) {
	return func(y int) (time.Month, int) {
		if n < 0 {
			last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
			d := last.Day() - (int(last.Weekday())-int(wd)+7)%7
			return m, d
		}
		first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
		return m, 1 + (int(wd)-int(first)+7)%7 + 7*(n-1)
	}
}

func fixedDate(m time.Month, d int) func(int) (time.Month, int) {
	return func(int) (time.Month, int) { return m, d }
}

// afterDate is the day n days after what f returns.
func afterDate(f func(int) (time.Month, int), n int) func(int) (time.Month, int) {
	return func(y int) (time.Month, int) {
		m, d := f(y)
		t := time.Date(y, m, d+n, 0, 0, 0, 0, time.UTC)
		return t.Month(), t.Day()
	}
}

var thanksgiving = nthWeekday(time.November, time.Thursday, 4)

// holidays lists the named days, each with the token patterns that name it
// (see parser.seq; a trailing "'s" is matched by possessive).
var holidays = []struct {
	pats [][]string
	h    *holiday
}{
	{[][]string{{"easter", "monday|mon"}}, &holiday{"Easter Monday", fromEaster(1)}},
	{[][]string{{"easter", "?sunday|day"}}, &holiday{"Easter", fromEaster(0)}},
	{[][]string{{"good", "friday"}}, &holiday{"Good Friday", fromEaster(-2)}},
	{[][]string{{"palm", "sunday"}}, &holiday{"Palm Sunday", fromEaster(-7)}},
	{[][]string{{"ash", "wednesday"}}, &holiday{"Ash Wednesday", fromEaster(-46)}},
	{[][]string{{"pentecost", "?sunday"}, {"whit", "sunday"}}, &holiday{"Pentecost", fromEaster(49)}},
	{[][]string{{"whit", "monday"}, {"pentecost", "monday"}}, &holiday{"Whit Monday", fromEaster(50)}},
	{[][]string{{"ascension", "?day"}}, &holiday{"Ascension Day", fromEaster(39)}},
	{[][]string{{"thanksgiving", "?day"}}, &holiday{"Thanksgiving", thanksgiving}},
	{[][]string{{"black", "friday"}}, &holiday{"Black Friday", afterDate(thanksgiving, 1)}},
	{[][]string{{"memorial", "day"}}, &holiday{"Memorial Day", nthWeekday(time.May, time.Monday, -1)}},
	{[][]string{{"labor|labour", "day"}}, &holiday{"Labor Day", nthWeekday(time.September, time.Monday, 1)}},
	{[][]string{{"mlk", "?jr", "?.", "day"}, {"martin", "luther", "king", "'s", "?jr", "?.", "day"}}, &holiday{"Martin Luther King Day", nthWeekday(time.January, time.Monday, 3)}},
	{[][]string{{"president", "'s", "day"}}, &holiday{"Presidents' Day", nthWeekday(time.February, time.Monday, 3)}},
	{[][]string{{"columbus", "day"}}, &holiday{"Columbus Day", nthWeekday(time.October, time.Monday, 2)}},
	{[][]string{{"mother", "'s", "day"}}, &holiday{"Mother's Day", nthWeekday(time.May, time.Sunday, 2)}},
	{[][]string{{"father", "'s", "day"}}, &holiday{"Father's Day", nthWeekday(time.June, time.Sunday, 3)}},
	{[][]string{{"valentine", "'s", "?day"}}, &holiday{"Valentine's Day", fixedDate(time.February, 14)}},
	{[][]string{{"halloween|hallowe|haloween", "?day"}}, &holiday{"Halloween", fixedDate(time.October, 31)}},
	{[][]string{{"independence", "day"}}, &holiday{"Independence Day", fixedDate(time.July, 4)}},
	{[][]string{{"boxing", "day"}}, &holiday{"Boxing Day", fixedDate(time.December, 26)}},
	{[][]string{{"st|saint", "?.", "patrick", "'s", "?day"}, {"st|saint", "?.", "paddy", "'s", "?day"}}, &holiday{"St Patrick's Day", fixedDate(time.March, 17)}},
	{[][]string{{"april|all", "fool", "'s", "?day"}}, &holiday{"April Fools' Day", fixedDate(time.April, 1)}},
}

// matchPat matches a holiday pattern: seq elements, where "'s" stands for
// an optional possessive: "king's", "kings" (the word before it may take an
// s), "presidents'"; "king' day" does not match.
func (p *parser) matchPat(i int, pat []string) (int, bool) {
	for x, el := range pat {
		if el == "'s" {
			switch {
			case p.is(i, "'") && p.is(i+1, "s"):
				i += 2
			case p.is(i, "'") && strings.HasSuffix(tokS(p, i-1), "s"):
				i++
			}
			continue
		}
		if x+1 < len(pat) && pat[x+1] == "'s" && !strings.Contains(el, "|") && isPlural(tokS(p, i), el) {
			i++
			continue
		}
		j, ok := p.seq(i, el)
		if !ok {
			return i, false
		}
		i = j
	}
	return i, true
}

var (
	holidayFirstOnce sync.Once
	holidayFirstSet  map[string]bool
)

// holidayFirst is the set of tokens a holiday pattern can start with: the
// alternatives of each pattern's first element (none is optional), and
// each with an s when a possessive follows ("valentines day"). Any other
// token cannot start a match, so atomNamedHoliday skips the patterns.
func holidayFirst() map[string]bool {
	holidayFirstOnce.Do(func() {
		set := map[string]bool{}
		for _, h := range holidays {
			for _, pat := range h.pats {
				if strings.HasPrefix(pat[0], "?") || pat[0] == "'s" {
					panic("when: holiday pattern starts with an optional element: " + strings.Join(pat, " "))
				}
				for _, a := range strings.Split(pat[0], "|") {
					set[a] = true
					if len(pat) > 1 && pat[1] == "'s" {
						set[a+"s"] = true
					}
				}
			}
		}
		holidayFirstSet = set
	})
	return holidayFirstSet
}

// isPlural reports whether t is w+"s", without building that string.
func isPlural(t, w string) bool {
	return len(t) == len(w)+1 && t[len(w)] == 's' && strings.HasPrefix(t, w)
}

// atomNamedHoliday: Easter, Thanksgiving, Labor Day 2014, the day after
// Thanksgiving.
func (p *parser) atomNamedHoliday(i int) (term, int, bool) {
	if i >= len(p.toks) || !p.reference && !p.has(i, cHoliday) {
		return term{}, 0, false
	}
	best, bestJ := (*holiday)(nil), -1
	for _, h := range holidays {
		for _, pat := range h.pats {
			if j, ok := p.matchPat(i, pat); ok && j > bestJ {
				best, bestJ = h.h, j
			}
		}
	}
	if best == nil {
		return term{}, 0, false
	}
	t := term{hol: best, strength: strong}
	j := bestJ
	if y, k, ok := p.yearAfter(j, false); ok {
		t.year, t.hasYear, t.explicit = y, true, true
		j = k
	}
	return t, j, true
}

package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Frequency is the FREQ of a recurrence rule.
type Frequency int

// Frequencies, smallest first.
const (
	Secondly Frequency = iota + 1
	Minutely
	Hourly
	Daily
	Weekly
	Monthly
	Yearly
)

var freqNames = []string{"", "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

func (f Frequency) String() string {
	if f < Secondly || f > Yearly {
		return "INVALID"
	}
	return freqNames[f]
}

// WeekdayNum is one BYDAY entry: an optional ordinal (-1 is the last, 0 is
// every) and a weekday.
type WeekdayNum struct {
	N   int
	Day time.Weekday
}

var dayNames = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func (w WeekdayNum) String() string {
	if w.N != 0 {
		return strconv.Itoa(w.N) + dayNames[w.Day]
	}
	return dayNames[w.Day]
}

// Rule is a parsed RRULE (RFC 5545 section 3.3.10).
type Rule struct {
	Freq       Frequency
	Interval   int // >= 1
	Count      int // 0 means unbounded by count
	Until      DateTime
	BySecond   []int
	ByMinute   []int
	ByHour     []int
	ByDay      []WeekdayNum
	ByMonthDay []int
	ByYearDay  []int
	ByWeekNo   []int
	ByMonth    []int
	BySetPos   []int
	Wkst       time.Weekday
	wkstSet    bool
	// Other keeps unknown rule parts (e.g. RSCALE, X-NAME=...) in order so
	// that they are written back.
	Other []string
}

// ParseRule parses an RRULE value. loc interprets a local UNTIL value (nil:
// floating).
func ParseRule(s string, loc *time.Location) (Rule, error) {
	r := Rule{Interval: 1, Wkst: time.Monday}
	if len(s) > 4096 {
		return r, errors.New("rule longer than 4096 bytes")
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(strings.TrimSpace(s), ";") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return r, fmt.Errorf("rule part %q has no '='", clip(part))
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if seen[k] {
			return r, fmt.Errorf("rule part %s repeated", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "FREQ":
			r.Freq = 0
			for i, n := range freqNames {
				if i > 0 && strings.EqualFold(v, n) {
					r.Freq = Frequency(i)
				}
			}
			if r.Freq == 0 {
				err = fmt.Errorf("unknown FREQ %q", clip(v))
			}
		case "INTERVAL":
			r.Interval, err = strconv.Atoi(v)
			if err == nil && (r.Interval < 1 || r.Interval > 1_000_000) {
				err = fmt.Errorf("INTERVAL %d out of range", r.Interval)
			}
		case "COUNT":
			r.Count, err = strconv.Atoi(v)
			if err == nil && r.Count < 1 {
				err = fmt.Errorf("COUNT %d out of range", r.Count)
			}
		case "UNTIL":
			r.Until, err = parseDateTimeText(v, false, loc)
			if err == nil && loc != nil && !r.Until.AllDay && !r.Until.Floating {
				r.Until.Time = r.Until.Time.UTC()
			}
		case "BYSECOND":
			r.BySecond, err = parseIntList(v, 0, 60, false)
		case "BYMINUTE":
			r.ByMinute, err = parseIntList(v, 0, 59, false)
		case "BYHOUR":
			r.ByHour, err = parseIntList(v, 0, 23, false)
		case "BYMONTHDAY":
			r.ByMonthDay, err = parseIntList(v, 1, 31, true)
		case "BYYEARDAY":
			r.ByYearDay, err = parseIntList(v, 1, 366, true)
		case "BYWEEKNO":
			r.ByWeekNo, err = parseIntList(v, 1, 53, true)
		case "BYMONTH":
			r.ByMonth, err = parseIntList(v, 1, 12, false)
		case "BYSETPOS":
			r.BySetPos, err = parseIntList(v, 1, 366, true)
		case "BYDAY":
			for _, d := range strings.Split(v, ",") {
				var wd WeekdayNum
				wd, err = parseWeekdayNum(d)
				if err != nil {
					break
				}
				r.ByDay = append(r.ByDay, wd)
			}
		case "WKST":
			var wd WeekdayNum
			wd, err = parseWeekdayNum(v)
			if err == nil && wd.N != 0 {
				err = fmt.Errorf("bad WKST %q", clip(v))
			}
			r.Wkst, r.wkstSet = wd.Day, true
		default:
			if len(r.Other) < 16 {
				r.Other = append(r.Other, k+"="+v)
			}
		}
		if err != nil {
			return r, fmt.Errorf("%s: %w", k, err)
		}
	}
	if r.Freq == 0 {
		return r, errors.New("missing FREQ")
	}
	return r, nil
}

func parseIntList(s string, lo, hi int, signed bool) ([]int, error) {
	parts := strings.Split(s, ",")
	if len(parts) > 400 {
		return nil, errors.New("too many values")
	}
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("bad number %q", clip(p))
		}
		a := n
		if a < 0 {
			if !signed {
				return nil, fmt.Errorf("%d out of range", n)
			}
			a = -a
		}
		if a < lo || a > hi {
			return nil, fmt.Errorf("%d out of range", n)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseWeekdayNum(s string) (WeekdayNum, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 2 {
		return WeekdayNum{}, fmt.Errorf("bad weekday %q", clip(s))
	}
	day := -1
	for i, n := range dayNames {
		if s[len(s)-2:] == n {
			day = i
		}
	}
	if day < 0 {
		return WeekdayNum{}, fmt.Errorf("bad weekday %q", clip(s))
	}
	w := WeekdayNum{Day: time.Weekday(day)}
	if num := s[:len(s)-2]; num != "" {
		n, err := strconv.Atoi(num)
		if err != nil || n == 0 || n > 53 || n < -53 {
			return WeekdayNum{}, fmt.Errorf("bad weekday %q", clip(s))
		}
		w.N = n
	}
	return w, nil
}

// String formats r as an RRULE value.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString("FREQ=" + r.Freq.String())
	if r.Until.Time.IsZero() == false {
		b.WriteString(";UNTIL=" + r.Until.format())
	}
	if r.Count > 0 {
		fmt.Fprintf(&b, ";COUNT=%d", r.Count)
	}
	if r.Interval > 1 {
		fmt.Fprintf(&b, ";INTERVAL=%d", r.Interval)
	}
	ints := func(name string, v []int) {
		if len(v) == 0 {
			return
		}
		b.WriteString(";" + name + "=")
		for i, n := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
	}
	ints("BYSECOND", r.BySecond)
	ints("BYMINUTE", r.ByMinute)
	ints("BYHOUR", r.ByHour)
	if len(r.ByDay) > 0 {
		b.WriteString(";BYDAY=")
		for i, d := range r.ByDay {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(d.String())
		}
	}
	ints("BYMONTHDAY", r.ByMonthDay)
	ints("BYYEARDAY", r.ByYearDay)
	ints("BYWEEKNO", r.ByWeekNo)
	ints("BYMONTH", r.ByMonth)
	ints("BYSETPOS", r.BySetPos)
	if r.wkstSet || r.Wkst != time.Monday {
		b.WriteString(";WKST=" + dayNames[r.Wkst])
	}
	for _, o := range r.Other {
		b.WriteString(";" + o)
	}
	return b.String()
}

// Expansion bounds. A rule stops silently when it reaches one of them;
// Expand reports it through its truncated result.
const (
	// MaxRuleWork bounds the periods and candidate days one rule expansion
	// may examine, so that an impossible rule (FREQ=YEARLY;BYMONTH=2;
	// BYMONTHDAY=30) or a FREQ=SECONDLY rule cannot run long.
	MaxRuleWork = 1_000_000
	// MaxZoneWork bounds the rule work spent on all VTIMEZONE definitions
	// of one calendar.
	MaxZoneWork = 2_000_000
	// maxYear is the last year a rule expands into.
	maxYear = 9999
)

// expander walks the instances of a rule in wall-clock time.
type expander struct {
	r     Rule
	start time.Time // DTSTART wall clock, in a UTC container
	// instant converts a wall time to an instant (zone rules applied).
	instant func(time.Time) time.Time
	work    int
	// budget, when set, is a work allowance shared by several expansions.
	budget *int
	// stopAfter, when set, ends the walk at the first period that starts
	// after it (wall clock), so a rule that never matches costs no more
	// than the window it is expanded for.
	stopAfter time.Time
	// truncated reports that a bound, not the rule, ended the expansion.
	truncated bool
}

// expand calls emit with each instance (wall clock, UTC container) in
// order, starting with DTSTART, until emit returns false, the rule ends,
// or a bound is hit. skipTo, when not zero and the rule has no COUNT,
// lets the walk start at the period containing that wall time.
func (e *expander) expand(skipTo time.Time, emit func(time.Time) bool) {
	r := e.r
	if r.Interval < 1 {
		r.Interval = 1
	}
	e.r = r
	emitted := 0
	first := true
	until := func(t time.Time) bool { // reports whether t is after UNTIL
		if r.Until.Time.IsZero() {
			return false
		}
		switch {
		case r.Until.AllDay:
			return t.After(r.Until.Time.Add(24*time.Hour - time.Second))
		case r.Until.Floating:
			return t.After(r.Until.Time)
		default:
			return e.instant(t).After(r.Until.Time)
		}
	}
	// out emits one candidate; it returns false to stop.
	out := func(t time.Time) bool {
		if t.Before(e.start) {
			return true
		}
		if first {
			first = false
			if t.After(e.start) {
				// DTSTART is always the first instance (RFC 5545 3.8.5.3).
				emitted++
				if !emit(e.start) {
					return false
				}
				if r.Count > 0 && emitted >= r.Count {
					return false
				}
			}
		}
		if until(t) {
			return false
		}
		emitted++
		if !emit(t) {
			return false
		}
		return r.Count == 0 || emitted < r.Count
	}
	p := 0
	if !skipTo.IsZero() && r.Count == 0 && skipTo.After(e.start) {
		p = e.periodsBefore(skipTo)
		first = false // DTSTART lies before the skipped-to window
	}
	for ; ; p += r.Interval {
		if !e.tick() {
			return
		}
		if !e.stopAfter.IsZero() && e.periodStart(p).After(e.stopAfter) {
			return
		}
		days, ok := e.periodDays(p)
		if !ok {
			return // past maxYear
		}
		if len(days) == 0 {
			continue
		}
		if !e.emitPeriod(p, days, out) {
			return
		}
	}
}

// tick counts one unit of work and reports whether more is allowed.
func (e *expander) tick() bool {
	e.work++
	if e.budget != nil {
		*e.budget--
	}
	if e.work > MaxRuleWork || (e.budget != nil && *e.budget < 0) {
		e.truncated = true
		return false
	}
	return true
}

// periodsBefore returns a period index (a multiple of the interval) whose
// period starts at or before t.
func (e *expander) periodsBefore(t time.Time) int {
	s := e.start
	var n int
	// Differences in whole units from Unix seconds: time.Duration would
	// saturate after 292 years.
	secs := func(a, b time.Time) int64 { return a.Unix() - b.Unix() }
	switch e.r.Freq {
	case Yearly:
		n = t.Year() - s.Year()
	case Monthly:
		n = (t.Year()-s.Year())*12 + int(t.Month()) - int(s.Month())
	case Weekly:
		n = int(secs(t, e.weekStart(s)) / (7 * 86400))
	case Daily:
		n = int(secs(t, dayOf(s)) / 86400)
	case Hourly:
		n = int(secs(t, s.Truncate(time.Hour)) / 3600)
	case Minutely:
		n = int(secs(t, s.Truncate(time.Minute)) / 60)
	case Secondly:
		n = int(secs(t, s))
	}
	n -= 1 // one period of slack
	if n < 0 {
		return 0
	}
	return n - n%e.r.Interval
}

func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (e *expander) weekStart(t time.Time) time.Time {
	d := dayOf(t)
	back := (int(d.Weekday()) - int(e.r.Wkst) + 7) % 7
	return d.AddDate(0, 0, -back)
}

// periodStart returns the wall time at which period p begins.
func (e *expander) periodStart(p int) time.Time {
	s := e.start
	switch e.r.Freq {
	case Yearly:
		return time.Date(s.Year()+p, 1, 1, 0, 0, 0, 0, time.UTC)
	case Monthly:
		return time.Date(s.Year(), s.Month()+time.Month(p), 1, 0, 0, 0, 0, time.UTC)
	case Weekly:
		return e.weekStart(s).AddDate(0, 0, 7*p)
	case Daily:
		return dayOf(s).AddDate(0, 0, p)
	case Hourly:
		h := s.Truncate(time.Hour)
		return time.Date(h.Year(), h.Month(), h.Day(), h.Hour()+p, 0, 0, 0, time.UTC)
	case Minutely:
		m := s.Truncate(time.Minute)
		return time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute()+p, 0, 0, time.UTC)
	default:
		return time.Date(s.Year(), s.Month(), s.Day(), s.Hour(), s.Minute(), s.Second()+p, 0, time.UTC)
	}
}

// periodDays returns the days of period p that the rule selects, in order.
func (e *expander) periodDays(p int) ([]time.Time, bool) {
	r := e.r
	ps := e.periodStart(p)
	if ps.Year() > maxYear {
		return nil, false
	}
	var first, end time.Time
	switch r.Freq {
	case Yearly:
		first, end = ps, ps.AddDate(1, 0, 0)
	case Monthly:
		first, end = ps, ps.AddDate(0, 1, 0)
	case Weekly:
		first, end = ps, ps.AddDate(0, 0, 7)
	default:
		first = dayOf(ps)
		end = first.AddDate(0, 0, 1)
	}
	var days []time.Time
	scan := func(from, to time.Time) {
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			e.tick()
			if e.dayMatches(d) {
				days = append(days, d)
			}
		}
	}
	if r.Freq == Yearly && len(r.ByMonth) > 0 && len(r.ByWeekNo) == 0 && len(r.ByYearDay) == 0 {
		ms := slices.Clone(r.ByMonth)
		slices.Sort(ms)
		ms = slices.Compact(ms)
		for _, m := range ms {
			f := time.Date(ps.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			scan(f, f.AddDate(0, 1, 0))
		}
	} else if r.Freq == Yearly && !e.hasDayRule() {
		f := time.Date(ps.Year(), e.start.Month(), 1, 0, 0, 0, 0, time.UTC)
		scan(f, f.AddDate(0, 1, 0))
	} else {
		scan(first, end)
	}
	return days, true
}

func (e *expander) hasDayRule() bool {
	r := e.r
	return len(r.ByDay) > 0 || len(r.ByMonthDay) > 0 || len(r.ByYearDay) > 0 || len(r.ByWeekNo) > 0
}

// dayMatches applies the day-level BYxxx parts (and the defaults taken
// from DTSTART when none is given) to day d.
func (e *expander) dayMatches(d time.Time) bool {
	r := e.r
	if len(r.ByMonth) > 0 && !slices.Contains(r.ByMonth, int(d.Month())) {
		return false
	}
	if len(r.ByWeekNo) > 0 && r.Freq == Yearly {
		w, nw := weekNo(d, r.Wkst)
		if !slices.Contains(r.ByWeekNo, w) && !slices.Contains(r.ByWeekNo, w-nw-1) {
			return false
		}
	}
	if len(r.ByYearDay) > 0 {
		yd := d.YearDay()
		ny := 365
		if daysIn(time.February, d.Year()) == 29 {
			ny = 366
		}
		if !slices.Contains(r.ByYearDay, yd) && !slices.Contains(r.ByYearDay, yd-ny-1) {
			return false
		}
	}
	if len(r.ByMonthDay) > 0 {
		md := d.Day()
		dim := daysIn(d.Month(), d.Year())
		if !slices.Contains(r.ByMonthDay, md) && !slices.Contains(r.ByMonthDay, md-dim-1) {
			return false
		}
	}
	if len(r.ByDay) > 0 {
		ok := false
		for _, wd := range r.ByDay {
			if wd.Day != d.Weekday() {
				continue
			}
			if wd.N == 0 || !(r.Freq == Monthly || (r.Freq == Yearly && len(r.ByWeekNo) == 0)) {
				ok = true
				break
			}
			var n, total int
			if r.Freq == Monthly || len(r.ByMonth) > 0 {
				n = (d.Day()-1)/7 + 1
				total = n + (daysIn(d.Month(), d.Year())-d.Day())/7
			} else {
				n = (d.YearDay()-1)/7 + 1
				ny := 365
				if daysIn(time.February, d.Year()) == 29 {
					ny = 366
				}
				total = n + (ny-d.YearDay())/7
			}
			if wd.N == n || wd.N == n-total-1 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if !e.hasDayRule() {
		switch r.Freq {
		case Yearly:
			if len(r.ByMonth) == 0 && d.Month() != e.start.Month() {
				return false
			}
			return d.Day() == e.start.Day()
		case Monthly:
			return d.Day() == e.start.Day()
		case Weekly:
			return d.Weekday() == e.start.Weekday()
		}
	} else if r.Freq == Yearly && len(r.ByWeekNo) > 0 && len(r.ByDay) == 0 && len(r.ByMonthDay) == 0 && len(r.ByYearDay) == 0 {
		return d.Weekday() == e.start.Weekday()
	}
	return true
}

// weekNo returns the week number of d (week 1 is the first week with at
// least four days in the year, weeks starting on wkst) and the number of
// weeks in d's week-numbering year.
func weekNo(d time.Time, wkst time.Weekday) (int, int) {
	week1 := func(y int) time.Time {
		jan1 := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		back := (int(jan1.Weekday()) - int(wkst) + 7) % 7
		s := jan1.AddDate(0, 0, -back)
		if back >= 4 { // fewer than four days of the week in this year
			s = s.AddDate(0, 0, 7)
		}
		return s
	}
	y := d.Year()
	s := week1(y)
	if d.Before(s) {
		y--
		s = week1(y)
	} else if next := week1(y + 1); !d.Before(next) {
		y++
		s = next
	}
	n := int(d.Sub(s).Hours()/24)/7 + 1
	total := int(week1(y+1).Sub(s).Hours()/24) / 7
	return n, total
}

// emitPeriod emits the instances of one period: days x hours x minutes x
// seconds in order, restricted by BYSETPOS.
func (e *expander) emitPeriod(p int, days []time.Time, out func(time.Time) bool) bool {
	r := e.r
	ps := e.periodStart(p)
	hours := e.timeSet(r.ByHour, Hourly, e.start.Hour(), ps.Hour())
	mins := e.timeSet(r.ByMinute, Minutely, e.start.Minute(), ps.Minute())
	secs := e.timeSet(r.BySecond, Secondly, e.start.Second(), ps.Second())
	nt := len(hours) * len(mins) * len(secs)
	size := len(days) * nt
	if size == 0 {
		return true
	}
	at := func(i int) time.Time {
		d := days[i/nt]
		j := i % nt
		h := hours[j/(len(mins)*len(secs))]
		j %= len(mins) * len(secs)
		return time.Date(d.Year(), d.Month(), d.Day(), h, mins[j/len(secs)], secs[j%len(secs)], 0, time.UTC)
	}
	if len(r.BySetPos) > 0 {
		var idx []int
		for _, sp := range r.BySetPos {
			i := sp - 1
			if sp < 0 {
				i = size + sp
			}
			if i >= 0 && i < size {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		for _, i := range idx {
			if !out(at(i)) {
				return false
			}
		}
		return true
	}
	for i := 0; i < size; i++ {
		if !e.tick() {
			return false
		}
		if !out(at(i)) {
			return false
		}
	}
	return true
}

// timeSet returns the sorted values of one clock field for a period: the
// BYxxx list when the field is finer than FREQ, DTSTART's value when no
// list is given, or the period's own value (filtered by the list) when the
// field is FREQ's own unit or coarser.
func (e *expander) timeSet(by []int, unit Frequency, startVal, periodVal int) []int {
	if e.r.Freq <= unit {
		if len(by) > 0 && !slices.Contains(by, periodVal) {
			return nil
		}
		return []int{periodVal}
	}
	if len(by) == 0 {
		return []int{startVal}
	}
	v := slices.Clone(by)
	if unit == Secondly {
		for i := range v {
			if v[i] == 60 {
				v[i] = 59
			}
		}
	}
	slices.Sort(v)
	return slices.Compact(v)
}

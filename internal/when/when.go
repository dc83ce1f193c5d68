// Package when resolves English date and time expressions as they occur in
// mail ("by Friday EOD", "next Tuesday 3pm", "in two weeks", "Q3",
// "Monday–Wednesday", "3pm PT") against a reference time.
//
// It follows the conventions of Facebook's Duckling: a value is a start and a
// grain (the unit it is precise to); intervals end exclusive at their grain
// ("July 13-15" ends on July 16 at 00:00, "9:30 - 11:00" at 11:01); weeks
// start on Monday; a bare weekday is the next one that is not today; a bare
// time of day is the next one whose hour has not ended; "the 3rd" is the next
// 3rd of a month. Open intervals ("until 2pm", "after 5pm") carry their bound
// in Start and a Direction in Open.
//
// The package is pure: no I/O, no globals to configure. The caller supplies
// the user's location in Options (time zone abbreviations written in the
// text, such as "PT" or "CET", are known to the package).
package when

import (
	"time"
)

// Grain is the precision of a resolved value.
type Grain int

// Grains, finest first.
const (
	Second Grain = iota
	Minute
	Hour
	Day
	Week
	Month
	Quarter
	Year
)

var grainNames = [...]string{"second", "minute", "hour", "day", "week", "month", "quarter", "year"}

// String returns the grain's lower-case English name ("day").
func (g Grain) String() string {
	if g < 0 || int(g) >= len(grainNames) {
		return "unknown"
	}
	return grainNames[g]
}

// ParseGrain returns the grain named s (case-sensitive, lower case).
func ParseGrain(s string) (Grain, bool) {
	for i, n := range grainNames {
		if n == s {
			return Grain(i), true
		}
	}
	return 0, false
}

// Direction says which way an open interval extends from its bound.
type Direction int

// Directions of open intervals.
const (
	Closed Direction = iota // not an open interval
	Before                  // "until 2pm", "before Friday": everything before Start
	After                   // "after 5pm", "since 2014", "ASAP": everything from Start on
)

// Options carry what the resolver needs to know about the user.
type Options struct {
	// Location is the user's time zone; results are expressed in it. Nil
	// means the reference time's location.
	Location *time.Location
	// FutureBias, when set, never lets an expression that names no year or
	// explicit past ("yesterday", "last", "ago") resolve to a period that
	// has already ended: "Sunday, Feb 10" read on Feb 12 becomes the next
	// Feb 10 that is a Sunday, and "Q1" read in November the next year's
	// first quarter. Deadlines in requests should set it.
	FutureBias bool
	// Holidays reports extra non-working days (the date's clock is
	// ignored) for business-day arithmetic; weekends never work. Nil means
	// none.
	Holidays func(day time.Time) bool
	// CloseOfBusiness is the hour (0-23) at which DueFrom ends a working
	// day; 0 means 17.
	CloseOfBusiness int
}

// Result is one resolved expression.
type Result struct {
	// Text is the matched part of the input, and Pos and EndPos its byte
	// offsets.
	Text        string
	Pos, EndPos int
	// Start is the first instant. End is exclusive: Start plus one Grain
	// for a single value, the end of the last unit for an interval, zero
	// for an open interval.
	Start, End time.Time
	Grain      Grain
	// Interval is set for ranges ("Monday–Wednesday", "from 2 to 4pm",
	// "this weekend", "by EOD").
	Interval bool
	// Open is set for open intervals; Start is then the bound.
	Open Direction
	// Deadline is set when the text states a limit: "by …", "before …",
	// "until …", "within …", "EOD", "COB".
	Deadline bool
}

// Resolve reads text as one date/time expression relative to ref. It
// reports false when the whole text (ignoring surrounding filler such as
// "at", "on", "around", "ish") is not a date or time.
func Resolve(text string, ref time.Time, opts Options) (Result, bool) {
	p := newParser(text, ref, opts)
	defer p.free()
	if len(p.toks) == 0 {
		return Result{}, false
	}
	v, j, ok := p.expr(0, true)
	if !ok {
		return Result{}, false
	}
	j = p.skipTrailing(j)
	if j != len(p.toks) {
		return Result{}, false
	}
	return p.result(v, 0, j), true
}

// Find returns the date/time expressions in a sentence, left to right,
// without overlaps. Bare numbers, bare month names and bare parts of day
// ("7", "May", "morning") are not reported on their own.
func Find(text string, ref time.Time, opts Options) []Result {
	return find(text, ref, opts, true)
}

// find is Find; fast skips start words no pattern mentions (see vocab.go),
// memoises constituent parses by position (parser.atom) and lets
// constituents skip patterns a token cannot start. A test checks on the
// corpora that none of it changes a result: without fast the parser tries
// everything everywhere.
func find(text string, ref time.Time, opts Options, fast bool) []Result {
	p := newParser(text, ref, opts)
	defer p.free()
	p.reference = !fast
	var out []Result
	for i := 0; i < len(p.toks); {
		if !p.canStart(i) || (fast && !p.mayStart(i)) {
			i++
			continue
		}
		v, j, ok := p.expr(i, false)
		if !ok || v.strength < strong || j <= i {
			i++
			continue
		}
		out = append(out, p.result(v, i, j))
		i = j
	}
	return out
}

func (p *parser) result(v val, i, j int) Result {
	r := Result{
		Pos:      p.toks[i].start,
		EndPos:   p.toks[j-1].end,
		Start:    v.start.In(p.loc),
		Grain:    v.grain,
		Interval: v.interval,
		Open:     v.open,
		Deadline: v.deadline,
	}
	r.Text = p.text[r.Pos:r.EndPos]
	if v.open == Closed {
		r.End = v.end.In(p.loc)
	}
	return r
}

// DueFrom maps a resolved expression to the moment a task is due, in the
// location of opts (default: the result's). The convention:
//   - an open "before/until" interval is due at its bound;
//   - a deadline interval ("by Friday", "by EOD", "within 2 weeks") is due at
//     its end;
//   - any other interval is due at its end;
//   - a single value finer than a day ("3pm", "in 2 hours") is due at its
//     start;
//   - a day or longer ("Friday", "next week", "March") is due at the end of
//     its last day.
//
// Wherever that moment falls exactly on a local midnight it is moved back to
// the close of business (CloseOfBusiness, 17:00 by default) of the day that
// ended, so "by Friday", "by EOD" and "end of the month" are all due at
// 17:00 on the last working hour of that day. An open "after" interval is due
// at its bound.
func DueFrom(r Result, opts Options) time.Time {
	loc := opts.Location
	if loc == nil {
		loc = r.Start.Location()
	}
	var due time.Time
	switch {
	case r.Open != Closed:
		due = r.Start
	case r.Interval:
		due = r.End
	case r.Grain < Day:
		return r.Start.In(loc)
	default:
		due = r.End
	}
	due = due.In(loc)
	if due.Hour() == 0 && due.Minute() == 0 && due.Second() == 0 && due.Nanosecond() == 0 && r.Open != After {
		cob := opts.CloseOfBusiness
		if cob <= 0 || cob > 23 {
			cob = 17
		}
		y, m, d := due.Date()
		due = time.Date(y, m, d-1, cob, 0, 0, 0, loc)
	}
	return due
}

// AddBusinessDays returns t moved by n working days (Monday to Friday, less
// opts.Holidays), keeping its clock time. A negative n moves back. With n ==
// 0 it returns t unchanged, even on a weekend.
func AddBusinessDays(t time.Time, n int, opts Options) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	for guard := 0; n > 0 && guard < maxBusinessSteps; guard++ {
		d += step
		day := time.Date(y, m, d, h, mi, s, t.Nanosecond(), t.Location())
		if isWorkday(day, opts) {
			n--
		}
	}
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), t.Location())
}

// maxBusinessSteps bounds AddBusinessDays when Holidays rejects every day.
const maxBusinessSteps = 100000

func isWorkday(day time.Time, opts Options) bool {
	switch day.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return opts.Holidays == nil || !opts.Holidays(day)
}

package calendar

import (
	"slices"
	"time"
)

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start, End time.Time
}

// FreeBusy returns the merged busy intervals of cal within [from, to):
// every occurrence except TRANSP:TRANSPARENT and STATUS:CANCELLED ones,
// clipped to the window.
func FreeBusy(cal *Calendar, from, to time.Time, loc *time.Location) []Interval {
	var busy []Interval
	for _, o := range cal.Occurrences(from, to, loc) {
		if o.Event.Transp == "TRANSPARENT" || o.Event.Status == "CANCELLED" {
			continue
		}
		s, e := o.Start, o.End
		if !e.After(s) {
			continue
		}
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		if e.After(s) {
			busy = append(busy, Interval{s, e})
		}
	}
	return mergeIntervals(busy)
}

func mergeIntervals(in []Interval) []Interval {
	slices.SortFunc(in, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var out []Interval
	for _, iv := range in {
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// WorkHours says when free time counts: on Days, from Start to End (clock
// times since midnight) in Loc.
type WorkHours struct {
	Days       []time.Weekday
	Start, End time.Duration
	Loc        *time.Location
}

// Free returns the gaps between busy intervals within [from, to),
// restricted to work hours (all time when wh.Days is empty), dropping
// gaps shorter than minLen.
func Free(busy []Interval, from, to time.Time, wh WorkHours, minLen time.Duration) []Interval {
	loc := wh.Loc
	if loc == nil {
		loc = time.Local
	}
	var windows []Interval
	if len(wh.Days) == 0 {
		windows = []Interval{{from, to}}
	} else {
		f := from.In(loc)
		day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
		for i := 0; day.Before(to) && i < 3660; i++ {
			if slices.Contains(wh.Days, day.Weekday()) {
				s := clockOn(day, wh.Start, loc)
				e := clockOn(day, wh.End, loc)
				if s.Before(from) {
					s = from
				}
				if e.After(to) {
					e = to
				}
				if e.After(s) {
					windows = append(windows, Interval{s, e})
				}
			}
			day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		}
	}
	busy = mergeIntervals(slices.Clone(busy))
	var out []Interval
	for _, w := range windows {
		cur := w.Start
		for _, b := range busy {
			if !b.End.After(cur) || !b.Start.Before(w.End) {
				continue
			}
			if b.Start.After(cur) {
				out = appendGap(out, Interval{cur, b.Start}, minLen)
			}
			if b.End.After(cur) {
				cur = b.End
			}
		}
		if w.End.After(cur) {
			out = appendGap(out, Interval{cur, w.End}, minLen)
		}
	}
	return out
}

func appendGap(out []Interval, iv Interval, minLen time.Duration) []Interval {
	if iv.End.Sub(iv.Start) >= minLen && iv.End.After(iv.Start) {
		out = append(out, iv)
	}
	return out
}

// clockOn returns the wall-clock time d (since midnight) on day in loc,
// so that 09:00 stays 09:00 on the days DST changes.
func clockOn(day time.Time, d time.Duration, loc *time.Location) time.Time {
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
}

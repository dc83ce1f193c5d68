package reply

import (
	"time"

	"github.com/pam-ai/pam/internal/calendar"
)

// FreeSlots returns up to n start times of free slots of length d in the
// user's working hours (Monday to Friday, 9:00 to 17:00 in loc) from the
// next full hour after now, on different days where possible, given the
// busy intervals of their calendar.
func FreeSlots(busy []calendar.Interval, now time.Time, loc *time.Location, d time.Duration, n int) []time.Time {
	if d <= 0 {
		d = 30 * time.Minute
	}
	start := now.In(loc).Truncate(time.Hour).Add(time.Hour)
	end := start.AddDate(0, 0, 14)
	wh := calendar.WorkHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start: 9 * time.Hour, End: 17 * time.Hour, Loc: loc}
	free := calendar.Free(busy, start, end, wh, d)
	var out []time.Time
	days := map[string]bool{}
	for _, pass := range []bool{true, false} {
		for _, iv := range free {
			s := iv.Start.In(loc)
			// Round up to the next half hour.
			if r := s.Minute() % 30; r != 0 || s.Second() != 0 {
				s = s.Truncate(30 * time.Minute).Add(30 * time.Minute)
			}
			if s.Add(d).After(iv.End) {
				continue
			}
			day := s.Format("2006-01-02")
			if pass && days[day] {
				continue
			}
			if !pass && containsTime(out, s) {
				continue
			}
			days[day] = true
			out = append(out, s)
			if len(out) == n {
				return sortTimes(out)
			}
		}
	}
	return sortTimes(out)
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

func sortTimes(ts []time.Time) []time.Time {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}

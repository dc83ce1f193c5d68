package calendar

import (
	"slices"
	"time"
)

// Occurrence is one instance of an event in a window.
type Occurrence struct {
	// Event is the event the instance comes from: the override when a
	// RECURRENCE-ID override replaces the instance, else the master.
	Event *Event
	Start time.Time
	End   time.Time
	// RecurrenceID is the instance's original start (its id in the
	// series); zero for non-recurring events.
	RecurrenceID time.Time
	AllDay       bool
}

// Bounds for one Occurrences call.
const (
	// MaxOccurrences is the most occurrences one call returns.
	MaxOccurrences = 20_000
	// MaxCallWork is the rule-expansion work one call may spend over all
	// events together (see MaxRuleWork for one rule).
	MaxCallWork = 5_000_000
)

// Occurrences expands all events into the instances that overlap
// [from, to), sorted by start. Floating and all-day times are placed in loc
// (the viewer's zone). The result is capped at MaxOccurrences.
func (cal *Calendar) Occurrences(from, to time.Time, loc *time.Location) []Occurrence {
	occ, _ := cal.Expand(from, to, loc, MaxOccurrences)
	return occ
}

// Expand is Occurrences with an explicit cap; truncated reports that a
// bound (the cap, MaxRuleWork or MaxCallWork) cut the expansion short.
func (cal *Calendar) Expand(from, to time.Time, loc *time.Location, max int) (occ []Occurrence, truncated bool) {
	if loc == nil {
		loc = time.Local
	}
	if max <= 0 || max > MaxOccurrences {
		max = MaxOccurrences
	}
	budget := MaxCallWork
	overrides := map[string][]*Event{}
	masters := map[string]bool{}
	for _, ev := range cal.Events {
		if !ev.RecurrenceID.IsZero() {
			overrides[ev.UID] = append(overrides[ev.UID], ev)
		} else {
			masters[ev.UID] = true
		}
	}
	add := func(o Occurrence) bool {
		if len(occ) >= max {
			truncated = true
			return false
		}
		if o.Start.Before(to) && (o.End.After(from) || (o.End.Equal(o.Start) && !o.Start.Before(from))) {
			occ = append(occ, o)
		}
		return true
	}
	for _, ev := range cal.Events {
		if len(occ) >= max || budget <= 0 {
			truncated = true
			break
		}
		if ev.Start.IsZero() {
			continue
		}
		if !ev.RecurrenceID.IsZero() {
			if !masters[ev.UID] {
				// An override without its master: show it as it stands.
				s, e := ev.span(loc)
				add(Occurrence{Event: ev, Start: s, End: e, RecurrenceID: ev.RecurrenceID.In(loc), AllDay: ev.Start.AllDay})
			}
			continue
		}
		if !ev.expandInto(from, to, loc, overrides[ev.UID], &budget, add) {
			truncated = true
		}
	}
	slices.SortStableFunc(occ, func(a, b Occurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	return occ, truncated
}

// zone returns the location in which ev's wall-clock times are meant.
func (ev *Event) zone(viewer *time.Location) *time.Location {
	if ev.Start.Floating || ev.Start.AllDay {
		return viewer
	}
	return ev.Start.Time.Location()
}

// span returns the start and end instants of a single (non-expanded) ev.
func (ev *Event) span(loc *time.Location) (time.Time, time.Time) {
	s := ev.Start.In(loc)
	return s, ev.endFor(s, loc)
}

// endFor returns the end of an instance of ev that starts at s.
func (ev *Event) endFor(s time.Time, loc *time.Location) time.Time {
	if ev.End.IsZero() {
		if ev.Start.AllDay {
			return s.AddDate(0, 0, 1)
		}
		return s
	}
	if ev.Start.AllDay {
		days := int(ev.End.Time.Sub(ev.Start.Time).Hours()/24 + 0.5)
		if days < 0 {
			days = 0
		}
		return s.AddDate(0, 0, days)
	}
	d := ev.End.In(loc).Sub(ev.Start.In(loc))
	if d < 0 {
		d = 0
	}
	return s.Add(d)
}

// expandInto emits the instances of master ev (with its overrides) that
// may overlap [from, to). It returns false when a bound cut it short.
func (ev *Event) expandInto(from, to time.Time, viewer *time.Location, overrides []*Event, budget *int, add func(Occurrence) bool) bool {
	zone := ev.zone(viewer)
	instant := func(w time.Time) time.Time {
		return wallToInstant(w, zone)
	}
	if len(ev.RRules) == 0 && len(ev.RDates) == 0 {
		s, e := ev.span(viewer)
		return add(Occurrence{Event: ev, Start: s, End: e, AllDay: ev.Start.AllDay})
	}
	startInst := ev.Start.In(viewer)
	dur := ev.endFor(startInst, viewer).Sub(startInst)
	if dur < 0 {
		dur = 0
	}
	// Instance starts, as instants, deduplicated.
	starts := map[int64]time.Time{}
	ok := true
	wallStart := ev.Start.wall()
	skipTo := from.Add(-dur).Add(-48 * time.Hour).In(zone)
	skipWall := time.Date(skipTo.Year(), skipTo.Month(), skipTo.Day(), skipTo.Hour(), skipTo.Minute(), skipTo.Second(), 0, time.UTC)
	limit := 0
	for _, r := range ev.RRules {
		stop := to.In(zone)
		stopWall := time.Date(stop.Year(), stop.Month(), stop.Day()+1, 0, 0, 0, 0, time.UTC)
		e := &expander{r: r, start: wallStart, instant: instant, budget: budget, stopAfter: stopWall}
		e.expand(skipWall, func(w time.Time) bool {
			t := instant(w)
			if !t.Before(to) {
				return false
			}
			if limit >= MaxOccurrences {
				ok = false
				return false
			}
			if !t.Add(dur).Before(from) || t.Equal(from) {
				limit++
				starts[t.Unix()] = t
			}
			return true
		})
		if e.truncated {
			ok = false
		}
	}
	if len(ev.RRules) == 0 {
		starts[startInst.Unix()] = startInst // DTSTART is an instance too
	}
	for _, d := range ev.RDates {
		var t time.Time
		if d.Floating || d.AllDay {
			t = instant(d.wall())
		} else {
			t = d.Time
		}
		starts[t.Unix()] = t
	}
	for _, x := range ev.ExDates {
		if x.AllDay {
			// A DATE EXDATE on a timed event removes that day's instances.
			for k, t := range starts {
				ty, tm, td := t.In(zone).Date()
				xy, xm, xd := x.Time.Date()
				if ty == xy && tm == xm && td == xd {
					delete(starts, k)
				}
			}
			continue
		}
		var t time.Time
		if x.Floating {
			t = instant(x.wall())
		} else {
			t = x.Time
		}
		delete(starts, t.Unix())
	}
	// Overrides: exact ones replace their instance; THISANDFUTURE ones
	// change every later instance.
	exact := map[int64]*Event{}
	var future []*Event
	for _, o := range overrides {
		rid := o.RecurrenceID
		var t time.Time
		if rid.Floating || rid.AllDay {
			t = instant(rid.wall())
		} else {
			t = rid.Time
		}
		if o.ThisAndFuture {
			future = append(future, o)
		}
		exact[t.Unix()] = o
	}
	slices.SortFunc(future, func(a, b *Event) int { return a.RecurrenceID.In(zone).Compare(b.RecurrenceID.In(zone)) })
	keys := make([]int64, 0, len(starts))
	for k := range starts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	seenOverride := map[*Event]bool{}
	for _, k := range keys {
		t := starts[k]
		if o, hit := exact[k]; hit {
			seenOverride[o] = true
			s, e := o.span(viewer)
			if !add(Occurrence{Event: o, Start: s, End: e, RecurrenceID: t, AllDay: o.Start.AllDay}) {
				return false
			}
			continue
		}
		var tf *Event
		for _, o := range future {
			if !t.Before(o.RecurrenceID.In(zone)) {
				tf = o
			}
		}
		if tf != nil {
			shift := tf.Start.In(viewer).Sub(tf.RecurrenceID.In(zone))
			s := t.Add(shift)
			os, oe := tf.span(viewer)
			if !add(Occurrence{Event: tf, Start: s, End: s.Add(oe.Sub(os)), RecurrenceID: t, AllDay: tf.Start.AllDay}) {
				return false
			}
			continue
		}
		if !add(Occurrence{Event: ev, Start: t, End: ev.endFor(t, viewer), RecurrenceID: t, AllDay: ev.Start.AllDay}) {
			return false
		}
	}
	// Overrides whose instance lies outside the expanded range may still
	// have been moved into the window.
	for _, o := range overrides {
		if seenOverride[o] {
			continue
		}
		rid := o.RecurrenceID.In(zone)
		if _, inSet := starts[rid.Unix()]; inSet {
			continue
		}
		s, e := o.span(viewer)
		if !add(Occurrence{Event: o, Start: s, End: e, RecurrenceID: rid, AllDay: o.Start.AllDay}) {
			return false
		}
	}
	return ok
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/when"
)

func init() {
	register(&command{Name: "agenda", Summary: "events in a range (default: today and the next 7 days)", Run: runAgenda})
}

// agendaItem is one occurrence shown by pam agenda.
type agendaItem struct {
	UID, Summary, Location, Calendar string
	Start, End                       time.Time
	AllDay, Floating, Recurring      bool
	RecurrenceID                     time.Time
	Status, Transp                   string
	Sequence                         int
	// Invitation is the message id of an unanswered invitation (the event
	// is in no calendar); CancelledBy the id of a message cancelling it.
	Invitation, CancelledBy string
}

// agendaJSON is one line of pam agenda --json. Timed values are RFC 3339
// in the viewer's zone; all-day values are dates (end exclusive).
type agendaJSON struct {
	UID          string `json:"uid"`
	Summary      string `json:"summary"`
	Start        string `json:"start"`
	End          string `json:"end"`
	AllDay       bool   `json:"all_day"`
	Location     string `json:"location"`
	Calendar     string `json:"calendar"`
	Recurring    bool   `json:"recurring"`
	Floating     bool   `json:"floating,omitempty"`
	RecurrenceID string `json:"recurrence_id,omitempty"`
	Status       string `json:"status,omitempty"`
	Invitation   string `json:"invitation,omitempty"`
	CancelledBy  string `json:"cancelled_by,omitempty"`
}

// windowFlags are --from, --to and --tz.
type windowFlags struct{ from, to, tz string }

func (w *windowFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&w.from, "from", "", "start: YYYY-MM-DD, RFC 3339 or words (\"monday\"); default today")
	fs.StringVar(&w.to, "to", "", "end, inclusive for a date; default 7 days after the start")
	fs.StringVar(&w.tz, "tz", "", "time zone to show times in (default: local)")
}

// resolve returns the window [from, to) and the viewer's zone.
func (w *windowFlags) resolve(now time.Time) (from, to time.Time, loc *time.Location, err error) {
	loc = time.Local
	if w.tz != "" {
		if loc, err = calendar.LoadZone(w.tz); err != nil {
			return from, to, nil, usageError{fmt.Sprintf("--tz: unknown time zone %q", w.tz)}
		}
	}
	now = now.In(loc)
	from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if w.from != "" {
		if from, err = parseWhen(w.from, now, loc, false); err != nil {
			return from, to, nil, usageError{"--from: " + err.Error()}
		}
	}
	to = from.AddDate(0, 0, 7)
	if w.to != "" {
		if to, err = parseWhen(w.to, now, loc, true); err != nil {
			return from, to, nil, usageError{"--to: " + err.Error()}
		}
	}
	if !to.After(from) {
		return from, to, nil, usageError{fmt.Sprintf("--to (%s) is not after --from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))}
	}
	return from, to, loc, nil
}

// parseWhen reads a date (the day's start, or for an end the next day's
// start), an RFC 3339 time, a local date-time, or an English expression.
func parseWhen(s string, now time.Time, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			return t.AddDate(0, 0, 1), nil
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if r, ok := when.Resolve(s, now, when.Options{Location: loc}); ok {
		if end && !r.End.IsZero() {
			return r.End, nil
		}
		return r.Start, nil
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a date (try YYYY-MM-DD)", s)
}

func runAgenda(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "agenda", "[--from D] [--to D] [--tz ZONE] [--json]")
	var w windowFlags
	w.add(fs)
	asJSON := fs.Bool("json", false, "one JSON object per occurrence (JSON Lines)")
	noInv := fs.Bool("no-invitations", false, "leave out unanswered invitations found in mail")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	from, to, loc, err := w.resolve(time.Now())
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	items, truncated, err := collectAgenda(ctx, st, from, to, loc, !*noInv)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, it := range items {
			if err := enc.Encode(it.json(loc)); err != nil {
				return err
			}
		}
	} else {
		printAgenda(env.Stdout, items, from, to, loc)
	}
	if truncated {
		fmt.Fprintln(env.Stderr, "pam agenda: some recurrences were cut short by the expansion bounds; narrow the range to see all")
	}
	return nil
}

// collectAgenda expands every stored event in [from, to) in loc, marks
// events cancelled by mail, and adds unanswered invitations when asked.
// truncated reports that an expansion bound cut something short.
func collectAgenda(ctx context.Context, st *store.Store, from, to time.Time, loc *time.Location, invitations bool) (items []agendaItem, truncated bool, err error) {
	cals, err := st.Calendars(ctx)
	if err != nil {
		return nil, false, err
	}
	names := map[int64]string{}
	for _, c := range cals {
		names[c.ID] = c.Name
	}
	objs, err := st.CalObjectsBetween(ctx, from, to)
	if err != nil {
		return nil, false, err
	}
	for _, o := range objs {
		add, tr := expandRaw(o.Raw, from, to, loc, names[o.Calendar])
		items = append(items, add...)
		truncated = truncated || tr
	}
	invs, err := st.Invites(ctx)
	if err != nil {
		return nil, false, err
	}
	latest := map[string]store.Invite{}
	var uids []string
	for _, iv := range invs {
		cur, ok := latest[iv.UID]
		if !ok {
			uids = append(uids, iv.UID)
		}
		if !ok || iv.Sequence > cur.Sequence || (iv.Sequence == cur.Sequence && !iv.Date.Before(cur.Date)) {
			latest[iv.UID] = iv
		}
	}
	for _, uid := range uids {
		iv := latest[uid]
		objs, err := st.CalObjectsByUID(ctx, uid)
		if err != nil {
			return nil, false, err
		}
		if len(objs) > 0 {
			if iv.Method == "CANCEL" {
				for i := range items {
					if items[i].UID == uid && iv.Sequence >= items[i].Sequence {
						items[i].CancelledBy = iv.MessageID
					}
				}
			}
			continue
		}
		if iv.Method != "REQUEST" || !invitations {
			continue
		}
		add, tr := expandRaw(iv.Raw, from, to, loc, "invitation")
		for i := range add {
			add[i].Invitation = iv.MessageID
		}
		items = append(items, add...)
		truncated = truncated || tr
	}
	slices.SortStableFunc(items, func(a, b agendaItem) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.Summary, b.Summary)
	})
	return items, truncated, nil
}

func expandRaw(raw []byte, from, to time.Time, loc *time.Location, calName string) ([]agendaItem, bool) {
	cal, err := calendar.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	occ, truncated := cal.Expand(from, to, loc, calendar.MaxOccurrences)
	out := make([]agendaItem, 0, len(occ))
	for _, o := range occ {
		ev := o.Event
		out = append(out, agendaItem{
			UID: ev.UID, Summary: ev.Summary, Location: ev.Location, Calendar: calName,
			Start: o.Start.In(loc), End: o.End.In(loc), AllDay: o.AllDay, Floating: ev.Start.Floating && !o.AllDay,
			Recurring: !o.RecurrenceID.IsZero(), RecurrenceID: o.RecurrenceID,
			Status: ev.Status, Transp: ev.Transp, Sequence: ev.Sequence,
		})
	}
	return out, truncated
}

func (it agendaItem) json(loc *time.Location) agendaJSON {
	j := agendaJSON{UID: it.UID, Summary: it.Summary, AllDay: it.AllDay, Location: it.Location, Calendar: it.Calendar,
		Recurring: it.Recurring, Floating: it.Floating, Status: it.Status, Invitation: it.Invitation, CancelledBy: it.CancelledBy}
	if it.AllDay {
		j.Start, j.End = it.Start.In(loc).Format("2006-01-02"), it.End.In(loc).Format("2006-01-02")
	} else {
		j.Start, j.End = it.Start.In(loc).Format(time.RFC3339), it.End.In(loc).Format(time.RFC3339)
	}
	if it.Recurring {
		j.RecurrenceID = it.RecurrenceID.In(loc).Format(time.RFC3339)
		if it.AllDay {
			j.RecurrenceID = it.RecurrenceID.In(loc).Format("2006-01-02")
		}
	}
	return j
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// printAgenda prints items grouped by day (an event that began before the
// window is listed on its first day).
func printAgenda(w io.Writer, items []agendaItem, from, to time.Time, loc *time.Location) {
	if len(items) == 0 {
		fmt.Fprintf(w, "nothing between %s and %s\n", from.In(loc).Format("Mon 2 Jan 2006"), to.Add(-time.Second).In(loc).Format("Mon 2 Jan 2006"))
		return
	}
	calNames := map[string]bool{}
	for _, it := range items {
		calNames[it.Calendar] = true
	}
	var day time.Time
	for _, it := range items {
		s := it.Start.In(loc)
		if s.Before(from) {
			s = from.In(loc)
		}
		if day.IsZero() || !sameDay(day, s) {
			if !day.IsZero() {
				fmt.Fprintln(w)
			}
			day = s
			fmt.Fprintln(w, s.Format("Monday 2 January 2006"))
		}
		fmt.Fprintf(w, "  %-13s %s\n", it.when(loc), it.line(len(calNames) > 1))
	}
}

func (it agendaItem) when(loc *time.Location) string {
	s, e := it.Start.In(loc), it.End.In(loc)
	if it.AllDay {
		days := int(e.Sub(s).Hours()/24 + 0.5)
		if days > 1 {
			return fmt.Sprintf("all day (%dd)", days)
		}
		return "all day"
	}
	if !e.After(s) {
		return s.Format("15:04")
	}
	end := e.Format("15:04")
	if !sameDay(s, e) {
		end = e.Format("Mon 15:04")
	}
	return s.Format("15:04") + "–" + end
}

func (it agendaItem) line(showCal bool) string {
	var b strings.Builder
	sum := it.Summary
	if sum == "" {
		sum = "(no title)"
	}
	b.WriteString(clipRunes(sum, 60))
	var notes []string
	if it.Recurring {
		notes = append(notes, "recurring")
	}
	if it.Floating {
		notes = append(notes, "floating time")
	}
	switch it.Status {
	case "TENTATIVE":
		notes = append(notes, "tentative")
	case "CANCELLED":
		notes = append(notes, "cancelled")
	}
	if it.CancelledBy != "" {
		notes = append(notes, "cancelled by mail "+shortID(it.CancelledBy))
	}
	if it.Invitation != "" {
		notes = append(notes, "invitation, not answered: pam invite "+shortID(it.Invitation)+" accept")
	}
	if len(notes) > 0 {
		b.WriteString("  (" + strings.Join(notes, ", ") + ")")
	}
	if it.Location != "" {
		b.WriteString("  @ " + clipRunes(it.Location, 50))
	}
	if showCal && it.Calendar != "" && it.Invitation == "" {
		b.WriteString("  [" + it.Calendar + "]")
	}
	return b.String()
}

func shortID(id string) string {
	if len(id) > 10 {
		return id[:10]
	}
	return id
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

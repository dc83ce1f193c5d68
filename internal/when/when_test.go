package when

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// ref is a Wednesday afternoon in a zone without daylight saving.
var (
	zone = time.FixedZone("UTC+1", 3600)
	ref  = time.Date(2024, 5, 15, 14, 20, 0, 0, zone) // Wednesday
)

const wall = "2006-01-02 15:04:05"

type want struct {
	start, end string // wall clock; end only checked when set
	grain      Grain
}

func check(t *testing.T, in string, r time.Time, opts Options, w want) {
	t.Helper()
	got, ok := Resolve(in, r, opts)
	if w.start == "" {
		if ok {
			t.Errorf("Resolve(%q) = %s %s, want none", in, got.Start.Format(wall), got.Grain)
		}
		return
	}
	if !ok {
		t.Errorf("Resolve(%q) = none, want %s %s", in, w.start, w.grain)
		return
	}
	if got.Start.Format(wall) != w.start || got.Grain != w.grain {
		t.Errorf("Resolve(%q) = %s %s, want %s %s", in, got.Start.Format(wall), got.Grain, w.start, w.grain)
	}
	if w.end != "" && got.End.Format(wall) != w.end {
		t.Errorf("Resolve(%q).End = %s, want %s", in, got.End.Format(wall), w.end)
	}
}

func TestResolveFamilies(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want want
	}{
		// relative days
		{"today", "today", want{"2024-05-15 00:00:00", "2024-05-16 00:00:00", Day}},
		{"tomorrow", "Tomorrow", want{"2024-05-16 00:00:00", "", Day}},
		{"yesterday", "yesterday", want{"2024-05-14 00:00:00", "", Day}},
		{"now", "right now", want{"2024-05-15 14:20:00", "", Second}},
		// weekdays: the next one that is not today
		{"friday", "Friday", want{"2024-05-17 00:00:00", "", Day}},
		{"same weekday", "wednesday", want{"2024-05-22 00:00:00", "", Day}},
		{"by friday", "by Friday", want{"2024-05-15 14:20:00", "2024-05-18 00:00:00", Second}},
		{"this thursday", "this Thursday", want{"2024-05-16 00:00:00", "", Day}},
		{"next tuesday 3pm", "next Tuesday 3pm", want{"2024-05-21 15:00:00", "", Hour}},
		{"last monday", "last Monday", want{"2024-05-13 00:00:00", "", Day}},
		{"friday after next", "Friday after next", want{"2024-05-24 00:00:00", "", Day}},
		// business close
		{"cob thursday", "COB Thursday", want{"2024-05-16 17:00:00", "", Hour}},
		{"eod", "EOD", want{"2024-05-15 17:00:00", "2024-05-16 00:00:00", Hour}},
		{"by eod", "by EOD", want{"2024-05-15 14:20:00", "2024-05-16 00:00:00", Second}},
		{"eob friday", "EOB Friday", want{"2024-05-17 17:00:00", "", Hour}},
		{"noon", "noon", want{"2024-05-16 12:00:00", "", Hour}},
		{"midnight", "midnight", want{"2024-05-16 00:00:00", "", Hour}},
		{"tomorrow noon", "tomorrow at noon", want{"2024-05-16 12:00:00", "", Hour}},
		// ends of periods
		{"end of month", "end of the month", want{"2024-05-21 00:00:00", "2024-06-01 00:00:00", Day}},
		{"end of week", "end of the week", want{"2024-05-17 00:00:00", "2024-05-20 00:00:00", Day}},
		{"end of year", "end of the year", want{"2024-09-01 00:00:00", "2025-01-01 00:00:00", Month}},
		{"by end of month", "by the end of the month", want{"2024-05-15 14:20:00", "2024-06-01 00:00:00", Second}},
		// days of the month and dates
		{"the 3rd", "the 3rd", want{"2024-06-03 00:00:00", "", Day}},
		{"on the 20th", "on the 20th", want{"2024-05-20 00:00:00", "", Day}},
		{"march 3", "March 3", want{"2025-03-03 00:00:00", "", Day}},
		{"3 march 2023", "3 March 2023", want{"2023-03-03 00:00:00", "", Day}},
		{"us date", "3/4", want{"2025-03-04 00:00:00", "", Day}},
		{"us date with year", "12/25/2024", want{"2024-12-25 00:00:00", "", Day}},
		{"iso", "2024-07-01", want{"2024-07-01 00:00:00", "", Day}},
		{"iso with time", "2024-07-01 09:15", want{"2024-07-01 09:15:00", "", Minute}},
		{"written", "June 5th, 2024", want{"2024-06-05 00:00:00", "", Day}},
		{"weekday and date", "Fri, May 24", want{"2024-05-24 00:00:00", "", Day}},
		// times
		{"3pm", "3pm", want{"2024-05-15 15:00:00", "", Hour}},
		{"15:30", "15:30", want{"2024-05-15 15:30:00", "", Minute}},
		{"past time is tomorrow", "9am", want{"2024-05-16 09:00:00", "", Hour}},
		{"half past", "half past four", want{"2024-05-15 16:30:00", "", Minute}},
		{"quarter to", "a quarter to noon", want{"2024-05-16 11:45:00", "", Minute}},
		{"words", "ten thirty pm", want{"2024-05-15 22:30:00", "", Minute}},
		{"tonight", "8 tonight", want{"2024-05-15 20:00:00", "", Hour}},
		{"morning", "tomorrow morning", want{"2024-05-16 00:00:00", "2024-05-16 12:00:00", Hour}},
		// zones: 3pm Pacific daylight time is 22:00 UTC, 23:00 here
		{"pt", "3pm PT", want{"2024-05-15 23:00:00", "", Minute}},
		{"pst", "10:00 PST", want{"2024-05-15 19:00:00", "", Minute}},
		{"cet", "4pm CET", want{"2024-05-15 16:00:00", "", Minute}},
		{"utc", "Thursday 9am UTC", want{"2024-05-16 10:00:00", "", Minute}},
		// durations
		{"in two weeks", "in two weeks", want{"2024-05-29 00:00:00", "", Day}},
		{"in 3 days", "in 3 days", want{"2024-05-18 14:00:00", "", Hour}},
		{"in 90 minutes", "in 90 minutes", want{"2024-05-15 15:50:00", "", Second}},
		{"in half an hour", "in half an hour", want{"2024-05-15 14:50:00", "", Second}},
		{"a week from monday", "a week from Monday", want{"2024-05-27 00:00:00", "", Day}},
		{"two days ago", "two days ago", want{"2024-05-13 14:00:00", "", Hour}},
		{"business days", "in 3 business days", want{"2024-05-20 00:00:00", "", Day}},
		{"within", "within 2 weeks", want{"2024-05-15 14:20:00", "2024-05-29 00:00:00", Second}},
		// cycles and quarters
		{"this week", "this week", want{"2024-05-13 00:00:00", "2024-05-20 00:00:00", Week}},
		{"next month", "next month", want{"2024-06-01 00:00:00", "2024-07-01 00:00:00", Month}},
		{"q3", "Q3", want{"2024-07-01 00:00:00", "2024-10-01 00:00:00", Quarter}},
		{"q1 past", "Q1", want{"2024-01-01 00:00:00", "", Quarter}},
		{"4th quarter 2025", "the 4th quarter of 2025", want{"2025-10-01 00:00:00", "", Quarter}},
		{"next 3 days", "next 3 days", want{"2024-05-16 00:00:00", "2024-05-19 00:00:00", Day}},
		{"first monday", "first Monday of June", want{"2024-06-03 00:00:00", "", Day}},
		{"weekend", "this weekend", want{"2024-05-17 18:00:00", "2024-05-20 00:00:00", Hour}},
		// ranges
		{"weekday range", "Monday–Wednesday", want{"2024-05-20 00:00:00", "2024-05-23 00:00:00", Day}},
		{"weekday range ascii", "Mon - Wed", want{"2024-05-20 00:00:00", "2024-05-23 00:00:00", Day}},
		{"from 2 to 4pm", "from 2 to 4pm", want{"2024-05-15 14:00:00", "2024-05-15 17:00:00", Hour}},
		{"between", "between 9:30 and 11:00 on Thursday", want{"2024-05-16 09:30:00", "2024-05-16 11:01:00", Minute}},
		{"date range", "June 3-5", want{"2024-06-03 00:00:00", "2024-06-06 00:00:00", Day}},
		// open intervals
		{"until", "until 2pm", want{"2024-05-15 14:00:00", "", Hour}},
		{"after", "after 5pm", want{"2024-05-15 17:00:00", "", Hour}},
		{"asap", "ASAP", want{"2024-05-15 14:20:00", "", Second}},
		// number words
		{"number words", "in twenty-one days", want{"2024-06-05 14:00:00", "", Hour}},
		{"ordinal words", "the twenty-first of June", want{"2024-06-21 00:00:00", "", Day}},
		// not dates
		{"words", "thanks for the update", want{}},
		{"phone", "at 650-650-6500", want{}},
		{"lone letter", "4a", want{}},
		{"empty", "", want{}},
		{"bc", "in 2014 BC", want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, tt.in, ref, Options{}, tt.want)
		})
	}
}

func TestResolveOpenDirection(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Direction
	}{
		{"until Friday", Before}, {"before noon", Before}, {"after 5pm", After}, {"since 2020", After}, {"ASAP", After}, {"Friday", Closed},
	} {
		got, ok := Resolve(tt.in, ref, Options{})
		if !ok || got.Open != tt.want {
			t.Errorf("Resolve(%q).Open = %v (ok %v), want %v", tt.in, got.Open, ok, tt.want)
		}
	}
}

func TestFutureBias(t *testing.T) {
	// Saturday: "Friday" is next week's, with or without bias.
	sat := time.Date(2024, 5, 18, 10, 0, 0, 0, zone)
	check(t, "Friday", sat, Options{FutureBias: true}, want{"2024-05-24 00:00:00", "", Day})
	// A weekday and date already past: Duckling's default takes the past
	// one, future bias the next year it matches.
	check(t, "Wed, May 8", ref, Options{}, want{"2024-05-08 00:00:00", "", Day})
	check(t, "Wed, May 8", ref, Options{FutureBias: true}, want{"2030-05-08 00:00:00", "", Day})
	// A quarter that has ended moves to next year only with bias.
	check(t, "Q1", ref, Options{FutureBias: true}, want{"2025-01-01 00:00:00", "", Quarter})
	// Explicit past stays past.
	check(t, "yesterday", ref, Options{FutureBias: true}, want{"2024-05-14 00:00:00", "", Day})
	check(t, "last Friday", ref, Options{FutureBias: true}, want{"2024-05-10 00:00:00", "", Day})
	check(t, "3/4/2020", ref, Options{FutureBias: true}, want{"2020-03-04 00:00:00", "", Day})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func TestDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	// Saturday before the spring-forward night (2024-03-10, 02:00 -> 03:00).
	r := time.Date(2024, 3, 9, 12, 0, 0, 0, ny)
	opts := Options{Location: ny}
	// Calendar arithmetic keeps the wall clock across the change.
	check(t, "tomorrow", r, opts, want{"2024-03-10 00:00:00", "2024-03-11 00:00:00", Day})
	check(t, "Monday 9am", r, opts, want{"2024-03-11 09:00:00", "", Hour})
	check(t, "in 2 days", r, opts, want{"2024-03-11 12:00:00", "", Hour})
	// Clock arithmetic counts real hours: 24 hours later is 13:00 on Sunday.
	check(t, "24 hours from now", r, opts, want{"2024-03-10 13:00:00", "", Second})
	got, _ := Resolve("tomorrow", r, opts)
	if d := got.End.Sub(got.Start); d != 23*time.Hour {
		t.Errorf("Resolve(tomorrow) spans %v, want 23h on the spring-forward day", d)
	}
	// A time that does not exist that night resolves without panicking.
	if _, ok := Resolve("tomorrow at 2:30am", r, opts); !ok {
		t.Errorf("Resolve(tomorrow at 2:30am) = none, want a time")
	}
	// Results are in the user's zone, even when ref is not.
	got, ok := Resolve("3pm", r.UTC(), opts)
	if !ok || got.Start.Location() != ny || got.Start.Hour() != 15 {
		t.Errorf("Resolve(3pm) with UTC ref = %v, want 15:00 New York", got.Start)
	}
}

func TestAddBusinessDays(t *testing.T) {
	fri := time.Date(2024, 5, 17, 9, 0, 0, 0, zone)
	holiday := func(d time.Time) bool { return d.Month() == 5 && d.Day() == 20 }
	tests := []struct {
		from time.Time
		n    int
		opts Options
		want string
	}{
		{fri, 1, Options{}, "2024-05-20 09:00:00"},
		{fri, 3, Options{}, "2024-05-22 09:00:00"},
		{fri, 1, Options{Holidays: holiday}, "2024-05-21 09:00:00"},
		{fri, -5, Options{}, "2024-05-10 09:00:00"},
		{fri, 0, Options{}, "2024-05-17 09:00:00"},
		{fri.AddDate(0, 0, 1), 1, Options{}, "2024-05-20 09:00:00"}, // from Saturday
	}
	for _, tt := range tests {
		if got := AddBusinessDays(tt.from, tt.n, tt.opts).Format(wall); got != tt.want {
			t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from.Format(wall), tt.n, got, tt.want)
		}
	}
	// Holidays that never end do not hang.
	AddBusinessDays(fri, 2, Options{Holidays: func(time.Time) bool { return true }})
}

func TestDueFrom(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"by Friday", "2024-05-17 17:00:00"},
		{"Friday", "2024-05-17 17:00:00"},
		{"by EOD", "2024-05-15 17:00:00"},
		{"COB Thursday", "2024-05-16 17:00:00"},
		{"by 2pm tomorrow", "2024-05-16 14:00:00"},
		{"next Tuesday 3pm", "2024-05-21 15:00:00"},
		{"end of the month", "2024-05-31 17:00:00"},
		{"before Friday", "2024-05-16 17:00:00"},
		{"until 11:30", "2024-05-15 23:30:00"},
		{"in 2 hours", "2024-05-15 16:20:00"},
	}
	for _, tt := range tests {
		r, ok := Resolve(tt.in, ref, Options{})
		if !ok {
			t.Errorf("Resolve(%q) = none", tt.in)
			continue
		}
		if got := DueFrom(r, Options{}).Format(wall); got != tt.want {
			t.Errorf("DueFrom(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	r, _ := Resolve("Friday", ref, Options{})
	if got := DueFrom(r, Options{CloseOfBusiness: 18}).Format(wall); got != "2024-05-17 18:00:00" {
		t.Errorf("DueFrom(Friday, close 18) = %s, want 18:00", got)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []string // matched texts
	}{
		{"could you send it by Friday EOD?", []string{"by Friday EOD"}},
		{"Let's meet next Tuesday 3pm PT to review.", []string{"next Tuesday 3pm PT"}},
		{"I have 7 apples and a morning coffee", nil},
		{"Are you free Monday–Wednesday? If not, the 3rd works.", []string{"Monday–Wednesday"}},
		{"Please reply by the 3rd, or COB Thursday at the latest.", []string{"by the 3rd", "COB Thursday"}},
		{"You may want to check the report in two weeks", []string{"in two weeks"}},
		{"The Q3 numbers are due on 2024-07-15.", []string{"Q3", "on 2024-07-15"}},
	}
	for _, tt := range tests {
		got := Find(tt.in, ref, Options{})
		var texts []string
		for _, r := range got {
			texts = append(texts, r.Text)
			if tt.in[r.Pos:r.EndPos] != r.Text {
				t.Errorf("Find(%q): span %d:%d does not match %q", tt.in, r.Pos, r.EndPos, r.Text)
			}
		}
		if strings.Join(texts, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.in, texts, tt.want)
		}
	}
}

func TestGrainNames(t *testing.T) {
	for g := Second; g <= Year; g++ {
		back, ok := ParseGrain(g.String())
		if !ok || back != g {
			t.Errorf("ParseGrain(%q) = %v, %v, want %v", g.String(), back, ok, g)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"by Friday EOD", "next Tuesday 3pm", "3/4", "Q3 2024", "from 2 to 4pm", "Monday–Wednesday",
		"in 99999999 business days", "the 31st of February", "12:60", "2015-03-28 17:00:00/2015-03-29 21:00:00",
		"third last week of 2018", "last weekend of October", "in 3.5 hours", "9 tomorrow evening", "ASAP",
		"between 9h30 and 11h00 on thursday", "\xff\xfe", "at 650-650-6500", "99999999999999999999 days ago",
	} {
		f.Add(s)
	}
	r := time.Date(2024, 5, 15, 14, 20, 0, 0, zone)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 512 {
			return
		}
		began := time.Now()
		res, ok := Resolve(s, r, Options{})
		if ok {
			if res.Open == Closed && res.End.Before(res.Start) {
				t.Errorf("Resolve(%q): End %v before Start %v", s, res.End, res.Start)
			}
			if res.Pos < 0 || res.EndPos > len(s) || res.Pos > res.EndPos {
				t.Errorf("Resolve(%q): bad span %d:%d", s, res.Pos, res.EndPos)
			}
		}
		for _, fr := range Find(s, r, Options{FutureBias: true}) {
			if fr.Open == Closed && fr.End.Before(fr.Start) {
				t.Errorf("Find(%q): End before Start in %q", s, fr.Text)
			}
			if !utf8.ValidString(s) {
				continue
			}
			if s[fr.Pos:fr.EndPos] != fr.Text {
				t.Errorf("Find(%q): span does not match text", s)
			}
		}
		if d := time.Since(began); d > 2*time.Second {
			t.Errorf("Resolve/Find(%q) took %v", s, d)
		}
	})
}

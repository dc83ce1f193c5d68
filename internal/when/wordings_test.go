package when

import (
	"strings"
	"testing"
	"time"
)

// TestResolveWordings covers wordings added for generalisation beyond the
// development rows of the Duckling corpus. The reference is Wednesday
// 2024-05-15 14:20 (see ref); expected values follow Duckling's
// conventions where it has them (grain, next instance that has not ended,
// exclusive ends) and are noted where PAM chose its own.
func TestResolveWordings(t *testing.T) {
	tests := []struct {
		family string
		in     string
		want   want
	}{
		// instants and plural or article-led weekdays
		{"instant", "immediately", want{"2024-05-15 14:20:00", "", Second}},
		{"instant", "tonights", want{"2024-05-15 18:00:00", "2024-05-16 00:00:00", Hour}},
		{"weekday", "on a Friday", want{"2024-05-17 00:00:00", "", Day}},
		{"weekday", "mondays", want{"2024-05-20 00:00:00", "", Day}},
		{"weekday", "this past Monday", want{"2024-05-13 00:00:00", "", Day}},
		{"weekday", "Friday before last", want{"2024-05-03 00:00:00", "", Day}},
		{"weekday", "this coming Friday", want{"2024-05-17 00:00:00", "", Day}},
		// Monday week (British): a week after the coming Monday
		{"weekday", "Monday week", want{"2024-05-27 00:00:00", "", Day}},
		{"weekday", "a week on Monday", want{"2024-05-27 00:00:00", "", Day}},
		{"weekday", "a week today", want{"2024-05-22 00:00:00", "", Day}},
		{"weekday", "a fortnight tomorrow", want{"2024-05-30 00:00:00", "", Day}},
		{"business day", "next business day", want{"2024-05-16 00:00:00", "2024-05-17 00:00:00", Day}},
		// weekends and cycles before last / after next
		{"weekend", "weekend after next", want{"2024-05-24 18:00:00", "2024-05-27 00:00:00", Hour}},
		{"weekend", "the weekend before last", want{"2024-05-03 18:00:00", "", Hour}},
		{"weekend", "over the weekend", want{"2024-05-17 18:00:00", "", Hour}},
		{"weekend", "next weekend", want{"2024-05-24 18:00:00", "", Hour}},
		{"weekend", "last weekend", want{"2024-05-10 18:00:00", "", Hour}},
		{"cycle", "the week before last", want{"2024-04-29 00:00:00", "", Week}},
		{"cycle", "the year after next", want{"2026-01-01 00:00:00", "", Year}},
		{"cycle", "some time next week", want{"2024-05-20 00:00:00", "", Week}},
		// Duckling's "rest of the week" runs to Friday
		{"cycle", "rest of the week", want{"2024-05-15 00:00:00", "2024-05-18 00:00:00", Day}},
		// the <cycle> after|before|of <time>
		{"cycle of", "the day after Christmas", want{"2024-12-26 00:00:00", "", Day}},
		{"cycle of", "the week after Christmas", want{"2024-12-30 00:00:00", "", Week}},
		{"cycle of", "the day before Friday", want{"2024-05-16 00:00:00", "", Day}},
		{"cycle of", "the month of August", want{"2024-08-01 00:00:00", "", Month}},
		{"cycle of", "the 2nd day after tomorrow", want{"2024-05-18 00:00:00", "", Day}},
		{"cycle of", "3 days past tomorrow", want{"2024-05-19 00:00:00", "", Day}},
		{"cycle of", "the day after the day after tomorrow", want{"2024-05-18 00:00:00", "", Day}},
		// clock times
		{"clock", "at 7.30", want{"2024-05-15 19:30:00", "", Minute}},
		{"clock", "at 18.45", want{"2024-05-15 18:45:00", "", Minute}},
		{"clock", "five-thirty", want{"2024-05-15 17:30:00", "", Minute}},
		{"clock", "three twenty", want{}},
		{"clock", "3pmish", want{"2024-05-15 15:00:00", "", Hour}},
		{"clock", "exactly 3pm", want{"2024-05-15 15:00:00", "", Hour}},
		{"clock", "midnite", want{"2024-05-16 00:00:00", "", Hour}},
		{"clock", "08:30h", want{"2024-05-16 08:30:00", "", Minute}},
		{"clock", "1500 hrs", want{"2024-05-15 15:00:00", "", Minute}},
		{"clock", "at 1500", want{"2024-05-15 15:00:00", "", Minute}},
		{"clock", "3 o'clock", want{"2024-05-15 15:00:00", "", Hour}},
		{"clock", "quarter to five", want{"2024-05-15 16:45:00", "", Minute}},
		{"clock", "half past three", want{"2024-05-15 15:30:00", "", Minute}},
		// parts of the day
		{"part of day", "after work", want{"2024-05-15 17:00:00", "2024-05-15 21:00:00", Hour}},
		{"part of day", "after school", want{"2024-05-15 15:00:00", "", Hour}},
		{"part of day", "late morning", want{"2024-05-16 09:00:00", "2024-05-16 12:00:00", Hour}},
		{"part of day", "late afternoon", want{"2024-05-15 15:00:00", "2024-05-15 19:00:00", Hour}},
		{"part of day", "early evening", want{"2024-05-15 18:00:00", "2024-05-15 21:00:00", Hour}},
		{"part of day", "tomorrow early afternoon", want{"2024-05-16 12:00:00", "2024-05-16 15:00:00", Hour}},
		{"part of day", "later today", want{"2024-05-15 14:20:00", "2024-05-16 00:00:00", Second}},
		// parts of periods
		{"edge", "mid-month", want{"2024-05-11 00:00:00", "2024-05-21 00:00:00", Day}},
		{"edge", "mid-March", want{"2025-03-11 00:00:00", "2025-03-21 00:00:00", Day}},
		{"edge", "late of August", want{"2024-08-21 00:00:00", "2024-09-01 00:00:00", Day}},
		{"edge", "late next month", want{"2024-06-21 00:00:00", "2024-07-01 00:00:00", Day}},
		{"edge", "early next year", want{"2025-01-01 00:00:00", "2025-04-01 00:00:00", Month}},
		{"edge", "beginning of next week", want{"2024-05-20 00:00:00", "2024-05-23 00:00:00", Day}},
		{"edge", "end of next week", want{"2024-05-24 00:00:00", "2024-05-27 00:00:00", Day}},
		// mid-week is PAM's own: Tuesday to Thursday
		{"edge", "mid next week", want{"2024-05-21 00:00:00", "2024-05-24 00:00:00", Day}},
		{"edge", "last day of the month", want{"2024-05-31 00:00:00", "", Day}},
		{"edge", "first Monday of March", want{"2025-03-03 00:00:00", "", Day}},
		// numeric months and dates
		{"numeric", "3/2025", want{"2025-03-01 00:00:00", "2025-04-01 00:00:00", Month}},
		{"numeric", "2025-03", want{"2025-03-01 00:00:00", "", Month}},
		{"numeric", "2025/03", want{"2025-03-01 00:00:00", "", Month}},
		{"numeric", "18/06/2024", want{"2024-06-18 00:00:00", "", Day}},
		{"numeric", "25/12", want{"2024-12-25 00:00:00", "", Day}},
		{"numeric", "2024-07-01T09:15", want{"2024-07-01 09:15:00", "", Minute}},
		{"numeric", "2024-07-01T09:15:30Z", want{"2024-07-01 10:15:30", "", Second}},
		{"numeric", "2024-07-01T09:15+02:00", want{"2024-07-01 08:15:00", "", Minute}},
		// written dates
		{"written", "the twenty-first", want{"2024-05-21 00:00:00", "", Day}},
		{"written", "Thursday the 16th", want{"2024-05-16 00:00:00", "", Day}},
		{"written", "5th of June", want{"2024-06-05 00:00:00", "", Day}},
		{"written", "May 5th, 2027", want{"2027-05-05 00:00:00", "", Day}},
		{"written", "the 20th at noon", want{"2024-05-20 12:00:00", "", Hour}},
		// quarters and halves (a half year is a six-month interval at month grain)
		{"quarter", "Q4 of 2025", want{"2025-10-01 00:00:00", "", Quarter}},
		{"quarter", "2025 Q1", want{"2025-01-01 00:00:00", "", Quarter}},
		{"quarter", "the second quarter of next year", want{"2025-04-01 00:00:00", "", Quarter}},
		{"half", "H2", want{"2024-07-01 00:00:00", "2025-01-01 00:00:00", Month}},
		{"half", "H1 2025", want{"2025-01-01 00:00:00", "2025-07-01 00:00:00", Month}},
		{"half", "the first half of next year", want{"2025-01-01 00:00:00", "", Month}},
		// holidays (Easter 2024 was March 31, so the next is April 20, 2025)
		{"holiday", "Easter", want{"2025-04-20 00:00:00", "", Day}},
		{"holiday", "Thanksgiving", want{"2024-11-28 00:00:00", "", Day}},
		{"holiday", "Labor Day", want{"2024-09-02 00:00:00", "", Day}},
		{"holiday", "Memorial Day", want{"2024-05-27 00:00:00", "", Day}},
		{"holiday", "Mother's Day", want{"2025-05-11 00:00:00", "", Day}},
		{"holiday", "the day after Thanksgiving", want{"2024-11-29 00:00:00", "", Day}},
		{"holiday", "Easter 2026", want{"2026-04-05 00:00:00", "", Day}},
		{"holiday", "Martin Luther King' day", want{}},
		{"holiday", "palm", want{}},
		// Duckling shifts every occurrence of a yearly date and keeps the
		// first that ends after now.
		{"holiday", "three days after Easter", want{"2025-04-23 00:00:00", "", Day}},
		{"holiday", "a year after Christmas", want{"2024-12-25 00:00:00", "", Day}},
		{"holiday", "3 days before Christmas", want{"2024-12-22 00:00:00", "", Day}},
		// seasons with a year
		{"season", "summer 2025", want{"2025-06-21 00:00:00", "", Day}},
		{"season", "spring of 2025", want{"2025-03-20 00:00:00", "", Day}},
		// durations
		{"duration", "a fortnight from now", want{"2024-05-29 14:20:00", "", Second}},
		{"duration", "in a fortnight", want{"2024-05-29 14:00:00", "", Hour}},
		{"duration", "two days from now", want{"2024-05-17 14:20:00", "", Second}},
		{"duration", "three weeks ago", want{"2024-04-24 00:00:00", "", Day}},
		{"duration", "2 years hence", want{"2026-05-01 00:00:00", "", Month}},
		{"duration", "in a couple of hours", want{"2024-05-15 16:20:00", "", Minute}},
		{"duration", "in two weeks' time", want{"2024-05-29 00:00:00", "", Day}},
		{"duration", "in 3 months time", want{"2024-08-15 00:00:00", "", Day}},
		{"duration", "within the hour", want{"2024-05-15 14:20:00", "2024-05-15 15:20:00", Second}},
		// ranges and open intervals
		{"range", "from Monday through Friday", want{"2024-05-20 00:00:00", "2024-05-25 00:00:00", Day}},
		{"range", "between 4 and 6pm", want{"2024-05-15 16:00:00", "2024-05-15 19:00:00", Hour}},
		{"range", "in-between 4 and 6pm", want{"2024-05-15 16:00:00", "", Hour}},
		{"open", "sometime before noon", want{"2024-05-16 12:00:00", "", Hour}},
		{"open", "anytime after 6pm", want{"2024-05-15 18:00:00", "", Hour}},
		// nth and last months or quarters of a period
		{"nth of", "the first month of next year", want{"2025-01-01 00:00:00", "", Month}},
		{"nth of", "last quarter of the year", want{"2024-10-01 00:00:00", "", Quarter}},
		{"duration", "in an hour and a half", want{"2024-05-15 15:50:00", "", Second}},
		// zones, and the numeric offsets of mail headers (RFC 5322)
		{"zone", "10am CET", want{"2024-05-16 10:00:00", "", Minute}},
		{"zone", "Tue, 26 Mar 2024 10:00:00 +0100", want{"2024-03-26 10:00:00", "", Second}},
		{"zone", "Tue, 26 Mar 2024 10:00:00 -0500", want{"2024-03-26 16:00:00", "", Second}},
		{"range", "9:30-11:00", want{"2024-05-15 21:30:00", "2024-05-15 23:01:00", Minute}}, // the next 9:30, as Duckling
	}
	for _, tt := range tests {
		t.Run(tt.family+"/"+tt.in, func(t *testing.T) {
			check(t, tt.in, ref, Options{}, tt.want)
		})
	}
}

func TestResolveWordingsOpen(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Direction
	}{
		{"sometime before noon", Before}, {"anytime before 5pm", Before}, {"sometimes after 3pm", After},
	} {
		got, ok := Resolve(tt.in, ref, Options{})
		if !ok || got.Open != tt.want {
			t.Errorf("Resolve(%q).Open = %v (ok %v), want %v", tt.in, got.Open, ok, tt.want)
		}
	}
}

// TestResolveBusinessDayFromFriday checks that the next working day
// skips the weekend.
func TestResolveBusinessDayFromFriday(t *testing.T) {
	fri := time.Date(2024, 5, 17, 16, 0, 0, 0, zone)
	check(t, "next working day", fri, Options{}, want{"2024-05-20 00:00:00", "", Day})
}

func TestDueFromWordings(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"by close of play", "2024-05-15 17:00:00"},
		{"later today", "2024-05-15 17:00:00"},
		{"rest of the week", "2024-05-17 17:00:00"},
		{"by the end of Q2", "2024-06-30 17:00:00"}, // calendar days, not business days
		{"within the hour", "2024-05-15 15:20:00"},
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
}

func TestFindWordings(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Can we meet the day after Christmas?", []string{"day after Christmas"}},
		{"The export runs at 2024-07-01T09:00Z every night.", []string{"at 2024-07-01T09:00Z"}},
		{"I'll look at it after work, or Monday week at the latest.", []string{"after work", "Monday week"}},
		{"Version 2.10 of the H1 visa form", nil},
		{"It has been three weeks today.", []string{"today"}},
		{"We plan to ship in H2 2025.", []string{"in H2 2025"}},
	}
	for _, tt := range tests {
		var texts []string
		for _, r := range Find(tt.in, ref, Options{}) {
			texts = append(texts, r.Text)
		}
		if strings.Join(texts, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.in, texts, tt.want)
		}
	}
}

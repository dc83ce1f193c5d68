package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// expandN returns up to n instances of rule from start (floating wall time).
func expandN(t *testing.T, rule, start string, n int) []string {
	t.Helper()
	r, err := ParseRule(rule, nil)
	if err != nil {
		t.Fatalf("ParseRule(%q): %v", rule, err)
	}
	s, err := parseDateTimeText(start, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &expander{r: r, start: s.wall(), instant: func(w time.Time) time.Time { return w }}
	var out []string
	e.expand(time.Time{}, func(w time.Time) bool {
		out = append(out, w.Format("20060102T150405"))
		return len(out) < n
	})
	return out
}

// The examples of RFC 5545 section 3.8.5.3 (floating, so DST plays no part).
func TestRuleRFCExamples(t *testing.T) {
	tests := []struct {
		rule, start string
		n           int
		want        string
	}{
		{"FREQ=DAILY;COUNT=10", "19970902T090000", 99, "19970902 19970903 19970904 19970905 19970906 19970907 19970908 19970909 19970910 19970911"},
		{"FREQ=DAILY;UNTIL=19970907T000000", "19970902T090000", 99, "19970902 19970903 19970904 19970905 19970906"},
		{"FREQ=DAILY;INTERVAL=10;COUNT=5", "19970902T090000", 99, "19970902 19970912 19970922 19971002 19971012"},
		{"FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH;COUNT=8", "19970902T090000", 99, "19970902 19970904 19970916 19970918 19970930 19971002 19971014 19971016"},
		{"FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "19970905T090000", 99, "19970905 19971003 19971107 19971205 19980102 19980206 19980306 19980403 19980501 19980605"},
		{"FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "19970907T090000", 99, "19970907 19970928 19971102 19971130 19980104 19980125 19980301 19980329 19980503 19980531"},
		{"FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "19970922T090000", 99, "19970922 19971020 19971117 19971222 19980119 19980216"},
		{"FREQ=MONTHLY;BYMONTHDAY=-3", "19970928T090000", 6, "19970928 19971029 19971128 19971229 19980129 19980226"},
		{"FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "19970930T090000", 99, "19970930 19971001 19971031 19971101 19971130 19971201 19971231 19980101 19980131 19980201"},
		{"FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "19970610T090000", 99, "19970610 19970710 19980610 19980710 19990610 19990710 20000610 20000710 20010610 20010710"},
		{"FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "19970101T090000", 99, "19970101 19970410 19970719 20000101 20000409 20000718 20030101 20030410 20030719 20060101"},
		{"FREQ=YEARLY;BYDAY=20MO", "19970519T090000", 3, "19970519 19980518 19990517"},
		{"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "19970512T090000", 3, "19970512 19980511 19990517"},
		{"FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "19970313T090000", 6, "19970313 19970320 19970327 19980305 19980312 19980319"},
		{"FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "19970902T090000", 5, "19970902 19980213 19980313 19981113 19990813"},
		{"FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", "19961105T090000", 3, "19961105 20001107 20041102"},
		{"FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "19970904T090000", 99, "19970904 19971007 19971106"},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "19970929T090000", 4, "19970929 19971030 19971127 19971230"},
		{"FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "20070115T090000", 99, "20070115 20070130 20070215 20070315 20070330"},
		{"FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "19970805T090000", 99, "19970805 19970810 19970819 19970824"},
		{"FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "19970805T090000", 99, "19970805 19970817 19970819 19970831"},
		// Leap day: only leap years.
		{"FREQ=YEARLY;COUNT=3", "20000229T090000", 99, "20000229 20040229 20080229"},
		// A DTSTART that does not match the rule is still the first instance.
		{"FREQ=WEEKLY;BYDAY=MO;COUNT=3", "20240103T090000", 99, "20240103 20240108 20240115"},
	}
	for _, tt := range tests {
		got := expandN(t, tt.rule, tt.start, tt.n)
		var days []string
		for _, g := range got {
			days = append(days, g[:8])
		}
		if diff := cmp.Diff(tt.want, strings.Join(days, " ")); diff != "" {
			t.Errorf("expand(%s from %s) mismatch (-want +got):\n%s", tt.rule, tt.start, diff)
		}
	}
}

func TestRuleTimes(t *testing.T) {
	tests := []struct {
		rule, start string
		n           int
		want        []string
	}{
		{"FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "19970902T090000", 4, []string{"19970902T090000", "19970902T092000", "19970902T094000", "19970902T100000"}},
		{"FREQ=MINUTELY;INTERVAL=90;COUNT=4", "19970902T090000", 99, []string{"19970902T090000", "19970902T103000", "19970902T120000", "19970902T133000"}},
		{"FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000", "19970902T090000", 99, []string{"19970902T090000", "19970902T120000", "19970902T150000"}},
		{"FREQ=HOURLY;BYHOUR=23,1;COUNT=3", "19970902T230000", 99, []string{"19970902T230000", "19970903T010000", "19970903T230000"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, expandN(t, tt.rule, tt.start, tt.n)); diff != "" {
			t.Errorf("expand(%s from %s) mismatch (-want +got):\n%s", tt.rule, tt.start, diff)
		}
	}
}

func TestRuleStringRoundTrip(t *testing.T) {
	for _, s := range []string{
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
		"FREQ=MONTHLY;UNTIL=20241231T230000Z;BYDAY=-1SU;BYSETPOS=1",
		"FREQ=YEARLY;COUNT=5;BYMONTHDAY=-1;BYMONTH=3;X-NAME=1",
		"FREQ=DAILY;UNTIL=20240101",
	} {
		r, err := ParseRule(s, nil)
		if err != nil {
			t.Fatalf("ParseRule(%q): %v", s, err)
		}
		if got := r.String(); got != s {
			t.Errorf("ParseRule(%q).String() = %q", s, got)
		}
	}
	for _, bad := range []string{"", "INTERVAL=2", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;COUNT=-1", "FREQ=DAILY;BYMONTH=13", "FREQ=DAILY;BYDAY=XX", "FREQ=DAILY;FREQ=WEEKLY", "FREQ=DAILY;BYMONTHDAY=0"} {
		if _, err := ParseRule(bad, nil); err == nil {
			t.Errorf("ParseRule(%q) succeeded, want an error", bad)
		}
	}
}

func TestWallToInstant(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	tests := []struct {
		wall time.Time
		want string
	}{
		{time.Date(2024, 3, 10, 2, 30, 0, 0, time.UTC), "2024-03-10T07:30:00Z"}, // gap: read as EST
		{time.Date(2024, 11, 3, 1, 30, 0, 0, time.UTC), "2024-11-03T05:30:00Z"}, // twice: the first (EDT)
		{time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC), "2024-07-01T16:00:00Z"},
	}
	for _, tt := range tests {
		if got := wallToInstant(tt.wall, ny).UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("wallToInstant(%v, New York) = %s, want %s", tt.wall, got, tt.want)
		}
	}
}

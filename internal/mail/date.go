package mail

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04:05 -0700",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon, Jan 2 2006 15:04:05 -0700",
	"Mon, Jan 2, 2006 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"01/02/2006 15:04:05",
	"Mon, 2 Jan 2006",
	"2 Jan 2006",
}

var (
	reComment = regexp.MustCompile(`\([^)]*\)`)
	reSpaces  = regexp.MustCompile(`\s+`)
	reZoneNum = regexp.MustCompile(`([+-])(\d{1,2}):?(\d{2})$`)
)

// zone abbreviations seen in old mail, as offsets in minutes.
var zoneAbbr = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "MET": 60, "CEST": 120, "MEST": 120,
	"EET": 120, "EEST": 180, "MSK": 180, "IST": 330, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
	"EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
	"AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210,
}

// ParseDate parses a Date header as found in real mail, including the
// broken forms old clients wrote: comments, missing or named zones,
// two-digit years, missing seconds, odd spacing. The result is in UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}, false
	}
	s = reComment.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, ",", ", ")
	s = reSpaces.ReplaceAllString(strings.TrimSpace(s), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	s = strings.ReplaceAll(s, ", ,", ",")
	s = strings.TrimRight(s, ", ")
	// Drop an unknown weekday or a misspelt one: parse without it.
	candidates := []string{s}
	if i := strings.Index(s, ", "); i > 0 && i <= 10 {
		candidates = append(candidates, s[i+2:])
	}
	for _, c := range candidates {
		c = fixZone(c)
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, c); err == nil {
				return sane(t)
			}
		}
	}
	return time.Time{}, false
}

// fixZone normalises the trailing zone: "+0:00" and "+05:30" to "+0530", a
// known abbreviation to its offset.
func fixZone(s string) string {
	if m := reZoneNum.FindStringSubmatchIndex(s); m != nil {
		sign := s[m[2]:m[3]]
		hh, _ := strconv.Atoi(s[m[4]:m[5]])
		mm := s[m[6]:m[7]]
		return s[:m[0]] + sign + twoDigits(hh) + mm
	}
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return s
	}
	abbr := strings.ToUpper(s[i+1:])
	if off, ok := zoneAbbr[abbr]; ok {
		sign := "+"
		if off < 0 {
			sign, off = "-", -off
		}
		return s[:i] + " " + sign + twoDigits(off/60) + twoDigits(off%60)
	}
	return s
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// sane rejects dates no mail can have and maps two-digit years.
func sane(t time.Time) (time.Time, bool) {
	y := t.Year()
	if y < 100 {
		if y < 70 {
			t = t.AddDate(2000, 0, 0)
		} else {
			t = t.AddDate(1900, 0, 0)
		}
	}
	if t.Year() < 1970 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// receivedDate takes the date of the newest Received header ("...; date").
func receivedDate(vals []string) (time.Time, bool) {
	for _, v := range vals {
		if i := strings.LastIndexByte(v, ';'); i >= 0 {
			if t, ok := ParseDate(v[i+1:]); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

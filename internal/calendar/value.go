package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// UnescapeText decodes an RFC 5545 TEXT value: \n, \N, \\, \; and \, .
// Unknown escapes keep the character after the backslash, as clients do.
func UnescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// EscapeText encodes s as an RFC 5545 TEXT value.
func EscapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SplitText splits a multi-valued TEXT value at unescaped commas and
// unescapes each part.
func SplitText(s string) []string {
	return splitUnescaped(s, ',', true)
}

// splitUnescaped splits s at sep not preceded by a backslash.
func splitUnescaped(s string, sep byte, unescape bool) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	if unescape {
		for i := range out {
			out[i] = UnescapeText(out[i])
		}
	}
	return out
}

// DateTime is a DATE or DATE-TIME value.
//
// A zoned value holds the instant in its resolved location. A floating value
// (no Z, no TZID, or a TZID that could not be resolved) holds its wall clock
// in time.UTC as a container; use In to place it in the viewer's zone. An
// all-day value (VALUE=DATE) holds midnight of the date, also in time.UTC,
// and is floating by nature.
type DateTime struct {
	Time     time.Time
	AllDay   bool   // VALUE=DATE
	Floating bool   // no zone: the wall clock is meant in the viewer's zone
	TZID     string // the TZID parameter as written, "" for UTC and floating
}

// IsZero reports whether d is unset.
func (d DateTime) IsZero() bool { return d.Time.IsZero() }

// In returns d as an instant: zoned values keep their instant; floating
// and all-day values take their wall clock in loc.
func (d DateTime) In(loc *time.Location) time.Time {
	if d.Time.IsZero() {
		return time.Time{}
	}
	if d.Floating || d.AllDay {
		if loc == nil {
			loc = time.Local
		}
		return wallToInstant(d.Time, loc)
	}
	return d.Time
}

// wallToInstant places the wall clock of w (read in w's own location) in
// loc the way RFC 5545 section 3.3.5 asks: a time that occurs twice (DST
// ends) is the first of the two, a time that does not exist (DST starts)
// is read with the offset from before the gap, so 02:30 becomes 03:30.
func wallToInstant(w time.Time, loc *time.Location) time.Time {
	y, m, d := w.Date()
	h, mi, s := w.Clock()
	base := time.Date(y, m, d, h, mi, s, 0, time.UTC)
	t := time.Date(y, m, d, h, mi, s, 0, loc)
	_, offT := t.Zone()
	_, offBefore := t.Add(-12 * time.Hour).Zone()
	_, offAfter := t.Add(12 * time.Hour).Zone()
	var best time.Time
	for _, off := range []int{offT, offBefore, offAfter} {
		c := base.Add(-time.Duration(off) * time.Second).In(loc)
		cy, cm, cd := c.Date()
		ch, cmi, cs := c.Clock()
		if cy == y && cm == m && cd == d && ch == h && cmi == mi && cs == s && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if best.IsZero() {
		return base.Add(-time.Duration(offBefore) * time.Second).In(loc)
	}
	return best
}

// Equal reports whether two values are the same value, kind and zone name.
func (d DateTime) Equal(e DateTime) bool {
	return d.Time.Equal(e.Time) && d.AllDay == e.AllDay && d.Floating == e.Floating && d.TZID == e.TZID
}

// wall returns the civil date and time of d as a UTC-container time.
func (d DateTime) wall() time.Time {
	y, m, dd := d.Time.Date()
	h, mi, s := d.Time.Clock()
	return time.Date(y, m, dd, h, mi, s, 0, time.UTC)
}

// format writes the value text (without TZID) for d.
func (d DateTime) format() string {
	switch {
	case d.AllDay:
		return d.Time.Format("20060102")
	case d.Floating || d.TZID != "":
		return d.Time.Format("20060102T150405")
	default:
		return d.Time.UTC().Format("20060102T150405Z")
	}
}

var errBadDate = errors.New("bad date")

// parseDateOnly parses YYYYMMDD.
func parseDateOnly(s string) (y, m, d int, err error) {
	if len(s) != 8 || !allDigits(s) {
		return 0, 0, 0, fmt.Errorf("%w %q", errBadDate, clip(s))
	}
	y, _ = strconv.Atoi(s[:4])
	m, _ = strconv.Atoi(s[4:6])
	d, _ = strconv.Atoi(s[6:8])
	if m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return 0, 0, 0, fmt.Errorf("%w %q: out of range", errBadDate, s)
	}
	return y, m, d, nil
}

// parseTimeOnly parses HHMMSS[Z]. Second 60 (leap second) is accepted as 59.
func parseTimeOnly(s string) (h, mi, sec int, utc bool, err error) {
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		utc = true
		s = s[:len(s)-1]
	}
	if len(s) != 6 || !allDigits(s) {
		return 0, 0, 0, false, fmt.Errorf("bad time %q", clip(s))
	}
	h, _ = strconv.Atoi(s[:2])
	mi, _ = strconv.Atoi(s[2:4])
	sec, _ = strconv.Atoi(s[4:6])
	if sec == 60 {
		sec = 59
	}
	if h > 23 || mi > 59 || sec > 59 {
		// 240000 appears in the wild meaning end of day.
		if h == 24 && mi == 0 && sec == 0 {
			return 24, 0, 0, utc, nil
		}
		return 0, 0, 0, false, fmt.Errorf("bad time %q: out of range", s)
	}
	return h, mi, sec, utc, nil
}

// parseDateTimeText parses a DATE or DATE-TIME text. dateOnly forces DATE;
// otherwise the form is detected by length. loc is used for non-UTC values
// (nil means floating).
func parseDateTimeText(s string, dateOnly bool, loc *time.Location) (DateTime, error) {
	s = strings.TrimSpace(s)
	if dateOnly || len(s) == 8 {
		y, m, d, err := parseDateOnly(s)
		if err != nil && len(s) > 8 && s[8] == 'T' {
			// VALUE=DATE with a date-time value: take the date.
			y, m, d, err = parseDateOnly(s[:8])
		}
		if err != nil {
			return DateTime{}, err
		}
		return DateTime{Time: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), AllDay: true, Floating: true}, nil
	}
	if len(s) < 15 || (s[8] != 'T' && s[8] != 't') {
		return DateTime{}, fmt.Errorf("%w-time %q", errBadDate, clip(s))
	}
	y, m, d, err := parseDateOnly(s[:8])
	if err != nil {
		return DateTime{}, err
	}
	h, mi, sec, utc, err := parseTimeOnly(s[9:])
	if err != nil {
		return DateTime{}, err
	}
	switch {
	case utc:
		return DateTime{Time: time.Date(y, time.Month(m), d, h, mi, sec, 0, time.UTC)}, nil
	case loc != nil:
		return DateTime{Time: wallToInstant(time.Date(y, time.Month(m), d, h, mi, sec, 0, time.UTC), loc)}, nil
	default:
		return DateTime{Time: time.Date(y, time.Month(m), d, h, mi, sec, 0, time.UTC), Floating: true}, nil
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// ParseDuration parses an RFC 5545 DURATION such as -P1W, PT1H30M, P1DT2H.
// Days and weeks are returned separately from the clock part because they
// are nominal (a day across a DST change is 23 or 25 hours).
func ParseDuration(s string) (Duration, error) {
	var d Duration
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return d, errors.New("empty duration")
	}
	switch s[0] {
	case '-':
		d.Negative = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" || (s[0] != 'P' && s[0] != 'p') {
		return d, fmt.Errorf("bad duration %q", clip(orig))
	}
	s = s[1:]
	inTime := false
	seen := false
	for len(s) > 0 {
		if s[0] == 'T' || s[0] == 't' {
			inTime = true
			s = s[1:]
			continue
		}
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 0 || j == len(s) || j > 9 {
			return d, fmt.Errorf("bad duration %q", clip(orig))
		}
		n, _ := strconv.Atoi(s[:j])
		unit := s[j] | 0x20
		s = s[j+1:]
		seen = true
		switch {
		case unit == 'w' && !inTime:
			d.Days += 7 * n
		case unit == 'd' && !inTime:
			d.Days += n
		case unit == 'h' && inTime:
			d.Clock += time.Duration(n) * time.Hour
		case unit == 'm' && inTime:
			d.Clock += time.Duration(n) * time.Minute
		case unit == 's' && inTime:
			d.Clock += time.Duration(n) * time.Second
		default:
			return d, fmt.Errorf("bad duration %q", clip(orig))
		}
	}
	if !seen {
		return d, fmt.Errorf("bad duration %q", clip(orig))
	}
	return d, nil
}

// Duration is a nominal RFC 5545 duration.
type Duration struct {
	Negative bool
	Days     int           // whole days and weeks (nominal)
	Clock    time.Duration // hours, minutes, seconds (exact)
}

// AddTo adds d to t: days in wall-clock terms, then the clock part exactly.
func (d Duration) AddTo(t time.Time) time.Time {
	if d.Negative {
		return t.AddDate(0, 0, -d.Days).Add(-d.Clock)
	}
	return t.AddDate(0, 0, d.Days).Add(d.Clock)
}

// String formats d as RFC 5545 text.
func (d Duration) String() string {
	var b strings.Builder
	if d.Negative {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	days := d.Days
	if days%7 == 0 && days != 0 && d.Clock == 0 {
		fmt.Fprintf(&b, "%dW", days/7)
		return b.String()
	}
	if days != 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	c := d.Clock
	if c != 0 || days == 0 {
		b.WriteByte('T')
		h := c / time.Hour
		c -= h * time.Hour
		m := c / time.Minute
		c -= m * time.Minute
		s := c / time.Second
		if h != 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m != 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s != 0 || (h == 0 && m == 0) {
			fmt.Fprintf(&b, "%dS", s)
		}
	}
	return b.String()
}

// parseUTCOffset parses +HHMM or +HHMMSS into seconds east of UTC.
func parseUTCOffset(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') || !allDigits(s[1:]) {
		return 0, fmt.Errorf("bad UTC offset %q", clip(s))
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 7 {
		sec, _ = strconv.Atoi(s[5:7])
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("bad UTC offset %q: out of range", s)
	}
	off := h*3600 + m*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return off, nil
}

package calendar

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrUnknownZone reports a TZID that is neither an IANA name nor a
// Windows zone name.
var ErrUnknownZone = errors.New("unknown time zone")

// LoadZone resolves a TZID without a VTIMEZONE definition: an IANA name
// ("Europe/Berlin"), an IANA name behind a vendor prefix
// ("/mozilla.org/20050126_1/Europe/Berlin"), or a Windows zone name
// ("W. Europe Standard Time").
func LoadZone(tzid string) (*time.Location, error) {
	name := strings.Trim(strings.TrimSpace(tzid), `"`)
	if name == "" || len(name) > 128 {
		return nil, fmt.Errorf("TZID %q: %w", clip(tzid), ErrUnknownZone)
	}
	if iana, ok := windowsZones[name]; ok {
		return time.LoadLocation(iana)
	}
	for win, iana := range windowsZones {
		if strings.EqualFold(win, name) {
			return time.LoadLocation(iana)
		}
	}
	if loc, ok := loadIANA(name); ok {
		return loc, nil
	}
	// Vendor prefixes: try the last one, two and three path elements.
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for n := 3; n >= 1; n-- {
		if len(parts) > n {
			if loc, ok := loadIANA(strings.Join(parts[len(parts)-n:], "/")); ok {
				return loc, nil
			}
		}
	}
	return nil, fmt.Errorf("TZID %q: %w", clip(tzid), ErrUnknownZone)
}

// loadIANA loads an IANA zone, refusing names that could reach outside
// the zone database and the machine-dependent "Local".
func loadIANA(name string) (*time.Location, bool) {
	if name == "" || len(name) > 64 || name == "Local" || strings.Contains(name, "..") {
		return nil, false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '/' || c == '_' || c == '-' || c == '+' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')) {
			return nil, false
		}
	}
	if name[0] == '/' {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return loc, true
}

// zoneResolver resolves TZIDs for one calendar and caches the results.
type zoneResolver struct {
	defs  map[string]*Component
	cache map[string]*time.Location
	bad   map[string]bool
	work  int // remaining VTIMEZONE expansion work (MaxZoneWork)
}

func newZoneResolver(timezones []*Component) *zoneResolver {
	z := &zoneResolver{defs: map[string]*Component{}, cache: map[string]*time.Location{}, bad: map[string]bool{}, work: MaxZoneWork}
	for _, tz := range timezones {
		if p := tz.Prop("TZID"); p != nil {
			if _, dup := z.defs[p.Value]; !dup {
				z.defs[p.Value] = tz
			}
		}
	}
	return z
}

// resolve returns the location for tzid, or an error when neither the
// name nor the file's VTIMEZONE gives one.
func (z *zoneResolver) resolve(tzid string) (*time.Location, error) {
	if loc, ok := z.cache[tzid]; ok {
		return loc, nil
	}
	if z.bad[tzid] {
		return nil, fmt.Errorf("TZID %q: %w", clip(tzid), ErrUnknownZone)
	}
	loc, err := LoadZone(tzid)
	if err != nil {
		if def, ok := z.defs[tzid]; ok {
			loc, err = locationFromVTimezone(def, &z.work)
		}
	}
	if err != nil {
		if len(z.bad) < 1000 {
			z.bad[tzid] = true
		}
		return nil, err
	}
	if len(z.cache) < 1000 {
		z.cache[tzid] = loc
	}
	return loc, nil
}

// Bounds for turning a VTIMEZONE into a location.
const (
	vtzLastYear       = 2200
	vtzMaxTransitions = 4000
)

type observance struct {
	onset   time.Time // instant
	offset  int
	isDST   bool
	abbrev  string
	fromOff int
}

// LocationFromVTimezone builds a location from a VTIMEZONE component: its
// STANDARD and DAYLIGHT observances (DTSTART, TZOFFSETFROM, TZOFFSETTO,
// TZNAME, RRULE, RDATE) are expanded into transitions up to the year 2200
// and handed to time.LoadLocationFromTZData as a generated TZif file.
func LocationFromVTimezone(c *Component) (*time.Location, error) {
	work := MaxZoneWork
	return locationFromVTimezone(c, &work)
}

func locationFromVTimezone(c *Component, work *int) (*time.Location, error) {
	if *work <= 0 {
		return nil, errors.New("VTIMEZONE work limit reached; zone not built")
	}
	tzid := ""
	if p := c.Prop("TZID"); p != nil {
		tzid = p.Value
	}
	var obs []observance
	for _, ch := range c.Children {
		if ch.Name != "STANDARD" && ch.Name != "DAYLIGHT" {
			continue
		}
		o, err := expandObservance(ch, work)
		if err != nil {
			return nil, fmt.Errorf("VTIMEZONE %q: %w", clip(tzid), err)
		}
		obs = append(obs, o...)
		if len(obs) > vtzMaxTransitions {
			break
		}
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("VTIMEZONE %q: no usable STANDARD or DAYLIGHT", clip(tzid))
	}
	slices.SortStableFunc(obs, func(a, b observance) int { return a.onset.Compare(b.onset) })
	obs = slices.CompactFunc(obs, func(a, b observance) bool { return a.onset.Equal(b.onset) })
	if len(obs) > vtzMaxTransitions {
		obs = obs[:vtzMaxTransitions]
	}
	name := tzid
	if len(name) > 64 {
		name = name[:64]
	}
	loc, err := time.LoadLocationFromTZData(name, buildTZif(obs))
	if err != nil {
		return nil, fmt.Errorf("VTIMEZONE %q: %w", clip(tzid), err)
	}
	return loc, nil
}

func expandObservance(c *Component, work *int) ([]observance, error) {
	get := func(n string) string {
		if p := c.Prop(n); p != nil {
			return p.Value
		}
		return ""
	}
	from, err := parseUTCOffset(get("TZOFFSETFROM"))
	if err != nil {
		return nil, fmt.Errorf("%s TZOFFSETFROM: %w", c.Name, err)
	}
	to, err := parseUTCOffset(get("TZOFFSETTO"))
	if err != nil {
		return nil, fmt.Errorf("%s TZOFFSETTO: %w", c.Name, err)
	}
	start, err := parseDateTimeText(get("DTSTART"), false, nil)
	if err != nil {
		return nil, fmt.Errorf("%s DTSTART: %w", c.Name, err)
	}
	wallStart := start.wall()
	abbrev := sanitizeAbbrev(UnescapeText(get("TZNAME")), to)
	mk := func(wall time.Time) observance {
		return observance{onset: wall.Add(-time.Duration(from) * time.Second), offset: to, isDST: c.Name == "DAYLIGHT", abbrev: abbrev, fromOff: from}
	}
	out := []observance{mk(wallStart)}
	for _, rp := range c.PropsNamed("RRULE") {
		r, err := ParseRule(rp.Value, nil)
		if err != nil {
			return nil, fmt.Errorf("%s RRULE: %w", c.Name, err)
		}
		e := &expander{r: r, start: wallStart, budget: work,
			stopAfter: time.Date(vtzLastYear, 12, 31, 0, 0, 0, 0, time.UTC),
			instant:   func(t time.Time) time.Time { return t.Add(-time.Duration(from) * time.Second) }}
		e.expand(time.Time{}, func(t time.Time) bool {
			if t.Year() > vtzLastYear || len(out) > vtzMaxTransitions {
				return false
			}
			if !t.Equal(wallStart) {
				out = append(out, mk(t))
			}
			return true
		})
	}
	for _, rp := range c.PropsNamed("RDATE") {
		for _, v := range strings.Split(rp.Value, ",") {
			if len(out) > vtzMaxTransitions {
				break
			}
			d, err := parseDateTimeText(v, false, nil)
			if err != nil {
				continue
			}
			if d.Floating || d.AllDay {
				out = append(out, mk(d.wall()))
			} else {
				out = append(out, observance{onset: d.Time, offset: to, isDST: c.Name == "DAYLIGHT", abbrev: abbrev, fromOff: from})
			}
		}
	}
	return out, nil
}

func sanitizeAbbrev(s string, off int) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 16; i++ {
		c := s[i]
		if c == '+' || c == '-' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
			b.WriteByte(c)
		}
	}
	if b.Len() >= 3 {
		return b.String()
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60)
}

// buildTZif encodes transitions as a TZif version 2 file (RFC 8536) with
// an empty version 1 block.
func buildTZif(obs []observance) []byte {
	type ttype struct {
		off    int
		dst    bool
		abbrev string
	}
	// Type 0 is the time before the first transition: its "from" offset.
	types := []ttype{{off: obs[0].fromOff, dst: false, abbrev: sanitizeAbbrev("", obs[0].fromOff)}}
	idx := func(t ttype) int {
		for i, x := range types {
			if x == t {
				return i
			}
		}
		types = append(types, t)
		return len(types) - 1
	}
	var txIdx []byte
	for _, o := range obs {
		i := idx(ttype{o.offset, o.isDST, o.abbrev})
		if i > 255 {
			i = 0
		}
		txIdx = append(txIdx, byte(i))
	}
	if len(types) > 256 {
		types = types[:256]
	}
	var chars []byte
	abbrIdx := make([]int, len(types))
	for i, t := range types {
		if len(chars)+len(t.abbrev) > 255 {
			continue // index 0 (the first abbreviation) is used instead
		}
		abbrIdx[i] = len(chars)
		chars = append(chars, t.abbrev...)
		chars = append(chars, 0)
	}
	var b []byte
	header := func(timecnt, typecnt, charcnt int) {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} {
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
	}
	header(0, 0, 0)
	header(len(obs), len(types), len(chars))
	for _, o := range obs {
		b = binary.BigEndian.AppendUint64(b, uint64(o.onset.Unix()))
	}
	b = append(b, txIdx...)
	for i, t := range types {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(t.off)))
		dst := byte(0)
		if t.dst {
			dst = 1
		}
		b = append(b, dst, byte(abbrIdx[i]))
	}
	b = append(b, chars...)
	b = append(b, '\n', '\n')
	return b
}

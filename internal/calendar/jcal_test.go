package calendar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// This file compares PAM's parse with ical.js's expected parses
// (icaljs/test/parser/*.json, jCal, RFC 7265). The component tree PAM
// parses is rendered as jCal with the value types of RFC 5545 and the
// value formats of RFC 7265, then compared with ical.js's JSON.

// knownDisagreements lists files where PAM deliberately differs, and why.
var knownDisagreements = map[string]string{
	// ical.js coerces values that are not valid for their VALUE type to
	// 0 / false; PAM keeps the text as written (and does not type X-
	// properties at all), so nothing is lost on a round trip.
	"float.ics":   "ical.js turns the invalid FLOAT \"my foo!\" into 0; PAM keeps the text",
	"integer.ics": "ical.js turns the invalid INTEGER \"foobar\" into 0; PAM keeps the text",
	"boolean.ics": "ical.js turns the invalid BOOLEAN \"MAYBE\" into false; PAM keeps the text",
}

func TestICalJSParserAgreement(t *testing.T) {
	dir := filepath.Join(dataDir(t, "robustness/ical"), "icaljs", "test", "parser")
	files, err := filepath.Glob(filepath.Join(dir, "*.ics"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .ics in %s: %v", dir, err)
	}
	agree, total := 0, 0
	for _, f := range files {
		base := filepath.Base(f)
		want, err := os.ReadFile(strings.TrimSuffix(f, ".ics") + ".json")
		if err != nil {
			continue
		}
		total++
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lx := &lexer{lim: DefaultLimits}
		roots, err := lx.parseComponents(data)
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		var got any
		if len(roots) == 1 {
			got = toJCal(roots[0])
		} else {
			var all []any
			for _, r := range roots {
				all = append(all, toJCal(r))
			}
			got = all
		}
		var exp any
		if err := json.Unmarshal(want, &exp); err != nil {
			t.Fatalf("%s: bad expected JSON: %v", base, err)
		}
		// Round-trip both through JSON so numbers and nils compare alike.
		gotJSON, _ := json.Marshal(got)
		var gotN any
		_ = json.Unmarshal(gotJSON, &gotN)
		diff := cmp.Diff(exp, gotN)
		reason, known := knownDisagreements[base]
		switch {
		case diff == "":
			agree++
			if known {
				t.Errorf("%s agrees now; remove it from knownDisagreements", base)
			}
		case known:
			t.Logf("%s: known disagreement: %s\n%s", base, reason, diff)
		default:
			t.Errorf("%s: PAM's parse differs from ical.js (-ical.js +PAM):\n%s", base, diff)
		}
	}
	t.Logf("ical.js parser fixtures: %d of %d agree, %d known disagreements", agree, total, len(knownDisagreements))
}

func toJCal(c *Component) any {
	props := []any{}
	for _, p := range c.Props {
		props = append(props, propJCal(p))
	}
	comps := []any{}
	for _, ch := range c.Children {
		comps = append(comps, toJCal(ch))
	}
	return []any{strings.ToLower(c.Name), props, comps}
}

// defaultTypes are the RFC 5545 default value types (ical.js's design set).
var defaultTypes = map[string]string{
	"DTSTART": "date-time", "DTEND": "date-time", "DUE": "date-time", "DTSTAMP": "date-time",
	"CREATED": "date-time", "LAST-MODIFIED": "date-time", "COMPLETED": "date-time",
	"RECURRENCE-ID": "date-time", "EXDATE": "date-time", "RDATE": "date-time",
	"DURATION": "duration", "TRIGGER": "duration", "RRULE": "recur", "EXRULE": "recur",
	"TZOFFSETFROM": "utc-offset", "TZOFFSETTO": "utc-offset", "GEO": "float",
	"PERCENT-COMPLETE": "integer", "PRIORITY": "integer", "REPEAT": "integer", "SEQUENCE": "integer",
	"ATTENDEE": "cal-address", "ORGANIZER": "cal-address", "URL": "uri", "TZURL": "uri", "ATTACH": "uri",
	"FREEBUSY": "period", "REQUEST-STATUS": "text", "CATEGORIES": "text", "RESOURCES": "text",
	"SUMMARY": "text", "DESCRIPTION": "text", "LOCATION": "text", "COMMENT": "text", "CONTACT": "text",
	"STATUS": "text", "CLASS": "text", "TRANSP": "text", "TZID": "text", "TZNAME": "text", "UID": "text",
	"PRODID": "text", "VERSION": "text", "METHOD": "text", "CALSCALE": "text", "ACTION": "text", "RELATED-TO": "text",
}

// multiValued properties hold a comma-separated list.
var multiValued = map[string]bool{"CATEGORIES": true, "RESOURCES": true, "RDATE": true, "EXDATE": true, "FREEBUSY": true}

func propJCal(p *Property) any {
	params := map[string]any{}
	typ := ""
	for _, pa := range p.Params {
		if pa.Name == "VALUE" && len(pa.Values) > 0 {
			typ = strings.ToLower(pa.Values[0])
			continue
		}
		if len(pa.Values) == 1 {
			params[strings.ToLower(pa.Name)] = pa.Values[0]
		} else {
			vs := []any{}
			for _, v := range pa.Values {
				vs = append(vs, v)
			}
			params[strings.ToLower(pa.Name)] = vs
		}
	}
	if typ == "" {
		typ = defaultTypes[p.Name]
		switch {
		case typ == "":
			typ = "unknown"
		case typ == "date-time" && !strings.Contains(p.Value, "T"):
			typ = "date"
		case p.Name == "RDATE" && strings.Contains(p.Value, "/"):
			typ = "period"
		case p.Name == "TRIGGER" && !strings.Contains(strings.ToUpper(p.Value), "P"):
			typ = "date-time"
		}
	}
	name := strings.ToLower(p.Name)
	if p.Group != "" {
		name = strings.ToLower(p.Group) + "." + name
	}
	out := []any{name, params, typ}
	var vals []string
	switch {
	case typ == "text" && multiValued[p.Name]:
		vals = SplitText(p.Value)
	case typ == "text" && (p.Name == "REQUEST-STATUS"):
		parts := splitUnescaped(p.Value, ';', true)
		arr := []any{}
		for _, s := range parts {
			arr = append(arr, s)
		}
		return append(out, arr)
	case p.Name == "GEO" && typ == "float":
		arr := []any{}
		for _, s := range strings.Split(p.Value, ";") {
			arr = append(arr, jcalScalar("float", s))
		}
		return append(out, arr)
	case multiValued[p.Name]:
		vals = strings.Split(p.Value, ",")
	default:
		vals = []string{p.Value}
	}
	for _, v := range vals {
		out = append(out, jcalScalar(typ, v))
	}
	return out
}

func jcalScalar(typ, v string) any {
	switch typ {
	case "text":
		return UnescapeText(v)
	case "date", "date-time":
		return jcalDate(v)
	case "time":
		h, m, s, utc, err := parseTimeOnly(v)
		if err != nil {
			return v
		}
		z := ""
		if utc {
			z = "Z"
		}
		return twoDigits(h) + ":" + twoDigits(m) + ":" + twoDigits(s) + z
	case "period":
		a, b, ok := strings.Cut(v, "/")
		if !ok {
			return v
		}
		if strings.ContainsAny(b[:1], "+-Pp") {
			return []any{jcalDate(a), b}
		}
		return []any{jcalDate(a), jcalDate(b)}
	case "utc-offset":
		off, err := parseUTCOffset(v)
		if err != nil {
			return v
		}
		sign := "+"
		if off < 0 {
			sign, off = "-", -off
		}
		s := sign + twoDigits(off/3600) + ":" + twoDigits(off/60%60)
		if off%60 != 0 {
			s += ":" + twoDigits(off%60)
		}
		return s
	case "integer":
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return v
	case "float":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
		return v
	case "boolean":
		switch strings.ToUpper(v) {
		case "TRUE":
			return true
		case "FALSE":
			return false
		}
		return v
	case "recur":
		return jcalRecur(v)
	}
	return v
}

func twoDigits(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 2 {
		return "0" + s
	}
	return s
}

func jcalDate(v string) string {
	d, err := parseDateTimeText(v, false, nil)
	if err != nil {
		return v
	}
	if d.AllDay {
		return d.Time.Format("2006-01-02")
	}
	if d.Floating {
		return d.Time.Format("2006-01-02T15:04:05")
	}
	return d.Time.Format("2006-01-02T15:04:05Z")
}

func jcalRecur(v string) any {
	obj := map[string]any{}
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(k)
		switch k {
		case "until":
			obj[k] = jcalDate(val)
		case "freq", "wkst":
			obj[k] = val
		default:
			var items []any
			for _, s := range strings.Split(val, ",") {
				if n, err := strconv.Atoi(s); err == nil {
					items = append(items, n)
				} else {
					items = append(items, s)
				}
			}
			if len(items) == 1 {
				obj[k] = items[0]
			} else {
				obj[k] = items
			}
		}
	}
	return obj
}

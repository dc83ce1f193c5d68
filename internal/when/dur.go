package when

import "time"

// dur is a duration in one grain; biz marks business days.
type dur struct {
	n    int
	g    Grain
	biz  bool
	bare bool // "in 15": a number with no unit
}

const maxDurN = 100000

var unitWords = map[string]Grain{
	"second": Second, "seconds": Second, "sec": Second, "secs": Second,
	"minute": Minute, "minutes": Minute, "min": Minute, "mins": Minute,
	"hour": Hour, "hours": Hour, "hr": Hour, "hrs": Hour, "h": Hour,
	"day": Day, "days": Day,
	"week": Week, "weeks": Week, "wk": Week, "wks": Week,
	"month": Month, "months": Month, "mo": Month, "mos": Month,
	"quarter": Quarter, "quarters": Quarter, "qtr": Quarter, "qtrs": Quarter,
	"year": Year, "years": Year, "yr": Year, "yrs": Year,
}

// count parses a cardinal: digits, number words ("twenty-one"), "a",
// "a couple of", "a few".
func (p *parser) count(i int) (int, int, bool) {
	if n, ok := p.num(i); ok {
		if p.is(i+1, ".") && p.adj(i+1) {
			return 0, 0, false // a decimal: see fraction
		}
		return n, i + 1, true
	}
	if j, ok := p.seq(i, "?a", "couple|pair", "?of"); ok && j > i {
		return 2, j, true
	}
	if j, ok := p.seq(i, "?a", "few"); ok && j > i {
		return 3, j, true
	}
	if p.is(i, "several") {
		return 3, i + 1, true
	}
	if p.is(i, "a", "an", "one") {
		return 1, i + 1, true
	}
	return p.numberWord(i)
}

// numberWord parses "seven", "twenty", "twenty one", "twenty-one".
func (p *parser) numberWord(i int) (int, int, bool) {
	if i >= len(p.toks) {
		return 0, 0, false
	}
	if n, ok := smallNumbers[p.toks[i].s]; ok {
		return n, i + 1, true
	}
	if n, ok := tens[p.toks[i].s]; ok {
		j := i + 1
		if p.is(j, "-") {
			j++
		}
		if j < len(p.toks) {
			if u, ok := smallNumbers[p.toks[j].s]; ok && u >= 1 && u <= 9 {
				return n + u, j + 1, true
			}
		}
		return n, i + 1, true
	}
	return 0, 0, false
}

// countStart reports whether token i is a number, a number word or one of
// durationWords: every count and every duration starts so.
func (p *parser) countStart(i int) bool {
	if i < 0 || i >= len(p.toks) {
		return false
	}
	return p.toks[i].num || p.toks[i].cls&cCount != 0
}

// durationWords are the words other than numbers and number words that
// a duration can start with (see duration and count).
var durationWords = map[string]bool{"a": true, "an": true, "half": true, "quarter": true, "three": true, "one": true, "couple": true, "pair": true, "few": true, "several": true}

// duration parses "3 days", "a week", "two and a half hours", "1/2 hour",
// "2.5 hours", "15'", "a fortnight", "3 business days".
func (p *parser) duration(i int) (dur, int, bool) {
	// Every form starts with a number, a number word (count) or one of
	// durationWords; skip the patterns for any other token.
	if i < 0 || i >= len(p.toks) || !p.reference && !p.countStart(i) {
		return dur{}, 0, false
	}
	// fractions of an hour
	if j, ok := p.seq(i, "?a|an", "half", "?an|a", "hour|hr|h"); ok && j > i+1 {
		return dur{n: 30, g: Minute}, j, true
	}
	if j, ok := p.seq(i, "?a", "quarter", "?of", "?an|a", "hour|hr|h"); ok && j > i+1 && p.is(j-1, "hour", "hr", "h") {
		return dur{n: 15, g: Minute}, j, true
	}
	if j, ok := p.seq(i, "three", "?-", "quarters", "?of", "?an|a", "hour|hr|h"); ok {
		return dur{n: 45, g: Minute}, j, true
	}
	if a, ok := p.num(i); ok && p.is(i+1, "/") {
		if b, ok := p.num(i + 2); ok && b > 0 && a < b {
			if j, ok := p.seq(i+3, "hour|hours|hr|h"); ok {
				if 60*a%b == 0 {
					return dur{n: 60 * a / b, g: Minute}, j, true
				}
			}
		}
	}
	// decimals: 2.5 hours
	if a, ok := p.num(i); ok && p.is(i+1, ".") && p.adj(i+1) && p.adj(i+2) {
		if b, ok := p.num(i + 2); ok && len(p.toks[i+2].s) == 1 {
			if g, ok := unitWords[tokS(p, i+3)]; ok && g > Second && g <= Week {
				sub, mult := finerUnit(g)
				return dur{n: (a*10 + b) * mult / 10, g: sub}, i + 4, true
			}
		}
	}
	if j, ok := p.seq(i, "a|an|one", "hour|day|week|minute", "and", "a", "half"); ok {
		// an hour and a half
		g := unitWords[tokS(p, i+1)]
		sub, mult := finerUnit(g)
		return dur{n: mult + mult/2, g: sub}, j, true
	}
	if p.is(i, "a", "one") && p.is(i+1, "fortnight") {
		return dur{n: 14, g: Day}, i + 2, true
	}
	n, j, ok := p.count(i)
	if !ok || n > maxDurN {
		return dur{}, 0, false
	}
	if p.is(j, "'") && p.adj(j) {
		return dur{n: n, g: Minute}, j + 1, true
	}
	if p.is(j, "\"") && p.adj(j) {
		return dur{n: n, g: Second}, j + 1, true
	}
	if k, ok := p.seq(j, "business|working|work", "day|days"); ok {
		return dur{n: n, g: Day, biz: true}, k, true
	}
	if p.is(j, "fortnight", "fortnights") {
		return dur{n: 14 * n, g: Day}, j + 1, true
	}
	if p.is(j, "and", "+") && p.is(j+1, "a") && p.is(j+2, "half") {
		if g, ok := unitWords[tokS(p, j+3)]; ok && g > Second && g <= Week {
			sub, mult := finerUnit(g)
			return dur{n: n*mult + mult/2, g: sub}, j + 4, true
		}
	}
	if g, ok := unitWords[tokS(p, j)]; ok {
		if tokS(p, j) == "h" && !p.adj(j) && p.toks[j-1].num {
			// "3 h" is fine too
		}
		return dur{n: n, g: g}, j + 1, true
	}
	return dur{}, 0, false
}

func tokS(p *parser, i int) string {
	if i < 0 || i >= len(p.toks) {
		return ""
	}
	return p.toks[i].s
}

func finerUnit(g Grain) (Grain, int) {
	switch g {
	case Minute:
		return Second, 60
	case Hour:
		return Minute, 60
	case Day:
		return Hour, 24
	case Week:
		return Day, 7
	}
	return g, 1
}

// shift returns the value "in d" (sign 1) or "d ago" (sign -1), following
// Duckling: the reference rounded to the grain below d's, moved by d.
func (p *parser) shift(d dur, sign int) span {
	if d.biz {
		day := truncate(p.ref, Day)
		s := AddBusinessDays(day, sign*d.n, p.opts)
		return span{start: s, end: addGrain(s, Day, 1), grain: Day}
	}
	g := finer(d.g)
	s := addGrain(truncate(p.ref, g), d.g, sign*d.n)
	return span{start: s, end: addGrain(s, g, 1), grain: g}
}

// exact returns t moved by d, to the second.
func exact(t time.Time, d dur, sign int, opts Options) time.Time {
	if d.biz {
		return AddBusinessDays(t, sign*d.n, opts)
	}
	return addGrain(t, d.g, sign*d.n)
}

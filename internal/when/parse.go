package when

import (
	"strings"
	"sync"
	"time"
)

type parser struct {
	text string
	toks []tok
	ref  time.Time // in loc
	loc  *time.Location
	opts Options
	// memo of compound and atom parses by token position (both depend
	// only on the position: the parser's other fields never change).
	memo      []compoundResult
	atoms     []compoundResult
	gen       uint32 // this parse's number: memo entries of other parses are empty
	reference bool   // no memo and no first-word shortcuts: what a test compares them with
}

// compoundResult is a memoised parse, filled by the parse numbered gen:
// the memo is not cleared between the parses of a recycled parser, an
// entry counts only when its gen is the parser's.
type compoundResult struct {
	t   term
	j   int
	ok  bool
	gen uint32
}

// parsers recycles parsers with their token and memo buffers: Find runs
// on every sentence of every message the classifier reads, and allocating
// them afresh was most of its garbage.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// newParser returns a parser for text; release it with free once no
// result refers to it.
func newParser(text string, ref time.Time, opts Options) *parser {
	loc := opts.Location
	if loc == nil {
		loc = ref.Location()
	}
	p := parsers.Get().(*parser)
	toks := lexInto(p.toks[:0], text)
	n := len(toks) + 1
	memo, atoms, gen := p.memo, p.atoms, p.gen+1
	if cap(memo) < n {
		memo, atoms = make([]compoundResult, n), make([]compoundResult, n)
	} else {
		memo, atoms = memo[:n], atoms[:n]
	}
	if gen == 0 {
		// The numbers wrapped: entries of old parses could match again.
		clear(memo[:cap(memo)])
		clear(atoms[:cap(atoms)])
		gen = 1
	}
	*p = parser{text: text, toks: toks, ref: ref.In(loc), loc: loc, opts: opts, memo: memo, atoms: atoms, gen: gen}
	return p
}

// free returns p to the pool; p must not be used afterwards.
func (p *parser) free() {
	if cap(p.toks) > 4*maxTokens {
		return
	}
	p.text, p.opts = "", Options{}
	parsers.Put(p)
}

// is reports whether token i is one of words.
func (p *parser) is(i int, words ...string) bool {
	if i < 0 || i >= len(p.toks) {
		return false
	}
	for _, w := range words {
		if p.toks[i].s == w {
			return true
		}
	}
	return false
}

// isAlt reports whether token i is one of the "|"-separated alternatives
// in alts, without allocating (this runs for every pattern element).
func (p *parser) isAlt(i int, alts string) bool {
	if i < 0 || i >= len(p.toks) {
		return false
	}
	t := p.toks[i].s
	if t != "" {
		// Look for t itself, then check it is a whole alternative; most
		// tokens occur nowhere in alts.
		for off := 0; ; {
			k := strings.Index(alts[off:], t)
			if k < 0 {
				return false
			}
			k += off
			end := k + len(t)
			if (k == 0 || alts[k-1] == '|') && (end == len(alts) || alts[end] == '|') {
				return true
			}
			off = k + 1
		}
	}
	for {
		a, rest, more := strings.Cut(alts, "|")
		if a == t {
			return true
		}
		if !more {
			return false
		}
		alts = rest
	}
}

// seq matches a sequence of words; each element may list alternatives
// separated by "|", and an element starting with "?" is optional. It
// returns the index after the match.
func (p *parser) seq(i int, pat ...string) (int, bool) {
	for _, el := range pat {
		opt := strings.HasPrefix(el, "?")
		if opt {
			el = el[1:]
		}
		if p.isAlt(i, el) {
			i++
			continue
		}
		if !opt {
			return i, false
		}
	}
	return i, true
}

// adj reports whether token i follows token i-1 with no space.
func (p *parser) adj(i int) bool {
	return i > 0 && i < len(p.toks) && !p.toks[i].sp
}

func (p *parser) num(i int) (int, bool) {
	if i < len(p.toks) && p.toks[i].num {
		return p.toks[i].n, true
	}
	return 0, false
}

func (p *parser) canStart(i int) bool {
	t := p.toks[i]
	if !t.num && !isLetter(t.s) || p.is(i, "the", "of", "for") {
		return false
	}
	// not in the middle of a word or number glued to what precedes
	if i > 0 && !t.sp {
		prev := p.toks[i-1]
		if prev.num || isLetter(prev.s) || prev.s == "." || prev.s == "/" || prev.s == "-" || prev.s == ":" {
			return false
		}
	}
	return true
}

func isLetter(s string) bool {
	return s != "" && ((s[0] >= 'a' && s[0] <= 'z') || s[0] >= 0x80)
}

// skipTrailing skips filler after an expression.
func (p *parser) skipTrailing(j int) int {
	for j < len(p.toks) {
		switch {
		case p.is(j, "ish", "approximately", "approx", "sharp", "exactly", "?", "!", ".", ")"):
			j++
		case p.is(j, "-") && p.is(j+1, "ish"):
			j += 2
		case p.is(j, "or") && p.is(j+1, "so"):
			j += 2
		default:
			return j
		}
	}
	return j
}

// expr parses the longest expression starting at i.
func (p *parser) expr(i int, whole bool) (val, int, bool) {
	var best val
	bestJ, found := -1, false
	try := func(v val, j int, ok bool) {
		if ok && j > bestJ {
			best, bestJ, found = v, j, true
		}
	}
	try(p.special(i))
	try(p.single(i))
	try(p.rangeExpr(i))
	try(p.openExpr(i))
	try(p.byExpr(i))
	if !found {
		return val{}, 0, false
	}
	if whole && best.strength < latent {
		return val{}, 0, false
	}
	return best, bestJ, true
}

// single parses one expression with no range.
func (p *parser) single(i int) (val, int, bool) {
	t, j, ok := p.compound(i)
	if !ok {
		return val{}, 0, false
	}
	v, ok := p.resolve(t, p.ref)
	if !ok {
		return val{}, 0, false
	}
	return v, j, true
}

// connectors are words that may sit between or before the parts of an
// expression; those in strengthen make a latent part strong.
var connectors = map[string]bool{
	"at": true, "on": true, "@": true, ",": true, "in": true, "of": true, "for": true,
	"during": true, "around": true, "about": true, "approximately": true, "approx": true,
	"the": true, "this": false, "sometime": true, "circa": true, "(": true, ")": true,
	"exactly": true, "over": true,
}

var strengthen = map[string]bool{"exactly": true, "over": true, "at": true, "on": true, "@": true, "in": true, "during": true, "for": true, "around": true, "about": true, "approximately": true, "sometime": true}

func (p *parser) skipConnectors(i int) (int, bool) {
	strong := false
	for i < len(p.toks) && (connectors[p.toks[i].s] || p.is(i, "some") && p.is(i+1, "time")) {
		if p.is(i, "some") {
			i, strong = i+2, true
			continue
		}
		if strengthen[p.toks[i].s] {
			strong = true
		}
		i++
	}
	return i, strong
}

// compound parses atoms that constrain one time ("at 7:30 PM on Fri, Sep
// 20") and merges them.
func (p *parser) compound(i int) (term, int, bool) {
	if !p.reference && i >= 0 && i < len(p.memo) && p.memo[i].gen == p.gen {
		r := &p.memo[i]
		return r.t, r.j, r.ok
	}
	var t term
	j, n := i, 0
	for n < 8 {
		a, aj, aok := p.atom(j)
		k, st := p.skipConnectors(j)
		if k > j {
			b, bj, bok := p.atom(k)
			if bok && (!aok || bj > aj) {
				if st && b.strength == latent {
					b.strength = strong
				}
				a, aj, aok = b, bj, true
			}
		}
		if !aok {
			break
		}
		m, ok := merge(t, a)
		if !ok {
			break
		}
		t, j = m, aj
		n++
	}
	r := compoundResult{t: t, j: j, ok: n > 0, gen: p.gen}
	if i >= 0 && i < len(p.memo) {
		p.memo[i] = r
	}
	return r.t, r.j, r.ok
}

// atom parses the longest single constituent at i.
func (p *parser) atom(i int) (term, int, bool) {
	if i < 0 || i >= len(p.toks) {
		return term{}, 0, false
	}
	if p.reference {
		return p.atomAt(i)
	}
	if r := &p.atoms[i]; r.gen == p.gen {
		return r.t, r.j, r.ok
	}
	t, j, ok := p.atomAt(i)
	p.atoms[i] = compoundResult{t: t, j: j, ok: ok, gen: p.gen}
	return t, j, ok
}

// atomAt is atom without the memo: every constituent parser in turn, the
// longest match winning (the first of equal length). The calls are
// written out: a slice of method values would allocate on every call.
func (p *parser) atomAt(i int) (term, int, bool) {
	var best term
	bestJ := -1
	try := func(t term, j int, ok bool) {
		if ok && j > bestJ {
			best, bestJ = t, j
		}
	}
	// A constituent is called only where the first-word guard it starts
	// with can pass (the condition repeated here; the callee's guard
	// still decides): most calls at a token fail at once, and each
	// failing call still returns a term. The reference parse calls every
	// one.
	all := p.reference
	c, num := p.toks[i].cls, p.toks[i].num
	if all || c&cRelDay != 0 {
		try(p.atomRelDay(i))
	}
	if all || c&cCycle != 0 {
		try(p.atomCycle(i))
	}
	if all || c&cDow != 0 {
		try(p.atomDow(i))
	}
	if all || num || c&cMonthDate != 0 {
		try(p.atomMonthDate(i))
	}
	if all || num {
		try(p.atomNumericDate(i))
		try(p.atomYear(i))
	}
	if all || num || c&cOrdinal != 0 || p.is(i, "the") {
		try(p.atomDom(i))
	}
	if all || num || c&(cTodWord|cCount) != 0 {
		try(p.atomTod(i))
	}
	try(p.atomPod(i))
	if all || c&cZone != 0 || p.is(i, "(", "+", "-") {
		try(p.atomZone(i))
	}
	if all || num || c&(cDurIn|cCount) != 0 {
		try(p.atomDuration(i))
	}
	if all || num || c&cOrdinal != 0 || p.is(i, "the", "last") {
		try(p.atomNthOf(i))
	}
	try(p.atomEdge(i))
	if all || num || c&cOrdinal != 0 || p.is(i, "q", "the") {
		try(p.atomQuarter(i))
	}
	if all || p.is(i, "the", "week") {
		try(p.atomWeekOf(i))
	}
	if all || p.is(i, "christmas", "xmas", "new") {
		try(p.atomHoliday(i))
	}
	if all || c&cHoliday != 0 {
		try(p.atomNamedHoliday(i))
	}
	if all || num || c&(cOrdinal|cCycleWord) != 0 || p.is(i, "the", "rest") {
		try(p.atomCycleOf(i))
	}
	if all || p.is(i, "h", "the", "first", "1st", "second", "2nd") {
		try(p.atomHalf(i))
	}
	return best, bestJ, bestJ > i
}

// rangeExpr parses "[D] [from|between] A (-|to|and|until) B".
func (p *parser) rangeExpr(i int) (val, int, bool) {
	var d term
	hasD := false
	start := i
	if t, j, ok := p.compound(i); ok {
		if k, ok := p.seq(j, "?in", "from|between"); ok && k > j {
			d, hasD, start = t, true, j
		}
	}
	var best val
	bestJ := -1
	for _, s := range []int{start} {
		k := s
		between, later := false, false
		if j, ok := p.seq(k, "?in", "?-", "between"); ok && j > k && p.is(j-1, "between") {
			k, between = j, true
		} else if j, ok := p.seq(k, "from|starting"); ok && j > k {
			k = j
		} else if j, ok := p.seq(k, "later|after", "than"); ok {
			k, later = j, true
		} else if j, ok := p.seq(k, "after"); ok {
			k, later = j, true
		}
		if hasD && k == s {
			continue
		}
		type cand struct {
			t term
			j int
		}
		var cands []cand
		if a, aj, ok := p.compound(k); ok {
			cands = append(cands, cand{a, aj})
		}
		if n, ok := p.num(k); ok && len(p.toks[k].s) <= 2 && n <= 31 && (len(cands) == 0 || cands[0].j != k+1) {
			bare := tod{h: n, grain: Hour, is12: n >= 1 && n <= 12, bare: true, num: n}
			if n > 23 {
				bare.h = 0 // only usable as a day of the month
			}
			cands = append(cands, cand{todTerm(bare, latent), k + 1})
		}
		for _, c := range cands {
			a, aj := c.t, c.j
			var seps [][]string
			switch {
			case between:
				seps = [][]string{{"and"}, {"-"}}
			case later:
				seps = [][]string{{"?,", "but|and", "before|earlier"}, {"and", "before"}}
			default:
				seps = [][]string{{"-"}, {"to"}, {"thru"}, {"through"}, {"till"}, {"til"}, {"until"}, {"untill"}, {"up", "to"}, {"/"}}
			}
			for _, sep := range seps {
				bk, ok := p.seq(aj, sep...)
				if !ok {
					continue
				}
				b, bj, ok := p.compound(bk)
				if !ok {
					continue
				}
				if sep[0] == "/" && !(a.hasYear && b.hasYear) {
					continue
				}
				if hasD {
					var ok1, ok2 bool
					a2, b2 := a, b
					if !a.hasDate() && a.anchor == nil {
						a2, ok1 = merge(a, d)
					} else {
						ok1 = true
					}
					if !b.hasDate() && b.anchor == nil {
						b2, ok2 = merge(b, d)
					} else {
						ok2 = true
					}
					if !ok1 || !ok2 {
						continue
					}
					a, b = a2, b2
				}
				v, ok := p.interval(a, b)
				if ok && bj > bestJ {
					v.strength = max(a.strength, b.strength, d.strength)
					best, bestJ = v, bj
				}
			}
		}
	}
	if bestJ < 0 {
		return val{}, 0, false
	}
	return best, bestJ, true
}

// interval resolves a closed range from a to b.
func (p *parser) interval(a, b term) (val, bool) {
	// A bare number next to a date is a day of the month.
	if a.tod != nil && a.tod.bare && b.tod == nil && b.hasDate() && a.pod == nil && a.anchor == nil && a.tod.num >= 1 && a.tod.num <= 31 {
		a = term{dom: a.tod.num, strength: a.strength}
	}
	if b.tod != nil && b.tod.bare && a.tod == nil && a.hasDate() && b.pod == nil && b.anchor == nil && b.tod.num >= 1 && b.tod.num <= 31 {
		b = term{dom: b.tod.num, strength: b.strength}
	}
	a, b = inherit(a, b), inherit(b, a)
	if a.tod != nil && b.tod != nil && a.tod.is12 && a.tod.ampm == 0 && b.tod.ampm != 0 && a.pod == nil {
		c := *a.tod
		bh := b.tod.h % 12
		if b.tod.ampm == amPM && c.h%12 <= bh {
			c.ampm, c.is12 = amPM, false
			if c.h < 12 {
				c.h += 12
			}
		} else if b.tod.ampm == amAM && c.h%12 <= bh {
			c.ampm, c.is12 = amAM, false
			if c.h == 12 {
				c.h = 0
			}
		}
		a.tod = &c
	}
	va, ok := p.resolve(a, p.ref)
	if !ok {
		return val{}, false
	}
	b.notImm = false
	vb, ok := p.resolve(b, va.start)
	if !ok || !vb.end.After(va.start) {
		return val{}, false
	}
	g := min(va.grain, vb.grain)
	end := vb.end
	if !vb.interval {
		end = addGrain(vb.start, g, 1)
	}
	if !end.After(va.start) {
		return val{}, false
	}
	return val{start: va.start, end: end, grain: g, interval: true}, true
}

// inherit copies to dst the coarser constraints it lacks from src.
func inherit(dst, src term) term {
	if !dst.hasDate() && dst.anchor == nil {
		if src.anchor != nil && (dst.tod != nil || dst.pod != nil) {
			a := *src.anchor
			if a.grain < Day {
				a = dayAt(a.start, Day)
			}
			a.interval, a.soft = false, src.anchor.soft
			dst.anchor = &a
		}
		dst.hasYear, dst.year, dst.month, dst.dom = src.hasYear, src.year, src.month, src.dom
		dst.hasDow, dst.dow, dst.notImm = src.hasDow, src.dow, src.notImm
		dst.hol = src.hol
	} else {
		if dst.dom > 0 && dst.month == 0 && src.month > 0 {
			dst.month = src.month
		}
		if dst.month > 0 && !dst.hasYear && src.hasYear {
			dst.hasYear, dst.year = true, src.year
		}
	}
	if dst.zone == nil && src.zone != nil && dst.tod != nil {
		dst.zone = src.zone
	}
	if dst.pod == nil && src.pod != nil && dst.tod != nil && dst.tod.is12 && dst.tod.ampm == 0 {
		dst.pod = src.pod
	}
	return dst
}

// openFirst are the words openExpr's patterns can start with (each
// pattern's first element, and its second where the first is optional).
const openFirst = "asap as anytime sometime sometimes until till til untill through thru before after up no not prior earlier any since from later starting beginning"

// openExpr parses "until X", "after X", "since X", "ASAP".
func (p *parser) openExpr(i int) (val, int, bool) {
	if !p.reference && !p.has(i, cOpen) {
		return val{}, 0, false
	}
	if j, ok := p.seq(i, "asap"); ok {
		return val{start: p.ref, grain: Second, open: After, strength: strong, deadline: true}, j, true
	}
	if j, ok := p.seq(i, "as", "soon", "as", "possible"); ok {
		return val{start: p.ref, grain: Second, open: After, strength: strong, deadline: true}, j, true
	}
	dir := Closed
	j := i
	for _, c := range []struct {
		pat []string
		dir Direction
	}{
		{[]string{"?anytime|sometime|sometimes", "until|till|til|untill|through|thru|before"}, Before},
		{[]string{"sometime|sometimes", "after"}, After},
		{[]string{"up", "to"}, Before},
		{[]string{"no|not", "later", "than"}, Before},
		{[]string{"prior", "to"}, Before},
		{[]string{"earlier", "than"}, Before},
		{[]string{"?anytime|any", "after|since|from"}, After},
		{[]string{"later", "than"}, After},
		{[]string{"starting", "?from|on|at"}, After},
		{[]string{"beginning", "from|on"}, After},
	} {
		if k, ok := p.seq(i, c.pat...); ok && k > i {
			dir, j = c.dir, k
			break
		}
	}
	if dir == Closed {
		return val{}, 0, false
	}
	if p.is(i, "by") {
		return val{}, 0, false // by X is a closed interval, see byExpr
	}
	// "after 5 days": a duration from now
	if d, k, ok := p.duration(j); ok && dir == After {
		s := p.shift(d, 1)
		return val{start: s.start, grain: s.grain, open: After, strength: strong}, k, true
	}
	t, k, ok := p.compound(j)
	if !ok {
		return val{}, 0, false
	}
	v, ok := p.resolve(t, p.ref)
	if !ok {
		return val{}, 0, false
	}
	if p.is(i, "since") && v.start.After(p.ref) && t.anchor == nil && !t.explicit {
		// "since Monday" looks back
		if pv, ok := p.resolvePast(t); ok {
			v = pv
		}
	}
	return val{start: v.start, grain: v.grain, open: dir, strength: strong, deadline: dir == Before}, k, true
}

// byExpr parses "by X": from now to X (X's start when X is a moment, its
// end when X is a day or longer or an interval).
func (p *parser) byExpr(i int) (val, int, bool) {
	if !p.reference && !p.has(i, cBy) {
		return val{}, 0, false
	}
	j, ok := p.seq(i, "by|within|in")
	if !ok {
		return val{}, 0, false
	}
	if p.is(i, "within") || p.is(i, "in") {
		d, k, ok := p.duration(j)
		if !ok && p.is(i, "within") {
			// within the hour, within the day, within the week
			if k2, ok2 := p.seq(j, "the", "hour|day|week|month"); ok2 {
				d, k, ok = dur{n: 1, g: unitWords[tokS(p, k2-1)]}, k2, true
			}
		}
		if !ok || p.is(i, "in") {
			return val{}, 0, false
		}
		end := p.shift(d, 1).start
		if d.biz {
			end = addGrain(truncate(end, Day), Day, 1)
		}
		return val{start: p.ref, end: end, grain: Second, interval: true, deadline: true, strength: strong}, k, true
	}
	t, k, ok := p.compound(j)
	if !ok {
		return val{}, 0, false
	}
	v, ok := p.resolve(t, p.ref)
	if !ok {
		return val{}, 0, false
	}
	// "by 2pm" ends at 2pm, "by Friday" and "by EOM" at their end, "by
	// next week" and "by March" at their start.
	end := v.start
	if v.interval || v.grain == Day {
		end = v.end
	}
	if !end.After(p.ref) {
		return val{}, 0, false
	}
	return val{start: p.ref, end: end, grain: Second, interval: true, deadline: true, strength: strong}, k, true
}

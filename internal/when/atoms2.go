package when

import (
	"strings"
	"time"
)

// ampm reads am, pm, a.m., p m, a, p. single reports a lone letter.
func (p *parser) ampm(i int) (int, int, bool) {
	w := tokS(p, i)
	var v int
	switch w {
	case "am", "amish":
		v = amAM
	case "pm", "pmish":
		v = amPM
	case "a":
		v = amAM
	case "p":
		v = amPM
	default:
		return 0, 0, false
	}
	j := i + 1
	if w == "a" || w == "p" {
		if k, ok := p.seq(j, "?.", "m", "?."); ok && k > j && (p.is(j, "m") || p.is(j+1, "m")) {
			return v, k, true
		}
		if p.is(j, ".") && p.adj(j) {
			j++
		}
		return v, j, true
	}
	if p.is(j, ".") && p.adj(j) && (j+1 >= len(p.toks) || p.toks[j+1].sp) {
		j++
	}
	return v, j, true
}

// lone reports an a.m./p.m. written as a single letter ("4a", "3p.").
func lone(p *parser, i, j int) bool {
	return p.is(i, "a", "p") && (j == i+1 || (j == i+2 && p.is(i+1, ".")))
}

// applyAMPM sets a.m./p.m. on an hour; false if it makes no sense.
func applyAMPM(h, ap int) (int, bool) {
	if h < 1 || h > 12 {
		return h, h == 0 && ap == amAM
	}
	if ap == amAM {
		if h == 12 {
			return 0, true
		}
		return h, true
	}
	if h == 12 {
		return 12, true
	}
	return h + 12, true
}

func todTerm(t tod, st int) term {
	return term{tod: &t, strength: st}
}

var hourCtx = []string{"at", "@", "around", "about", "approximately", "approx", "tonight", "tonite", "until", "till", "from", "to", "-", "by", "before", "after", "since", "between"}

// atomTod: times of day.
func (p *parser) atomTod(i int) (term, int, bool) {
	// Every form starts with one of these words, a number or a number
	// word (todRelative, todWords, the clock forms).
	if !p.reference && !p.has(i, cTodWord) && !p.countStart(i) {
		return term{}, 0, false
	}
	switch {
	case p.is(i, "noon", "midday", "midday"):
		return todTerm(tod{h: 12, grain: Hour}, strong), i + 1, true
	case p.is(i, "mid") && p.is(i+1, "day"):
		return todTerm(tod{h: 12, grain: Hour}, strong), i + 2, true
	case p.is(i, "mid") && p.is(i+1, "-") && p.is(i+2, "day"):
		return todTerm(tod{h: 12, grain: Hour}, strong), i + 3, true
	case p.is(i, "midnight", "midnite"):
		return todTerm(tod{h: 0, grain: Hour}, strong), i + 1, true
	case p.is(i, "12", "twelve") && p.is(i+1, "noon", "midday"):
		return todTerm(tod{h: 12, grain: Hour}, strong), i + 2, true
	case p.is(i, "12", "twelve") && p.is(i+1, "midnight"):
		return todTerm(tod{h: 0, grain: Hour}, strong), i + 2, true
	case p.is(i, "first") && p.is(i+1, "thing"):
		j := i + 2
		if k, ok := p.seq(j, "in", "the", "morning"); ok {
			j = k
		}
		return todTerm(tod{h: 9, grain: Hour}, strong), j, true
	}
	if t, j, ok := p.todRelative(i); ok {
		return t, j, true
	}
	if t, j, ok := p.todWords(i); ok {
		return t, j, true
	}
	h, ok := p.num(i)
	if !ok {
		return term{}, 0, false
	}
	digits := len(p.toks[i].s)
	at := p.is(i-1, hourCtx...)
	j := i + 1
	// H:MM[:SS]
	if digits <= 2 && p.is(j, ":") && p.adj(j) {
		m, ok := p.num(j + 1)
		if !ok || len(p.toks[j+1].s) != 2 || m > 59 || h > 24 {
			return term{}, 0, false
		}
		t := tod{h: h, m: m, grain: Minute, is12: h >= 1 && h <= 12 && p.toks[i].s[0] != '0'}
		j += 2
		if p.is(j, ":") && p.adj(j) {
			s, ok := p.num(j + 1)
			if !ok || len(p.toks[j+1].s) != 2 || s > 59 {
				return term{}, 0, false
			}
			t.s, t.grain = s, Second
			j += 2
		}
		if ap, k, ok := p.ampm(j); ok {
			hh, ok := applyAMPM(t.h, ap)
			if !ok {
				return term{}, 0, false
			}
			t.h, t.is12, t.ampm = hh, false, ap
			j = k
		} else if k, ok := p.seq(j, "o", "'", "clock"); ok {
			j = k
		} else if p.is(j, "h", "hrs") && p.adj(j) {
			j++ // "08:30h"
		}
		if t.h == 24 && t.m == 0 && t.s == 0 {
			t.h = 0
		} else if t.h > 23 {
			return term{}, 0, false
		}
		return todTerm(t, strong), j, true
	}
	// H.MM followed by am/pm; without, a latent clock time ("at 7.30")
	if digits <= 2 && h <= 23 && p.is(j, ".") && p.adj(j) && p.adj(j+1) {
		if m, ok := p.num(j + 1); ok && len(p.toks[j+1].s) == 2 && m <= 59 {
			if ap, k, ok := p.ampm(j + 2); ok && h >= 1 && h <= 12 {
				hh, _ := applyAMPM(h, ap)
				return todTerm(tod{h: hh, m: m, grain: Minute, ampm: ap}, strong), k, true
			}
			dotted := p.is(j+2, ".") && p.adj(j+2) && p.toks[j+2].end < len(p.text) && j+3 < len(p.toks) && p.toks[j+3].num && p.adj(j+3)
			prevNum := i > 0 && !p.toks[i].sp && (p.is(i-1, ".") || p.toks[i-1].num)
			if !dotted && !prevNum && !p.unitFollows(j+2) {
				t := tod{h: h, m: m, grain: Minute, is12: h >= 1 && h <= 12 && p.toks[i].s[0] != '0'}
				st := latent
				if at {
					st = strong
				}
				return todTerm(t, st), j + 2, true
			}
		}
	}
	// HhMM, Hh: 24-hour clock
	if digits <= 2 && p.is(j, "h") && p.adj(j) && h <= 24 {
		t := tod{h: h % 24, grain: Minute}
		j++
		if m, ok := p.num(j); ok && p.adj(j) && len(p.toks[j].s) == 2 && m <= 59 {
			t.m = m
			j++
		}
		if _, ok := unitWords[tokS(p, j)]; ok {
			return term{}, 0, false
		}
		return todTerm(t, strong), j, true
	}
	// HMM
	if digits == 3 || digits == 4 {
		hh, m := h/100, h%100
		if m > 59 || hh > 23 {
			return term{}, 0, false
		}
		t := tod{h: hh, m: m, grain: Minute, is12: hh >= 1 && hh <= 12 && p.toks[i].s[0] != '0'}
		if ap, k, ok := p.ampm(j); ok {
			hh2, ok := applyAMPM(hh, ap)
			if !ok {
				return term{}, 0, false
			}
			t.h, t.is12, t.ampm = hh2, false, ap
			return todTerm(t, strong), k, true
		}
		if p.is(j, "hrs", "hours", "h") && digits == 4 && !p.is(i-1, "in", "for", "within", "after") {
			// military time: "1500 hrs"
			t.is12 = false
			return todTerm(t, strong), j + 1, true
		}
		if at || p.is(j, "ish") {
			return todTerm(t, latent), j, true
		}
		return term{}, 0, false
	}
	if digits > 2 || h > 24 {
		return term{}, 0, false
	}
	// H am/pm, H o'clock
	t := tod{h: h, grain: Hour, is12: h >= 1 && h <= 12 && p.toks[i].s[0] != '0', bare: true, num: h}
	st := latent
	if k, ok := p.seq(j, "o|o'|oclock|o'clock", "?'", "?clock"); ok && k > j && (p.is(k-1, "clock", "oclock")) {
		j, st = k, strong
		t.bare = false
	}
	if ap, k, ok := p.ampm(j); ok {
		hh, ok := applyAMPM(h, ap)
		if !ok {
			return term{}, 0, false
		}
		t.h, t.is12, t.ampm, t.bare = hh, false, ap, false
		if lone(p, j, k) && !at && st != strong {
			st = weak
		} else {
			st = strong
		}
		j = k
		return todTerm(t, st), j, true
	}
	// "at 3 15": hour and minutes with a space, only after "at"
	if at && t.bare {
		if m, ok := p.num(j); ok && len(p.toks[j].s) == 2 && m <= 59 && !p.adj(j) {
			t.m, t.grain, t.bare = m, Minute, false
			return todTerm(t, latent), j + 1, true
		}
	}
	if h > 23 || t.bare && p.unitFollows(j) && !p.is(j, "a", "p", "am", "pm", ":") {
		return term{}, 0, false
	}
	return todTerm(t, st), j, true
}

// hourWord reads an hour written as a word, one to twelve.
func (p *parser) hourWord(i int) (int, bool) {
	n, ok := smallNumbers[tokS(p, i)]
	return n, ok && n >= 1 && n <= 12
}

// todWords: "ten thirty am", "twelve oh three", "at three twenty", "eight".
func (p *parser) todWords(i int) (term, int, bool) {
	h, ok := p.hourWord(i)
	if !ok {
		return term{}, 0, false
	}
	t := tod{h: h, grain: Hour, is12: true}
	j := i + 1
	st := latent
	minutes := false
	k := j
	hyphen := p.is(k, "-") && p.adj(k) && p.adj(k+1)
	if p.is(k, "-") {
		k++
	}
	if p.is(k, "oh", "o", "ou", "zero") {
		k2 := k + 1
		if p.is(k2, "-") {
			k2++
		}
		if m, ok := smallNumbers[tokS(p, k2)]; ok && m >= 1 && m <= 9 {
			t.m, t.grain, j, minutes = m, Minute, k2+1, true
		}
	} else if m, k2, ok := p.numberWord(k); ok && m >= 10 && m <= 59 {
		t.m, t.grain, j, minutes = m, Minute, k2, true
		st = weak
		if p.is(i-1, "at", "@") || hyphen {
			st = latent // "at three twenty", "five-thirty"; not "three twenty"
		}
	}
	if k, ok := p.seq(j, "o|o'|oclock|o'clock", "?'", "?clock"); ok && k > j && p.is(k-1, "clock", "oclock") {
		j, st = k, strong
	}
	if ap, k, ok := p.ampm(j); ok && !lone(p, j, k) || ok && minutes {
		hh, _ := applyAMPM(t.h, ap)
		t.h, t.is12, t.ampm = hh, false, ap
		j, st = k, strong
	}
	return todTerm(t, st), j, true
}

// todRelative: quarter past 3pm, 20 past 3, half past three, 15 to noon,
// half three.
func (p *parser) todRelative(i int) (term, int, bool) {
	j := i
	var m int
	switch {
	case p.is(j, "a") && p.is(j+1, "quarter"):
		m, j = 15, j+2
	case p.is(j, "quarter"):
		m, j = 15, j+1
	case p.is(j, "half"):
		m, j = 30, j+1
	default:
		n, k, ok := p.count(j)
		if !ok || n < 1 || n > 59 || p.is(j, "a", "an", "one") && !p.is(k, "minute") {
			return term{}, 0, false
		}
		m, j = n, k
		if p.is(j, "minute", "minutes", "min", "mins") {
			j++
		}
	}
	bareN := !p.is(i, "a", "quarter", "half") && !p.is(j-1, "minute", "minutes", "min", "mins")
	dir := 0
	switch {
	case p.is(j, "past", "after"):
		dir, j = 1, j+1
	case p.is(j, "to", "till", "before", "of"):
		dir, j = -1, j+1
	case m == 30 && p.is(i, "half"):
		dir = 1 // "half three" is 3:30
	default:
		return term{}, 0, false
	}
	base, k, ok := p.atomTod(j)
	if !ok || base.tod == nil || base.tod.m != 0 || base.tod.grain > Hour && base.tod.grain != Minute {
		return term{}, 0, false
	}
	if dir < 0 && bareN {
		noonish := !base.tod.is12 && base.tod.ampm == 0 && base.tod.grain == Hour && (base.tod.h == 12 || base.tod.h == 0)
		words := i < len(p.toks) && j < len(p.toks) && !p.toks[i].num && !p.toks[j].num
		if !noonish && !words && !(m > 12 && base.tod.ampm != 0) {
			return term{}, 0, false
		}
	}
	t := *base.tod
	t.bare = false
	t.grain = Minute
	if dir > 0 {
		t.m = m
	} else {
		t.m = 60 - m
		switch {
		case t.h == 0:
			t.h = 23
		case t.h == 1 && t.is12:
			t.h = 12
		default:
			t.h--
		}
	}
	return todTerm(t, strong), k, true
}

// atomPod: morning, this afternoon, early morning, after lunch, EOD, COB.
func (p *parser) atomPod(i int) (term, int, bool) {
	// The patterns below start with these words (none with an optional
	// element): skip them for any other token.
	switch tokS(p, i) {
	case "cob", "eob", "cop", "close", "end", "c", "eod":
		// close of business: a moment
		for _, pat := range [][]string{{"cob"}, {"eob"}, {"cop"}, {"close", "of", "business|play"}, {"end", "of", "?the", "business", "?day"}, {"c", ".", "o", ".", "b", "?."}} {
			if j, ok := p.seq(i, pat...); ok {
				return term{tod: &tod{h: 17, grain: Hour}, strength: strong, deadline: true}, j, true
			}
		}
		for _, pat := range [][]string{{"eod"}, {"end", "of", "?the", "day"}, {"close", "of", "?the", "day"}} {
			if j, ok := p.seq(i, pat...); ok {
				return term{pod: &pod{from: 17 * 60, to: 24 * 60, ampm: amPM}, strength: strong, deadline: true}, j, true
			}
		}
	}
	j := i
	this := false
	if p.is(j, "this", "today") {
		this = true
		j++
	} else if p.is(j, "the") {
		j++
	}
	st := latent
	var pd *pod
	word := strings.TrimSuffix(tokS(p, j), "ish")
	// The sequences below start with these words (none optional).
	seqs := p.reference
	switch tokS(p, j) {
	case "early", "in", "late", "mid", "midmorning", "midafternoon", "after":
		seqs = true
	}
	if seqs {
		if k, ok := p.seq(j, "early", "?in", "?the", "morning"); ok {
			pd, j = &pod{from: 0, to: 9 * 60, ampm: amAM}, k
		} else if k, ok := p.seq(j, "in", "the", "early", "hours", "of", "the", "morning"); ok {
			pd, j = &pod{from: 0, to: 9 * 60, ampm: amAM}, k
		} else if k, ok := p.seq(j, "late", "night|evening"); ok {
			pd, j = &pod{from: 21 * 60, to: 24 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "late|mid", "?-", "morning"); ok {
			// early morning is 0-9 (Duckling); late morning the rest of it
			pd, j = &pod{from: 9 * 60, to: 12 * 60, ampm: amAM}, k
		} else if k, ok := p.seq(j, "early", "?in", "?the", "afternoon"); ok {
			pd, j = &pod{from: 12 * 60, to: 15 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "mid", "?-", "afternoon"); ok {
			pd, j = &pod{from: 14 * 60, to: 16 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "late", "?in", "?the", "afternoon"); ok {
			pd, j = &pod{from: 15 * 60, to: 19 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "early", "?in", "?the", "evening"); ok {
			pd, j = &pod{from: 18 * 60, to: 21 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "midmorning"); ok {
			pd, j = &pod{from: 9 * 60, to: 12 * 60, ampm: amAM}, k
		} else if k, ok := p.seq(j, "midafternoon"); ok {
			pd, j = &pod{from: 14 * 60, to: 16 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "after", "?-", "lunch"); ok {
			pd, j = &pod{from: 13 * 60, to: 17 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "after", "?-", "work"); ok {
			pd, j = &pod{from: 17 * 60, to: 21 * 60, ampm: amPM}, k
		} else if k, ok := p.seq(j, "after", "?-", "school"); ok {
			pd, j = &pod{from: 15 * 60, to: 21 * 60, ampm: amPM}, k
		}
	}
	if pd == nil { // no sequence matched
		switch word {
		case "morning", "mornin":
			pd = &pod{from: 0, to: 12 * 60, ampm: amAM}
		case "afternoon", "arvo":
			pd = &pod{from: 12 * 60, to: 19 * 60, ampm: amPM}
		case "evening", "night", "nite", "eve":
			pd = &pod{from: 18 * 60, to: 24 * 60, ampm: amPM}
		case "lunch", "lunchtime":
			pd = &pod{from: 12 * 60, to: 14 * 60, ampm: amPM}
		case "pm", "p":
			if p.is(j-1, "the") && (tokS(p, j) == "pm" || p.is(j+1, ".")) {
				pd = &pod{from: 12 * 60, to: 24 * 60, ampm: amPM}
			}
		case "am", "a":
			if p.is(j-1, "the") && (tokS(p, j) == "am" || p.is(j+1, ".")) {
				pd = &pod{from: 0, to: 12 * 60, ampm: amAM}
			}
		}
		if pd == nil {
			return term{}, 0, false
		}
		j++
		if (word == "pm" || word == "am" || word == "p" || word == "a") && p.is(j, ".") {
			if k, ok := p.seq(j, ".", "m", "?."); ok {
				j = k
			}
		}
	}
	if j > i+1 || this {
		st = strong
	}
	t := term{pod: pd, strength: st}
	if this {
		s := p.today(0)
		s.soft = true
		t.anchor = &s
	}
	return t, j, true
}

// zone offsets in minutes east of UTC; generic US zones are resolved with
// the US daylight-saving rule.
var zoneOffsets = map[string]int{
	"utc": 0, "gmt": 0, "wet": 0, "bst": 60, "west": 60, "cet": 60, "cest": 120,
	"met": 60, "mest": 120, "eet": 120, "eest": 180, "msk": 180, "ist": 330,
	"pkt": 300, "ict": 420, "wib": 420, "sgt": 480, "hkt": 480, "awst": 480,
	"jst": 540, "kst": 540, "acst": 570, "aest": 600, "aedt": 660, "nzst": 720,
	"nzdt": 780, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
	"mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "akst": -540,
	"akdt": -480, "hst": -600, "ast": -240, "adt": -180, "nst": -210, "brt": -180,
}

var usZones = map[string]int{"et": -300, "eastern": -300, "ct": -360, "central": -360, "mt": -420, "mountain": -420, "pt": -480, "pacific": -480}

// atomZone: a time zone after a time of day.
func (p *parser) atomZone(i int) (term, int, bool) {
	// Every form starts with "(", "+", "-" or a zone name.
	if !p.reference && !p.has(i, cZone) && !p.is(i, "(", "+", "-") {
		return term{}, 0, false
	}
	j := i
	paren := p.is(j, "(")
	if paren {
		j++
	}
	w := tokS(p, j)
	var off int
	name := "" // the zone's name, upper-cased only once it matched
	if o, ok := zoneOffsets[w]; ok {
		off, name = o, strings.ToUpper(w)
		j++
	} else if o, ok := usZones[w]; ok {
		off, name = o, strings.ToUpper(w)
		if usDST(p.ref) {
			off += 60
		}
		j++
		if p.is(j, "time") {
			j++
		}
	} else if p.is(j, "+", "-") && !paren && !p.adj(j) {
		// a numeric offset after a time: +0100, -05:00
		n, ok := p.num(j + 1)
		if !ok || !p.adj(j+1) {
			return term{}, 0, false
		}
		var oh, om int
		switch {
		case len(p.toks[j+1].s) == 4:
			oh, om, j = n/100, n%100, j+2
		case len(p.toks[j+1].s) == 2 && p.is(j+2, ":") && p.adj(j+2):
			m, ok := p.num(j + 3)
			if !ok || len(p.toks[j+3].s) != 2 {
				return term{}, 0, false
			}
			oh, om, j = n, m, j+4
		default:
			return term{}, 0, false
		}
		if oh > 14 || om > 59 {
			return term{}, 0, false
		}
		off = oh*60 + om
		if p.toks[i].s == "-" {
			off = -off
		}
	} else {
		return term{}, 0, false
	}
	if (w == "utc" || w == "gmt") && p.is(j, "+", "-") {
		if n, ok := p.num(j + 1); ok && n <= 14 {
			if p.is(j, "-") {
				off = -n * 60
			} else {
				off = n * 60
			}
			j += 2
		}
	}
	if paren {
		if !p.is(j, ")") {
			return term{}, 0, false
		}
		j++
	}
	return term{zone: time.FixedZone(name, off*60), strength: weak}, j, true
}

// usDST reports whether US daylight-saving time is in force on t's date
// (second Sunday of March to first Sunday of November).
func usDST(t time.Time) bool {
	y, m, d := t.Date()
	switch {
	case m < 3 || m > 11:
		return false
	case m > 3 && m < 11:
		return true
	case m == 3:
		return d >= nthSunday(y, 3, 2)
	default:
		return d < nthSunday(y, 11, 1)
	}
}

func nthSunday(y int, m time.Month, n int) int {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
	return 1 + (7-int(first))%7 + 7*(n-1)
}

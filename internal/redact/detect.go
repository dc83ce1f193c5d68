package redact

import (
	"strings"
)

// Priorities decide between overlapping candidates: the higher wins, then
// the longer.
const (
	prioPerson     = 30
	prioOrg        = 32
	prioAddress    = 40
	prioHint       = 45
	prioDOB        = 50
	prioPhone      = 55
	prioIP         = 60
	prioID         = 65
	prioCard       = 70
	prioIBAN       = 75
	prioEmail      = 80
	prioURL        = 90
	prioPropagated = 95
	prioToken      = 100
)

// detect runs every detector and returns the (overlapping) candidates.
func detect(text string, h Hints) []bspan {
	var cands []bspan
	add := func(start, end int, typ string, prio int) {
		if start < end {
			cands = append(cands, bspan{start, end, typ, prio})
		}
	}
	lower := asciiLower(text)
	detectURLs(text, add)
	if strings.IndexByte(text, '@') >= 0 {
		detectEmails(text, add)
	}
	if strings.IndexByte(text, ':') >= 0 {
		detectIPv6(text, add)
	}
	detectIBANs(text, add)
	detectNINO(text, add)
	detectNumbers(text, lower, add)
	detectVanity(text, add)
	detectDOBText(text, lower, add)
	buf := tokPool.Get().(*[]token)
	toks := tokenizeInto(*buf, text)
	detectIDWords(text, lower, toks, add)
	detectAddresses(text, lower, toks, add)
	detectNames(text, toks, add)
	detectDomainNames(text, lower, toks, add)
	clear(toks) // no text of this call stays reachable from the pool
	*buf = toks[:0]
	tokPool.Put(buf)
	detectHints(text, h, add)
	return cands
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec"}

// detectDOBText finds written-out dates ("3 March 1980", "March 3rd, 1980")
// shortly after a birth cue. Numeric dates are handled by detectNumbers.
func detectDOBText(text, lower string, add func(start, end int, typ string, prio int)) {
	for _, w := range dobWords {
		off := 0
		for {
			k := strings.Index(lower[off:], w)
			if k < 0 {
				break
			}
			p := off + k + len(w)
			off = p
			win := lower[p:min(len(lower), p+60)]
			st, e := findTextDate(win)
			if st >= 0 {
				add(p+st, p+e, TypeDOB, prioDOB)
			}
		}
	}
}

// findTextDate finds "<day> <month> <year>" or "<month> <day>, <year>" in
// s and returns its byte range, or -1.
func findTextDate(s string) (int, int) {
	toks := tokenize(s)
	for i, t := range toks {
		if t.kind != tokWord || !isMonth(t.lower) {
			continue
		}
		// month day[,] year
		if i+1 < len(toks) && toks[i+1].kind == tokNum && len(toks[i+1].text) <= 2 {
			e := toks[i+1].end
			for j := i + 2; j < len(toks) && j <= i+4; j++ {
				if toks[j].kind == tokNum && len(toks[j].text) == 4 {
					e = toks[j].end
					break
				}
			}
			return t.start, e
		}
		// day month year
		if i > 0 && toks[i-1].kind == tokNum && len(toks[i-1].text) <= 2 {
			e := t.end
			if i+1 < len(toks) && toks[i+1].kind == tokNum && len(toks[i+1].text) == 4 {
				e = toks[i+1].end
			}
			return toks[i-1].start, e
		}
		if i+1 < len(toks) && toks[i+1].kind == tokNum && len(toks[i+1].text) == 4 {
			return t.start, toks[i+1].end
		}
	}
	return -1, -1
}

func isMonth(w string) bool {
	for _, m := range months {
		if w == m {
			return true
		}
	}
	return false
}

// detectIDWords finds identifiers written as letters and digits (driver's
// licences, passports) right after a label such as "licence", "passport",
// "ID number".
func detectIDWords(text, lower string, toks []token, add func(start, end int, typ string, prio int)) {
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		switch t.lower {
		case "license", "licence", "passport", "id", "dl", "identification", "permit":
		default:
			continue
		}
		// Look at the next few tokens for an alphanumeric code with 5+ digits.
		for j := i + 1; j < len(toks) && j <= i+6; j++ {
			c := toks[j]
			if c.kind == tokPunct && c.text != ":" && c.text != "#" && c.text != "-" {
				break
			}
			if c.kind == tokNum || c.kind == tokAlnum {
				if countDigits(c.text) >= 5 && len(c.text) <= 20 {
					add(c.start, c.end, TypeID, prioID)
				}
				break
			}
		}
	}
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			n++
		}
	}
	return n
}

package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Street and place names in an address block look like people's names
// ("52 Machiton Scholis", "Apt. 403\nSisseb\nTurkey 93283"). These checks
// read the block's structure around a name; a name that stands in one is
// part of the address, and adjacent address pieces are merged into one
// span.

// addressContext reports whether the name tokens i..k-1 stand where a
// street or a town of an address block stands:
//   - right after a house number at the start of its line or after "to",
//     "at", "address" or a colon ("52 Machiton Scholis");
//   - filling the rest of its line, with a unit on the next line ("...
//     Stadion\n Suite 418");
//   - filling its line right below a unit line ("Apt. 403\n Sisseb");
//   - before a number and a named street on its line ("Häggetorp 26
//     Veitonen Street").
//
// It returns the token the address starts at (the house number in the
// first case, i otherwise).
func addressContext(toks []token, i, k int) (int, bool) {
	if i > 0 && toks[i].nlBefore == 0 && toks[i-1].kind == tokNum && len(toks[i-1].text) <= 6 {
		j := i - 1
		for j > 0 && toks[j].nlBefore == 0 && toks[j-1].kind == tokNum {
			j--
		}
		if lineHead(toks, j) || j > 0 && toks[j].nlBefore == 0 && addressCues[toks[j-1].lower] {
			return j, true
		}
	}
	ok := addressAround(toks, i, k)
	return i, ok
}

func addressAround(toks []token, i, k int) bool {
	n := len(toks)
	endsLine := k >= n || toks[k].nlBefore > 0
	if endsLine && k < n && unitAt(toks, skipPunct(toks, k)) {
		return true
	}
	if endsLine && lineHead(toks, i) && unitLineBefore(toks, i) {
		return true
	}
	if k+2 < n && toks[k].kind == tokNum && len(toks[k].text) <= 5 && toks[k].nlBefore == 0 {
		for j := k + 1; j < n && j <= k+4 && toks[j].nlBefore == 0 && toks[j].kind == tokWord; j++ {
			if j > k+1 && (streetSuffixes[strings.TrimSuffix(toks[j].lower, ".")] || isStreetWord(toks[j])) {
				return true
			}
		}
	}
	return false
}

// addressCues come right before an address: "ship to 77 ...".
var addressCues = setOf(`to at : address`)

// skipPunct skips the punctuation at the start of a line (bullets).
func skipPunct(toks []token, k int) int {
	m := k
	for m < len(toks) && m < k+4 && toks[m].kind == tokPunct && (m == k || toks[m].nlBefore == 0) {
		m++
	}
	if m < len(toks) && (m == k || toks[m].nlBefore == 0) {
		return m
	}
	return k
}

// unitAt reports whether a unit ("Apt. 403", "Suite 418") starts at k.
func unitAt(toks []token, k int) bool {
	if k >= len(toks) || !secondaryUnits[strings.TrimSuffix(toks[k].lower, ".")] || toks[k].lower == "box" || toks[k].lower == "floor" {
		return false
	}
	m := k + 1
	if m < len(toks) && toks[m].text == "." {
		m++
	}
	return m < len(toks) && toks[m].nlBefore == 0 && (toks[m].kind == tokNum || toks[m].kind == tokAlnum)
}

// unitLineBefore reports whether the line before the one starting at token
// i is a unit line ("Apt. 403").
func unitLineBefore(toks []token, i int) bool {
	if i == 0 || toks[i].nlBefore == 0 {
		// i is after bullets: find its line's first token.
		for i > 0 && toks[i].nlBefore == 0 {
			i--
		}
		if toks[i].nlBefore == 0 {
			return false
		}
	}
	if toks[i].nlBefore > 1 || i == 0 {
		return false // a blank line before it, or no line before it
	}
	j := i - 1
	for j > 0 && toks[j].nlBefore == 0 {
		j--
	}
	return unitAt(toks, skipPunct(toks, j))
}

// mergeAddresses joins address spans that follow each other with only
// spaces, line breaks, commas or full stops between them: the pieces of
// one address block.
func mergeAddresses(text string, spans []bspan) []bspan {
	out := spans[:0]
	for _, s := range spans {
		if len(out) > 0 {
			p := &out[len(out)-1]
			if p.typ == TypeAddress && s.typ == TypeAddress && s.start >= p.end && s.start-p.end <= 4 &&
				strings.Trim(text[p.end:s.start], " \t\n,.") == "" && strings.Count(text[p.end:s.start], "\n") <= 1 {
				p.end = s.end
				p.prio = max(p.prio, s.prio)
				continue
			}
		}
		out = append(out, s)
		// A name just before a street is part of it: "Rolfsens vei 12"
		// (the street word in lower case after the name) and the other
		// street of a corner, "Maple and 5 Elm Street".
		for len(out) >= 2 {
			a, b := &out[len(out)-2], out[len(out)-1]
			if b.typ != TypeAddress || a.typ != TypePerson && a.typ != TypeOrg || !streetLead(text, *a, b) {
				break
			}
			a.typ, a.end, a.prio = TypeAddress, b.end, max(a.prio, b.prio)
			out = out[:len(out)-1]
		}
	}
	return out
}

// streetLead reports whether the name span a belongs to the address span b
// that follows it on the same line: one space and a lower-case street word
// ("Ingrid Bjerkes vei 187"), or " and " and a street ("Elm and 5th
// Street", a corner), the name being at most three words.
func streetLead(text string, a, b bspan) bool {
	if a.end > b.start || strings.ContainsAny(text[a.start:b.start], "\n") || strings.Count(text[a.start:a.end], " ") > 2 {
		return false
	}
	gap := text[a.end:b.start]
	if gap == " " {
		r, _ := utf8.DecodeRuneInString(text[b.start:])
		return unicode.IsLower(r)
	}
	return gap == " and " || gap == " & "
}

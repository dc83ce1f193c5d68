package redact

import (
	"strings"
)

func isStreetWord(t token) bool {
	if t.kind != tokWord {
		return false
	}
	if streetWords[t.lower] {
		return true
	}
	low := t.lower
	if len(low) < 4 {
		return false
	}
	// Only the endings that end in the word's last byte (isStreetWord runs
	// on every word of a text; most words end in no street ending).
	for _, e := range streetEndingsByLast[low[len(low)-1]] {
		if len(low) > len(e)+2 && strings.HasSuffix(low, e) {
			return true
		}
	}
	return false
}

// streetEndingsByLast groups streetEndings by their last byte.
var streetEndingsByLast = func() (m [256][]string) {
	for _, e := range streetEndings {
		m[e[len(e)-1]] = append(m[e[len(e)-1]], e)
	}
	return m
}()

// addrWord: a word that may be part of a street or place name.
func addrWord(t token) bool {
	if t.kind != tokWord {
		return false
	}
	return !commonWords[t.lower] || particles[t.lower] || streetSuffixes[t.lower] || t.cap && len(t.text) > 1 && !stopLike[t.lower]
}

// suffixStreets are street words written after the street's name, also
// when capitalised: "Tarnel Caddesi 112", "Zorvai Tér 12".
var suffixStreets = setOf(`tér rakpart körút köz fasor sétány út utca třída nábřeží vei veg vej gade
gata gatan vägen veien tie katu plass cesta caddesi cadde sokak sokağı bulvarı`)

// stopLike are words that end an address even when capitalised.
var stopLike = setOf(`and or but for the to of in on at by with from is are was were be if then
please call me my your our their this that it i we you he she they`)

// detectAddresses finds street addresses (number + street name + suffix,
// European "street number" forms, PO boxes) and extends them over a unit
// ("Apt. 602") and up to three locality parts (city, state, postcode),
// and postcodes after "zip code"/"postcode".
func detectAddresses(text, lower string, toks []token, add func(start, end int, typ string, prio int)) {
	n := len(toks)
	for i := 0; i < n; i++ {
		t := toks[i]
		st, e := -1, -1
		next := i
		switch {
		case t.kind == tokNum || t.kind == tokAlnum && countDigits(t.text) > 0 && len(t.text) <= 6:
			st, e, next = streetFromNumber(toks, i)
		case (t.lower == "psc" || t.lower == "cmr") && i+1 < n && toks[i+1].kind == tokNum:
			// US military mail: PSC 1234, Box 5678, APO AE 09123.
			st, e, next = t.start, toks[i+1].end, i+2
		case t.lower == "unit" && i+3 < n && toks[i+1].kind == tokNum && toks[i+2].lower == "box" && toks[i+3].kind == tokNum:
			// US military mail: Unit 2050 Box 4190, APO AP 96278.
			st, e, next = t.start, toks[i+3].end, i+4
		case militaryShip[t.lower] && i+1 < n && toks[i+1].kind == tokWord && toks[i+1].nlBefore == 0:
			// A ship: USS Name, FPO AE 09501.
			j := i + 1
			for j < n && j < i+4 && toks[j].kind == tokWord && toks[j].nlBefore == 0 && !militaryPost[toks[j].lower] {
				j++
			}
			if j < n && militaryPost[toks[j].lower] {
				st, e, next = t.start, toks[j-1].end, j
			}
		case t.lower == "corner" && i+2 < n && toks[i+1].lower == "of":
			st, e, next = streetCorner(toks, i)
		case (t.lower == "p" || t.lower == "po" || t.lower == "post") && i+1 < n:
			st, e, next = poBox(toks, i)
		case isStreetWord(t) || t.lower == "r" && t.cap && i+1 < n && toks[i+1].text == ".":
			// "Hedemannstraße 15", "Rua Augusta 12", "via Roma 3", "Av. da
			// Liberdade 45", "R. Augusta 120" (Rua).
			j := i + 1
			if j < n && toks[j].text == "." && !toks[j].spBefore {
				j++
			}
			for k := 0; k < 3 && j < n && addrWord(toks[j]) && toks[j].nlBefore == 0; k++ {
				j++
			}
			if j < n && toks[j].kind == tokNum && toks[j].nlBefore == 0 && len(toks[j].text) <= 5 {
				st, e, next = t.start, toks[j].end, j+1
				// A street word in lower case follows its name: "Erzsébet
				// tér 92", "Jókai sor 14" — take up to two capitalised
				// words before it.
				for b := i - 1; b >= 0 && b >= i-2 && (!t.cap || suffixStreets[t.lower]) && toks[b+1].nlBefore == 0 && toks[b].kind == tokWord && toks[b].cap &&
					!stopLike[toks[b].lower] && !commonWords[toks[b].lower]; b-- {
					st = toks[b].start
				}
			}
		case t.cap && t.kind == tokWord && !commonWords[t.lower] && i+1 < n && toks[i+1].kind == tokWord && toks[i+1].nlBefore == 0 &&
			fullSuffix[toks[i+1].lower] && toks[i+1].cap && !orgNameGoesOn(toks, i+2):
			// "Malenkov Street" without a number ("Hill Street Capital" is
			// a firm).
			st, e, next = t.start, toks[i+1].end, i+2
		case t.kind == tokWord && (t.lower == "zip" || t.lower == "zipcode" || t.lower == "postcode" || t.lower == "postal"):
			for j := i + 1; j < n && j <= i+4; j++ {
				if toks[j].kind == tokNum && len(toks[j].text) >= 4 && len(toks[j].text) <= 6 {
					add(toks[j].start, toks[j].end, TypeAddress, prioAddress)
					break
				}
			}
			continue
		}
		if st < 0 {
			continue
		}
		e, next = extendAddress(toks, next, e)
		add(st, e, TypeAddress, prioAddress)
		i = next - 1
	}
}

var (
	militaryShip = setOf(`uss usns usnv uscgc hms`)
	militaryPost = setOf(`apo fpo dpo`)
	// streetPrefixes come before the street's name: "12 Rue Victor Hugo".
	streetPrefixes = setOf(`rue rua calle via viale piazza avenida avenue av travessa largo praça paseo
plaza carrer camino strada chemin route boulevard`)
)

// streetCorner matches "corner of A and B" at token i ("corner"), where A
// and B are street names with or without numbers; the span starts at a
// "the" before "corner".
func streetCorner(toks []token, i int) (int, int, int) {
	n := len(toks)
	start := toks[i].start
	if i > 0 && toks[i-1].lower == "the" && toks[i-1].nlBefore == 0 {
		start = toks[i-1].start
	}
	j := i + 2
	and := -1
	last := -1
	for k := 0; k < 12 && j < n && toks[j].nlBefore == 0; k++ {
		t := toks[j]
		switch {
		case t.lower == "and" || t.text == "&":
			if and >= 0 || last < 0 {
				return -1, -1, i
			}
			and = j
		case t.kind == tokNum || t.kind == tokAlnum || t.text == "." && !t.spBefore || addrWord(t) || isStreetWord(t):
			if !stopLike[t.lower] {
				last = j
			}
		default:
			k = 12
			continue
		}
		if t.kind == tokPunct && t.text != "." && t.text != "&" {
			break
		}
		j++
	}
	if and < 0 || last <= and {
		return -1, -1, i
	}
	// The second street must end in a suffix, a street word or a number.
	lt := toks[last]
	if !(streetSuffixes[strings.TrimSuffix(lt.lower, ".")] || isStreetWord(lt) || lt.kind == tokNum) {
		return -1, -1, i
	}
	return start, lt.end, last + 1
}

var fullSuffix = setOf(`street road avenue lane boulevard drive court place terrace parkway highway
crescent square strasse straße`)

// streetFromNumber matches at a house number: NUM [NUM] words... SUFFIX, or
// NUM words... NUM (a leading building number before a European street).
func streetFromNumber(toks []token, i int) (int, int, int) {
	n := len(toks)
	if len(toks[i].text) > 6 {
		return -1, -1, i
	}
	if i > 0 && toks[i-1].nlBefore == 0 && (toks[i-1].text == "$" || toks[i-1].text == "€" || toks[i-1].text == "£") {
		return -1, -1, i
	}
	j := i + 1
	if j < n && toks[j].kind == tokNum && toks[j].nlBefore == 0 && len(toks[j].text) <= 6 {
		j++ // "95 55 Corbett Road": building number before the street number
	}
	wstart := j
	for k := 0; k < 5 && j < n && toks[j].nlBefore == 0; k++ {
		t := toks[j]
		if t.text == "." && j > wstart && !t.spBefore {
			j++
			continue
		}
		if !addrWord(t) && !isStreetWord(t) {
			break
		}
		j++
		suf := strings.TrimSuffix(t.lower, ".")
		if (streetSuffixes[suf] || isStreetWord(t)) && j-wstart >= 2 {
			e := t.end
			if j < n && toks[j].text == "." && !toks[j].spBefore {
				e = toks[j].end
				j++
			}
			// A number after a street word: "Rua Augusta 12".
			if isStreetWord(t) && j < n && toks[j].kind == tokNum && toks[j].nlBefore == 0 {
				e = toks[j].end
				j++
			}
			if !suffixMayContinue(toks, j) {
				return toks[i].start, e, j
			}
		}
	}
	// NUM words NUM, on one line: "11 via delle rose 149".
	words := 0
	for k := wstart; k < j; k++ {
		if toks[k].kind == tokWord {
			words++
		}
	}
	if words >= 1 && j < n && toks[j].kind == tokNum && toks[j].nlBefore == 0 && len(toks[j].text) <= 5 && j > wstart {
		hasStreet := false
		for k := wstart; k < j; k++ {
			if isStreetWord(toks[k]) || toks[k].cap || particles[toks[k].lower] {
				hasStreet = true
			}
		}
		if hasStreet || words >= 2 {
			return toks[i].start, toks[j].end, j + 1
		}
	}
	// A street word first, then its name: "12 Rue Victor Hugo",
	// "44 avenue des Tuileries".
	if wstart < n && streetPrefixes[strings.TrimSuffix(toks[wstart].lower, ".")] && toks[wstart].nlBefore == 0 {
		k := wstart + 1
		if k < n && toks[k].text == "." && !toks[k].spBefore {
			k++
		}
		end := -1
		for w := 0; w < 4 && k < n && toks[k].nlBefore == 0 && toks[k].kind == tokWord && (toks[k].cap || particles[toks[k].lower]) && !stopLike[toks[k].lower] || w < 4 && k < n && toks[k].nlBefore == 0 && particles[toks[k].lower]; w++ {
			if !particles[toks[k].lower] || toks[k].cap {
				end = toks[k].end
			}
			k++
		}
		if end > 0 {
			return toks[i].start, end, k
		}
	}
	// Back off to the last street suffix seen, if any.
	for k := j - 1; k >= wstart+1; k-- {
		if streetSuffixes[strings.TrimSuffix(toks[k].lower, ".")] {
			return toks[i].start, toks[k].end, k + 1
		}
	}
	return -1, -1, i
}

// suffixMayContinue: "St. John Street" - a suffix word followed by more
// street words is not the end.
func suffixMayContinue(toks []token, j int) bool {
	if j >= len(toks) || toks[j].nlBefore > 0 {
		return false
	}
	for k := j; k < len(toks) && k < j+3 && toks[k].nlBefore == 0; k++ {
		if !addrWord(toks[k]) || !toks[k].cap {
			return false
		}
		if streetSuffixes[strings.TrimSuffix(toks[k].lower, ".")] {
			return true
		}
	}
	return false
}

func poBox(toks []token, i int) (int, int, int) {
	n := len(toks)
	j := i
	// p.o. / po / post office
	switch toks[i].lower {
	case "p":
		if j+3 < n && toks[j+1].text == "." && toks[j+2].lower == "o" {
			j += 3
			if j < n && toks[j].text == "." {
				j++
			}
		} else {
			return -1, -1, i
		}
	case "po":
		j++
	case "post":
		if j+1 < n && toks[j+1].lower == "office" {
			j += 2
		} else {
			return -1, -1, i
		}
	}
	if j+1 < n && toks[j].lower == "box" && (toks[j+1].kind == tokNum || toks[j+1].kind == tokAlnum) {
		return toks[i].start, toks[j+1].end, j + 2
	}
	return -1, -1, i
}

// extendAddress extends an address ending at byte e with token index j over
// a unit and up to three locality parts separated by commas or newlines.
func extendAddress(toks []token, j, e int) (int, int) {
	n := len(toks)
	parts := 0
	for parts < 5 && j < n {
		k := j
		if toks[k].text == "," {
			k++
		} else if toks[k].text == "." && !toks[k].spBefore && k+1 < n && toks[k+1].nlBefore > 0 {
			k++ // the dot of a number or an abbreviation ending the line: "u. 96.", "Str."
		}
		if k >= n || toks[k].nlBefore > 2 || toks[k].nlBefore == 2 && (parts == 0 || !blockContinues(toks, k)) {
			break
		}
		newLine := toks[k].nlBefore > 0
		// Bullets or garbage at the start of a line in an address block.
		if toks[k].nlBefore == 1 {
			m := k
			for m < n && m < k+4 && toks[m].kind == tokPunct && (m == k || toks[m].nlBefore == 0) {
				m++
			}
			if m < n && m > k && toks[m].nlBefore == 0 {
				k = m
			}
		}
		// A unit: Apt. 602, Suite 268, #4.
		if secondaryUnits[strings.TrimSuffix(toks[k].lower, ".")] || toks[k].text == "#" {
			m := k + 1
			if m < n && toks[m].text == "." {
				m++
			}
			if m < n && (toks[m].kind == tokNum || toks[m].kind == tokAlnum) {
				e, j = toks[m].end, m+1
				parts++
				continue
			}
		}
		// A country line of an international block: capitalised words
		// (with "of", "the", "and", "'s") then a postcode, alone on its
		// line: "Norway 4870", "Republic of Ireland 40117".
		if m, ok := countryPostLine(toks, k); ok && (newLine || parts > 0) {
			e, j = toks[m-1].end, m
			parts++
			continue
		}
		// A locality part: 1-4 place words and/or a postcode, then a comma,
		// newline, full stop or end.
		m := k
		words := 0
		hasPost := false
		for m < n && (m == k || toks[m].nlBefore == 0) && words < 5 {
			tk := toks[m]
			if tk.kind == tokWord && addrWord(tk) && !commonWords[tk.lower] || tk.kind == tokWord && particles[tk.lower] && words > 0 ||
				tk.lower == "and" && words > 0 || tk.text == "-" && words > 0 && !tk.spBefore {
				words++
				m++
				continue
			}
			if tk.kind == tokNum && len(tk.text) >= 4 && len(tk.text) <= 6 || tk.kind == tokAlnum && len(tk.text) <= 4 {
				hasPost = true
				words++
				m++
				if m < n && toks[m].text == "-" && m+1 < n && toks[m+1].kind == tokNum { // 12345-6789
					m += 2
				}
				continue
			}
			break
		}
		if m == k {
			break
		}
		endOK := m >= n || toks[m].nlBefore > 0 || toks[m].text == "," || toks[m].text == "." || toks[m].text == "!" || toks[m].text == "?" || toks[m].text == ")" || toks[m].text == ";"
		if !endOK {
			break
		}
		// Over a newline, take a place line only inside an address block.
		if newLine && parts == 0 && !hasPost && !blockContinues(toks, m) {
			if !(toks[k].cap || toks[k].allCaps) {
				break
			}
		}
		e, j = toks[m-1].end, m
		parts++
	}
	return e, j
}

// blockContinues reports whether the next line also looks like part of an
// address (a postcode or a short line).
func blockContinues(toks []token, m int) bool {
	if m >= len(toks) || toks[m].nlBefore < 1 || toks[m].nlBefore > 2 {
		return false
	}
	for k := m; k < len(toks) && (k == m || toks[k].nlBefore == 0) && k < m+6; k++ {
		if toks[k].kind == tokNum && len(toks[k].text) >= 4 {
			return true
		}
	}
	return false
}

// countryPostLine reports whether the tokens from k to the end of their
// line are one to six capitalised words (joined by "of", "the", "and",
// "'s") and then a postcode of four to six digits; it returns the index
// after the postcode.
func countryPostLine(toks []token, k int) (int, bool) {
	n := len(toks)
	words := 0
	m := k
	for ; m < n && (m == k || toks[m].nlBefore == 0); m++ {
		t := toks[m]
		switch {
		case t.kind == tokWord && (t.cap || t.allCaps) && !stopLike[t.lower]:
			words++
		case t.kind == tokWord && words > 0 && (t.lower == "of" || t.lower == "the" || t.lower == "and"):
		case t.kind == tokPunct && words > 0 && (t.text == "'" || t.text == "’" || t.text == "-"):
		case t.kind == tokNum && len(t.text) >= 4 && len(t.text) <= 6 && words > 0 && words <= 6:
			if m+1 >= n || toks[m+1].nlBefore > 0 {
				return m + 1, true
			}
			return 0, false
		default:
			return 0, false
		}
		if words > 6 {
			return 0, false
		}
	}
	return 0, false
}

// orgNameGoesOn reports whether a capitalised word that companies are
// named with follows at k on the same line: "Hill Street Capital".
func orgNameGoesOn(toks []token, k int) bool {
	return k < len(toks) && toks[k].nlBefore == 0 && toks[k].kind == tokWord && toks[k].cap &&
		(orgSuffixes[toks[k].lower] || orgWords[toks[k].lower]) && !streetSuffixes[toks[k].lower]
}

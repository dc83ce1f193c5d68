package redact

import "strings"

// Organisations in text written without capitals ("i work at clearmetric",
// "morley ltd."). Capitals are most of what the name detectors go by, so
// here only structure counts, and only on a line that has no capital
// letter at all: a writer who capitalises elsewhere and not here did not
// write a name.
//
//   - a word that is not an English word followed by a legal-form suffix
//     ("morley ltd.", "penrose llc");
//   - "a, b and c" (three words that are not English words): a partnership;
//   - after "at", "joined", "works at/for", "is/am/are from": the word that
//     follows when it is not an English word, a place or a given name;
//   - a line of its own right below a person's line (a signature): one
//     word that is not an English word, or a run ending in an organisation
//     suffix ("river bend insurance").

// legalForms are suffixes that only companies carry, unambiguous in lower
// case too.
var legalForms = setOf(`inc ltd llc llp plc gmbh corp`)

// timeWords follow "at" without being places or firms.
var timeWords = setOf(`noon midnight midday dawn dusk night lunchtime teatime sometime anytime someday`)

// lowerOrgCue reports whether the lower-case word at i follows a cue that
// introduces an employer or a company: "at", "joined", "works at/for",
// "is/am/are from".
func lowerOrgCue(toks []token, i int) bool {
	if i < 1 || toks[i].nlBefore > 0 {
		return false
	}
	p := toks[i-1].lower
	p2 := ""
	if i >= 2 && toks[i-1].nlBefore == 0 {
		p2 = toks[i-2].lower
	}
	switch p {
	case "at":
		return !gestureVerbs[p2]
	case "joined", "joining":
		return true
	case "for":
		return workVerbs[p2] || forRoles[p2] // "an engineer for x" (round 8)
	case "from":
		// "this is anna from x" (round 8): a speaker's employer.
		return p2 == "is" || p2 == "am" || p2 == "are" || p2 == "i'm" || p2 == "calling" || p2 == "writing" || givenNames[p2]
	case "with":
		// "a contract with x", "we bank with x", "anna with x" (round 8).
		return dealNouns[p2] || interviewVerbs[p2] || withOrgVerbs[p2] || givenNames[p2]
	case "of":
		return orgOfHeads[p2] // "ceo of x", "a customer of x" (round 8)
	}
	return false
}

// lowerNameWord reports whether a lower-case word token can be (part of) a
// company's name: not an English word, a place, a given name or an
// address word, and three letters or more.
func lowerNameWord(t token) bool {
	return lowerPartWord(t) && !givenNames[t.lower]
}

// lowerPartWord is lowerNameWord that lets given names through: family
// names that are also given names ("hughes, barton and dunmore").
func lowerPartWord(t token) bool {
	if t.kind != tokWord && t.kind != tokAlnum || t.cap || len(t.text) < 3 {
		return false
	}
	low := t.lower
	return !plainWord(low) && !timeWords[low] && !places[low] && !countries[low] && !streetWords[low] &&
		!streetSuffixes[low] && !secondaryUnits[low] && !isMonth(low) && !honorifics[low]
}

// lowerOrgRun reports where a lower-case company name that starts at i
// ends: two to four words (English words allowed) of which two are words
// companies are named with, or that end in an organisation suffix ("open
// data union", "river bend insurance", "corvale web services"). It returns
// the index after the run.
func lowerOrgRun(toks []token, i int) (int, bool) {
	if determiners[toks[i].lower] || possessives[toks[i].lower] || stopLike[toks[i].lower] {
		return 0, false
	}
	orgish, best := 0, -1
	for j := i; j < len(toks) && j < i+4 && (j == i || toks[j].nlBefore == 0); j++ {
		t := toks[j]
		if t.kind != tokWord || t.cap || stopLike[t.lower] || streetSuffixes[t.lower] && j > i {
			break
		}
		if orgWords[t.lower] || orgSuffixes[t.lower] {
			orgish++
		}
		if j > i && (orgish >= 2 || orgSuffixes[t.lower] && !plainWord(toks[i].lower)) {
			best = j + 1
		}
	}
	return best, best > 0
}

// lineLower reports whether the line holding token i has no upper-case
// letter.
func lineLower(text string, toks []token, i int) bool {
	s, e := toks[i].start, toks[i].end
	for s > 0 && text[s-1] != '\n' {
		s--
	}
	for e < len(text) && text[e] != '\n' {
		e++
	}
	line := text[s:e]
	return strings.ToLower(line) == line
}

// lineEnd returns the index of the first token after i on a later line.
func lineEnd(toks []token, i int) int {
	k := i + 1
	for k < len(toks) && toks[k].nlBefore == 0 {
		k++
	}
	return k
}

// detectLowerOrgs finds organisations in lower-case text by structure.
// personLines holds the lines (counted as in detectNames) that hold only
// a person.
func detectLowerOrgs(text string, toks []token, personLines map[int]bool, add func(start, end int, typ string, prio int)) {
	n := len(toks)
	line := 0
	lowerChecked, lower := -1, false
	for i := 0; i < n; i++ {
		line += min(toks[i].nlBefore, 1)
		t := toks[i]
		if t.kind != tokWord && t.kind != tokAlnum || t.cap {
			continue
		}
		if lowerChecked != line {
			lowerChecked, lower = line, lineLower(text, toks, i)
		}
		if !lower {
			continue
		}
		// "morley ltd.", "kessler and sons": a name word, then the suffix.
		if lowerNameWord(t) && i+1 < n && toks[i+1].nlBefore == 0 {
			sfx := toks[i+1]
			e := 0
			switch {
			case legalForms[sfx.lower]:
				e = sfx.end
				if i+2 < n && toks[i+2].text == "." && !toks[i+2].spBefore {
					e = toks[i+2].end
				}
			case sfx.lower == "and" && i+2 < n && toks[i+2].nlBefore == 0 && (toks[i+2].lower == "sons" || toks[i+2].lower == "associates" || toks[i+2].lower == "partners"):
				e = toks[i+2].end
			}
			if e > 0 {
				add(t.start, e, TypeOrg, prioOrg)
				for i+1 < n && toks[i+1].start < e {
					i++
				}
				continue
			}
		}
		// "a, b and c".
		if i+4 < n && lowerPartWord(t) && toks[i+1].text == "," && lowerPartWord(toks[i+2]) &&
			(toks[i+3].lower == "and" || toks[i+3].text == "&") && lowerPartWord(toks[i+4]) &&
			toks[i+4].nlBefore == 0 && !personList(toks, i) && (lowerOrgCue(toks, i) || lineHead(toks, i) || i > 0 && toks[i-1].lower == "with" ||
			i+5 < n && toks[i+5].nlBefore == 0 && corporateVerbs[toks[i+5].lower] || firmContext(toks, i, i+5)) {
			add(t.start, toks[i+4].end, TypeOrg, prioOrg)
			i += 4
			continue
		}
		// "at civic data union", "is from river bend insurance".
		if lowerOrgCue(toks, i) {
			if k, ok := lowerOrgRun(toks, i); ok {
				add(t.start, toks[k-1].end, TypeOrg, prioOrg)
				i = k - 1
				continue
			}
		}
		// "clearmetric invested heavily", "civic data union announced",
		// "clearmetric customer support", "clearmetric is hiring" (round 8:
		// the words that follow companies, an auxiliary before a corporate
		// verb).
		if lowerNameWord(t) && i+1 < n && toks[i+1].nlBefore == 0 && (corporateVerbs[toks[i+1].lower] ||
			orgFollow[toks[i+1].lower] && !personFollow[toks[i+1].lower] || corporateAux(toks, i+1)) && (i == 0 || !lowerNameWord(toks[i-1])) {
			add(t.start, t.end, TypeOrg, prioOrg)
			continue
		}
		if k, ok := lowerOrgRun(toks, i); ok && k < n && toks[k].nlBefore == 0 && corporateVerbs[toks[k].lower] {
			add(t.start, toks[k-1].end, TypeOrg, prioOrg)
			i = k - 1
			continue
		}
		// "works at clearmetric", "is from mentoredu".
		if lowerOrgCue(toks, i) && lowerNameWord(t) {
			e, j := t.end, i+1
			if j < n && toks[j].nlBefore == 0 && lowerNameWord(toks[j]) {
				e, j = toks[j].end, j+1
			}
			if j+1 < n && toks[j].lower == "and" && toks[j+1].nlBefore == 0 && familyFirms[toks[j+1].lower] {
				e = toks[j+1].end // "marlin alter and associates"
			}
			add(t.start, e, TypeOrg, prioOrg)
			for i+1 < n && toks[i+1].start < e {
				i++
			}
			continue
		}
		// A company line above a street line: "river bend insurance\n46 via ...".
		if lineHead(toks, i) {
			if k, ok := lowerOrgRun(toks, i); ok && (k >= n || toks[k].nlBefore > 0) && addressFollows(toks, k) {
				add(t.start, toks[k-1].end, TypeOrg, prioOrg)
				i = k - 1
				continue
			}
		}
		// A signature's company line, below the person's line.
		if personLines[line-1] && lineHead(toks, i) {
			k := lineEnd(toks, i)
			if k-i <= 5 && addressFollows(toks, k) && !addressFollows(toks, i) && !unitAt(toks, i) {
				// Between the person and the street: the company,
				// whatever its words ("google maps", "jj keller").
				add(t.start, toks[k-1].end, TypeOrg, prioOrg)
				i = k - 1
				continue
			}
			words := 0
			for j := i; j < k; j++ {
				if toks[j].kind == tokWord || toks[j].kind == tokAlnum {
					words++
				}
			}
			last := toks[k-1]
			if last.text == "." && k-2 > i {
				last = toks[k-2]
			}
			if words == 1 && k == i+1 && lowerNameWord(t) && len(t.text) >= 4 ||
				words >= 2 && words <= 5 && (orgSuffixes[last.lower] || legalForms[last.lower]) && !streetSuffixes[last.lower] ||
				func() bool { rk, ok := lowerOrgRun(toks, i); return ok && rk == k }() {
				add(t.start, toks[k-1].end, TypeOrg, prioOrg)
				i = k - 1
			}
		}
	}
}

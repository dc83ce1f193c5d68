package redact

import (
	"strings"
	"unicode"
)

// coreOf strips a possessive "'s" from a word token; it returns the byte end
// of the core and the lower-cased core.
func coreOf(t token) (int, string) {
	for _, p := range [...]string{"'s", "’s"} {
		if len(t.lower) > len(p)+1 && strings.HasSuffix(t.lower, p) {
			return t.end - len(p), t.lower[:len(t.lower)-len(p)]
		}
	}
	return t.end, t.lower
}

// nameWord reports whether token t can be part of a name: a capitalised word
// that is not a common word, or a known given name in any case.
func nameWord(t token) bool {
	if t.kind != tokWord || len(t.text) == 1 {
		return false // a lone letter is a label or an initial, not a name
	}
	_, low := coreOf(t)
	if (!t.cap || t.allCaps) && !givenNames[low] {
		return false // the common case, lower-case words: no list but the given names can make them a name
	}
	if streetWords[low] || secondaryUnits[low] || streetSuffixes[low] || countries[low] || places[low] {
		return false
	}
	if t.cap && !t.allCaps {
		return !plainWord(low) && !honorifics[low] && !orgSuffixes[low] || givenNames[low] && !ambiguousNames[low]
	}
	return givenNames[low] && !ambiguousNames[low] && !plainWord(low)
}

func isInitial(toks []token, i int) bool {
	t := toks[i]
	return t.kind == tokWord && len(t.text) == 1 && t.cap && i+1 < len(toks) && toks[i+1].text == "." && !toks[i+1].spBefore
}

// sentenceStart reports whether token i starts a sentence or a line.
func sentenceStart(toks []token, i int) bool {
	for k := i; k >= 0; k-- {
		if toks[k].nlBefore > 0 {
			return true
		}
		if k == i {
			continue
		}
		p := toks[k]
		if p.kind != tokPunct {
			return false
		}
		switch p.text {
		case ".", "!", "?", ":":
			return true
		case "\"", "'", "“", "‘", "(", "-", "–", "*", "•", ">":
			continue
		}
		return false
	}
	return true
}

var personFollow = setOf(`said says say wrote writes will would is was has had shouted asked told and
thinks thought called calls replied answered mentioned sent can could did does who went gave
agreed noted`)

var personCuesBefore = setOf(`by with to named called call calls ask tell contact meet met cc
thanks dear hi hello hey and per told asked from cc'd ping emailed`)

var orgCuesBefore = setOf(`at joined join joining works work worked working employer firm company
startup client vendor from quit quitting quits`)

// detectNames finds people and organisations from text patterns.
func detectNames(text string, toks []token, add func(start, end int, typ string, prio int)) {
	n := len(toks)
	lastPersonLine := -10 // index of the line (count of newlines) that held only a person
	line := 0
	var personLines map[int]bool
	thingEnd := -1 // the token after the last name taken for a place or a thing
	defer func() { detectLowerOrgs(text, toks, personLines, add) }()
	markPerson := func(l int) {
		lastPersonLine = l
		if personLines == nil {
			personLines = map[int]bool{}
		}
		personLines[l] = true
	}
	for i := 0; i < n; i++ {
		line += min(toks[i].nlBefore, 1)
		t := toks[i]
		if t.kind == tokAlnum {
			// Letters and digits in one word ("Ledger9", "7delta") name a
			// company or a product, never a person; with a cue, a company.
			if alnumOrg(toks, i, line == lastPersonLine+1) {
				add(t.start, t.end, TypeOrg, prioOrg)
			}
			continue
		}
		if t.kind != tokWord {
			continue
		}
		if line == lastPersonLine+1 && lineHead(toks, i) {
			if j, ok := titleLine(toks, i); ok {
				// "Senior Analyst" under a signature's name: a job title,
				// and the company line may come after it (sigcues.go).
				lastPersonLine = line
				i = j - 1
				continue
			}
		}
		if st, e, k, ok := labelOrg(toks, i); ok {
			// "Company: X", "Employer: X" (labels.go).
			add(st, e, TypeOrg, prioOrg+1)
			i = k - 1
			continue
		}
		// Institution heads: University of X, Department of Y.
		if orgHeads[t.lower] && i+2 < n && toks[i+1].lower == "of" {
			j := i + 2
			end := -1
			for k := 0; k < 4 && j < n && toks[j].kind == tokWord && toks[j].nlBefore == 0; k++ {
				if commonWords[toks[j].lower] && toks[j].lower != "the" && !toks[j].cap {
					break
				}
				end = toks[j].end
				j++
			}
			if end > 0 {
				add(t.start, end, TypeOrg, prioOrg)
				i = j - 1
				continue
			}
		}
		// "A, B and C" - law firms and partnerships.
		if i+4 < n && t.cap && toks[i+1].text == "," && toks[i+2].cap && (toks[i+3].lower == "and" || toks[i+3].text == "&") &&
			toks[i+4].cap && toks[i+4].kind == tokWord && !plainWord(t.lower) && !plainWord(toks[i+2].lower) && !plainWord(toks[i+4].lower) &&
			(!personList(toks, i) || firmContext(toks, i, i+5)) {
			add(t.start, toks[i+4].end, TypeOrg, prioOrg)
			i += 4
			continue
		}
		// "Scott and Sons", "Lee & Partners": a family firm, also when the
		// family name is a given name.
		if t.cap && i+2 < n && (toks[i+1].lower == "and" || toks[i+1].text == "&") && toks[i+1].nlBefore == 0 &&
			toks[i+2].cap && toks[i+2].nlBefore == 0 && familyFirms[toks[i+2].lower] && toks[i+2].lower != "co" && toks[i+2].lower != "company" &&
			nameWord(t) {
			add(t.start, toks[i+2].end, TypeOrg, prioOrg+1)
			i += 2
			continue
		}
		// Honorific + name.
		if isHonorific(t.lower) && i+1 < n {
			j := i + 1
			if toks[j].text == "." {
				j++
			}
			if j < n && (nameWord(toks[j]) || toks[j].cap && toks[j].kind == tokWord && !toks[j].allCaps ||
				!t.cap && toks[j].kind == tokWord && !plainWord(toks[j].lower) && len(toks[j].text) > 1) && toks[j].nlBefore == 0 {
				// In lower case the word after must not be plain English: "a
				// general idea", "the major part".
				e, k := nameSeqEnd(toks, j, toks[j].cap)
				add(t.start, e, TypePerson, prioPerson+1)
				if lineHead(toks, i) && (k >= n || toks[k].nlBefore > 0) {
					markPerson(line)
				}
				i = k - 1
				continue
			}
		}
		if !t.cap && lowerNameCue(toks, i) {
			// Lower-case text after a cue: "call me owen", "says lindqvast".
			e, k := nameSeqEnd(toks, i, false)
			add(t.start, e, TypePerson, prioPerson)
			i = k - 1
			continue
		}
		if k := cardNetworkEnd(toks, i); k > i {
			// "Visa", "Maestro", "Diners Club International": the kind of
			// a card, not a personal value.
			i = k - 1
			continue
		}
		if t.allCaps && acronymOrg(toks, i) {
			// "works at ZTX", "ZTX is hiring" (labels.go).
			add(t.start, t.end, TypeOrg, prioOrg)
			continue
		}
		if !nameWord(t) && !isInitial(toks, i) {
			if t.cap && !t.allCaps && !commonWords[t.lower] {
				// A capitalised phrase of plain English words is not a
				// person, but with evidence it is an organisation: "Open
				// Data Nation", "Bright Circuit Corporation".
				if e, k, ok := plainOrg(toks, i, line == lastPersonLine+1); ok {
					add(t.start, e, TypeOrg, prioOrg)
					i = k - 1
				}
			}
			continue
		}
		e, k := nameSeqEnd(toks, i, t.cap)
		if isInitial(toks, i) && k == i+2 {
			// A lone initial ("Q.", "F.") with no name after it: a list
			// label or an abbreviation, not a person.
			i = k - 1
			continue
		}
		seqLen := k - i
		_, low := coreOf(t)
		ss := sentenceStart(toks, i)
		prev, prev2 := "", ""
		if i > 0 {
			prev = toks[i-1].lower
			if i > 1 {
				prev2 = toks[i-2].lower
			}
		}
		if prev == "," && i > 1 {
			prev = toks[i-2].lower
			prev2 = ""
		}
		if greetingVerb(toks, i, prev) {
			prev, prev2 = "", "" // "I love Quorbis", "we'd welcome Quorbis": no greeting (sigcues.go)
		}
		next := ""
		if k < n && toks[k].nlBefore == 0 {
			next = toks[k].lower
		}
		wholeLine := lineHead(toks, i) && (k >= n || toks[k].nlBefore > 0)
		// Organisation suffix after the sequence.
		ke, kl := 0, ""
		if k < n {
			ke, kl = coreOf(toks[k])
		}
		if k < n && toks[k].cap && orgSuffixes[strings.TrimSuffix(kl, ".")] && toks[k].nlBefore == 0 {
			oe := ke // "Acme Group's" ends before the possessive
			if k+1 < n && toks[k+1].text == "." && !toks[k+1].spBefore && abbrevSuffixes[strings.TrimSuffix(toks[k].lower, ".")] {
				oe = toks[k+1].end
			} else if te, ok := suffixRunEnd(toks, k, oe); ok {
				oe = te // "Marlow Union Gas Company"
			}
			add(t.start, oe, TypeOrg, prioOrg)
			i = k
			continue
		}
		if t.cap {
			// "Hartwell Credit Ratings Agency": the title-case run goes on over
			// plain words to an organisation suffix.
			if oe, ok := suffixRunEnd(toks, i, e); ok {
				add(t.start, oe, TypeOrg, prioOrg)
				for i = k; i+1 < n && toks[i+1].start < oe; i++ {
				}
				continue
			}
		}
		if k < n && toks[k].text == "," && k+1 < n && orgSuffixes[strings.TrimSuffix(toks[k+1].lower, ".")] && toks[k+1].cap {
			add(t.start, toks[k+1].end, TypeOrg, prioOrg)
			i = k + 1
			continue
		}
		given := givenNames[low] && (!ambiguousNames[low] || t.cap && !ss)
		typ := ""
		switch {
		case !t.cap:
			if given {
				typ = TypePerson
			}
		case (wholeLine || lineHead(toks, i) && runFillsLine(toks, i, e)) && line == lastPersonLine+1 && !given:
			typ = TypeOrg
			e = titleRunEnd(toks, i, e)
		case !given && lineHead(toks, i) && orgAboveAddress(toks, i, k, e, wholeLine):
			// The line above a street line that is one word or a title-case
			// phrase with common words, not "First Last": the addressee is
			// a company ("Acme\n\n12 Main Street").
			typ = TypeOrg
			e = titleRunEnd(toks, i, e)
		case given:
			typ = TypePerson
		case orgEvidence(toks, i, k, e, prev, prev2):
			// "Kessler-Dunn", "Garrity & Lowe", "Hale and Sons", "Dunmore
			// has announced", "Ravenscroft, the bank,", "Brantley's
			// headquarters" (orgcues.go).
			typ = TypeOrg
			if pe, ok := partnerEnd(toks, k); ok {
				e = max(titleRunEnd(toks, i, e), pe)
			}
			if partnerBefore(toks, i) {
				e = titleRunEnd(toks, i, e)
				add(toks[i-2].start, e, TypeOrg, prioOrg) // the whole partnership
			}
		case titleAfter(toks, k):
			// "Quorbis CTO Tom Brandt" (sigcues.go).
			typ = TypeOrg
		case roleBefore(toks, i) || sigField(toks, i, k) || withPerson(toks, i) || prev == "for" && forRoles[prev2] || prev == "formerly":
			// "Head of Sales, Quorbis", "Mira Kell | Quorbis", "Anna with
			// Quorbis", "an engineer for Quorbis" (sigcues.go).
			typ = TypeOrg
			e = titleRunEnd(toks, i, e)
		case personLabel(toks, i):
			// "Name: Oduya", "Contact person: Oduya Tembe" (labels.go).
			typ = TypePerson
		case orgCuesBefore[prev] && !(prev == "from" && seqLen == 1 && ss) && !(prev == "at" && gestureVerbs[prev2]) &&
			!(prev == "from" && seqLen == 1 && messageNouns[prev2]),
			prev == "for" && workVerbs[prev2], prev == "by" && prev2 == "employed",
			prev == "of" && (orgOfHeads[prev2] || roleOfHeads[prev2]),
			prev == "with" && (dealNouns[prev2] || withOrgVerbs[prev2]), prev == "in" && investWords[prev2],
			prev == "between" && dealNouns[prev2], prev == "by" && prev2 == "off", prev == "for" && prev2 == "up",
			prev == "to" && applyVerbs[prev2], prev == "with" && interviewVerbs[prev2] && seqLen == 1,
			orgOfHeads[prev] && toks[i-1].text == "," && i > 2 && toks[i-3].text == ",",
			prev == "like" && i > 1 && businessPlurals[prev2], (prev == "competitor" || prev == "rival") && seqLen == 1,
			prev == "of" && seqLen == 1 && i > 2 && toks[i-1].nlBefore == 0 && !toks[i-1].cap && nameWord(toks[i-2]) && nameWord(toks[i-3]) &&
				toks[i-2].nlBefore == 0 && next != ",",
			next == "went" && k+1 < n && wentOrg[toks[k+1].lower], layOff(toks, k),
			representVerbs[prev] && seqLen == 1, (predicateNouns[prev] || objectBusiness[prev]) && i > 0 && toks[i-1].nlBefore == 0:
			// "a contract with X", "we bank with X", "invested in X",
			// "representing X", "our supplier X", "their insurer, X,".
			typ = TypeOrg
			e = titleRunEnd(toks, i, e)
		case seqLen == 1 && low != t.lower && k < n && toks[k].nlBefore == 0 && toks[k].cap && givenNames[toks[k].lower] && !ambiguousNames[toks[k].lower]:
			// "Marvella's Anna Okafor": a company's person.
			typ = TypeOrg
		case corporateVerbs[next] && (seqLen == 1 || !givenNames[toks[i].lower]),
			next == "declined" && k+2 < n && toks[k+1].lower == "to" && toks[k+2].lower == "comment",
			prev == "choosing" && prev2 == "for":
			// "X declined to comment", "thank you for choosing X" (PR and
			// shop phrases).
			// "In 1999, Zorblatt acquired ...": companies invest, acquire, announce.
			typ = TypeOrg
		case seqLen == 1 && numberAfter(toks, k) && !greetings[prev] && !listPersonCues[prev]:
			// "Ekvik 55", "Postfach 38", "Windows 10": a street, a box
			// or a product with its number, not a person. Where an
			// address goes ("to", "at", "on", after a colon, at the head
			// of a line) it is the street and its number, kept hidden
			// (weakly: any address detector's span wins).
			if prev == "to" || prev == "at" || prev == "on" || prev == ":" || lineHead(toks, i) {
				add(t.start, toks[k].end, TypeAddress, prioPerson)
				i = k
				continue
			}
		case seqLen == 1 && !given && low == t.lower && prev == "to" && motionVerbs[prev2]:
			// "went to Harvard", "moved to Sydney": a place or an
			// institution, not a person; hidden as an organisation.
			typ = TypeOrg
		case seqLen == 1 && !given && low == t.lower && thingVerbs[prev]:
			// "we use Slack", "reading Hamlet": a thing.
			thingEnd = k
		case seqLen == 1 && !given && low == t.lower && (prev == "and" || prev == "or") && i >= 2 && toks[i-1].nlBefore == 0 &&
			(thingEnd == i-1 || toks[i-2].cap && (countries[toks[i-2].lower] || places[toks[i-2].lower])):
			// "in Singapore and Dubai", "Gmail and Slack": coordinated
			// with a place or a thing, the same kind.
			thingEnd = k
		case greetings[prev] || personCuesBefore[prev]:
			typ = TypePerson
		case prev == "is" && prev2 == "name", prev == "me" && (prev2 == "call" || prev2 == "calls"):
			typ = TypePerson
		case seqLen == 1 && i > 0 && toks[i-1].lower == "the" && toks[i].nlBefore == 0 && attributive(toks, k) && (orgModified[next] || teamAfter(toks, k)):
			// "the Dunmore office", "the Quell account": a name modifying
			// what companies have, after "the" ("the Dickens novel" stays
			// a person).
			typ = TypeOrg
		case seqLen == 1 && !ss && afterArticle(toks, i) && !weakEvidence(toks, i, k, prev, next):
			// "a Peloton", "a new Xbox", "our Kubernetes cluster": people
			// are not written with an article or "our"; products and
			// brands are.
		case !ss && (seqLen >= 2 || weakEvidence(toks, i, k, prev, next) || !notPersonContext(toks, i, k, prev)):
			typ = TypePerson
		case !ss:
			// One capitalised word that is neither a known name nor a common
			// word, in a place context (after "in", "where", before a house
			// number): a band, a product or a place more often than not.
			thingEnd = k
		case seqLen == 1 && low != t.lower && personAttrs[next] && !orgPossessed[next]:
			// "Brantley's birthday is today": a possessive before what
			// people have, at the start of a sentence too.
			typ = TypePerson
		case seqLen == 1 && strings.HasSuffix(low, "ly"):
			// Unfortunately, Finally, ...: adverbs, not names.
		case seqLen >= 2 || personFollow[next] || next == "," || wholeLine:
			typ = TypePerson
		}
		if typ == "" && !ss && t.cap && !given && seqLen == 1 && afterArticle(toks, i) && (orgFollow[next] || serviceNouns[next] ||
			plainWord(next) && k+1 < n && toks[k+1].nlBefore == 0 && (serviceNouns[toks[k+1].lower] || orgFollow[toks[k+1].lower])) && !personFollow[next] {
			// "a Quorbis customer", "our Quorbis account team".
			typ = TypeOrg
		}
		if typ == "" && ss && t.cap && !given && orgLike(toks, i, k, next) {
			// "Zorblatt shares rose", "Zorblatt's team" at the start of a
			// sentence: what follows belongs to companies.
			typ = TypePerson // retyped just below
		}
		if typ == TypePerson && !given && seqLen >= 2 && geoPhrase(toks, i, k) && !orgLike(toks, i, k, next) && !runHasOrgWord(toks, i, e) {
			// "Mont Verrac", "Ashgrove Hills", "San Ternaro": a place.
			typ = ""
		}
		if typ == TypePerson && !given && plainLead(toks, i) < i {
			// "contact Urban Outfitters": people's names do not follow a
			// capitalised plain word (titles are honorifics, not plain).
			typ = TypeOrg
		}
		if typ == TypeOrg && next == ":" && plainLead(toks, i) < i && lineHead(toks, plainLead(toks, i)) {
			typ = "" // a form label: "Primary Care Physician:"
		}
		if _, lastLow := coreOf(toks[k-1]); typ != "" && seqLen == 1 && plainLead(toks, i) < i && !given && timeHeads[lastLow] {
			// "Memorial Day", "Harvest Weekend": plain words and a day or a
			// season ("Oduya Day" stays a person).
			typ = ""
		}
		if typ == TypePerson && seqLen == 1 && !given && geoWords[low] {
			// "the Grand Canyon", "by the Bay": a place word alone.
			typ = ""
		}
		if typ == TypePerson && seqLen == 1 && !given && i > 0 && toks[i-1].lower == "the" && groupPlural(toks, i, k) {
			// "The Lakers won", "the Rovers are": a team or a band.
			typ = ""
		}
		if typ == TypePerson && placeAfterComma(toks, k) && seqLen == 1 && !greetings[prev] && !listPersonCues[prev] {
			// "Lorrimer, Kansas", "Vellby, Norway": a town before its
			// state or country, not a person.
			typ = ""
		}
		if typ == TypePerson && !given && seqLen >= 2 && namedThing(toks, i, k) {
			// "Quorbis Proposal", "Dunmore Pipeline": a name before a plain
			// English noun names a company, a product or a project; family
			// names that are also words (Baker, Stone) are not plain words.
			typ = TypeOrg
		}
		if typ == TypePerson && t.cap && !given && (orgLike(toks, i, k, next) || camelCase(toks[i].text) || seqLen == 1 && brandShape(low) || runHasOrgWord(toks, i, e)) {
			// "Lantern Health", "Civic Data Union", "Acme's team": a
			// capitalised phrase that does not start with a given name and
			// holds a word companies are named with, or is followed by one
			// of the words that follow companies.
			typ = TypeOrg
			e = titleRunEnd(toks, i, e)
		}
		if typ == TypePerson && i > 0 && toks[i].nlBefore == 0 && !toks[i-1].cap && workNouns[toks[i-1].lower] {
			// "the song Bohemian Skies", "hurricane Katrina" (sigcues.go).
			typ = ""
		}
		if typ == TypePerson && !given && theThing(toks, i, k) {
			// "The Pentagon declined", "the Zoom link": a name right after
			// "the" is a thing unless what people have or make follows
			// (sigcues.go); the organisation rules above come first.
			typ = ""
		}
		if typ == TypePerson && (!given || i > 0 && toks[i].nlBefore == 0 && toks[i-1].kind == tokNum) {
			if st, ok := addressContext(toks, i, k); ok {
				// "52 Machiton Scholis", "Apt. 403\n Sisseb": a street or a
				// town of an address block (addrnames.go).
				ae, next := extendAddress(toks, k, e)
				add(toks[st].start, ae, TypeAddress, prioPerson)
				i = max(next, k) - 1
				continue
			}
		}
		if typ == "" {
			i = k - 1
			continue
		}
		prio := prioPerson
		if typ == TypePerson && (greetings[prev] || listPersonCues[prev] || personVerbsBefore[prev] || objVerbs[prev] ||
			prev == "let" || sayVerbs[next] || prev == "is" && prev2 == "name") {
			// A person by a cue of its own: an organisation found
			// elsewhere under the same name does not retype it
			// (unifyNameTypes).
			prio = prioPerson + 1
		}
		st := t.start
		if typ == TypeOrg {
			st = toks[plainLead(toks, i)].start // "Urban Outfitters", not "Outfitters"
		}
		add(st, e, typ, prio)
		if typ == TypePerson && wholeLine {
			markPerson(line)
		}
		if typ == TypePerson && lineHead(toks, i) && k+1 < n && toks[k].text == "," && toks[k].nlBefore == 0 && toks[k+1].nlBefore == 0 {
			if j, ok := titleLine(toks, k+1); ok {
				// "Mira Kell, Senior Analyst": a signature's name and
				// title; the company line may follow (sigcues.go).
				lastPersonLine = line
				i = j - 1
				continue
			}
		}
		i = k - 1
		for i+1 < n && toks[i+1].start < e {
			i++ // an organisation run past the name: "Norvane Public Data Portal"
		}
	}
}

// numberAfter reports whether token k is a number of one to four digits
// right after the name on its line that is not the start of a phone number
// or a time ("Kowalski 555-0101", "Smith 10:30").
func numberAfter(toks []token, k int) bool {
	if k >= len(toks) || toks[k].kind != tokNum || toks[k].nlBefore > 0 || !toks[k].spBefore || len(toks[k].text) > 4 {
		return false
	}
	if k+1 < len(toks) && toks[k+1].nlBefore == 0 && !toks[k+1].spBefore {
		switch toks[k+1].text {
		case ".":
			if k+2 < len(toks) && !toks[k+2].spBefore {
				return false // "10.5"; "Kirkjubraut 19." ends a sentence
			}
		case "-", ":", "/", ")":
			return false // "555-0101", "10:30"
		case ",":
			if k+2 < len(toks) && toks[k+2].kind == tokNum && !toks[k+2].spBefore {
				return false // "1,100,000"
			}
		}
	}
	if k+1 < len(toks) && toks[k+1].nlBefore == 0 && toks[k+1].kind == tokNum {
		return false // "Kowalski 555 0101"
	}
	return true
}

// weakEvidence reports whether the single unknown capitalised word at i
// (next token k) stands where people stand: before a verb of saying or a
// comma, with a possessive, after a verb that takes a person as its object
// ("given", "told", "asked") or a preposition of company.
func weakEvidence(toks []token, i, k int, prev, next string) bool {
	if _, low := coreOf(toks[i]); low != toks[i].lower {
		return true // possessive: "Zorg's address"
	}
	if personFollow[next] || next == "," || personVerbsBefore[prev] {
		return true
	}
	if i > 0 && toks[i-1].kind == tokWord && givenNames[toks[i-1].lower] && toks[i-1].cap && toks[i].nlBefore == 0 {
		return true // "Jordan Ibarguren": a given name that is also a word or a country
	}
	if k < len(toks) && (toks[k].text == "." || toks[k].text == "!" || toks[k].text == "?") && personVerbsBefore[prev] {
		return true
	}
	return surnameLike(toks[i].lower)
}

// surnameEndings are endings that mark family names in many languages,
// written from general knowledge (Nordic -sen/-son, Slavic -ić/-ov/-ska,
// Finnish -nen, Greek -poulos, Armenian -yan, ...).
var surnameEndings = []string{"sen", "son", "ssen", "sson", "ić", "ič", "vić", "ov", "ova", "ev", "eva", "ski", "ska",
	"sky", "cki", "wicz", "owski", "enko", "chuk", "nen", "poulos", "idis", "akis", "yan", "ian", "escu", "mann",
	"stein", "berg", "ová", "ez", "es", "elli", "etti", "ini", "ino", "ovich", "vich", "shvili", "dze", "oglu", "oğlu"}

// surnameLike reports whether a lower-cased word has a family-name ending
// (and is long enough for the ending not to be the word).
func surnameLike(low string) bool {
	for _, e := range surnameEndings {
		if len(low) >= len(e)+3 && strings.HasSuffix(low, e) {
			return true
		}
	}
	return false
}

// notPersonContext reports whether the single unknown capitalised word at i
// (next token k) stands where places and things stand: after a preposition
// of place or "where", or right before a number ("Ekvik 55").
func notPersonContext(toks []token, i, k int, prev string) bool {
	if placeBefore[prev] {
		return true
	}
	return k < len(toks) && toks[k].kind == tokNum && toks[k].nlBefore == 0
}

var placeBefore = setOf(`in on near via into onto inside outside across along around through
towards toward behind beyond within visit visiting`)

// personVerbsBefore take a person as their object or introduce one.
var personVerbsBefore = setOf(`given gave told asked met meet called emailed thanked thank
says said writes wrote adds added introduced invited hired visited helped married sent showed ask tell call email text phone
to for with by from and or mr mrs ms miss dr`)

// orgLike reports whether the name tokens i..k-1 (followed by the word
// next) read as a company: a word companies are named with inside the
// phrase, or a word that follows companies after it ("Acme's team",
// "Zorblatt employees", "Quux shares").
func orgLike(toks []token, i, k int, next string) bool {
	for j := i; j < k; j++ {
		if _, low := coreOf(toks[j]); orgWords[low] && toks[j].cap {
			return true
		}
	}
	if k-1 >= 0 && k-1 < len(toks) {
		if _, low := coreOf(toks[k-1]); low != toks[k-1].lower && k < len(toks) && orgFollow[toks[k].lower] {
			return true // "Acme's team"
		}
	}
	return orgFollow[next] && !personFollow[next]
}

// orgWords are words companies and institutions are named with, written
// from general knowledge; inside a capitalised phrase that does not start
// with a given name they make it an organisation.
var orgWords = setOf(`data digital analytics cloud web online net mobile tech bio biotech
health healthcare medical genomics therapeutics diagnostics government national global world
open smart energy power oil gas electric solar air auto automotive food foods farm farms
insurance financial finance credit pay payments market markets trade trading research science
sciences learning education legal wellness homes estate travel media news sports games music
design marketing security software hardware network networks labs lab robotics dynamics
innovations innovation analytics intelligence insights metrics score helix nation exchange
bancorp brands supply electronics computing computer computers semiconductor pharma
consultancy advisors advisory capital ventures partners studio studios works systems
solutions technologies technology industries enterprises holdings group support`)

// orgFollow follow a company's name rather than a person's.
var orgFollow = setOf(`team employees staff headquarters hq shares stock stockholders
shareholders customers subsidiary inc corp ltd llc plc gmbh website app platform brand products
customer support helpdesk subscribers stores outlets branches locations representatives
spokesperson spokesman spokeswoman employee technician technicians`)

// objectBusiness, with predicateNouns, name a business right before its
// name ("our supplier X"); roles that people hold (developer, producer,
// broker) are left out.
var objectBusiness = setOf(`supplier vendor provider carrier insurer distributor`)

// dealNouns before "with" are made with companies: "a contract with X".
var dealNouns = setOf(`internship internships contract contracts agreement agreements partnership partnerships merger deal
deals account accounts subscription policy claim claims complaint complaints order orders booking
bookings reservation reservations`)

// withOrgVerbs before "with" take a company: "we bank with X".
var withOrgVerbs = setOf(`bank banks banked banking insured registered partnered merged merging
partnering contracted shop shops shopped shopping invest invested`)

// investWords before "in" take a company: "invested in X", "shares in X".
var investWords = setOf(`invest invests invested investing investment investments stake stakes
shares holding holdings investor investors shareholder shareholders`)

// representVerbs take an organisation as their object: "representing X".
var representVerbs = setOf(`represent represents represented representing`)

// motionVerbs before "to" take a place, not a person: "moved to Sydney".
var motionVerbs = setOf(`move moved moving go goes went going fly flew flying flown travel travels
travelled traveled travelling traveling drive drove driving relocate relocated relocating head
headed heading trip trips flight flights welcome commute commuting`)

// thingVerbs take a thing as their object, not a person: "we use Slack",
// "I'm reading Hamlet".
var thingVerbs = setOf(`use uses used using install installed installing download downloaded
downloading upgrade upgraded upgrading reading streaming via play plays played playing wear wears
wore wearing buy buys bought buying order ordered ordering drink drinks drank eat eats ate eating`)

// serviceNouns follow a company's name after "my/our/your/a": "my Quorbis
// subscription".
var serviceNouns = setOf(`account subscription subscriptions membership order orders card policy
bill invoice loan mortgage plan points rewards login password profile delivery package
service representative rep agent branch store`)

// workVerbs before "for" introduce an employer: "works for Acme".
var workVerbs = setOf(`work works worked working employed consult consults consulted`)

// orgOfHeads before "of" introduce an organisation: "CEO of Acme".
var orgOfHeads = setOf(`ceo cfo cto coo founder cofounder co-founder president chairman
employee employees subsidiary division customer customers shares shareholder shareholders
spokesperson spokesman spokeswoman headquarters`)

// roleOfHeads before "of" take an organisation when a name follows
// ("director of X"); before title-case plain words they name a department
// ("VP of Customer Relations"), so they count for names only.
var roleOfHeads = setOf(`director directors manager managers member members owner owners staff vp`)

// corporateVerbs follow a company's name far more often than a person's.
var corporateVerbs = setOf(`invested acquired announced reported launched unveiled merged partnered
shipped posted raised filed outsourced divested employs operates manufactures
offers provides sells produces supplies distributes develops hosts publishes insures lends
licenses charges ships sued refunded billed charged teamed`)

// titleRunEnd extends an organisation name ending at byte e (the sequence
// starting at token i) over further capitalised words on the same line,
// common words included ("Corvale Web Services", "Civic Data Union"), and
// over "And"/"&"/"of" between capitalised words.
func titleRunEnd(toks []token, i, e int) int {
	n := len(toks)
	j := i + 1
	for j < n && toks[j].end <= e {
		j++
	}
	for words := 0; j < n && words < 5 && toks[j].nlBefore == 0; words++ {
		t := toks[j]
		switch {
		case t.kind == tokWord && t.cap && !stopLike[t.lower]:
			e = t.end
			j++
		case (t.text == "&" || t.lower == "and" && t.cap || t.lower == "of" || t.text == "-") && j+1 < n && toks[j+1].cap && toks[j+1].kind == tokWord && toks[j+1].nlBefore == 0:
			e = toks[j+1].end
			j += 2
		default:
			return e
		}
	}
	return e
}

// orgAboveAddress: the name starting at token i (sequence ending at byte e,
// next token k) fills its line, a street address follows on the next line,
// and the line is one word or a title-case phrase that runs over common
// words ("Trail Index", "Civic Data Union").
func orgAboveAddress(toks []token, i, k, e int, wholeLine bool) bool {
	if wholeLine {
		return k-i == 1 && addressFollows(toks, k)
	}
	te := titleRunEnd(toks, i, e)
	if te == e {
		return false
	}
	kt := k
	for kt < len(toks) && toks[kt].start < te {
		kt++
	}
	return (kt >= len(toks) || toks[kt].nlBefore > 0) && addressFollows(toks, kt)
}

// lowerNameCue reports whether the lower-case word at i follows a cue that
// introduces a name: "call me", "says", "said", "named", "name (is|:)".
// The word must not be a common word.
func lowerNameCue(toks []token, i int) bool {
	t := toks[i]
	if i >= 2 && toks[i-1].lower == "name" && possessives[toks[i-2].lower] && t.kind == tokWord && strings.HasSuffix(t.lower, "s") {
		return false // "my name appears": a verb, not a name
	}
	if t.kind != tokWord || len(t.text) < 3 || t.nlBefore > 1 {
		return false
	}
	// The cheap context first; the word lists only when a cue is there
	// (most lower-case words have none).
	if !lowerNameContext(toks, i) {
		return false
	}
	_, core := coreOf(t)
	return !plainWord(t.lower) && !plainWord(core) // "dad's address" is no name either
}

// lowerNameContext reports whether the words around the lower-case word at
// i say it is a name.
func lowerNameContext(toks []token, i int) bool {
	t := toks[i]
	p := func(k int) string {
		if i-k < 0 {
			return ""
		}
		return toks[i-k].lower
	}
	switch p(1) {
	case "says", "said", "named":
		return true
	case "me":
		return p(2) == "call" || p(2) == "calls"
	case "name":
		return true
	case "is", ":":
		return p(2) == "name"
	case "?":
		return p(2) == "name" && p(3) == "your" // "what's your name? maren toller"
	}
	next := func(k int) string {
		if i+k >= len(toks) || toks[i+k].nlBefore > 0 {
			return ""
		}
		return toks[i+k].lower
	}
	if objVerbs[p(1)] && afterObject[next(1)] {
		return true // "had given liesbeth his address", "told jones that"
	}
	if _, low := coreOf(t); low != t.lower && personAttrs[next(1)] && !possessives[p(1)] && !determiners[p(1)] {
		return true // "dragomir's address", "ingrid's husband"
	}
	if sentenceStart(toks, i) && (sayVerbs[next(1)] || next(1) == "is" && next(2) == "from") {
		return true // "bram shouted at samantha", "sefora is from clearmetric"
	}
	return false
}

// objVerbs take a person as their (first) object; afterObject are the
// words that follow such an object ("given X his", "told X that").
var objVerbs = setOf(`given gave told asked met thanked emailed invited married hired introduced texted`)

var afterObject = setOf(`his her their my your our the a an that to about for at , .`)

var determiners = setOf(`a an this that these those some any every each no another`)

// personAttrs follow a person's possessive far more often than a thing's.
var personAttrs = setOf(`address phone number email e-mail mobile cell birthday wife husband
mother father son daughter brother sister mom dad boss partner girlfriend boyfriend family
parents kids children friend name surname office desk house home car`)

// sayVerbs follow a person who speaks or acts.
var sayVerbs = setOf(`said says shouted asked told replied wrote writes called emailed thinks
thought agreed mentioned smiled laughed whispered yelled cried texted explained promised
answered complained insisted suggested`)

var possessives = setOf(`my your his her their our its the`)

// addressFollows reports whether the next non-empty line after token k
// starts a street address: a house number, a PO box, a military unit or a
// street corner.
func addressFollows(toks []token, k int) bool {
	if k >= len(toks) || toks[k].nlBefore == 0 {
		return false
	}
	for k < len(toks) && toks[k].kind == tokPunct && toks[k].text != "#" {
		k++
	}
	if k >= len(toks) {
		return false
	}
	t := toks[k]
	if t.kind == tokNum && len(t.text) <= 6 && k+1 < len(toks) && toks[k+1].nlBefore == 0 {
		// A house number before a street, not a phone number's first
		// group ("713 - 555 - 0142", "713.555.0142", round 8).
		nx := toks[k+1]
		return !(nx.kind == tokPunct && (nx.text == "-" || nx.text == "." || nx.text == ")" || nx.text == "/") ||
			nx.kind == tokNum && len(nx.text) >= 3 && len(t.text) == 3)
	}
	switch t.lower {
	case "p", "po", "unit", "psc", "the", "corner":
		return k+1 < len(toks) && toks[k+1].nlBefore == 0
	}
	return false
}

// nameSeqEnd extends a name from token i: further name words, initials and
// particles, on the same line, at most five words. capMode asks for
// capitalised words; in lower case a given name takes one following word.
func nameSeqEnd(toks []token, i int, capMode bool) (end, next int) {
	n := len(toks)
	end, _ = coreOf(toks[i])
	j := i + 1
	if isInitial(toks, i) {
		end = toks[i+1].end
		j = i + 2
	}
	words := 1
	for j < n && words < 5 && toks[j].nlBefore == 0 && toks[j].spBefore {
		t := toks[j]
		if _, low := coreOf(toks[j-1]); low != toks[j-1].lower {
			break // a possessive ends the name
		}
		switch {
		case isInitial(toks, j):
			end = toks[j+1].end
			j += 2
		case len(t.text) == 1 && j+1 < n && toks[j+1].text == "&" && !toks[j+1].spBefore:
			return end, j // "O&M", "R&D" after a name: an abbreviation, not an initial
		case t.kind == tokWord && capMode && t.cap && !t.allCaps && (!plainWord(t.lower) || givenNames[t.lower] || j == i+1 && !commonWords[t.lower]) && !orgSuffixes[strings.TrimSuffix(t.lower, ".")] && !honorifics[t.lower]:
			end, _ = coreOf(t)
			j++
		case t.kind == tokWord && particles[t.lower] && j+1 < n && toks[j+1].kind == tokWord && toks[j+1].nlBefore == 0 &&
			(toks[j+1].cap || particles[toks[j+1].lower] || !capMode) && !commonWords[toks[j+1].lower]:
			j++ // particle, taken with the word after it
			continue
		case t.kind == tokWord && !capMode && words == 1 && !t.cap && !plainWord(t.lower) && len(t.text) > 2 && !personFollow[t.lower] && !sayVerbs[t.lower]:
			end, _ = coreOf(t)
			j++
		default:
			return end, j
		}
		words++
	}
	return end, j
}

// lineHead reports whether token i is the first word of its line: only
// punctuation (bullets, quote marks) comes before it on the line.
func lineHead(toks []token, i int) bool {
	for k := i; k >= 0; k-- {
		if toks[k].nlBefore > 0 || k == 0 {
			return true
		}
		if toks[k-1].kind != tokPunct {
			return false
		}
	}
	return true
}

// plainOrg decides whether the capitalised plain English word at i starts
// an organisation: its title-case run ends in an organisation suffix, holds
// a word companies are named with (two words or more), follows an
// organisation cue ("at", "from", "joined"), fills the line after a
// person's line or the line above a street address, or is one word before
// a corporate verb ("Plainfees invested"). It returns the byte end and
// the next token.
func plainOrg(toks []token, i int, afterPerson bool) (int, int, bool) {
	n := len(toks)
	e := titleRunEnd(toks, i, toks[i].end)
	k := i + 1
	words := 1
	for k < n && toks[k].start < e {
		if toks[k].kind == tokWord {
			words++
		}
		k++
	}
	_, lastCore := coreOf(toks[k-1])
	last := strings.TrimSuffix(lastCore, ".")
	if lastCore != toks[k-1].lower {
		e, _ = coreOf(toks[k-1]) // "Civic Data Union's"
	}
	if abbrevSuffixes[last] && k < n && toks[k].text == "." && !toks[k].spBefore && toks[k].nlBefore == 0 {
		e = toks[k].end // "Inc."
		k++
	}
	prev, next := "", ""
	if i > 0 && toks[i].nlBefore == 0 {
		prev = toks[i-1].lower
	}
	if k < n && toks[k].nlBefore == 0 {
		next = toks[k].lower
	}
	wholeLine := lineHead(toks, i) && (k >= n || toks[k].nlBefore > 0)
	if lineHead(toks, i) && next == ":" && words >= 2 || timeHeads[last] {
		return 0, 0, false // a form label ("Insurance Provider:") or a day ("Labor Day")
	}
	hasOrgWord := false
	for j := i; j < k; j++ {
		if _, low := coreOf(toks[j]); orgWords[low] && toks[j].cap {
			hasOrgWord = true
		}
	}
	switch {
	case words >= 2 && orgSuffixes[last]:
	case words >= 2 && hasOrgWord && !docNoun(last):
	case words >= 2 && orgCuesBefore[prev] && !sentenceStart(toks, i):
	case words >= 2 && plainOrgCue(toks, i, k, prev, next):
	case next == "," && k+1 < n && toks[k+1].cap && toks[k+1].nlBefore == 0 && abbrevSuffixes[strings.TrimSuffix(toks[k+1].lower, ".")]:
		// "Blue Harbor, Inc."
	case words >= 2 && wholeLine && afterPerson:
	case lineHead(toks, i) && orgAboveAddress(toks, i, k, e, wholeLine):
	case words == 1 && corporateVerbs[next]:
	case (words >= 2 || !englishWords[toks[i].lower] && !commonWords[toks[i].lower]) && (sigField(toks, i, k) || roleBefore(toks, i)) && !titleRun(toks, i, k):
		// "Mira Kell | Synthetica", "Head of Sales, Civic Data Union"
		// (sigcues.go).
	case words == 1 && moreWords[toks[i].lower] && !sentenceStart(toks, i) && (orgCuesBefore[prev] || plainOrgCue(toks, i, k, prev, next)):
		// "works at Quantum", "Quantum's website": a plain word as a
		// company's name where an employer goes.
	case words == 1 && (strongOrgCue(toks, i) || prev == "at" && next == "," && k+1 < n && toks[k+1].kind == tokNum) &&
		!englishWords[toks[i].lower] && !commonWords[toks[i].lower]:
		// "is from Quantiva", "at Quantiva, 12 Main Street": a word
		// that only looks English by its ending (or a legal form used as
		// a name, "Sas"), where an employer or a venue goes.
	default:
		return 0, 0, false
	}
	return e, k, true
}

// suffixRunEnd extends the name starting at token i (ending at byte e)
// over the capitalised words that follow on its line; when the run ends in
// an organisation suffix it returns the run's end (with "Inc."'s dot).
func suffixRunEnd(toks []token, i, e int) (int, bool) {
	te := titleRunEnd(toks, i, e)
	if te == e {
		return 0, false
	}
	k := i
	for k < len(toks) && toks[k].end <= te {
		k++
	}
	last := toks[k-1]
	le, ll := coreOf(last)
	if last.kind != tokWord || !orgSuffixes[ll] {
		return 0, false
	}
	if ll != last.lower {
		return le, true // "Hartwell Credit Ratings Agency's"
	}
	if abbrevSuffixes[last.lower] && k < len(toks) && toks[k].text == "." && !toks[k].spBefore && toks[k].nlBefore == 0 {
		te = toks[k].end
	}
	return te, true
}

// abbrevSuffixes are organisation suffixes written as abbreviations, whose
// dot belongs to the name ("Acme Inc.").
var abbrevSuffixes = setOf(`inc ltd corp co llc llp plc bv nv sa ag bros assoc intl`)

// alnumOrg reports whether the letters-and-digits word at i (three letters
// or more, not all capitals) stands where a company does: after an
// organisation cue, on the line after a person's line, before a corporate
// verb.
func alnumOrg(toks []token, i int, afterPerson bool) bool {
	t := toks[i]
	letters := 0
	for _, r := range t.text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 || t.allCaps {
		return false
	}
	prev, next := "", ""
	if i > 0 && t.nlBefore == 0 {
		prev = toks[i-1].lower
	}
	if i+1 < len(toks) && toks[i+1].nlBefore == 0 {
		next = toks[i+1].lower
	}
	wholeLine := lineHead(toks, i) && (i+1 >= len(toks) || toks[i+1].nlBefore > 0)
	return orgCuesBefore[prev] || wholeLine && afterPerson || corporateVerbs[next]
}

// camelCase reports whether a word has a capital after a lower-case letter
// ("SoCalGas", "KeySpan", "ProCaribe"), as brand names do, other than after
// the prefixes of family names (McDonald, MacArthur, DeShawn, LaToya,
// DiCaprio, VanDyke, O'Neil).
func camelCase(w string) bool {
	prevLower := false
	for i, r := range w {
		if unicode.IsUpper(r) && prevLower {
			switch strings.ToLower(w[:i]) {
			case "mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "fitz", "st", "al", "el", "ben", "abu":
				prevLower = false
				continue
			}
			return true
		}
		prevLower = unicode.IsLower(r)
	}
	return false
}

// brandCompound reports whether a word is an English word of four letters
// or more run together with another English word or a brand ending
// ("Cleverfund", "Clearmetric", "Sirencom", "Mentoredu"): how start-ups
// are named, rarely how families are.
func brandCompound(low string) bool {
	for i := 4; i <= len(low)-3; i++ {
		a, b := low[:i], low[i:]
		if !(englishWords[a] || moreWords[a]) && !commonWords[a] || givenNames[a] {
			continue
		}
		if brandEndings[b] || len(b) >= 4 && ((englishWords[b] || moreWords[b]) || commonWords[b]) {
			return true
		}
	}
	return false
}

// brandShape reports whether a word is built the way brand names are and
// family names rarely are: two English words run together ("Rateset",
// "Taskhands", brandCompound with a three-letter first word), or an
// ending that coined company names use ("-lytics", "-nomics", "-ify",
// "-graphy", "-city", "-tech", "-data", "-soft", "-ware").
func brandShape(low string) bool {
	if brandCompound(low) {
		return true
	}
	word := func(w string) bool { return (englishWords[w] || moreWords[w] || commonWords[w]) && !givenNames[w] }
	for i := 3; i <= len(low)-3; i++ {
		a, b := low[:i], low[i:]
		if !word(a) {
			continue
		}
		if brandEndings[b] || len(b) >= 3 && word(b) {
			return true
		}
		// Three words run together: "Brightwatertools".
		for j := 3; j <= len(b)-3; j++ {
			if word(b[:j]) && (word(b[j:]) || brandEndings[b[j:]]) {
				return true
			}
		}
	}
	// A short English head before a longer word: "Onbeam", "Mycloud".
	for _, h := range [...]string{"on", "my", "go", "up"} {
		if b := strings.TrimPrefix(low, h); len(b) >= 4 && len(b) < len(low) && word(b) {
			return true
		}
	}
	for _, e := range coinedEndings {
		if len(low) > len(e)+2 && strings.HasSuffix(low, e) {
			return true
		}
	}
	return false
}

var coinedEndings = []string{"lytics", "nomics", "ify", "graphy", "city", "tech", "data", "soft", "ware"}

// brandEndings close brand names: "Sirencom", "Sparkify", "Datahub".
var brandEndings = setOf(`com net edu org io ify ly hub lab labs soft tech ware works box base
set scope point line link logic path wise gen sys lytics metrics cast sense stream grid spot
ful able ster zilla ly quest gov stack bit byte cloud desk dash flow force forge kit loop nest pay
pod shift shop spark sphere verse vault wave zone`)

// personList reports whether "A, B and C" at i lists people rather than
// naming a partnership: a greeting or a person cue before it, or two of the
// three are given names ("Thanks Anna, Ola and Piotr").
func personList(toks []token, i int) bool {
	if i > 0 && toks[i].nlBefore == 0 && (greetings[toks[i-1].lower] && !greetingVerb(toks, i, toks[i-1].lower) || listPersonCues[toks[i-1].lower]) {
		return true
	}
	given := 0
	for _, j := range [...]int{i, i + 2, i + 4} {
		if givenNames[toks[j].lower] && !ambiguousNames[toks[j].lower] {
			given++
		}
	}
	return given >= 2
}

// gestureVerbs before "at" take a person: "shouted at X", "smiled at X".
var gestureVerbs = setOf(`shouted yelled screamed smiled laughed looked stared glared glanced waved
pointed winked nodded grinned frowned snapped barked swore shouting yelling looking staring waving
smiling laughing`)

// strongOrgCue reports whether the word at i follows "is/am/are from",
// "works at", "joined" or "works for": where an employer goes.
func strongOrgCue(toks []token, i int) bool {
	if i < 2 || toks[i].nlBefore > 0 || toks[i-1].nlBefore > 0 {
		return false
	}
	p, p2 := toks[i-1].lower, toks[i-2].lower
	switch p {
	case "from":
		return p2 == "is" || p2 == "am" || p2 == "are" || p2 == "i'm"
	case "at", "for":
		return workVerbs[p2]
	case "joined", "joining":
		return true
	}
	return false
}

// firmContext reports whether the names from token i to k-1 stand where a
// firm does: after "at", "joined", "works for", "the firm", or before
// "is hiring", "has announced", "'s offices".
func firmContext(toks []token, i, k int) bool {
	if i > 0 && toks[i].nlBefore == 0 {
		p := toks[i-1].lower
		if p == "at" || p == "joined" || p == "joining" || predicateNouns[p] || objectBusiness[p] || orgVerbsBefore[p] ||
			p == "for" && i > 1 && workVerbs[toks[i-2].lower] {
			return true
		}
	}
	return corporateAux(toks, k) || orgPossessive(toks, k) || appositiveBusiness(toks, k) || predicateBusiness(toks, k)
}

// listPersonCues before "A, B and C" make it a list of people; the
// prepositions among personCuesBefore ("to", "with", "by") do not: firms
// are written to and worked with as often as people.
var listPersonCues = setOf(`named called call calls ask tell contact meet met cc thanks dear told
asked cc'd ping emailed`)

// geoPhrase reports whether the name tokens i..k-1 hold a word that places
// are named with ("Hills", "Creek", "Port", "San", "Mont"): a place, not a
// person, when the phrase does not start with a given name.
func geoPhrase(toks []token, i, k int) bool {
	for j := i; j < k; j++ {
		if toks[j].kind == tokWord && geoWords[toks[j].lower] {
			return true
		}
	}
	return false
}

// geoWords name places: features, and the prefixes of Spanish, French and
// English place names. Written from general knowledge.
var geoWords = setOf(`hills heights valley valleys creek canyon springs falls bay beach
harbor harbour port fort mount mont mountain mountains lake lakes river island islands county
bridge tunnel airport museum
parish city town village basin plains plateau peninsula gulf coast cape delta desert forest
san santa santo são los las del saint sainte fort la el`)

// runHasOrgWord reports whether the title-case run that continues the name
// starting at i (ending at byte e) over plain capitalised words holds a word
// companies are named with: "San Telmo Gas", "Varnholt Marine Energy".
func runHasOrgWord(toks []token, i, e int) bool {
	te := titleRunEnd(toks, i, e)
	if te == e {
		return false
	}
	for j := i; j < len(toks) && toks[j].start < te; j++ {
		if toks[j].end > e && toks[j].kind == tokWord && toks[j].cap && orgWords[toks[j].lower] {
			return true
		}
	}
	return false
}

// docNoun reports whether a word names a document, an activity or an
// abstract thing ("Agreement", "Strategy", "Migration", "Reporting"): a
// title-case phrase ending in one is a heading, not a company.
func docNoun(low string) bool {
	if docNouns[low] {
		return true
	}
	for _, suf := range [...]string{"tion", "tions", "sion", "ment", "ments", "ance", "ence", "ing", "ings", "ity"} {
		if len(low) > len(suf)+3 && strings.HasSuffix(low, suf) {
			return true
		}
	}
	return false
}

var docNouns = setOf(`strategy strategies plan plans report reports policy policies schedule
review proposal proposals contract contracts meeting update updates summary project projects
program programs programme list memo notes minutes forecast budget deal deals overview
analysis form forms request requests issue issues letter letters presentation`)

// runFillsLine reports whether the title-case run from token i (name ending
// at byte e) goes on to the end of its line: "Norvane Public Data Portal".
func runFillsLine(toks []token, i, e int) bool {
	te := titleRunEnd(toks, i, e)
	k := i
	for k < len(toks) && toks[k].start < te {
		k++
	}
	return k >= len(toks) || toks[k].nlBefore > 0
}

// placeAfterComma reports whether token k is a comma followed on the same
// line by a US state or a country that ends the phrase: "Lorrimer, Kansas".
func placeAfterComma(toks []token, k int) bool {
	if k+1 >= len(toks) || toks[k].text != "," || toks[k+1].nlBefore > 0 || !toks[k+1].cap {
		return false
	}
	w := toks[k+1].lower
	if !usStates[w] && !countries[w] {
		return false
	}
	return k+2 >= len(toks) || toks[k+2].nlBefore > 0 || toks[k+2].kind != tokWord || !toks[k+2].cap
}

// usStates are the one-word names of US states.
var usStates = setOf(`alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania
tennessee texas utah vermont virginia washington wisconsin wyoming`)

// namedThing reports whether the two name tokens i, i+1 (k = i+2) are an
// unknown capitalised word and a plain English noun: "Quorbis Proposal".
func namedThing(toks []token, i, k int) bool {
	if surnameLike(toks[i].lower) {
		return false
	}
	for j := i + 1; j < k; j++ {
		_, w := coreOf(toks[j])
		if toks[j].kind == tokWord && toks[j].cap && !givenNames[w] && (docNouns[w] || thingHeads[w]) {
			return true
		}
	}
	return false
}

// thingHeads end the name of a facility, a product or a business unit
// ("Dunmore Pipeline", "Quorbis Hub"); docNouns end a project's or a
// document's ("Quorbis Proposal"). Words that are also family names
// (Fields, Mills, Towers, Brand, Plant, Arena) are left out.
var thingHeads = setOf(`line lines status member members edition series version channel
model models premium prime plus pro max lite ultra maps drive docs sheets pay eats music photos
agreement agreements pipeline pipelines hub station stations terminal
terminals facility facilities platform project projects management office offices tool tools
suite index fund funds portfolio product products app apps engine framework console
warehouse depot refinery center centre stadium
campus`)

// applyVerbs before "to" take an employer or a school: "applied to X".
var applyVerbs = setOf(`apply applied applies applying application applications`)

// teamAfter reports whether token k is a lower-case word followed by a
// unit of a company: "the X legal team", "the X sales department".
func teamAfter(toks []token, k int) bool {
	return k+1 < len(toks) && toks[k+1].nlBefore == 0 && companyUnits[toks[k+1].lower]
}

var companyUnits = setOf(`team teams department departments division divisions desk`)

// interviewVerbs before "with" take an employer: "interviewed with X" (a
// single word; "interviewed with Mira Kell" is a person).
var interviewVerbs = setOf(`interview interviewed interviewing interviews`)

// groupPlural reports whether the capitalised word at i is a plural (not a
// possessive) followed by a plural verb: "the Lakers won", "the Rovers are".
func groupPlural(toks []token, i, k int) bool {
	w := toks[i].lower
	if len(w) < 5 || !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "'s") || surnameLike(w) {
		return false
	}
	return k < len(toks) && toks[k].nlBefore == 0 && pluralVerbs[toks[k].lower]
}

var pluralVerbs = setOf(`are were won lost have play played beat scored`)

// plainOrgCue reports whether a title-case phrase of plain English words
// (tokens i..k-1, "Continental Resources") stands where companies stand: an
// employer ("works for X", "employed by X"), a corporate verb or
// possession after it ("X is hiring", "X's website"), "the X team/office",
// "a contract with X", "CEO of X".
func plainOrgCue(toks []token, i, k int, prev, next string) bool {
	prev2 := ""
	if i > 1 && toks[i-1].nlBefore == 0 {
		prev2 = toks[i-2].lower
	}
	switch {
	case prev == "for" && workVerbs[prev2], prev == "by" && (prev2 == "employed" || acquiredBy[prev2]),
		prev == "with" && (dealNouns[prev2] || withOrgVerbs[prev2]), prev == "of" && orgOfHeads[prev2],
		prev == "the" && k < len(toks) && toks[k].nlBefore == 0 && (orgModified[next] || teamAfter(toks, k)):
		return true
	}
	if prev == "with" && interviewVerbs[prev2] || plainOrgFollow[next] {
		return true // "an interview with X", "X shares rose"
	}
	return corporateAux(toks, k) || orgPossessive(toks, k) || predicateBusiness(toks, k) || appositiveBusiness(toks, k)
}

// plainOrgFollow follow a company's name, never a department's: "X shares".
var plainOrgFollow = setOf(`shares stock stockholders shareholders headquarters hq website subsidiary`)

// plainLead returns the first of the capitalised plain English words right
// before the organisation name at token i on its line ("Urban" in "contact
// Urban Outfitters"), or i. Greetings, honorifics and words that open a
// sentence as adverbs ("Yesterday", "Finally") are not taken.
func plainLead(toks []token, i int) int {
	j := i
	for j > 0 && j > i-3 && toks[j].nlBefore == 0 && toks[j].spBefore {
		p := toks[j-1]
		if p.kind != tokWord || !p.cap || p.allCaps || len(p.text) < 3 || !plainWord(p.lower) || stopLike[p.lower] ||
			greetings[p.lower] || honorifics[p.lower] || isHonorific(p.lower) || strings.HasSuffix(p.lower, "ly") ||
			personCuesBefore[p.lower] || personVerbsBefore[p.lower] || objVerbs[p.lower] || sayVerbs[p.lower] || jobWords[p.lower] {
			break
		}
		if sentenceStart(toks, j-1) && commonWords[p.lower] {
			break
		}
		j--
	}
	return j
}

// businessPlurals before "like" or "such as" introduce companies:
// "competitors like X".
var businessPlurals = setOf(`companies firms brands banks competitors rivals retailers startups
vendors suppliers providers carriers insurers airlines clients customers employers`)

// wentOrg follow "X went": "X went bankrupt", "X went public".
var wentOrg = setOf(`bankrupt public bust private`)

// layOff reports whether "laid off" or "lays off" and a number or a
// workforce noun follow at token k: "X laid off 200 people".
func layOff(toks []token, k int) bool {
	if k+2 >= len(toks) || toks[k].lower != "laid" && toks[k].lower != "lays" || toks[k+1].lower != "off" {
		return false
	}
	return toks[k+2].kind == tokNum || workforce[toks[k+2].lower]
}

var workforce = setOf(`staff workers employees people jobs thousands hundreds dozens half`)

// timeHeads end the name of a day, a holiday or a season.
var timeHeads = setOf(`day days eve weekend week night season festival`)

// jobWords are parts of job titles, which come before people's names
// ("Senior Engineer X", "Coach X"), not before companies'.
var jobWords = setOf(`manager director engineer developer designer officer agent coach nurse doctor
professor president chairman chairwoman chief senior junior lead head principal assistant associate
consultant analyst specialist coordinator supervisor administrator representative executive
accountant attorney lawyer counsel sheriff detective sergeant captain judge pastor reverend
minister secretary treasurer intern teacher instructor editor producer founder partner owner vp`)

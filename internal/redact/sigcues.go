package redact

// Round 8: organisation cues from how people sign and introduce
// themselves ("Mira Kell | Quorbis", "Head of Sales, Quorbis", "Anna with
// Quorbis", "Quorbis CTO Tom Brandt"), job-title lines in signatures,
// coordination with a company, and names after "the" that are things
// ("The Titanic sank", "the Zoom link"). All word
// lists are general English written for this package.

import "strings"

// titleNouns name jobs; a signature line made of them is a title, not a
// company, and a name right after "Title," or "engineer for" is the
// employer.
var titleNouns = setOf(`analyst analysts engineer engineers manager managers director directors
officer officers assistant associate consultant specialist coordinator administrator executive
president vp head lead chief principal counsel accountant developer designer architect scientist
researcher professor lecturer representative advisor adviser intern supervisor secretary treasurer
editor recruiter programmer strategist economist trader planner buyer controller auditor
technician ceo cfo cto coo cio founder cofounder co-founder chairman chairwoman chair partner
owner producer paralegal`)

// titleWords may stand in a job title beside the title nouns: "Senior
// Vice President of Sales and Marketing".
var titleWords = setOf(`senior junior vice deputy assistant associate executive general managing
regional national global acting interim lead chief principal staff sales marketing finance
financial operations product products business development technical technology software data
legal human resources hr it customer customers service services support research engineering
account accounts project projects program programs communications public relations risk
strategy corporate trading regulatory affairs supply chain of and & the for`)

// titleLine reports whether the line starting at token i is a job title
// ("Senior Analyst", "Head of Sales", "VP, Marketing"): capitalised title
// words only, at least one of them a title noun, and at most eight words.
// It returns the index of the first token of the next line.
func titleLine(toks []token, i int) (int, bool) {
	n, words, noun := len(toks), 0, false
	j := i
	for ; j < n && (j == i || toks[j].nlBefore == 0); j++ {
		t := toks[j]
		switch {
		case t.kind == tokPunct && (t.text == "," || t.text == "&" || t.text == "/" || t.text == "-"):
		case t.kind == tokWord && (t.cap || t.allCaps || t.lower == "of" || t.lower == "and" || t.lower == "for" || t.lower == "the"):
			words++
			if titleNouns[t.lower] {
				noun = true
			} else if !titleWords[t.lower] {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	return j, noun && words <= 8
}

// roleBefore reports whether a job title fills its line up to a comma right
// before the name at i ("Head of Sales, Quorbis", "Senior Analyst,
// Quorbis"): the name is the employer. "Our CEO, Zorbek, resigned" is no
// such line.
func roleBefore(toks []token, i int) bool {
	if i < 2 || toks[i-1].text != "," || toks[i].nlBefore > 0 || toks[i-1].nlBefore > 0 {
		return false
	}
	h := i - 2
	for h > 0 && toks[h].nlBefore == 0 && i-h < 8 {
		h--
	}
	if h > 0 && toks[h].nlBefore == 0 {
		return false // more than seven tokens: not a title line
	}
	noun := false
	for j := h; j <= i-2; j++ {
		t := toks[j]
		switch {
		case t.kind == tokWord && (t.cap || t.allCaps) && titleNouns[t.lower]:
			noun = true
		case t.kind == tokWord && (t.cap || t.allCaps || t.lower == "of" || t.lower == "and") && titleWords[t.lower]:
		case t.kind == tokPunct && (t.text == "&" || t.text == "/" || t.text == "-"):
		default:
			return false
		}
	}
	return noun
}

// nameBefore reports whether the tokens before token j (exclusive) on its
// line are a person's name from the head of the line: two name words or
// more ("Mira Kell", "Ada van der Berg"), or one given name ("Mira |
// Quorbis").
func nameBefore(toks []token, j int) bool {
	if j < 1 || j >= len(toks) || toks[j].nlBefore > 0 {
		return false
	}
	words, k := 0, j-1
	for ; k >= 0 && j-k <= 6; k-- {
		t := toks[k]
		switch {
		case t.kind == tokWord && t.cap && !t.allCaps && nameWord(t):
			words++
		case t.kind == tokWord && particles[t.lower]:
		case t.text == "." && k > 0 && isInitial(toks, k-1):
		case t.kind == tokWord && len(t.text) == 1 && t.cap:
		default:
			return false
		}
		if t.nlBefore > 0 || k == 0 {
			break
		}
	}
	if k < 0 || !lineHead(toks, max(k, 0)) {
		return false
	}
	return words >= 2 || words == 1 && givenNames[toks[k].lower]
}

// sigField reports whether the name at i (next token k) is a field of a
// one-line signature after a person's name: "Mira Kell | Quorbis |
// 555-0100", "Mira Kell, Quorbis" at the end of the line, "Tom Brandt
// (Quorbis)".
func sigField(toks []token, i, k int) bool {
	if i < 2 || toks[i].nlBefore > 0 {
		return false
	}
	sep := toks[i-1]
	lineEnd := k >= len(toks) || toks[k].nlBefore > 0
	if titleRun(toks, i, k) {
		return false // "Mira Kell | Senior Analyst": the title, not the company
	}
	switch sep.text {
	case "|", ",":
		if sep.text == "," && !lineEnd && toks[k].text != "|" {
			return false
		}
		if nameBefore(toks, i-1) {
			return true
		}
		// "Mira Kell | Senior Analyst | Quorbis": a title field between.
		j := i - 2
		for j > 0 && toks[j].nlBefore == 0 && toks[j].text != sep.text && i-j < 10 {
			j--
		}
		return j > 0 && toks[j].text == sep.text && titleRun(toks, j+1, i-1) && nameBefore(toks, j)
	case "(":
		return k < len(toks) && toks[k].text == ")" && nameBefore(toks, i-1)
	}
	return false
}

// withPerson reports whether "with" before the name at i follows a
// person's name or "this is NAME": "Anna with Quorbis", "I'm Tom Brandt
// with Quorbis" — the speaker's employer.
func withPerson(toks []token, i int) bool {
	if i < 2 || toks[i-1].lower != "with" {
		return false
	}
	p := toks[i-2]
	if p.kind != tokWord || !p.cap || p.allCaps || p.nlBefore > 0 {
		return false
	}
	if givenNames[p.lower] {
		return true
	}
	if i < 3 {
		return false
	}
	q := toks[i-3] // "Tom Brandt with": two name words
	return q.kind == tokWord && q.cap && !q.allCaps && nameWord(q) && nameWord(p)
}

// forRoles before "for" take an employer or a client: "an engineer for
// Quorbis", "a consultant for Quorbis". Roles that serve a person (lawyer,
// agent, nurse) are left out.
var forRoles = setOf(`engineer engineers developer developers designer designers analyst analysts
scientist scientists researcher researchers consultant consultants contractor contractors
subcontractor supplier vendor spokesperson spokesman spokeswoman recruiter recruiters programmer
programmers architect intern interns accountant auditor auditors salesman saleswoman
salespeople`)

// titleAfter reports whether the name ending before token k is followed by
// a top job title and a person's name: "Quorbis CTO Tom Brandt", "Quorbis
// spokesperson Mira Kell".
func titleAfter(toks []token, k int) bool {
	if k+1 >= len(toks) || toks[k].nlBefore > 0 || toks[k+1].nlBefore > 0 {
		return false
	}
	switch toks[k].lower {
	case "ceo", "cfo", "cto", "coo", "cio", "founder", "co-founder", "cofounder", "chairman", "chairwoman",
		"president", "spokesperson", "spokesman", "spokeswoman":
	default:
		return false
	}
	return toks[k+1].kind == tokWord && toks[k+1].cap && nameWord(toks[k+1])
}

// coordinateTypes gives a lone unknown word taken for a person the type of
// an organisation it is coordinated with: "Quorbis and Velloway signed a
// deal" where one of the two was found as a company, "between Quorbis and
// Velloway". Only single words typed a person by no cue of their own (not
// a given name, a greeting, a verb of saying or a hint) are retyped.
// spans are sorted by start.
func coordinateTypes(text string, spans []bspan) []bspan {
	// The second of two coordinated names may owe its person cue to the
	// conjunction itself ("and" is a person cue): maxPrio allows that.
	weak := func(s bspan, maxPrio int) bool {
		if s.typ != TypePerson || s.prio != prioPerson && s.prio != maxPrio {
			return false
		}
		v := text[s.start:s.end]
		for i := 0; i < len(v); i++ {
			if v[i] == ' ' || v[i] == '\n' || v[i] == '\t' {
				return false
			}
		}
		return !givenNames[strings.ToLower(v)]
	}
	joined := func(a, b bspan) bool {
		if a.end > b.start || b.start-a.end > 6 {
			return false
		}
		switch text[a.end:b.start] {
		case " and ", " & ", " or ", ", ", ", and ", " und ":
			return true
		}
		return false
	}
	for pass := 0; pass < 2; pass++ {
		changed := false
		for i := 0; i+1 < len(spans); i++ {
			a, b := spans[i], spans[i+1]
			if !joined(a, b) {
				continue
			}
			switch {
			case a.typ == TypeOrg && weak(b, prioPerson+1):
				spans[i+1].typ = TypeOrg
				changed = true
			case b.typ == TypeOrg && weak(a, prioPerson):
				spans[i].typ = TypeOrg
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return spans
}

// personWorks are the nouns a person's name modifies after "the": "the
// Dickens novel", "the Kowalski family", "the Hale case". Before other
// plain nouns a name after "the" names a thing or a brand ("the Zoom
// link", "the Uber driver", "the Medicare form").
var personWorks = setOf(`novel novels book books song songs album albums film films movie movies play
plays poem poems painting paintings portrait portraits biography memoir story stories family
families household estate case trial administration era campaign speech quote quotes letter
letters collection archive archives show interview photo photos twins brothers sisters kids
children boys girls murder murders affair legacy lecture lectures prize award theorem doctrine
lab group team years days house home residence farm wedding funeral funeral's memorial
version years' recording recordings record records concert tour line verse`)

// theThing reports whether the single word at i (next token k) follows
// "the" (directly or after one lower-case word) and modifies a plain noun
// that is not one of personWorks: a thing or a brand, not a person.
//
// Right after "the", the name is not a person whatever follows ("The
// Pentagon declined", "the Eiffel Tower is lit", "at the Hilton"), unless
// one of personWorks or a possessive follows.
func theThing(toks []token, i, k int) bool {
	if i < 1 || toks[i].nlBefore > 0 {
		return false
	}
	if _, low := coreOf(toks[k-1]); low != toks[k-1].lower {
		return false // a possessive: "the Hale's house"
	}
	next := ""
	if k < len(toks) && toks[k].nlBefore == 0 {
		next = toks[k].lower
	}
	if personWorks[next] || titleNouns[next] {
		return false
	}
	if toks[i-1].lower == "the" {
		return true
	}
	// "the attached Quorbis form": one plain lower-case word between, and
	// a plain noun after.
	return attributive(toks, k) && plainWord(next) && i >= 2 && toks[i-1].nlBefore == 0 && toks[i-1].kind == tokWord &&
		!toks[i-1].cap && plainWord(toks[i-1].lower) && toks[i-2].lower == "the" && toks[i-2].nlBefore == 0
}

// workNouns name a work, a vehicle or an event right before its name: "the
// song Bohemian Skies", "the ship Aurora", "hurricane Katrina". The name
// after them is not a person (also when it is a given name).
var workNouns = setOf(`song songs album albums single film movie novel book poem play musical opera
series show sitcom podcast episode game app ship boat yacht vessel hurricane storm typhoon cyclone
tornado wildfire`)

// verbGreetings are closing or greeting words that are also verbs or
// adjectives ("Love, Mira" but "I love Quorbis"; "Best, Mira" but "the
// best Quorbis"): after a subject, a modal or a determiner they greet no
// one.
var verbGreetings = setOf(`love best welcome greetings regards morning afternoon evening yours`)

// subjectsBefore stand before such a word when it is a verb or an
// adjective.
var subjectsBefore = setOf(`i we you they he she who would i'd we'd you'd they'd really also truly
dearly still just the a an our my your their its this that to and or will`)

// greetingVerb reports whether prev, the word before the name at i
// (skipping a comma), is a greeting word used as a verb or an adjective.
func greetingVerb(toks []token, i int, prev string) bool {
	if !verbGreetings[prev] {
		return false
	}
	g := i - 1
	if g >= 0 && toks[g].text == "," {
		g--
	}
	return g >= 1 && toks[g].lower == prev && toks[g].nlBefore == 0 && subjectsBefore[toks[g-1].lower]
}

// acronymOf reports whether the all-capitals word at i stands in brackets
// (quoted or not) right after a capitalised name that ends in an
// organisation suffix and whose initials it spells: "Southern Valley Gas
// Coalition ("SVGC")". Phrases of other kinds are abbreviated the same way
// ("Reliability Centered Maintenance (RCM)"), so the suffix is needed.
func acronymOf(toks []token, i int) bool {
	j := i - 1
	for j >= 0 && (toks[j].text == "\"" || toks[j].text == "“" || toks[j].text == "'") {
		j--
	}
	if j < 1 || toks[j].text != "(" {
		return false
	}
	if !orgSuffixes[toks[j-1].lower] {
		return false
	}
	letters := toks[i].lower
	// Walk back over the name: one capitalised word per letter, "of",
	// "and", "the", "&" skipped.
	k := len(letters) - 1
	for j--; j >= 0 && k >= 0; j-- {
		t := toks[j]
		if t.kind == tokWord && (t.lower == "of" || t.lower == "and" || t.lower == "the" || t.lower == "for") || t.text == "&" {
			continue
		}
		if t.kind != tokWord || !t.cap || t.lower[0] != letters[k] {
			return false
		}
		k--
	}
	return k < 0 && len(letters) >= 2
}

// titleRun reports whether tokens i..k-1 are a job title: title words
// only, one of them a title noun ("Senior Analyst", "Head of Sales").
func titleRun(toks []token, i, k int) bool {
	noun := false
	for j := i; j < k; j++ {
		t := toks[j]
		switch {
		case t.kind == tokWord && titleNouns[t.lower]:
			noun = true
		case t.kind == tokWord && titleWords[t.lower]:
		default:
			return false
		}
	}
	return noun
}

// messageNouns before "from" are sent by people as often as by companies
// ("a letter from Kowalski", "a message from Zorbek"): there "from" is no
// organisation cue for a single word.
var messageNouns = setOf(`letter letters message messages note notes email emails e-mail mail call calls
text texts reply replies word gift gifts card cards postcard invitation visit kiss hug`)

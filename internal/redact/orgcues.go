package redact

import "strings"

// Organisation evidence around a capitalised name that is not a given name
// (the fifth round of issue #6). Each cue is general English usage written
// from knowledge of how companies are named and talked about, not a list of
// names:
//
//   - a hyphenated pair of capitalised words neither of which is a given
//     name ("Hewlett-Packard" style firm names; "Mary Smith-Jones" starts
//     with a given name and stays a person);
//   - "X & Y", "X and Sons": partnerships;
//   - an auxiliary before a corporate verb ("X has announced", "X is
//     hiring");
//   - an appositive naming a kind of business ("X, the bank, ...");
//   - a possessive before what companies have ("X's headquarters").

// hyphenPair reports whether the word token t is two capitalised parts
// joined by one hyphen, the first not a given name, neither a plain word:
// firm names join family names this way, people put a given name first.
func hyphenPair(t token) bool {
	if t.kind != tokWord || !t.cap || t.allCaps {
		return false
	}
	_, low := coreOf(t)
	a, b, ok := strings.Cut(low, "-")
	if !ok || strings.Contains(b, "-") || len(a) < 2 || len(b) < 2 {
		return false
	}
	// The second part must be capitalised too: "Bar-le-Duc", "Jean-baptiste".
	hb := strings.IndexByte(t.text, '-') + 1
	if hb >= len(t.text) || !isUpperStart(t.text[hb:]) {
		return false
	}
	// Compound given names start with a given name ("Jean-Luc",
	// "Anne-Lise"); a family name may end in one ("Walker-Thomas").
	if givenNames[a] {
		return false
	}
	for _, p := range [...]string{a, b} {
		if plainWord(p) && !givenNames[p] || streetWords[p] || streetSuffixes[p] || places[p] || countries[p] {
			return false
		}
	}
	return true
}

func isUpperStart(s string) bool {
	for _, r := range s {
		return r >= 'A' && r <= 'Z' || r > 127 && strings.ToLower(string(r)) != string(r)
	}
	return false
}

// partnerEnd reports whether the name ending at token k-1 goes on as a
// partnership: "& Lowe", "and Sons", "& Co". It returns the byte end of
// the partnership.
func partnerEnd(toks []token, k int) (int, bool) {
	if k+1 >= len(toks) || toks[k].nlBefore > 0 || toks[k+1].nlBefore > 0 {
		return 0, false
	}
	c, w := toks[k], toks[k+1]
	if w.kind != tokWord || !w.cap {
		return 0, false
	}
	if (c.text == "&" || c.text == "+") && c.spBefore && w.spBefore && len(w.text) > 1 {
		// Spaced: "Garrity & Lowe"; "O&M", "R&D" are abbreviations.
		e := w.end
		if abbrevSuffixes[w.lower] && k+2 < len(toks) && toks[k+2].text == "." && !toks[k+2].spBefore {
			e = toks[k+2].end
		}
		return e, true
	}
	if c.lower == "and" && familyFirms[w.lower] {
		return w.end, true
	}
	return 0, false
}

// familyFirms close "X and Sons" style firm names.
var familyFirms = setOf(`sons son daughters daughter brothers sisters partners associates co company`)

// auxiliaries stand between a company and its corporate verb.
var auxiliaries = setOf(`has have had will would is was has just also recently been`)

// corporateAfterAux follow "X is/has" for companies: "X is hiring".
var corporateAfterAux = setOf(`hiring headquartered based listed incorporated founded acquired
offices branches subsidiaries stores outlets plants factories fined sued`)

// corporateAux reports whether the tokens from k read as an auxiliary (one
// or two) then a corporate verb: "has announced", "has just acquired",
// "is hiring", "is headquartered".
func corporateAux(toks []token, k int) bool {
	j := k
	for steps := 0; steps < 2 && j < len(toks) && toks[j].nlBefore == 0 && auxiliaries[toks[j].lower]; steps++ {
		j++
	}
	if j == k || j >= len(toks) || toks[j].nlBefore > 0 {
		return false
	}
	return corporateVerbs[toks[j].lower] || corporateAfterAux[toks[j].lower] || headcount(toks, j)
}

// headcount reports whether a number of employees, offices or customers
// follows from token j: "(has) over 500 employees", "(has) 12 offices".
func headcount(toks []token, j int) bool {
	for m := j; m < len(toks) && m < j+4 && toks[m].nlBefore == 0; m++ {
		if toks[m].kind == tokNum {
			return m+1 < len(toks) && toks[m+1].nlBefore == 0 && (corporateAfterAux[toks[m+1].lower] || workforce[toks[m+1].lower] && toks[m+1].lower != "people")
		}
		if toks[m].kind != tokWord || !headcountWords[toks[m].lower] {
			return false
		}
	}
	return false
}

var headcountWords = setOf(`over more than about around nearly almost some`)

// businessNouns name kinds of business; in an appositive ("X, the bank,")
// they make X an organisation.
var businessNouns = setOf(`company firm bank startup start-up retailer maker manufacturer insurer
airline carrier lender broker brokerage chain brand agency provider supplier vendor developer
publisher operator conglomerate corporation utility distributor wholesaler consultancy
charity nonprofit non-profit organisation organization business giant multinational subsidiary
producer shipper exporter importer fund insurer studio label`)

// appositiveBusiness reports whether the name ending before token k is
// followed by ", the/a/an ... <business noun>" within four words.
func appositiveBusiness(toks []token, k int) bool {
	if k+2 >= len(toks) || toks[k].text != "," || toks[k+1].nlBefore > 0 {
		return false
	}
	switch toks[k+1].lower {
	case "the", "a", "an":
	default:
		return false
	}
	for j := k + 2; j < len(toks) && j < k+6 && toks[j].kind == tokWord && toks[j].nlBefore == 0; j++ {
		if businessNouns[toks[j].lower] {
			return true
		}
	}
	return false
}

// orgPossessed follow a company's possessive far more often than a
// person's: "X's headquarters", "X's website".
var orgPossessed = setOf(`headquarters hq website site office offices stores factory factories plant plants
ceo cfo cto founder founders board shares stock stockholders shareholders customers clients
products services employees staff subsidiary subsidiaries revenue revenues profits earnings
quarterly annual spokesperson spokesman spokeswoman brand app platform group division product
tank tanks pipeline pipelines prices pricing sales tariff tariffs facility facilities fleet
portfolio nomination nominations filing filings shippers mission logo`)

// orgPossessive reports whether the name ending at token k-1 is a
// possessive followed by a word companies have.
func orgPossessive(toks []token, k int) bool {
	if k < 1 || k >= len(toks) || toks[k].nlBefore > 0 {
		return false
	}
	if _, low := coreOf(toks[k-1]); low == toks[k-1].lower {
		return false
	}
	if possAdjectives[toks[k].lower] && k+1 < len(toks) && toks[k+1].nlBefore == 0 {
		return orgPossessed[toks[k+1].lower] // "X's new products"
	}
	return orgPossessed[toks[k].lower]
}

// possAdjectives may stand between a company's possessive and what it has.
var possAdjectives = setOf(`new latest recent own entire former current main global online`)

// orgEvidence reports whether the capitalised name tokens i..k-1, which do
// not start with a given name, read as an organisation by one of the cues
// above.
func orgEvidence(toks []token, i, k, e int, prev, prev2 string) bool {
	if !toks[i].cap {
		return false
	}
	if familyFirms[toks[k-1].lower] && k-i >= 2 && toks[k-1].cap {
		return true // "Dunmore Brothers"
	}
	if orgVerbsBefore[prev] || prev == "by" && acquiredBy[prev2] {
		return true // "founded Pellham", "acquired by Dunmore"
	}
	if tickerAfter(toks, k) || predicateBusiness(toks, k) {
		return true
	}
	if _, ok := partnerEnd(toks, k); ok {
		return true
	}
	if partnerBefore(toks, i) {
		return true // "King & Halloway"
	}
	if k-i == 1 && hyphenPair(toks[i]) && !greetings[prev] && !listPersonCues[prev] && !personVerbsOnly[prev] {
		// Prepositions ("to", "with", "by", "from") take firms as often
		// as people; without a given name the pair is a firm's.
		return true
	}
	if theyNext(toks, k) && !(i > 0 && (toks[i-1].lower == "and" || toks[i-1].lower == "or" || toks[i-1].text == "&")) {
		return true // "Have you heard of Tradlo? They make ..."
	}
	return corporateAux(toks, k) || appositiveBusiness(toks, k) || orgPossessive(toks, k) ||
		itsAfter(toks, k) && !personCuesBefore[prev] && !personVerbsBefore[prev] && !greetings[prev] && !objVerbs[prev]
}

// itsAfter reports whether "its" (or "it's own") refers back to the name
// ending before token k: it comes later in the same sentence, before any
// other name, personal pronoun or clause break. People are never "its":
// "Dunmore cut its prices". The caller checks that the name is not the
// object of a verb that takes a person ("ask X about its status").
func itsAfter(toks []token, k int) bool {
	if k+1 < len(toks) && toks[k].lower == "and" && toks[k+1].lower == "its" {
		return true // "Trancoria and its shippers"
	}
	for j := k; j < len(toks) && j < k+10; j++ {
		t := toks[j]
		if j > k && t.nlBefore > 0 {
			return false
		}
		switch t.lower {
		case "its":
			return true
		case ".", "!", "?", ";", ":", "(", "\"", "and", "or", "but", "which", "that", "who", "while", "when",
			"he", "she", "his", "her", "him", "they", "their", "them", "i", "we", "you", "my", "our", "your":
			return false
		}
		if t.kind == tokWord && t.cap && j > k {
			return false
		}
	}
	return false
}

// personVerbsOnly take a person, never a firm, as their object.
var personVerbsOnly = setOf(`thanked married hired introduced invited texted`)

// orgVerbsBefore take a company as their object: "founded Pellham".
var orgVerbsBefore = setOf(`founded cofounded co-founded acquired`)

// acquiredBy before "by" introduce a company: "acquired by Dunmore".
var acquiredBy = setOf(`acquired bought purchased sponsored funded operated published developed
manufactured made powered provided issued underwritten insured distributed licensed regulated backed
charged billed`)

// exchanges are stock exchanges, written before a ticker:
// "Pellham (NASDAQ: PLM)".
var exchanges = setOf(`nasdaq nyse amex lse tsx asx hkex sgx otc euronext xetra`)

// tickerAfter reports whether "(EXCHANGE:" follows the name ending before
// token k.
func tickerAfter(toks []token, k int) bool {
	return k+2 < len(toks) && toks[k].text == "(" && exchanges[toks[k+1].lower] && toks[k+2].text == ":"
}

// predicateNouns are kinds of business that a person is not: "X is a
// leading bank".
var predicateNouns = setOf(`company firm bank startup start-up retailer manufacturer insurer airline
lender chain conglomerate corporation utility wholesaler consultancy charity nonprofit non-profit
organisation organization business multinational subsidiary employer provider providers supplier
suppliers vendor vendors distributor distributors competitor competitors maker makers carrier carriers
publisher publishers marketplace agency agencies firms companies banks businesses retailers
manufacturers airlines lenders startups insurers`)

// predicateBusiness reports whether "is/was a/an/the ... <business noun>"
// (within four words) follows the name ending before token k.
func predicateBusiness(toks []token, k int) bool {
	if k+2 >= len(toks) || toks[k].nlBefore > 0 || toks[k].lower != "is" && toks[k].lower != "was" {
		return false
	}
	switch toks[k+1].lower {
	case "a", "an", "the", "my", "our", "his", "her", "their", "your", "one": // "one of our suppliers"
	default:
		return false
	}
	for j := k + 2; j < len(toks) && j < k+6 && toks[j].kind == tokWord && toks[j].nlBefore == 0; j++ {
		if predicateNouns[toks[j].lower] {
			return true
		}
		if toks[j].lower == "place" && j+2 < len(toks) && toks[j+1].lower == "to" && toks[j+2].lower == "work" {
			return true // "X is a great place to work"
		}
	}
	return false
}

// attributive reports whether token k is a lower-case word on the same
// line: the name before it modifies a noun ("the Dunmore office").
func attributive(toks []token, k int) bool {
	return k < len(toks) && toks[k].nlBefore == 0 && toks[k].kind == tokWord && !toks[k].cap && !stopLike[toks[k].lower] &&
		!personFollow[toks[k].lower] && !sayVerbs[toks[k].lower]
}

// orgModified are nouns a company's name modifies after "the": "the
// Dunmore office", "the Dunmore deal".
var orgModified = setOf(`logo office offices store stores plant factory building campus account accounts
deal contract merger acquisition board group division unit branch site project pipeline
support portal company firm business sale sales purchase purchases transaction transactions invoice invoices bid bids
offer proposal agreement agreements payment payments shipment shipments`)

// partnerBefore reports whether a spaced "&" after a capitalised word comes
// right before the name at i: "King & Halloway", "KVRN & Westmoor".
func partnerBefore(toks []token, i int) bool {
	if i < 2 || toks[i].nlBefore > 0 || toks[i-1].nlBefore > 0 {
		return false
	}
	a, w := toks[i-1], toks[i-2]
	return a.text == "&" && a.spBefore && toks[i].spBefore && (w.kind == tokWord || w.kind == tokAlnum) && (w.cap || w.allCaps) && len(w.text) > 1
}

// articles come before things and brands, not before people's names
// ("the" does: "the Dickens novel").
var articles = setOf(`a an our my your their another every each this these those`)

// afterArticle reports whether the word at i follows an article, directly
// or after one lower-case word ("a new Xbox").
func afterArticle(toks []token, i int) bool {
	if i < 1 || toks[i].nlBefore > 0 {
		return false
	}
	if articles[toks[i-1].lower] {
		return true
	}
	p := toks[i-1]
	return i >= 2 && p.nlBefore == 0 && p.kind == tokWord && !p.cap && !stopLike[p.lower] && toks[i-2].nlBefore == 0 &&
		(toks[i-2].lower == "a" || toks[i-2].lower == "an")
}

// theyNext reports whether "they" is the next subject right after the name
// ending before token k, with only a clause break between: "heard of
// Tradlo? They make ...", "called Quorbis and they said". One person is
// "he" or "she"; "they" for one name is a company.
func theyNext(toks []token, k int) bool {
	j := k
	if j < len(toks) && toks[j].kind == tokPunct {
		switch toks[j].text {
		case ".", "?", "!", ",", ";", ":":
			j++
		default:
			return false
		}
	}
	if j < len(toks) && (toks[j].lower == "and" || toks[j].lower == "but" || toks[j].lower == "so") {
		j++
	}
	if j >= len(toks) || j == k {
		return false
	}
	switch toks[j].lower {
	case "they", "they're", "they've", "they'll", "they’re", "they’ve", "they’ll":
		return true
	}
	return false
}

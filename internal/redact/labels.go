package redact

// Organisations named by a form label: "Company: X", "Employer: X",
// "Bank name: X". A form says what the value is; the value runs to the end
// of its line (or to a separator).

// orgLabels are the labels of a form field that holds an organisation.
var orgLabels = setOf(`company employer organization organisation org bank firm business agency
insurer institution school university college vendor supplier carrier provider issuer lender
workplace`)

// labelOrg returns the start and end (byte offsets) of the organisation
// after the form label at token i ("Company: Acme Ltd" or "Company name:
// Acme"), the index of the token after it, and whether there is one.
func labelOrg(toks []token, i int) (int, int, int, bool) {
	n := len(toks)
	t := toks[i]
	if !lineHead(toks, i) || !orgLabels[t.lower] { // the position first: cheaper than the lookup
		return 0, 0, 0, false
	}
	j := i + 1
	if j < n && toks[j].nlBefore == 0 && toks[j].lower == "name" {
		j++
	}
	if j+1 >= n || toks[j].text != ":" || toks[j].nlBefore > 0 || toks[j+1].nlBefore > 0 {
		return 0, 0, 0, false
	}
	j++
	first := toks[j]
	if first.kind != tokWord && first.kind != tokAlnum || !first.cap && first.kind == tokWord || cardNetworkEnd(toks, j) > j {
		return 0, 0, 0, false
	}
	end, k := first.end, j+1
	for k < n && toks[k].nlBefore == 0 {
		tk := toks[k]
		if tk.kind == tokPunct && tk.text != "&" && tk.text != "." && tk.text != "-" && tk.text != "'" {
			break
		}
		if tk.kind == tokNum {
			break
		}
		end = tk.end
		k++
	}
	return first.start, end, k, true
}

// personLabels end the label of a form field that holds a person's name.
var personLabels = setOf(`name contact person attn attention recipient sender employee holder
cardholder beneficiary applicant tenant guest passenger patient signed signature student
member user driver witness from to cc bcc author`)

// personLabel reports whether the name at token i is the value of a form
// field for a person: one or two label words at the head of the line, then
// a colon ("Name: X", "Full name: X", "Account holder: X").
func personLabel(toks []token, i int) bool {
	if i < 2 || toks[i-1].text != ":" || toks[i].nlBefore > 0 || toks[i-1].nlBefore > 0 || !personLabels[toks[i-2].lower] {
		return false
	}
	return lineHead(toks, i-2) || i >= 3 && toks[i-2].nlBefore == 0 && toks[i-3].kind == tokWord && lineHead(toks, i-3)
}

// acronymOrg reports whether the all-capitals word at token i is a company
// by a strong cue: an employer ("works at", "joined", "CEO of"), a
// corporate verb or possession after it ("is hiring", "'s headquarters",
// "shares"). Common abbreviations are never companies.
func acronymOrg(toks []token, i int) bool {
	t := toks[i]
	if t.kind != tokWord || len(t.text) < 2 || len(t.text) > 8 || commonAcronyms[t.lower] || plainWord(t.lower) || countries[t.lower] || places[t.lower] {
		return false
	}
	k := i + 1
	next := ""
	if k < len(toks) && toks[k].nlBefore == 0 {
		next = toks[k].lower
	}
	prev, prev2 := "", ""
	if i > 0 && toks[i].nlBefore == 0 {
		prev = toks[i-1].lower
		if i > 1 && toks[i-1].nlBefore == 0 {
			prev2 = toks[i-2].lower
		}
	}
	switch {
	case strongOrgCue(toks, i), prev == "of" && orgOfHeads[prev2], prev == "with" && (dealNouns[prev2] || interviewVerbs[prev2]):
		return true
	case acronymOf(toks, i):
		// "Southern Valley Gas Coalition ("SVGC")": the abbreviation of
		// an organisation's name before it (sigcues.go).
		return true
	case corporateVerbs[next] || plainOrgFollow[next]:
		return true
	}
	return corporateAux(toks, k) || orgPossessive(toks, k)
}

// commonAcronyms are abbreviations written in capitals that are not
// companies: roles, units, time words, chat words, document kinds.
var commonAcronyms = setOf(`ceo cfo cto coo cio vp svp evp hr it pr qa ui ux ai ml api sdk faq
fyi asap eta tbd tba rsvp ps pps btw imo lol omg am pm est pst cet gmt utc usd eur gbp
id pdf doc xls csv jpg png gif zip url www http https html sql ok usa uk us eu un nyc la dc
llc inc ltd plc gmbh corp co q1 q2 q3 q4 fy ytd kpi roi rfp rfq nda sow po mba phd md
dds rn cpa esq jr sr ii iii iv tv dvd cd pc mr mrs ms dr st ave rd blvd apt`)

// cardNetworks name kinds of payment cards (general knowledge); the
// network of a card is not personal.
var cardNetworks = setOf(`visa mastercard maestro amex discover jcb unionpay cirrus electron`)

// cardNetworkEnd returns the index of the token after a card network's
// name starting at token i ("Visa Electron", "American Express", "Diners
// Club International"), or i when there is none. A capitalised "Discover"
// counts only before "card".
func cardNetworkEnd(toks []token, i int) int {
	t := toks[i]
	if t.kind != tokWord || !t.cap {
		return i
	}
	next := func(j int) string {
		if j < len(toks) && toks[j].nlBefore == 0 {
			return toks[j].lower
		}
		return ""
	}
	k := i + 1
	switch {
	case t.lower == "discover":
		if next(k) != "card" {
			return i
		}
	case cardNetworks[t.lower]:
		if next(k) == "electron" {
			k++
		}
	case t.lower == "american" && next(k) == "express", t.lower == "diners" && next(k) == "club":
		k++
		if next(k) == "international" {
			k++
		}
	default:
		return i
	}
	return k
}

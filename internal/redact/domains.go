package redact

import "strings"

// A name that is also the domain of an e-mail address or a web address in
// the same text ("Quorbis" beside "billing@quorbis.com") is the
// organisation that owns the domain, not a person.

// webmail are domains of mail providers that say nothing about the
// sender's organisation.
var webmail = setOf(`gmail googlemail yahoo ymail hotmail outlook live msn aol icloud me mac
protonmail proton pm gmx mail yandex zoho fastmail hey tutanota comcast verizon att sbcglobal
btinternet orange free web t-online example qq`)

// secondLevel are labels under a country code that are not names:
// "quorbis.co.uk".
var secondLevel = setOf(`co com org net ac gov edu ltd plc gob gouv or ne`)

// domainLabels returns the organisation label of each e-mail and web
// domain in text, lower-cased: "quorbis" for "a@mail.quorbis.co.uk",
// "www.quorbis.com" and "https://quorbis.io/pricing".
func domainLabels(text, lower string) map[string]bool {
	var labels map[string]bool
	addHost := func(host string) {
		host = strings.TrimRight(host, ".-")
		parts := strings.Split(host, ".")
		if len(parts) < 2 {
			return
		}
		parts = parts[:len(parts)-1] // the top-level domain
		if len(parts) >= 2 && secondLevel[parts[len(parts)-1]] {
			parts = parts[:len(parts)-1]
		}
		l := parts[len(parts)-1]
		if len(l) < 3 || webmail[l] || l == "www" {
			return
		}
		if labels == nil {
			labels = map[string]bool{}
		}
		labels[l] = true
	}
	hostAt := func(p int) string {
		e := p
		for e < len(lower) && (isASCIIAlnum(lower[e]) || lower[e] == '.' || lower[e] == '-') {
			e++
		}
		return lower[p:e]
	}
	for off := 0; ; {
		k := strings.IndexByte(lower[off:], '@')
		if k < 0 {
			break
		}
		p := off + k + 1
		addHost(hostAt(p))
		off = p
	}
	for _, lead := range [...]string{"www.", "://"} {
		for off := 0; ; {
			k := strings.Index(lower[off:], lead)
			if k < 0 {
				break
			}
			p := off + k + len(lead)
			addHost(hostAt(p))
			off = p
		}
	}
	return labels
}

// detectDomainNames finds capitalised names (one word, or up to four
// capitalised words run together, not starting with a given name) equal
// to a domain label of the text.
func detectDomainNames(text, lower string, toks []token, add func(start, end int, typ string, prio int)) {
	if strings.IndexByte(text, '@') < 0 && !strings.Contains(lower, "www.") && !strings.Contains(lower, "://") {
		return
	}
	labels := domainLabels(text, lower)
	if labels == nil {
		return
	}
	for i, t := range toks {
		if t.kind != tokWord && t.kind != tokAlnum || !t.cap && !t.allCaps {
			continue
		}
		if i > 0 && !t.spBefore && (toks[i-1].text == "@" || toks[i-1].text == ".") {
			continue // inside an address
		}
		_, low := coreOf(t)
		joined := strings.ReplaceAll(low, "-", "")
		end := t.start + len(low)
		if labels[low] || labels[joined] {
			add(t.start, end, TypeOrg, prioOrg+1)
			continue
		}
		if givenNames[low] {
			continue
		}
		for j := i + 1; j < len(toks) && j < i+4 && toks[j].nlBefore == 0 && (toks[j].kind == tokWord && toks[j].cap || toks[j].kind == tokAlnum); j++ {
			_, lj := coreOf(toks[j])
			joined += strings.ReplaceAll(lj, "-", "")
			if labels[joined] {
				add(t.start, toks[j].start+len(lj), TypeOrg, prioOrg+1)
				break
			}
		}
	}
}

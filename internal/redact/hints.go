package redact

import (
	"strings"
	"unicode"
)

// detectHints finds the hinted values and their derived forms.
func detectHints(text string, h Hints, add func(start, end int, typ string, prio int)) {
	idx := hintIndex(h)
	for _, s := range idx.find(text, nil) {
		add(s.start, s.end, s.typ, prioHint)
	}
}

// hintIndex expands hints into matchable forms: full values
// case-insensitively; "Last, First" also as "First Last"; name parts, the
// name parts of an e-mail's local part and an e-mail domain's organisation
// only when capitalised in the text.
func hintIndex(h Hints) *valueIndex {
	x := newValueIndex()
	full := func(v, typ string) {
		v = strings.TrimSpace(v)
		if len([]rune(v)) >= 2 {
			x.add(v, typ, true, false)
		}
	}
	part := func(v, typ string) {
		v = strings.Trim(v, " .,;:'\"()<>")
		if len([]rune(v)) < 3 || isCommonWord(strings.ToLower(v)) || isHonorific(strings.ToLower(v)) {
			return
		}
		for _, r := range v {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' {
				return
			}
		}
		x.add(v, typ, true, true)
	}
	for _, p := range h.People {
		p = strings.Join(strings.Fields(p), " ")
		full(p, TypePerson)
		if last, first, ok := strings.Cut(p, ","); ok {
			first, last = strings.TrimSpace(first), strings.TrimSpace(last)
			full(first+" "+last, TypePerson)
			if fs := strings.Fields(first); len(fs) > 1 {
				full(fs[0]+" "+last, TypePerson)
			}
		}
		for _, w := range strings.FieldsFunc(p, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '"' }) {
			part(w, TypePerson)
		}
	}
	for _, o := range h.Orgs {
		o = strings.Join(strings.Fields(o), " ")
		full(o, TypeOrg)
		ws := strings.Fields(o)
		if len(ws) > 1 && isOrgSuffix(strings.ToLower(strings.TrimSuffix(ws[len(ws)-1], "."))) {
			full(strings.Join(ws[:len(ws)-1], " "), TypeOrg)
		}
	}
	for _, e := range h.Emails {
		e = strings.TrimSpace(e)
		full(e, TypeEmail)
		local, domain, ok := strings.Cut(e, "@")
		if !ok {
			continue
		}
		for _, w := range strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) }) {
			part(capitalise(w), TypePerson)
		}
		labels := strings.Split(strings.ToLower(domain), ".")
		if len(labels) >= 2 {
			org := labels[len(labels)-2]
			if !freeMail[org] && len(org) >= 3 {
				part(capitalise(org), TypeOrg)
			}
		}
	}
	for _, p := range h.Phones {
		full(p, TypePhone)
	}
	for _, a := range h.Addresses {
		full(a, TypeAddress)
	}
	for _, o := range h.Other {
		full(o, TypeID)
	}
	return x
}

func capitalise(w string) string {
	for i, r := range w {
		return string(unicode.ToUpper(r)) + w[i+len(string(r)):]
	}
	return w
}

var freeMail = map[string]bool{
	"gmail": true, "googlemail": true, "yahoo": true, "hotmail": true, "outlook": true, "live": true,
	"msn": true, "aol": true, "icloud": true, "me": true, "mac": true, "mail": true, "gmx": true,
	"web": true, "protonmail": true, "proton": true, "fastmail": true, "zoho": true, "yandex": true,
	"qq": true, "example": true, "co": true, "com": true, "org": true, "net": true, "ac": true,
}

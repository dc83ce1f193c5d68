// Package redact finds personal information in text and replaces it with
// reversible pseudonyms, so that text can leave the device and the answer
// can be put back together locally.
//
// It is pure: no network, no store, no logging. Detect finds spans (e-mail
// addresses, phone numbers, payment cards, IBANs, national ids, IP
// addresses, URLs that carry tokens or personal paths, postal addresses,
// dates of birth, people and organisations). Redact replaces every detected
// value, everywhere it occurs, by a token such as <PERSON_4821>; the numbers
// are random per Map, so the same person gets the same token within one
// call and an unrelated one in the next. Token-like text already in the
// input is escaped the same way, so that Map.Restore(Redact(x)) == x.
//
// Offsets in Span are Unicode code points of the input, end exclusive.
package redact

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Types of span. PAM's own names; the evaluation maps other taxonomies to
// these.
const (
	TypePerson  = "PERSON"
	TypeOrg     = "ORG"
	TypeEmail   = "EMAIL"
	TypePhone   = "PHONE"
	TypeCard    = "CARD"
	TypeIBAN    = "IBAN"
	TypeID      = "ID" // national ids: US SSN, UK NINO, numbers labelled as passport/licence/id
	TypeIP      = "IP"
	TypeURL     = "URL"
	TypeAddress = "ADDRESS"
	TypeDOB     = "DOB"
	// TypeToken marks token-like text that was already in the input
	// ("<PERSON_1>"); Redact escapes it, Detect does not report it.
	TypeToken = "TOKEN"
)

// Span is one detected value. Start and End are Unicode code point offsets
// into the text that was scanned, End exclusive; Value is the text between.
type Span struct {
	Start, End int
	Type       string
	Value      string
}

// Hints are values known to be personal, from the message's own headers and
// signature, the user's contacts and the store. They are matched wherever
// they occur, case-insensitively; parts of a person's name ("Sarah" of
// "Sarah Connor") and the name parts of an e-mail address's local part
// ("kay.mann@") are matched when capitalised.
type Hints struct {
	People    []string // display names, "Last, First" accepted
	Orgs      []string
	Emails    []string
	Phones    []string
	Addresses []string
	Other     []string // any other known value (account numbers, ...), redacted as ID
}

// bspan is a span in byte offsets, used inside the package.
type bspan struct {
	start, end int
	typ        string
	prio       int
}

// Detect returns the personal values in text, sorted by position and not
// overlapping. Every occurrence of a detected value is reported, not only
// the one whose context gave it away.
func Detect(text string, h Hints) []Span {
	spans := resolve(text, detect(text, h), false)
	return toRuneSpans(text, spans)
}

// Redact replaces every detected value in text by its token from m, adding
// new tokens to m, and returns the redacted text with the spans (offsets into
// text, in code points). Token-like text already present in text is replaced
// by a TOKEN pseudonym, so Restore gives text back exactly. m must not be nil;
// use one Map per call to a model (a thread is one call) and keep it local.
func Redact(text string, h Hints, m *Map) (string, []Span) {
	cands := detect(text, h)
	for _, t := range findTokens(text) {
		cands = append(cands, bspan{t.start, t.end, TypeToken, prioToken})
	}
	spans := resolve(text, cands, true)
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.start])
		b.WriteString(m.token(s.typ, text[s.start:s.end]))
		last = s.end
	}
	b.WriteString(text[last:])
	for _, u := range findURLs(text) {
		m.urls[text[u.start:u.end]] = true
	}
	out := toRuneSpans(text, spans)
	// Escaped literals are not personal values; report only what was found.
	kept := out[:0]
	for _, s := range out {
		if s.Type != TypeToken {
			kept = append(kept, s)
		}
	}
	return b.String(), kept
}

// resolve picks non-overlapping spans from the candidates (by priority, then
// length), adds every other occurrence of each picked value, and, when
// forRedact, widens spans inside URLs to the whole URL so that no token ends
// up where Restore would refuse to put it back. It loops until stable.
func resolve(text string, cands []bspan, forRedact bool) []bspan {
	spans := pick(text, cands)
	for iter := 0; iter < 8; iter++ {
		changed := false
		if extra := propagate(text, spans); len(extra) > 0 {
			spans = pick(text, append(spans, extra...))
			changed = true
		}
		if forRedact {
			if merged, ok := mergeURLContext(text, spans); ok {
				spans = merged
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return unifyNameTypes(text, coordinateTypes(text, mergeAddresses(text, spans)))
}

// unifyNameTypes gives one type to one name within a text: a name that the
// text patterns found as an organisation somewhere ("joined Dunmore") is an
// organisation everywhere, also where it stood without a cue and was taken
// for a person. Names typed by an honorific or a hint keep their type.
func unifyNameTypes(text string, spans []bspan) []bspan {
	var orgs map[string]bool
	for _, s := range spans {
		if s.typ == TypeOrg && s.prio <= prioOrg {
			if orgs == nil {
				orgs = make(map[string]bool)
			}
			orgs[text[s.start:s.end]] = true
		}
	}
	if orgs == nil {
		return spans
	}
	for i, s := range spans {
		if s.typ == TypePerson && (s.prio == prioPerson || s.prio == prioPropagated) && orgs[text[s.start:s.end]] {
			spans[i].typ = TypeOrg
		}
	}
	return spans
}

// pick chooses non-overlapping spans: higher priority first, then longer.
// The result is sorted by start.
func pick(text string, cands []bspan) []bspan {
	slices.SortStableFunc(cands, func(a, b bspan) int {
		if a.prio != b.prio {
			return cmp.Compare(b.prio, a.prio)
		}
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return cmp.Compare(lb, la)
		}
		return cmp.Compare(a.start, b.start)
	})
	used := make([]bool, len(text))
	var out []bspan
	var dropped []bspan
	for _, c := range cands {
		if c.start < 0 || c.end > len(text) || c.start >= c.end {
			continue
		}
		free := true
		for k := c.start; k < c.end; k++ {
			if used[k] {
				free = false
				break
			}
		}
		if !free {
			if (c.typ == TypeOrg || c.typ == TypePerson) && c.prio < prioHint {
				dropped = append(dropped, c)
			}
			continue
		}
		for k := c.start; k < c.end; k++ {
			used[k] = true
		}
		out = append(out, c)
	}
	out = widenHints(out, dropped)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// widenHints lets a name found by the text patterns replace the hinted
// names it strictly contains and nothing else: "Quorbis Compression Services"
// rather than the hint "Quorbis" with "Compression Services" left visible.
func widenHints(out, dropped []bspan) []bspan {
	if len(dropped) == 0 {
		return out
	}
	// owner[k] is 1 + the index in out of the span covering byte k (the
	// spans do not overlap), so a candidate looks only at its own bytes,
	// not at every span of the text. Replaced spans are marked removed
	// and dropped at the end (pick sorts the result by start).
	n := 0
	for _, o := range out {
		n = max(n, o.end)
	}
	for _, c := range dropped {
		n = max(n, c.end)
	}
	owner := make([]int32, n)
	for i, o := range out {
		for k := o.start; k < o.end; k++ {
			owner[k] = int32(i + 1)
		}
	}
	removed := make([]bool, len(out))
	widened := false
	var inside []int
	for _, c := range dropped {
		inside = inside[:0]
		ok := true
		last := -1
		for k := c.start; k < c.end; k++ {
			i := int(owner[k]) - 1
			if i < 0 || i == last {
				continue
			}
			last = i
			o := out[i]
			if o.start < c.start || o.end > c.end || o.prio != prioHint || o.typ != TypeOrg && o.typ != TypePerson {
				ok = false
				break
			}
			inside = append(inside, i)
		}
		if !ok || len(inside) == 0 {
			continue
		}
		if one := out[inside[0]]; len(inside) == 1 && one.start == c.start && one.end == c.end {
			continue
		}
		for _, i := range inside {
			removed[i] = true
		}
		out = append(out, c)
		removed = append(removed, false)
		for k := c.start; k < c.end; k++ {
			owner[k] = int32(len(out))
		}
		widened = true
	}
	if !widened {
		return out
	}
	kept := out[:0]
	for i, o := range out {
		if !removed[i] {
			kept = append(kept, o)
		}
	}
	return kept
}

func overlapsAny(sorted []bspan, c bspan) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].end > c.start })
	return i < len(sorted) && sorted[i].start < c.end
}

// propagate finds occurrences of picked values that are not yet covered,
// at word boundaries (a span edge counts as a boundary, because in the
// redacted text a token stands there).
func propagate(text string, spans []bspan) []bspan {
	vals := map[string]string{}
	for _, s := range spans {
		if s.typ == TypeToken {
			continue
		}
		v := text[s.start:s.end]
		if _, ok := vals[v]; !ok {
			vals[v] = s.typ
		}
	}
	if len(vals) == 0 {
		return nil
	}
	idx := newValueIndex()
	for v, t := range vals {
		idx.add(v, t, false, false)
	}
	edges := map[int]bool{}
	for _, s := range spans {
		edges[s.start] = true
		edges[s.end] = true
	}
	var extra []bspan
	for _, c := range idx.find(text, edges) {
		if !overlapsAny(spans, c) {
			c.prio = prioPropagated
			extra = append(extra, c)
		}
	}
	return extra
}

// mergeURLContext widens every span that sits inside a URL (after a URL start
// in the same whitespace-free chunk) to cover that URL, typed URL.
func mergeURLContext(text string, spans []bspan) ([]bspan, bool) {
	starts := urlContext(text, spans)
	changed := false
	out := make([]bspan, 0, len(spans))
	for i, s := range spans {
		us := starts[i]
		if us < 0 {
			out = append(out, s)
			continue
		}
		end := urlEnd(text, us)
		if end < s.end {
			end = s.end
		}
		out = append(out, bspan{start: min(us, s.start), end: end, typ: TypeURL, prio: prioURL})
		changed = true
	}
	if !changed {
		return spans, false
	}
	// Union overlapping spans; a union containing a URL is a URL.
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:0:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			last := &merged[n-1]
			if s.end > last.end {
				last.end = s.end
			}
			if s.typ == TypeURL || last.typ == TypeURL {
				last.typ, last.prio = TypeURL, prioURL
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged, true
}

// urlContext returns, for each span, the byte offset of the first URL start
// in the whitespace-free chunk of the redacted text before the span, or -1.
// In the redacted text each span is a token: no whitespace, no URL start,
// and its '<' and '>' are not letters or digits. spans are sorted and do
// not overlap.
func urlContext(text string, spans []bspan) []int {
	res := make([]int, len(spans))
	if !mayHaveURL(text) {
		for i := range res {
			res[i] = -1
		}
		return res
	}
	chunkURL := -1
	pos := 0
	for i := 0; i <= len(spans); i++ {
		end := len(text)
		if i < len(spans) {
			end = spans[i].start
		}
		// The piece text[pos:end] lies outside spans.
		pieceStart := pos
		for p := pos; p < end; {
			c := text[p]
			if c < utf8.RuneSelf {
				switch {
				case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
					chunkURL = -1
				case chunkURL < 0 && urlStartsAt(text, p, pieceStart, end):
					chunkURL = p
					if c == ':' { // "://": the start is the scheme's
						q := p
						for q > pieceStart && isSchemeChar(text[q-1]) {
							q--
						}
						chunkURL = q
					}
				}
				p++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[p:])
			if isSpace(r) {
				chunkURL = -1
			}
			p += size
		}
		if i < len(spans) {
			res[i] = chunkURL
			pos = spans[i].end
		}
	}
	return res
}

// urlStartsAt reports whether a URL start is recognised at p within the
// piece [pieceStart, end): "://" after a scheme character, or "www." or
// "mailto:" not after a letter or digit.
func urlStartsAt(text string, p, pieceStart, end int) bool {
	switch text[p] {
	case ':':
		return p+3 <= end && text[p+1] == '/' && text[p+2] == '/' && p > pieceStart && isSchemeChar(text[p-1])
	case 'w', 'W':
		return p+4 <= end && (p == pieceStart || !isASCIIAlnum(text[p-1])) && indexFold(text[p:p+4], "www.") == 0
	case 'm', 'M':
		return p+7 <= end && (p == pieceStart || !isASCIIAlnum(text[p-1])) && indexFold(text[p:p+7], "mailto:") == 0
	}
	return false
}

func toRuneSpans(text string, spans []bspan) []Span {
	out := make([]Span, 0, len(spans))
	ri, bi := 0, 0
	adv := func(to int) {
		for bi < to {
			_, size := utf8.DecodeRuneInString(text[bi:])
			bi += size
			ri++
		}
	}
	for _, s := range spans {
		adv(s.start)
		st := ri
		adv(s.end)
		out = append(out, Span{Start: st, End: ri, Type: s.typ, Value: text[s.start:s.end]})
	}
	return out
}

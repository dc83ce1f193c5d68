package redact

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode"
)

// maxTokenNumber bounds the random numbers in tokens. They are drawn
// uniformly from [1, maxTokenNumber] so that the same value gets unrelated
// tokens in two Maps.
const maxTokenNumber = 99999

// Map is the pseudonym table of one call: value <-> token. It is kept on the
// device and never serialised into a request. A Map is not safe for
// concurrent use.
type Map struct {
	byValue map[string]string // typ + "\x00" + value -> token key ("PERSON_4821")
	byKey   map[string]string // token key -> value
	urls    map[string]bool   // URLs seen in the inputs
}

// NewMap returns an empty Map whose token numbers are drawn from crypto/rand.
func NewMap() *Map {
	return &Map{byValue: map[string]string{}, byKey: map[string]string{}, urls: map[string]bool{}}
}

// Len returns the number of distinct values in the map.
func (m *Map) Len() int { return len(m.byKey) }

// Value returns the real value behind a token ("<PERSON_12>" or
// "PERSON_12", any case), and whether the token is known.
func (m *Map) Value(token string) (string, bool) {
	k := strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(token, "<"), ">"))
	v, ok := m.byKey[k]
	return v, ok
}

// token returns the token for value of type typ, creating it if needed.
// Values are kept exactly (case and spacing), so Restore is exact.
func (m *Map) token(typ, value string) string {
	vk := typ + "\x00" + value
	if k, ok := m.byValue[vk]; ok {
		return "<" + k + ">"
	}
	var k string
	for {
		k = typ + "_" + strconv.Itoa(randomNumber())
		if _, used := m.byKey[k]; !used {
			break
		}
	}
	m.byValue[vk] = k
	m.byKey[k] = value
	return "<" + k + ">"
}

func randomNumber() int {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand.Read does not fail on supported platforms.
		panic("redact: crypto/rand: " + err.Error())
	}
	return int(binary.LittleEndian.Uint64(b[:])%maxTokenNumber) + 1
}

// Restore puts the real values back into a model's answer. Tokens are found
// whatever their case ("<person_12>") and with a possessive inside the
// brackets ("<PERSON_12's>"); a possessive after the token needs nothing.
// Tokens inside a URL are left as they are, so a link can never carry a
// value out. flaggedURLs lists the URLs in the answer that were not in any
// input redacted with m; the caller shows them to the user as suspect.
func (m *Map) Restore(answer string) (restored string, flaggedURLs []string) {
	for _, u := range findURLs(answer) {
		if v := answer[u.start:u.end]; !m.urls[v] {
			flaggedURLs = append(flaggedURLs, v)
		}
	}
	toks := findTokens(answer)
	if len(toks) == 0 {
		return answer, flaggedURLs
	}
	asSpans := make([]bspan, len(toks))
	for i, t := range toks {
		asSpans[i] = bspan{start: t.start, end: t.end}
	}
	inURL := urlContext(answer, asSpans)
	var b strings.Builder
	b.Grow(len(answer))
	last := 0
	for i, t := range toks {
		v, ok := m.byKey[t.key]
		if !ok || inURL[i] >= 0 {
			continue
		}
		b.WriteString(answer[last:t.start])
		b.WriteString(v)
		b.WriteString(t.possessive)
		last = t.end
	}
	b.WriteString(answer[last:])
	return b.String(), flaggedURLs
}

// tokenMatch is one token-like substring: "<" NAME "_" DIGITS [possessive] ">".
type tokenMatch struct {
	start, end int
	key        string // upper-cased NAME_DIGITS
	possessive string // "'s" or "’s" if written inside the brackets
}

// findTokens finds token-like text: '<', letters/digits/underscores with a
// final "_" and 1-9 digits, an optional possessive, '>'. Case-insensitive.
// Redact escapes exactly what this finds, and Restore replaces exactly
// this, which is what makes Restore(Redact(x)) == x.
func findTokens(s string) []tokenMatch {
	var out []tokenMatch
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		st := i + j
		if t, ok := tokenAt(s, st); ok {
			out = append(out, t)
			i = t.end
			continue
		}
		i = st + 1
	}
	return out
}

func tokenAt(s string, st int) (tokenMatch, bool) {
	i := st + 1
	nameStart := i
	for i < len(s) && (isASCIIAlnum(s[i]) || s[i] == '_') {
		i++
	}
	body := s[nameStart:i]
	u := strings.LastIndexByte(body, '_')
	if u <= 0 || !isASCIILetter(body[0]) {
		return tokenMatch{}, false
	}
	digits := body[u+1:]
	if len(digits) == 0 || len(digits) > 9 {
		return tokenMatch{}, false
	}
	for k := 0; k < len(digits); k++ {
		if digits[k] < '0' || digits[k] > '9' {
			return tokenMatch{}, false
		}
	}
	poss := ""
	switch {
	case strings.HasPrefix(s[i:], "'s>") || strings.HasPrefix(s[i:], "'S>"):
		poss = s[i : i+2]
		i += 2
	case strings.HasPrefix(s[i:], "’s>") || strings.HasPrefix(s[i:], "’S>"):
		poss = s[i : i+len("’s")]
		i += len("’s")
	}
	if i >= len(s) || s[i] != '>' {
		return tokenMatch{}, false
	}
	return tokenMatch{start: st, end: i + 1, key: strings.ToUpper(body), possessive: poss}, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isASCIIAlnum(c byte) bool  { return isASCIILetter(c) || isASCIIDigit(c) }
func isSpace(r rune) bool       { return unicode.IsSpace(r) }

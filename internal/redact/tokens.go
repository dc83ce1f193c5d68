package redact

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokWord  tokKind = iota // letters, with inner ' ’ or -
	tokNum                  // digits
	tokAlnum                // letters and digits mixed
	tokPunct                // one other character
)

type token struct {
	start, end int
	kind       tokKind
	text       string
	lower      string
	cap        bool // first letter upper case
	allCaps    bool // every letter upper case (and more than one letter)
	nlBefore   int  // newlines between the previous token and this one
	spBefore   bool // any whitespace before this token
}

// maxTokens is an upper bound of the tokens tokenize makes of text (a
// token starts at an ASCII punctuation byte, at an ASCII letter or digit
// after something else, or at a non-ASCII byte), so the token slice is
// allocated once: growing it was a fifth of tokenize's time.
func maxTokens(text string) int {
	n, prevAlnum := 0, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= utf8.RuneSelf: // a rune's first byte, or a stray byte that is a token of its own
			n++
			prevAlnum = false
		case isASCIIAlnum(c):
			if !prevAlnum {
				n++
			}
			prevAlnum = true
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			prevAlnum = false
		default:
			n++
			prevAlnum = false
		}
	}
	return n + 1
}

// tokenize splits text into words, numbers and punctuation.
func tokenize(text string) []token {
	return tokenizeInto(nil, text)
}

// tokPool keeps token slices between calls of candidates: a fresh slice
// of maxTokens capacity is a large allocation that the runtime zeroes
// whole, which cost about 8% of Redact over long threads.
var tokPool = sync.Pool{New: func() any { return new([]token) }}

// tokenizeInto is tokenize appending to buf[:0], which it reuses when it
// is large enough.
func tokenizeInto(buf []token, text string) []token {
	toks := buf[:0]
	if n := maxTokens(text); cap(toks) < n {
		toks = make([]token, 0, n)
	}
	nl, sp := 0, false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				nl++
				sp = true
				i++
				continue
			case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				sp = true
				i++
				continue
			case isASCIIAlnum(c):
				toks = append(toks, wordToken(text, i, nl, sp))
				i = toks[len(toks)-1].end
				nl, sp = 0, false
				continue
			default:
				toks = append(toks, token{start: i, end: i + 1, kind: tokPunct, text: text[i : i+1], lower: text[i : i+1], nlBefore: nl, spBefore: sp})
				i++
				nl, sp = 0, false
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			if r == '\u2028' || r == '\u2029' || r == '\u0085' {
				nl++
			}
			sp = true
			i += size
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			toks = append(toks, wordToken(text, i, nl, sp))
			i = toks[len(toks)-1].end
			nl, sp = 0, false
		default:
			toks = append(toks, token{start: i, end: i + size, kind: tokPunct, text: text[i : i+size], lower: text[i : i+size], nlBefore: nl, spBefore: sp})
			i += size
			nl, sp = 0, false
		}
	}
	return toks
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func wordToken(text string, i, nl int, sp bool) token {
	j := i
	letters, digits, upper := 0, 0, 0
	first := true
	t := token{start: i, nlBefore: nl, spBefore: sp}
	ascii := true
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			if r >= utf8.RuneSelf {
				ascii = false
			}
			if unicode.IsDigit(r) {
				digits++
			} else {
				letters++
				if unicode.IsUpper(r) {
					upper++
					if first {
						t.cap = true
					}
				}
				first = false
			}
			j += size
			continue
		}
		// Inner apostrophe or hyphen between letters: O'Brien, Jean-Luc.
		if (r == '\'' || r == '’' || r == '-') && letters > 0 && digits == 0 && j+size < len(text) {
			r2, _ := utf8.DecodeRuneInString(text[j+size:])
			if unicode.IsLetter(r2) {
				j += size
				continue
			}
		}
		break
	}
	t.end = j
	t.text = text[i:j]
	switch {
	case letters == 0:
		t.kind = tokNum
	case digits == 0:
		t.kind = tokWord
	default:
		t.kind = tokAlnum
	}
	t.allCaps = letters > 1 && upper == letters
	if ascii {
		if upper > 0 {
			t.lower = asciiLower(t.text)
		} else {
			t.lower = t.text
		}
	} else {
		t.lower = strings.ToLower(t.text)
	}
	return t
}

// --- known values -----------------------------------------------------------

// valueIndex finds occurrences of known values, keyed by the value's first
// run of letters and digits.
type valueIndex struct {
	byKey   map[string][]indexEntry
	anyFold bool // some entry matches case-insensitively (keys are then lower-cased)
}

type indexEntry struct {
	value   string
	typ     string
	off     int  // byte offset of the key run inside value
	fold    bool // match case-insensitively
	needCap bool // the match must start with an upper-case letter
}

func newValueIndex() *valueIndex { return &valueIndex{byKey: map[string][]indexEntry{}} }

func (x *valueIndex) add(value, typ string, fold, needCap bool) {
	st, e := nextRun(value, 0)
	if st < 0 {
		return
	}
	key := value[st:e]
	if fold {
		key = strings.ToLower(key)
		x.anyFold = true
	}
	for _, old := range x.byKey[key] {
		if old.value == value && old.fold == fold {
			return
		}
	}
	x.byKey[key] = append(x.byKey[key], indexEntry{value: value, typ: typ, off: st, fold: fold, needCap: needCap})
}

// nextRun returns the next maximal run of letters and digits at or after i.
func nextRun(s string, i int) (int, int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: a byte test, no decoding
			if isASCIIAlnum(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			break
		}
		i += size
	}
	if i >= len(s) {
		return -1, -1
	}
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !isASCIIAlnum(c) {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += size
	}
	return i, j
}

// find returns the occurrences of indexed values in text that start and end
// at word boundaries; positions in edges count as boundaries.
func (x *valueIndex) find(text string, edges map[int]bool) []bspan {
	if len(x.byKey) == 0 {
		return nil
	}
	var out []bspan
	var lowerBuf []byte
	for i := 0; ; {
		st, e := nextRun(text, i)
		if st < 0 {
			break
		}
		i = e
		run := text[st:e]
		ents := x.byKey[run]
		if x.anyFold {
			lowerBuf = appendLower(lowerBuf[:0], run)
			if string(lowerBuf) != run {
				if more := x.byKey[string(lowerBuf)]; len(more) > 0 {
					ents = append(ents[:len(ents):len(ents)], more...)
				}
			}
		}
		for _, en := range ents {
			vs := st - en.off
			ve := vs + len(en.value)
			if vs < 0 || ve > len(text) {
				continue
			}
			got := text[vs:ve]
			if en.fold {
				if !strings.EqualFold(got, en.value) {
					continue
				}
			} else if got != en.value {
				continue
			}
			if en.needCap {
				r, _ := utf8.DecodeRuneInString(got)
				if !unicode.IsUpper(r) {
					continue
				}
			}
			if !boundary(text, vs, true, edges) || !boundary(text, ve, false, edges) {
				continue
			}
			out = append(out, bspan{start: vs, end: ve, typ: en.typ})
		}
	}
	return out
}

func appendLower(b []byte, s string) []byte {
	for _, r := range s {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// boundary reports whether pos is a word boundary on the given side of a
// match: the characters on both sides are not both word characters.
func boundary(text string, pos int, isStart bool, edges map[int]bool) bool {
	if pos <= 0 || pos >= len(text) || edges[pos] {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(text[:pos])
	after, _ := utf8.DecodeRuneInString(text[pos:])
	return !(isWordRune(before) && isWordRune(after))
}

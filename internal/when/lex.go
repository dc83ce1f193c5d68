package when

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok is one token: a run of letters, a run of digits, or one other
// character. Letters are lower-cased.
type tok struct {
	s          string
	start, end int    // byte offsets in the original text
	num        bool   // a run of ASCII digits
	n          int    // its value, capped at 1e9
	sp         bool   // whitespace (or the start of text) before it
	upper      bool   // first letter was upper case
	cls        uint32 // word classes (class.go) of a word
}

const maxTokens = 400

func lex(text string) []tok { return lexInto(nil, text) }

// lexInto is lex appending to out (a recycled buffer).
func lexInto(out []tok, text string) []tok {
	sp := true
	for i := 0; i < len(text) && len(out) < maxTokens; {
		if c := text[i]; c < utf8.RuneSelf && !isASCIIDigit(c) {
			// ASCII other than digits, without decoding a rune: what
			// the cases below do for it (unicode.IsSpace and
			// unicode.IsLetter of an ASCII byte are these tests).
			switch {
			case c == ' ' || c >= '\t' && c <= '\r':
				sp = true
				i++
			case isASCIILetter(c):
				j := i + 1
				for j < len(text) {
					if c2 := text[j]; c2 < utf8.RuneSelf {
						if !isASCIILetter(c2) {
							break
						}
						j++
						continue
					}
					r2, s2 := utf8.DecodeRuneInString(text[j:])
					if !unicode.IsLetter(r2) {
						break
					}
					j += s2
				}
				w := strings.ToLower(text[i:j])
				out = append(out, tok{s: w, start: i, end: j, sp: sp, upper: c >= 'A' && c <= 'Z', cls: wordClass(w)})
				sp = false
				i = j
			default:
				s := text[i : i+1]
				if c == '`' {
					s = "'"
				}
				out = append(out, tok{s: s, start: i, end: i + 1, sp: sp})
				sp = false
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r) || r == '\u00a0':
			sp = true
			i += size
		case r >= '0' && r <= '9':
			j := i
			n := 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if n < 1e9 {
					n = n*10 + int(text[j]-'0')
				}
				j++
			}
			out = append(out, tok{s: text[i:j], start: i, end: j, num: true, n: n, sp: sp})
			sp = false
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += s2
			}
			w := strings.ToLower(text[i:j])
			out = append(out, tok{s: w, start: i, end: j, sp: sp, upper: unicode.IsUpper(r), cls: wordClass(w)})
			sp = false
			i = j
		default:
			s := string(r)
			switch r {
			case '\u2013', '\u2014', '\u2012', '\u2212', '\u2010', '\u2011':
				s = "-"
			case '\u2019', '\u2018', '`':
				s = "'"
			case '\u201c', '\u201d':
				s = "\""
			}
			out = append(out, tok{s: s, start: i, end: i + size, sp: sp})
			sp = false
			i += size
		}
	}
	return out
}

var smallNumbers = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tens = map[string]int{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

var months = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// weekdays maps names to time.Weekday numbers (Sunday = 0).
var weekdays = map[string]int{
	"sunday": 0, "sun": 0, "monday": 1, "mon": 1, "tuesday": 2, "tue": 2,
	"tues": 2, "wednesday": 3, "wed": 3, "weds": 3, "thursday": 4, "thu": 4,
	"thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
}

// pluralWeekdays maps "fridays" and the like.
var pluralWeekdays = map[string]int{
	"sundays": 0, "mondays": 1, "tuesdays": 2, "wednesdays": 3,
	"thursdays": 4, "fridays": 5, "saturdays": 6,
}

func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

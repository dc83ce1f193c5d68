package llm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Sanitize makes untrusted text safe to quote and to redact: NFKC
// normalisation (full-width and other compatibility forms become plain
// letters), invisible format characters removed (zero-width spaces and
// joiners, word joiner, BOM, soft hyphen, bidi embeddings, overrides and
// isolates, tag characters), other control characters but tab and newline
// removed, and common Cyrillic and Greek look-alikes of Latin letters
// folded to Latin when they stand in a word with Latin letters (so that
// "Pаypal" with a Cyrillic a is seen, and redacted, as "Paypal").
// Sanitize is idempotent.
func Sanitize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r == '\r':
			return '\n'
		case isInvisible(r):
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = foldMixedScript(s)
	// NFKC again: removal can join characters into new compositions.
	return norm.NFKC.String(s)
}

func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, // zero-width space/non-joiner/joiner, LRM, RLM
		r >= 0x202A && r <= 0x202E, // bidi embeddings and overrides
		r >= 0x2060 && r <= 0x206F, // word joiner, invisible operators, bidi isolates
		r == 0xFEFF, r == 0x00AD, r == 0x034F, r == 0x061C, r == 0x180E,
		r >= 0xE0000 && r <= 0xE007F, // tag characters
		r >= 0xFE00 && r <= 0xFE0F:   // variation selectors
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// confusable maps common Cyrillic and Greek look-alikes to Latin.
var confusable = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'α': 'a', 'ο': 'o', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'ι': 'i', 'κ': 'k',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// foldMixedScript folds look-alikes inside words that also contain Latin
// letters; words wholly in Cyrillic or Greek are left alone.
func foldMixedScript(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := -1
	flush := func(word string) {
		latin, other := false, false
		for _, r := range word {
			if r < 0x250 && unicode.IsLetter(r) {
				latin = true
			} else if _, ok := confusable[r]; ok {
				other = true
			}
		}
		if latin && other {
			for _, r := range word {
				if l, ok := confusable[r]; ok {
					r = l
				}
				b.WriteRune(r)
			}
			return
		}
		b.WriteString(word)
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '@' || r == '-' || r == '_'
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			flush(s[start:i])
			start = -1
		}
		if !word {
			b.WriteRune(r)
		}
	}
	if start >= 0 {
		flush(s[start:])
	}
	return b.String()
}

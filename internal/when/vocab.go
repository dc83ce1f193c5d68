package when

import (
	"embed"
	"go/scanner"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"sync"
)

// The parser only ever matches a word token against a word written in this
// package's source (a pattern, an alternative, a map key), or such a word
// with "s" or "ish" appended (holiday.go, atoms2.go). So a word that
// appears in no string literal here cannot start an expression, and Find
// skips it without running the parser — most words of a sentence. The
// vocabulary is read from the package's own embedded source at first use,
// so it can never fall out of step with the patterns; a test checks on the
// shared corpora that Find gives the same results with and without the
// shortcut.

//go:embed *.go
var sources embed.FS

var (
	vocabOnce sync.Once
	vocab     map[string]bool
)

func loadVocab() map[string]bool {
	vocabOnce.Do(func() {
		v := map[string]bool{}
		fs.WalkDir(sources, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := sources.ReadFile(path)
			if err != nil {
				return err
			}
			fset := token.NewFileSet()
			f := fset.AddFile(path, -1, len(src))
			var s scanner.Scanner
			s.Init(f, src, nil, 0)
			for {
				_, tk, lit := s.Scan()
				if tk == token.EOF {
					break
				}
				if tk != token.STRING && tk != token.CHAR {
					continue
				}
				str, err := strconv.Unquote(lit)
				if err != nil {
					continue
				}
				for _, t := range lex(str) {
					if isLetter(t.s) {
						// The parser also accepts a pattern word with a
						// plural or possessive s ("Valentines") and with
						// "ish" ("morningish").
						v[t.s], v[t.s+"s"], v[t.s+"ish"] = true, true, true
					}
				}
			}
			return nil
		})
		vocab = v
	})
	return vocab
}

// inVocab reports whether the word token i could be matched by a pattern.
func (p *parser) inVocab(i int) bool {
	t := p.toks[i]
	return t.num || !isLetter(t.s) || loadVocab()[t.s]
}

var (
	exprFirstOnce sync.Once
	exprFirstSet  map[string]bool
)

// exprFirst is the set of words an expression can start with; numbers and
// tokens that are not words are not in it (find tries every number, and
// canStart refuses the others). expr(i) is the longest of special, single
// (compound), rangeExpr, openExpr and byExpr at i, and each of those starts
// with a word of its own patterns or with a compound, which starts with
// an atom or with a connector that skipConnectors passes over. So the set
// is the union of
//   - each atom's first words: the guards atomRelDay, atomCycle, atomDow,
//     atomMonthDate, atomTod, atomDuration and atomNamedHoliday test, and
//     the first words of the patterns of the other atoms (their optional
//     first elements included);
//   - the connectors compound skips (those mapped to true, and "some" of
//     "some time");
//   - the first words of special, rangeExpr, openExpr and byExpr.
//
// A word outside it reaches none of these, and find skips it (most of the
// vocabulary's words: "to", "and", "you"... occur in patterns, but never
// first). A test compares find with and without on the corpora, and
// FuzzFindShortcuts on any text.
func exprFirst() map[string]bool {
	exprFirstOnce.Do(func() {
		s := map[string]bool{}
		add := func(words string) {
			for _, w := range strings.Fields(words) {
				s[w] = true
			}
		}
		addSet := func(m map[string]bool) {
			for w, ok := range m {
				if ok {
					s[w] = true
				}
			}
		}
		// Guards of the atoms that have one.
		addSet(relDayFirst)                                               // atomRelDay
		addSet(cycleFirst)                                                // atomCycle
		addSet(relWordFirst)                                              // atomDow, atomMonthDate
		add("a ides noon midday mid midnight midnite first quarter half") // atomDow, atomMonthDate, atomTod
		add("in upcoming coming next")                                    // atomDuration
		addSet(holidayFirst())                                            // atomNamedHoliday
		for w := range weekdays {                                         // atomDow
			s[w] = true
		}
		for w := range pluralWeekdays {
			s[w] = true
		}
		for _, m := range []map[string]int{months, ordinalWords, tens, smallNumbers} { // atomMonthDate, atomTod, atomDuration (countStart)
			for w := range m {
				s[w] = true
			}
		}
		addSet(durationWords) // countStart
		// First words of the atoms without a guard. atomNumericDate and
		// atomYear start with a number; atomDom with "the" or dayNum
		// (ordinal: numbers, ordinalWords, tens).
		add("the")
		// atomPod: its first switch, "this"/"today"/"the", the words its
		// sequences start with, and the part-of-day words (with "ish").
		add("cob eob cop close end c eod this today early in late mid midmorning midafternoon after")
		for _, w := range strings.Fields("morning mornin afternoon arvo evening night nite eve lunch lunchtime pm p am a") {
			s[w], s[w+"ish"] = true, true
		}
		// atomZone: "(", "+", "-" are not words; the zone names.
		for w := range zoneOffsets {
			s[w] = true
		}
		for w := range usZones {
			s[w] = true
		}
		add("last")                                                                          // atomNthOf: the, ordinal, last, number
		add("eom bom eoy boy eow end beginning start middle midweek midmonth midyear later") // atomEdge
		add("early mid late")
		add("q")                  // atomQuarter: q, numbers, the, ordinal
		add("week")               // atomWeekOf: ?the week of
		add("christmas xmas new") // atomHoliday
		add("rest")               // atomCycleOf: the, rest, ordinal, then a cycle word
		for w := range cycleWords {
			s[w] = true
		}
		add("h first 1st second 2nd") // atomHalf
		// compound: connectors skipped before an atom.
		for w, ok := range connectors {
			if ok {
				s[w] = true
			}
		}
		add("some")
		// special, rangeExpr, openExpr, byExpr.
		add("in during over for within the next last past previous coming following from starting")
		add("between later after")
		add("asap as anytime sometime sometimes until till til untill through thru before up no not prior earlier any since beginning")
		add("by within")
		exprFirstSet = s
	})
	return exprFirstSet
}

// mayStart reports whether an expression can start at token i: a number,
// a token that is not a word, or a word of exprFirst.
func (p *parser) mayStart(i int) bool {
	t := p.toks[i]
	return t.num || !isLetter(t.s) || t.cls&cExpr != 0
}

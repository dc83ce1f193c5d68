package when

import (
	"strings"
	"sync"
)

// Word classes: the word sets the constituents test their first token
// against, looked up once per token when it is lexed (tok.cls) instead of
// in several maps at every position the parser tries. Each class is
// exactly the set its comment names; the parser's guards use the bits as
// they used the sets (a test compares find with and without the guards).
const (
	cRelDay    uint32 = 1 << iota // relDayFirst: atomRelDay
	cCycle                        // cycleFirst: atomCycle
	cDow                          // relWordFirst, "a", weekdays, pluralWeekdays: atomDow
	cMonthDate                    // relWordFirst, "ides", ordinalWords, tens, months: atomMonthDate (with numbers)
	cTodWord                      // noon midday mid midnight midnite first quarter half: atomTod
	cCount                        // durationWords, smallNumbers, tens: countStart (with numbers)
	cHoliday                      // holidayFirst: atomNamedHoliday
	cExpr                         // exprFirst: find
	cZone                         // zoneOffsets, usZones: atomZone
	cOrdinal                      // ordinalWords, tens: ordinal's words
	cCycleWord                    // cycleWords
	cDurIn                        // in upcoming coming next: atomDuration (with cCount)
	cOpen                         // the first words of openExpr's patterns
	cBy                           // by within in: byExpr
)

var (
	wordClassOnce sync.Once
	wordClasses   map[string]uint32
)

// wordClass returns the classes of a lower-case word token.
func wordClass(w string) uint32 {
	wordClassOnce.Do(func() {
		m := map[string]uint32{}
		addSet := func(c uint32, s map[string]bool) {
			for w, ok := range s {
				if ok {
					m[w] |= c
				}
			}
		}
		addInts := func(c uint32, s map[string]int) {
			for w := range s {
				m[w] |= c
			}
		}
		addWords := func(c uint32, words string) {
			for _, w := range strings.Fields(words) {
				m[w] |= c
			}
		}
		addSet(cRelDay, relDayFirst)
		addSet(cCycle, cycleFirst)
		addSet(cDow, relWordFirst)
		addWords(cDow, "a")
		addInts(cDow, weekdays)
		addInts(cDow, pluralWeekdays)
		addSet(cMonthDate, relWordFirst)
		addWords(cMonthDate, "ides")
		addInts(cMonthDate, ordinalWords)
		addInts(cMonthDate, tens)
		addInts(cMonthDate, months)
		addWords(cTodWord, "noon midday mid midnight midnite first quarter half")
		addSet(cCount, durationWords)
		addInts(cCount, smallNumbers)
		addInts(cCount, tens)
		addSet(cHoliday, holidayFirst())
		addSet(cExpr, exprFirst())
		addInts(cZone, zoneOffsets)
		addInts(cZone, usZones)
		addInts(cOrdinal, ordinalWords)
		addInts(cOrdinal, tens)
		for w := range cycleWords {
			m[w] |= cCycleWord
		}
		addWords(cDurIn, "in upcoming coming next")
		addWords(cOpen, openFirst)
		addWords(cBy, "by within in")
		wordClasses = m
	})
	return wordClasses[w]
}

// has reports whether token i is a word of one of the classes c.
func (p *parser) has(i int, c uint32) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].cls&c != 0
}

// isNum reports whether token i is a number.
func (p *parser) isNum(i int) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].num
}

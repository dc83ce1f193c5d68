package ml

import "strings"

// phraseSet finds which of a fixed list of phrases occur in a text in one
// pass over it, instead of one strings.Contains per phrase (each a scan of
// the whole text: the Cues group read 3 KB about 70 times per message).
// Each text position is looked up by its first two bytes in a small table
// of candidate phrases, then compared. A phraseSet is read-only once made
// and safe for concurrent use.
type phraseSet struct {
	phrases []string           // distinct phrases, each of at least 2 bytes
	cand    [phraseTab][]uint8 // phrase indexes by pairKey of their first two bytes
}

// phraseTab is the size of the candidate table; a collision costs only a
// comparison.
const phraseTab = 1024

// maxPhrases bounds a set so that a found-array fits on the stack.
const maxPhrases = 128

func pairKey(a, b byte) int { return (int(a)*31 + int(b)) & (phraseTab - 1) }

// newPhraseSet makes a set of the distinct phrases of lists. It panics on a
// phrase shorter than 2 bytes or more than maxPhrases phrases: the lists
// are the package's own constants.
func newPhraseSet(lists ...[]string) *phraseSet {
	ps := &phraseSet{}
	seen := map[string]bool{}
	for _, l := range lists {
		for _, p := range l {
			if len(p) < 2 {
				panic("ml: phrase shorter than 2 bytes: " + p)
			}
			if seen[p] {
				continue
			}
			seen[p] = true
			k := pairKey(p[0], p[1])
			ps.cand[k] = append(ps.cand[k], uint8(len(ps.phrases)))
			ps.phrases = append(ps.phrases, p)
		}
	}
	if len(ps.phrases) > maxPhrases {
		panic("ml: too many phrases in a set")
	}
	return ps
}

// index returns the index of phrase p in the set, or -1.
func (ps *phraseSet) index(p string) int {
	for i, q := range ps.phrases {
		if q == p {
			return i
		}
	}
	return -1
}

// mark sets found[i] for each phrase i of the set that occurs in s
// (strings.Contains(s, phrase)); it leaves the other entries as they are.
func (ps *phraseSet) mark(s string, found *[maxPhrases]bool) {
	for i := 0; i+1 < len(s); i++ {
		c := ps.cand[pairKey(s[i], s[i+1])]
		for _, k := range c {
			if !found[k] && strings.HasPrefix(s[i:], ps.phrases[k]) {
				found[k] = true
			}
		}
	}
}

// counter counts how many entries of one list (repeats included, as a
// loop of strings.Contains over the list counts them) a phraseSet found.
type counter []uint8

func (ps *phraseSet) counter(list []string) counter {
	c := make(counter, len(list))
	for i, p := range list {
		k := ps.index(p)
		if k < 0 {
			panic("ml: phrase not in its set: " + p)
		}
		c[i] = uint8(k)
	}
	return c
}

func (c counter) count(found *[maxPhrases]bool) int {
	n := 0
	for _, k := range c {
		if found[k] {
			n++
		}
	}
	return n
}

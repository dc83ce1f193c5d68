package ml

import "sync"

// sentenceProbs remembers the action model's probability for sentences
// already scored. extract.(*Model).Prob is a pure function of the sentence
// (its date cue is anchored at a fixed time), so a remembered value is the
// very float64 the model would compute again; mail repeats sentences
// (list footers, quoted text, signatures: about a fifth of the sentences
// of the SpamAssassin corpus occur more than once).
//
// It keeps two generations of at most budget key bytes each: a lookup
// that hits the older one copies the entry forward, and a full current
// generation becomes the older one. Memory stays under about twice the
// budget plus the maps. It is safe for concurrent use; the zero value
// remembers nothing.
type sentenceProbs struct {
	mu       sync.Mutex
	budget   int
	cur, old map[string]float64
	curBytes int
}

// sentenceProbBudget is the key bytes of one generation of a Classifier's
// sentence cache.
const sentenceProbBudget = 512 << 10

func newSentenceProbs(budget int) *sentenceProbs {
	return &sentenceProbs{budget: budget}
}

// get returns the remembered probability of s.
func (c *sentenceProbs) get(s string) (float64, bool) {
	if c == nil || c.budget <= 0 {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.cur[s]; ok {
		return p, true
	}
	p, ok := c.old[s]
	if ok {
		c.putLocked(s, p)
	}
	return p, ok
}

// put remembers p as the probability of s. s is copied: sentences are
// substrings of message bodies the cache must not keep alive.
func (c *sentenceProbs) put(s string, p float64) {
	if c == nil || c.budget <= 0 || len(s) > c.budget/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[s]; ok {
		return
	}
	c.putLocked(string([]byte(s)), p)
}

func (c *sentenceProbs) putLocked(s string, p float64) {
	if c.cur == nil || c.curBytes+len(s) > c.budget {
		c.old, c.cur, c.curBytes = c.cur, make(map[string]float64, 1024), 0
	}
	c.cur[s] = p
	c.curBytes += len(s)
}

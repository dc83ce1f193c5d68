package ml

import (
	"fmt"
	"testing"
)

// TestSentenceProbsExact checks that remembering sentence probabilities
// changes no result: the demo mailbox and 300 SpamAssassin messages,
// classified twice by one classifier (the second time every sentence comes
// from the cache), and once by a classifier that remembers nothing, give
// bit-identical results.
func TestSentenceProbsExact(t *testing.T) {
	msgs := demoMessages(t)
	if _, err := sharedDataDir(); err == nil {
		msgs = append(msgs, spamAssassin(t, 100)...)
	}
	ms, err := CompactDefaults()
	if err != nil {
		t.Fatal(err)
	}
	cached := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
	plain := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
	plain.probs = nil
	want := plain.Classify(msgs)
	for round := range 2 {
		got := cached.Classify(msgs)
		for i := range msgs {
			if !sameClassification(got[i], want[i], 0) {
				t.Errorf("round %d: Classify(%s) with the sentence cache = %+v, want %+v", round, msgs[i].ID, got[i], want[i])
			}
		}
	}
	if n := len(cached.probs.cur) + len(cached.probs.old); n == 0 {
		t.Errorf("the sentence cache is empty after classifying %d messages", len(msgs))
	}
}

// TestSentenceProbsBudget checks the two generations: an entry survives
// one rollover, is copied forward when read, and the key bytes of the
// current generation stay within the budget.
func TestSentenceProbsBudget(t *testing.T) {
	c := newSentenceProbs(320)
	c.put("kept", 0.25)
	for i := range 80 {
		c.put(fmt.Sprintf("sentence %02d", i), float64(i))
		if p, ok := c.get("kept"); !ok || p != 0.25 {
			t.Fatalf("after %d puts: get(kept) = %v, %v, want 0.25, true", i+1, p, ok)
		}
		if c.curBytes > c.budget {
			t.Fatalf("after %d puts: %d key bytes, budget %d", i+1, c.curBytes, c.budget)
		}
	}
	if _, ok := c.get("sentence 00"); ok {
		t.Errorf("get(sentence 00) found an entry two generations old")
	}
	if p, ok := c.get("sentence 79"); !ok || p != 79 {
		t.Errorf("get(sentence 79) = %v, %v, want 79, true", p, ok)
	}
	long := string(make([]byte, 21))
	c.put(long, 1)
	if _, ok := c.get(long); ok {
		t.Errorf("a sentence longer than budget/16 was kept")
	}
	var none *sentenceProbs
	none.put("x", 1)
	if _, ok := none.get("x"); ok {
		t.Errorf("a nil cache remembered a sentence")
	}
}

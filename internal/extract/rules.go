package extract

import (
	"context"
	"strings"
)

// Rules is the tier below the action model: a deterministic scorer over
// the same cue features (a request opener such as "could you", "please",
// an imperative first verb, a question addressed to the reader, a
// deadline). Callers use it when the model's worker cannot answer; its
// probabilities are coarse (a handful of levels) and its results should
// be marked degraded.
type Rules struct{}

var _ Scorer = Rules{}

// Score implements Scorer.
func (Rules) Score(ctx context.Context, sentences []string) ([]float64, error) {
	out := make([]float64, len(sentences))
	for i, s := range sentences {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = RuleProb(s)
	}
	return out, nil
}

// RuleProb is the rules tier's probability that sentence asks its reader
// to do something.
func RuleProb(sentence string) float64 {
	toks := tokens(sentence)
	if len(toks) == 0 {
		return 0
	}
	c := map[string]bool{}
	for _, k := range cues(sentence, toks, cueRef) {
		c[k] = true
	}
	switch {
	case notAsk(sentence):
		return 0.05
	case c["greeting-first"] && (c["len:short"] || !c["has?"]):
		return 0.05
	case c["modal-you"] && (c["ends?"] || c["please"]):
		return 0.85 // "could you send …?", "would you please …"
	case c["you+please"], c["imperative"] && !c["first-person-first"]:
		return 0.75
	case c["please"]:
		return 0.7
	case c["ends?"] && c["you"]:
		return 0.7 // "are you free on Tuesday?"
	case c["ends?"] && c["aux-first"]:
		return 0.6
	case c["modal-you"], c["you"] && c["deadline"]:
		return 0.6
	case c["ends?"]:
		return 0.45
	case strings.Contains(strings.ToLower(sentence), "let me know"):
		return 0.7
	}
	return 0.1
}

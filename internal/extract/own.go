package extract

import "strings"

// MaxSentences is how many sentences of one message Extract scores.
const MaxSentences = 200

// Runs reports whether Extract looks at m's text at all: it does not for
// bulk mail (Message.Bulk) or automated mail (Automated), from which no
// tasks are taken and no sentence is scored.
func Runs(m Message) bool { return !m.Bulk && !Automated(m) }

// OwnSentences returns the sentences Extract scores for m, in order: the
// message's own text (Body: quoted replies, forwarded parts, signatures,
// closings, greetings and legal disclaimers removed) split by Sentences,
// at most MaxSentences. It is nil when Extract does not run (Runs).
func OwnSentences(m Message) []string {
	if !Runs(m) {
		return nil
	}
	sents := Sentences(Body(m.Text))
	if len(sents) > MaxSentences {
		sents = sents[:MaxSentences]
	}
	out := make([]string, len(sents))
	for i, s := range sents {
		out[i] = s.Text
	}
	return out
}

// Decision says how Extract decides one of the sentences OwnSentences
// returns.
type Decision struct {
	Text string
	// Model is true when the action model's probability decides whether
	// the sentence becomes an item: it does when the probability is at
	// least Threshold. False: a rule decided without regard to the
	// probability (a release such as "no need to reply", a condition, a
	// pleasantry, a negative instruction, a list's lead-in, the user's own
	// promise, a sentence of the user's that addresses nobody).
	Model     bool
	Threshold float64
}

// Decisions returns, for each sentence of OwnSentences(m) in order, how
// Extract decides it with opts: whether the model's probability matters
// and the threshold Extract applies to it (lower for an explicit ask or a
// direct question, higher for a statement). It follows Extract's rules and
// does not score anything.
func Decisions(m Message, opts Options) []Decision {
	texts := OwnSentences(m)
	out := make([]Decision, len(texts))
	listAsk := false
	for i, s := range texts {
		out[i].Text = s
		lead := listAsk && listItem(s)
		listAsk = lead
		if notAsk(s) || conditional(s) || social(s) || negative(s) {
			continue
		}
		if strings.HasSuffix(strings.TrimSpace(s), ":") {
			listAsk = requestCue(s) || reFromYou.MatchString(s)
			continue
		}
		if m.FromUser {
			if _, ok := promise(s); ok {
				continue
			}
			if !addressed(s) {
				continue
			}
			out[i].Model, out[i].Threshold = true, opts.threshold()
			continue
		}
		need := 0.85
		switch {
		case requestCue(s) || lead:
			need = min(opts.threshold(), 0.25)
		case isQuestion(s) && len(strings.Fields(s)) >= 4:
			need = min(opts.threshold(), 0.4)
		case isQuestion(s):
			need = opts.threshold()
		}
		out[i].Model, out[i].Threshold = true, need
	}
	return out
}

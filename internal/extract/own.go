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
	// Form is the sentence's form when the model decides it: FormAsk (an
	// explicit ask or an item of a list of asks), FormQuestion (a direct
	// question) or FormStatement; "" when a rule decides.
	Form string
}

// Forms of a model-decided sentence (Decision.Form).
const (
	FormAsk       = "ask"
	FormQuestion  = "question"
	FormStatement = "statement"
)

// form is the form of a sentence the model decides.
func form(s string, lead bool) string {
	switch {
	case requestCue(s) || lead:
		return FormAsk
	case isQuestion(s):
		return FormQuestion
	}
	return FormStatement
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
		lead := listAsk && listItem(s)
		listAsk = lead
		if strings.HasSuffix(strings.TrimSpace(s), ":") && !notAsk(s) && !conditional(s) && !social(s) && !negative(s) {
			listAsk = requestCue(s) || reFromYou.MatchString(s)
		}
		out[i] = DecideSentence(s, lead, m.FromUser, opts)
	}
	return out
}

// DecideSentence is how Extract decides one sentence s of a message's own
// text: lead says that s is an item of a list of asks introduced by the
// sentence before it ("Two more things from you, please:"), fromUser that
// the message is the user's own. It is the per-sentence part of Decisions,
// for callers (the confidence calibration) that hold single sentences.
func DecideSentence(s string, lead, fromUser bool, opts Options) Decision {
	d := Decision{Text: s}
	if notAsk(s) || conditional(s) || social(s) || negative(s) {
		return d
	}
	if strings.HasSuffix(strings.TrimSpace(s), ":") {
		return d
	}
	if fromUser {
		if _, ok := promise(s); ok {
			return d
		}
		if !addressed(s) {
			return d
		}
		d.Model, d.Threshold, d.Form = true, opts.threshold(), form(s, lead)
		return d
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
	d.Model, d.Threshold, d.Form = true, need, form(s, lead)
	return d
}

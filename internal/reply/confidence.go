package reply

import (
	"strings"

	"github.com/pam-ai/pam/internal/extract"
)

// Runs reports whether the trigger looks at m at all: not the user's own
// mail, not bulk or automated mail, and not a message with no text of its
// own (unless it carries an invitation). Where it does not, no model is
// involved and the message gets no suggestions.
func Runs(m extract.Message) bool {
	if m.FromUser || m.Bulk || extract.Automated(m) {
		return false
	}
	return m.Invite || strings.TrimSpace(extract.Body(m.Text)) != ""
}

// Evidence is what the trigger reads of a message: the highest action
// probability of its own sentences and the cues its rules look for.
type Evidence struct {
	Best     float64 // highest action probability among Input.Probs
	Question bool    // the message's own text has a question mark
	Thanks   bool    // a short message (< 600 bytes of own text) that thanks
	Invite   bool    // it carries a calendar invitation
}

// EvidenceOf returns the trigger's evidence for in.
func EvidenceOf(in Input) Evidence {
	body := extract.Body(in.Msg.Text)
	var e Evidence
	for _, p := range in.Probs {
		e.Best = max(e.Best, p)
	}
	e.Question = strings.Contains(body, "?")
	e.Thanks = reThanks.MatchString(body) && len(body) < 600
	e.Invite = in.Msg.Invite
	return e
}

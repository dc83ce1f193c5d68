package ml

import (
	"strings"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// actionBytes is how much of the text the action features read.
const actionBytes = 12000

// maxActionSentences bounds the sentences scored per message.
const maxActionSentences = 60

// action appends the action-detector features (FeatureSettings.Action) of
// m's own text to v. The values are not normalised with the other groups:
// each is a number in [0, 1] or an indicator.
func (f *featurizer) action(m *wire.Message, own string, v *vec) {
	det, err := extract.Default()
	if err != nil {
		f.tok("act:none", "")
		f.flushRaw(v, 1)
		return
	}
	body := extract.Body(own)
	sents := extract.Sentences(body)
	if len(sents) > maxActionSentences {
		sents = sents[:maxActionSentences]
	}
	var maxP, sum float64
	n := 0
	for _, s := range sents {
		p := det.Prob(s.Text)
		sum += p
		if p > maxP {
			maxP = p
		}
		if p >= 0.5 {
			n++
		}
	}
	mean := 0.0
	if len(sents) > 0 {
		mean = sum / float64(len(sents))
	}
	q := strings.Count(body, "?")
	pos := userPosition(m)
	maxBin := bucket(int(maxP*10), 1, 3, 5, 7, 9)
	nBin := bucket(n, 0, 1, 2)
	qBin := bucket(q, 0, 1, 2)
	// Indicators.
	f.tok("act:max:", maxBin)
	f.tok("act:n:", nBin)
	f.tok("act:q:", qBin)
	f.tok("act:pos×max:", pos+maxBin)
	f.tok("act:pos×n:", pos+nBin)
	f.tok("act:pos×q:", pos+qBin)
	f.tok("act:nsent:", bucket(len(sents), 0, 1, 3, 8, 20))
	f.flushRaw(v, 1)
	// Numbers.
	f.addRaw(v, f.hashStr("act:maxv", ""), float32(maxP))
	f.addRaw(v, f.hashStr("act:meanv", ""), float32(mean))
	f.addRaw(v, f.hashStr("act:maxv×pos:", pos), float32(maxP))
}

// flushRaw appends the pending group with value val each.
func (f *featurizer) flushRaw(v *vec, val float32) {
	for _, h := range f.grp {
		v.idx = append(v.idx, h&f.mask)
		v.val = append(v.val, val)
	}
	f.grp = f.grp[:0]
}

func (f *featurizer) addRaw(v *vec, h uint32, val float32) {
	v.idx = append(v.idx, h&f.mask)
	v.val = append(v.val, val)
}

// userPosition is where the user is in m: from, to, cc, none or unknown.
func userPosition(m *wire.Message) string {
	if len(m.UserAddresses) == 0 {
		return "unknown"
	}
	isUser := func(a string) bool {
		for _, u := range m.UserAddresses {
			if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(u)) {
				return true
			}
		}
		return false
	}
	if isUser(m.From) {
		return "from"
	}
	for _, a := range m.To {
		if isUser(a) {
			return "to"
		}
	}
	for _, a := range m.Cc {
		if isUser(a) {
			return "cc"
		}
	}
	return "none"
}

// requestPhrases ask the reader for something.
var requestPhrases = []string{"can you", "could you", "would you", "will you", "please", "let me know", "let us know", "do you", "are you", "have you", "what do you think", "your thoughts", "your input", "your comments", "any thoughts", "asap", "by tomorrow", "by monday", "by tuesday", "by wednesday", "by thursday", "by friday", "by end of", "need you", "need your", "i need", "we need", "call me", "give me a call", "get back to me", "rsvp", "are you available", "would like to meet", "join us"}

// address appends the Address features of m (own is its own text) to v:
// how directly the message speaks to the user, crossed with the user's
// position among the recipients.
func (f *featurizer) address(m *wire.Message, own string, v *vec) {
	pos := userPosition(m)
	lo := strings.ToLower(clipBytes(own, 3000))
	head := strings.TrimSpace(clipBytes(lo, 120))
	// Greeted by the user's first name (first.last@... gives "first").
	named := false
	for _, u := range m.UserAddresses {
		first := addrLocal(u)
		if i := strings.IndexAny(first, "._-"); i > 0 {
			first = first[:i]
		}
		if len(first) >= 2 && strings.Contains(head, first) {
			named = true
		}
	}
	if named {
		f.tok("adr:named×pos:", pos)
	}
	var found [maxPhrases]bool
	reqPhrases.mark(lo, &found)
	n := reqCount.count(&found)
	nb := bucket(n, 0, 1, 2)
	f.tok("adr:req:", nb)
	f.tok("adr:req×pos:", pos+nb)
	// Recipients besides the user.
	rc := len(m.To) + len(m.Cc)
	rb := bucket(rc, 1, 2, 5, 15)
	f.tok("adr:nrcpt×pos:", pos+rb)
	// A person sender: a name-like local part, no list or bulk headers.
	local := addrLocal(m.From)
	person := strings.ContainsAny(local, "._") && !machineLocal(local) &&
		header(m, "List-Id") == "" && header(m, "List-Unsubscribe") == "" && header(m, "Precedence") == ""
	for _, w := range automatedLocal {
		if strings.Contains(local, w) {
			person = false
		}
	}
	same := false
	fd := addrDomain(m.From)
	for _, u := range m.UserAddresses {
		if fd != "" && addrDomain(u) == fd {
			same = true
		}
	}
	f.tok("adr:sender×pos:", pos+map[bool]string{true: "p", false: "x"}[person]+map[bool]string{true: "s", false: "o"}[same])
	if person {
		f.tok("adr:person×req:", pos+nb)
	}
	// A meeting invitation (Outlook's "When: ... Where:" text, an
	// invitation subject or a calendar part) asks for an answer; a reply
	// to one (accepted, declined) does not.
	if inv := invitation(m); inv != "" {
		f.tok("adr:invite×pos:", inv+pos)
	}
	// The last sentence asks something.
	tail := strings.TrimSpace(lo)
	if i := strings.LastIndexAny(tail, ".!?"); i >= 0 && tail[i] == '?' && len(tail)-i < 200 {
		f.tok("adr:endq×pos:", pos)
	}
	f.flushRaw(v, 1)
}

// invitation classifies m as a meeting invitation ("inv"), an answer to
// one ("ans") or neither ("").
func invitation(m *wire.Message) string {
	subj := strings.ToLower(strings.TrimSpace(m.Subject))
	for _, p := range []string{"accepted:", "declined:", "tentative:", "tentatively accepted:", "zugesagt:", "abgelehnt:"} {
		if strings.HasPrefix(subj, p) {
			return "ans"
		}
	}
	head := strings.ToLower(strings.TrimSpace(clipBytes(m.Text, 400)))
	ct := strings.ToLower(header(m, "Content-Type"))
	switch {
	case strings.HasPrefix(head, "when:") && strings.Contains(head, "(gmt"),
		strings.Contains(head, "*~*~*~*~"),
		strings.HasPrefix(subj, "invitation:"), strings.HasPrefix(subj, "updated invitation"), strings.HasPrefix(subj, "einladung:"),
		strings.Contains(ct, "text/calendar"):
		return "inv"
	}
	return ""
}

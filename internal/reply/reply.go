// Package reply suggests short replies to a message, Smart-Reply style and
// cheap enough for a weak laptop: a trigger decides whether a message
// deserves suggestions at all; candidates come from a response set written
// by the project (acknowledge, thank, agree, decline, will-do-by, propose a
// time, ask for details, reschedule) plus the user's own past replies mined
// from their sent mail; a ranker picks three that differ, one positive and
// one negative where that applies. Meeting requests get replies that name
// real free slots. Suggestions for identical patterns come from a cache.
//
// The package is pure: the caller passes the message, the action
// probabilities of its sentences and the free slots.
package reply

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pam-ai/pam/internal/extract"
)

// Intent is what a reply does.
type Intent string

// Intents of the response set.
const (
	Acknowledge Intent = "acknowledge"
	Thank       Intent = "thank"
	Agree       Intent = "agree"
	Decline     Intent = "decline"
	WillDo      Intent = "will-do"
	Propose     Intent = "propose-time"
	AskDetails  Intent = "ask-details"
	Reschedule  Intent = "reschedule"
)

// Polarity says whether a reply says yes, no, or neither.
type Polarity int

// Polarities.
const (
	Neutral Polarity = iota
	Positive
	Negative
)

func (p Polarity) String() string {
	return [...]string{"neutral", "positive", "negative"}[p]
}

// Suggestion is one proposed reply.
type Suggestion struct {
	Text     string   `json:"text"`
	Intent   Intent   `json:"intent"`
	Polarity Polarity `json:"-"`
	Score    float64  `json:"score"`
	Mined    bool     `json:"mined,omitempty"` // from the user's own past replies
}

// Pattern is what the ranker knows of a message; equal patterns get equal
// suggestions (before slots are filled in), which is what the cache keys on.
type Pattern struct {
	Question bool // asks a direct question
	Request  bool // asks the reader to do something
	Meeting  bool // asks for a meeting or a call
	Invite   bool // an invitation (event, party, talk)
	Thanks   bool // thanks the reader
	FYI      bool // informs only
	Due      bool // the ask has a due date
	Slots    bool // free slots are known to offer
}

func (p Pattern) key() string { return fmt.Sprintf("%+v", p) }

// Input is the message to answer.
type Input struct {
	Msg extract.Message
	// Probs are the action probabilities of the sentences of
	// extract.Sentences(extract.Body(Msg.Text)), in order.
	Probs []float64
	// Due is the due date of the message's main ask, if any.
	Due time.Time
	// Slots are free times to offer for a meeting, soonest first.
	Slots []time.Time
	Loc   *time.Location
}

// Trigger reports whether a message deserves suggestions and how strongly:
// not bulk or automated mail, not the user's own, and something to answer.
// The score is the highest action probability of the message's own
// sentences (0.9 for an invitation, which needs an answer). A question
// mark or a short thank-you no longer raises it: of the 55 hand-labelled
// messages that only those floors (0.6, 0.55) made fire, 9 needed a reply
// (doc/design/privacy.md). NeedsReplyProb says how likely the
// message is to need an answer; Trigger decides whether to offer
// suggestions.
func Trigger(in Input, threshold float64) (bool, float64) {
	m := in.Msg
	if !Runs(m) {
		return false, 0
	}
	best := 0.0
	for _, p := range in.Probs {
		best = max(best, p)
	}
	if m.Invite {
		best = max(best, 0.9)
	}
	return best >= threshold, best
}

var (
	reThanks  = regexp.MustCompile(`(?i)\b(thanks|thank you|thx|cheers|danke|merci)\b`)
	reMeeting = regexp.MustCompile(`(?i)\b(meet(?:ing)?|(?:a|quick|short|video|phone) call|chat|catch[- ]up|1:1|sync|video call|coffee|lunch|demo|\d+ ?(?:min(?:ute)?s?|hours?)|slot|available|free (?:on|at|for))\b`)
	reInvite  = regexp.MustCompile(`(?i)\b(invite|invitation|party|dinner|join us|come|speaking|talk|interested)\b`)
	reFYI     = regexp.MustCompile(`(?i)\b(fyi|for your information|just so you know|no action needed|no need to reply)\b`)
)

// Analyse derives the message's pattern.
func Analyse(in Input) Pattern {
	body := extract.Body(in.Msg.Text)
	sents := extract.Sentences(body)
	var p Pattern
	for i, s := range sents {
		prob := 0.0
		if i < len(in.Probs) {
			prob = in.Probs[i]
		}
		t := strings.TrimSpace(s.Text)
		if strings.HasSuffix(t, "?") {
			p.Question = true
		}
		if prob >= 0.55 {
			p.Request = true
			if reMeeting.MatchString(t) {
				p.Meeting = true
			}
			if reInvite.MatchString(t) {
				p.Invite = true
			}
		}
	}
	p.Invite = p.Invite || in.Msg.Invite
	p.Thanks = reThanks.MatchString(body) && !p.Request
	p.FYI = reFYI.MatchString(body) || (!p.Request && !p.Question)
	p.Due = !in.Due.IsZero()
	p.Slots = len(in.Slots) >= 2
	return p
}

// candidate is a reply template: {due}, {slot1}, {slot2}, {name} are
// filled in.
type candidate struct {
	text   string
	intent Intent
	pol    Polarity
	mined  bool
}

// responseSet is the project's own set of replies.
var responseSet = []candidate{
	{"Got it, thanks!", Acknowledge, Neutral, false},
	{"Thanks for letting me know.", Acknowledge, Neutral, false},
	{"Thank you, {name}!", Thank, Positive, false},
	{"Thanks, much appreciated!", Thank, Positive, false},
	{"Sounds good to me.", Agree, Positive, false},
	{"Yes, that works for me.", Agree, Positive, false},
	{"Yes, count me in!", Agree, Positive, false},
	{"Sorry, I can't make it.", Decline, Negative, false},
	{"Unfortunately that won't work for me.", Decline, Negative, false},
	{"Thanks, but I'll pass this time.", Decline, Negative, false},
	{"Sorry, I can't take this on right now.", Decline, Negative, false},
	{"Will do — you'll have it by {due}.", WillDo, Positive, false},
	{"On it, I'll get back to you shortly.", WillDo, Positive, false},
	{"I'm tied up until then, could it wait until after {due}?", Reschedule, Negative, false},
	{"How about {slot1} or {slot2}?", Propose, Positive, false},
	{"{slot1} works for me — does that suit you?", Propose, Positive, false},
	{"Could we move it to {slot1}?", Reschedule, Negative, false},
	{"Could you tell me a bit more about what you need?", AskDetails, Neutral, false},
	{"Let me check and get back to you.", AskDetails, Neutral, false},
}

// templateFit moves a template within its intent by what it says: "I
// can't make it" answers a meeting, not a favour asked.
var templateFit = map[string]func(Pattern) float64{
	"Sorry, I can't make it.": func(p Pattern) float64 {
		if p.Meeting || p.Invite {
			return 0.02
		}
		return -0.1
	},
	"Sorry, I can't take this on right now.": func(p Pattern) float64 {
		if p.Request && !p.Meeting && !p.Invite {
			return 0.02
		}
		return -0.1
	},
}

// fit scores how well an intent fits a pattern.
func fit(in Intent, p Pattern) float64 {
	switch in {
	case Propose:
		if p.Meeting {
			return 1
		}
	case Reschedule:
		if p.Meeting {
			return 0.7
		}
		if p.Due {
			return 0.5
		}
	case Agree:
		if p.Meeting || p.Invite {
			return 0.8
		}
		if p.Question {
			return 0.7
		}
		if p.Request {
			return 0.5
		}
	case Decline:
		if p.Invite || p.Meeting {
			return 0.75
		}
		if p.Question {
			return 0.55
		}
		if p.Request {
			return 0.4
		}
	case WillDo:
		if p.Request && !p.Meeting && !p.Invite {
			if p.Due {
				return 0.95
			}
			return 0.85
		}
	case AskDetails:
		if p.Request || p.Question {
			return 0.45
		}
	case Thank:
		if p.Thanks {
			return 0.9
		}
		if p.FYI {
			return 0.5
		}
	case Acknowledge:
		if p.FYI {
			return 0.8
		}
		if p.Thanks {
			return 0.6
		}
		return 0.2
	}
	return 0.05
}

// Suggester ranks replies. It is safe for concurrent use.
type Suggester struct {
	mined []candidate
	mu    sync.Mutex
	cache map[string][]candidate
	hits  int
}

// New returns a Suggester that also proposes the user's own past replies
// (texts of their sent mail, see Mine).
func New(pastReplies []string) *Suggester {
	return &Suggester{mined: Mine(pastReplies), cache: map[string][]candidate{}}
}

// CacheHits reports how many Suggest calls the cache answered.
func (s *Suggester) CacheHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

var reMinedOpen = regexp.MustCompile(`^[^.!?\n]{2,60}[.!?]`)

// Mine turns the user's sent mail bodies into reply candidates: the first
// short sentence of each reply that reads like a general answer ("Nice
// work.", "Of course!"), classified into an intent by its words; names,
// numbers and dates make a sentence too specific to reuse.
func Mine(bodies []string) []candidate {
	seen := map[string]bool{}
	var out []candidate
	for _, b := range bodies {
		s := extract.Sentences(extract.Body(b))
		if len(s) == 0 {
			continue
		}
		first := strings.TrimSpace(s[0].Text)
		if !reMinedOpen.MatchString(first) || len(strings.Fields(first)) > 8 || strings.ContainsAny(first, "0123456789@:") {
			continue
		}
		words := strings.Fields(first)
		specific := false
		for _, w := range words[1:] {
			if r := []rune(w); len(r) > 0 && r[0] >= 'A' && r[0] <= 'Z' {
				specific = true // a name
			}
		}
		if specific {
			continue
		}
		in, pol := mineIntent(first)
		if in == "" || seen[strings.ToLower(first)] {
			continue
		}
		seen[strings.ToLower(first)] = true
		out = append(out, candidate{text: first, intent: in, pol: pol, mined: true})
	}
	return out
}

// The words that classify a mined reply, checked in this order: a
// refusal, thanks, praise of the other's work (an acknowledgement, not an
// agreement: "Nice work." answers a report, not a request), agreement, a
// promise, a plain acknowledgement.
var (
	reMineDecline = regexp.MustCompile(`\b(can't|cannot|won't|unfortunately|sorry|no,)\b`)
	reMineThank   = regexp.MustCompile(`\b(thank|thanks)\b`)
	reMinePraise  = regexp.MustCompile(`\b(nice|great|good|excellent|brilliant|awesome) (work|job|stuff|catch|point)\b|\bwell done\b|\blooks (great|good|nice)\b`)
	reMineAgree   = regexp.MustCompile(`\b(of course|sure|yes|definitely|happy to|great|nice|sounds good|agree|love)\b`)
	reMineWillDo  = regexp.MustCompile(`\b(will do|on it|i'll)\b`)
	reMineAck     = regexp.MustCompile(`\b(got it|noted|ok|okay)\b`)
)

func mineIntent(s string) (Intent, Polarity) {
	l := strings.ToLower(s)
	switch {
	case reMineDecline.MatchString(l):
		return Decline, Negative
	case reMineThank.MatchString(l):
		return Thank, Positive
	case reMinePraise.MatchString(l):
		return Acknowledge, Neutral
	case reMineAgree.MatchString(l):
		return Agree, Positive
	case reMineWillDo.MatchString(l):
		return WillDo, Positive
	case reMineAck.MatchString(l):
		return Acknowledge, Neutral
	}
	return "", Neutral
}

// Suggest returns up to three replies that differ in intent, with one
// positive and one negative reply when the message asks something
// (a question, a request, a meeting or an invitation).
func (s *Suggester) Suggest(in Input) []Suggestion {
	p := Analyse(in)
	key := p.key()
	s.mu.Lock()
	picked, ok := s.cache[key]
	if ok {
		s.hits++
	}
	s.mu.Unlock()
	if !ok {
		picked = s.rank(p)
		s.mu.Lock()
		if len(s.cache) > 1024 {
			clear(s.cache)
		}
		s.cache[key] = picked
		s.mu.Unlock()
	}
	out := make([]Suggestion, 0, len(picked))
	for i, c := range picked {
		text, ok := fill(c.text, in)
		if !ok {
			continue
		}
		out = append(out, Suggestion{Text: text, Intent: c.intent, Polarity: c.pol, Score: float64(len(picked)-i) / float64(len(picked)), Mined: c.mined})
	}
	return out
}

// rank picks three candidates for a pattern.
func (s *Suggester) rank(p Pattern) []candidate {
	type scored struct {
		c candidate
		v float64
	}
	var all []scored
	for i, c := range append(append([]candidate{}, responseSet...), s.mined...) {
		if strings.Contains(c.text, "{slot") && (!p.Meeting || !p.Slots) {
			continue
		}
		if strings.Contains(c.text, "{due}") && !p.Due {
			continue
		}
		v := fit(c.intent, p)
		if f := templateFit[c.text]; f != nil && !c.mined {
			v += f(p)
		}
		if c.mined {
			v += 0.08 // the user's own words, when they fit
		}
		v -= float64(i) * 1e-4 // stable order
		all = append(all, scored{c, v})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v > all[j].v })
	asks := p.Question || p.Request || p.Meeting || p.Invite
	var out []candidate
	used := map[Intent]bool{}
	take := func(ok func(candidate) bool) {
		for _, x := range all {
			if len(out) < 3 && !used[x.c.intent] && ok(x.c) {
				out = append(out, x.c)
				used[x.c.intent] = true
				return
			}
		}
	}
	if asks {
		take(func(c candidate) bool { return c.pol == Positive })
		take(func(c candidate) bool { return c.pol == Negative })
	}
	for len(out) < 3 {
		n := len(out)
		take(func(candidate) bool { return true })
		if len(out) == n {
			break
		}
	}
	return out
}

// fill puts names, dates and slots into a template; false when a slot is
// missing.
func fill(t string, in Input) (string, bool) {
	loc := in.Loc
	if loc == nil {
		loc = time.Local
	}
	if strings.Contains(t, "{slot2}") && len(in.Slots) < 2 || strings.Contains(t, "{slot1}") && len(in.Slots) < 1 {
		return "", false
	}
	r := []string{"{name}", in.Msg.From.First()}
	if !in.Due.IsZero() {
		r = append(r, "{due}", FormatTime(in.Due, loc))
	}
	for i, sl := range in.Slots {
		if i < 2 {
			r = append(r, fmt.Sprintf("{slot%d}", i+1), FormatTime(sl, loc))
		}
	}
	out := strings.NewReplacer(r...).Replace(t)
	if strings.Contains(out, "{") {
		return "", false
	}
	return out, true
}

// FormatTime writes a time as replies name it: "Tuesday 11 June at 15:00".
func FormatTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	// 17:00 is the resolver's end of a working day and midnight a bare
	// date: neither is a time the sender named.
	if (t.Hour() == 17 || t.Hour() == 0) && t.Minute() == 0 {
		return t.Format("Monday 2 January")
	}
	return t.Format("Monday 2 January at 15:04")
}

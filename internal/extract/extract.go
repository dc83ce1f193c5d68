package extract

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/when"
)

// Scorer gives each sentence the probability that it asks its reader to
// do something. *Model is one; a pam worker client is another.
type Scorer interface {
	// Score returns one probability per sentence, in order. It must be
	// safe for concurrent use and honour ctx.
	Score(ctx context.Context, sentences []string) ([]float64, error)
}

var _ Scorer = (*Model)(nil)

// Score implements Scorer in-process.
func (m *Model) Score(ctx context.Context, sentences []string) ([]float64, error) {
	out := make([]float64, len(sentences))
	for i, s := range sentences {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = m.Prob(s)
	}
	return out, nil
}

// Address is a mailbox.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// Display returns the name, else the address.
func (a Address) Display() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// First returns the first name ("Priya" for "Priya Shah"), else the local
// part of the address.
func (a Address) First() string {
	if f := strings.Fields(a.Name); len(f) > 0 {
		return strings.Trim(f[0], `",'`)
	}
	local, _, _ := strings.Cut(a.Email, "@")
	return local
}

// Message is what the extractor reads of one message.
type Message struct {
	ID      string // the caller's id, copied to Item.Source
	From    Address
	To, Cc  []Address
	Date    time.Time
	Subject string
	Text    string            // plain-text body
	Headers map[string]string // canonical names: List-Id, Auto-Submitted, Precedence, List-Unsubscribe
	// FromUser marks the user's own (sent) mail: its requests become
	// waiting-on items and its promises tasks for the user.
	FromUser bool
	// Bulk marks mail that a classifier found not personal (spam,
	// promotion, newsletter, notification): no tasks are taken from it.
	Bulk bool
	// Invite marks a message carrying a calendar invitation: it yields
	// one task, to answer the invitation.
	Invite bool
}

// Kind says who has to act on an item.
type Kind string

// Kinds of item.
const (
	Todo    Kind = "todo"    // the user has to do it (asked, or promised)
	Waiting Kind = "waiting" // the user asked someone else and waits
)

// Item is one extracted task.
type Item struct {
	Kind     Kind      `json:"kind"`
	Title    string    `json:"title"`
	Sentence string    `json:"sentence"`
	Due      time.Time `json:"due"` // zero: no date
	DueText  string    `json:"due_text"`
	// Requester asked for it (for a promise: whom it was promised to);
	// Owner has to do it (the user for a Todo).
	Requester  Address `json:"requester"`
	Owner      Address `json:"owner"`
	Confidence float64 `json:"confidence"`
	Promise    bool    `json:"promise,omitempty"`  // a commitment the user made
	Question   bool    `json:"question,omitempty"` // a direct question: answering it does it
	Source     string  `json:"source"`
}

// Options carry what the extractor knows about the user.
type Options struct {
	// Location is the user's time zone; due dates are resolved in it.
	// Nil means the message date's location.
	Location *time.Location
	// Threshold is the action probability from which a sentence becomes
	// a task; 0 means DefaultThreshold.
	Threshold float64
	// User is the user's own address (who "I" is in sent mail).
	User Address
}

func (o Options) threshold() float64 {
	if o.Threshold <= 0 {
		return DefaultThreshold
	}
	return o.Threshold
}

// DefaultThreshold is the action probability from which a sentence
// becomes a task. It is above the model's F1-optimal threshold: a task list
// should rather miss a vague ask than fill up with them.
const DefaultThreshold = 0.55

// Automated reports whether a message is a newsletter, mailing-list post
// or machine-sent notification, from which no tasks are taken.
func Automated(m Message) bool {
	h := func(k string) string { return strings.ToLower(strings.TrimSpace(m.Headers[k])) }
	if h("List-Id") != "" || h("List-Unsubscribe") != "" || h("List-Post") != "" {
		return true
	}
	if as := h("Auto-Submitted"); as != "" && as != "no" {
		return true
	}
	switch h("Precedence") {
	case "bulk", "list", "junk":
		return true
	}
	local, _, _ := strings.Cut(strings.ToLower(m.From.Email), "@")
	for _, p := range []string{"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "notifications", "notification", "mailer-daemon", "newsletter", "news", "updates", "alerts", "bounce"} {
		if local == p || strings.HasPrefix(local, p+"+") || strings.HasPrefix(local, p+"-") || strings.HasPrefix(local, p+".") {
			return true
		}
	}
	return false
}

// Extract returns the items one message asks for or promises. Sentences
// are scored by sc; dates are resolved against the message's Date in
// opts.Location with a future bias.
func Extract(ctx context.Context, m Message, sc Scorer, opts Options) ([]Item, error) {
	if m.Bulk || Automated(m) {
		return nil, nil
	}
	if m.Invite && !m.FromUser {
		it := Item{Kind: Todo, Title: clip("Answer the invitation: " + cleanSubject(m.Subject)), Sentence: m.Subject,
			Requester: m.From, Owner: opts.User, Confidence: 0.9, Question: true, Source: m.ID}
		return []Item{it}, nil
	}
	sents := Sentences(Body(m.Text))
	if len(sents) == 0 {
		return nil, nil
	}
	if len(sents) > 200 {
		sents = sents[:200]
	}
	texts := make([]string, len(sents))
	for i, s := range sents {
		texts[i] = s.Text
	}
	probs, err := sc.Score(ctx, texts)
	if err != nil {
		return nil, err
	}
	var items []Item
	for i, s := range texts {
		if notAsk(s) {
			continue
		}
		if m.FromUser {
			if p, ok := promise(s); ok {
				it := newItem(m, s, Todo, p, opts)
				it.Promise = true
				it.Requester = firstOf(m.To)
				it.Owner = opts.User
				it.Title, _ = makeTitle(p.rest, s, it, m)
				items = append(items, it)
				continue
			}
			if probs[i] < opts.threshold() || !addressed(s) {
				continue
			}
			it := newItem(m, s, Waiting, nil, opts)
			it.Confidence = probs[i]
			it.Requester = opts.User
			it.Owner = ownerOf(s, m)
			it.Title, it.Question = makeTitle("", s, it, m)
			items = append(items, it)
			continue
		}
		if probs[i] < opts.threshold() {
			continue
		}
		// A statement that neither addresses the reader nor asks needs a
		// confident model ("45 minutes would be plenty").
		if !addressed(s) && !strings.HasSuffix(strings.TrimSpace(s), "?") && probs[i] < 0.85 {
			continue
		}
		it := newItem(m, s, Todo, nil, opts)
		it.Confidence = probs[i]
		it.Requester = m.From
		it.Owner = opts.User
		it.Title, it.Question = makeTitle("", s, it, m)
		items = append(items, it)
	}
	return dedupe(items), nil
}

func firstOf(as []Address) Address {
	if len(as) > 0 {
		return as[0]
	}
	return Address{}
}

// newItem fills the common fields and resolves the due date.
func newItem(m Message, s string, k Kind, p *promised, opts Options) Item {
	it := Item{Kind: k, Sentence: s, Source: m.ID, Confidence: 0.8}
	loc := opts.Location
	if loc == nil {
		loc = m.Date.Location()
	}
	ref := m.Date
	if ref.IsZero() {
		ref = time.Now()
	}
	ref = ref.In(loc)
	wo := when.Options{Location: loc, FutureBias: true}
	if r, ok := pickDate(s, ref, wo); ok {
		if due := when.DueFrom(r, wo); !due.Before(ref.Add(-time.Hour)) {
			it.Due, it.DueText = due, dueText(s, r)
		}
	}
	return it
}

// pickDate chooses the date a sentence sets for its action: a stated
// deadline first, else the first date mentioned.
func pickDate(s string, ref time.Time, wo when.Options) (when.Result, bool) {
	rs := when.Find(s, ref, wo)
	if len(rs) == 0 {
		return when.Result{}, false
	}
	for _, r := range rs {
		if r.Deadline {
			return r, true
		}
	}
	return rs[0], true
}

// dueText is the date phrase as written, with a preceding "by" or
// "before" kept ("by Thursday").
func dueText(s string, r when.Result) string {
	pre := strings.ToLower(s[:r.Pos])
	for _, w := range []string{"by ", "before ", "until ", "no later than "} {
		if strings.HasSuffix(pre, w) && !strings.HasPrefix(strings.ToLower(r.Text), strings.TrimSpace(w)) {
			return s[r.Pos-len(w) : r.EndPos]
		}
	}
	return r.Text
}

// notAsk recognises sentences that look like requests but release the
// reader ("no need to reply", "no action needed").
var reNotAsk = regexp.MustCompile(`(?i)\b(no need to (reply|respond|rush|do anything|book)|no action (is )?(needed|required)|nothing (needed|required) from you|just (so you know|for your records|fyi)|for your information|no worries|don't worry|if you have any questions|questions\? just reply|feel free to get back|shout if i missed)\b`)

func notAsk(s string) bool { return reNotAsk.MatchString(s) }

// promised is a commitment found in the user's sentence.
type promised struct{ rest string }

// rePromise finds "I'll …", "I will …", "I'm going to …", "let me …".
var rePromise = regexp.MustCompile(`(?i)\b(?:i'll|i’ll|i will|i shall|i'm going to|i am going to|i’m going to|will do|let me)\s+(?:also\s+|then\s+|properly\s+|definitely\s+)?([a-z][^.?!]*)`)

// promiseSkip are verbs after "I'll"/"I will" that promise no work.
var promiseSkip = set("be", "let", "believe", "see", "try", "have", "need", "take", "think", "ask", "keep", "miss", "know", "wait", "do", "leave")

func promise(s string) (*promised, bool) {
	m := rePromise.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, false
	}
	rest := s[m[2]:m[3]]
	verb := strings.ToLower(strings.Fields(rest)[0])
	if promiseSkip[verb] && !strings.HasPrefix(strings.ToLower(rest), "be at ") && !strings.HasPrefix(strings.ToLower(rest), "be home") {
		return nil, false
	}
	return &promised{rest: rest}, true
}

// addressed reports whether a sentence of the user's own mail asks its
// reader (second person, an imperative, or a name and a comma first).
func addressed(s string) bool {
	toks := tokens(s)
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		if secondP[t] {
			return true
		}
	}
	return imperatives[toks[0]] || reVocative.MatchString(s)
}

// reVocative is a sentence that opens by naming its addressee ("Raj,
// please go ahead").
var reVocative = regexp.MustCompile(`^\p{Lu}[\p{L}'-]+,\s+(?:please|can|could|would|pls|kindly)\b`)

// ownerOf is who a request in the user's mail is addressed to: the person
// named first in the sentence ("Raj, please…") if a recipient, else the
// first To recipient.
func ownerOf(s string, m Message) Address {
	if loc := reVocative.FindStringIndex(s); loc != nil {
		name := s[:strings.IndexByte(s, ',')]
		for _, a := range append(append([]Address{}, m.To...), m.Cc...) {
			if strings.EqualFold(a.First(), name) {
				return a
			}
		}
		return Address{Name: name}
	}
	return firstOf(m.To)
}

// dedupe drops items of one message whose titles repeat.
func dedupe(items []Item) []Item {
	var out []Item
	for _, it := range items {
		dup := false
		for j := range out {
			if out[j].Kind == it.Kind && similar(out[j].Title, it.Title) {
				if out[j].Due.IsZero() && !it.Due.IsZero() {
					out[j].Due, out[j].DueText = it.Due, it.DueText
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	return out
}

// stop words ignored when comparing titles.
var stopWords = set("the", "a", "an", "to", "of", "for", "and", "or", "me", "my", "your", "you", "it", "them", "this", "that", "on", "in", "with", "by", "please", "i", "we", "us", "our", "is", "are", "be")

func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range tokens(s) {
		if !stopWords[t] && len(t) > 1 && t != "?" && t != "!" && t != ":" {
			out[t] = true
		}
	}
	return out
}

// similar reports whether two titles name the same task: the same first
// verb and at least a third of their content words shared, or half of
// them shared.
func similar(a, b string) bool {
	wa, wb := contentWords(a), contentWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	shared := 0
	for w := range wa {
		if wb[w] {
			shared++
		}
	}
	small := min(len(wa), len(wb))
	fa, fb := tokens(a), tokens(b)
	sameVerb := len(fa) > 0 && len(fb) > 0 && fa[0] == fb[0]
	return float64(shared) >= 0.5*float64(small) || (sameVerb && float64(shared) >= float64(small)/3)
}

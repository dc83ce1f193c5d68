package extract

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	var items []Item
	if m.Invite && !m.FromUser {
		items = append(items, Item{Kind: Todo, Title: clip("Answer the invitation: " + inviteSubject(m.Subject)), Sentence: m.Subject,
			Requester: m.From, Owner: opts.User, Confidence: 0.9, Question: true, Source: m.ID})
	}
	sents := Sentences(Body(m.Text))
	if len(sents) == 0 {
		return items, nil
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
	listAsk := false // the previous sentence introduced a list of asks ("Two more things from you, please:")
	for i, s := range texts {
		lead := listAsk && listItem(s)
		listAsk = lead // the list goes on while its items do
		if notAsk(s) || conditional(s) || social(s) || negative(s) {
			continue
		}
		if strings.HasSuffix(strings.TrimSpace(s), ":") {
			listAsk = requestCue(s) || reFromYou.MatchString(s)
			continue // a lead-in: its items are the asks
		}
		if m.FromUser {
			if p, ok := promise(s); ok {
				// "Send me your dates and I'll book": the ask before the
				// promise is a waiting item too.
				if before := s[:p.at]; reAskThenPromise.MatchString(before) && requestCue(before) {
					w := newItem(m, before, Waiting, nil, opts)
					w.Confidence, w.Requester, w.Owner = probs[i], opts.User, ownerOf(before, m)
					w.Title, w.Question = makeTitle("", strings.TrimRight(before, " ,;—–and"), w, m)
					items = append(items, w)
				}
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
		// The model decides, with the sentence's form: an explicit ask
		// ("please", "could you", an imperative, "a reminder to", "I need
		// your sign-off") needs less of it, a direct question a little
		// less, and a statement — even one that says "you" — a confident
		// model ("45 minutes would be plenty", "I'm on Pacific time").
		explicit := requestCue(s)
		cue := explicit || lead
		question := isQuestion(s)
		need := 0.85
		switch {
		case cue:
			need = min(opts.threshold(), 0.25)
		case question && len(strings.Fields(s)) >= 4:
			need = min(opts.threshold(), 0.4)
		case question:
			need = opts.threshold() // "Questions?" is no ask; "Придёшь?" may be
		}
		if probs[i] < need {
			continue
		}
		it := newItem(m, s, Todo, nil, opts)
		it.Confidence = probs[i]
		it.Requester = m.From
		it.Owner = opts.User
		switch {
		case lead && !explicit && !question:
			it.Title, it.Question = makeTitle("", "Send "+s, it, m)
		case reNeedYour.MatchString(s):
			it.Title = clip(upperFirst(reNeedYour.FindStringSubmatch(s)[1]) + " for " + it.Requester.First() + " (" + cleanLabel(m.Subject) + ")")
		default:
			it.Title, it.Question = makeTitle("", s, it, m)
		}
		if reAnsweredTitle.MatchString(it.Title) {
			it.Question = true // the user's reply does it
		}
		items = append(items, it)
	}
	items = nearbyDeadline(items, texts, m, opts)
	return dedupe(foldAnswers(mergeWaiting(items))), nil
}

var (
	// reSocial: pleasantries that read as asks to a model.
	reSocial = regexp.MustCompile(`(?i)^(?:\p{L}+,\s+)?(?:take (?:\w+ )?(?:\w+ )?(?:afternoon|day|days|evening|morning|week|time) off\b|(?:it was |it's |it is |so )?(?:lovely|nice|great|good|a pleasure|wonderful) to (?:meet|hear from|see|e-?meet|connect with) you|thanks? (?:you )?(?:\p{Lu}\p{L}+ )?for (?:connecting|introducing|the intro)|(?:have|enjoy) (?:a )?(?:great|good|nice|wonderful|lovely)\b|take care\b|congratulations\b)`)
	// reFromYou: a lead-in that asks ("what I need from you:").
	reFromYou = regexp.MustCompile(`(?i)\b(?:from you|need(?:ed)?|you(?:'ll| will) need|to do|please|action items?|next steps)\b`)
	// reAskThenPromise: an ask before "and I'll …" in the user's sentence.
	reAskThenPromise = regexp.MustCompile(`(?i)\S+\s+\S+`)
	// reNeedYour: "I need your sign-off before …" asks for that.
	reNeedYour = regexp.MustCompile(`(?i)\bneed (?:your|you to give (?:me|us) (?:your|an?)) (sign-?off|approval|signature|go-ahead|ok|okay|decision|feedback|input)\b`)
	// reAnswered: asks that the user's reply does ("let me know", "confirm
	// by reply", "tell me which").
	reAnswered = regexp.MustCompile(`(?i)\b(?:let (?:me|us) know|tell (?:me|us)\b|confirm (?:by reply|by return|to me|to us)|get back to (?:me|us)|reply (?:to (?:me|us|this)|with)|would love your (?:take|thoughts|view|input|feedback))`)
	// reCue: the forms of an explicit ask.
	reCue = regexp.MustCompile(`(?i)(?:^(?:please|kindly|pls)\b|\bplease\b|\b(?:could|can|would|will) you\b|\bwould you mind\b|\bi(?:'d| would)? (?:need|like|want) you to\b|\b(?:friendly |quick |gentle |kind )?reminder to\b|\bdon't forget to\b|\bremember to\b|\blet (?:me|us) know\b)`)
)

func social(s string) bool { return reSocial.MatchString(strings.TrimSpace(s)) }

// requestCue reports whether a sentence has the form of an explicit ask:
// "please", "could you", "I need you to", "a reminder to", "let me know",
// an imperative first verb (after a short label or a vocative), or "need
// your sign-off".
func requestCue(s string) bool {
	t := reLeadIn.ReplaceAllString(strings.TrimSpace(s), "")
	t = reVocativeLead.ReplaceAllString(t, "")
	if reCue.MatchString(t) || reNeedYour.MatchString(t) {
		return true
	}
	toks := tokens(t)
	return len(toks) > 0 && imperatives[toks[0]] && toks[0] != "let"
}

// isQuestion reports whether a sentence is a direct question of some
// length ("Questions?" is not).
// listItem reports whether a sentence reads as an item of a list of asks
// ("your slides by the 18th", "a bio of about 50 words"): it opens in
// lower case or with a determiner.
func listItem(s string) bool {
	t := strings.TrimSpace(s)
	r, _ := utf8.DecodeRuneInString(t)
	if unicode.IsLower(r) {
		return true
	}
	switch strings.ToLower(firstWord(t)) {
	case "your", "a", "an", "the", "some", "any", "all":
		return true
	}
	return false
}

func isQuestion(s string) bool {
	return strings.HasSuffix(strings.TrimSpace(s), "?")
}

// negative: an instruction not to do something ("Please don't go to any
// trouble!") asks for nothing; "don't forget to" does.
var reNegative = regexp.MustCompile(`(?i)^(?:please\s+|but\s+|and\s+)?(?:don't|do not|dont|never)\s`)

func negative(s string) bool {
	t := strings.TrimSpace(s)
	return reNegative.MatchString(t) && !strings.Contains(strings.ToLower(t), "forget")
}

// reAnsweredTitle: a task whose whole ask is an answer ("Let Nora know if
// that works", "Confirm by reply that …", "Tell Ben which …").
var reAnsweredTitle = regexp.MustCompile(`(?i)^(?:let \S+ know|tell \S+\b|confirm (?:by reply|by return|to)|get back to|reply\b|decide\b)`)

// reBareAnswer is an ask for an answer with nothing else in it ("Let me
// know.", "Thoughts?").
var reBareAnswer = regexp.MustCompile(`(?i)^(?:let \S+ know|thoughts|let \S+ know what you think)\W*(?:\(.*\))?$`)

// conditional: an alternative offered, not an ask ("If that doesn't work,
// please propose another time"; "If you had concerns, grab me instead").
// "If you could send …" is an ask.
var reConditional = regexp.MustCompile(`(?i)^(?:if|in case|should)\s`)
var reIfYouCould = regexp.MustCompile(`(?i)^if you (?:could|can|would|have a (?:minute|moment|sec))\b`)

func conditional(s string) bool {
	t := strings.TrimSpace(s)
	return reConditional.MatchString(t) && !reIfYouCould.MatchString(t)
}

// nearbyDeadline gives a task without a due date the deadline stated in
// the sentence right after its own when that sentence is no task ("Could
// you approve …? Raj needs the approval by noon tomorrow.").
func nearbyDeadline(items []Item, texts []string, m Message, opts Options) []Item {
	for i := range items {
		it := &items[i]
		if !it.Due.IsZero() || it.Kind != Todo || it.Promise {
			continue
		}
		for j, s := range texts {
			if s != it.Sentence || j+1 >= len(texts) {
				continue
			}
			next := texts[j+1]
			taken := false
			for _, o := range items {
				taken = taken || o.Sentence == next
			}
			if taken {
				break
			}
			d := newItem(m, next, Todo, nil, opts)
			if !d.Due.IsZero() && reDeadlineWord.MatchString(d.DueText) {
				it.Due, it.DueText = d.Due, d.DueText
			}
			break
		}
	}
	return items
}

// IsDeadline reports whether a due text names a deadline ("by Friday",
// "before noon", "end of day") rather than a moment ("on Monday",
// "starting next week").
func IsDeadline(dueText string) bool { return reDeadlineWord.MatchString(dueText) }

var reDeadlineWord = regexp.MustCompile(`(?i)^(?:by|before|until|no later than)\b|\b(?:eod|cob|end of)\b`)

// foldAnswers folds an ask that only wants an answer ("let me know",
// "would love your take", "tell me what suits you") into a question of the
// same message from the same person: answering the question does both.
func foldAnswers(items []Item) []Item {
	var out []Item
	for _, it := range items {
		answer := reAnswered.MatchString(it.Sentence) || reAnsweredTitle.MatchString(it.Title)
		if it.Kind == Todo && !it.Promise && answer && (!strings.HasSuffix(strings.TrimSpace(it.Sentence), "?") || reAnsweredTitle.MatchString(it.Title)) {
			bare := reBareAnswer.MatchString(it.Title)
			folded := false
			for j := range out {
				if out[j].Kind == Todo && sameAddr(out[j].Requester, it.Requester) &&
					(bare || out[j].Question && strings.HasPrefix(out[j].Title, "Answer ")) {
					if out[j].Due.IsZero() || (!it.Due.IsZero() && reDeadlineWord.MatchString(it.DueText) && !reDeadlineWord.MatchString(out[j].DueText)) {
						out[j].Due, out[j].DueText = it.Due, it.DueText
					}
					folded = true
					break
				}
			}
			if folded {
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// mergeWaiting keeps one waiting item per person a sent message asks:
// the action rather than the question ("How about Friday? Send an invite
// whenever suits." is waiting on Grace's invite), with the earliest date.
func mergeWaiting(items []Item) []Item {
	var out []Item
	for _, it := range items {
		if it.Kind != Waiting {
			out = append(out, it)
			continue
		}
		j := -1
		for k := range out {
			if out[k].Kind == Waiting && sameAddr(out[k].Owner, it.Owner) {
				j = k
				break
			}
		}
		if j < 0 {
			out = append(out, it)
			continue
		}
		keep, other := out[j], it
		if keep.Question && !it.Question {
			keep, other = it, out[j]
		}
		if keep.Due.IsZero() || (!other.Due.IsZero() && other.Due.Before(keep.Due)) {
			keep.Due, keep.DueText = other.Due, other.DueText
		}
		out[j] = keep
	}
	return out
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
	// A dash between clauses ends a date phrase ("in two weeks — two
	// engineers" is no 2 o'clock); the replacement keeps byte offsets.
	ds := reDashSep.ReplaceAllStringFunc(s, func(x string) string { return ";" + strings.Repeat(" ", len(x)-1) })
	if r, ok := pickDate(ds, ref, wo); ok {
		if due := when.DueFrom(r, wo); !due.Before(ref.Add(-time.Hour)) {
			it.Due, it.DueText = due, dueText(s, r)
		}
	}
	return it
}

var reDashSep = regexp.MustCompile(`\s[—–]\s`)

// pickDate chooses the date a sentence sets for its action: a stated
// deadline first, else the first date mentioned.
func pickDate(s string, ref time.Time, wo when.Options) (when.Result, bool) {
	var rs []when.Result
	for _, r := range when.Find(s, ref, wo) {
		if !ordinalNoun(s, r) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return when.Result{}, false
	}
	for _, r := range rs {
		if r.Deadline {
			return r, true
		}
	}
	for _, r := range rs {
		if pre := strings.ToLower(s[:r.Pos]); !strings.HasSuffix(pre, "for ") && !strings.HasSuffix(pre, "of ") {
			return r, true
		}
	}
	return rs[0], true
}

// reOrdinalOnly is a date that is only an ordinal ("the first", "on the
// 3rd").
var reOrdinalOnly = regexp.MustCompile(`(?i)^(?:on\s+)?the\s+(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)$`)

// ordinalNoun reports whether a date found in s is an ordinal that
// qualifies a noun instead ("on the first screen", "the second item").
func ordinalNoun(s string, r when.Result) bool {
	if !reOrdinalOnly.MatchString(strings.TrimSpace(r.Text)) || r.EndPos >= len(s) {
		return false
	}
	next := strings.ToLower(firstWord(s[r.EndPos:]))
	if next == "" || !unicode.IsLetter([]rune(next)[0]) {
		return false
	}
	switch next {
	case "of", "at", "by", "and", "or", "then", "in", "from", "to", "until", "before", "after", "so", "is", "would", "works", "please":
		return false
	}
	return true
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
var reNotAsk = regexp.MustCompile(`(?i)\b(no need to (reply|respond|rush|do anything|book)|no action (is )?(needed|required)|nothing (needed|required) from you|just (so you know|for your records|fyi)|for your information|no worries|don't worry|if you have any questions|questions\? just reply|feel free to get back|shout if i missed|reply for \S+@|you are receiving this|invitation from google|you have been invited)\b`)

func notAsk(s string) bool { return reNotAsk.MatchString(s) }

// promised is a commitment found in the user's sentence.
type promised struct {
	rest string
	at   int // where the promise starts in the sentence
}

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
	return &promised{rest: rest, at: m[0]}, true
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
	fa, fb := tokens(a), tokens(b)
	sameVerb := len(fa) > 0 && len(fb) > 0 && fa[0] == fb[0]
	if sameVerb {
		// The verb alone does not make two tasks one ("send your slides",
		// "send a bio"): compare what they are about.
		delete(wa, fa[0])
		delete(wb, fb[0])
		if len(wa) == 0 || len(wb) == 0 {
			return len(wa) == len(wb)
		}
	}
	shared := 0
	for w := range wa {
		if wb[w] {
			shared++
		}
	}
	small := min(len(wa), len(wb))
	return shared > 0 && (float64(shared) >= 0.5*float64(small) || (sameVerb && float64(shared) >= float64(small)/3))
}

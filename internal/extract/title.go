package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/when"
)

// Request openers removed from the front of a title.
var reOpener = regexp.MustCompile(`(?i)^(?:(?:and|also|so|just|but|then|oh|ok|okay|one more thing)[,:]?\s+)*(?:(?:please\s+)?(?:could|can|would|will)\s+you\s+(?:please\s+|kindly\s+|also\s+|just\s+)*|would you mind\s+|do you mind\s+|i need you to\s+|i'd like you to\s+|i would like you to\s+|would it be possible (?:for you\s+)?to\s+|are you able to\s+|is it possible (?:for you\s+)?to\s+|please\s+(?:do\s+)?|kindly\s+|pls\s+|remember to\s+|don't forget to\s+|(?:a |just a )?(?:friendly |quick |gentle |kind )?reminder to\s+)`)

// Trailing filler removed from the end of a title.
var reTrailer = regexp.MustCompile(`(?i)(?:[\s,;:—–-]+(?:please|for me|if you can|when you can|whenever you can|if possible|asap|at the latest|thanks|thank you|in the end|and|or))?[\s.?!,;:—–-]*$`)

// Verbs after "would you" that make the sentence a question rather than
// an instruction ("would you be interested?").
var questionVerbs = set("be", "have", "like", "mind", "prefer", "want", "know", "say", "think", "recommend", "agree", "consider")

var (
	reVocativeLead = regexp.MustCompile(`^\p{Lu}[\p{L}'-]+,\s+`)
	reMy           = regexp.MustCompile(`(?i)(^|\s)my\b`)
	reMe           = regexp.MustCompile(`(?i)(^|\s)me\b`)
	// reLeadIn is a short label before a colon ("Risk: ", "Quick one: ").
	reLeadIn = regexp.MustCompile(`^[^:?]{1,45}:\s+`)
	// reMidPlease starts the request in mid-sentence ("…, so please submit").
	reMidPlease = regexp.MustCompile(`(?i)(?:,|;|—|–|\bso|\band)\s+(please\s+\S.*)$`)
	// reTailClause ends a title before a fallback or aside.
	reTailClause = regexp.MustCompile(`(?i)(?:\s[—–]\s.*$|(?:,|;)\s*(?:otherwise|if not|or else|or|if that doesn't|so (?:that|our|we|i)|since|because|as (?:we|i))\b.*$|\s+so (?:that |our |we |i |the )\b.*$|,\s*(?:i|we)(?:'d|'ll|'m| want| need| would| will| can| am| have)\b.*$)`)
)

// makeTitle turns a request or promise into a short imperative title:
// "Could you send me the Q3 numbers by Friday?" → "Send the Q3 numbers to
// Priya". rest is the part after "I'll" in a promise.
func makeTitle(rest, sentence string, it Item, m Message) (string, bool) {
	s := sentence
	if rest != "" {
		s = rest
	}
	s = strings.TrimSpace(s)
	// Cut the date phrase (and its "by"/"on", or a "that" pointing at
	// it) out.
	if it.DueText != "" {
		if i := strings.Index(s, it.DueText); i >= 0 {
			after := s[i+len(it.DueText):]
			if !strings.HasPrefix(after, "'s ") && !strings.HasPrefix(after, "’s ") {
				s = reDangling.ReplaceAllString(s[:i], "") + after
			}
		}
	}
	s = reDatePrep.ReplaceAllString(s, " ")
	s = reVocativeLead.ReplaceAllString(s, "")
	if m := reMidPlease.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = reLeadIn.ReplaceAllString(s, "")
	question := false
	if loc := reOpener.FindStringIndex(s); loc != nil {
		after := s[loc[1]:]
		first := strings.ToLower(firstWord(after))
		opener := strings.ToLower(s[:loc[1]])
		if strings.Contains(opener, "you") && questionVerbs[first] {
			question = true
		} else {
			s = after
		}
	} else if rest == "" && strings.HasSuffix(strings.TrimSpace(sentence), "?") {
		question = true
	}
	who := it.Requester.First()
	if it.Kind == Waiting || it.Promise {
		who = it.Requester.First()
		if it.Kind == Waiting {
			who = it.Owner.First()
		}
	}
	if question {
		q := strings.TrimSpace(sentence)
		q = reVocativeLead.ReplaceAllString(q, "")
		if i := strings.LastIndex(q, ": "); i > 0 && i < len(q)-10 {
			q = q[i+2:]
		}
		if who == "" {
			return clip("Answer: " + lowerFirst(q)), true
		}
		if it.Kind == Waiting {
			return clip("Get an answer from " + who + ": " + lowerFirst(q)), true
		}
		return clip("Answer " + who + ": " + lowerFirst(q)), true
	}
	s = collapse(s)
	s = reTailClause.ReplaceAllString(s, "")
	s = reTrailer.ReplaceAllString(s, "")
	if it.Kind == Todo && !it.Promise && who != "" {
		s = rewriteMe(s, who)
	}
	if it.Kind == Waiting {
		s = dropMe(s) // "send me the quote": the title says who waits
	}
	if it.Promise {
		s = rePromiseTail.ReplaceAllString(s, "")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return clip(strings.TrimSpace(sentence)), false
	}
	title := upperFirst(s)
	if it.Kind == Waiting && who != "" {
		title = who + ": " + lowerFirst(s)
	}
	if (endsWithPronoun(s) || len(strings.Fields(s)) < 2) && m.Subject != "" {
		title += " (" + cleanSubject(m.Subject) + ")"
	}
	return clip(title), false
}

var (
	reDatePrep     = regexp.MustCompile(`(?i)\s+(?:by|before|on|until|no later than|at the latest by)\s*([,.?!]|$)`)
	rePromiseTail  = regexp.MustCompile(`(?i)\s+(?:and come back to you|and get back to you|and let you know)\b.*$`)
	reSubjectNoise = regexp.MustCompile(`(?i)^((re|fwd?|aw|wg|sv|tr)\s*:\s*)+`)
)

func cleanSubject(s string) string { return strings.TrimSpace(reSubjectNoise.ReplaceAllString(s, "")) }

// rewriteMe turns the requester's "me" and "my" into their name: "send me
// the numbers" → "send the numbers to Priya", "let me know" → "let Priya
// know", "my draft" → "Priya's draft".
func rewriteMe(s, who string) string {
	lower := strings.ToLower(s)
	for _, v := range []string{"send", "forward", "give", "email", "e-mail", "mail", "pass", "get", "bring", "show", "lend", "text"} {
		p := v + " me "
		if strings.HasPrefix(lower, p) {
			obj := s[len(p):]
			// "send me X by Friday, with Y" → "send X to Priya, with Y"
			cut := len(obj)
			if i := strings.IndexAny(obj, ",;(—–"); i > 0 {
				cut = i
			}
			return s[:len(v)] + " " + strings.TrimSpace(obj[:cut]) + " to " + who + obj[cut:]
		}
	}
	out := reMy.ReplaceAllString(s, "${1}"+who+"'s")
	return reMe.ReplaceAllString(out, "${1}"+who)
}

func endsWithPronoun(s string) bool {
	w := strings.ToLower(lastWord(strings.TrimRight(s, " .?!,")))
	return w == "it" || w == "them" || w == "this" || w == "that" || w == "one"
}

// collapse joins the words of s with single spaces and takes the space
// out before punctuation (left where a date phrase was cut).
func collapse(s string) string {
	return reSpacePunct.ReplaceAllString(strings.Join(strings.Fields(s), " "), "$1")
}

var (
	reSpacePunct = regexp.MustCompile(` ([,;:.?!])`)
	// reDangling is a word left pointing at a cut date phrase ("be at
	// home that [morning]").
	reDangling = regexp.MustCompile(`(?i)\s+(?:that|this|the|on|in|at|for|from)\s*$`)
	reMeObj    = regexp.MustCompile(`(?i)^(send|forward|give|email|e-mail|mail|pass|get|show|lend|text) (?:me|us) `)
	// reInvite is the calendar's wording around an invitation's title.
	reInviteWords = regexp.MustCompile(`(?i)^(?:(?:updated |new )?invitation|invite|einladung)\s*:\s*`)
	reInviteWhen  = regexp.MustCompile(`\s+@\s+.*$`)
)

// dropMe removes the requester's "me" after a giving verb: "send me an
// updated quote" → "send an updated quote".
func dropMe(s string) string { return reMeObj.ReplaceAllString(s, "$1 ") }

// inviteSubject is the event's title in an invitation's subject:
// "Invitation: Board prep @ Mon 10 Jun 2024 3pm (…)" → "Board prep".
func inviteSubject(s string) string {
	s = reInviteWords.ReplaceAllString(cleanSubject(s), "")
	return strings.TrimSpace(reInviteWhen.ReplaceAllString(s, ""))
}

// cleanLabel drops a reply prefix and a short label from a subject:
// "Approval needed: PO 4471 – Atlas storage vendor" → "PO 4471 – Atlas
// storage vendor".
func cleanLabel(s string) string {
	s = cleanSubject(s)
	if t := reLeadIn.ReplaceAllString(s, ""); t != "" {
		return t
	}
	return s
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[0], ",.;:?!")
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n < len(s) {
		r2, _ := utf8.DecodeRuneInString(s[n:])
		if unicode.IsUpper(r2) { // an acronym: keep it
			return s
		}
	}
	if r == 'I' && (len(s) == 1 || s[1] == ' ' || s[1] == '\'') {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// clip shortens a title to 90 bytes at a word boundary.
func clip(s string) string {
	s = collapse(s)
	if len(s) <= 90 {
		return s
	}
	cut := strings.LastIndexByte(s[:87], ' ')
	if cut < 40 {
		cut = 87
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

// Title turns a free-text task the user typed ("call Bob tomorrow 3pm")
// into a title and a due time, resolved against now in loc.
func Title(text string, now time.Time, loc *time.Location) (title string, due time.Time, phrase string) {
	text = collapse(text)
	if loc == nil {
		loc = now.Location()
	}
	wo := when.Options{Location: loc, FutureBias: true}
	r, ok := pickDate(text, now.In(loc), wo)
	if !ok {
		return upperFirst(text), time.Time{}, ""
	}
	due = when.DueFrom(r, wo)
	phrase = dueText(text, r)
	i := strings.Index(text, phrase)
	t := collapse(text[:i] + text[i+len(phrase):])
	t = strings.TrimRight(reDatePrep.ReplaceAllString(t, ""), " ,;:-")
	if t == "" {
		t = text
	}
	return upperFirst(t), due, phrase
}

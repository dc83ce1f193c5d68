// Package fallback holds the local answers of the jobs that can escalate:
// a template reply for compose, a scoring rule for prioritize and greedy
// scheduling into free time for plan. They run on the device, need no
// model, and say how confident they are so the router can decide whether
// a bigger model would pay off.
package fallback

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
)

// Message is what compose needs of the message being answered.
type Message struct {
	FromName string
	Subject  string
	Text     string
}

var intentKinds = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"decline", regexp.MustCompile(`(?i)\b(no|decline|can'?t|cannot|not able|unable|won'?t|pass|not (this|that) time|say no)\b`)},
	{"accept", regexp.MustCompile(`(?i)\b(yes|accept|agree|sounds good|works|fine|ok(ay)?|confirm|happy to|will do|sure|say yes)\b`)},
	{"later", regexp.MustCompile(`(?i)\b(later|next week|tomorrow|after|delay|postpone|busy|get back)\b`)},
	{"thanks", regexp.MustCompile(`(?i)\b(thank|thanks|appreciate)\b`)},
	{"ask", regexp.MustCompile(`(?i)\b(ask|which|when|what|where|who|how|clarify|more (info|details))\b`)},
}

// Compose drafts a reply from the user's intent and the message, with a
// template per kind of intent. The confidence is 0.8 when the intent is a
// short, recognised one (yes, no, later, thanks, a question) and lower for
// long or unrecognised intents, where a model would write better.
func Compose(intent string, m Message, signature string) (draft string, confidence float64) {
	intent = strings.TrimSpace(intent)
	first := firstName(m.FromName)
	greet := "Hi,"
	if first != "" {
		greet = "Hi " + first + ","
	}
	kind := ""
	for _, k := range intentKinds {
		if k.re.MatchString(intent) {
			kind = k.kind
			break
		}
	}
	body := sentence(intent)
	switch kind {
	case "accept":
		body = "Thanks for your message. " + body
	case "decline":
		body = "Thanks for thinking of me. " + body + " Sorry about that."
	case "later":
		body = "Thanks for your message. " + body
	case "thanks":
	case "ask":
		body = "Thanks for your message. " + body
	default:
		body = "Thanks for your message about " + quoteSubject(m.Subject) + ". " + body
	}
	var b strings.Builder
	b.WriteString(greet + "\n\n" + body + "\n\n")
	if signature != "" {
		b.WriteString("Best,\n" + signature + "\n")
	} else {
		b.WriteString("Best\n")
	}
	confidence = 0.8
	words := len(strings.Fields(intent))
	switch {
	case kind == "":
		confidence = 0.4
	case words > 12:
		confidence = 0.5
	}
	return b.String(), confidence
}

func firstName(name string) string {
	name = strings.TrimSpace(strings.Trim(name, `"'`))
	if i := strings.IndexByte(name, ','); i > 0 { // "Last, First"
		name = strings.TrimSpace(name[i+1:])
	}
	f := strings.Fields(name)
	if len(f) == 0 || strings.Contains(f[0], "@") {
		return ""
	}
	return f[0]
}

// sentence turns an intent ("say yes, friday works") into a sentence.
func sentence(intent string) string {
	s := intent
	for _, p := range []string{"say that ", "say ", "tell them ", "tell her ", "tell him ", "reply that ", "answer that "} {
		if strings.HasPrefix(strings.ToLower(s), p) {
			s = s[len(p):]
			break
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	low := strings.ToLower(s)
	switch {
	case low == "yes" || strings.HasPrefix(low, "yes,") || strings.HasPrefix(low, "yes "):
		s = "Yes" + s[3:]
	case low == "no" || strings.HasPrefix(low, "no,") || strings.HasPrefix(low, "no "):
		s = "Unfortunately, no" + s[2:]
	default:
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

func quoteSubject(s string) string {
	s = strings.TrimSpace(s)
	for {
		l := strings.ToLower(s)
		if strings.HasPrefix(l, "re:") || strings.HasPrefix(l, "fw:") {
			s = strings.TrimSpace(s[3:])
		} else if strings.HasPrefix(l, "fwd:") {
			s = strings.TrimSpace(s[4:])
		} else {
			break
		}
	}
	if s == "" {
		return "this"
	}
	return "\u201c" + s + "\u201d"
}

// Item is an open item to rank: a message or a task.
type Item struct {
	ID         string
	Title      string
	Due        time.Time // zero: none
	Received   time.Time
	Flagged    bool
	Unread     bool
	NeedsReply bool
	FromPerson bool // from a person (not a list or a machine)
	Kind       string
}

// Ranked is an item with its score and the reasons.
type Ranked struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Score float64  `json:"score"`
	Why   []string `json:"why"`
}

// Prioritize ranks items by a scoring rule: due soon, flagged, needs a
// reply, from a person, unread, age. The confidence is lower when the top
// of the list is a near tie (where judgement would help).
func Prioritize(items []Item, now time.Time) ([]Ranked, float64) {
	out := make([]Ranked, 0, len(items))
	for _, it := range items {
		r := Ranked{ID: it.ID, Title: it.Title}
		add := func(s float64, why string) { r.Score += s; r.Why = append(r.Why, why) }
		if !it.Due.IsZero() {
			h := it.Due.Sub(now).Hours()
			switch {
			case h < 0:
				add(5, "overdue")
			case h < 24:
				add(4, "due within a day")
			case h < 72:
				add(3, "due within 3 days")
			case h < 24*7:
				add(1.5, "due this week")
			}
		}
		if it.Flagged {
			add(2, "flagged")
		}
		if it.NeedsReply {
			add(2, "needs a reply")
		}
		if it.FromPerson {
			add(1.5, "from a person")
		}
		if it.Unread {
			add(0.5, "unread")
		}
		if !it.Received.IsZero() {
			days := now.Sub(it.Received).Hours() / 24
			if days > 0 && days < 14 {
				add(0.1*days, fmt.Sprintf("waiting %.0f days", days))
			}
		}
		switch it.Kind {
		case "newsletter", "promotion", "social", "spam":
			add(-2, it.Kind)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	conf := 0.85
	if len(out) >= 4 {
		ties := 0
		for i := 1; i < 4; i++ {
			if out[0].Score-out[i].Score < 0.5 {
				ties++
			}
		}
		if ties >= 2 {
			conf = 0.55
		}
	}
	return out, conf
}

// Task is something to schedule. Tasks may not exist in the store yet;
// callers adapt their own type to this.
type Task struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Estimate time.Duration `json:"estimate"`
	Due      time.Time     `json:"due,omitzero"`
	Priority int           `json:"priority"` // higher first
}

// Block is a task placed in time.
type Block struct {
	TaskID string    `json:"task"`
	Title  string    `json:"title"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// Plan places tasks greedily into free intervals (calendar.Free): by due
// date, then priority, then longest first, each in the earliest free
// interval where it fits before its due time. Tasks that fit nowhere are
// returned in unplaced. The confidence drops when tasks are left over or
// several land after their due date.
func Plan(tasks []Task, free []calendar.Interval) (blocks []Block, unplaced []Task, confidence float64) {
	ts := append([]Task(nil), tasks...)
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if a.Due.IsZero() != b.Due.IsZero() {
			return !a.Due.IsZero()
		}
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		if a.Priority != b.Priority {
			return a.Priority > b.Priority
		}
		return a.Estimate > b.Estimate
	})
	slots := append([]calendar.Interval(nil), free...)
	sort.Slice(slots, func(i, j int) bool { return slots[i].Start.Before(slots[j].Start) })
	for _, t := range ts {
		est := t.Estimate
		if est <= 0 {
			est = 30 * time.Minute
		}
		placed := false
		for i := range slots {
			s := slots[i]
			if s.End.Sub(s.Start) < est {
				continue
			}
			end := s.Start.Add(est)
			if !t.Due.IsZero() && end.After(t.Due) {
				continue
			}
			blocks = append(blocks, Block{TaskID: t.ID, Title: t.Title, Start: s.Start, End: end})
			slots[i].Start = end
			placed = true
			break
		}
		if !placed {
			unplaced = append(unplaced, t)
		}
	}
	sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].Start.Before(blocks[j].Start) })
	confidence = 0.85
	if len(unplaced) > 0 {
		confidence = 0.5
	}
	return blocks, unplaced, confidence
}

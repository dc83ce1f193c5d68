package extract

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/when"
)

// Status of a task.
type Status string

// Statuses.
const (
	Open Status = "open"
	Done Status = "done"
)

// Task is an item followed through its thread.
type Task struct {
	Item
	Status Status `json:"status"`
	// Sources lists the messages that asked, promised or repeated it;
	// Item.Source is the first.
	Sources []string `json:"sources"`
	// ClosedBy is the message that completed it; MovedBy the last one
	// that moved its due date.
	ClosedBy string `json:"closed_by,omitempty"`
	MovedBy  string `json:"moved_by,omitempty"`
}

// Thread folds the messages of one thread, oldest first, into its tasks:
// a request asked again or answered by a promise is one task (the promise's
// date wins); a later message can complete tasks ("done", "here you go",
// "attached") or move their due date ("actually Monday is fine").
func Thread(ctx context.Context, msgs []Message, sc Scorer, opts Options) ([]Task, error) {
	var tasks []Task
	for _, m := range msgs {
		if Automated(m) {
			continue
		}
		moved := applyUpdates(tasks, m, opts)
		items, err := Extract(ctx, m, sc, opts)
		if err != nil {
			return nil, err
		}
		if moved {
			continue // a message that moves a deadline adds no tasks
		}
		for _, it := range items {
			if i := match(tasks, it); i >= 0 {
				t := &tasks[i]
				t.Sources = append(t.Sources, it.Source)
				if !it.Due.IsZero() && (it.Promise || t.Due.IsZero()) {
					t.Due, t.DueText = it.Due, it.DueText
				}
				if it.Confidence > t.Confidence {
					t.Confidence = it.Confidence
				}
				continue
			}
			tasks = append(tasks, Task{Item: it, Status: Open, Sources: []string{it.Source}})
		}
	}
	return tasks, nil
}

// match finds an open task of the thread that a new item repeats: the same
// kind and counterpart, and a similar title — or a promise of the user
// answering a request from the person promised to.
func match(tasks []Task, it Item) int {
	for i := range tasks {
		t := &tasks[i]
		if t.Status != Open || t.Kind != it.Kind {
			continue
		}
		if !sameAddr(t.Requester, it.Requester) || !sameAddr(t.Owner, it.Owner) {
			continue
		}
		if similar(t.Title, it.Title) {
			return i
		}
		// A bare "Let me know." later in the thread asks again.
		if it.Kind == Todo && t.Kind == Todo && !it.Promise && reBareAnswer.MatchString(it.Title) {
			return i
		}
		// "I'll review it" answering "Could you review and …".
		if it.Promise && !t.Promise && firstWord(strings.ToLower(it.Title)) == firstWord(strings.ToLower(t.Title)) &&
			strings.Contains(" "+strings.ToLower(it.Title)+" ", " it ") || strings.Contains(" "+strings.ToLower(it.Title)+" ", " them ") {
			if firstWord(strings.ToLower(it.Title)) == firstWord(strings.ToLower(t.Title)) {
				return i
			}
		}
	}
	return -1
}

func sameAddr(a, b Address) bool {
	if a.Email != "" && b.Email != "" {
		return strings.EqualFold(a.Email, b.Email)
	}
	return strings.EqualFold(a.First(), b.First())
}

var (
	// reDone: the writer reports the work done or delivers it.
	reDone = regexp.MustCompile(`(?i)^(?:done\b|all done\b|approved\b|here you go\b|here it is\b|here they are\b|here are\b)|\b(?:(?:has|have) been (?:reset|sent|done|fixed|uploaded|shared|booked|submitted|approved|signed|provisioned|paid|updated|completed)|i(?:'ve| have) (?:sent|done|fixed|uploaded|shared|booked|submitted|approved|signed|attached|finished|completed)|(?:is|are) (?:attached|in the runbook now|done now|live now|ready now)|(?:please )?find (?:it |them )?attached|attached (?:is|are)|(?:invoice|file|document|report|slides|numbers)[^.]{0,40}attached|taken care of|all set)\b`)
	// reThanksGot: the requester acknowledges receiving what they asked.
	reThanksGot = regexp.MustCompile(`(?i)\b(?:got it|received (?:it|them)|that's all i needed|perfect, thanks|thanks, (?:that's|this is) (?:great|perfect))\b`)
	// reMove: the writer relaxes or moves a deadline.
	reMove = regexp.MustCompile(`(?i)\b(?:actually\b[^.]*\b(?:is|are|would be) (?:fine|ok|okay|enough)|(?:is|are|would be) (?:fine|ok|okay) (?:too|as well|instead)|can wait (?:until|till|for)|no (?:rush|hurry)|instead of|push(?:ed)? (?:it |this |the deadline )?(?:back )?to|postpone[ds]? (?:it |this )?(?:to|until)|move[ds]? (?:it|this|the deadline) to|extend(?:ed)? (?:it |the deadline )?(?:to|until)|new deadline)\b`)
)

// applyUpdates applies what a message says about the thread's open tasks
// and reports whether it moved a due date.
func applyUpdates(tasks []Task, m Message, opts Options) bool {
	body := Body(m.Text)
	if body == "" {
		return false
	}
	if m.FromUser {
		// The user's reply answers the questions its recipients asked.
		for i := range tasks {
			t := &tasks[i]
			if t.Status == Open && t.Kind == Todo && t.Question && recipient(m, t.Requester) {
				t.Status, t.ClosedBy = Done, m.ID
			}
		}
	}
	sents := Sentences(body)
	moved := false
	for _, s := range sents {
		switch {
		case reDone.MatchString(s.Text) || reThanksGot.MatchString(s.Text):
			for i := range tasks {
				t := &tasks[i]
				if t.Status != Open {
					continue
				}
				// Someone else delivers what the user waits for, or the
				// user delivers what was asked of them, or the requester
				// confirms receipt.
				deliverer := (t.Kind == Waiting && !m.FromUser && sameAddr(t.Owner, m.From)) ||
					(t.Kind == Todo && m.FromUser && !reThanksGot.MatchString(s.Text) && recipient(m, t.Requester))
				thanked := t.Kind == Todo && !m.FromUser && sameAddr(t.Requester, m.From) && reThanksGot.MatchString(s.Text)
				if deliverer || thanked {
					t.Status, t.ClosedBy = Done, m.ID
				}
			}
		case reMove.MatchString(s.Text):
			due, text, ok := moveDate(s.Text, m, opts)
			if !ok {
				continue
			}
			for i := range tasks {
				t := &tasks[i]
				if t.Status != Open {
					continue
				}
				// The requester relaxes the user's task, or the user moves
				// what they wait for.
				if (t.Kind == Todo && !m.FromUser && sameAddr(t.Requester, m.From)) ||
					(t.Kind == Waiting && m.FromUser && recipient(m, t.Owner)) {
					t.Due, t.DueText, t.MovedBy = due, text, m.ID
					moved = true
				}
			}
		}
	}
	return moved
}

func recipient(m Message, a Address) bool {
	for _, r := range append(append([]Address{}, m.To...), m.Cc...) {
		if sameAddr(r, a) {
			return true
		}
	}
	return false
}

// moveDate finds the new date in a moving sentence: the date in the clause
// that carries the move ("so actually Monday is fine"), else the last one.
func moveDate(s string, m Message, opts Options) (time.Time, string, bool) {
	loc := opts.Location
	if loc == nil {
		loc = m.Date.Location()
	}
	ref := m.Date.In(loc)
	wo := when.Options{Location: loc, FutureBias: true}
	rs := when.Find(s, ref, wo)
	if len(rs) == 0 {
		return time.Time{}, "", false
	}
	cue := reMove.FindStringIndex(s)
	best := rs[len(rs)-1]
	bestDist := -1
	for _, r := range rs {
		d := 0 // inside the cue ("actually Monday is fine") is best
		if r.EndPos <= cue[0] {
			d = cue[0] - r.EndPos
		} else if r.Pos >= cue[1] {
			d = r.Pos - cue[1]
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = r, d
		}
	}
	return when.DueFrom(best, wo), dueText(s, best), true
}

// FromMessage converts a parsed message for the extractor; user is the
// user's own address (the message is theirs when it is From it).
func FromMessage(m *pam.Message, user Address) Message {
	conv := func(as []pam.Address) []Address {
		out := make([]Address, len(as))
		for i, a := range as {
			out[i] = Address{Name: a.Name, Email: strings.ToLower(a.Email)}
		}
		return out
	}
	out := Message{ID: m.ID, To: conv(m.To), Cc: conv(m.Cc), Date: m.Date, Subject: m.Subject, Text: m.Text, Headers: m.Headers}
	if len(m.From) > 0 {
		out.From = Address{Name: m.From[0].Name, Email: strings.ToLower(m.From[0].Email)}
	}
	out.FromUser = user.Email != "" && strings.EqualFold(out.From.Email, user.Email)
	for _, c := range m.Calendar {
		if bytes.Contains(bytes.ToUpper(c), []byte("METHOD:REQUEST")) {
			out.Invite = true
		}
	}
	return out
}

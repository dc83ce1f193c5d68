// Package brief builds the daily brief: the messages that need a reply
// (ranked), tasks due and overdue, what the user waits on, today's agenda,
// and a few suggested next actions. It is pure: the caller gathers the
// inputs from the store.
package brief

import (
	"fmt"
	"sort"
	"time"
)

// Message is a candidate for "needs a reply".
type Message struct {
	ID         string    `json:"id"`
	From       string    `json:"from"`
	Subject    string    `json:"subject"`
	Date       time.Time `json:"date"`
	NeedsReply float64   `json:"needs_reply"` // probability, from the classifier or the reply trigger
	Unread     bool      `json:"unread"`
	Flagged    bool      `json:"flagged"`
	Replied    bool      `json:"-"` // the user already answered in the thread
	Score      float64   `json:"score"`
}

// Task is a task as the brief shows it.
type Task struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Due       time.Time `json:"due"`
	Waiting   bool      `json:"waiting"`
	Owner     string    `json:"owner,omitempty"`
	Requester string    `json:"requester,omitempty"`
}

// Event is an agenda item.
type Event struct {
	Summary string    `json:"summary"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	AllDay  bool      `json:"all_day"`
}

// Input is everything the brief is made of.
type Input struct {
	Now      time.Time
	Loc      *time.Location
	Messages []Message
	Tasks    []Task // open tasks
	Agenda   []Event
	// MinNeedsReply is the probability from which a message is listed;
	// 0 means 0.5.
	MinNeedsReply float64
	// Limit bounds the reply list; 0 means 10.
	Limit int
}

// Brief is the daily brief.
type Brief struct {
	Date       string    `json:"date"`
	NeedsReply []Message `json:"needs_reply"`
	Overdue    []Task    `json:"overdue"`
	DueToday   []Task    `json:"due_today"`
	Waiting    []Task    `json:"waiting"`
	Agenda     []Event   `json:"agenda"`
	Next       []string  `json:"next"`
}

// Build ranks and groups the input.
func Build(in Input) Brief {
	loc := in.Loc
	if loc == nil {
		loc = time.Local
	}
	now := in.Now.In(loc)
	endOfDay := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
	minNR := in.MinNeedsReply
	if minNR <= 0 {
		minNR = 0.5
	}
	limit := in.Limit
	if limit <= 0 {
		limit = 10
	}
	b := Brief{Date: now.Format("Monday 2 January 2006"), NeedsReply: []Message{}, Overdue: []Task{}, DueToday: []Task{}, Waiting: []Task{}, Agenda: []Event{}, Next: []string{}}

	for _, m := range in.Messages {
		if m.Replied || m.NeedsReply < minNR {
			continue
		}
		age := now.Sub(m.Date).Hours() / 24
		m.Score = m.NeedsReply
		if m.Flagged {
			m.Score += 0.3
		}
		if m.Unread {
			m.Score += 0.15
		}
		switch { // fresh mail first, but old unanswered mail does not vanish
		case age < 1:
			m.Score += 0.2
		case age < 3:
			m.Score += 0.1
		case age > 14:
			m.Score -= 0.2
		}
		b.NeedsReply = append(b.NeedsReply, m)
	}
	sort.SliceStable(b.NeedsReply, func(i, j int) bool { return b.NeedsReply[i].Score > b.NeedsReply[j].Score })
	if len(b.NeedsReply) > limit {
		b.NeedsReply = b.NeedsReply[:limit]
	}

	for _, t := range in.Tasks {
		switch {
		case t.Waiting:
			b.Waiting = append(b.Waiting, t)
		case t.Due.IsZero():
		case t.Due.Before(in.Now):
			b.Overdue = append(b.Overdue, t)
		case t.Due.Before(endOfDay):
			b.DueToday = append(b.DueToday, t)
		}
	}
	byDue := func(ts []Task) {
		sort.SliceStable(ts, func(i, j int) bool {
			if ts[i].Due.IsZero() != ts[j].Due.IsZero() {
				return !ts[i].Due.IsZero()
			}
			return ts[i].Due.Before(ts[j].Due)
		})
	}
	byDue(b.Overdue)
	byDue(b.DueToday)
	byDue(b.Waiting)

	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	for _, e := range in.Agenda {
		if e.End.After(start) && e.Start.Before(endOfDay) {
			b.Agenda = append(b.Agenda, e)
		}
	}
	sort.SliceStable(b.Agenda, func(i, j int) bool { return b.Agenda[i].Start.Before(b.Agenda[j].Start) })

	b.Next = next(b, in.Now, loc)
	return b
}

// next suggests up to five actions: the most overdue task, the next
// meeting, the top replies, today's tasks, and chasing late waiting-ons.
func next(b Brief, now time.Time, loc *time.Location) []string {
	out := []string{}
	if len(b.Overdue) > 0 {
		t := b.Overdue[0]
		out = append(out, fmt.Sprintf("Do first: %s (overdue since %s)", t.Title, t.Due.In(loc).Format("Mon 2 Jan 15:04")))
	}
	for _, e := range b.Agenda {
		if !e.AllDay && e.Start.After(now) {
			out = append(out, fmt.Sprintf("Prepare for %s at %s", e.Summary, e.Start.In(loc).Format("15:04")))
			break
		}
	}
	for i, m := range b.NeedsReply {
		if i == 2 {
			break
		}
		out = append(out, fmt.Sprintf("Reply to %s: %s", m.From, m.Subject))
	}
	for _, t := range b.DueToday {
		out = append(out, fmt.Sprintf("Finish today: %s (by %s)", t.Title, t.Due.In(loc).Format("15:04")))
		break
	}
	for _, t := range b.Waiting {
		if !t.Due.IsZero() && t.Due.Before(now) {
			out = append(out, fmt.Sprintf("Chase %s: %s (was due %s)", t.Owner, t.Title, t.Due.In(loc).Format("Mon 2 Jan")))
			break
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

package corpus

import (
	"sort"
	"strings"
	"time"
)

// ReplyWindow is how long after a message an answer to it counts.
const ReplyWindow = 7 * 24 * time.Hour

// Replied marks, among the messages of one mailbox, those the user
// evidently answered. The Enron mailboxes hold the inbox only (no sent
// folder, and almost no In-Reply-To headers), so an answer is seen through
// what came back: a later message (within ReplyWindow) whose subject is
// "Re:"/"RE:" of the same subject and that either is from the user or quotes
// a header line naming the user ("From: Beck, Sally", "Sally
// Beck/HOU/ECT@ECT", the user's address). surname is the user's surname
// (the part of an Enron user directory before the dash). The result is
// indexed like ls and only looks at each message's own mailbox group.
func Replied(ls []Labelled, surname string) []bool {
	type ref struct {
		i    int
		date time.Time
	}
	bySubj := map[string][]ref{}
	for i, l := range ls {
		if !isReply(l.Msg.Subject) {
			continue
		}
		s := baseSubject(l.Msg.Subject)
		if s == "" {
			continue
		}
		bySubj[l.Group+"\x00"+s] = append(bySubj[l.Group+"\x00"+s], ref{i, l.Date})
	}
	for _, rs := range bySubj {
		sort.Slice(rs, func(a, b int) bool { return rs[a].date.Before(rs[b].date) })
	}
	out := make([]bool, len(ls))
	surname = strings.ToLower(surname)
	for i, l := range ls {
		if l.Date.IsZero() || fromUser(l) {
			continue
		}
		s := baseSubject(l.Msg.Subject)
		if s == "" {
			continue
		}
		for _, r := range bySubj[l.Group+"\x00"+s] {
			if r.i == i || !r.date.After(l.Date) {
				continue
			}
			if r.date.Sub(l.Date) > ReplyWindow {
				break
			}
			if fromUser(ls[r.i]) || quotesUser(ls[r.i].Msg.Text, surname, ls[r.i].Msg.UserAddresses) {
				out[i] = true
				break
			}
		}
	}
	return out
}

func fromUser(l Labelled) bool {
	for _, a := range l.Msg.UserAddresses {
		if strings.EqualFold(a, l.Msg.From) {
			return true
		}
	}
	return false
}

// quotesUser reports whether text has a quoted header line that names the
// user as the author: a "From:" line with the surname or an address of the
// user, or a Lotus Notes attribution ("Sally Beck/HOU/ECT@ECT", "Sally
// Beck@ENRON").
func quotesUser(text, surname string, addrs []string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		l := strings.ToLower(strings.TrimLeft(line, "> \t"))
		if len(l) > 200 {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "from:"); ok {
			if surname != "" && strings.Contains(rest, surname) {
				return true
			}
			for _, a := range addrs {
				if a != "" && strings.Contains(rest, strings.ToLower(a)) {
					return true
				}
			}
			continue
		}
		if surname != "" && len(l) < 80 && (strings.Contains(l, surname+"/") || strings.Contains(l, surname+"@")) && !strings.Contains(l, "to:") && !strings.Contains(l, "cc:") {
			return true
		}
	}
	return false
}

// isReply reports whether a subject starts with a reply prefix.
func isReply(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "re:") || strings.HasPrefix(s, "re :") || strings.HasPrefix(s, "aw:")
}

// baseSubject is the subject without reply and forward prefixes, folded
// to lower case with runs of space collapsed.
func baseSubject(s string) string {
	s = strings.ToLower(s)
	for {
		t := strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(t, "re:"), strings.HasPrefix(t, "fw:"), strings.HasPrefix(t, "aw:"):
			t = t[3:]
		case strings.HasPrefix(t, "fwd:"), strings.HasPrefix(t, "re :"):
			t = t[4:]
		}
		if t == s {
			break
		}
		s = t
	}
	return strings.Join(strings.Fields(s), " ")
}

// Mailboxes gathers the whole mailbox of each Enron user (hand-labelled
// and unlabelled messages alike) of the training part, or of the held-out
// part when held is true, by group, in no particular order.
func (d *KindData) Mailboxes(held bool) map[string][]Labelled {
	hand, pool := d.Train, d.Pool
	if held {
		hand, pool = d.Test, d.HeldPool
	}
	out := map[string][]Labelled{}
	for _, l := range hand {
		// d.Train also holds the weak-labelled messages, which are in
		// the pool as well.
		if !l.Weak && strings.HasPrefix(l.Rel, "enron/") {
			out[l.Group] = append(out[l.Group], l)
		}
	}
	for _, l := range pool {
		if strings.HasPrefix(l.Rel, "enron/") {
			out[l.Group] = append(out[l.Group], l)
		}
	}
	return out
}

// ReplyCheck compares Replied with the hand needs_reply labels of the
// training (or held-out) Enron mailboxes: counts of hand yes/no against
// replied or not, per group, and how many messages of each mailbox the
// rule marks.
type ReplyCheck struct {
	Group                string
	TP, FP, FN, TN       int // hand label (yes/no) against replied
	Marked, Messages     int // the whole mailbox
	PersonMarked, Person int // messages a weak rule calls person
}

// CheckReplied runs Replied on each mailbox and counts it against the
// hand labels.
func (d *KindData) CheckReplied(held bool) []ReplyCheck {
	var out []ReplyCheck
	mb := d.Mailboxes(held)
	var groups []string
	for g := range mb {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		ls := mb[g]
		surname, _, _ := strings.Cut(g, "-")
		r := Replied(ls, surname)
		c := ReplyCheck{Group: g, Messages: len(ls)}
		for i, l := range ls {
			if r[i] {
				c.Marked++
			}
			if l.Weak {
				if l.Kind == "person" {
					c.Person++
					if r[i] {
						c.PersonMarked++
					}
				}
				continue
			}
			switch {
			case l.NeedsReply && r[i]:
				c.TP++
			case l.NeedsReply:
				c.FN++
			case r[i]:
				c.FP++
			default:
				c.TN++
			}
		}
		out = append(out, c)
	}
	return out
}

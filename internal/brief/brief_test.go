package brief

import (
	"strings"
	"testing"
	"time"
)

func TestBuild(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2024, 6, 5, 9, 0, 0, 0, loc)
	in := Input{
		Now: now, Loc: loc,
		Messages: []Message{
			{ID: "a", From: "Maria", Subject: "PO approval", Date: now.Add(-3 * time.Hour), NeedsReply: 0.9, Unread: true},
			{ID: "b", From: "Tom", Subject: "mocks", Date: now.AddDate(0, 0, -2), NeedsReply: 0.7},
			{ID: "c", From: "Shop", Subject: "sale", Date: now, NeedsReply: 0.1},
			{ID: "d", From: "Eva", Subject: "talk", Date: now.AddDate(0, 0, -1), NeedsReply: 0.95, Replied: true},
			{ID: "e", From: "Dana", Subject: "MSA", Date: now.AddDate(0, 0, -5), NeedsReply: 0.6, Flagged: true},
		},
		Tasks: []Task{
			{ID: 1, Title: "Send the Q3 numbers", Due: now.Add(-24 * time.Hour)},
			{ID: 2, Title: "Submit scorecard", Due: now.Add(6 * time.Hour)},
			{ID: 3, Title: "Book the restaurant"},
			{ID: 4, Title: "check the egress numbers", Waiting: true, Owner: "Jonas", Due: now.Add(-2 * time.Hour)},
			{ID: 5, Title: "Plan next year", Due: now.AddDate(0, 0, 3)},
		},
		Agenda: []Event{
			{Summary: "Standup", Start: now.Add(time.Hour), End: now.Add(75 * time.Minute)},
			{Summary: "Tomorrow", Start: now.AddDate(0, 0, 1), End: now.AddDate(0, 0, 1).Add(time.Hour)},
		},
	}
	b := Build(in)
	var ids []string
	for _, m := range b.NeedsReply {
		ids = append(ids, m.ID)
	}
	if got, want := strings.Join(ids, ","), "a,e,b"; got != want {
		t.Errorf("needs reply = %s, want %s (fresh unread first, replied and bulk out)", got, want)
	}
	if len(b.Overdue) != 1 || b.Overdue[0].ID != 1 || len(b.DueToday) != 1 || b.DueToday[0].ID != 2 {
		t.Errorf("overdue %+v due today %+v, want task 1 and task 2", b.Overdue, b.DueToday)
	}
	if len(b.Waiting) != 1 || b.Waiting[0].Owner != "Jonas" {
		t.Errorf("waiting = %+v", b.Waiting)
	}
	if len(b.Agenda) != 1 || b.Agenda[0].Summary != "Standup" {
		t.Errorf("agenda = %+v, want today's standup only", b.Agenda)
	}
	want := []string{"Do first: Send the Q3 numbers", "Prepare for Standup at 10:00", "Reply to Maria: PO approval", "Reply to Dana: MSA", "Finish today: Submit scorecard"}
	if len(b.Next) != len(want) {
		t.Fatalf("next = %q, want %d items", b.Next, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(b.Next[i], w) {
			t.Errorf("next[%d] = %q, want prefix %q", i, b.Next[i], w)
		}
	}
}

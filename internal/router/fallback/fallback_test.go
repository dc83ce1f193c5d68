package fallback

import (
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
)

func TestCompose(t *testing.T) {
	m := Message{FromName: "Whitfield, Dana", Subject: "Re: Lease renewal", Text: "Can you sign by Friday?"}
	for _, tc := range []struct {
		intent   string
		contains []string
		conf     float64
	}{
		{"say yes, Friday works", []string{"Hi Dana,", "Yes, Friday works.", "Best,\nAlex"}, 0.8},
		{"no, I can't make it", []string{"Unfortunately, no, I can't make it.", "Sorry"}, 0.8},
		{"the lease", []string{"about \u201cLease renewal\u201d", "The lease."}, 0.4},
	} {
		got, conf := Compose(tc.intent, m, "Alex")
		for _, c := range tc.contains {
			if !strings.Contains(got, c) {
				t.Errorf("Compose(%q) = %q, want it to contain %q", tc.intent, got, c)
			}
		}
		if conf != tc.conf {
			t.Errorf("Compose(%q) confidence = %v, want %v", tc.intent, conf, tc.conf)
		}
	}
}

func TestPrioritize(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	items := []Item{
		{ID: "news", Kind: "newsletter", Unread: true},
		{ID: "boss", FromPerson: true, NeedsReply: true, Due: now.Add(5 * time.Hour)},
		{ID: "flag", Flagged: true},
		{ID: "late", Due: now.Add(-time.Hour)},
	}
	got, _ := Prioritize(items, now)
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if want := "boss late flag news"; strings.Join(ids, " ") != want {
		t.Errorf("Prioritize order = %v, want %s", ids, want)
	}
}

func TestPlan(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	busy := []calendar.Interval{{Start: day.Add(9 * time.Hour), End: day.Add(11 * time.Hour)}}
	free := calendar.Free(busy, day, day.Add(24*time.Hour), calendar.WorkHours{Days: []time.Weekday{time.Monday}, Start: 9 * time.Hour, End: 17 * time.Hour, Loc: time.UTC}, 15*time.Minute)
	tasks := []Task{
		{ID: "a", Estimate: time.Hour, Priority: 1},
		{ID: "b", Estimate: 2 * time.Hour, Due: day.Add(14 * time.Hour)},
		{ID: "c", Estimate: 9 * time.Hour},
	}
	blocks, unplaced, conf := Plan(tasks, free)
	if len(blocks) != 2 || blocks[0].TaskID != "b" || !blocks[0].Start.Equal(day.Add(11*time.Hour)) || blocks[1].TaskID != "a" || !blocks[1].Start.Equal(day.Add(13*time.Hour)) {
		t.Errorf("Plan blocks = %+v, want b at 11:00, a at 13:00", blocks)
	}
	if len(unplaced) != 1 || unplaced[0].ID != "c" || conf != 0.5 {
		t.Errorf("Plan unplaced = %+v conf %v, want c, 0.5", unplaced, conf)
	}
	for _, b := range blocks {
		for _, x := range busy {
			if b.Start.Before(x.End) && x.Start.Before(b.End) {
				t.Errorf("block %+v overlaps busy %+v", b, x)
			}
		}
	}
}

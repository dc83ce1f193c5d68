package reply

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/mail"
)

var now = time.Date(2024, 6, 5, 13, 0, 0, 0, time.UTC)

func demoInput(t *testing.T, key string) Input {
	t.Helper()
	loc, _ := time.LoadLocation(demo.UserZone)
	m, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, dm := range demo.Messages(now) {
		if dm.Key != key {
			continue
		}
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			t.Fatal(err)
		}
		msg := extract.FromMessage(pm, extract.Address{Email: demo.UserEmail})
		var texts []string
		for _, s := range extract.Sentences(extract.Body(msg.Text)) {
			texts = append(texts, s.Text)
		}
		probs, _ := m.Score(context.Background(), texts)
		return Input{Msg: msg, Probs: probs, Loc: loc}
	}
	t.Fatalf("no demo message %s", key)
	return Input{}
}

func busy(t *testing.T, loc *time.Location) []calendar.Interval {
	cal, err := calendar.Parse(bytes.NewReader(demo.Calendar(now)))
	if err != nil {
		t.Fatal(err)
	}
	return calendar.FreeBusy(cal, now, now.AddDate(0, 0, 21), loc)
}

func TestMeetingReplies(t *testing.T) {
	in := demoInput(t, "meet-aisha")
	b := busy(t, in.Loc)
	in.Slots = FreeSlots(b, now, in.Loc, 30*time.Minute, 2)
	if len(in.Slots) != 2 {
		t.Fatalf("FreeSlots = %v, want 2", in.Slots)
	}
	for _, s := range in.Slots {
		for _, iv := range b {
			if s.Before(iv.End) && s.Add(30*time.Minute).After(iv.Start) {
				t.Errorf("slot %v overlaps busy %v–%v", s, iv.Start, iv.End)
			}
		}
		if lt := s.In(in.Loc); lt.Hour() < 9 || lt.Hour() >= 17 || lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday || !s.After(now) {
			t.Errorf("slot %v outside working hours or not in the future", lt)
		}
	}
	if ok, _ := Trigger(in, 0.5); !ok {
		t.Fatal("Trigger(meeting request) = false")
	}
	sug := New(nil).Suggest(in)
	checkThree(t, sug)
	named := false
	for _, s := range sug {
		if strings.Contains(s.Text, FormatTime(in.Slots[0], in.Loc)) {
			named = true
		}
	}
	if !named {
		t.Errorf("no suggestion names the free slot %s: %+v", FormatTime(in.Slots[0], in.Loc), sug)
	}
}

func checkThree(t *testing.T, sug []Suggestion) {
	t.Helper()
	if len(sug) != 3 {
		t.Fatalf("Suggest = %d suggestions %+v, want 3", len(sug), sug)
	}
	intents, texts := map[Intent]bool{}, map[string]bool{}
	pos, neg := false, false
	for _, s := range sug {
		intents[s.Intent], texts[s.Text] = true, true
		pos = pos || s.Polarity == Positive
		neg = neg || s.Polarity == Negative
	}
	if len(intents) != 3 || len(texts) != 3 {
		t.Errorf("suggestions not distinct: %+v", sug)
	}
	if !pos || !neg {
		t.Errorf("suggestions %+v: want one positive and one negative", sug)
	}
}

func TestRequestReplies(t *testing.T) {
	in := demoInput(t, "chloe-slides")
	sug := New(nil).Suggest(in)
	checkThree(t, sug)
	if sug[0].Intent != WillDo {
		t.Errorf("first suggestion for a request = %s, want will-do", sug[0].Intent)
	}
}

func TestTriggerSkips(t *testing.T) {
	for _, key := range []string{"s-q3-commit", "maria-close"} {
		in := demoInput(t, key)
		if key == "maria-close" {
			// FYI without an ask still triggers only weakly.
			if ok, _ := Trigger(in, 0.7); ok {
				t.Errorf("Trigger(%s, 0.7) = true, want false", key)
			}
			continue
		}
		if ok, _ := Trigger(in, 0.5); ok {
			t.Errorf("Trigger(%s) = true for the user's own mail", key)
		}
	}
	in := demoInput(t, "chloe-slides")
	in.Msg.Bulk = true
	if ok, _ := Trigger(in, 0.5); ok {
		t.Error("Trigger(bulk) = true")
	}
}

func TestCacheAndMined(t *testing.T) {
	s := New([]string{"Nice work. I will review them tomorrow.", "Of course! I'll look after it.", "Sorry, I can't make it on Friday.", "Hi Raj,\n\nSince yesterday..."})
	if len(s.mined) < 2 {
		t.Fatalf("Mine = %+v, want at least 2 candidates", s.mined)
	}
	in := demoInput(t, "jonas-oncall")
	a := s.Suggest(in)
	b := s.Suggest(in)
	if s.CacheHits() != 1 {
		t.Errorf("CacheHits = %d after two identical calls, want 1", s.CacheHits())
	}
	if len(a) != len(b) || a[0].Text != b[0].Text {
		t.Errorf("cached suggestions differ: %+v vs %+v", a, b)
	}
	mined := false
	for _, x := range a {
		mined = mined || x.Mined
	}
	if !mined {
		t.Errorf("no mined reply among %+v", a)
	}
}

func TestMineIntent(t *testing.T) {
	for in, want := range map[string]Intent{
		"Nice work.":               Acknowledge, // praise answers a report, it agrees to nothing
		"Great job on the deck!":   Acknowledge,
		"Looks good.":              Acknowledge,
		"Sounds good!":             Agree,
		"Of course!":               Agree,
		"Sorry, I can't make it.":  Decline,
		"Thanks a lot.":            Thank,
		"Will do.":                 WillDo,
		"Noted.":                   Acknowledge,
		"The meeting is tomorrow.": "",
	} {
		if got, _ := mineIntent(in); got != want {
			t.Errorf("mineIntent(%q) = %q, want %q", in, got, want)
		}
	}
}

// The refusal fits what was asked: a meeting is declined with "I can't
// make it", a favour with "I can't take this on".
func TestDeclineFitsTheAsk(t *testing.T) {
	s := New(nil)
	decline := func(key string) string {
		for _, x := range s.Suggest(demoInput(t, key)) {
			if x.Intent == Decline {
				return x.Text
			}
		}
		return ""
	}
	if got := decline("meet-aisha"); got != "Sorry, I can't make it." {
		t.Errorf("decline for a meeting request = %q", got)
	}
	if got := decline("jonas-oncall"); got == "" || got == "Sorry, I can't make it." {
		t.Errorf("decline for a favour = %q, want a refusal that fits a favour", got)
	}
}

func TestFormatTime(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 7, 0, 0, 0, 0, loc), "Monday 7 December"},
		{time.Date(2026, 12, 7, 17, 0, 0, 0, loc), "Monday 7 December"},
		{time.Date(2026, 12, 7, 9, 30, 0, 0, loc), "Monday 7 December at 09:30"},
		{time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), "Monday 7 December at 01:00"},
	} {
		if got := FormatTime(c.at, loc); got != c.want {
			t.Errorf("FormatTime(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}

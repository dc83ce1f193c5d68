package extract

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"
)

// TestStatementsAndForms: pleasantries, statements, negative and
// conditional sentences are no tasks; explicit asks in other forms (a
// reminder, "I need your sign-off", a list after a lead-in, an ask in an
// invitation) are; titles lose leftovers of the date phrase.
func TestStatementsAndForms(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	date := time.Date(2024, 6, 5, 9, 0, 0, 0, loc) // a Wednesday
	m, _ := Default()
	grace := Address{Name: "Grace Liu", Email: "grace@fernhill.example.com"}
	opts := Options{Location: loc, User: demoUser}
	type want struct {
		kind  Kind
		title string
		due   time.Time
	}
	for _, c := range []struct {
		name string
		msg  Message
		want []want
	}{
		{"pleasantries", Message{From: grace, Date: date, Text: "Lovely to meet you. Nice to meet you too, and thanks Marcus for connecting us. Take Friday afternoon off, you've earned it."}, nil},
		{"first-person statement", Message{From: grace, Date: date, Text: "I'm on Pacific time, so mornings your time work best for me."}, nil},
		{"negative", Message{From: grace, Date: date, Text: "Please don't go to any trouble!"}, nil},
		{"conditional", Message{From: grace, Date: date, Text: "If that doesn't work, please propose another time."}, nil},
		{"one-word question", Message{From: grace, Date: date, Text: "Questions? Just reply to this mail."}, nil},
		{"reminder", Message{From: grace, Date: date, Text: "A friendly reminder to enter your holiday requests in the HR portal by the end of the month."},
			[]want{{Todo, "Enter your holiday requests in the HR portal", time.Date(2024, 6, 30, 17, 0, 0, 0, loc)}}},
		{"need your sign-off", Message{From: grace, Date: date, Subject: "Approval needed: PO 4471", Text: "As the budget owner I need your sign-off before EOD tomorrow."},
			[]want{{Todo, "Sign-off for Grace (PO 4471)", time.Date(2024, 6, 6, 17, 0, 0, 0, loc)}}},
		{"list after a lead-in", Message{From: grace, Date: date, Text: "Two more things from you, please:\n- your slides by the 18th so our AV team can check them, and\n- the hotel booking reference."},
			[]want{{Todo, "Send your slides", time.Date(2024, 6, 18, 17, 0, 0, 0, loc)}}},
		{"deadline in the next sentence", Message{From: grace, Date: date, Text: "Could you approve an extra 2 TB of quota? Raj needs the approval in writing by noon tomorrow."},
			[]want{{Todo, "Approve an extra 2 TB of quota", time.Date(2024, 6, 6, 12, 0, 0, 0, loc)}}},
		{"ordinal before a noun is no date", Message{From: grace, Date: date, Text: "Do we show spend per team or per pipeline on the first screen?"},
			[]want{{Todo, "Answer Grace: do we show spend per team or per pipeline on the first screen?", time.Time{}}}},
		{"let me know folds into the question", Message{From: grace, Date: date, Text: "Would you have 30 minutes for a call next week? Let me know what suits you."},
			[]want{{Todo, "Answer Grace: would you have 30 minutes for a call next week?", time.Date(2024, 6, 16, 17, 0, 0, 0, loc)}}},
		{"ask in an invitation", Message{From: grace, Date: date, Invite: true, Subject: "Invitation: Design review @ Thu 13 Jun 2024 14:00 - 15:00 (Europe/Berlin)",
			Text: "You have been invited to the following event.\n\nPlease read the runbook beforehand.\n\nReply for alex@example.org: Yes / No / Maybe"},
			[]want{{Todo, "Answer the invitation: Design review", time.Time{}}, {Todo, "Read the runbook beforehand", time.Time{}}}},
		{"ask and promise in one sentence", Message{From: demoUser, To: []Address{grace}, FromUser: true, Date: date, Subject: "Berlin", Text: "Send me your dates once you have them and I'll book."},
			[]want{{Waiting, "Grace: send your dates once you have them (Berlin)", time.Time{}}, {Todo, "Book (Berlin)", time.Time{}}}},
		{"one waiting item per person", Message{From: demoUser, To: []Address{grace}, FromUser: true, Date: date, Text: "Does Friday at 17:30 my time work for you? Please send an invite by Thursday."},
			[]want{{Waiting, "Grace: send an invite", time.Date(2024, 6, 6, 17, 0, 0, 0, loc)}}},
		{"dash ends the date phrase and the title", Message{From: grace, Date: date, Text: "Hiring: please draft the hiring plan for next year in two weeks — two data engineers is the starting point."},
			[]want{{Todo, "Draft the hiring plan for next year", time.Date(2024, 6, 19, 17, 0, 0, 0, loc)}}},
		{"comma splice", Message{From: grace, Date: date, Text: "Please share the risk register with me by Tuesday 3pm, I want to read it first."},
			[]want{{Todo, "Share the risk register with Grace", time.Date(2024, 6, 11, 15, 0, 0, 0, loc)}}},
		{"dangling that", Message{From: demoUser, To: []Address{grace}, FromUser: true, Date: date, Text: "I confirm that I will be at home that morning between 8:00 and 12:00."},
			[]want{{Todo, "Be at home", time.Time{}}}},
	} {
		items, err := Extract(context.Background(), c.msg, m, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != len(c.want) {
			var got []string
			for _, it := range items {
				got = append(got, string(it.Kind)+" "+it.Title)
			}
			t.Errorf("%s: Extract = %d items %q, want %d", c.name, len(items), got, len(c.want))
			continue
		}
		for i, w := range c.want {
			it := items[i]
			if it.Kind != w.kind || it.Title != w.title {
				t.Errorf("%s: item %d = %s %q, want %s %q", c.name, i, it.Kind, it.Title, w.kind, w.title)
			}
			if !w.due.IsZero() && !it.Due.Equal(w.due) {
				t.Errorf("%s: item %d due = %v (%q), want %v", c.name, i, it.Due, it.DueText, w.due)
			}
			if w.due.IsZero() && !it.Due.IsZero() && c.name != "dangling that" {
				t.Errorf("%s: item %d due = %v (%q), want none", c.name, i, it.Due, it.DueText)
			}
		}
	}
}

// FuzzExtractForms: any text, as incoming mail, sent mail or an
// invitation, scored by the rules tier, gives items with a non-empty
// title of bounded length and valid UTF-8 from valid input, and never
// panics.
func FuzzExtractForms(f *testing.F) {
	for _, s := range []string{"Two more things from you, please:\n- your slides by the 18th, and\n- a bio", "Send me your dates and I'll book.",
		"If that doesn't work, please propose another time.", "I need your sign-off before EOD tomorrow.", "Could you approve it? He needs it by noon tomorrow.",
		"Lovely to meet you.", ":\n- a", "and I'll", "Let me know."} {
		f.Add(s, false, false)
		f.Add(s, true, false)
	}
	ref := time.Date(2024, 6, 5, 9, 0, 0, 0, time.UTC)
	me := Address{Name: "Alex Morgan", Email: "alex@example.org"}
	f.Fuzz(func(t *testing.T, s string, fromUser, invite bool) {
		m := Message{Text: s, Date: ref, From: Address{Name: "Priya Shah", Email: "priya@example.org"}, To: []Address{me}, Subject: "Re: " + s[:min(len(s), 30)], Invite: invite}
		if fromUser {
			m.From, m.To, m.FromUser = me, []Address{{Name: "Raj", Email: "raj@example.org"}}, true
		}
		items, err := Extract(context.Background(), m, Rules{}, Options{User: me})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Title == "" || len(it.Title) > 200 {
				t.Fatalf("title %q from %q", it.Title, s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(it.Title) {
				t.Fatalf("invalid UTF-8 title %q from valid input", it.Title)
			}
		}
	})
}

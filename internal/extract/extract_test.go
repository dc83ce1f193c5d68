package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBody(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"quote below", "Yes, Friday works.\n\nOn Mon, 3 Jun 2024 at 10:00, Priya <p@example.org> wrote:\n> Could you send it?\n", "Yes, Friday works."},
		{"quote lines", "Sounds good.\n> can you call me\n> tomorrow?\nThanks", "Sounds good."},
		{"outlook", "Fine by me.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\nPlease approve.", "Fine by me."},
		{"outlook headers", "Ok.\n\nFrom: Bob Smith\nSent: Monday, June 3\nTo: Alex\nPlease approve.", "Ok."},
		{"signature", "Can you review the draft?\n\n-- \nAlex Morgan\nPlease consider the environment", "Can you review the draft?"},
		{"closing", "Hi Alex,\n\nCould you book the room?\n\nBest,\nJonas\nHead of Data", "Could you book the room?"},
		{"quote above", "On 31/05/2024 09:40, Priya Shah wrote:\n> Could you send me the numbers?\n\nSure. I'll send them Friday.\n\nAlex", "Sure. I'll send them Friday."},
		{"disclaimer", "Please sign the form.\n\nThis e-mail is confidential and intended solely for the addressee. If you are not the intended recipient, delete it.", "Please sign the form."},
		{"forward", "FYI\n\n---------- Forwarded message ---------\nFrom: X\nPlease pay now.", "FYI"},
	} {
		if got := Body(c.in); got != c.want {
			t.Errorf("%s: Body(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestSentences(t *testing.T) {
	in := "The pack goes out next week. Could you send the numbers by Friday? Thanks, e.g. the Q3 ones!\n- headcount by team\n- cloud spend\n\nNew paragraph\nwrapped here."
	var got []string
	for _, s := range Sentences(in) {
		got = append(got, s.Text)
		if !strings.HasPrefix(in[s.Pos:], strings.Fields(s.Text)[0]) {
			t.Errorf("sentence %q: Pos %d points at %q", s.Text, s.Pos, in[s.Pos:min(len(in), s.Pos+10)])
		}
	}
	want := []string{"The pack goes out next week.", "Could you send the numbers by Friday?", "Thanks, e.g. the Q3 ones!", "headcount by team", "cloud spend", "New paragraph wrapped here."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
}

func TestModelSeparates(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	asks := []string{"Could you send me the Q3 numbers by Friday?", "Please review the attached contract and let me know.", "Can you call Bob tomorrow?"}
	statements := []string{"The weather was lovely in Porto last week.", "Our quarterly results were published yesterday.", "I went with the blue palette after all."}
	for _, s := range asks {
		if p := m.Prob(s); p < 0.7 {
			t.Errorf("Prob(%q) = %.2f, want ≥ 0.7", s, p)
		}
	}
	for _, s := range statements {
		if p := m.Prob(s); p > 0.4 {
			t.Errorf("Prob(%q) = %.2f, want ≤ 0.4", s, p)
		}
	}
	if th := m.Info().Threshold; th < 0.2 || th > 0.8 {
		t.Errorf("threshold = %v, want within [0.2, 0.8]", th)
	}
}

func TestModelRoundTrip(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embeddedModel) {
		t.Errorf("Save(Load(embedded)) differs from the embedded bytes (%d vs %d)", buf.Len(), len(embeddedModel))
	}
	m2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	s := "Can you send the invoice by Monday?"
	if a, b := m.Prob(s), m2.Prob(s); a != b {
		t.Errorf("Prob after round trip = %v, want %v", b, a)
	}
	for _, bad := range [][]byte{nil, []byte("PAMACT"), []byte("PAMACT\x02\x00\x00\x00\x00"), []byte("XXXXXX\x01\x00\x00\x00\x00")} {
		if _, err := Load(bytes.NewReader(bad)); err == nil {
			t.Errorf("Load(%q) succeeded, want an error", bad)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	var ex []Example
	for i := 0; i < 20; i++ {
		ex = append(ex, Example{Text: "please send the report " + strings.Repeat("x", i%3), Action: true},
			Example{Text: "the report was sent yesterday " + strings.Repeat("y", i%3), Action: false})
	}
	a, err := Train(ex, TrainOptions{Seed: 1, Threshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(ex, TrainOptions{Seed: 1, Threshold: 0.5})
	var ba, bb bytes.Buffer
	a.Save(&ba)
	b.Save(&bb)
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Error("two trainings with the same options differ")
	}
	if p := a.Prob("please send the slides"); p < 0.5 {
		t.Errorf("trained Prob(please send the slides) = %.2f, want ≥ 0.5", p)
	}
	if _, err := Train(ex[:4], TrainOptions{}); err == nil {
		t.Error("Train with 4 examples succeeded, want an error")
	}
}

func TestExtractSingle(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	date := time.Date(2024, 6, 5, 9, 0, 0, 0, loc) // a Wednesday
	m, _ := Default()
	priya := Address{Name: "Priya Shah", Email: "priya@example.org"}
	opts := Options{Location: loc, User: demoUser}
	for _, c := range []struct {
		name     string
		msg      Message
		kind     Kind
		title    string
		due      time.Time
		dueText  string
		noTasks  bool
		promised bool
	}{
		{name: "request with deadline", msg: Message{From: priya, Date: date, Text: "Hi Alex,\n\nCould you send me the Q3 numbers by Friday?\n\nThanks,\nPriya"},
			kind: Todo, title: "Send the Q3 numbers to Priya", due: time.Date(2024, 6, 7, 17, 0, 0, 0, loc), dueText: "by Friday"},
		{name: "EOD", msg: Message{From: priya, Date: date, Text: "Please approve the PO by EOD."},
			kind: Todo, title: "Approve the PO", due: time.Date(2024, 6, 5, 17, 0, 0, 0, loc), dueText: "by EOD"},
		{name: "let me know", msg: Message{From: priya, Date: date, Text: "Can you let me know whether the cap works?"},
			kind: Todo, title: "Let Priya know whether the cap works"},
		{name: "promise", msg: Message{From: demoUser, To: []Address{priya}, Date: date, FromUser: true, Text: "Sure, I'll send the deck tomorrow."},
			kind: Todo, title: "Send the deck", due: time.Date(2024, 6, 6, 17, 0, 0, 0, loc), dueText: "tomorrow", promised: true},
		{name: "waiting on", msg: Message{From: demoUser, To: []Address{priya}, Date: date, FromUser: true, Text: "Can you send me the invoice by Monday?"},
			kind: Waiting, title: "Priya: send the invoice", due: time.Date(2024, 6, 10, 17, 0, 0, 0, loc), dueText: "by Monday"},
		{name: "no action", msg: Message{From: priya, Date: date, Text: "FYI, the close is done. No action needed."}, noTasks: true},
		{name: "list mail", msg: Message{From: priya, Date: date, Headers: map[string]string{"List-Id": "<x.example.org>"}, Text: "Please send me the numbers by Friday."}, noTasks: true},
		{name: "quoted ask", msg: Message{From: priya, Date: date, Text: "Thanks, all good.\n\nOn Tue, Bob wrote:\n> Could you send me the numbers?"}, noTasks: true},
	} {
		items, err := Extract(context.Background(), c.msg, m, opts)
		if err != nil {
			t.Fatal(err)
		}
		if c.noTasks {
			if len(items) != 0 {
				t.Errorf("%s: Extract = %+v, want no tasks", c.name, items)
			}
			continue
		}
		if len(items) != 1 {
			t.Errorf("%s: Extract = %d items %+v, want 1", c.name, len(items), items)
			continue
		}
		it := items[0]
		if it.Kind != c.kind || it.Title != c.title || it.Promise != c.promised {
			t.Errorf("%s: item = %s %q promise=%v, want %s %q promise=%v", c.name, it.Kind, it.Title, it.Promise, c.kind, c.title, c.promised)
		}
		if !it.Due.Equal(c.due) || it.DueText != c.dueText {
			t.Errorf("%s: due = %v %q, want %v %q", c.name, it.Due, it.DueText, c.due, c.dueText)
		}
	}
}

func TestTitleFromText(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2024, 6, 5, 9, 0, 0, 0, loc)
	for _, c := range []struct {
		in, title string
		due       time.Time
	}{
		{"call Bob tomorrow 3pm", "Call Bob", time.Date(2024, 6, 6, 15, 0, 0, 0, loc)},
		{"send invoice by Friday", "Send invoice", time.Date(2024, 6, 7, 17, 0, 0, 0, loc)},
		{"water the plants", "Water the plants", time.Time{}},
	} {
		title, due, _ := Title(c.in, now, loc)
		if title != c.title || !due.Equal(c.due) {
			t.Errorf("Title(%q) = %q, %v, want %q, %v", c.in, title, due, c.title, c.due)
		}
	}
}

func FuzzBody(f *testing.F) {
	for _, s := range []string{"", "Hi,\n\nCould you send it?\n\nBest,\nA", "On x wrote:\n> a\n", "-- \n", "a. b? c! d", "- x\n- y", "\xff\xfe", "From: a\nSent: b\n", "Hi there,\n\n"} {
		f.Add(s)
	}
	m, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	ref := time.Date(2024, 6, 5, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		b := Body(s)
		if len(b) > len(s)+1 {
			t.Fatalf("Body grew the text: %d > %d", len(b), len(s))
		}
		for _, sn := range Sentences(b) {
			if sn.Pos < 0 || sn.Pos > len(b) || strings.TrimSpace(sn.Text) == "" {
				t.Fatalf("bad sentence %+v in %q", sn, b)
			}
		}
		items, err := Extract(context.Background(), Message{Text: s, Date: ref, From: Address{Email: "a@example.org"}}, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if utf8.ValidString(s) && !utf8.ValidString(it.Title) {
				t.Fatalf("invalid UTF-8 title %q from valid input", it.Title)
			}
			if it.Confidence < 0 || it.Confidence > 1 {
				t.Fatalf("confidence %v", it.Confidence)
			}
		}
	})
}

func TestIsDeadline(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"by Friday", true}, {"before noon", true}, {"no later than the 5th", true}, {"end of day", true},
		{"EOD", true}, {"until Monday", true},
		{"on Monday", false}, {"starting Monday 2 January", false}, {"next week", false}, {"", false},
	} {
		if got := IsDeadline(c.text); got != c.want {
			t.Errorf("IsDeadline(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

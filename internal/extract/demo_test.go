package extract

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/mail"
)

// demoNow is a fixed reference instant for the demo mailbox (a Wednesday).
var demoNow = time.Date(2024, 6, 5, 15, 0, 0, 0, time.UTC)

var demoUser = Address{Name: demo.UserName, Email: demo.UserEmail}

type demoThread struct {
	root string
	msgs []Message
	keys []string
}

// demoThreads parses the demo mailbox and groups it into threads by the
// first Message-ID of References (else In-Reply-To, else its own).
func demoThreads(t testing.TB) (map[string]*demoThread, map[string]Message) {
	t.Helper()
	byKey := map[string]Message{}
	threads := map[string]*demoThread{}
	var order []string
	for _, dm := range demo.Messages(demoNow) {
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			continue
		}
		m := FromMessage(pm, demoUser)
		m.ID = dm.Key
		byKey[dm.Key] = m
		root := pm.MessageID
		if len(pm.References) > 0 {
			root = pm.References[0]
		} else if pm.InReplyTo != "" {
			root = pm.InReplyTo
		}
		th := threads[root]
		if th == nil {
			th = &demoThread{root: root}
			threads[root] = th
			order = append(order, root)
		}
		th.msgs = append(th.msgs, m)
		th.keys = append(th.keys, dm.Key)
	}
	for _, th := range threads {
		sort.SliceStable(th.msgs, func(i, j int) bool { return th.msgs[i].Date.Before(th.msgs[j].Date) })
	}
	return threads, byKey
}

func demoOpts() Options {
	loc, _ := time.LoadLocation(demo.UserZone)
	return Options{Location: loc, User: demoUser}
}

func TestDemoDump(t *testing.T) {
	if os.Getenv("PAM_DUMP") == "" {
		t.Skip("set PAM_DUMP=1 to print the demo's tasks")
	}
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	threads, _ := demoThreads(t)
	var roots []string
	for r := range threads {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	for _, r := range roots {
		th := threads[r]
		tasks, err := Thread(context.Background(), th.msgs, m, demoOpts())
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) == 0 {
			continue
		}
		fmt.Println("==", strings.Join(th.keys, " "))
		for _, tk := range tasks {
			due := "-"
			if !tk.Due.IsZero() {
				due = tk.Due.Format("Mon 2006-01-02 15:04")
			}
			fmt.Printf("  [%s %s %.2f] %s | due %s (%q) | req %s owner %s | src %v closed %s moved %s\n", tk.Kind, tk.Status, tk.Confidence, tk.Title, due, tk.DueText, tk.Requester.First(), tk.Owner.First(), tk.Sources, tk.ClosedBy, tk.MovedBy)
		}
	}
}

// threadOf returns the tasks of the demo thread containing key.
func threadOf(t *testing.T, key string) []Task {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	threads, _ := demoThreads(t)
	for _, th := range threads {
		for _, k := range th.keys {
			if k == key {
				tasks, err := Thread(context.Background(), th.msgs, m, demoOpts())
				if err != nil {
					t.Fatal(err)
				}
				return tasks
			}
		}
	}
	t.Fatalf("no demo thread with %s", key)
	return nil
}

func findTask(tasks []Task, kind Kind, titlePart string) *Task {
	for i := range tasks {
		if tasks[i].Kind == kind && strings.Contains(strings.ToLower(tasks[i].Title), strings.ToLower(titlePart)) {
			return &tasks[i]
		}
	}
	return nil
}

func TestDemoThreads(t *testing.T) {
	_, by := demoThreads(t)
	loc, _ := time.LoadLocation(demo.UserZone)
	// endOfDay is 17:00 on the first day on or after from with weekday wd.
	endOfDay := func(from time.Time, wd time.Weekday) time.Time {
		d := from.In(loc)
		for d.Weekday() != wd || !d.After(from.In(loc)) {
			d = d.AddDate(0, 0, 1)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, loc)
	}

	// The Q3 request, promised by the user and moved by Priya, is one task.
	q3 := threadOf(t, "q3-ask")
	var sends []*Task
	for i := range q3 {
		if q3[i].Kind == Todo && strings.HasPrefix(q3[i].Title, "Send") {
			sends = append(sends, &q3[i])
		}
	}
	if len(sends) != 1 {
		t.Fatalf("q3 thread: %d send tasks, want 1 (de-duplicated): %+v", len(sends), q3)
	}
	q := sends[0]
	if q.Title != "Send the Q3 numbers to Priya" {
		t.Errorf("q3 title = %q, want %q", q.Title, "Send the Q3 numbers to Priya")
	}
	if want := endOfDay(by["q3-move"].Date, time.Monday); !q.Due.Equal(want) {
		t.Errorf("q3 due = %v, want %v (moved to Monday)", q.Due, want)
	}
	if q.MovedBy != "q3-move" || q.Status != Open || q.Requester.Email != "priya.shah@larkspur.example.org" && q.Requester.First() != "Priya" {
		t.Errorf("q3 task = %+v, want open, moved by q3-move, requested by Priya", q)
	}
	if !slices.Contains(q.Sources, "q3-ask") || !slices.Contains(q.Sources, "s-q3-commit") {
		t.Errorf("q3 sources = %v, want q3-ask and s-q3-commit", q.Sources)
	}

	// Waiting-on items completed by the other side.
	for _, c := range []struct{ key, title, closer string }{
		{"s-pablo", "invoice", "pablo-invoice"},
		{"s-raj-vpn", "reset it", "raj-vpn"},
		{"s-atlas-1", "rollback steps", "atlas-2"},
	} {
		tk := findTask(threadOf(t, c.key), Waiting, c.title)
		if tk == nil {
			t.Errorf("%s: no waiting-on task %q", c.key, c.title)
			continue
		}
		if tk.Status != Done || tk.ClosedBy != c.closer {
			t.Errorf("%s: task %q status %s closed by %q, want done by %s", c.key, tk.Title, tk.Status, tk.ClosedBy, c.closer)
		}
	}

	// An open waiting-on item with its due date.
	csv := findTask(threadOf(t, "s-jonas-csv"), Waiting, "egress")
	if csv == nil || csv.Status != Open || csv.Owner.First() != "Jonas" {
		t.Fatalf("s-jonas-csv: %+v, want an open task waiting on Jonas", csv)
	}
	if want := endOfDay(by["s-jonas-csv"].Date, time.Monday); !csv.Due.Equal(want) || csv.DueText != "by Monday" {
		t.Errorf("s-jonas-csv due = %v %q, want %v %q", csv.Due, csv.DueText, want, "by Monday")
	}

	// The user's promise gives the date of the request it answers.
	dana := findTask(threadOf(t, "dana-1"), Todo, "review")
	if dana == nil {
		t.Fatal("dana thread: no review task")
	}
	sent := by["s-dana-1"].Date.In(loc)
	if want := time.Date(sent.Year(), sent.Month(), sent.Day()+1, 17, 0, 0, 0, loc); !dana.Due.Equal(want) {
		t.Errorf("dana due = %v, want %v (promised: tomorrow)", dana.Due, want)
	}

	// A reply approving the request completes it.
	if tk := findTask(threadOf(t, "atlas-3"), Todo, "approve"); tk == nil || tk.Status != Done {
		t.Errorf("atlas-3 approve task = %+v, want done by the user's approval", tk)
	}
	// A request in the user's mail to a named colleague waits on them.
	if tk := findTask(threadOf(t, "s-atlas-3"), Waiting, "provision"); tk == nil || tk.Owner.First() != "Raj" {
		t.Errorf("s-atlas-3: %+v, want waiting on Raj to provision", tk)
	}
}

func TestDemoNoTasksFromBulk(t *testing.T) {
	m, _ := Default()
	for _, dm := range demo.Messages(demoNow) {
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			continue
		}
		msg := FromMessage(pm, demoUser)
		switch dm.Kind {
		case demo.KindNewsletter, demo.KindForum, demo.KindNotification, demo.KindSocial, demo.KindPromotion:
			// Header rules alone must keep list and machine mail out.
			if !Automated(msg) && dm.Kind != demo.KindPromotion && dm.Kind != demo.KindSocial {
				continue
			}
			items, err := Extract(context.Background(), msg, m, demoOpts())
			if err != nil {
				t.Fatal(err)
			}
			if Automated(msg) && len(items) > 0 {
				t.Errorf("%s (%s): %d tasks from automated mail", dm.Key, dm.Kind, len(items))
			}
		case demo.KindSpam:
			msg.Bulk = true
			if items, _ := Extract(context.Background(), msg, m, demoOpts()); len(items) > 0 {
				t.Errorf("%s: tasks from bulk mail", dm.Key)
			}
		}
	}
}

func TestDemoQuotedTextIgnored(t *testing.T) {
	m, _ := Default()
	_, by := demoThreads(t)
	// s-q3-commit quotes Priya's request; only the user's promise counts.
	items, err := Extract(context.Background(), by["s-q3-commit"], m, demoOpts())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if strings.Contains(it.Sentence, "Could you send me") {
			t.Errorf("task from quoted text: %+v", it)
		}
		if strings.Contains(it.Sentence, "Head of Product") || strings.Contains(it.Sentence, "larkspur.example.org") {
			t.Errorf("task from the signature: %+v", it)
		}
	}
	if len(items) != 1 || !items[0].Promise || items[0].Kind != Todo {
		t.Errorf("s-q3-commit items = %+v, want one promise", items)
	}
}

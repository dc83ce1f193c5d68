package ml

import (
	"math"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestApprovalRequest(t *testing.T) {
	user := []string{"pat@example.com"}
	tests := []struct {
		name string
		m    wire.Message
		want bool
	}{
		{"subject", wire.Message{From: "update@expenses.example", To: []string{"pat@example.com"}, Subject: "Expense Reports Awaiting Your Approval", UserAddresses: user}, true},
		{"text", wire.Message{From: "notice@timesheets.example", To: []string{"Pat@Example.com"}, Subject: "Time sheet", Text: "A time sheet has been submitted for your approval.", UserAddresses: user}, true},
		{"to approve this", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Report", Text: "To approve this expense report, click on the link.", UserAddresses: user}, true},
		{"news", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Filing", Text: "Edison applied to the CPUC for approval; the Senate has to approve it.", UserAddresses: user}, false},
		{"subject for approval", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Budget for approval", UserAddresses: user}, true},
		{"two in To", wire.Message{From: "a@b.example", To: []string{"pat@example.com", "sam@example.com"}, Subject: "Awaiting your approval", UserAddresses: user}, false},
		{"user in Cc", wire.Message{From: "a@b.example", To: []string{"sam@example.com"}, Cc: []string{"pat@example.com"}, Subject: "Awaiting your approval", UserAddresses: user}, false},
		{"from the user", wire.Message{From: "pat@example.com", To: []string{"pat@example.com"}, Subject: "for your approval", UserAddresses: user}, false},
		{"no phrase", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Lunch", Text: "The PUC approves the plan.", UserAddresses: user}, false},
		{"phrase past the start", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Notes", Text: string(make([]byte, 2000)) + "please approve", UserAddresses: user}, false},
		{"no user addresses", wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Awaiting your approval"}, false},
	}
	for _, tc := range tests {
		if got := ApprovalRequest(&tc.m); got != tc.want {
			t.Errorf("ApprovalRequest(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReplyScore(t *testing.T) {
	user := []string{"pat@example.com"}
	plain := wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Lunch", UserAddresses: user}
	approval := wire.Message{From: "a@b.example", To: []string{"pat@example.com"}, Subject: "Awaiting your approval", UserAddresses: user}
	ks := map[string]float64{"person": 0.5, "newsletter": 0.3, "spam": 0.2}
	tests := []struct {
		name           string
		m              wire.Message
		p              float64
		ks             map[string]float64
		gate, approval bool
		want           float64
	}{
		{"plain", plain, 0.4, ks, false, false, 0.4 * 0.8},
		{"gated", plain, 0.4, ks, true, false, GateReply(0.4, ks)},
		{"no kind scores", plain, 0.4, nil, true, false, 0.4},
		{"rule off", approval, 0.1, ks, false, false, 0.1 * 0.8},
		{"rule raises", approval, 0.1, ks, true, true, ApprovalScore * 0.8},
		{"rule keeps a higher score", approval, 0.99, map[string]float64{"person": 1}, false, true, 0.99},
		{"rule on plain mail", plain, 0.1, ks, false, true, 0.1 * 0.8},
	}
	for _, tc := range tests {
		if got := ReplyScore(&tc.m, tc.p, tc.ks, tc.gate, tc.approval); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ReplyScore(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestClassifierReplyFlags: the classifier scores needs_reply as the
// model's metrics say its threshold was fitted, and as before without them.
func TestClassifierReplyFlags(t *testing.T) {
	user := []string{"pat@example.com"}
	msgs := []wire.Message{
		{From: "update@expenses.example", To: []string{"pat@example.com"}, Subject: "Expense report awaiting your approval", Text: "Report total $12.", UserAddresses: user},
		{From: "sam@example.com", To: []string{"pat@example.com"}, Subject: "Lunch", Text: "Lunch on Friday?", UserAddresses: user},
	}
	var ex []Example
	for i := 0; i < 20; i++ {
		ex = append(ex, Example{Msg: msgs[1], Label: "yes"}, Example{Msg: wire.Message{From: "news@list.example", Subject: "Weekly digest", Text: "News of the week.", UserAddresses: user}, Label: "no"})
	}
	kindEx := []Example{}
	for i := 0; i < 10; i++ {
		kindEx = append(kindEx, Example{Msg: msgs[1], Label: "person"}, Example{Msg: wire.Message{From: "news@list.example", Subject: "Weekly digest", Text: "News of the week.", UserAddresses: user}, Label: "newsletter"})
	}
	km, err := Train(TaskKind, kindEx, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, flags := range []map[string]float64{nil, {MetricKindGate: 1}, {MetricApprovalRule: 1}, {MetricKindGate: 1, MetricApprovalRule: 1}} {
		rm, err := Train(TaskNeedsReply, ex, TrainOptions{Metrics: flags})
		if err != nil {
			t.Fatal(err)
		}
		res := NewClassifier(km, rm).Classify(msgs)
		gate, approval := flags[MetricKindGate] == 1, flags[MetricApprovalRule] == 1
		for i, r := range res {
			p := rm.Predict(msgs[i])[1]
			want := ReplyScore(&msgs[i], p, r.KindScores, gate, approval)
			if math.Abs(r.NeedsReply-want) > 1e-9 {
				t.Errorf("flags %v: NeedsReply(message %d) = %v, want %v", flags, i, r.NeedsReply, want)
			}
		}
		if approval && res[0].NeedsReply < ApprovalScore*(1-res[0].KindScores["spam"])-1e-9 {
			t.Errorf("flags %v: approval request NeedsReply = %v, want at least %v", flags, res[0].NeedsReply, ApprovalScore)
		}
	}
}

// FuzzApprovalRequest: the rule never panics, fires only for mail to the
// user alone, and ReplyScore stays a probability that the rule only raises.
func FuzzApprovalRequest(f *testing.F) {
	f.Add("Expense Reports Awaiting Your Approval", "The following reports have been waiting for your approval.", "pat@example.com", 0.05, 0.2)
	f.Add("Lunch", "To approve this, reply.", "PAT@example.com", 0.5, 0.0)
	f.Add("", "", "", 0.0, 1.0)
	f.Add("\xff for approval", "please approve\x00", "sam@example.com", 1.0, 0.5)
	f.Fuzz(func(t *testing.T, subj, text, to string, p, spam float64) {
		if !(p >= 0 && p <= 1) || !(spam >= 0 && spam <= 1) {
			return
		}
		m := wire.Message{From: "a@b.example", To: []string{to}, Subject: subj, Text: text, UserAddresses: []string{"pat@example.com"}}
		if ApprovalRequest(&m) && userPosition(&m) != "to" {
			t.Fatalf("ApprovalRequest(to %q) = true for mail not to the user", to)
		}
		ks := map[string]float64{"person": (1 - spam) / 2, "newsletter": (1 - spam) / 2, "spam": spam}
		for _, gate := range []bool{false, true} {
			off := ReplyScore(&m, p, ks, gate, false)
			on := ReplyScore(&m, p, ks, gate, true)
			if !(on >= 0 && on <= 1) || on < off {
				t.Fatalf("ReplyScore(p %v, spam %v, gate %v) = %v with the rule, %v without", p, spam, gate, on, off)
			}
		}
	})
}

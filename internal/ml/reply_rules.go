package ml

import (
	"strings"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// Metrics of a needs_reply model that say how its decision point was
// fitted, and so how the classifier must score with it: a threshold fitted
// on gated scores is wrong for ungated ones and the other way round. A
// model without them (older files, corrections of them) is scored as
// before: the probability times the share of not spam.
const (
	// MetricKindGate 1: the threshold was fitted on GateReply scores.
	MetricKindGate = "kind_gate"
	// MetricApprovalRule 1: it was fitted on scores that ApprovalRequest
	// raises to ApprovalScore.
	MetricApprovalRule = "approval_rule"
)

// ApprovalScore is the needs_reply score (before the share of spam is
// taken off) of a message ApprovalRequest recognises: above the decision
// point of 0.5 that the shipped model is shifted to.
const ApprovalScore = 0.9

// approvalPhrases ask the reader to approve something. Written from the
// automated requests of the training users' mail (Concur's "ready for
// approval", "waiting for your approval", "To approve this expense
// report"; a time-sheet service's "submitted for your approval") and the
// general English forms of the same request; matched lower-cased in the
// subject and the start of the text. Bare "for approval" and "to approve"
// are news as often as requests in the text ("applied to the CPUC for
// approval", "the Senate has to approve"), so only the subject reads them
// (approvalSubject).
var approvalPhrases = []string{
	"your approval", "ready for approval", "awaiting approval", "pending approval",
	"approval required", "approval needed", "approval is required", "please approve",
	"approve or reject", "approve or decline", "approve or deny", "to approve this",
	"request for approval", "approval request",
}

// approvalSubject are further phrases of a request in a subject line.
var approvalSubject = []string{"for approval", "to approve"}

// approvalText is how much of the text ApprovalRequest reads.
const approvalText = 1500

// ApprovalRequest reports whether m asks its one addressee, the user, to
// approve something: the user alone in To, not the sender, and an
// approval phrase in the subject or the first 1,500 bytes of the text.
// Such requests come mostly from systems (expense reports, time sheets,
// access requests) whose mail otherwise reads as bulk, so the needs_reply
// model, which learnt that automated mail needs no answer, scores them
// low; by the labelling convention they need one (doc/design/models.md).
func ApprovalRequest(m *wire.Message) bool {
	if len(m.To) != 1 || userPosition(m) != "to" {
		return false
	}
	s := strings.ToLower(m.Subject)
	t := strings.ToLower(clipBytes(m.Text, approvalText))
	for _, p := range approvalPhrases {
		if strings.Contains(s, p) || strings.Contains(t, p) {
			return true
		}
	}
	for _, p := range approvalSubject {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// ReplyScore is the needs_reply score the classifier reports for m from
// the needs_reply model's probability p and the kind scores (KindScores,
// spam's share on "spam"; a kind model's own scores with spam at 0 in
// the cross-fit): with gate, GateReply(p, kindScores), else p times the
// share of not spam; with approval, at least ApprovalScore times the share
// of not spam when ApprovalRequest(m).
func ReplyScore(m *wire.Message, p float64, kindScores map[string]float64, gate, approval bool) float64 {
	ham := 1 - kindScores["spam"]
	s := p * ham
	if gate && len(kindScores) > 0 {
		s = GateReply(p, kindScores)
	}
	if approval && ApprovalRequest(m) {
		s = max(s, ApprovalScore*ham)
	}
	return s
}

// replyFlags are the scoring settings a needs_reply model asks for.
func replyFlags(m *Model) (gate, approval bool) {
	if m == nil {
		return false, false
	}
	return m.info.Metrics[MetricKindGate] == 1, m.info.Metrics[MetricApprovalRule] == 1
}

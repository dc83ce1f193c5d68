package extract

import (
	"context"
	"testing"
)

func TestRuleProb(t *testing.T) {
	for _, tc := range []struct {
		s      string
		action bool
	}{
		{"Could you send me the Q3 numbers by Friday?", true},
		{"Please sign the form.", true},
		{"Review the draft before the meeting.", true},
		{"Are you free on Tuesday afternoon?", true},
		{"Let me know what you think.", true},
		{"Thanks for the update.", false},
		{"Hi Alex,", false},
		{"The weather in Lisbon was great.", false},
		{"No need to reply to this.", false},
		{"I sent the numbers yesterday.", false},
	} {
		p := RuleProb(tc.s)
		if got := p >= DefaultThreshold; got != tc.action {
			t.Errorf("RuleProb(%q) = %.2f, want action %v (threshold %.2f)", tc.s, p, tc.action, DefaultThreshold)
		}
	}
	got, err := Rules{}.Score(context.Background(), []string{"Please call Bob.", ""})
	if err != nil || len(got) != 2 || got[0] < DefaultThreshold || got[1] != 0 {
		t.Errorf("Rules.Score = %v, %v", got, err)
	}
}

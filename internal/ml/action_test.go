package ml

import (
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestActionFeatures(t *testing.T) {
	fs := DefaultFeatures(TaskNeedsReply)
	if !fs.Action {
		t.Fatalf("DefaultFeatures(needs_reply).Action = false, want true")
	}
	f := newFeaturizer(fs)
	maxv := func(m wire.Message) float32 {
		var v vec
		f.extract(&m, &v)
		h := f.hashStr("act:maxv", "") & f.mask
		for i, ix := range v.idx {
			if ix == h {
				return v.val[i]
			}
		}
		t.Fatalf("no act:maxv feature for %q", m.Text)
		return 0
	}
	user := []string{"ann@example.org"}
	ask := wire.Message{From: "bob@example.org", To: user, UserAddresses: user, Subject: "Budget",
		Text: "Hi Ann,\n\nCould you please send me the budget figures by Friday?\n\nThanks,\nBob\n\n-----Original Message-----\nFrom: Ann\nHere they are."}
	fyi := wire.Message{From: "bob@example.org", To: user, UserAddresses: user, Subject: "Budget",
		Text: "Hi Ann,\n\nThe budget meeting went well yesterday.\n\nBob\n\n-----Original Message-----\nFrom: Ann\nPlease send me the figures by Friday."}
	quoted := wire.Message{From: "bob@example.org", To: user, UserAddresses: user, Subject: "Re: Budget",
		Text: "> Could you please send me the budget figures by Friday?\n"}
	if got := maxv(ask); got < 0.5 {
		t.Errorf("act:maxv(request) = %.3f, want ≥ 0.5", got)
	}
	if got := maxv(fyi); got >= 0.5 {
		t.Errorf("act:maxv(FYI with a quoted request) = %.3f, want < 0.5", got)
	}
	if got := maxv(quoted); got != 0 {
		t.Errorf("act:maxv(only quoted text) = %.3f, want 0", got)
	}
	for _, tc := range []struct {
		m    wire.Message
		want string
	}{
		{wire.Message{From: "a@x", To: []string{"u@x"}, UserAddresses: []string{"U@x"}}, "to"},
		{wire.Message{From: "a@x", Cc: []string{"u@x"}, UserAddresses: []string{"u@x"}}, "cc"},
		{wire.Message{From: "u@x", To: []string{"b@x"}, UserAddresses: []string{"u@x"}}, "from"},
		{wire.Message{From: "a@x", To: []string{"b@x"}, UserAddresses: []string{"u@x"}}, "none"},
		{wire.Message{From: "a@x"}, "unknown"},
	} {
		if got := userPosition(&tc.m); got != tc.want {
			t.Errorf("userPosition(%v) = %q, want %q", tc.m.To, got, tc.want)
		}
	}
}

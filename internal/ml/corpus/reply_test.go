package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestReadReplyLabels(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.tsv")
	os.WriteFile(p, []byte("# comment\n\na/1\tyes\nb/2\tno\n"), 0o644)
	got, err := ReadReplyLabels(p)
	if err != nil || len(got) != 2 || !got["a/1"] || got["b/2"] {
		t.Errorf("ReadReplyLabels = %v, %v, want map[a/1:true b/2:false]", got, err)
	}
	for _, bad := range []string{
		"a/1\tmaybe\n",        // not yes|no
		"a/1\tperson\tyes\n",  // a kind.tsv line
		"a/1\tyes\na/1\tno\n", // twice
		"\tyes\n",             // no path
		"a/1 yes\n",           // no tab
	} {
		os.WriteFile(p, []byte(bad), 0o644)
		if got, err := ReadReplyLabels(p); err == nil {
			t.Errorf("ReadReplyLabels(%q) = %v, nil; want an error", bad, got)
		}
	}
}

func FuzzReadReplyLabels(f *testing.F) {
	for _, s := range []string{"a/1\tyes\n", "# c\nb\tno\n", "a\tyes\na\tyes\n", "x\ty\tz\n", "\t\n", "a/1\tyes\r\n"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		p := filepath.Join(dir, "r.tsv")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadReplyLabels(p)
		if err != nil {
			return
		}
		for rel := range got {
			if rel == "" || strings.ContainsAny(rel, "\t\n") {
				t.Errorf("ReadReplyLabels(%q) returned path %q", s, rel)
			}
		}
	})
}

// TestReplyExamplesReplyHand checks that a needs_reply-only label trains
// needs_reply as a hand label and leaves the kind examples as they were.
func TestReplyExamplesReplyHand(t *testing.T) {
	msg := func(id string) wire.Message { return wire.Message{ID: id} }
	d := &KindData{Train: []Labelled{
		{Msg: msg("hand"), Rel: "u/1", Group: "u", Kind: "person", NeedsReply: true},
		{Msg: msg("weak-news"), Rel: "u/2", Group: "u", Kind: "newsletter", Weak: true},
		{Msg: msg("weak-person"), Rel: "u/3", Group: "u", Kind: "person", Weak: true},
		{Msg: msg("reply-person"), Rel: "u/4", Group: "u", Kind: "person", Weak: true, ReplyHand: true, NeedsReply: true},
		{Msg: msg("reply-nokind"), Rel: "u/5", Group: "u", Weak: true, ReplyHand: true},
		{Msg: msg("reply-forum"), Rel: "u/6", Group: "u", Kind: "forum", Weak: true, ReplyHand: true},
	}}
	type ex struct {
		id, label string
		w         float64
	}
	list := func(es []ml.Example) []ex {
		var out []ex
		for _, e := range es {
			out = append(out, ex{e.Msg.ID, e.Label, e.Weight})
		}
		return out
	}
	same := func(a, b []ex) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	wantKind := []ex{
		{"hand", "person", WeightHand}, {"weak-news", "newsletter", WeightWeak}, {"weak-person", "person", WeightWeak},
		{"reply-person", "person", WeightWeak}, {"reply-forum", "forum", WeightWeak},
	}
	if got := list(d.KindExamples()); !same(got, wantKind) {
		t.Errorf("KindExamples() = %v, want %v (reply labels keep their weak kind, none without one)", got, wantKind)
	}
	wantReply := []ex{
		{"hand", "yes", WeightHand}, {"weak-news", "no", WeightWeak},
		{"reply-person", "yes", WeightHand}, {"reply-nokind", "no", WeightHand}, {"reply-forum", "no", WeightHand},
	}
	if got := list(d.ReplyExamples(nil)); !same(got, wantReply) {
		t.Errorf("ReplyExamples(nil) = %v, want %v", got, wantReply)
	}
	defer func(v bool) { ReplyHandTrain = v }(ReplyHandTrain)
	ReplyHandTrain = false
	wantBefore := []ex{{"hand", "yes", WeightHand}, {"weak-news", "no", WeightWeak}, {"reply-forum", "no", WeightWeak}}
	if got := list(d.ReplyExamples(nil)); !same(got, wantBefore) {
		t.Errorf("ReplyExamples(nil) with ReplyHandTrain false = %v, want %v (as without the reply labels)", got, wantBefore)
	}
}

func repoFile(t *testing.T, rel ...string) string {
	t.Helper()
	// Tests run in internal/ml/corpus.
	return filepath.Join(append([]string{"..", "..", ".."}, rel...)...)
}

// TestRepoReplyLabels checks labels/reply.tsv: at least 250 labels, every
// path present in the shared data, of an Enron training user, and not in
// labels/kind.tsv.
func TestRepoReplyLabels(t *testing.T) {
	d := mailDir(t)
	rl, err := ReadReplyLabels(repoFile(t, "labels", "reply.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rl) < 250 {
		t.Errorf("labels/reply.tsv has %d labels, want ≥ 250", len(rl))
	}
	kl, err := ReadLabels(repoFile(t, "labels", "kind.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	inKind := map[string]bool{}
	for _, l := range kl {
		inKind[l.Rel] = true
	}
	for rel := range rl {
		if _, err := os.Stat(filepath.Join(d, rel)); err != nil {
			t.Errorf("labelled file %s: %v", rel, err)
		}
		if inKind[rel] {
			t.Errorf("%s is in labels/kind.tsv too", rel)
		}
		ok := strings.HasPrefix(rel, "enron/")
		for _, u := range TestUsers {
			if strings.HasPrefix(rel, "enron/"+u+"/") {
				ok = false
			}
		}
		if !ok {
			t.Errorf("%s is not mail of an Enron training user", rel)
		}
	}
}

// TestReplyLabelsLeaveKind loads the corpus with and without
// labels/reply.tsv: the kind examples must be the same, in the same order,
// and the reply labels must all be in the training part.
func TestReplyLabelsLeaveKind(t *testing.T) {
	md := mailDir(t)
	if testing.Short() {
		t.Skip("loads the corpus twice")
	}
	kind, reply := repoFile(t, "labels", "kind.tsv"), repoFile(t, "labels", "reply.tsv")
	a, err := LoadKindData(md, kind)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadKindDataReply(md, kind, reply)
	if err != nil {
		t.Fatal(err)
	}
	ka, kb := a.KindExamples(), b.KindExamples()
	if len(ka) != len(kb) {
		t.Fatalf("KindExamples: %d without reply labels, %d with", len(ka), len(kb))
	}
	for i := range ka {
		if ka[i].Msg.ID != kb[i].Msg.ID || ka[i].Label != kb[i].Label || ka[i].Weight != kb[i].Weight {
			t.Fatalf("KindExamples()[%d] = %s %s %v with reply labels, want %s %s %v", i,
				kb[i].Msg.ID, kb[i].Label, kb[i].Weight, ka[i].Msg.ID, ka[i].Label, ka[i].Weight)
		}
	}
	if len(a.Test) != len(b.Test) {
		t.Errorf("unseen part: %d messages without reply labels, %d with", len(a.Test), len(b.Test))
	}
	rl, _ := ReadReplyLabels(reply)
	n, yes := 0, 0
	for _, l := range b.Train {
		if l.ReplyHand {
			n++
			if l.NeedsReply != rl[l.Rel] {
				t.Errorf("%s: NeedsReply %v, labelled %v", l.Rel, l.NeedsReply, rl[l.Rel])
			}
			if l.NeedsReply {
				yes++
			}
		}
	}
	if n != len(rl) {
		t.Errorf("%d reply-labelled training messages, want %d", n, len(rl))
	}
	for _, l := range b.Pool {
		if l.ReplyHand != (func() bool { _, ok := rl[l.Rel]; return ok })() {
			t.Errorf("pool message %s: ReplyHand %v", l.Rel, l.ReplyHand)
		}
	}
	t.Logf("%d reply labels, %d yes", n, yes)
}

// TestLoadKindDataReplyRejects checks that a reply label of the held-out
// part, of a message labelled in kind.tsv too, or of a missing file is an
// error, not a silent change of the evaluation.
func TestLoadKindDataReplyRejects(t *testing.T) {
	md := mailDir(t)
	kind := repoFile(t, "labels", "kind.tsv")
	kl, err := ReadLabels(kind)
	if err != nil || len(kl) == 0 {
		t.Fatalf("ReadLabels(kind.tsv) = %d labels, %v", len(kl), err)
	}
	held := ""
	fs, err := EnronFiles(md, TestUsers[0])
	if err != nil || len(fs) == 0 {
		t.Fatalf("EnronFiles(%s) = %d files, %v", TestUsers[0], len(fs), err)
	}
	inKind := map[string]bool{}
	for _, l := range kl {
		inKind[l.Rel] = true
	}
	for _, f := range fs {
		if !inKind[f.Rel] {
			held = f.Rel
			break
		}
	}
	tests := []struct{ name, line string }{
		{"held-out user", held + "\tyes\n"},
		{"also in kind.tsv", kl[0].Rel + "\tno\n"},
		{"missing file", "enron/beck-s/inbox/no-such-message\tno\n"},
	}
	if testing.Short() {
		tests = tests[1:2]
	}
	for _, tc := range tests {
		p := filepath.Join(t.TempDir(), "r.tsv")
		os.WriteFile(p, []byte(tc.line), 0o644)
		if _, err := LoadKindDataReply(md, kind, p); err == nil {
			t.Errorf("LoadKindDataReply with a reply label of a %s: no error", tc.name)
		}
	}
}

package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/worker"
)

// The test binary doubles as the classify worker: with
// PAM_PIPELINE_TEST_WORKER=classify it serves the real classify handler;
// with =dead it exits at once, a worker that cannot run.
func TestMain(m *testing.M) {
	switch os.Getenv("PAM_PIPELINE_TEST_WORKER") {
	case "classify":
		if err := worker.RunWorker(context.Background(), "classify", os.Stdin, os.Stdout, 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "dead":
		os.Exit(2)
	}
	os.Exit(m.Run())
}

func newWorker(t *testing.T, mode string) *worker.Supervisor {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := worker.New(worker.Config{
		Kind: "classify", Path: exe, Args: []string{"-test.run=^$"},
		Env:        []string{"PAM_PIPELINE_TEST_WORKER=" + mode},
		BackoffMin: time.Millisecond, BackoffMax: 2 * time.Millisecond, Stderr: os.Stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fixture messages: a person asking something, a mailing-list post, an
// automated notification, a newsletter.
func fixture(i int) (raw, kind string) {
	switch i % 4 {
	case 0:
		return fmt.Sprintf("Message-ID: <p%d@example.com>\nFrom: Jonas <jonas%d@example.com>\nTo: alex@example.org\nSubject: lunch on day %d?\nDate: Mon, 2 Mar 2026 10:%02d:00 +0000\n\nAre you free for lunch tomorrow? Let me know.\n", i, i, i, i%60), "person"
	case 1:
		return fmt.Sprintf("Message-ID: <l%d@lists.example.net>\nFrom: Ana <ana%d@example.net>\nTo: golang-nuts@lists.example.net\nList-Id: <golang-nuts.lists.example.net>\nList-Post: <mailto:golang-nuts@lists.example.net>\nSubject: Re: generics question %d\nDate: Mon, 2 Mar 2026 11:%02d:00 +0000\n\nI think the constraint should be comparable.\n", i, i, i, i%60), "forum"
	case 2:
		return fmt.Sprintf("Message-ID: <n%d@ci.example.com>\nFrom: CI <noreply@ci.example.com>\nTo: alex@example.org\nAuto-Submitted: auto-generated\nSubject: Build %d passed\nDate: Mon, 2 Mar 2026 12:%02d:00 +0000\n\nYour build passed.\n", i, i, i%60), "notification"
	default:
		return fmt.Sprintf("Message-ID: <w%d@news.example.com>\nFrom: Weekly <news@news.example.com>\nTo: alex@example.org\nList-Unsubscribe: <https://news.example.com/u>\nContent-Type: text/html\nSubject: This week %d\nDate: Mon, 2 Mar 2026 13:%02d:00 +0000\n\n<html><body><p>Top stories <a href=\"https://news.example.com/1\">read</a></p></body></html>\n", i, i, i%60), "newsletter"
	}
}

func importFixtures(t *testing.T, st *store.Store, n int, label string) []int64 {
	t.Helper()
	var items []store.Incoming
	for i := 0; i < n; i++ {
		raw, _ := fixture(i)
		items = append(items, incoming(t, fmt.Sprintf("test:%s:%d", label, i), label, raw))
	}
	res, err := st.WriteBatch(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	return res.New
}

func incoming(t *testing.T, source, label, raw string) store.Incoming {
	t.Helper()
	m, err := mail.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return store.Incoming{Source: source, Label: label, Flags: pam.FlagSeen, Msg: m, Raw: store.Compress([]byte(raw)), Codec: store.CodecZstd}
}

// trainModels asks the worker for kind and needs_reply models trained
// from scratch on the fixtures and returns their paths.
func trainModels(t *testing.T, w *worker.Supervisor, dir string) []string {
	t.Helper()
	var kinds, replies []worker.LabelledMessage
	for i := 0; i < 80; i++ {
		raw, kind := fixture(i)
		m, err := mail.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		msg := worker.FromMessage(m, []string{"alex@example.org"})
		kinds = append(kinds, worker.LabelledMessage{Msg: msg, Label: kind})
		reply := "no"
		if kind == "person" {
			reply = "yes"
		}
		replies = append(replies, worker.LabelledMessage{Msg: msg, Label: reply})
	}
	// A spam model of the fixtures' own world, so the shipped spam model's
	// view of these synthetic messages does not decide the tests.
	var spam []worker.LabelledMessage
	for _, k := range kinds {
		spam = append(spam, worker.LabelledMessage{Msg: k.Msg, Label: "ham"})
	}
	for i := 0; i < 40; i++ {
		raw := fmt.Sprintf("Message-ID: <s%d@win.example.biz>\nFrom: Prize Desk <winner%d@win.example.biz>\nTo: alex@example.org\nSubject: You WON $%d,000 claim now\nDate: Mon, 2 Mar 2026 09:%02d:00 +0000\n\nCongratulations winner! Claim your cash prize now, send your bank details today.\n", i, i, i+1, i%60)
		m, err := mail.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		spam = append(spam, worker.LabelledMessage{Msg: worker.FromMessage(m, []string{"alex@example.org"}), Label: "spam"})
	}
	var paths []string
	for _, task := range []struct {
		name string
		ex   []worker.LabelledMessage
	}{{TaskKind, kinds}, {"needs_reply", replies}, {"spam", spam}} {
		out := filepath.Join(dir, task.name+".pam")
		var resp worker.UpdateResponse
		if err := w.Call(context.Background(), worker.KindUpdate, worker.UpdateRequest{Task: task.name, Examples: task.ex, Out: out}, &resp); err != nil {
			t.Fatalf("train %s model: %v", task.name, err)
		}
		paths = append(paths, out)
	}
	return paths
}

func pendingCount(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := PendingCount(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunClassifiesQueueThroughWorker(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	w := newWorker(t, "classify")
	models := trainModels(t, w, t.TempDir())
	rows := importFixtures(t, st, 12, "INBOX")
	if got := pendingCount(t, st); got != 12 {
		t.Fatalf("pending after import = %d, want 12", got)
	}
	r := Runner{Store: st, Classifier: &Classifier{Worker: w, Models: models}, BatchSize: 5}
	rep, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Processed != 12 || rep.Failed != 0 || rep.Degraded != 0 {
		t.Errorf("report = %+v, want 12 processed, none degraded or failed", rep)
	}
	if got := pendingCount(t, st); got != 0 {
		t.Errorf("pending after run = %d, want 0", got)
	}
	res, err := Results(ctx, st, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		_, want := fixture(i)
		got := res[row]
		if got.Kind != want {
			t.Errorf("message %d: kind = %q, want %q (scores %v)", i, got.Kind, want, got.KindScores)
		}
		if len(got.Models) == 0 || got.Models[0] == "rules" {
			t.Errorf("message %d: models = %v, want the kind model", i, got.Models)
		}
		if len(got.KindScores) != len(Kinds) {
			t.Errorf("message %d: kind_scores = %v, want one per kind", i, got.KindScores)
		}
	}
}

func TestRunFallsBackToRulesWhenWorkerIsDown(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	rows := importFixtures(t, st, 8, "INBOX")
	var degradeErrs int
	r := Runner{Store: st, Classifier: &Classifier{Worker: newWorker(t, "dead"), OnDegrade: func(error) { degradeErrs++ }}, BatchSize: 4}
	rep, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Processed != 8 || rep.Degraded != 8 {
		t.Errorf("report = %+v, want 8 processed, 8 degraded", rep)
	}
	if degradeErrs == 0 {
		t.Errorf("OnDegrade never called")
	}
	res, err := Results(ctx, st, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		_, want := fixture(i)
		got := res[row]
		if !got.Degraded || got.Kind != want {
			t.Errorf("message %d: kind = %q degraded = %v, want %q by rules", i, got.Kind, got.Degraded, want)
		}
	}
	if pendingCount(t, st) != 0 {
		t.Errorf("degraded messages left on the queue")
	}
}

func TestQueueSurvivesCrashBetweenImportAndPipeline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	importFixtures(t, st, 6, "INBOX")
	st.Close() // "crash": the pipeline never ran
	st, err = store.Open(ctx, filepath.Join(dir, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := Runner{Store: st, Classifier: &Classifier{}} // rules only
	rep, err := r.Run(ctx)
	if err != nil || rep.Processed != 6 {
		t.Fatalf("Run after reopen = %+v, %v; want 6 processed", rep, err)
	}
}

func TestCorrectionChangesNextClassification(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	w := newWorker(t, "classify")
	home := t.TempDir()
	reg := worker.Registry{Dir: filepath.Join(home, "models")}
	// Install a kind model as the active version 1.
	for _, m := range trainModels(t, w, t.TempDir()) {
		name := strings.TrimSuffix(filepath.Base(m), ".pam")
		v, path, err := reg.NextVersion(name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(m)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := reg.Use(name, v); err != nil {
			t.Fatal(err)
		}
	}
	rows := importFixtures(t, st, 4, "INBOX")
	run := func() {
		t.Helper()
		specs, err := reg.ActiveSpecs()
		if err != nil {
			t.Fatal(err)
		}
		r := Runner{Store: st, Classifier: &Classifier{Worker: w, Models: specs}}
		if _, err := r.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	run()
	before, err := Get(ctx, st, rows[2])
	if err != nil {
		t.Fatal(err)
	}
	if before.Kind != "notification" {
		t.Fatalf("before: kind = %q, want notification", before.Kind)
	}
	if err := Correct(ctx, st, rows[2], TaskKind, "promotion"); err != nil {
		t.Fatal(err)
	}
	if err := Correct(ctx, st, rows[2], TaskKind, "bogus"); err == nil {
		t.Errorf("Correct(kind=bogus) = nil, want an error")
	}
	rep, err := Learn(ctx, st, reg, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applied != 1 || len(rep.Models) != 1 || rep.Models[0] != "kind@2" {
		t.Fatalf("Learn = %+v, want 1 applied, kind@2", rep)
	}
	if act, _ := reg.Active(TaskKind); act != "2" {
		t.Errorf("active kind version = %q, want 2", act)
	}
	run()
	after, err := Get(ctx, st, rows[2])
	if err != nil {
		t.Fatal(err)
	}
	if after.Kind != "promotion" {
		t.Errorf("after correction: kind = %q, want promotion (scores %v)", after.Kind, after.KindScores)
	}
	// Rolling back restores the old behaviour.
	if _, err := reg.Rollback(TaskKind); err != nil {
		t.Fatal(err)
	}
	Enqueue(ctx, st, rows[2])
	run()
	if back, _ := Get(ctx, st, rows[2]); back.Kind != "notification" {
		t.Errorf("after rollback: kind = %q, want notification", back.Kind)
	}
	// Nothing left to learn.
	if rep, err := Learn(ctx, st, reg, w, nil); err != nil || rep.Applied != 0 {
		t.Errorf("second Learn = %+v, %v; want nothing applied", rep, err)
	}
}

func TestFolderMoveTeachesFolders(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	w := newWorker(t, "classify")
	reg := worker.Registry{Dir: filepath.Join(t.TempDir(), "models")}
	rows := importFixtures(t, st, 8, "INBOX")
	r := Runner{Store: st, Classifier: &Classifier{Worker: w}}
	if _, err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// The newsletter (fixture 3) shows up again in folder "Reading" and
	// the notification (fixture 2) in "Sent", which is no filing decision.
	raw3, _ := fixture(3)
	raw2, _ := fixture(2)
	if _, err := st.WriteBatch(ctx, []store.Incoming{incoming(t, "test:Reading:3", "Reading", raw3), incoming(t, "test:Sent:2", "Sent", raw2)}); err != nil {
		t.Fatal(err)
	}
	got, err := Corrections(ctx, st, rows[3])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != `folders="Reading" (move)` {
		t.Errorf("corrections of the moved message = %v, want one folders move", got)
	}
	if got, _ := Corrections(ctx, st, rows[2]); len(got) != 0 {
		t.Errorf("corrections of a message copied to Sent = %v, want none", got)
	}
	rep, err := Learn(ctx, st, reg, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Models) != 1 || rep.Models[0] != "folders@2" {
		t.Fatalf("Learn = %+v, want folders@2 (1 is the model trained on the filing, 2 adapted to the move)", rep)
	}
	specs, _ := reg.ActiveSpecs()
	r.Classifier.Models = specs
	if _, err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := Get(ctx, st, rows[3])
	if err != nil {
		t.Fatal(err)
	}
	if res.Label != "Reading" {
		t.Errorf("moved message: folder = %q, want Reading (scores %v)", res.Label, res.LabelScores)
	}
}

// UserAddresses: the senders of sent mail; without sent mail, the
// address the mailbox is addressed To when it clearly is its owner's;
// nothing on too little evidence.
func TestUserAddresses(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		n    int    // fixtures in INBOX (3 in 4 to alex@example.org)
		sent bool   // plus one message from the user in Sent
		want string // "" for none
	}{
		{"sent mail", 8, true, "me@example.com"},
		{"inbox only", 8, false, "alex@example.org"},
		{"too few", 4, false, ""},
		{"empty", 0, false, ""},
	} {
		st := openStore(t)
		if c.n > 0 {
			importFixtures(t, st, c.n, "INBOX")
		}
		if c.sent {
			raw := "Message-ID: <s1@example.com>\nFrom: Me <me@example.com>\nTo: jonas0@example.com\nSubject: Re: lunch\nDate: Mon, 2 Mar 2026 10:30:00 +0000\n\nYes, see you then.\n"
			if _, err := st.WriteBatch(ctx, []store.Incoming{incoming(t, "test:Sent:1", "Sent", raw)}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := UserAddresses(ctx, st)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if first := strings.Join(got[:min(len(got), 1)], ""); first != c.want {
			t.Errorf("%s: UserAddresses = %q, want first %q", c.name, got, c.want)
		}
	}
}

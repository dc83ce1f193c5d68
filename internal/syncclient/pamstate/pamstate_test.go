package pamstate

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
)

type dev struct {
	st *store.Store
	c  *syncclient.Client
}

// pair sets up two devices of one account on a loopback relay, with the
// PAM reconcilers registered.
func pair(t *testing.T) (*dev, *dev) {
	t.Helper()
	ctx := context.Background()
	rs, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "relay.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	srv := httptest.NewServer(syncserver.New(rs, syncserver.Config{}).Handler())
	t.Cleanup(srv.Close)
	open := func() (*store.Store, string) {
		dir := t.TempDir()
		st, err := store.Open(ctx, filepath.Join(dir, "pam.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st, dir
	}
	sa, ha := open()
	res, err := syncclient.Init(ctx, syncclient.Options{Home: ha, DB: sa.DB()}, srv.URL, syncclient.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := res.Client.Invite(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sb, hb := open()
	cb, err := syncclient.Join(ctx, syncclient.Options{Home: hb, DB: sb.DB()}, srv.URL, inv.String())
	if err != nil {
		t.Fatal(err)
	}
	a, b := &dev{sa, res.Client}, &dev{sb, cb}
	Register(a.c, a.st)
	Register(b.c, b.st)
	return a, b
}

func syncAll(t *testing.T, ds ...*dev) {
	t.Helper()
	for _, d := range append(ds, ds...) {
		if rep, err := d.c.Sync(context.Background()); err != nil || len(rep.Refused) > 0 {
			t.Fatalf("Sync = %+v, %v", rep, err)
		}
	}
}

const rawMsg = "Message-ID: <q1@example.org>\nFrom: Dana <dana@example.org>\nTo: alex@example.org\nSubject: Quarterly numbers\nDate: Mon, 3 Jun 2024 09:00:00 +0000\n\nCould you send me the quarterly numbers by Friday?\n"

// importMsg stores the same message on a device; its pid is content-derived.
func importMsg(t *testing.T, st *store.Store) int64 {
	t.Helper()
	m, err := mail.Parse([]byte(rawMsg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.WriteBatch(context.Background(), []store.Incoming{{Source: "test:1", Msg: m, Raw: store.Compress([]byte(rawMsg)), Codec: store.CodecZstd}}); err != nil {
		t.Fatal(err)
	}
	var row int64
	if err := st.DB().QueryRow(`SELECT id FROM messages`).Scan(&row); err != nil {
		t.Fatal(err)
	}
	return row
}

func labels(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	rows, err := st.DB().Query(`SELECT task, label FROM corrections WHERE source = 'user' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		rows.Scan(&k, &v)
		out[k] = v
	}
	return out
}

// TestCorrectionFindsItsMessage: a correction made on A reaches B by the
// message's stable id, even when B receives the message only later.
func TestCorrectionFindsItsMessage(t *testing.T) {
	ctx := context.Background()
	a, b := pair(t)
	rowA := importMsg(t, a.st)
	if _, err := a.st.DB().Exec(`INSERT INTO corrections (message, task, label, source, at) VALUES (?, 'folders', 'Finance', 'user', 1)`, rowA); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if got := labels(t, b.st); len(got) != 0 {
		t.Fatalf("B corrections without the message = %v, want none yet", got)
	}
	importMsg(t, b.st) // the mail arrives on B
	syncAll(t, b)
	if got := labels(t, b.st); got["folders"] != "Finance" {
		t.Errorf("B corrections = %v, want folders=Finance", got)
	}
	// Nothing echoes back: A still has its single correction.
	syncAll(t, a, b)
	var n int
	a.st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM corrections`).Scan(&n)
	if n != 1 {
		t.Errorf("A corrections = %d, want 1", n)
	}
}

// TestTaskDeleteAndMailDedupe: a deleted task disappears everywhere; a
// task extracted from the same mail on both devices stays one task.
func TestTaskDeleteAndMailDedupe(t *testing.T) {
	ctx := context.Background()
	a, b := pair(t)
	id, err := a.st.AddTask(ctx, store.Task{Title: "Water the plants"})
	if err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if l, _ := b.st.Tasks(ctx, store.TaskFilter{}); len(l) != 1 || l[0].Title != "Water the plants" {
		t.Fatalf("B tasks = %+v", l)
	}
	if err := a.st.DeleteTask(ctx, id); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if l, _ := b.st.Tasks(ctx, store.TaskFilter{}); len(l) != 0 {
		t.Fatalf("B tasks after delete on A = %+v, want none", l)
	}

	// The same mail task: A extracts it and syncs first; B receives it,
	// then its own extraction finds it again.
	rowA, rowB := importMsg(t, a.st), importMsg(t, b.st)
	mk := func(row int64, key string) store.Task {
		return store.Task{Title: "Send the quarterly numbers", Notes: "Could you send me the quarterly numbers by Friday?",
			Origin: "mail", Message: row, MailKey: key, Requester: "Dana"}
	}
	if _, err := a.st.AddTask(ctx, mk(rowA, "ka")); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	tb, _ := b.st.Tasks(ctx, store.TaskFilter{})
	if len(tb) != 1 || tb[0].MessagePID == "" {
		t.Fatalf("B tasks = %+v, want the mail task linked to its message", tb)
	}
	// B's user marks it done, then B's extraction adds its own copy.
	tb[0].Status = store.TaskDone
	if err := b.st.UpdateTask(ctx, tb[0]); err != nil {
		t.Fatal(err)
	}
	syncAll(t, b)
	if _, err := b.st.AddTask(ctx, mk(rowB, "kb")); err != nil {
		t.Fatal(err)
	}
	syncAll(t, b, a)
	for name, d := range map[string]*dev{"A": a, "B": b} {
		l, _ := d.st.Tasks(ctx, store.TaskFilter{})
		if len(l) != 1 || l[0].Status != store.TaskDone {
			t.Errorf("%s tasks = %+v, want one, done", name, l)
		}
	}
	if l, _ := b.st.Tasks(ctx, store.TaskFilter{}); len(l) == 1 && l[0].MailKey != "kb" {
		t.Errorf("B kept row with mail key %q, want its own extraction's (kb)", l[0].MailKey)
	}
}

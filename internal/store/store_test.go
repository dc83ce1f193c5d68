package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/search"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func incoming(t *testing.T, source, label string, flags pam.Flags, raw string) Incoming {
	t.Helper()
	m, err := mail.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return Incoming{Source: source, Label: label, Flags: flags, Msg: m, Raw: Compress([]byte(raw)), Codec: CodecZstd}
}

func msg(id, from, subject, date, body string, extra ...string) string {
	h := fmt.Sprintf("Message-ID: <%s>\nFrom: %s\nTo: alex@example.org\nSubject: %s\nDate: %s\n", id, from, subject, date)
	for _, e := range extra {
		h += e + "\n"
	}
	return h + "\n" + body + "\n"
}

func TestOpenMigratesAndWAL(t *testing.T) {
	s := openTest(t)
	v, err := s.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("SchemaVersion = %d, %v; want >= 1", v, err)
	}
	var mode string
	if err := s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := s.DB().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
	// Re-opening is a no-op migration.
	p := s.Path()
	s.Close()
	s2, err := Open(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestWriteBatchDedupeAndThreads(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	root := msg("a@x", "Bob <bob@example.org>", "Budget", "Mon, 2 Mar 2026 10:00:00 +0000", "Can you send the budget by Friday?")
	reply := msg("b@x", "Alex <alex@example.org>", "Re: Budget", "Mon, 2 Mar 2026 11:00:00 +0000", "Sure.", "In-Reply-To: <a@x>", "References: <a@x>")
	// The grandchild arrives first: it must still join the thread later.
	late := msg("c@x", "Bob <bob@example.org>", "Re: Budget", "Mon, 2 Mar 2026 12:00:00 +0000", "Thanks!", "In-Reply-To: <b@x>", "References: <a@x> <b@x>")
	other := msg("d@x", "Carol <carol@example.net>", "Lunch", "Tue, 3 Mar 2026 12:00:00 +0000", "Lunch tomorrow?")
	sameIDOtherBody := msg("d@x", "Carol <carol@example.net>", "Lunch", "Tue, 3 Mar 2026 12:00:00 +0000", "Different text, same Message-ID")
	res, err := s.WriteBatch(ctx, []Incoming{
		incoming(t, "k:late", "INBOX", 0, late),
		incoming(t, "k:root", "INBOX", pam.FlagSeen, root),
		incoming(t, "k:reply", "Sent", pam.FlagSeen, reply),
		incoming(t, "k:other", "INBOX", 0, other),
		incoming(t, "k:other2", "INBOX", 0, sameIDOtherBody),
		{Source: "k:bad", Err: fmt.Errorf("not an e-mail message")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 5 || res.Duplicates != 0 || res.Failed != 1 {
		t.Fatalf("result = %+v, want 5 imported, 0 duplicates, 1 failed", res)
	}
	// The same root again from another folder: a duplicate that gains a label.
	res, err = s.WriteBatch(ctx, []Incoming{incoming(t, "k:root-archive", "Archive", pam.FlagSeen, root)})
	if err != nil || res.Duplicates != 1 || res.Imported != 0 {
		t.Fatalf("re-write = %+v, %v; want 1 duplicate", res, err)
	}
	c, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Messages != 5 || c.Threads != 2 || c.Failures != 1 {
		t.Fatalf("counts = %+v, want 5 messages in 2 threads (a re-used Message-ID stays in its thread), 1 failure", c)
	}
	rootRow, err := s.Resolve(ctx, mustID(t, root))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.SummaryByRow(ctx, rootRow)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sum.Labels, ",") != "Archive,INBOX" {
		t.Errorf("labels = %v, want Archive, INBOX", sum.Labels)
	}
	th, err := s.Thread(ctx, sum.Thread)
	if err != nil {
		t.Fatal(err)
	}
	if len(th) != 3 || th[0].Subject != "Budget" || th[2].Snippet != "Thanks!" {
		t.Fatalf("thread = %+v, want root, reply, late in date order", th)
	}
	raw, err := s.Raw(ctx, rootRow)
	if err != nil || string(raw) != root {
		t.Fatalf("Raw = %q, %v", raw, err)
	}
	inbox, err := s.Inbox(ctx, 10, []string{"Sent"})
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 2 || inbox[0].Latest.Subject != "Lunch" || inbox[1].Count != 2 {
		t.Fatalf("inbox = %+v", inbox)
	}
}

func TestSubjectFallbackThreading(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := msg("s1@x", "bob@example.org", "Offsite plan", "Mon, 2 Mar 2026 10:00:00 +0000", "plan")
	b := msg("s2@x", "carol@example.org", "RE: [team] Offsite  plan", "Tue, 3 Mar 2026 10:00:00 +0000", "ok") // no references
	c := msg("s3@x", "dan@example.org", "Offsite plan", "Wed, 4 Mar 2026 10:00:00 +0000", "new topic, same words")
	if _, err := s.WriteBatch(ctx, []Incoming{incoming(t, "1", "", 0, a), incoming(t, "2", "", 0, b), incoming(t, "3", "", 0, c)}); err != nil {
		t.Fatal(err)
	}
	c2, _ := s.Count(ctx)
	if c2.Threads != 2 {
		t.Fatalf("threads = %d, want 2 (a reply by subject joins; a non-reply with the same subject does not)", c2.Threads)
	}
}

func mustID(t *testing.T, raw string) string {
	m, err := mail.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	items := []Incoming{
		incoming(t, "1", "Work/Atlas", pam.FlagSeen, msg("1@x", "Bob Stone <bob@example.org>", "Quarterly report", "Mon, 2 Mar 2026 10:00:00 +0000", "Please review the quarterly report before Friday.")),
		incoming(t, "2", "INBOX", 0, msg("2@x", "Carol <carol@example.net>", "Lunch", "Tue, 3 Mar 2026 10:00:00 +0000", "Report to the café at noon.")),
		incoming(t, "3", "INBOX", pam.FlagSeen|pam.FlagFlagged, msg("3@x", "Shop <deals@shop.example.com>", "50% off", "Wed, 4 Jan 2023 10:00:00 +0000", "Big sale on reports.",
			"MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b")+"--b\nContent-Type: text/plain\n\nBig sale\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=c.pdf\n\nxx\n--b--\n"),
	}
	if _, err := s.WriteBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want string // subjects, newest first
	}{
		{"report", "Lunch,Quarterly report"},
		{`"quarterly report"`, "Quarterly report"},
		{"report*", "Lunch,Quarterly report"},
		{"from:bob", "Quarterly report"},
		{"from:carol@example.net", "Lunch"},
		{"to:alex@example.org", "Lunch,Quarterly report,50% off"},
		{"subject:lunch", "Lunch"},
		{"label:Work", "Quarterly report"},
		{"label:work/atlas", "Quarterly report"},
		{"is:unread", "Lunch"},
		{"is:flagged", "50% off"},
		{"has:attachment", "50% off"},
		{"date:2026-03", "Lunch,Quarterly report"},
		{"date:2020..2023", "50% off"},
		{"report NOT from:bob", "Lunch"},
		{"report -is:unread", "Quarterly report"},
		{"lunch OR sale", "Lunch,50% off"},
		{"(lunch OR sale) has:attachment", "50% off"},
		{"cafe", "Lunch"},
		{"nothingmatches", ""},
	}
	for _, tc := range tests {
		q, err := search.Parse(tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		res, err := s.Search(ctx, q, 10, 0)
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.q, err)
		}
		var got []string
		for _, r := range res {
			got = append(got, r.Subject)
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("Search(%q) = %q, want %q", tc.q, g, tc.want)
		}
	}
}

func TestStoreErrorsSurface(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// A database path that is a directory cannot be opened.
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, filepath.Join(dir, "db")); err == nil {
		t.Fatal("Open(directory) = nil error")
	}
	s := openTest(t)
	s.Close()
	if _, err := s.WriteBatch(ctx, []Incoming{incoming(t, "x", "", 0, msg("z@x", "a@example.org", "s", "Mon, 2 Mar 2026 10:00:00 +0000", "b"))}); err == nil {
		t.Fatal("WriteBatch on a closed store = nil error")
	}
	if _, err := s.Resolve(ctx, "abcdefgh"); err == nil {
		t.Fatal("Resolve on a closed store = nil error")
	}
}

// TestIndexCatchUp simulates a crash after a batch committed to pam.db but
// before its index entries committed to search.db: the next Open indexes
// the missing messages from their raw bytes.
func TestIndexCatchUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pam.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteBatch(ctx, []Incoming{
		incoming(t, "1", "", 0, msg("1@x", "a@example.org", "Zebra crossing", "Mon, 2 Mar 2026 10:00:00 +0000", "stripes")),
		incoming(t, "2", "", 0, msg("2@x", "a@example.org", "Giraffe", "Mon, 2 Mar 2026 11:00:00 +0000", "tall")),
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	// Lose the index entries of row 2, as if its index commit never happened.
	for _, q := range []string{"DELETE FROM message_fts WHERE rowid = 2", "DELETE FROM indexed WHERE row = 2", "UPDATE state SET v = 0 WHERE k = 'done'"} {
		if _, err := s.idx.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q, _ := search.Parse("tall OR stripes")
	res, err := s.Search(ctx, q, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("after catch-up, search found %d messages, want 2", len(res))
	}
}

// TestTwoWritersIndexOnce opens the same store twice (pam serve and a CLI
// import at once): every message is indexed exactly once.
func TestTwoWritersIndexOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pam.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := 0; i < 20; i++ {
		st := a
		if i%2 == 1 {
			st = b
		}
		raw := msg(fmt.Sprintf("%d@x", i), "a@example.org", fmt.Sprintf("Note %d", i), "Mon, 2 Mar 2026 10:00:00 +0000", "common words")
		if _, err := st.WriteBatch(ctx, []Incoming{incoming(t, fmt.Sprint(i), "", 0, raw)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	// A third process opening now catches up on nothing and duplicates nothing.
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var docs, marks int
	if err := c.idx.db.QueryRow("SELECT count(*) FROM message_fts").Scan(&docs); err != nil {
		t.Fatal(err)
	}
	c.idx.db.QueryRow("SELECT count(*) FROM indexed").Scan(&marks)
	if docs != 20 || marks != 20 {
		t.Fatalf("index holds %d documents (%d marks), want 20", docs, marks)
	}
	// Re-indexing rows another process indexed (a catch-up that raced a
	// writer) adds nothing.
	c.idx.db.Exec("UPDATE state SET v = 0 WHERE k = 'done'")
	if err := c.catchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.idx.write(ctx, []ftsDoc{{row: 1, subject: "again"}}); err != nil {
		t.Fatal(err)
	}
	c.idx.db.QueryRow("SELECT count(*) FROM message_fts").Scan(&docs)
	if docs != 20 {
		t.Fatalf("after a repeated catch-up and write, index holds %d documents, want 20", docs)
	}
}

func TestMigrateOutOfOrderAndNewer(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	db := s.DB()
	// A migration this binary does not know: refused.
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, migrations, "sql"); err == nil || !strings.Contains(err.Error(), "upgrade pam") {
		t.Fatalf("migrate with a newer migration applied = %v, want an upgrade error", err)
	}
	db.Exec("DELETE FROM schema_migrations WHERE version = 9999")
	// A lower-numbered migration missing from the record (merged later) runs.
	var n int
	db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
	if n == 0 {
		t.Fatal("no migrations recorded")
	}
	if err := migrate(ctx, db, migrations, "sql"); err != nil {
		t.Fatalf("re-migrate: %v", err)
	}
}

package imap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/testserver/dovecot"
)

func testMsg(i int) []byte {
	return []byte(fmt.Sprintf("From: Sender %d <sender%d@example.org>\r\nTo: pam@example.org\r\nSubject: test message %d\r\n"+
		"Message-ID: <m%d@example.org>\r\nDate: Mon, 2 Mar 2026 10:%02d:00 +0000\r\n\r\nBody of message %d.\r\n%s\r\n",
		i, i, i, i, i%60, i, strings.Repeat("filler line for size\r\n", i%7)))
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

func cfgFor(s *dovecot.Server) Config {
	return Config{Account: "test", Host: "127.0.0.1", Port: s.TLSPort, User: s.User, Password: s.Password, Security: SecurityTLS, CAFile: s.CAFile}
}

func deliver(t *testing.T, s *dovecot.Server, folder string, from, to int, flags string) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, err := s.DeliverFlags(folder, testMsg(i), flags); err != nil {
			t.Fatal(err)
		}
	}
}

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func msgFlags(t *testing.T, st *store.Store, msgid string) pam.Flags {
	t.Helper()
	return pam.Flags(count(t, st, "SELECT flags FROM messages WHERE message_id = ?", msgid))
}

func hasLabel(t *testing.T, st *store.Store, msgid, label string) bool {
	return count(t, st, `SELECT count(*) FROM message_labels ml JOIN labels l ON l.id = ml.label JOIN messages m ON m.id = ml.message
		WHERE m.message_id = ? AND l.name = ?`, msgid, label) > 0
}

// serverFlags returns the flags of the message with msgid in folder, as
// doveadm reports them.
func serverFlags(t *testing.T, s *dovecot.Server, folder, msgid string) string {
	t.Helper()
	out, err := s.Doveadm("fetch", "-u", s.User, "flags", "mailbox", folder, "header", "message-id", "<"+msgid+">")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "flags:"))
}

func mustSync(t *testing.T, sy *Syncer) Summary {
	t.Helper()
	sum, err := sy.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v (summary %+v)", err, sum)
	}
	return sum
}

func TestSyncIncremental(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 5, "")
	deliver(t, s, "Archive", 5, 7, "S")
	deliver(t, s, "Lists/Go", 7, 8, "FS")
	st := openStore(t)
	var batches int
	sy := NewSyncer(st, cfgFor(s), Options{BatchSize: 2, OnBatch: func(ctx context.Context, rows []int64) { batches++ }})
	sum := mustSync(t, sy)
	if sum.Imported != 8 || sum.Failed != 0 || sum.Duplicates != 0 {
		t.Fatalf("first Sync = %+v, want 8 imported", sum)
	}
	if batches < 4 {
		t.Errorf("OnBatch called %d times, want >= 4 (batches of 2)", batches)
	}
	for _, c := range []struct {
		id    string
		label string
		flags pam.Flags
	}{
		{"m0@example.org", "INBOX", 0},
		{"m5@example.org", "Archive", pam.FlagSeen},
		{"m7@example.org", "Lists/Go", pam.FlagSeen | pam.FlagFlagged},
	} {
		if !hasLabel(t, st, c.id, c.label) {
			t.Errorf("%s: no label %q", c.id, c.label)
		}
		if got := msgFlags(t, st, c.id); got != c.flags {
			t.Errorf("%s: flags = %v, want %v", c.id, got, c.flags)
		}
	}
	if n := count(t, st, "SELECT count(*) FROM pending"); n != 8 {
		t.Errorf("pending = %d, want 8 (queued for the pipeline)", n)
	}
	sum = mustSync(t, sy)
	if sum.Imported != 0 || sum.Duplicates != 0 {
		t.Fatalf("second Sync = %+v, want nothing fetched", sum)
	}
	deliver(t, s, "INBOX", 8, 10, "")
	sum = mustSync(t, sy)
	if sum.Imported != 2 {
		t.Fatalf("third Sync imported %d, want 2", sum.Imported)
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 10 {
		t.Fatalf("messages = %d, want 10", n)
	}
	// The same message in two folders is one message with two labels.
	deliver(t, s, "Archive", 0, 1, "")
	sum = mustSync(t, sy)
	if sum.Imported != 0 || sum.Duplicates != 1 {
		t.Fatalf("copy in a second folder: %+v, want 1 duplicate", sum)
	}
	if !hasLabel(t, st, "m0@example.org", "Archive") || !hasLabel(t, st, "m0@example.org", "INBOX") {
		t.Error("m0 should carry INBOX and Archive")
	}
}

func TestSyncSTARTTLSAndCertificates(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 1, "")
	st := openStore(t)
	cfg := cfgFor(s)
	cfg.Security, cfg.Port = SecuritySTARTTLS, s.Port
	if sum := mustSync(t, NewSyncer(st, cfg, Options{})); sum.Imported != 1 {
		t.Fatalf("STARTTLS sync imported %d, want 1", sum.Imported)
	}
	// Without the CA file the self-signed certificate is refused, clearly.
	cfg.CAFile = ""
	_, err := NewSyncer(st, cfg, Options{Attempts: 1}).Sync(context.Background())
	if err == nil || !errors.Is(err, ErrTLS) || !strings.Contains(err.Error(), "--ca-file") {
		t.Fatalf("sync without CA file: err = %v, want a certificate error naming --ca-file", err)
	}
	// Plaintext to loopback works.
	cfg.Security, cfg.CAFile = SecurityPlain, ""
	if _, err := NewSyncer(st, cfg, Options{}).Sync(context.Background()); err != nil {
		t.Fatalf("plaintext to loopback: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Account: "a", Host: "imap.example.org", User: "u", Security: SecurityPlain}, "refusing plaintext"},
		{Config{Account: "a", Host: "10.0.0.1", User: "u", Security: SecurityPlain}, "refusing plaintext"},
		{Config{Account: "a", Host: "127.0.0.1", User: "u", Security: SecurityPlain}, ""},
		{Config{Account: "a", Host: "::1", User: "u", Security: SecurityPlain}, ""},
		{Config{Account: "a", Host: "localhost", User: "u", Security: SecurityPlain}, ""},
		{Config{Account: "a", Host: "imap.example.org", User: "u", Security: SecurityTLS}, ""},
		{Config{Account: "a", Host: "imap.example.org", User: "u", Security: SecurityTLS, Offline: true}, "offline"},
		{Config{Account: "a:b", Host: "h", User: "u"}, "account name"},
		{Config{Account: "a", Host: "", User: "u"}, "host"},
		{Config{Account: "a", Host: "h", User: ""}, "user"},
		{Config{Account: "a", Host: "h", User: "u", Security: "ssl"}, "security"},
	} {
		err := c.cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Validate(%+v) = %v, want an error containing %q", c.cfg, err, c.want)
		}
	}
}

func TestWrongPassword(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	cfg := cfgFor(s)
	cfg.Password = "not-the-password-xyzzy"
	start := time.Now()
	sum, err := NewSyncer(openStore(t), cfg, Options{Backoff: 5 * time.Second}).Sync(context.Background())
	if err == nil || !errors.Is(err, ErrAuth) {
		t.Fatalf("Sync with a wrong password: %v, want ErrAuth", err)
	}
	if want := "authentication failed for pam@127.0.0.1"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if strings.Contains(err.Error(), cfg.Password) {
		t.Errorf("error %q contains the password", err)
	}
	if sum.Attempts != 1 || time.Since(start) > 4*time.Second {
		t.Errorf("a wrong password was retried (%d attempts)", sum.Attempts)
	}
}

func TestFlagsBothWays(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 4, "")
	st := openStore(t)
	sy := NewSyncer(st, cfgFor(s), Options{})
	mustSync(t, sy)

	// Server → PAM: another client reads m0 and flags m1.
	if _, err := s.Doveadm("flags", "add", "-u", s.User, `\Seen`, "mailbox", "INBOX", "header", "message-id", "<m0@example.org>"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Doveadm("flags", "add", "-u", s.User, `\Flagged \Answered`, "mailbox", "INBOX", "header", "message-id", "<m1@example.org>"); err != nil {
		t.Fatal(err)
	}
	sum := mustSync(t, sy)
	if sum.FlagsPulled != 2 {
		t.Errorf("FlagsPulled = %d, want 2", sum.FlagsPulled)
	}
	if got := msgFlags(t, st, "m0@example.org"); got != pam.FlagSeen {
		t.Errorf("m0 flags = %v, want seen", got)
	}
	if got := msgFlags(t, st, "m1@example.org"); got != pam.FlagFlagged|pam.FlagReplied {
		t.Errorf("m1 flags = %v, want flagged|replied", got)
	}

	// PAM → server: the user reads m2 and unflags m1 in PAM.
	if _, err := st.DB().Exec("UPDATE messages SET flags = flags | 1 WHERE message_id = 'm2@example.org'"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec("UPDATE messages SET flags = flags & ~2 WHERE message_id = 'm1@example.org'"); err != nil {
		t.Fatal(err)
	}
	sum = mustSync(t, sy)
	if sum.FlagsPushed != 2 || sum.FlagsPulled != 0 {
		t.Errorf("push: %+v, want 2 pushed, 0 pulled", sum)
	}
	if got := serverFlags(t, s, "INBOX", "m2@example.org"); got != `\Seen` {
		t.Errorf("server flags of m2 = %q, want \\Seen", got)
	}
	if got := serverFlags(t, s, "INBOX", "m1@example.org"); got != `\Answered` {
		t.Errorf("server flags of m1 = %q, want \\Answered", got)
	}
	// Nothing left to do.
	if sum := mustSync(t, sy); sum.FlagsPushed != 0 || sum.FlagsPulled != 0 {
		t.Errorf("idle sync moved flags: %+v", sum)
	}
}

func TestUIDValidityChange(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 6, "")
	st := openStore(t)
	sy := NewSyncer(st, cfgFor(s), Options{BatchSize: 4})
	mustSync(t, sy)
	check := func(step string, wantValidity uint32) {
		t.Helper()
		if n := count(t, st, "SELECT count(*) FROM messages"); n != 6 {
			t.Fatalf("%s: messages = %d, want 6", step, n)
		}
		if n := count(t, st, "SELECT count(*) FROM sources"); n != 6 {
			t.Fatalf("%s: sources = %d, want 6 (old keys dropped)", step, n)
		}
		if n := count(t, st, "SELECT count(*) FROM sources WHERE key LIKE ?", fmt.Sprintf("imap:test:INBOX:%d:%%", wantValidity)); wantValidity != 0 && n != 6 {
			t.Fatalf("%s: %d sources under UIDVALIDITY %d, want 6", step, n, wantValidity)
		}
		if n := count(t, st, "SELECT count(*) FROM messages WHERE flags & ? != 0", int(pam.FlagTrashed)); n != 0 {
			t.Fatalf("%s: %d messages trashed, want 0", step, n)
		}
		if !hasLabel(t, st, "m3@example.org", "INBOX") {
			t.Fatalf("%s: m3 lost its INBOX label", step)
		}
	}
	check("first sync", 0)
	if err := s.SetUIDValidity("INBOX", 777); err != nil {
		t.Fatal(err)
	}
	sum := mustSync(t, sy)
	if len(sum.Resynced) != 1 || sum.Resynced[0] != "INBOX" || sum.Imported != 0 || sum.Duplicates != 6 {
		t.Fatalf("after UIDVALIDITY change: %+v, want INBOX resynced, 6 duplicates", sum)
	}
	check("same UIDs, new validity", 777)
	// A rebuilt folder: new UIDVALIDITY and new UIDs, plus one new message.
	deliver(t, s, "INBOX", 100, 101, "")
	if err := s.ResetFolder("INBOX"); err != nil {
		t.Fatal(err)
	}
	sum = mustSync(t, sy)
	if sum.Imported != 1 || sum.Duplicates != 6 || len(sum.Resynced) != 1 {
		t.Fatalf("after folder rebuild: %+v, want 1 imported, 6 duplicates", sum)
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 7 {
		t.Fatalf("messages = %d, want 7", n)
	}
	if n := count(t, st, "SELECT count(*) FROM sources"); n != 7 {
		t.Fatalf("sources = %d, want 7", n)
	}
}

func TestServerExpunge(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 3, "")
	deliver(t, s, "Archive", 0, 1, "") // m0 is in two folders
	st := openStore(t)
	sy := NewSyncer(st, cfgFor(s), Options{})
	mustSync(t, sy)
	for _, id := range []string{"m0", "m1"} {
		if _, err := s.Doveadm("expunge", "-u", s.User, "mailbox", "INBOX", "header", "message-id", "<"+id+"@example.org>"); err != nil {
			t.Fatal(err)
		}
	}
	sum := mustSync(t, sy)
	if sum.Removed != 2 || sum.Trashed != 1 {
		t.Fatalf("after expunge: %+v, want 2 removed, 1 trashed", sum)
	}
	if hasLabel(t, st, "m0@example.org", "INBOX") || !hasLabel(t, st, "m0@example.org", "Archive") {
		t.Error("m0 should have lost INBOX and kept Archive")
	}
	if got := msgFlags(t, st, "m1@example.org"); !got.Has(pam.FlagTrashed) {
		t.Errorf("m1 (gone from the server) flags = %v, want trashed", got)
	}
	if got := msgFlags(t, st, "m0@example.org"); got.Has(pam.FlagTrashed) {
		t.Errorf("m0 (still in Archive) is trashed")
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 3 {
		t.Errorf("messages = %d, want 3 (PAM keeps the data)", n)
	}
}

func rowOf(t *testing.T, st *store.Store, msgid string) int64 {
	return int64(count(t, st, "SELECT id FROM messages WHERE message_id = ?", msgid))
}

func folderHas(t *testing.T, s *dovecot.Server, folder, msgid string) bool {
	t.Helper()
	out, err := s.Doveadm("search", "-u", s.User, "mailbox", folder, "header", "message-id", "<"+msgid+">")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out) != ""
}

func testMoves(t *testing.T, opt dovecot.Options) {
	s := dovecot.Start(t, opt)
	deliver(t, s, "INBOX", 0, 4, "")
	st := openStore(t)
	sy := NewSyncer(st, cfgFor(s), Options{})
	mustSync(t, sy)
	db := st.DB()
	ctx := context.Background()
	if err := Queue(ctx, db, "test", rowOf(t, st, "m0@example.org"), OpArchive, ""); err != nil {
		t.Fatal(err)
	}
	if err := Queue(ctx, db, "test", rowOf(t, st, "m1@example.org"), OpMove, "Projects"); err != nil {
		t.Fatal(err)
	}
	if err := Queue(ctx, db, "test", rowOf(t, st, "m2@example.org"), OpDelete, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Doveadm("mailbox", "create", "-u", s.User, "Projects"); err != nil {
		t.Fatal(err)
	}
	sum := mustSync(t, sy)
	if sum.Applied != 3 || sum.Imported != 0 {
		t.Fatalf("Sync with 3 queued changes: %+v, want 3 applied, nothing imported", sum)
	}
	for _, c := range []struct {
		id, folder string
		want       bool
	}{
		{"m0@example.org", "INBOX", false}, {"m0@example.org", "Archive", true},
		{"m1@example.org", "INBOX", false}, {"m1@example.org", "Projects", true},
		{"m2@example.org", "INBOX", false}, {"m2@example.org", "Trash", true},
		{"m3@example.org", "INBOX", true},
	} {
		if got := folderHas(t, s, c.folder, c.id); got != c.want {
			t.Errorf("server: %s in %s = %v, want %v", c.id, c.folder, got, c.want)
		}
		if got := hasLabel(t, st, c.id, c.folder); got != c.want {
			t.Errorf("PAM: %s labelled %s = %v, want %v", c.id, c.folder, got, c.want)
		}
	}
	// Delete from Trash removes it from the server; PAM marks it trashed.
	if err := Queue(ctx, db, "test", rowOf(t, st, "m2@example.org"), OpDelete, ""); err != nil {
		t.Fatal(err)
	}
	sum = mustSync(t, sy)
	if sum.Applied != 1 || sum.Trashed != 1 {
		t.Fatalf("delete from Trash: %+v, want 1 applied, 1 trashed", sum)
	}
	if folderHas(t, s, "Trash", "m2@example.org") {
		t.Error("m2 still in Trash on the server")
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 4 {
		t.Errorf("messages = %d, want 4", n)
	}
	if n := count(t, st, "SELECT count(*) FROM imap_outbox"); n != 0 {
		t.Errorf("outbox has %d items left", n)
	}
}

func TestMoveArchiveDelete(t *testing.T) { testMoves(t, dovecot.Options{}) }

// Without MOVE and CONDSTORE: COPY + STORE \Deleted + UID EXPUNGE, and
// full flag fetches.
func TestMoveArchiveDeleteWithoutMOVE(t *testing.T) {
	testMoves(t, dovecot.Options{Extra: "imap_capability = IMAP4rev1 IDLE UIDPLUS LIST-EXTENDED SPECIAL-USE NAMESPACE\n"})
}

func TestServerRestartMidSync(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 60, "")
	st := openStore(t)
	var once sync.Once
	sy := NewSyncer(st, cfgFor(s), Options{BatchSize: 10, Backoff: 200 * time.Millisecond, OnBatch: func(ctx context.Context, rows []int64) {
		once.Do(func() {
			if err := s.Restart(); err != nil {
				t.Error(err)
			}
		})
	}})
	sum := mustSync(t, sy)
	if sum.Attempts < 2 {
		t.Errorf("Attempts = %d, want >= 2 (the restart should have cut the first)", sum.Attempts)
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 60 {
		t.Fatalf("messages = %d, want 60", n)
	}
	if n := count(t, st, "SELECT count(*) FROM sources"); n != 60 {
		t.Fatalf("sources = %d, want 60", n)
	}
	if sum.Imported != 60 {
		t.Errorf("Imported = %d over all attempts, want 60", sum.Imported)
	}
}

// dropProxy forwards loopback connections to target and cuts the first
// one after limit bytes from the server.
type dropProxy struct {
	l       net.Listener
	dropped atomic.Bool
}

func startDropProxy(t *testing.T, target string, limit int64) *dropProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dropProxy{l: l}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, c)
				if p.dropped.CompareAndSwap(false, true) {
					io.CopyN(c, up, limit)
					return
				}
				io.Copy(c, up)
			}()
		}
	}()
	return p
}

func TestConnectionDropped(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 200, "")
	p := startDropProxy(t, s.Addr(), 20000)
	cfg := cfgFor(s)
	cfg.Security, cfg.CAFile = SecurityPlain, ""
	cfg.Port = p.l.Addr().(*net.TCPAddr).Port
	st := openStore(t)
	sum := mustSync(t, NewSyncer(st, cfg, Options{BatchSize: 25, Backoff: 100 * time.Millisecond}))
	if !p.dropped.Load() || sum.Attempts < 2 {
		t.Errorf("the connection was not dropped (attempts %d)", sum.Attempts)
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 200 {
		t.Fatalf("messages = %d, want 200", n)
	}
	// None was stored cut short where the connection dropped.
	for i := 0; i < 200; i++ {
		row := count(t, st, "SELECT id FROM messages WHERE message_id = ?", fmt.Sprintf("m%d@example.org", i))
		raw, err := st.Raw(context.Background(), int64(row))
		if err != nil {
			t.Fatal(err)
		}
		norm := func(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }
		want := norm(testMsg(i))
		if tail := want[strings.Index(want, "\n\n"):]; !strings.HasSuffix(norm(raw), tail) {
			t.Errorf("message %d stored as %d bytes, not ending in its %d-byte body", i, len(raw), len(tail))
		}
	}
}

func TestUndeliverableMessage(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 3, "")
	bad, err := s.Deliver("INBOX", testMsg(3))
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, s, "INBOX", 4, 6, "")
	st := openStore(t)
	sy := NewSyncer(st, cfgFor(s), Options{Backoff: 50 * time.Millisecond})
	// Let Dovecot index the files, then make one unreadable to it.
	if _, err := s.Doveadm("mailbox", "status", "-u", s.User, "messages", "INBOX"); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(bad)), "*", filepath.Base(bad)+"*"))
	if len(matches) != 1 {
		t.Fatalf("cannot find the delivered file: %v", matches)
	}
	if err := os.Chown(matches[0], 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(matches[0], 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := sy.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v\nserver log:\n%s", err, s.Log())
	}
	if sum.Imported != 5 || sum.Failed != 1 {
		t.Fatalf("Sync = %+v, want 5 imported, 1 failed", sum)
	}
	if n := count(t, st, "SELECT count(*) FROM import_failures WHERE key LIKE 'imap:test:INBOX:%' AND error LIKE '%could not deliver%'"); n != 1 {
		t.Errorf("recorded failures = %d, want 1", n)
	}
	// Fixed on the server: the next sync gets it.
	uid, gid := s.MailUID()
	matches, _ = filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(bad)), "*", filepath.Base(bad)+"*"))
	if len(matches) != 1 {
		t.Fatalf("cannot find the delivered file: %v", matches)
	}
	if err := os.Chown(matches[0], uid, gid); err != nil {
		t.Fatal(err)
	}
	sum = mustSync(t, sy)
	if sum.Imported != 1 || sum.Failed != 0 {
		t.Fatalf("after the fix: %+v, want 1 imported", sum)
	}
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 6 {
		t.Fatalf("messages = %d, want 6", n)
	}
}

func TestParseSourceKey(t *testing.T) {
	for _, c := range []struct {
		key      string
		folder   string
		validity uint32
		uid      uint32
		ok       bool
	}{
		{"imap:acc:INBOX:17:42", "INBOX", 17, 42, true},
		{"imap:acc:a:b:c:1:2", "a:b:c", 1, 2, true},
		{"imap:acc::1:2", "", 0, 0, false},
		{"imap:acc:INBOX:x:2", "", 0, 0, false},
		{"imap:acc:INBOX:1:0", "", 0, 0, false},
		{"file:/x", "", 0, 0, false},
	} {
		a, f, v, u, ok := ParseSourceKey(c.key)
		if ok != c.ok || (ok && (a != "acc" || f != c.folder || v != c.validity || uint32(u) != c.uid)) {
			t.Errorf("ParseSourceKey(%q) = %q %q %d %d %v, want acc %q %d %d %v", c.key, a, f, v, u, ok, c.folder, c.validity, c.uid, c.ok)
		}
		if ok {
			if k := SourceKey(a, f, v, u); k != c.key {
				t.Errorf("SourceKey round trip = %q, want %q", k, c.key)
			}
		}
	}
}

func FuzzParseSourceKey(f *testing.F) {
	for _, s := range []string{"imap:acc:INBOX:17:42", "imap:a:b:c:1:2", "imap:::", "imap:a:x:4294967296:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		a, fo, v, u, ok := ParseSourceKey(key)
		if !ok {
			return
		}
		if got := SourceKey(a, fo, v, u); got != key && strconv.Quote(got) != "" {
			// Keys with leading zeros parse but print differently; the
			// parse of the printed form must agree.
			a2, f2, v2, u2, ok2 := ParseSourceKey(got)
			if !ok2 || a2 != a || f2 != fo || v2 != v || u2 != u {
				t.Fatalf("ParseSourceKey(SourceKey(%q)) = %q %q %d %d %v", key, a2, f2, v2, u2, ok2)
			}
		}
	})
}

func TestWatcherIdle(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 2, "")
	st := openStore(t)
	w := NewWatcher(NewSyncer(st, cfgFor(s), Options{}), time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Serve(ctx) }()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("timed out waiting for %s (status %+v)", what, w.Status())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("first sync and IDLE", func() bool { return w.Status().Idle })
	if n := count(t, st, "SELECT count(*) FROM messages"); n != 2 {
		t.Fatalf("after the first sync: %d messages, want 2", n)
	}
	// A new delivery wakes the IDLE connection (the poll is an hour away).
	deliver(t, s, "INBOX", 2, 3, "")
	waitFor("the new message", func() bool { return count(t, st, "SELECT count(*) FROM messages") == 3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel = %v, want nil", err)
	}
}

func TestPlanFolders(t *testing.T) {
	folders := []folderInfo{
		{Name: "INBOX"},
		{Name: "[Gmail]/All Mail", Attrs: []imap.MailboxAttr{imap.MailboxAttrAll}},
		{Name: "[Gmail]/Spam", Attrs: []imap.MailboxAttr{imap.MailboxAttrJunk}},
		{Name: "[Gmail]/Trash", Attrs: []imap.MailboxAttr{imap.MailboxAttrTrash}},
		{Name: "Work"},
	}
	names := func(fs []folderInfo) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return strings.Join(out, ",")
	}
	gmail := planFolders(imap.CapSet{imap.CapIMAP4rev1: {}, capGmail: {}}, folders)
	if !gmail.Gmail || names(gmail.Bodies) != "[Gmail]/All Mail,[Gmail]/Spam,[Gmail]/Trash" || names(gmail.Labels) != "INBOX,Work" {
		t.Errorf("Gmail plan = bodies %q labels %q gmail %v", names(gmail.Bodies), names(gmail.Labels), gmail.Gmail)
	}
	if gmail.Archive != "[Gmail]/All Mail" || gmail.Trash != "[Gmail]/Trash" {
		t.Errorf("Gmail archive/trash = %q/%q", gmail.Archive, gmail.Trash)
	}
	plain := planFolders(imap.CapSet{imap.CapIMAP4rev1: {}}, folders)
	if plain.Gmail || len(plain.Bodies) != 5 || len(plain.Labels) != 0 {
		t.Errorf("plain plan = bodies %q labels %q", names(plain.Bodies), names(plain.Labels))
	}
	named := planFolders(nil, []folderInfo{{Name: "INBOX"}, {Name: "archive"}, {Name: "Deleted Items"}})
	if named.Archive != "archive" || named.Trash != "Deleted Items" {
		t.Errorf("by-name archive/trash = %q/%q", named.Archive, named.Trash)
	}
}

// A server offering X-GM-EXT-1 with an \All folder (Dovecot configured to
// look like Gmail): each message is downloaded once, from All Mail, and
// the other folders become labels.
func TestGmailAllMail(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{Extra: "imap_capability = +X-GM-EXT-1\n", SpecialUse: map[string]string{"All Mail": `\All`}})
	deliver(t, s, "All Mail", 0, 3, "")
	deliver(t, s, "INBOX", 0, 2, "")
	deliver(t, s, "Work", 1, 3, "")
	st := openStore(t)
	sum := mustSync(t, NewSyncer(st, cfgFor(s), Options{}))
	if sum.Imported != 3 || sum.Duplicates != 0 {
		t.Fatalf("Gmail sync = %+v, want 3 imported and no duplicate downloads", sum)
	}
	if n := count(t, st, "SELECT count(*) FROM sources WHERE key LIKE 'imap:test:INBOX:%' OR key LIKE 'imap:test:Work:%'"); n != 0 {
		t.Errorf("%d sources from label folders, want 0 (bodies only from All Mail)", n)
	}
	for _, c := range []struct {
		id, label string
		want      bool
	}{
		{"m0@example.org", "INBOX", true}, {"m1@example.org", "INBOX", true}, {"m2@example.org", "INBOX", false},
		{"m0@example.org", "Work", false}, {"m1@example.org", "Work", true}, {"m2@example.org", "Work", true},
	} {
		if got := hasLabel(t, st, c.id, c.label); got != c.want {
			t.Errorf("%s label %s = %v, want %v", c.id, c.label, got, c.want)
		}
	}
}

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/store"
	_ "modernc.org/sqlite"
)

// writeMaildir writes n messages into a Maildir++ tree with an INBOX, a
// sub-folder and flags, and returns its root.
func writeMaildir(t testing.TB, dir string, n int) string {
	t.Helper()
	root := filepath.Join(dir, "Mail")
	for _, f := range []string{"", ".Work.Atlas"} {
		for _, s := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(root, f, s), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < n; i++ {
		folder, sub, info := "", "cur", ":2,S"
		switch i % 5 {
		case 1:
			sub, info = "new", ""
		case 2:
			folder = ".Work.Atlas"
			info = ":2,FRS"
		}
		body := fmt.Sprintf("Message-ID: <m%d@example.org>\nFrom: Person %d <p%d@example.org>\nTo: alex@example.org\nSubject: Note %d\nDate: Mon, 2 Mar 2026 10:%02d:%02d +0000\n\nBody of note %d, about topic%d.\n", i, i%7, i%7, i, (i/60)%60, i%60, i, i%13)
		name := fmt.Sprintf("%d.M%dP1.host%s", 1700000000+i, i, info)
		if err := os.WriteFile(filepath.Join(root, folder, sub, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestImportMaildirIdempotent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	root := writeMaildir(t, dir, 200)
	// A file that is not a message and a folder meta file.
	os.WriteFile(filepath.Join(root, "cur", "999.bad:2,S"), []byte("\x00\x01 not mail at all"), 0o644)
	os.WriteFile(filepath.Join(root, "dovecot-uidlist"), []byte("3 V1 N2"), 0o644)
	st := openStore(t, filepath.Join(dir, "pam.db"))
	defer st.Close()
	sum, err := Import(ctx, st, root, Options{BatchSize: 37})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 200 || sum.Failed != 1 || sum.Duplicates != 0 {
		t.Fatalf("first import = %+v, want 200 imported, 1 failed", sum)
	}
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0], "not an e-mail message") {
		t.Errorf("errors = %q, want one naming the bad file's defect", sum.Errors)
	}
	sum, err = Import(ctx, st, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 0 || sum.Duplicates != 200 {
		t.Fatalf("second import = %+v, want 0 imported, 200 duplicates", sum)
	}
	c, err := st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Messages != 200 || c.Unread != 40 {
		t.Fatalf("counts = %+v, want 200 messages, 40 unread (the new/ ones)", c)
	}
	// Flags changed by a mail client (the file renamed) are picked up.
	old := filepath.Join(root, "new")
	ents, _ := os.ReadDir(old)
	for _, e := range ents[:5] {
		os.Rename(filepath.Join(old, e.Name()), filepath.Join(root, "cur", e.Name()+":2,S"))
	}
	if _, err := Import(ctx, st, root, Options{}); err != nil {
		t.Fatal(err)
	}
	c, _ = st.Count(ctx)
	if c.Messages != 200 || c.Unread != 35 {
		t.Fatalf("after marking 5 read: counts = %+v, want 200 messages, 35 unread", c)
	}
}

func TestImportMbox(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "From p%d@example.org Mon Mar  2 10:00:00 2026\r\nMessage-ID: <mb%d@example.org>\r\nFrom: p%d@example.org\r\nSubject: mbox %d\r\nStatus: RO\r\nX-Status: F\r\n\r\nline one\r\n>From the quoted line\r\n\r\n", i, i, i, i)
	}
	p := filepath.Join(dir, "archive.mbox")
	os.WriteFile(p, []byte(b.String()), 0o644)
	st := openStore(t, filepath.Join(dir, "pam.db"))
	defer st.Close()
	sum, err := Import(ctx, st, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 20 {
		t.Fatalf("imported %d, want 20", sum.Imported)
	}
	c, _ := st.Count(ctx)
	if c.Unread != 0 {
		t.Errorf("unread = %d, want 0 (Status: RO)", c.Unread)
	}
	row, err := st.Resolve(ctx, mustID(t, st))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := st.Raw(ctx, row)
	if !strings.Contains(string(raw), "\r\nFrom the quoted line") {
		t.Errorf("raw = %q: want the >From line unescaped", raw)
	}
	sum, err = Import(ctx, st, p, Options{})
	if err != nil || sum.Imported != 0 || sum.Duplicates != 20 {
		t.Fatalf("re-import = %+v, %v", sum, err)
	}
}

func mustID(t *testing.T, st *store.Store) string {
	var pid string
	if err := st.DB().QueryRow("SELECT pid FROM messages LIMIT 1").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestImportInterruptedByCancel(t *testing.T) {
	dir := t.TempDir()
	root := writeMaildir(t, dir, 600)
	st := openStore(t, filepath.Join(dir, "pam.db"))
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	sum, err := Import(ctx, st, root, Options{BatchSize: 50, OnBatch: func(context.Context, []int64) {
		batches++
		if batches == 3 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("interrupted import returned nil error")
	}
	if sum.Imported < 150 || sum.Imported >= 600 {
		t.Fatalf("imported %d before the interrupt, want at least the 3 committed batches and not all", sum.Imported)
	}
	sum2, err := Import(context.Background(), st, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported+sum2.Imported != 600 {
		t.Fatalf("first %d + second %d != 600", sum.Imported, sum2.Imported)
	}
	var n, distinct int
	st.DB().QueryRow("SELECT count(*), count(DISTINCT message_id) FROM messages").Scan(&n, &distinct)
	if n != 600 || distinct != 600 {
		t.Fatalf("messages = %d (distinct %d), want 600", n, distinct)
	}
}

// TestImportKilled kills an importing process with SIGKILL and checks that
// what it committed survives and a second run completes without duplicates.
func TestImportKilled(t *testing.T) {
	if os.Getenv("PAM_TEST_IMPORT_CHILD") != "" {
		return
	}
	dir := t.TempDir()
	root := writeMaildir(t, dir, 2000)
	db := filepath.Join(dir, "pam.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$")
	cmd.Env = append(os.Environ(), "PAM_TEST_IMPORT_CHILD="+root+"|"+db)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for some committed messages, then kill -9.
	deadline := time.Now().Add(60 * time.Second)
	var n int
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		// A plain read-only connection: the poll must not write.
		n = countMessages(db)
		if n >= 200 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if n < 200 || n >= 2000 {
		t.Fatalf("child had committed %d messages when killed; want some but not all", n)
	}
	st := openStore(t, db)
	defer st.Close()
	var before int
	st.DB().QueryRow("SELECT count(*) FROM messages").Scan(&before)
	if before < n {
		t.Fatalf("after kill -9: %d messages, fewer than the %d seen committed", before, n)
	}
	sum, err := Import(context.Background(), st, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var total, distinct int
	st.DB().QueryRow("SELECT count(*), count(DISTINCT message_id) FROM messages").Scan(&total, &distinct)
	if total != 2000 || distinct != 2000 || sum.Imported != 2000-before {
		t.Fatalf("after resume: %d messages (%d distinct), resumed run imported %d; want 2000, 2000, %d", total, distinct, sum.Imported, 2000-before)
	}
}

// TestImportChild is the killed process of TestImportKilled.
func TestImportChild(t *testing.T) {
	arg := os.Getenv("PAM_TEST_IMPORT_CHILD")
	if arg == "" {
		t.Skip("helper process for TestImportKilled")
	}
	root, db, _ := strings.Cut(arg, "|")
	st := openStore(t, db)
	Import(context.Background(), st, root, Options{BatchSize: 50, OnBatch: func(context.Context, []int64) {
		time.Sleep(30 * time.Millisecond) // slow enough to be killed mid-run
	}})
	t.Fatal("child import finished before it was killed")
}

func countMessages(path string) int {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	db.QueryRow("SELECT count(*) FROM messages").Scan(&n)
	return n
}

// fifo makes a named pipe in dir and writes data into it from a goroutine,
// as a shell's process substitution or /dev/stdin would.
func fifo(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(data)
		f.Close()
	}()
	return p
}

func TestImportStream(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "pam.db"))
	defer st.Close()
	var box strings.Builder
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&box, "From p%d@example.org Mon Mar  2 10:00:00 2026\nMessage-ID: <st%d@example.org>\nFrom: p%d@example.org\nSubject: piped %d\n\n>From the pipe\n\n", i, i, i, i)
	}
	sum, err := Import(ctx, st, fifo(t, dir, "box1", box.String()), Options{})
	if err != nil || sum.Imported != 3 || sum.Failed != 0 {
		t.Fatalf("Import(mbox on a pipe) = %+v, %v; want 3 imported", sum, err)
	}
	sum, err = Import(ctx, st, fifo(t, dir, "box2", box.String()), Options{})
	if err != nil || sum.Imported != 0 || sum.Duplicates != 3 {
		t.Fatalf("Import(same mbox again) = %+v, %v; want 3 already present", sum, err)
	}
	one := "Message-ID: <single@example.org>\nFrom: q@example.org\nSubject: one piped message\n\nhello\n"
	sum, err = Import(ctx, st, fifo(t, dir, "msg", one), Options{})
	if err != nil || sum.Imported != 1 {
		t.Fatalf("Import(one message on a pipe) = %+v, %v; want 1 imported", sum, err)
	}
	row, err := st.Resolve(ctx, mustPID(t, st, "one piped message"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := st.Raw(ctx, row)
	if string(raw) != one {
		t.Errorf("raw of the piped message = %q, want the bytes sent", raw)
	}
	if _, err := Import(ctx, st, fifo(t, dir, "empty", ""), Options{}); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Errorf("Import(empty pipe) error = %v, want one saying the input is empty", err)
	}
}

func mustPID(t *testing.T, st *store.Store, subject string) string {
	t.Helper()
	var pid string
	if err := st.DB().QueryRow("SELECT pid FROM messages WHERE subject = ?", subject).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

// FuzzScanStream: any bytes on a pipe are either refused with an error or
// split into messages that are each non-empty pieces of the input (an
// mbox's ">From " unescaped), with keys that differ whenever the bytes do.
func FuzzScanStream(f *testing.F) {
	f.Add([]byte("From a Mon Mar  2 10:00:00 2026\nSubject: x\n\nbody\n>From here\nFrom b Mon Mar  2 10:00:00 2026\nSubject: y\n\n"))
	f.Add([]byte("Subject: one\n\nhello\n"))
	f.Add([]byte("From \n"))
	f.Add([]byte(" \n\t"))
	f.Fuzz(func(t *testing.T, in []byte) {
		jobs, err := scanStream("fuzz", bytes.NewReader(in))
		if err != nil {
			return
		}
		if len(jobs) == 0 && !bytes.HasPrefix(in, []byte("From ")) {
			t.Fatal("a non-empty message stream gave no job and no error")
		}
		keys := map[string][]byte{}
		for _, j := range jobs {
			b, err := j.read()
			if err != nil {
				t.Fatal(err)
			}
			if prev, ok := keys[j.key]; ok && !bytes.Equal(prev, b) {
				t.Fatalf("two different messages share the key %s", j.key)
			}
			keys[j.key] = b
			// Unescaping turns ">From " into "From " at line starts:
			// compare with both sides read that way.
			norm := func(x []byte) []byte { return bytes.ReplaceAll(x, []byte("\n>From "), []byte("\nFrom ")) }
			if !bytes.Contains(norm(in), norm(b)) {
				t.Fatalf("message %q is not a piece of the input", b)
			}
		}
	})
}

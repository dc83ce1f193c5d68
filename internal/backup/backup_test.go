package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pam-ai/pam/internal/backup"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func incoming(t testing.TB, i int) store.Incoming {
	raw := fmt.Sprintf("Message-ID: <b%d@example.org>\r\nFrom: P%d <p%d@example.org>\r\nSubject: note %d\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nbody %d\r\n", i, i, i, i, i)
	m, err := mail.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return store.Incoming{Source: fmt.Sprintf("test:%d", i), Flags: pam.FlagSeen, Msg: m, Raw: store.Compress([]byte(raw)), Codec: store.CodecZstd}
}

// home makes a data directory with n messages and the other files PAM
// keeps there, and returns it with its open store.
func home(t *testing.T, n int) (string, *store.Store) {
	t.Helper()
	h := filepath.Join(t.TempDir(), "home")
	st, err := store.Open(context.Background(), filepath.Join(h, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var batch []store.Incoming
	for i := 0; i < n; i++ {
		batch = append(batch, incoming(t, i))
	}
	if _, err := st.WriteBatch(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"privacy-ledger.jsonl": `{"job":"compose"}` + "\n",
		"drafts/1.eml":         "Subject: draft\r\n\r\nhi\r\n",
		"models/spam@2.pam":    "model bytes",
		"api-token":            "secret token of the running daemon",
		"daemon.json":          `{"port":1}`,
	} {
		p := filepath.Join(h, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return h, st
}

// verifyRestore checks the backup in dir, restores it into a new home and
// returns that home and the number of messages its store holds.
func verifyRestore(t *testing.T, dir string) (string, int) {
	t.Helper()
	ctx := context.Background()
	if _, problems, err := backup.Verify(ctx, dir, store.CheckFile); err != nil || len(problems) != 0 {
		t.Fatalf("Verify(%s) = %v, %v; want no problem", dir, problems, err)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, dir, restored, store.CheckFile); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(restored, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return restored, c.Messages
}

func paths(m backup.Manifest) string {
	var p []string
	for _, f := range m.Files {
		p = append(p, f.Path)
	}
	return strings.Join(p, ",")
}

func TestCreateVerifyRestore(t *testing.T) {
	ctx := context.Background()
	h, st := home(t, 25)
	dir := filepath.Join(t.TempDir(), "bk")
	m, err := backup.Create(ctx, st, h, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paths(m), "drafts/1.eml,models/spam@2.pam,pam.db,privacy-ledger.jsonl"; got != want {
		t.Errorf("backup files = %s, want %s (no search index, token or runtime file)", got, want)
	}
	restored, n := verifyRestore(t, dir)
	if n != 25 {
		t.Errorf("restored store has %d messages, want 25", n)
	}
	if b, _ := os.ReadFile(filepath.Join(restored, "drafts", "1.eml")); string(b) != "Subject: draft\r\n\r\nhi\r\n" {
		t.Errorf("restored draft = %q", b)
	}
	if fi, err := os.Stat(filepath.Join(restored, "privacy-ledger.jsonl")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored ledger: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	// Restore and Create refuse a directory that holds something.
	if _, err := backup.Restore(ctx, dir, restored, store.CheckFile); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Restore into a used home = %v, want a refusal", err)
	}
	if _, err := backup.Create(ctx, st, h, dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Create over a backup = %v, want a refusal", err)
	}
	if _, err := backup.Create(ctx, st, h, filepath.Join(h, "bk")); err == nil || !strings.Contains(err.Error(), "inside the data directory") {
		t.Errorf("Create inside home = %v, want a refusal", err)
	}
}

// Every kind of damage is found, named, and stops a restore before it
// writes anything.
func TestVerifyFindsDamage(t *testing.T) {
	ctx := context.Background()
	h, st := home(t, 40)
	clean := filepath.Join(t.TempDir(), "bk")
	if _, err := backup.Create(ctx, st, h, clean); err != nil {
		t.Fatal(err)
	}
	copyTree := func(t *testing.T) string {
		dst := filepath.Join(t.TempDir(), "bk")
		filepath.WalkDir(clean, func(p string, d os.DirEntry, err error) error {
			rel, _ := filepath.Rel(clean, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o700)
			}
			b, _ := os.ReadFile(p)
			return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
		})
		return dst
	}
	cases := []struct {
		name, path, what string
		damage           func(dir string)
	}{
		{"flipped byte in a file", "drafts/1.eml", "content differs", func(dir string) {
			os.WriteFile(filepath.Join(dir, "drafts/1.eml"), []byte("Subject: drafT\r\n\r\nhi\r\n"), 0o600)
		}},
		{"truncated file", "privacy-ledger.jsonl", "size", func(dir string) {
			os.Truncate(filepath.Join(dir, "privacy-ledger.jsonl"), 3)
		}},
		{"missing file", "models/spam@2.pam", "missing", func(dir string) {
			os.Remove(filepath.Join(dir, "models/spam@2.pam"))
		}},
		{"file not in the manifest", "extra.txt", "not in the manifest", func(dir string) {
			os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o600)
		}},
		{"damaged database page", "pam.db", "content differs", func(dir string) {
			p := filepath.Join(dir, "pam.db")
			b, _ := os.ReadFile(p)
			for i := 4096 * 2; i < 4096*3 && i < len(b); i++ {
				b[i] ^= 0x5a
			}
			os.WriteFile(p, b, 0o600)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyTree(t)
			c.damage(dir)
			_, problems, err := backup.Verify(ctx, dir, store.CheckFile)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range problems {
				if p.Path == c.path && strings.Contains(p.What, c.what) {
					found = true
				}
			}
			if !found {
				t.Fatalf("Verify = %v, want a problem on %s (%q)", problems, c.path, c.what)
			}
			target := filepath.Join(t.TempDir(), "home")
			if _, err := backup.Restore(ctx, dir, target, store.CheckFile); err == nil {
				t.Fatal("Restore of a damaged backup succeeded")
			}
			if _, err := os.Stat(target); !os.IsNotExist(err) {
				t.Errorf("Restore of a damaged backup wrote %s (%v)", target, err)
			}
		})
	}
	if _, _, err := backup.Verify(ctx, t.TempDir(), store.CheckFile); err == nil || !strings.Contains(err.Error(), "not a PAM backup") {
		t.Errorf("Verify(empty dir) = %v, want 'not a PAM backup'", err)
	}
	bad := copyTree(t)
	os.WriteFile(filepath.Join(bad, backup.ManifestName), []byte(`{"format":1,"files":[{"path":"../../etc/passwd"}]}`), 0o600)
	if _, _, err := backup.Verify(ctx, bad, store.CheckFile); err == nil || !strings.Contains(err.Error(), "unsafe path") {
		t.Errorf("Verify(manifest naming ../../etc/passwd) = %v, want an unsafe-path error", err)
	}
}

// A backup taken while another writer commits batches holds a prefix of
// them: whole batches only, and a database that passes the integrity check.
func TestSnapshotDuringWrites(t *testing.T) {
	ctx := context.Background()
	h, st := home(t, 10)
	const batches, per = 30, 20
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := 0; b < batches; b++ {
			var items []store.Incoming
			for i := 0; i < per; i++ {
				items = append(items, incoming(t, 1000+b*per+i))
			}
			if _, err := st.WriteBatch(ctx, items); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := filepath.Join(t.TempDir(), "bk")
	if _, err := backup.Create(ctx, st, h, dir); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if _, n := verifyRestore(t, dir); (n-10)%per != 0 || n < 10 || n > 10+batches*per {
		t.Errorf("snapshot holds %d messages: want 10 plus whole batches of %d", n, per)
	}
}

// The integrity check finds damage on its own, without the manifest.
func TestCheckFileFindsDamage(t *testing.T) {
	ctx := context.Background()
	h, st := home(t, 200)
	dir := filepath.Join(t.TempDir(), "bk")
	if _, err := backup.Create(ctx, st, h, dir); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "pam.db")
	if err := store.CheckFile(ctx, p); err != nil {
		t.Fatalf("CheckFile(fresh copy) = %v", err)
	}
	b, _ := os.ReadFile(p)
	if len(b) < 4096*6 {
		t.Fatalf("database of %d bytes: too small for the test", len(b))
	}
	for i := 4096*4 + 100; i < 4096*5; i++ {
		b[i] ^= 0xa5
	}
	os.WriteFile(p, b, 0o600)
	if err := store.CheckFile(ctx, p); err == nil {
		t.Error("CheckFile(damaged page) = nil, want the damage named")
	} else {
		t.Logf("CheckFile(damaged page) = %v", err)
	}
}

// FuzzVerifyManifest: whatever the manifest says, Verify neither panics
// nor reads a file outside the backup directory, and Restore writes
// nothing unless it succeeds whole.
func FuzzVerifyManifest(f *testing.F) {
	f.Add([]byte(`{"format":1,"files":[{"path":"a.txt","size":1,"sha256":"00"}]}`))
	f.Add([]byte(`{"format":1,"files":[{"path":"../outside","size":7}]}`))
	f.Add([]byte(`{"format":1,"files":[{"path":"/etc/passwd"}]}`))
	f.Add([]byte(`{"format":2}`))
	f.Add([]byte(`{"format":1,"files":[{"path":"pam.db"},{"path":"./pam.db"}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, manifest []byte) {
		root := t.TempDir()
		dir := filepath.Join(root, "bk")
		os.MkdirAll(dir, 0o700)
		os.WriteFile(filepath.Join(root, "outside"), []byte("outside"), 0o600)
		os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o600)
		os.WriteFile(filepath.Join(dir, backup.ManifestName), manifest, 0o600)
		opened := map[string]bool{}
		check := func(_ context.Context, p string) error {
			opened[p] = true
			return nil
		}
		m, problems, err := backup.Verify(context.Background(), dir, check)
		if err != nil {
			return
		}
		for _, f := range m.Files {
			if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
				t.Fatalf("Verify accepted a manifest naming %q", f.Path)
			}
		}
		for p := range opened {
			if filepath.Dir(p) != dir {
				t.Fatalf("Verify checked %s outside the backup", p)
			}
		}
		target := filepath.Join(root, "home")
		_, rerr := backup.Restore(context.Background(), dir, target, check)
		if len(problems) > 0 && rerr == nil {
			t.Fatalf("Restore succeeded over problems %v", problems)
		}
		if rerr != nil {
			if _, err := os.Stat(target); err == nil {
				t.Fatalf("a failed Restore (%v) left %s behind", rerr, target)
			}
		}
		if leftovers, _ := filepath.Glob(filepath.Join(root, ".home.restoring-*")); len(leftovers) > 0 {
			t.Fatalf("Restore left %v", leftovers)
		}
	})
}

package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestMessageFiles(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "Mail")
	msg := []byte("From: a@example.org\r\nSubject: hi\r\n\r\nCould you call me tomorrow?\r\n")
	write := func(rel string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, msg, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range []string{"cur/1:2,S", "new/2", "tmp/3", ".Work/cur/4:2,", ".Work/maildirfolder", "dovecot-uidlist",
		".hidden", ".git/x", "plain/5.eml"} {
		write(rel)
	}
	os.WriteFile(filepath.Join(dir, "outside.eml"), msg, 0o600)
	os.Symlink(filepath.Join(dir, "outside.eml"), filepath.Join(root, "plain", "link.eml"))
	os.Symlink(filepath.Join(dir, "gone.eml"), filepath.Join(root, "plain", "gone.eml"))
	os.Symlink(dir, filepath.Join(root, "plain", "loop"))
	locked := filepath.Join(root, "locked")
	os.MkdirAll(locked, 0o700)
	write("locked/6")
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o700)

	files, problems, err := messageFiles([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, r)
	}
	sort.Strings(rel)
	want := []string{".Work/cur/4:2,", "cur/1:2,S", "new/2", "plain/5.eml", "plain/link.eml"}
	if os.Geteuid() == 0 {
		// root reads a mode-0 directory anyway
		want = append(want, "locked/6")
		sort.Strings(want)
	}
	if strings.Join(rel, " ") != strings.Join(want, " ") {
		t.Errorf("messageFiles = %q, want %q", rel, want)
	}
	joined := strings.Join(problems, "\n")
	if !strings.Contains(joined, "gone.eml: broken symbolic link") {
		t.Errorf("problems = %q, want the broken link named", problems)
	}
	if os.Geteuid() != 0 && !strings.Contains(joined, "locked") {
		t.Errorf("problems = %q, want the unreadable directory named", problems)
	}
	if _, _, err := messageFiles([]string{filepath.Join(dir, "nosuch")}); err == nil {
		t.Error("messageFiles(missing path) = nil error")
	}
}

// pam extract goes on past a file it cannot read and says so in its exit
// code.
func TestExtractGoesOnPastBadFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: Dana <dana@example.org>\r\nTo: me@example.org\r\nSubject: report\r\n\r\nCould you send me the report by Friday?\r\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "b.eml"), []byte("no header here, just text\r\n"), 0o600)
	os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "c.eml"))
	out, errb, code := run(t, t.TempDir(), "", "extract", "--json", dir)
	if code != exitPartial {
		t.Errorf("exit %d, want %d (%s)", code, exitPartial, errb)
	}
	if !strings.Contains(out, `"path":"`+filepath.Join(dir, "a.eml")) || !strings.Contains(out, `"error":`) {
		t.Errorf("out = %q, want a.eml's result and b.eml's error", out)
	}
	if !strings.Contains(errb, "c.eml: broken symbolic link") {
		t.Errorf("stderr = %q, want the broken link named", errb)
	}
}

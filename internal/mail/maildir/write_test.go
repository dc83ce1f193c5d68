package maildir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/pam"
)

func TestFolderDir(t *testing.T) {
	for label, want := range map[string]string{
		"":               "/m",
		"INBOX":          "/m",
		"Work":           "/m/.Work",
		"Projects/Atlas": "/m/.Projects.Atlas",
		"v1.2":           "/m/.v1_2",
		"../etc":         "/m/.__.etc",
	} {
		got, err := FolderDir("/m", label)
		if err != nil || got != want {
			t.Errorf("FolderDir(/m, %q) = %q, %v; want %q", label, got, err, want)
		}
	}
	for _, bad := range []string{"a//b", "/abs", "x/", "nul\x00"} {
		if got, err := FolderDir("/m", bad); err == nil {
			t.Errorf("FolderDir(/m, %q) = %q, want an error", bad, got)
		}
	}
}

// What Writer writes, Scan reads back with the same label and flags.
func TestWriterScanRoundTrip(t *testing.T) {
	root := filepath.Join(t.TempDir(), "out")
	w := &Writer{Root: root}
	msgs := []struct {
		label string
		flags pam.Flags
	}{{"INBOX", pam.FlagSeen}, {"Projects/Atlas", pam.FlagSeen | pam.FlagFlagged | pam.FlagReplied}, {"Drafts", pam.FlagDraft}}
	for i, m := range msgs {
		if err := w.Write(m.label, "id"+string(rune('a'+i)), m.flags, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	items, errs, err := Scan(root)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	got := map[string]pam.Flags{}
	for _, it := range items {
		got[it.Label] = it.Flags
	}
	for _, m := range msgs {
		if f, ok := got[m.label]; !ok || f != m.flags {
			t.Errorf("label %q read back with flags %v (present %v), want %v", m.label, f, ok, m.flags)
		}
	}
	if tmp, _ := os.ReadDir(filepath.Join(root, ".Projects.Atlas", "tmp")); len(tmp) != 0 {
		t.Errorf("tmp/ keeps %d files after delivery", len(tmp))
	}
}

// FuzzFolderDir: whatever the label, the folder is root itself or one
// direct child of root whose name starts with a dot.
func FuzzFolderDir(f *testing.F) {
	for _, s := range []string{"INBOX", "a/b", "../..", "a.b/c", "/", "x\x00y", "..", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, label string) {
		got, err := FolderDir("/root", label)
		if err != nil {
			return
		}
		if got == "/root" {
			return
		}
		if filepath.Dir(got) != "/root" || !strings.HasPrefix(filepath.Base(got), ".") || filepath.Base(got) == "." || filepath.Base(got) == ".." {
			t.Fatalf("FolderDir(%q) = %q: not a dot-folder directly under the root", label, got)
		}
	})
}

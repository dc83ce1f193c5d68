package maildir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/pam"
)

func write(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("Subject: x\n\nbody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanMaildirPlusPlus(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"", ".Work.Atlas", ".Sent"} {
		for _, s := range []string{"cur", "new", "tmp"} {
			os.MkdirAll(filepath.Join(root, d, s), 0o755)
		}
	}
	write(t, filepath.Join(root, "cur", "1.a.host:2,FS"))
	write(t, filepath.Join(root, "new", "2.b.host"))
	write(t, filepath.Join(root, "tmp", "3.c.host")) // being delivered: skipped
	write(t, filepath.Join(root, ".Work.Atlas", "cur", "4.d.host:2,RS"))
	write(t, filepath.Join(root, ".Sent", "cur", "5.e.host!2,S"))
	write(t, filepath.Join(root, "dovecot-uidlist"))
	items, errs, err := Scan(root)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	got := map[string]Item{}
	for _, it := range items {
		got[filepath.Base(it.Path)] = it
	}
	want := map[string]struct {
		label string
		flags pam.Flags
	}{
		"1.a.host:2,FS": {"INBOX", pam.FlagFlagged | pam.FlagSeen},
		"2.b.host":      {"INBOX", 0},
		"4.d.host:2,RS": {"Work/Atlas", pam.FlagReplied | pam.FlagSeen},
		"5.e.host!2,S":  {"Sent", pam.FlagSeen},
	}
	if len(got) != len(want) {
		t.Fatalf("Scan found %d items %v, want %d", len(got), got, len(want))
	}
	for name, w := range want {
		it, ok := got[name]
		if !ok {
			t.Errorf("missing %s", name)
			continue
		}
		if it.Label != w.label || it.Flags != w.flags {
			t.Errorf("%s: label %q flags %v, want %q %v", name, it.Label, it.Flags, w.label, w.flags)
		}
	}
	// The key survives a flag change (a rename by the mail client).
	if k := got["1.a.host:2,FS"].Key; !strings.HasSuffix(k, "/1.a.host") {
		t.Errorf("key %q should not contain the flags", k)
	}
}

func TestScanPlainTree(t *testing.T) {
	root := filepath.Join(t.TempDir(), "corpus")
	write(t, filepath.Join(root, "a.eml"))
	write(t, filepath.Join(root, "projects", "x", "b.eml"))
	items, _, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	for _, it := range items {
		labels[filepath.Base(it.Path)] = it.Label
	}
	if labels["a.eml"] != "corpus" || labels["b.eml"] != "projects/x" {
		t.Fatalf("labels = %v, want the root's name and the relative path", labels)
	}
}

func TestInfoFlagsRoundTrip(t *testing.T) {
	for _, f := range []pam.Flags{0, pam.FlagSeen, pam.FlagSeen | pam.FlagFlagged | pam.FlagReplied, pam.FlagDraft | pam.FlagTrashed} {
		if got := parseFlags(InfoFlags(f)); got != f {
			t.Errorf("parseFlags(InfoFlags(%v)) = %v", f, got)
		}
	}
}

func TestScanSymlinks(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "tree")
	write(t, filepath.Join(root, "a.eml"))
	write(t, filepath.Join(dir, "elsewhere", "b.eml"))
	if err := os.Symlink(filepath.Join(dir, "elsewhere", "b.eml"), filepath.Join(root, "b.eml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing.eml"), filepath.Join(root, "gone.eml")); err != nil {
		t.Fatal(err)
	}
	// A link to a directory is not followed (a link to an ancestor would loop).
	if err := os.Symlink(dir, filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	items, errs, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, filepath.Base(it.Path))
	}
	if strings.Join(names, ",") != "a.eml,b.eml" {
		t.Errorf("Scan found %v, want a.eml and the linked b.eml", names)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "gone.eml") || !strings.Contains(errs[0].Error(), "broken symbolic link") {
		t.Errorf("Scan errs = %v, want one naming the broken link gone.eml", errs)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupVerifyRestore(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if _, errb, code := run(t, home, "", "import", "--no-ai", demoMaildir(t)); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errb)
	}
	bk := filepath.Join(t.TempDir(), "bk")
	out, errb, code := run(t, home, "", "backup", bk)
	if code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("pam backup = %q, %q (exit %d)", out, errb, code)
	}
	if out, errb, code := run(t, home, "", "backup", "--verify", bk); code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("pam backup --verify = %q, %q (exit %d)", out, errb, code)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if out, errb, code := run(t, restored, "", "restore", bk); code != 0 || !strings.Contains(out, "179 messages") {
		t.Fatalf("pam restore = %q, %q (exit %d), want the demo's 179 messages", out, errb, code)
	}
	a, _, _ := run(t, home, "", "search", "invoice OR receipt")
	b, _, _ := run(t, restored, "", "search", "invoice OR receipt")
	if a == "" || a != b {
		t.Errorf("search after restore = %q, before = %q; want the same answer (index rebuilt)", b, a)
	}
	// A damaged backup is named and refused.
	os.Truncate(filepath.Join(bk, "pam.db"), 8192)
	out, _, code = run(t, home, "", "backup", "--verify", bk)
	if code == 0 || !strings.Contains(out, "BAD  pam.db") {
		t.Errorf("verify of a truncated backup = %q (exit %d), want BAD pam.db", out, code)
	}
	if _, errb, code := run(t, filepath.Join(t.TempDir(), "h2"), "", "restore", bk); code == 0 || !strings.Contains(errb, "nothing restored") {
		t.Errorf("restore of a truncated backup: exit %d, %q", code, errb)
	}
	if _, errb, code := run(t, filepath.Join(t.TempDir(), "none"), "", "backup", filepath.Join(t.TempDir(), "x")); code == 0 || !strings.Contains(errb, "nothing to back up") {
		t.Errorf("backup of an empty home: exit %d, %q", code, errb)
	}
}

package cli

import (
	"os"
	"strings"
	"testing"
)

// Every command answers --help and pam help NAME with its usage, exit 0,
// and without touching the data directory.
func TestHelpForEveryCommand(t *testing.T) {
	home := t.TempDir() + "/never-created"
	for name, c := range commands {
		if name == "worker" || name == "demo" {
			continue
		}
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			out, errb, code := run(t, home, "", args...)
			if code != exitOK {
				t.Errorf("pam %s: exit %d (%s), want 0", strings.Join(args, " "), code, errb)
				continue
			}
			if got := out + errb; !strings.Contains(got, "usage: pam "+name) {
				t.Errorf("pam %s printed %q, want a usage line for %s", strings.Join(args, " "), got, name)
			}
			if c.Usage != "" && !strings.Contains(out, c.Usage) {
				t.Errorf("pam %s: stdout %q lacks the synopsis %q", strings.Join(args, " "), out, c.Usage)
			}
		}
	}
	if _, err := os.Stat(home); err == nil {
		t.Errorf("a help run created the data directory %s", home)
	}
}

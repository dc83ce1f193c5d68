package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/demo"
)

// run runs pam with args against home and returns stdout, stderr and the
// exit code.
func run(t *testing.T, home string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"--home", home}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

var demoNow = time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)

func demoMaildir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Mail")
	if err := demo.WriteMaildir(dir, demoNow); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestImportSearchShowThread(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	mdir := demoMaildir(t)
	out, errs, code := run(t, home, "", "import", "--json", "--no-ai", mdir)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	var sum struct {
		Imported, Duplicates, Failed int
		Seconds                      float64
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("import --json output %q: %v", out, err)
	}
	n := len(demo.Messages(demoNow))
	if sum.Imported != n || sum.Failed != 0 || sum.Seconds <= 0 {
		t.Fatalf("summary = %+v, want %d imported", sum, n)
	}
	fi, err := os.Stat(home)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("home mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	// Idempotent.
	out, _, code = run(t, home, "", "import", "--json", "--no-ai", mdir)
	json.Unmarshal([]byte(out), &sum)
	if code != 0 || sum.Imported != 0 || sum.Duplicates != n {
		t.Fatalf("re-import: exit %d, %+v; want 0 imported, %d duplicates", code, sum, n)
	}

	out, errs, code = run(t, home, "", "search", "--json", "label:Sent")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 10 {
		t.Fatalf("label:Sent found %d messages, want the user's sent mail", len(lines))
	}
	var first struct {
		ID, From string
		Labels   []string
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.From != demo.UserEmail || !contains(first.Labels, "Sent") {
		t.Fatalf("first sent result = %+v", first)
	}
	out, _, code = run(t, home, "", "show", first.ID)
	if code != 0 || !strings.Contains(out, "From:    "+demo.UserName) || !strings.Contains(out, "Labels:  Sent") {
		t.Fatalf("show exit %d:\n%s", code, out)
	}
	out, _, code = run(t, home, "", "thread", first.ID)
	if code != 0 || !strings.Contains(out, first.ID) {
		t.Fatalf("thread exit %d:\n%s", code, out)
	}
	out, _, code = run(t, home, "", "inbox", "--limit", "5")
	if code != 0 || len(strings.Split(strings.TrimSpace(out), "\n")) != 5 {
		t.Fatalf("inbox exit %d:\n%s", code, out)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestExitCodes(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if _, _, code := run(t, home, "", "no-such-command"); code != exitUsage {
		t.Errorf("unknown command: exit %d, want %d", code, exitUsage)
	}
	if _, errs, code := run(t, home, "", "search", "(unclosed"); code != exitUsage || !strings.Contains(errs, "unclosed") {
		t.Errorf("bad query: exit %d (%s), want %d", code, errs, exitUsage)
	}
	if _, _, code := run(t, home, "", "show", "zzzzzzzzzz"); code != exitNotFound {
		t.Errorf("show missing: exit %d, want %d", code, exitNotFound)
	}
	if _, _, code := run(t, home, "", "import", filepath.Join(home, "nope")); code != exitFailure {
		t.Errorf("import missing path: exit %d, want %d", code, exitFailure)
	}
	// A file that is not mail: imported as a failure, exit code says partial.
	bad := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(bad, []byte("\x00\x01\x02"), 0o644)
	out, _, code := run(t, home, "", "import", "--no-ai", bad)
	if code != exitPartial || !strings.Contains(out, "not an e-mail message") {
		t.Errorf("import junk: exit %d, output %q", code, out)
	}
}

func TestDemo(t *testing.T) {
	out, errs, code := run(t, t.TempDir(), "", "demo", "--now", demoNow.Format(time.RFC3339))
	if code != 0 {
		t.Fatalf("demo exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{"== Import", "imported 179", "malformed mail kept", "no From header", "== Inbox", "== Search",
		"mail       179 messages", "0 problem(s): every byte as the manifest records", "exported 20 messages"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/store"
)

// snapshotOf maps every message's stable id to its labels and flags.
func snapshotOf(t *testing.T, home string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(home, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]string{}
	err = st.Each(ctx, nil, func(m store.Summary) error {
		l := append([]string(nil), m.Labels...)
		sort.Strings(l)
		out[m.ID] = fmt.Sprintf("%v flags=%d", l, m.Flags)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Exporting and importing the export into a new home gives every message
// back with the same id (the raw bytes are exact), labels and flags.
func TestExportMaildirRoundTrip(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	mdir := demoMaildir(t)
	// One message in two folders: it has two labels.
	cur, _ := filepath.Glob(filepath.Join(mdir, "cur", "*"))
	if len(cur) == 0 {
		t.Fatal("demo Maildir has no cur/ message")
	}
	b, _ := os.ReadFile(cur[0])
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(mdir, ".Starred", sub), 0o700)
	}
	if err := os.WriteFile(filepath.Join(mdir, ".Starred", "cur", filepath.Base(cur[0])), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errb, code := run(t, home, "", "import", "--no-ai", mdir); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errb)
	}
	exp := filepath.Join(t.TempDir(), "export")
	out, errb, code := run(t, home, "", "export", "--maildir", exp)
	if code != 0 || !strings.Contains(out, "exported 179 messages (180 files)") {
		t.Fatalf("pam export = %q, %q (exit %d)", out, errb, code)
	}
	back := filepath.Join(t.TempDir(), "back")
	if out, errb, code := run(t, back, "", "import", "--no-ai", exp); code != 0 || !strings.Contains(out, "imported 179") {
		t.Fatalf("import of the export = %q, %q (exit %d)", out, errb, code)
	}
	before, after := snapshotOf(t, home), snapshotOf(t, back)
	if len(before) != 179 || len(after) != len(before) {
		t.Fatalf("%d messages before, %d after", len(before), len(after))
	}
	diff, multi := 0, 0
	for id, want := range before {
		if strings.Contains(want, "Starred") {
			multi++
		}
		if got := after[id]; got != want {
			if diff++; diff <= 5 {
				t.Errorf("message %s: after the round trip %q, want %q", id, got, want)
			}
		}
	}
	if multi != 1 {
		t.Errorf("%d messages carry the second label Starred, want 1", multi)
	}
	// A query exports only what it matches; a used directory is refused.
	sub := filepath.Join(t.TempDir(), "sub")
	if out, _, code := run(t, home, "", "export", "--maildir", sub, "label:Sent"); code != 0 || !strings.Contains(out, "exported 20 messages") {
		t.Errorf("export label:Sent = %q (exit %d), want the demo's 20 sent messages", out, code)
	}
	if _, errb, code := run(t, home, "", "export", "--maildir", exp); code == 0 || !strings.Contains(errb, "not empty") {
		t.Errorf("export into a used directory: exit %d, %q", code, errb)
	}
}

// An mbox export imported into a new home gives every message back with the
// same stable id (labels and flags are not kept by mbox).
func TestExportMboxRoundTrip(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if _, errb, code := run(t, home, "", "import", "--no-ai", demoMaildir(t)); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errb)
	}
	box := filepath.Join(t.TempDir(), "all.mbox")
	out, errb, code := run(t, home, "", "export", "--mbox", box)
	if code != 0 || !strings.Contains(out, "exported 179 messages into the mbox file") {
		t.Fatalf("pam export --mbox = %q, %q (exit %d)", out, errb, code)
	}
	back := filepath.Join(t.TempDir(), "back")
	if out, errb, code := run(t, back, "", "import", "--no-ai", box); code != 0 || !strings.Contains(out, "imported 179") {
		t.Fatalf("import of the mbox = %q, %q (exit %d)", out, errb, code)
	}
	before, after := snapshotOf(t, home), snapshotOf(t, back)
	missing := 0
	for id := range before {
		if _, ok := after[id]; !ok {
			missing++
		}
	}
	if missing > 0 || len(after) != len(before) {
		t.Errorf("%d of %d messages came back with another id (%d messages after)", missing, len(before), len(after))
	}
	if _, errb, code := run(t, home, "", "export", "--mbox", box); code == 0 || !strings.Contains(errb, "exists") {
		t.Errorf("export over an existing file: exit %d, %q", code, errb)
	}
	if _, _, code := run(t, home, "", "export", "--mbox", box+"2", "--maildir", t.TempDir()); code != exitUsage {
		t.Errorf("export with both --mbox and --maildir: exit %d, want %d", code, exitUsage)
	}
}

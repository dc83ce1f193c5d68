package layers

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/pam-ai/pam/"

// deps returns the module-internal packages pkg imports, directly or not.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath", mod+pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	var list []string
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct{ ImportPath string }
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.ImportPath, mod) && p.ImportPath != mod+pkg {
			list = append(list, strings.TrimPrefix(p.ImportPath, mod))
		}
	}
	return list
}

// TestLayers checks the layer rules: the vocabulary imports nothing
// internal; the pure packages reach no store, network or model code; the
// relay links nothing that handles plaintext; model code is reached only
// through the worker.
func TestLayers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	forbidden := func(pkg string, bad ...string) {
		for _, d := range deps(t, pkg) {
			for _, b := range bad {
				if d == b || strings.HasPrefix(d, b+"/") {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
	if d := deps(t, "internal/pam"); len(d) > 0 {
		t.Errorf("internal/pam imports %v; it must import nothing internal", d)
	}
	io := []string{"internal/store", "internal/mail/imap", "internal/calendar/caldav", "internal/llm", "internal/egress", "internal/syncclient", "internal/syncserver", "internal/daemon", "internal/worker", "internal/ml", "internal/cli"}
	for _, pure := range []string{"internal/crdt", "internal/seal", "internal/redact", "internal/extract", "internal/when", "internal/search", "internal/calendar", "internal/reply", "internal/brief"} {
		forbidden(pure, io...)
	}
	forbidden("cmd/pam-relay", "internal/store", "internal/mail", "internal/redact", "internal/llm", "internal/ml", "internal/crdt", "internal/seal", "internal/syncclient", "internal/cli")
	forbidden("internal/syncserver", "internal/store", "internal/mail", "internal/redact", "internal/llm", "internal/ml", "internal/crdt", "internal/seal")
	// Model code runs in workers: apart from the worker, only the training
	// tools and the model code itself import internal/ml directly.
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowedML := map[string]bool{"internal/worker": true, "internal/cli": true, "internal/ml/corpus": true, "internal/ml/cmd/train-defaults": true, "bench/classify": true, "bench/worker": true, "bench/privacy": true, "bench/privacy/calibrate": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], mod)
		for _, imp := range f[1:] {
			if imp == mod+"internal/ml" && !allowedML[pkg] {
				t.Errorf("%s imports internal/ml; model code is reached through internal/worker", pkg)
			}
		}
	}
}

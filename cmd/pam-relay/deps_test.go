package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoPlaintextDeps enforces the relay's layer rule: pam-relay must not
// link any package that handles plaintext or keys.
func TestNoPlaintextDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{"store", "mail", "redact", "llm", "ml", "crdt", "seal", "syncclient", "cli", "worker", "ingest", "demo"}
	deps := strings.Fields(string(out))
	var internal int
	for _, d := range deps {
		rest, ok := strings.CutPrefix(d, "github.com/pam-ai/pam/internal/")
		if !ok {
			continue
		}
		internal++
		for _, f := range forbidden {
			if rest == f || strings.HasPrefix(rest, f+"/") {
				t.Errorf("pam-relay depends on %s, which handles plaintext", d)
			}
		}
	}
	if internal == 0 {
		t.Errorf("go list -deps found no internal packages; the check is not looking at pam-relay")
	}
}

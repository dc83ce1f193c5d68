package redact

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns ../shared/data/<elem...> beside the repository root;
// it skips the test when the data is missing, except under CI=true.
func sharedData(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared", "data"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared data missing: %v", err)
		}
		tb.Skipf("shared data missing: %v", err)
	}
	return p
}

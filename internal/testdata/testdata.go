// Package testdata locates the shared public corpora (../shared/data beside
// the repository) for tests and benchmarks. The corpora are read in place
// and never copied into the repository.
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/data/sub beside the
// repository root. When it is missing the test is skipped, except under
// CI=true, where a missing corpus is a failure.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(root, "..", "shared", "data", sub)
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing under CI: %v", err)
		}
		t.Skipf("shared corpus not found: %v", err)
	}
	return d
}

// RepoRoot walks up from the working directory to the directory with go.mod.
func RepoRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		p := filepath.Dir(d)
		if p == d {
			return "", os.ErrNotExist
		}
		d = p
	}
}

package cli

import (
	"context"
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the pam binary: PAM re-executes
// itself as `pam worker KIND` (os.Executable), which in tests is this
// binary, so those arguments run the worker instead of the tests.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "worker" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

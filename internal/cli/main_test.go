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
	// Tests never touch the keyring of the session they run in; the
	// keyring has its own tests against a private bus (internal/account).
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	os.Exit(m.Run())
}

// Package egresstest runs tests inside a network namespace with no network
// (unshare -n, loopback only), to prove that code paths make no connection
// beyond loopback.
package egresstest

import (
	"os"
	"os/exec"
	"testing"
)

// Command returns a command that re-runs the current test binary's
// test named test inside a new network namespace with only loopback up.
// It skips (or, under CI=true, fails) when unshare or ip is missing or
// namespaces are not permitted.
func Command(t *testing.T, test string) *exec.Cmd {
	t.Helper()
	for _, bin := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed", bin)
			}
			t.Skipf("%s not installed", bin)
		}
	}
	if err := exec.Command("unshare", "-n", "--", "true").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("unshare -n not permitted: %v", err)
		}
		t.Skipf("unshare -n not permitted: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "-n", "--", "sh", "-c", `ip link set lo up && exec "$0" "$@"`, exe, "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), "PAM_NETNS_CHILD=1")
	return cmd
}

// InChild reports whether this process is the re-run child.
func InChild() bool { return os.Getenv("PAM_NETNS_CHILD") == "1" }

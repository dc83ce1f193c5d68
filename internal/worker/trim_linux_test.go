package worker

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// rssFile reads RssFile of this process in bytes.
func rssFile(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "RssFile:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// TestTrimExecutablePages checks that trimming drops resident pages of
// the test binary and that the process runs on (the pages come back).
func TestTrimExecutablePages(t *testing.T) {
	before := rssFile(t)
	n, err := TrimExecutablePages()
	if err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	t.Logf("RssFile %d KB -> %d KB, %d KB of mappings trimmed", before>>10, after>>10, n>>10)
	if n == 0 || after >= before {
		t.Errorf("TrimExecutablePages() = %d; RssFile %d -> %d, want it to drop", n, before, after)
	}
	// Code and constants are still there.
	if got := strings.Repeat("ab", 3); got != "ababab" {
		t.Errorf("after trimming, strings.Repeat = %q", got)
	}
}

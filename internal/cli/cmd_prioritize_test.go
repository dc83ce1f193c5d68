package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPrioritizeReadsWhatTheDeviceKnows: the local ranking uses the stored
// classification (kind, needs_reply) once the pipeline has run, and
// nothing of the kind before it.
func TestPrioritizeReadsWhatTheDeviceKnows(t *testing.T) {
	mdir := demoMaildir(t)
	rank := func(home string) []struct {
		ID  string
		Why []string
	} {
		t.Helper()
		out, errs, code := run(t, home, "", "prioritize", "--json", "--limit", "40")
		if code != 0 {
			t.Fatalf("prioritize exit %d: %s", code, errs)
		}
		var rs []struct {
			ID  string
			Why []string
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct {
				ID  string
				Why []string
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("prioritize --json line %q: %v", line, err)
			}
			rs = append(rs, r)
		}
		if len(rs) != 40 {
			t.Fatalf("prioritize --limit 40 ranked %d items", len(rs))
		}
		return rs
	}
	has := func(why []string, w ...string) bool {
		return slices.ContainsFunc(why, func(s string) bool { return slices.Contains(w, s) })
	}

	bare := filepath.Join(t.TempDir(), "bare")
	if _, errs, code := run(t, bare, "", "import", "--no-ai", mdir); code != 0 {
		t.Fatalf("import --no-ai exit %d: %s", code, errs)
	}
	for _, r := range rank(bare) {
		if has(r.Why, "needs a reply", "newsletter", "promotion", "social", "spam") {
			t.Fatalf("without a classification, item %s was ranked by %v", r.ID, r.Why)
		}
	}

	home := filepath.Join(t.TempDir(), "home")
	if _, errs, code := run(t, home, "", "import", mdir); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	rs := rank(home)
	needs, bulk := -1, -1
	for i, r := range rs {
		if needs < 0 && has(r.Why, "needs a reply") {
			needs = i
		}
		if has(r.Why, "newsletter", "promotion") {
			bulk = i
		}
	}
	if needs < 0 || bulk < 0 {
		t.Fatalf("classified ranking names no needs-reply (%d) or bulk (%d) item: %+v", needs, bulk, rs)
	}
	if has(rs[0].Why, "newsletter", "promotion", "social", "spam") {
		t.Errorf("top item %s is bulk mail: %v", rs[0].ID, rs[0].Why)
	}
	if needs > bulk {
		t.Errorf("first needs-reply item ranked %d, after the last bulk item at %d", needs+1, bulk+1)
	}
}

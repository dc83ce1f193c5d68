package calendar

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// dataDir returns ../shared/data/<sub> beside the repository root, or
// skips (fails under CI=true) when it is missing.
func dataDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", sub)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test data missing: %v", err)
		}
		t.Skipf("test data missing: %v", err)
	}
	return p
}

// TestRobustnessCorpus parses every file of the robustness corpus in a
// goroutine with a deadline, then expands two years of occurrences.
func TestRobustnessCorpus(t *testing.T) {
	root := dataDir(t, "robustness/ical")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 300 {
		t.Fatalf("found %d files under %s, want the 333 of the corpus", len(files), root)
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(2, 0, 0)
	var parsed, failed, events, occs, problems int
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		type result struct {
			cal  *Calendar
			err  error
			occ  int
			took time.Duration
		}
		done := make(chan result, 1)
		go func() {
			start := time.Now()
			cal, err := Parse(bytes.NewReader(data))
			r := result{cal: cal, err: err}
			if err == nil {
				r.occ = len(cal.Occurrences(from, to, time.UTC))
			}
			r.took = time.Since(start)
			done <- r
		}()
		select {
		case r := <-done:
			if r.err != nil {
				failed++
				if !errors.Is(r.err, ErrNoCalendar) && !errors.Is(r.err, ErrTooLarge) {
					t.Errorf("Parse(%s) error %v, want a parse or ErrNoCalendar/ErrTooLarge", rel, r.err)
				}
				continue
			}
			parsed++
			events += len(r.cal.Events) + len(r.cal.Todos)
			occs += r.occ
			problems += len(r.cal.Problems)
			if len(r.cal.Events)+len(r.cal.Todos)+len(r.cal.Timezones)+len(r.cal.Other)+len(r.cal.Props) == 0 && len(r.cal.Problems) == 0 {
				// An empty VCALENDAR is fine only when the file is one.
				if !bytes.Contains(bytes.ToUpper(data), []byte("BEGIN:VCALENDAR")) {
					t.Errorf("Parse(%s) yielded nothing and no problem", rel)
				}
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse+Occurrences(%s) still running after 5s", rel)
		}
	}
	t.Logf("%d files: %d parsed (%d events/todos, %d occurrences in 2024-2025, %d problems), %d rejected",
		len(files), parsed, events, occs, problems, failed)
}

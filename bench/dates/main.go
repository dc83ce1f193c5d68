// Command dates evaluates internal/when on Duckling's English time corpus
// (../shared/data/dates/duckling_en_time.tsv).
//
// In scope are the rows of kind datetime, datetimeInterval or
// datetimeOpenInterval with an empty holiday column. The rows listed in
// bench/dates/holdout.txt (fixed before development) are held out: their
// text and outcome are never printed, only the accuracy. A row counts as
// correct when the resolver's start (wall clock in the reference's zone)
// and grain equal the corpus's; a row whose expected start is empty
// ("in 2014 BC") is correct when it is left unresolved. The 28 rows of
// kind none must stay unresolved.
//
//	go run ./bench/dates            # figures, writes bench/dates/results.md
//	go run ./bench/dates -failures  # also lists the development rows it gets wrong
//	go run ./bench/dates -dev -failures  # the same without the held-out figure
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/when"
)

type row struct {
	line                                                      int
	section, text, ref, kind, start, end, grain, holiday, dir string
}

type tally struct{ n, ok, full int }

func (t tally) pct() float64 {
	if t.n == 0 {
		return 0
	}
	return 100 * float64(t.ok) / float64(t.n)
}

func main() {
	failures := flag.Bool("failures", false, "list the development rows resolved wrongly (never held-out rows)")
	out := flag.String("o", "bench/dates/results.md", "results file to write (empty: none)")
	devOnly := flag.Bool("dev", false, "print only the development and negative figures (hide the held-out line; writes no file)")
	flag.Parse()
	if *devOnly {
		*out = ""
	}
	if err := run(*failures, *out, *devOnly); err != nil {
		fmt.Fprintln(os.Stderr, "dates:", err)
		os.Exit(1)
	}
}

func readRows(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		for len(c) < 9 {
			c = append(c, "")
		}
		text := c[1]
		// the table quotes fields holding a double quote, CSV style
		if len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
			text = strings.ReplaceAll(text[1:len(text)-1], `""`, `"`)
		}
		rows = append(rows, row{line, c[0], text, c[2], c[3], c[4], c[5], c[6], c[7], c[8]})
	}
	return rows, sc.Err()
}

func readHoldout(path string) (map[int]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[int]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		n, err := strconv.Atoi(l)
		if err != nil {
			return nil, fmt.Errorf("holdout: %v", err)
		}
		m[n] = true
	}
	return m, nil
}

func inScope(r row) bool {
	switch r.kind {
	case "datetime", "datetimeInterval", "datetimeOpenInterval":
		return r.holiday == ""
	}
	return false
}

const wall = "2006-01-02T15:04:05"

// check returns whether (start, grain) match and whether everything does.
func check(r row) (ok, full bool, got string, err error) {
	ref, err := time.Parse(time.RFC3339, r.ref)
	if err != nil {
		return false, false, "", fmt.Errorf("line %d: ref: %v", r.line, err)
	}
	res, resolved := when.Resolve(r.text, ref, when.Options{Location: ref.Location()})
	if r.start == "" {
		return !resolved, !resolved, fmt.Sprint(resolved), nil
	}
	if !resolved {
		return false, false, "none", nil
	}
	start := res.Start.Format(wall)
	grain := res.Grain.String()
	ok = start == r.start && grain == strings.ToLower(r.grain)
	end := ""
	if !res.End.IsZero() && (res.Interval) {
		end = res.End.Format(wall)
	}
	dir := ""
	switch res.Open {
	case when.Before:
		dir = "Before"
	case when.After:
		dir = "After"
	}
	full = ok && end == r.end && dir == r.dir
	got = fmt.Sprintf("%s %s %s %s", start, end, grain, dir)
	return ok, full, got, nil
}

func run(showFailures bool, out string, devOnly bool) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	data := filepath.Join(root, "..", "shared", "data", "dates", "duckling_en_time.tsv")
	rows, err := readRows(data)
	if err != nil {
		return err
	}
	held, err := readHoldout(filepath.Join(root, "bench", "dates", "holdout.txt"))
	if err != nil {
		return err
	}
	var dev, eval tally
	negN, negResolved := 0, 0
	began := time.Now()
	for _, r := range rows {
		if r.kind == "none" {
			negN++
			ref, err := time.Parse(time.RFC3339, r.ref)
			if err != nil {
				return fmt.Errorf("line %d: ref: %v", r.line, err)
			}
			if _, ok := when.Resolve(r.text, ref, when.Options{Location: ref.Location()}); ok {
				negResolved++
				if showFailures {
					fmt.Printf("NEG %d\t%s\tresolved\n", r.line, r.text)
				}
			}
			continue
		}
		if !inScope(r) {
			continue
		}
		ok, full, got, err := check(r)
		if err != nil {
			return err
		}
		t := &dev
		if held[r.line] {
			t = &eval
		}
		t.n++
		if ok {
			t.ok++
		}
		if full {
			t.full++
		}
		if ok && !full && !held[r.line] && showFailures {
			fmt.Printf("END %d\t%s\twant %s %s %s %s\tgot %s\n", r.line, r.text, r.start, r.end, r.grain, r.dir, got)
		}
		if !ok && !held[r.line] && showFailures {
			fmt.Printf("DEV %d\t%s\twant %s %s %s %s\tgot %s\n", r.line, r.text, r.start, r.end, r.grain, r.dir, got)
		}
	}
	elapsed := time.Since(began)
	report := fmt.Sprintf(`# Date resolver on Duckling's English time corpus

Command: `+"`go run ./bench/dates`"+` (from the repository root; data read from
`+"`../shared/data/dates/duckling_en_time.tsv`"+`). Held-out rows: `+"`bench/dates/holdout.txt`"+`,
fixed before development (commit "bench/dates: fix the held-out quarter…").

| Rows | n | exact (start, grain) | also end and direction |
|---|---|---|---|
| development (in scope, not held out) | %d | %d (%.1f%%) | %d (%.1f%%) |
| held out (in scope) | %d | %d (%.1f%%) | %d (%.1f%%) |
| negatives (kind none) resolved, want 0 | %d | %d | |

Whole run: %d rows in %v.
`, dev.n, dev.ok, dev.pct(), dev.full, pctOf(dev.full, dev.n), eval.n, eval.ok, eval.pct(), eval.full, pctOf(eval.full, eval.n), negN, negResolved, len(rows), elapsed.Round(time.Millisecond))
	if devOnly {
		// Keep the held-out figure out of sight during development.
		var kept []string
		for _, l := range strings.Split(report, "\n") {
			if !strings.HasPrefix(l, "| held out") {
				kept = append(kept, l)
			}
		}
		report = strings.Join(kept, "\n")
	}
	fmt.Print(report)
	if out != "" {
		if err := os.WriteFile(filepath.Join(root, out), []byte(report), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func pctOf(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(a) / float64(n)
}

package when

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/testdata"
)

// TestExprFirstOnMail runs Find with and without its shortcuts (the
// start-word set exprFirst among them) over the lines of SpamAssassin and
// Enron mail, the text the classifier's date cue reads: the results must
// be identical.
func TestExprFirstOnMail(t *testing.T) {
	root := testdata.Dir(t, "mail")
	var texts []string
	for _, dir := range []string{"spamassassin/easy-ham-1", "spamassassin/hard-ham-1", "spamassassin/spam-1", "enron/kaminski-v/inbox", "enron/skilling-j/inbox"} {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range ents {
			if n >= 120 || !e.Type().IsRegular() {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			n++
			for _, line := range strings.Split(string(raw), "\n") {
				if len(line) > 3 && len(line) < 400 {
					texts = append(texts, line)
				}
			}
		}
	}
	if len(texts) < 10000 {
		t.Fatalf("read %d lines, want at least 10000", len(texts))
	}
	ref := time.Date(2024, 6, 5, 10, 0, 0, 0, time.UTC)
	found := 0
	for _, s := range texts {
		fast, slow := find(s, ref, Options{FutureBias: true}, true), find(s, ref, Options{FutureBias: true}, false)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("Find(%q): with the shortcuts %v, without %v", s, fast, slow)
		}
		found += len(slow)
	}
	if found < 1000 {
		t.Fatalf("only %d expressions found in %d lines: the comparison is too weak", found, len(texts))
	}
	t.Logf("%d lines, %d expressions", len(texts), found)
}

// TestExprFirstWords puts each vocabulary word that exprFirst leaves out
// before a sample of the Duckling expressions ("to next Friday", "and the
// 3rd of March"...) and checks that the reference parse, which tries
// every position, finds nothing starting at that word.
func TestExprFirstWords(t *testing.T) {
	var exprs []string
	f, err := os.Open(filepath.Join(testdata.Dir(t, "dates"), "duckling_en_time.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	row := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 1 && cols[1] != "expression" {
			if row%12 == 0 {
				exprs = append(exprs, cols[1])
			}
			row++
		}
	}
	f.Close()
	// Words the patterns put after another word.
	exprs = append(exprs, "s day", "of march", "to 5pm", "and 3pm", "day", "week of monday", "time", "now", "'s eve", "year's day", "-ish")
	if len(exprs) < 80 {
		t.Fatalf("%d expressions, want the Duckling corpus", len(exprs))
	}
	var words []string
	for w := range loadVocab() {
		if !exprFirst()[w] {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	if len(words) < 200 {
		t.Fatalf("only %d vocabulary words outside exprFirst: the test is too weak", len(words))
	}
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("", -2*3600))
	for _, w := range words {
		for _, e := range exprs {
			s := w + " " + e
			for _, r := range find(s, ref, Options{}, false) {
				if r.Pos == 0 {
					t.Errorf("Find(%q) = %q at 0: %q can start an expression but is not in exprFirst", s, r.Text, w)
				}
			}
		}
	}
	t.Logf("%d words × %d expressions", len(words), len(exprs))
}

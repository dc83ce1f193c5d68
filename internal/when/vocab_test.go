package when

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/testdata"
)

// TestVocabShortcutChangesNothing runs Find with and without its
// shortcuts (the vocabulary, the parse memo and the constituents'
// first-word checks: find's fast) over every expression of the Duckling
// corpus (alone and inside a sentence) and every sentence of the
// email-intent corpus: the results must be identical.
func TestVocabShortcutChangesNothing(t *testing.T) {
	var texts []string
	dates := testdata.Dir(t, "dates")
	f, err := os.Open(filepath.Join(dates, "duckling_en_time.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 1 && cols[1] != "expression" {
			texts = append(texts, cols[1], "could you send it "+cols[1]+" please?")
		}
	}
	f.Close()
	intent := testdata.Dir(t, "email-intent")
	g, err := os.Open(filepath.Join(intent, "train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sc = bufio.NewScanner(g)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if _, s, ok := strings.Cut(sc.Text(), "\t"); ok {
			texts = append(texts, s)
		}
	}
	g.Close()
	if len(texts) < 4000 {
		t.Fatalf("read %d texts, want the whole corpora", len(texts))
	}
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("", -2*3600))
	found := 0
	for _, s := range texts {
		fast, slow := find(s, ref, Options{}, true), find(s, ref, Options{}, false)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("Find(%q): with the shortcuts %v, without %v", s, fast, slow)
		}
		found += len(slow)
	}
	if found < 1000 {
		t.Fatalf("only %d expressions found in %d texts: the comparison is too weak", found, len(texts))
	}
}

// TestVocabShortcutSuffixes covers the words the parser accepts with a
// suffix no literal spells out.
func TestVocabShortcutSuffixes(t *testing.T) {
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.UTC)
	for _, s := range []string{"Valentines from your past!", "see you morningish", "happy Christmas's eve", "Mondays at 3pm work"} {
		if fast, slow := find(s, ref, Options{}, true), find(s, ref, Options{}, false); !reflect.DeepEqual(fast, slow) {
			t.Errorf("Find(%q): with the shortcut %v, without %v", s, fast, slow)
		}
	}
}

// FuzzFindShortcuts: on any text, Find with its shortcuts (vocabulary,
// memo, first-word checks, recycled parsers) equals the reference parse.
func FuzzFindShortcuts(f *testing.F) {
	for _, s := range []string{"Can you send it by Friday EOD?", "in 2 weeks' time", "half past three tomorrow", "the ides of March", "3 fridays from now", "Valentines from your past!", "12 noon - 2pm PT", "a week on Monday", "\xff 10/31/1974 ASAP"} {
		f.Add(s)
	}
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("", -2*3600))
	f.Fuzz(func(t *testing.T, s string) {
		for _, fb := range []bool{false, true} {
			fast, slow := find(s, ref, Options{FutureBias: fb}, true), find(s, ref, Options{FutureBias: fb}, false)
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("Find(%q): with the shortcuts %v, without %v", s, fast, slow)
			}
		}
	})
}

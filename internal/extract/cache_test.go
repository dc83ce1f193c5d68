package extract

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pam-ai/pam/internal/testdata"
)

// TestProbCacheSame checks that Prob with its sentence cache answers
// exactly as the uncached computation: on every sentence of the
// email-intent corpus and again with a word added, read twice
// (the second time from the cache, past evictions), from two goroutines at once, and on sentences longer
// than the cached ones.
func TestProbCacheSame(t *testing.T) {
	f, err := os.Open(filepath.Join(testdata.Dir(t, "email-intent"), "train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sents []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if _, s, ok := strings.Cut(sc.Text(), "\t"); ok {
			sents = append(sents, s)
		}
	}
	for _, s := range sents {
		sents = append(sents, s+" again")
	}
	sents = append(sents, strings.Repeat("Could you send me the report by Friday? ", 10), "", "?")
	if len(sents) < probCacheSize+1000 {
		t.Fatalf("%d sentences: too few to fill the cache", len(sents))
	}
	m, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, len(sents))
	for i, s := range sents {
		want[i] = m.prob(s)
	}
	var wg sync.WaitGroup
	errs := make([]string, 2)
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 2; round++ {
				for i := g; i < len(sents); i += 1 + g {
					if got := m.Prob(sents[i]); got != want[i] {
						errs[g] = sents[i]
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range errs {
		if s != "" {
			t.Fatalf("Prob(%q) with the cache differs from the computation", s)
		}
	}
	m.cacheMu.Lock()
	n := len(m.cache)
	m.cacheMu.Unlock()
	if n == 0 || n > probCacheSize {
		t.Fatalf("cache holds %d sentences, want 1..%d", n, probCacheSize)
	}
}

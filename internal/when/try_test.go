package when

import (
	"bufio"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestTry prints how each line of $WHEN_TRY resolves (development aid).
func TestTry(t *testing.T) {
	path := os.Getenv("WHEN_TRY")
	if path == "" {
		t.Skip("WHEN_TRY not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("", -2*3600))
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		r, ok := Resolve(sc.Text(), ref, Options{})
		if !ok {
			fmt.Printf("%-40s NONE\n", sc.Text())
			continue
		}
		e := ""
		if r.Interval {
			e = r.End.Format("2006-01-02T15:04:05")
		}
		fmt.Printf("%-40s %s %s %s %d\n", sc.Text(), r.Start.Format("2006-01-02T15:04:05"), e, r.Grain, r.Open)
	}
}

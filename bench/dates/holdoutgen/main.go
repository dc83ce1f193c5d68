// Command holdoutgen writes bench/dates/holdout.txt: the line numbers of
// the in-scope rows of duckling_en_time.tsv held out for evaluation.
//
// In scope: kind datetime, datetimeInterval or datetimeOpenInterval with an
// empty holiday column. A quarter of them (rounded down) is drawn with
// math/rand/v2 PCG seeded (20130212, 5). It prints no row text.
//
//	go run ./bench/dates/holdoutgen > bench/dates/holdout.txt
package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	path := filepath.Join("..", "shared", "data", "dates", "duckling_en_time.tsv")
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "holdoutgen:", err)
		os.Exit(1)
	}
	defer f.Close()
	var inScope []int
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 8 {
			continue
		}
		switch cols[3] {
		case "datetime", "datetimeInterval", "datetimeOpenInterval":
			if cols[7] == "" {
				inScope = append(inScope, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "holdoutgen:", err)
		os.Exit(1)
	}
	r := rand.New(rand.NewPCG(20130212, 5))
	perm := r.Perm(len(inScope))
	n := len(inScope) / 4
	held := make([]int, 0, n)
	for _, i := range perm[:n] {
		held = append(held, inScope[i])
	}
	sort.Ints(held)
	fmt.Printf("# Held-out rows of ../shared/data/dates/duckling_en_time.tsv (line numbers, header = line 1).\n")
	fmt.Printf("# %d of the %d in-scope rows (kind datetime|datetimeInterval|datetimeOpenInterval, empty holiday),\n", n, len(inScope))
	fmt.Printf("# drawn with math/rand/v2 PCG seed (20130212, 5); fixed before any resolver code was written.\n")
	fmt.Printf("# Regenerate: go run ./bench/dates/holdoutgen > bench/dates/holdout.txt\n")
	for _, l := range held {
		fmt.Println(l)
	}
}

// Command redact evaluates internal/redact on the shared PII corpora and
// prints a table; with -write it also writes bench/redact/results.md.
//
//	go run ./bench/redact [-write] [-v]
//	go run ./bench/redact -dev [-half a|b] [-swap N] [-v]   (tuning: no eval split)
//	go run ./bench/redact -dev -enron                       (list the Enron "rest" errors)
//
// It reads ../shared/data/pii beside the repository root (the directory
// holding go.mod) and never copies the data anywhere.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/redact"
	"github.com/pam-ai/pam/internal/testdata"
)

// typeMap maps presidio-research entity types to PAM's types. Types mapped
// to "" are ones PAM does not redact: they count neither for recall nor for
// precision (a prediction overlapping them is ignored).
var typeMap = map[string]string{
	"PERSON":            redact.TypePerson,
	"ORGANIZATION":      redact.TypeOrg,
	"EMAIL_ADDRESS":     redact.TypeEmail,
	"PHONE_NUMBER":      redact.TypePhone,
	"CREDIT_CARD":       redact.TypeCard,
	"IBAN_CODE":         redact.TypeIBAN,
	"US_SSN":            redact.TypeID,
	"US_DRIVER_LICENSE": redact.TypeID,
	"IP_ADDRESS":        redact.TypeIP,
	"ADDRESS":           redact.TypeAddress,
	"LOCATION":          "", // a city or country alone
	"DATE_TIME":         "", // plain dates; presidio also files dates of birth here
	"DOMAIN_NAME":       "", // plain URLs without tokens
	"TITLE":             "", // job titles
	"PREFIX":            "", // honorifics alone
}

type presidioSpan struct {
	Type  string `json:"entity_type"`
	Value string `json:"entity_value"`
	Start int    `json:"start_position"`
	End   int    `json:"end_position"`
}

type presidioRow struct {
	Text     string         `json:"full_text"`
	Spans    []presidioSpan `json:"spans"`
	Template int            `json:"template_id"`
}

// devHalf, when "a" or "b", restricts the dev split to half of its
// templates (set from -half; the bench is a command, not a library).
var devHalf string

// split puts a template in "dev" or "eval" by a fixed hash of its id. With
// devHalf set, the dev templates of the other half are put in "none".
func split(template int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "pam-redact/%d", template)
	if h.Sum32()%2 != 0 {
		return "eval"
	}
	if devHalf != "" {
		// Bit 16, not bit 0: the low bit of FNV-1a is the parity of the
		// input's bytes, which the dev split has already fixed.
		h2 := fnv.New32a()
		fmt.Fprintf(h2, "pam-redact-half/%d", template)
		hb := "a"
		if h2.Sum32()>>16&1 == 1 {
			hb = "b"
		}
		if hb != devHalf {
			return "none"
		}
	}
	return "dev"
}

// shapeKey keys the swap pool by type and number of words: a template
// asks for a first name, a full name or a company of its own shape, so a
// value is swapped only for one of the same shape.
func shapeKey(g presidioSpan) string {
	return fmt.Sprintf("%s/%d", g.Type, min(len(strings.Fields(g.Value)), 3))
}

// swaps is the number of value swaps per ORG or PERSON span (-swap).
var swaps int

// swapRows returns, for every dev row, variants in which one ORG or
// PERSON span's value is replaced by another dev value of the same type and
// shape
// (lower-cased in a lower-case sentence), with the other spans' offsets
// moved. The values come from the dev split only.
func swapRows(rows []presidioRow, n int) []presidioRow {
	pool := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range rows {
		if split(r.Template) != "dev" || strings.ToLower(r.Text) == r.Text {
			continue // values as written in cased sentences; lower-cased below where needed
		}
		for _, g := range r.Spans {
			if (g.Type == "ORGANIZATION" || g.Type == "PERSON") && !seen[g.Type+"\x00"+g.Value] {
				seen[g.Type+"\x00"+g.Value] = true
				pool[shapeKey(g)] = append(pool[shapeKey(g)], g.Value)
			}
		}
	}
	for _, p := range pool {
		sort.Strings(p)
	}
	var out []presidioRow
	for ri, r := range rows {
		if split(r.Template) != "dev" {
			continue
		}
		runes := []rune(r.Text)
		lower := strings.ToLower(r.Text) == r.Text
		for si, g := range r.Spans {
			p := pool[shapeKey(g)]
			if len(p) == 0 || g.Type != "ORGANIZATION" && g.Type != "PERSON" {
				continue
			}
			for v := 0; v < n; v++ {
				h := fnv.New32a()
				fmt.Fprintf(h, "%d/%d/%d", ri, si, v)
				val := p[int(h.Sum32()%uint32(len(p)))]
				if lower {
					val = strings.ToLower(val)
				}
				vr := []rune(val)
				d := len(vr) - (g.End - g.Start)
				text := string(runes[:g.Start]) + val + string(runes[g.End:])
				nr := presidioRow{Text: text, Template: r.Template}
				for sj, o := range r.Spans {
					switch {
					case sj == si:
						o.Value, o.End = val, o.Start+len(vr)
					case o.Start >= g.End:
						o.Start += d
						o.End += d
					}
					nr.Spans = append(nr.Spans, o)
				}
				out = append(out, nr)
			}
		}
	}
	return out
}

type counts struct {
	gold, goldHit, goldHidden int // gold spans, matched with the right type, covered by any span
	pred, predTP              int // predictions counted for precision, of which correct
}

func main() {
	write := flag.Bool("write", false, "write bench/redact/results.md")
	verbose := flag.Bool("v", false, "print misses and false positives of the dev split")
	devOnly := flag.Bool("dev", false, "print the dev figures only (no evaluation split, no held-out threads, no throughput); for tuning")
	swapN := flag.Int("swap", 0, "with -dev: also evaluate dev sentences with each ORG and PERSON value swapped for N other dev values of its type (a check that the rules hold for other names in the same contexts)")
	enron := flag.Bool("enron", false, "with -dev: list the text-pattern errors on the emailcoref threads outside the held-out third, with context, on the terminal only (false PERSON and ORG spans, missed and mistyped org mentions)")
	half := flag.String("half", "", "with -dev: keep only half \"a\" or \"b\" of the dev templates (a second hash), to check that a rule written from one half helps the other")
	flag.Parse()
	if *half != "" && (!*devOnly || *half != "a" && *half != "b") {
		fmt.Fprintln(os.Stderr, "redact bench: -half takes a or b and needs -dev")
		os.Exit(2)
	}
	devHalf = *half
	if *enron && !*devOnly {
		fmt.Fprintln(os.Stderr, "redact bench: -enron needs -dev")
		os.Exit(2)
	}
	if *enron {
		if err := listEnron(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "redact bench:", err)
			os.Exit(1)
		}
		return
	}
	swaps = *swapN
	if swaps > 0 && !*devOnly {
		fmt.Fprintln(os.Stderr, "redact bench: -swap needs -dev")
		os.Exit(2)
	}
	if *devOnly && *write {
		fmt.Fprintln(os.Stderr, "redact bench: -dev and -write exclude each other")
		os.Exit(2)
	}
	if err := run(*write, *verbose, *devOnly, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "redact bench:", err)
		os.Exit(1)
	}
}

// devThreads are the emailcoref threads not held out.
func devThreads(threads []thread) []thread {
	var sel []thread
	for _, th := range threads {
		if coreSplit(th.name) != "held-out" {
			sel = append(sel, th)
		}
	}
	return sel
}

func run(write, verbose, devOnly bool, stdout io.Writer) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	data := filepath.Join(root, "..", "shared", "data", "pii")
	var md strings.Builder
	out := io.MultiWriter(stdout, &md)

	rows, err := loadPresidio(filepath.Join(data, "presidio_generated_large.json"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "# internal/redact evaluation\n\n")
	fmt.Fprintf(out, "Generated by `go run ./bench/redact -write` (%s, %s/%s, GOMAXPROCS=%d).\n\n", time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "## presidio_generated_large.json\n\n")
	fmt.Fprintf(out, "Split by FNV-1a(\"pam-redact/<template_id>\") mod 2: even = dev (tuned on), odd = eval (reported).\n")
	fmt.Fprintf(out, "Match: a prediction overlaps >= 50%% of the gold span. 'typed' needs PAM's type to agree;\n")
	fmt.Fprintf(out, "'hidden' counts a gold span covered by a prediction of any type (what matters for leakage).\n")
	fmt.Fprintf(out, "Rules are tuned with `-dev` (nothing of the eval split is computed), `-half a|b` (two halves of the dev templates)\n")
	fmt.Fprintf(out, "and `-swap N` (dev sentences with other dev names of the same shape); the eval split is read only as the totals below.\n\n")
	for _, sp := range []string{"eval", "dev"} {
		if devOnly && sp != "dev" {
			continue
		}
		res, nrows, ntempl := evalPresidio(rows, sp, verbose && sp == "dev", stdout)
		fmt.Fprintf(out, "### %s split: %d sentences, %d templates\n\n", sp, nrows, ntempl)
		printTable(out, res)
		if sp == "dev" && swaps > 0 {
			sw := swapRows(rows, swaps)
			res, nrows, _ := evalPresidio(sw, sp, verbose, stdout)
			fmt.Fprintf(out, "### dev split, ORG and PERSON values swapped (%d per span): %d sentences\n\n", swaps, nrows)
			printTable(out, res)
		}
	}

	// Throughput over the whole presidio text and the Enron threads.
	var corpus strings.Builder
	for _, r := range rows {
		corpus.WriteString(r.Text)
		corpus.WriteString("\n\n")
	}
	threads, err := loadThreads(filepath.Join(data, "emailcoref-train"))
	if err != nil {
		return err
	}
	var mail strings.Builder
	for _, th := range threads {
		mail.WriteString(th.text)
		mail.WriteString("\n\n")
	}
	if devOnly {
		r := evalThreads(devThreads(threads), verbose, stdout)
		fmt.Fprintf(out, "emailcoref rest: person %d/%d survive, org %d/%d, e-mail %d/%d\n", r.personLeft, r.person, r.orgLeft, r.org, r.emailLeft, r.email)
		p := patternPrecision(devThreads(threads), verbose, stdout)
		fmt.Fprintf(out, "emailcoref rest, text patterns only (no hints): PERSON spans on a person mention %s, on a P/O mention %s; ORG spans on an org mention %s, on a P/O mention %s\n",
			ratio(p.personOn, p.person), ratio(p.personAny, p.person), ratio(p.orgOn, p.org), ratio(p.orgAny, p.org))
		return nil
	}
	fmt.Fprintf(out, "## Throughput\n\n")
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(out, "Load average before the run: %s (2 cores shared with other jobs: wall-clock rates move with it; the CPU-time rates divide by the process's user+sys time).\n\n", strings.Join(strings.Fields(string(la))[:3], " "))
	}
	fmt.Fprintf(out, "| input | bytes | Detect MB/s | Redact MB/s | Detect MB per CPU-s | Redact MB per CPU-s |\n|---|---:|---:|---:|---:|---:|\n")
	for _, in := range []struct{ name, text string }{{"presidio sentences, one call per 64 KiB", corpus.String()}, {"Enron threads (emailcoref), one call per 64 KiB", mail.String()}} {
		d, r := throughput(in.text)
		fmt.Fprintf(out, "| %s | %d | %.1f | %.1f | %.1f | %.1f |\n", in.name, len(in.text), d.wall, r.wall, d.cpu, r.cpu)
	}
	fmt.Fprintln(out)

	fmt.Fprintf(out, "## emailcoref-train (real Enron threads)\n\n")
	fmt.Fprintf(out, "Held out: FNV-1a(file name) mod 3 == 0. Hints: the names and addresses on the From/To/Cc/X-From/X-To/X-cc lines of the thread.\n")
	fmt.Fprintf(out, "A name mention is a person (P) or organisation (O) mention with at least one capitalised token that is not a pronoun; it survives if any such token is left visible.\n")
	fmt.Fprintf(out, "Text is rebuilt from the CoNLL tokens (tokens joined by spaces, lines by newlines).\n\n")
	fmt.Fprintf(out, "| split | threads | person mentions | survived | org mentions | survived | e-mail addresses | survived |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, sp := range []string{"held-out", "rest"} {
		var sel []thread
		for _, th := range threads {
			if (coreSplit(th.name) == "held-out") == (sp == "held-out") {
				sel = append(sel, th)
			}
		}
		r := evalThreads(sel, verbose && sp == "rest", stdout)
		fmt.Fprintf(out, "| %s | %d | %d | %d (%.1f%%) | %d | %d (%.1f%%) | %d | %d (%.1f%%) |\n", sp, len(sel),
			r.person, r.personLeft, pct(r.personLeft, r.person), r.org, r.orgLeft, pct(r.orgLeft, r.org), r.email, r.emailLeft, pct(r.emailLeft, r.email))
	}
	fmt.Fprintln(out)
	if write {
		return os.WriteFile(filepath.Join(root, "bench", "redact", "results.md"), []byte(md.String()), 0o644)
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func loadPresidio(path string) ([]presidioRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read presidio data: %w", err)
	}
	var rows []presidioRow
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("parse presidio data: %w", err)
	}
	return rows, nil
}

func overlap(a0, a1, b0, b1 int) int {
	lo, hi := max(a0, b0), min(a1, b1)
	if hi > lo {
		return hi - lo
	}
	return 0
}

func evalPresidio(rows []presidioRow, sp string, verbose bool, w io.Writer) (map[string]*counts, int, int) {
	res := map[string]*counts{}
	get := func(t string) *counts {
		if res[t] == nil {
			res[t] = &counts{}
		}
		return res[t]
	}
	nrows := 0
	templ := map[int]bool{}
	for _, r := range rows {
		if split(r.Template) != sp {
			continue
		}
		nrows++
		templ[r.Template] = true
		pred := redact.Detect(r.Text, redact.Hints{})
		runes := []rune(r.Text)
		for _, g := range r.Spans {
			t, ok := typeMap[g.Type]
			if !ok {
				panic("unmapped presidio type " + g.Type)
			}
			if t == "" {
				continue
			}
			c := get(t)
			c.gold++
			glen := g.End - g.Start
			hit, hidden := false, false
			for _, p := range pred {
				if 2*overlap(p.Start, p.End, g.Start, g.End) >= glen {
					hidden = true
					if p.Type == t {
						hit = true
					}
				}
			}
			if hit {
				c.goldHit++
			}
			if hidden {
				c.goldHidden++
			}
			if verbose && !hit {
				fmt.Fprintf(w, "MISS %s %q in %q\n", t, string(runes[g.Start:g.End]), r.Text)
			}
		}
		for _, p := range pred {
			tp, ignore := false, false
			for _, g := range r.Spans {
				t := typeMap[g.Type]
				ov := overlap(p.Start, p.End, g.Start, g.End)
				if t == p.Type && 2*ov >= g.End-g.Start {
					tp = true
				}
				if t == "" && ov > 0 {
					ignore = true
				}
			}
			if !tp && ignore {
				continue
			}
			c := get(p.Type)
			c.pred++
			if tp {
				c.predTP++
			} else if verbose {
				fmt.Fprintf(w, "FP %s %q in %q\n", p.Type, p.Value, r.Text)
			}
		}
	}
	return res, nrows, len(templ)
}

func printTable(w io.Writer, res map[string]*counts) {
	var types []string
	for t := range res {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintf(w, "| type | gold | recall (typed) | recall (hidden) | predicted | precision |\n|---|---:|---:|---:|---:|---:|\n")
	var tot counts
	for _, t := range types {
		c := res[t]
		fmt.Fprintf(w, "| %s | %d | %s | %s | %d | %s |\n", t, c.gold, ratio(c.goldHit, c.gold), ratio(c.goldHidden, c.gold), c.pred, ratio(c.predTP, c.pred))
		tot.gold += c.gold
		tot.goldHit += c.goldHit
		tot.goldHidden += c.goldHidden
		tot.pred += c.pred
		tot.predTP += c.predTP
	}
	fmt.Fprintf(w, "| all mapped | %d | %s | %s | %d | %s |\n\n", tot.gold, ratio(tot.goldHit, tot.gold), ratio(tot.goldHidden, tot.gold), tot.pred, ratio(tot.predTP, tot.pred))
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%d/%d)", float64(a)/float64(b), a, b)
}

// rate is a throughput by wall-clock time and by the process's CPU time.
type rate struct{ wall, cpu float64 }

// cpuSeconds is the user+sys time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// throughput runs Detect and Redact over text in 64 KiB calls (cut at a
// newline) for at least a second each and returns MB/s.
func throughput(text string) (rate, rate) {
	var parts []string
	for len(text) > 0 {
		n := min(len(text), 64<<10)
		if n < len(text) {
			if k := strings.LastIndexByte(text[:n], '\n'); k > 0 {
				n = k + 1
			}
		}
		parts = append(parts, text[:n])
		text = text[n:]
	}
	measure := func(f func(string)) rate {
		var bytes int
		st, cpu := time.Now(), cpuSeconds()
		for time.Since(st) < 2*time.Second {
			for _, p := range parts {
				f(p)
				bytes += len(p)
			}
		}
		mb := float64(bytes) / 1e6
		r := rate{wall: mb / time.Since(st).Seconds()}
		if c := cpuSeconds() - cpu; c > 0 {
			r.cpu = mb / c
		}
		return r
	}
	d := measure(func(s string) { redact.Detect(s, redact.Hints{}) })
	r := measure(func(s string) { redact.Redact(s, redact.Hints{}, redact.NewMap()) })
	return d, r
}

// --- emailcoref -------------------------------------------------------------

type mention struct {
	kind       byte // 'P', 'O', ...
	start, end int  // token indices, end exclusive
}

type thread struct {
	name     string
	text     string
	toks     []string
	tokStart []int // rune offsets
	tokEnd   []int
	lineOf   []int
	lines    [][]int // token indices per line
	mentions []mention
}

func coreSplit(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	if h.Sum32()%3 == 0 {
		return "held-out"
	}
	return "rest"
}

var (
	openRe  = regexp.MustCompile(`\(([A-Z])(\d+)\*?`)
	closeRe = regexp.MustCompile(`([A-Z])(\d+)\*?\)`)
)

func loadThreads(dir string) ([]thread, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.conll"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .conll files in %s", dir)
	}
	var out []thread
	for _, f := range files {
		th, err := loadThread(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
		out = append(out, th)
	}
	return out, nil
}

func loadThread(path string) (thread, error) {
	fh, err := os.Open(path)
	if err != nil {
		return thread{}, err
	}
	defer fh.Close()
	th := thread{name: filepath.Base(path)}
	var b strings.Builder
	pos := 0
	lineStart := true
	var cur []int
	open := map[string][]int{}
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if strings.TrimSpace(line) == "" || len(f) < 3 {
			if !lineStart {
				b.WriteString("\n")
				pos++
				lineStart = true
				th.lines = append(th.lines, cur)
				cur = nil
			}
			continue
		}
		if !lineStart {
			b.WriteString(" ")
			pos++
		}
		lineStart = false
		idx := len(th.toks)
		th.toks = append(th.toks, f[0])
		th.tokStart = append(th.tokStart, pos)
		b.WriteString(f[0])
		pos += utf8.RuneCountInString(f[0])
		th.tokEnd = append(th.tokEnd, pos)
		th.lineOf = append(th.lineOf, len(th.lines))
		cur = append(cur, idx)
		tag := f[2]
		for _, m := range openRe.FindAllStringSubmatch(tag, -1) {
			k := m[1] + m[2]
			open[k] = append(open[k], idx)
		}
		for _, m := range closeRe.FindAllStringSubmatch(tag, -1) {
			k := m[1] + m[2]
			st := open[k]
			if len(st) == 0 {
				continue
			}
			s := st[len(st)-1]
			open[k] = st[:len(st)-1]
			th.mentions = append(th.mentions, mention{kind: m[1][0], start: s, end: idx + 1})
		}
	}
	if len(cur) > 0 {
		th.lines = append(th.lines, cur)
	}
	th.text = b.String()
	return th, sc.Err()
}

var headerNames = map[string]bool{"from": true, "to": true, "cc": true, "bcc": true, "x-from": true, "x-to": true, "x-cc": true, "x-bcc": true}

// hintsFor builds Hints as PAM would from a thread's headers: every name
// and address on the From/To/Cc lines.
func hintsFor(th thread) redact.Hints {
	var h redact.Hints
	for _, ln := range th.lines {
		colon := -1
		var key strings.Builder
		for i, ti := range ln {
			if th.toks[ti] == ":" {
				colon = i
				break
			}
			key.WriteString(th.toks[ti])
			if i > 4 {
				break
			}
		}
		if colon < 0 || !headerNames[strings.ToLower(key.String())] {
			continue
		}
		var item []string
		flush := func() {
			s := strings.Join(item, " ")
			s = strings.ReplaceAll(s, " , ", ", ")
			s = strings.Trim(s, " \"',")
			if k := strings.Index(s, " /"); k > 0 { // Lotus Notes "Name / HOU / ECT"
				s = s[:k]
			}
			if s != "" && strings.IndexFunc(s, unicode.IsLetter) >= 0 {
				h.People = append(h.People, s)
			}
			item = nil
		}
		for _, ti := range ln[colon+1:] {
			t := th.toks[ti]
			switch {
			case strings.Contains(t, "@") && strings.Contains(t, "."):
				flush()
				h.Emails = append(h.Emails, strings.Trim(t, "<>\"'"))
			case t == ";" || t == "<" || t == ">":
				flush()
			default:
				item = append(item, t)
			}
		}
		flush()
	}
	return h
}

type threadResult struct {
	person, personLeft, org, orgLeft, email, emailLeft int
}

var notName = map[string]bool{"I": true, "We": true, "You": true, "He": true, "She": true, "They": true, "It": true,
	"The": true, "Our": true, "My": true, "Your": true, "His": true, "Her": true, "Their": true, "Us": true, "Me": true,
	"This": true, "That": true, "These": true, "A": true, "An": true, "All": true}

func isNameToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) && !notName[t] && !strings.Contains(t, "@")
}

func evalThreads(ths []thread, verbose bool, w io.Writer) threadResult {
	var res threadResult
	for _, th := range ths {
		m := redact.NewMap()
		_, spans := redact.Redact(th.text, hintsFor(th), m)
		covered := func(ti int) bool {
			for _, s := range spans {
				if s.Start <= th.tokStart[ti] && th.tokEnd[ti] <= s.End {
					return true
				}
			}
			return false
		}
		for _, mn := range th.mentions {
			if mn.kind != 'P' && mn.kind != 'O' {
				continue
			}
			names := nameTokens(th, mn)
			if len(names) == 0 {
				continue
			}
			left := false
			for _, ti := range names {
				if !covered(ti) {
					left = true
				}
			}
			if mn.kind == 'P' {
				res.person++
				if left {
					res.personLeft++
				}
			} else {
				res.org++
				if left {
					res.orgLeft++
				}
			}
			if verbose && left {
				var s []string
				for ti := mn.start; ti < mn.end; ti++ {
					s = append(s, th.toks[ti])
				}
				fmt.Fprintf(w, "LEFT %c %q (%s)\n", mn.kind, strings.Join(s, " "), th.name)
			}
		}
		for ti, t := range th.toks {
			if strings.Contains(t, "@") && strings.Contains(t[strings.Index(t, "@"):], ".") {
				res.email++
				if !covered(ti) {
					res.emailLeft++
					if verbose {
						fmt.Fprintf(w, "LEFT email (%s)\n", th.name)
					}
				}
			}
		}
	}
	return res
}

type patternResult struct {
	person, personOn, personAny int // PERSON spans, on a P mention, on a P or O mention
	org, orgOn, orgAny          int
}

// patternPrecision runs Detect without hints over the threads and counts
// how many PERSON and ORG spans cover a token of a person or organisation
// mention: a proxy for the precision of the text patterns on real mail (the
// annotation marks mentions that corefer, so some true names are unmarked;
// the figure is a lower bound). Header lines are skipped: their names are
// hinted in practice.
func patternPrecision(ths []thread, verbose bool, w io.Writer) patternResult {
	var res patternResult
	for _, th := range ths {
		kindOf, header := mentionKinds(th), headerLines(th)
		for _, s := range redact.Detect(th.text, redact.Hints{}) {
			if s.Type != redact.TypePerson && s.Type != redact.TypeOrg {
				continue
			}
			on, any, skip := false, false, false
			for ti := range th.toks {
				if th.tokEnd[ti] <= s.Start || th.tokStart[ti] >= s.End {
					continue
				}
				if header[th.lineOf[ti]] {
					skip = true
				}
				if kindOf[ti] != 0 {
					any = true
				}
				if s.Type == redact.TypePerson && kindOf[ti] == 'P' || s.Type == redact.TypeOrg && kindOf[ti] == 'O' {
					on = true
				}
			}
			if skip {
				continue
			}
			if s.Type == redact.TypePerson {
				res.person++
				res.personOn += b2i(on)
				res.personAny += b2i(any)
			} else {
				res.org++
				res.orgOn += b2i(on)
				res.orgAny += b2i(any)
			}
			if verbose && !any {
				fmt.Fprintf(w, "UNMARKED %s %q (%s)\n", s.Type, s.Value, th.name)
			}
			if verbose && any && !on {
				r := []rune(th.text)
				fmt.Fprintf(w, "MISTYPED %s %q (%s) in %q\n", s.Type, s.Value, th.name, string(r[max(0, s.Start-60):min(len(r), s.End+40)]))
			}
		}
	}
	return res
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// listEnron prints, for the emailcoref threads outside the held-out third,
// every PERSON or ORG span of the text patterns (no hints) that lands on no
// person or organisation mention (FALSE), on a mention of the other type
// (MISTYPED), and every organisation mention that no ORG span covers (MISSED
// when nothing covers it, ASPERSON when a PERSON span does), each with its
// context. It writes to the terminal only: the lines quote the corpus and
// must never be stored in the repository.
func listEnron(w io.Writer) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	threads, err := loadThreads(filepath.Join(root, "..", "shared", "data", "pii", "emailcoref-train"))
	if err != nil {
		return err
	}
	ctx := func(th thread, a, b int) string {
		r := []rune(th.text)
		s := string(r[max(0, a-50):a]) + "[[" + string(r[a:b]) + "]]" + string(r[b:min(len(r), b+40)])
		return strings.ReplaceAll(s, "\n", " | ")
	}
	counts := map[string]int{}
	for _, th := range devThreads(threads) {
		kindOf, header := mentionKinds(th), headerLines(th)
		spans := redact.Detect(th.text, redact.Hints{})
		for _, s := range spans {
			if s.Type != redact.TypePerson && s.Type != redact.TypeOrg {
				continue
			}
			on, any, skip := false, false, false
			for ti := range th.toks {
				if th.tokEnd[ti] <= s.Start || th.tokStart[ti] >= s.End {
					continue
				}
				skip = skip || header[th.lineOf[ti]]
				any = any || kindOf[ti] != 0
				on = on || s.Type == redact.TypePerson && kindOf[ti] == 'P' || s.Type == redact.TypeOrg && kindOf[ti] == 'O'
			}
			switch {
			case skip || on:
			case !any:
				counts["FALSE "+s.Type]++
				fmt.Fprintf(w, "FALSE %s %s: %s\n", s.Type, th.name, ctx(th, s.Start, s.End))
			default:
				counts["MISTYPED "+s.Type]++
				fmt.Fprintf(w, "MISTYPED %s %s: %s\n", s.Type, th.name, ctx(th, s.Start, s.End))
			}
		}
		for _, mn := range th.mentions {
			if mn.kind != 'O' || header[th.lineOf[mn.start]] {
				continue
			}
			names := nameTokens(th, mn)
			if len(names) == 0 {
				continue
			}
			org, person := false, false
			for _, s := range spans {
				for _, ti := range names {
					if s.Start < th.tokEnd[ti] && th.tokStart[ti] < s.End {
						org = org || s.Type == redact.TypeOrg
						person = person || s.Type == redact.TypePerson
					}
				}
			}
			kind := ""
			switch {
			case org:
				counts["org mention typed ORG"]++
			case person:
				kind = "ASPERSON"
			default:
				kind = "MISSED"
			}
			if kind != "" {
				counts[kind]++
				fmt.Fprintf(w, "%s O %s: %s\n", kind, th.name, ctx(th, th.tokStart[mn.start], th.tokEnd[mn.end-1]))
			}
		}
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "# %s: %d\n", k, counts[k])
	}
	return nil
}

// mentionKinds marks each token of th with the kind of the person ('P') or
// organisation ('O') mention it is in (a person wins an overlap), else 0.
func mentionKinds(th thread) []byte {
	kindOf := make([]byte, len(th.toks))
	for _, mn := range th.mentions {
		if mn.kind != 'P' && mn.kind != 'O' {
			continue
		}
		for ti := mn.start; ti < mn.end; ti++ {
			if kindOf[ti] != 'P' {
				kindOf[ti] = mn.kind
			}
		}
	}
	return kindOf
}

// headerLines marks the lines of th that are mail header lines ("From: …").
func headerLines(th thread) []bool {
	header := make([]bool, len(th.lines))
	for li, ln := range th.lines {
		if len(ln) > 1 && th.toks[ln[1]] == ":" && headerNames[strings.ToLower(th.toks[ln[0]])] {
			header[li] = true
		}
	}
	return header
}

// nameTokens are the indexes of the tokens of mention mn that can be part
// of a name (isNameToken).
func nameTokens(th thread, mn mention) []int {
	var names []int
	for ti := mn.start; ti < mn.end; ti++ {
		if isNameToken(th.toks[ti]) {
			names = append(names, ti)
		}
	}
	return names
}

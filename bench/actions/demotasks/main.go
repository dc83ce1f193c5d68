// Command demotasks measures the tasks PAM extracts from the demo mailbox
// (internal/demo) against a hand-labelled truth
// (bench/actions/demo_truth.tsv): precision and recall of the tasks, and,
// for the tasks found, whether the due day and the status (open, done at
// the end of the thread) agree.
//
//	go run ./bench/actions/demotasks            # prints the table and the misses
//	go run ./bench/actions/demotasks -rules     # the rules tier instead of the model
//	go run ./bench/actions/demotasks -w         # also writes the section of bench/actions/results.md
//
// The demo mailbox is also the set the extractor's rules were developed
// on: these figures are development-set figures, not an estimate on
// unseen mail.
//
// Messages are grouped into threads by their first References id (else
// In-Reply-To, else their own Message-ID), as the store does; mail whose
// ground-truth kind is not "person" is marked Bulk, as the classifier's
// results do in pam tasks (so classification errors are not counted
// here; see bench/classify).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/testdata"
)

// now is the instant the demo is built for; the truth's dates assume it.
var now = time.Date(2024, 6, 5, 15, 0, 0, 0, time.UTC)

type truth struct {
	keys   []string
	kind   extract.Kind
	status extract.Status
	dues   []string // days; "-" none; "*" any
	title  string
}

type found struct {
	key  string // first source
	task extract.Task
}

func main() {
	rules := flag.Bool("rules", false, "score sentences with the rules tier (extract.Rules) instead of the model")
	write := flag.Bool("w", false, "write the section of bench/actions/results.md")
	flag.Parse()
	if err := run(*rules, *write); err != nil {
		fmt.Fprintln(os.Stderr, "demotasks:", err)
		os.Exit(1)
	}
}

func readTruth(path string) ([]truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []truth
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 5 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 5", path, n, len(c))
		}
		out = append(out, truth{keys: strings.Split(c[0], "|"), kind: extract.Kind(c[1]), status: extract.Status(c[2]),
			dues: strings.Split(c[3], "|"), title: c[4]})
	}
	return out, sc.Err()
}

func run(rules, write bool) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	want, err := readTruth(filepath.Join(root, "bench/actions/demo_truth.tsv"))
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(demo.UserZone)
	if err != nil {
		return err
	}
	var sc extract.Scorer = extract.Rules{}
	name := "rules tier (extract.Rules)"
	if !rules {
		m, err := extract.Default()
		if err != nil {
			return err
		}
		sc, name = m, "action model (embedded, "+m.Info().Name+")"
	}
	got, err := extractDemo(sc, loc)
	if err != nil {
		return err
	}
	r := score(want, got, loc)
	text := r.report(name)
	fmt.Print(text)
	if write && !rules {
		other, err := extractDemo(extract.Rules{}, loc)
		if err != nil {
			return err
		}
		text += "\nThe rules tier (what `pam` uses when the extract worker is down), same truth:\n\n" +
			score(want, other, loc).table() + history
		return writeSection(filepath.Join(root, "bench/actions/results.md"), text)
	}
	return nil
}

// extractDemo runs thread extraction over the demo mailbox.
func extractDemo(sc extract.Scorer, loc *time.Location) ([]found, error) {
	user := extract.Address{Name: demo.UserName, Email: demo.UserEmail}
	type thread struct{ msgs []extract.Message }
	threads := map[string]*thread{}
	var order []string
	for _, dm := range demo.Messages(now) {
		pm, err := mail.Parse(dm.Raw)
		if err != nil {
			continue
		}
		m := extract.FromMessage(pm, user)
		m.ID = dm.Key
		m.Bulk = dm.Kind != demo.KindPerson
		root := pm.MessageID
		if len(pm.References) > 0 {
			root = pm.References[0]
		} else if pm.InReplyTo != "" {
			root = pm.InReplyTo
		}
		th := threads[root]
		if th == nil {
			th = &thread{}
			threads[root] = th
			order = append(order, root)
		}
		th.msgs = append(th.msgs, m)
	}
	var out []found
	for _, root := range order {
		th := threads[root]
		sort.SliceStable(th.msgs, func(i, j int) bool { return th.msgs[i].Date.Before(th.msgs[j].Date) })
		tasks, err := extract.Thread(context.Background(), th.msgs, sc, extract.Options{Location: loc, User: user})
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			out = append(out, found{key: t.Source, task: t})
		}
	}
	return out, nil
}

type result struct {
	truth, extracted, matched int
	dueScored, dueOK          int
	statusOK                  int
	misses                    []string // truth not found
	extra                     []string // extracted, not in the truth
	wrongDue, wrongStatus     []string
}

var stop = map[string]bool{"the": true, "a": true, "an": true, "to": true, "of": true, "for": true, "and": true, "or": true,
	"me": true, "my": true, "your": true, "you": true, "it": true, "them": true, "this": true, "that": true, "on": true,
	"in": true, "with": true, "by": true, "please": true, "i": true, "we": true, "us": true, "our": true, "is": true,
	"are": true, "be": true, "do": true, "if": true, "at": true, "from": true, "what": true, "would": true, "could": true}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}) {
		w = strings.TrimSuffix(w, "s")
		if !stop[w] && len(w) > 1 {
			out[w] = true
		}
	}
	return out
}

func overlap(a, b string) int {
	wa, wb := words(a), words(b)
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	return n
}

// score matches each truth task to at most one extracted task of the same
// kind whose sources include one of its keys, sharing at least one content
// word, the pairs with most shared words first.
func score(want []truth, got []found, loc *time.Location) result {
	r := result{truth: len(want), extracted: len(got)}
	type pair struct{ w, g, n int }
	var pairs []pair
	for wi, w := range want {
		for gi, g := range got {
			if g.task.Kind != w.kind || !sharesKey(w.keys, g.task.Sources) {
				continue
			}
			if n := overlap(w.title, g.task.Title); n > 0 {
				pairs = append(pairs, pair{wi, gi, n})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].n > pairs[j].n })
	wUsed, gUsed := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if wUsed[p.w] || gUsed[p.g] {
			continue
		}
		wUsed[p.w], gUsed[p.g] = true, true
		r.matched++
		w, g := want[p.w], got[p.g].task
		day := "-"
		if !g.Due.IsZero() {
			day = g.Due.In(loc).Format("2006-01-02")
		}
		if w.dues[0] != "*" {
			r.dueScored++
			ok := false
			for _, d := range w.dues {
				ok = ok || d == day
			}
			if ok {
				r.dueOK++
			} else {
				r.wrongDue = append(r.wrongDue, fmt.Sprintf("%s %q: due %s, want %s", w.keys[0], g.Title, day, strings.Join(w.dues, " or ")))
			}
		}
		if g.Status == w.status {
			r.statusOK++
		} else {
			r.wrongStatus = append(r.wrongStatus, fmt.Sprintf("%s %q: %s, want %s", w.keys[0], g.Title, g.Status, w.status))
		}
	}
	for wi, w := range want {
		if !wUsed[wi] {
			r.misses = append(r.misses, fmt.Sprintf("%s [%s] %s", w.keys[0], w.kind, w.title))
		}
	}
	for gi, g := range got {
		if !gUsed[gi] {
			r.extra = append(r.extra, fmt.Sprintf("%s [%s] %s", g.key, g.task.Kind, g.task.Title))
		}
	}
	return r
}

func sharesKey(keys, sources []string) bool {
	for _, k := range keys {
		for _, s := range sources {
			if k == s {
				return true
			}
		}
	}
	return false
}

func pct(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f (%d/%d)", float64(a)/float64(b), a, b)
}

func (r result) table() string {
	var b strings.Builder
	p, rc := float64(r.matched)/float64(max(r.extracted, 1)), float64(r.matched)/float64(max(r.truth, 1))
	f1 := 0.0
	if p+rc > 0 {
		f1 = 2 * p * rc / (p + rc)
	}
	fmt.Fprintf(&b, "| precision | recall | F1 | due day right (of found, with a due in the truth) | status right (of found) |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %s | %s | %.2f | %s | %s |\n", pct(r.matched, r.extracted), pct(r.matched, r.truth), f1, pct(r.dueOK, r.dueScored), pct(r.statusOK, r.matched))
	return b.String()
}

func (r result) report(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sentences scored by the %s; %d hand-labelled tasks, %d extracted.\n\n", name, r.truth, r.extracted)
	b.WriteString(r.table())
	list := func(title string, xs []string) {
		if len(xs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, len(xs))
		for _, x := range xs {
			fmt.Fprintf(&b, "- %s\n", x)
		}
	}
	list("Extracted, not in the truth", r.extra)
	list("In the truth, not extracted", r.misses)
	list("Due day wrong", r.wrongDue)
	list("Status wrong", r.wrongStatus)
	return b.String()
}

// history records the figures before the statement-filter and title
// work, measured with this command on the extractor of commit 9a62e02.
const history = `
Before the statement filter and title work (the extractor as of commit 9a62e02, same command and
truth): model P 0.81 (44/54), R 0.80 (44/55), F1 0.81, due day 0.81 (26/32), status 0.93 (41/44);
rules tier P 0.85 (41/48), R 0.75 (41/55), F1 0.80. On this mailbox the sentence-form rules now
carry most of the decision, so the rules tier comes close to the model here; on the email-intent
sentences above it does not (F1 0.67 against 0.82). The remaining misses are a run-on sentence the
splitter does not cut ("shelf B. Bring the old one…"), Japanese mail, and a review request in a
code-host notification (list mail yields no tasks); the due-date misses are German and Russian
dates (the resolver reads English) and "that morning" pointing at a date in the quoted message.
`

const (
	begin = "<!-- demotasks: begin (go run ./bench/actions/demotasks -w) -->"
	end   = "<!-- demotasks: end -->"
)

// writeSection replaces the demotasks section of the results file (or
// appends it), leaving the rest as bench/actions wrote it.
func writeSection(path, text string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(old)
	section := begin + "\n## Tasks from the demo mailbox against a hand-labelled truth\n\n" +
		"Command: `go run ./bench/actions/demotasks -w` (truth: `bench/actions/demo_truth.tsv`, " +
		"55 tasks labelled by hand by message key). **Development-set figures**: the extractor's rules " +
		"(statement filter, titles) were tuned on this same mailbox, and the labeller had seen PAM's output " +
		"for it; they say how the demo reads, not how PAM does on unseen mail. The action model itself is " +
		"evaluated only by cross-validation above.\n\n" + text + end
	if i, j := strings.Index(s, begin), strings.Index(s, end); i >= 0 && j > i {
		s = s[:i] + section + s[j+len(end):]
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

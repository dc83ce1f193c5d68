// Command privacy measures the share of AI jobs answered without the cloud
// (what `pam privacy stats` reports) with escalation allowed: every job's
// policy auto, a monthly budget, and a Claude provider configured at a
// cloud-looking name that the egress dialer pins to a local recording fake
// (llmtest), so nothing leaves the machine.
//
//	go run ./bench/privacy [-write] [-enron N] [-spamassassin N]
//
// Jobs: classify on every message; extract and reply on the messages the
// product runs them on (not bulk or automated mail; reply not on the user's
// own); compose on the
// messages the classifier says need a reply, with an intent from a fixed
// list; prioritize on windows of 20 inbox messages; schedule (plan) on the
// tasks extracted from a mailbox with its free time. Each climbs the
// router's ladder (device tier → cloud) through the real router, gateway,
// redaction and ledger. Sets: the demo mailbox (internal/demo) and a fixed
// sample of ../shared/data/mail (every k-th file of Enron and of
// SpamAssassin in path order). It never copies the data anywhere; the
// ledger and job log go to a temporary directory that is removed.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/egress"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/llm/llmtest"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/redact"
	"github.com/pam-ai/pam/internal/reply"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/router/fallback"
	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// demoNow fixes the demo mailbox (its dates depend on now) so that runs are
// reproducible.
var demoNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// intents are what a user might type after `pam compose ID`, written for
// this benchmark: short answers the templates were written for and longer
// ones they were not. They are assigned to messages by a hash of the
// message's key, so every run uses the same pairs.
var intents = []string{
	"yes",
	"no thanks",
	"say yes, Thursday works",
	"thanks!",
	"tell them I'll get back to them next week",
	"ask which date they prefer",
	"decline politely, I'm travelling that week",
	"sure, happy to",
	"can't make it",
	"ask for the agenda",
	"say I agree with the numbers but want Legal to review the contract language before we sign, and suggest a call on Monday",
	"explain that the delay was caused by the vendor and propose a new timeline with two milestones",
	"forward this to the team",
	"push back gently on the deadline",
}

type cleanup []func()

func (c *cleanup) Cleanup(f func()) { *c = append(*c, f) }

type item struct {
	set, key string
	pm       *pam.Message
	flags    string // Maildir flags (demo only)
	folder   string
	user     extract.Address
	users    []string // all the user's addresses (user.Email first), as the classifier reads them
	owner    string   // the mailbox the message belongs to (Enron user, "demo", "spamassassin")
}

type env struct {
	rt      *router.Router
	gw      *llm.Gateway
	cloud   llm.Provider
	clf     *ml.Classifier
	act     *extract.Model
	jobsLog string
	spent   atomic.Int64                 // micro-dollars
	tally   map[string]map[string]*count // set → job → counts
	skipped map[string]map[string]int    // set → job → messages the product does not run the job on
}

type count struct {
	total, confident, denied, cloud, cloudFailed int
	reasons                                      map[string]int
}

func main() {
	write := flag.Bool("write", false, "also write bench/privacy/results.md")
	nEnron := flag.Int("enron", 300, "messages sampled from the Enron maildir")
	nSA := flag.Int("spamassassin", 100, "messages sampled from SpamAssassin")
	unseen := flag.Bool("unseen", false, "instead: the hand-labelled messages of the held-out users and dates (labels/kind.tsv), classified by models trained on the training part only; -write writes bench/privacy/unseen.md")
	flag.Parse()
	if err := run(context.Background(), *write, *nEnron, *nSA, *unseen); err != nil {
		fmt.Fprintln(os.Stderr, "bench/privacy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, write bool, nEnron, nSA int, unseen bool) error {
	start := time.Now()
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	mailDir := filepath.Join(root, "..", "shared", "data", "mail")
	if _, err := os.Stat(mailDir); err != nil {
		return fmt.Errorf("evaluation data: %w", err)
	}
	var cl cleanup
	defer func() {
		for i := len(cl) - 1; i >= 0; i-- {
			cl[i]()
		}
	}()
	tmp, err := os.MkdirTemp("", "pam-bench-privacy-")
	if err != nil {
		return err
	}
	cl.Cleanup(func() { os.RemoveAll(tmp) })

	// The cloud: a recording fake of the Messages API behind a name that
	// is not loopback, so the gateway treats it as cloud (redaction,
	// policy, ledger, approval). The dialer refuses any real egress.
	var escaped atomic.Int64
	srv := llmtest.NewClaude(&cl, func(n int, p llmtest.Prompt) llmtest.Reply {
		return llmtest.Reply{Text: answerFor(p.Schema), InTokens: int64(len(p.System)+len(p.User)) / 4, OutTokens: 50}
	})
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	base := "http://api.cloud.test" + port
	d := &egress.Dialer{
		Hosts: map[string]netip.Addr{"api.cloud.test": netip.MustParseAddr("127.0.0.1")},
		Check: func(network string, ap netip.AddrPort) error {
			if !ap.Addr().IsLoopback() {
				escaped.Add(1)
				return errors.New("bench: non-loopback connection refused")
			}
			return nil
		},
	}
	cloud, err := llm.NewClaude(llm.ClaudeConfig{BaseURL: base, APIKey: "bench-fake-key", HTTP: egress.NewClient(d, 0), MaxRetries: 0})
	if err != nil {
		return err
	}
	ledger, err := llm.OpenLedger(filepath.Join(tmp, "privacy-ledger.jsonl"))
	if err != nil {
		return err
	}
	defer ledger.Close()
	cfg := router.Config{MonthlyBudgetUSD: 100, Policies: map[string]router.Policy{},
		Cloud: &router.Provider{Kind: "claude", BaseURL: base, Model: llm.DefaultClaudeModel}}
	for _, j := range router.Jobs {
		cfg.Policies[j] = router.Auto
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	e := &env{cloud: cloud, jobsLog: filepath.Join(tmp, router.JobsFile), tally: map[string]map[string]*count{}, skipped: map[string]map[string]int{}}
	e.rt = &router.Router{Cfg: cfg, SpentUSD: func() float64 { return float64(e.spent.Load()) / 1e6 }}
	e.gw = &llm.Gateway{Policy: e.rt, Ledger: ledger}
	models, err := ml.Defaults()
	if err != nil {
		return err
	}
	var ms []*ml.Model
	for _, name := range []string{"spam", "kind", "needs_reply"} {
		if m := models[name]; m != nil {
			ms = append(ms, m)
		}
	}
	e.clf = ml.NewClassifier(ms...)
	if e.act, err = extract.Default(); err != nil {
		return err
	}

	var demoItems, evalItems []item
	if unseen {
		// Mail no model trained on: the shipped classifier trained on
		// every hand label (the demo and the unseen users' included), so
		// it is replaced by models trained the same way on the training
		// part only, as train-defaults -eval does.
		data, err := corpus.LoadKindData(mailDir, filepath.Join(root, "labels", "kind.tsv"))
		if err != nil {
			return err
		}
		spamM, kindM, replyM, err := corpus.TrainModels(data, nil, map[string]float64{})
		if err != nil {
			return err
		}
		e.clf = ml.NewClassifier(spamM, kindM, replyM)
		if evalItems, err = loadFiles(mailDir, data.Test); err != nil {
			return err
		}
	} else {
		var demoBusy []calendar.Interval
		if demoItems, demoBusy, err = loadDemo(); err != nil {
			return err
		}
		if evalItems, err = loadEval(mailDir, nEnron, nSA); err != nil {
			return err
		}
		if err := e.runSet(ctx, "demo", demoItems, demoBusy); err != nil {
			return err
		}
	}
	for _, set := range []string{"enron", "spamassassin"} {
		var its []item
		for _, it := range evalItems {
			if it.set == set {
				its = append(its, it)
			}
		}
		if err := e.runSet(ctx, set, its, nil); err != nil {
			return err
		}
	}

	recs, err := router.ReadJobs(e.jobsLog)
	if err != nil {
		return err
	}
	entries, torn, err := llm.ReadLedger(filepath.Join(tmp, "privacy-ledger.jsonl"))
	if err != nil || torn {
		return fmt.Errorf("ledger: torn=%v %v", torn, err)
	}
	sent := 0
	for _, en := range entries {
		if en.Kind == "sent" {
			sent++
		}
	}
	var b bytes.Buffer
	if unseen {
		fmt.Fprintf(&b, "**Unseen mail** (`-unseen`): the %d hand-labelled messages of the held-out Enron users and SpamAssassin dates of labels/kind.tsv, classified by spam, kind and needs_reply models trained on the training part only; no demo. The extract and reply calibrations (a few weights each) were fitted on all labels, these included.\n\n", len(evalItems))
	}
	report(&b, e, recs, len(demoItems), len(evalItems), nEnron, nSA)
	fmt.Fprintf(&b, "\nCloud requests: %d received by the fake, %d `sent` entries in the ledger, $%.2f spent of the $%.0f budget; non-loopback connection attempts: %d. Run time %.0f s (GOMAXPROCS=%d).\n",
		len(srv.Requests()), sent, float64(e.spent.Load())/1e6, cfg.MonthlyBudgetUSD, escaped.Load(), time.Since(start).Seconds(), runtime.GOMAXPROCS(0))
	os.Stdout.Write(b.Bytes())
	if len(srv.Requests()) != sent {
		return fmt.Errorf("the fake received %d requests but the ledger has %d sent entries", len(srv.Requests()), sent)
	}
	if write {
		out, cmd := filepath.Join(root, "bench", "privacy", "results.md"), "go run ./bench/privacy -write"
		if unseen {
			out, cmd = filepath.Join(root, "bench", "privacy", "unseen.md"), "go run ./bench/privacy -unseen -write"
		}
		head := "# Share of AI jobs answered without the cloud\n\nGenerated by `" + cmd + "` (" +
			time.Now().Format("2006-01-02") + ", " + runtime.GOOS + "/" + runtime.GOARCH + ").\n\n"
		if err := os.WriteFile(out, append([]byte(head), b.Bytes()...), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// answerFor is a well-behaved model: the smallest answer that matches the
// requested schema.
func answerFor(schema map[string]any) string {
	var val func(s map[string]any) any
	val = func(s map[string]any) any {
		if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
			return enum[0]
		}
		switch s["type"] {
		case "object":
			o := map[string]any{}
			props, _ := s["properties"].(map[string]any)
			req, _ := s["required"].([]any)
			for _, r := range req {
				k, _ := r.(string)
				ps, _ := props[k].(map[string]any)
				o[k] = val(ps)
			}
			return o
		case "array":
			return []any{}
		case "string":
			return "ok"
		case "number", "integer":
			return 0
		case "boolean":
			return false
		}
		return nil
	}
	return llm.MarshalAnswer(val(schema).(map[string]any))
}

func loadDemo() ([]item, []calendar.Interval, error) {
	msgs := demo.Messages(demoNow)
	// The user is the sender of the Sent folder.
	freq := map[string]int{}
	var parsed []*pam.Message
	for _, m := range msgs {
		pm, err := mail.Parse(m.Raw)
		if err != nil {
			pm = &pam.Message{}
		}
		parsed = append(parsed, pm)
		if m.Folder == "Sent" && len(pm.From) > 0 {
			freq[strings.ToLower(pm.From[0].Email)]++
		}
	}
	user := extract.Address{}
	for a, n := range freq {
		if n > freq[user.Email] {
			user.Email = a
		}
	}
	var out []item
	for i, m := range msgs {
		out = append(out, item{set: "demo", key: m.Key, pm: parsed[i], flags: m.Flags, folder: m.Folder, user: user, owner: "demo"})
	}
	cal, err := calendar.Parse(bytes.NewReader(demo.Calendar(demoNow)))
	if err != nil {
		return nil, nil, fmt.Errorf("demo calendar: %w", err)
	}
	busy := calendar.FreeBusy(cal, demoNow, demoNow.Add(7*24*time.Hour), time.UTC)
	return out, busy, nil
}

// loadEval samples every k-th regular file in path order.
func loadEval(dir string, nEnron, nSA int) ([]item, error) {
	var out []item
	for _, src := range []struct {
		sub string
		n   int
	}{{"enron", nEnron}, {"spamassassin", nSA}} {
		var files []string
		err := filepath.WalkDir(filepath.Join(dir, src.sub), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			n := de.Name()
			if de.Type().IsRegular() && !strings.HasPrefix(n, ".") && !strings.HasPrefix(n, "LICENSE") && !strings.HasPrefix(n, "README") && n != "cmds" {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		if src.n <= 0 || len(files) == 0 {
			continue
		}
		step := max(1, len(files)/src.n)
		for i := 0; i < len(files) && len(out) < 1<<20; i += step {
			if countSet(out, src.sub) >= src.n {
				break
			}
			raw, err := os.ReadFile(files[i])
			if err != nil {
				return nil, err
			}
			pm, err := mail.Parse(raw)
			if err != nil {
				continue
			}
			rel, _ := filepath.Rel(dir, files[i])
			owner := src.sub
			if src.sub == "enron" {
				owner = strings.SplitN(filepath.ToSlash(rel), "/", 3)[1]
			}
			out = append(out, item{set: src.sub, key: rel, pm: pm, owner: owner})
		}
	}
	return out, withOwners(dir, out)
}

// withOwners gives each Enron item its mailbox owner's addresses, as the
// user of that mailbox would have them configured (corpus.UserAddresses:
// the most frequent To address and the owner's aliases). Enron has no sent
// folders, from which the product would learn them (pipeline.UserAddresses);
// without them the classifier cannot see the user's place among the
// recipients and the extract and reply jobs cannot tell the user's own
// mail.
func withOwners(dir string, items []item) error {
	addrs := map[string][]string{}
	for i := range items {
		it := &items[i]
		if it.set != "enron" {
			continue
		}
		a, ok := addrs[it.owner]
		if !ok {
			fs, err := corpus.EnronFiles(dir, it.owner)
			if err != nil {
				return err
			}
			msgs := make([]wire.Message, 0, len(fs))
			for _, f := range fs {
				if m, err := corpus.Read(f.Path, nil); err == nil {
					msgs = append(msgs, m)
				}
			}
			a = corpus.UserAddresses(msgs, it.owner)
			addrs[it.owner] = a
		}
		if len(a) > 0 && a[0] != "" {
			it.users, it.user = a, extract.Address{Email: a[0]}
		}
	}
	return nil
}

// loadFiles reads the labelled messages ls (paths relative to dir) as
// evaluation items, in path order.
func loadFiles(dir string, ls []corpus.Labelled) ([]item, error) {
	rels := make([]string, 0, len(ls))
	for _, l := range ls {
		rels = append(rels, l.Rel)
	}
	sort.Strings(rels)
	var out []item
	for _, rel := range rels {
		raw, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return nil, err
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			continue
		}
		parts := strings.SplitN(filepath.ToSlash(rel), "/", 3)
		owner := parts[0]
		if owner == "enron" && len(parts) > 1 {
			owner = parts[1]
		}
		out = append(out, item{set: parts[0], key: rel, pm: pm, owner: owner})
	}
	return out, withOwners(dir, out)
}

func countSet(items []item, set string) int {
	n := 0
	for _, it := range items {
		if it.set == set {
			n++
		}
	}
	return n
}

// bulkKinds: the messages compose is not tried on (unchanged since the
// first run, so the compose set stays comparable).
var bulkKinds = map[string]bool{"spam": true, "promotion": true, "newsletter": true, "notification": true, "social": true}

// perMessage is what the per-message jobs found, for the list jobs.
type perMessage struct {
	it    item
	c     wire.Classification
	msg   extract.Message
	tasks []extract.Item
}

// runSet runs every job over items. busy is the calendar's busy time for
// the schedule job (nil: an empty calendar).
func (e *env) runSet(ctx context.Context, set string, items []item, busy []calendar.Interval) error {
	var per []perMessage
	for _, it := range items {
		users := it.users
		if len(users) == 0 && it.user.Email != "" {
			users = []string{it.user.Email}
		}
		c := e.clf.Classify([]wire.Message{ml.FromMessage(it.pm, users)})[0]
		text := it.pm.Subject + "\n" + it.pm.Text
		hints := hintsOf(it.pm)
		quote := []llm.Quote{{Label: "the message", Text: "Subject: " + it.pm.Subject + "\n\n" + it.pm.Text}}

		// classify
		kinds := []any{"person", "forum", "newsletter", "promotion", "notification", "social", "spam"}
		if err := e.job(ctx, set, router.JobClassify, it.key, text, router.Result{Confidence: router.ClassifyConfidence(c), Value: c},
			llm.Request{Job: router.JobClassify, Instructions: "Classify the message.", Data: quote, Hints: hints, SchemaName: "classification",
				Schema: obj(map[string]any{"kind": map[string]any{"type": "string", "enum": kinds}, "needs_reply": map[string]any{"type": "boolean"}}), MaxTokens: 100}); err != nil {
			return err
		}

		// extract, as the product runs it (tasks sync, cmd_tasks.go): not
		// on mail the classifier finds not personal (a kind other than
		// person, or spam >= 0.9) nor on automated mail — there the
		// extractor returns at once, no model looks at the message, and it
		// is not a job. Its confidence is taken over exactly the sentences
		// the extractor scores (its own cleaned text), each at the
		// threshold the extractor applies to it; rule-decided sentences add
		// no uncertainty.
		msg := extract.FromMessage(it.pm, it.user)
		msg.ID = it.key
		msg.Bulk = (c.Kind != "" && c.Kind != "person") || c.Spam >= 0.9
		var tasks []extract.Item
		if extract.Runs(msg) {
			ds := extract.Decisions(msg, extract.Options{})
			texts := make([]string, len(ds))
			for i, d := range ds {
				texts[i] = d.Text
			}
			probs, err := e.act.Score(ctx, texts)
			if err != nil {
				return err
			}
			certs := make([]float64, len(ds))
			for i, d := range ds {
				certs[i] = extract.DecisionCertainty(d, probs[i])
			}
			tasks, err = extract.Extract(ctx, msg, e.act, extract.Options{Location: time.UTC, User: it.user})
			if err != nil {
				return err
			}
			// As pam extract when escalation is allowed: the classifier's
			// needs_reply is evidence too.
			exConf := router.ExtractConfidence(certs)
			if !c.Degraded {
				// As extract_job.go: the more probable side when the
				// message most likely asks nothing (only when the user
				// is known, as pam extract --user and pam tasks).
				if !msg.FromUser && it.user.Email != "" && len(tasks) > 0 && extract.NeedsProb(certs, true, c.NeedsReply) < 0.5 {
					exConf = 1 - extract.NeedsProb(certs, true, c.NeedsReply)
					if tasks = extract.WithoutTodos(tasks); len(tasks) > 0 {
						exConf = router.ExtractConfidenceWith(certs, true, c.NeedsReply)
					}
				} else {
					exConf = router.ExtractConfidenceWith(certs, len(tasks) > 0, c.NeedsReply)
				}
			}
			taskSchema := obj(map[string]any{"tasks": map[string]any{"type": "array", "maxItems": 20, "items": obj(map[string]any{"title": map[string]any{"type": "string", "maxLength": 200}})}})
			if err := e.job(ctx, set, router.JobExtract, it.key, text, router.Result{Confidence: exConf, Value: tasks},
				llm.Request{Job: router.JobExtract, Instructions: "List what the message asks the user to do.", Data: quote, Hints: hints, SchemaName: "tasks", Schema: taskSchema, MaxTokens: 400}); err != nil {
				return err
			}
		} else {
			e.skip(set, router.JobExtract)
		}

		// reply (quick replies), as `pam reply` runs it (cmd_reply.go): the
		// trigger over the action probabilities of the body's own
		// sentences. The product does not pass the classifier's bulk
		// verdict to the trigger, so neither does this. The user's own
		// mail, automated mail and mail with no text of its own (and no
		// invitation) are excluded by the trigger's rules before any model:
		// not a job.
		rmsg := extract.FromMessage(it.pm, it.user)
		var rtexts []string
		for _, s := range extract.Sentences(extract.Body(rmsg.Text)) {
			rtexts = append(rtexts, s.Text)
		}
		if rmsg.FromUser || extract.Automated(rmsg) || (strings.TrimSpace(extract.Body(rmsg.Text)) == "" && !rmsg.Invite) {
			e.skip(set, router.JobReply)
		} else {
			rprobs, err := e.act.Score(ctx, rtexts)
			if err != nil {
				return err
			}
			rin := reply.Input{Msg: rmsg, Probs: rprobs}
			fires, _ := reply.Trigger(rin, 0.5)
			rev := reply.EvidenceOf(rin)
			// As pam reply: with the stored classification's needs_reply as
			// evidence, the calibrated probability decides.
			rp := reply.NeedsReplyProb(rev)
			if !c.Degraded {
				rev.Classifier, rev.HasClassifier = c.NeedsReply, true
				fires, rp = reply.Decide(rev)
			}
			rconf := router.ReplyConfidence(rp, fires)
			replySchema := obj(map[string]any{"replies": map[string]any{"type": "array", "maxItems": 3, "items": map[string]any{"type": "string", "maxLength": 300}}})
			if err := e.job(ctx, set, router.JobReply, it.key, text, router.Result{Confidence: rconf},
				llm.Request{Job: router.JobReply, Instructions: "Suggest up to three short replies, or none if the message needs no answer.", Data: quote, Hints: hints, SchemaName: "quick_replies", Schema: replySchema, MaxTokens: 300}); err != nil {
				return err
			}
		}

		// compose: the messages that need a reply
		if c.NeedsReply >= 0.5 && !msg.FromUser && !bulkKinds[c.Kind] {
			intent := intents[hash(it.key)%uint32(len(intents))]
			from := ""
			if len(it.pm.From) > 0 {
				from = it.pm.From[0].Name
			}
			_, conf := fallback.Compose(intent, fallback.Message{FromName: from, Subject: it.pm.Subject, Text: it.pm.Text}, "")
			if err := e.job(ctx, set, router.JobCompose, it.key, text, router.Result{Confidence: conf},
				llm.Request{Job: router.JobCompose, Instructions: "Draft a reply in the user's voice.", Task: intent, Data: quote, Hints: hints, SchemaName: "reply_draft",
					Schema: obj(map[string]any{"draft": map[string]any{"type": "string", "maxLength": 4000}}), MaxTokens: 800}); err != nil {
				return err
			}
		}
		per = append(per, perMessage{it: it, c: c, msg: msg, tasks: tasks})
	}

	// prioritize: windows of 20 inbox messages (not the user's, not spam),
	// oldest first, as `pam prioritize` ranks the 20 latest threads, with
	// what the device knows of each (kind, needs_reply, due to-dos).
	var inbox []perMessage
	for _, p := range per {
		if !p.msg.FromUser && p.c.Kind != "spam" && (p.it.folder == "" || p.it.folder == "INBOX") {
			inbox = append(inbox, p)
		}
	}
	sort.SliceStable(inbox, func(i, j int) bool { return inbox[i].it.pm.Date.Before(inbox[j].it.pm.Date) })
	orderSchema := obj(map[string]any{"order": map[string]any{"type": "array", "maxItems": 200, "items": map[string]any{"type": "string", "maxLength": 64}}})
	for w := 0; w+20 <= len(inbox); w += 20 {
		win := inbox[w : w+20]
		var items []fallback.Item
		var data strings.Builder
		now := win[len(win)-1].it.pm.Date.Add(24 * time.Hour)
		for i, p := range win {
			id := fmt.Sprintf("m%d", i+1)
			from := ""
			if len(p.it.pm.From) > 0 {
				from = p.it.pm.From[0].Name
			}
			// What the device knows, as pam prioritize reads it
			// (cmd_prioritize.go knownAbout): the classification and the
			// soonest due date of the to-dos extracted from the message.
			it := fallback.Item{ID: id, Title: p.it.pm.Subject, Received: p.it.pm.Date, Flagged: strings.Contains(p.it.flags, "F"),
				Unread: p.it.set == "demo" && !strings.Contains(p.it.flags, "S"), FromPerson: !machineSender(fromEmail(p.it.pm))}
			if !p.c.Degraded {
				it.Kind, it.NeedsReply = p.c.Kind, p.c.NeedsReply >= 0.5
			}
			for _, t := range p.tasks {
				if t.Kind == extract.Todo && !t.Due.IsZero() && (it.Due.IsZero() || t.Due.Before(it.Due)) {
					it.Due = t.Due
				}
			}
			items = append(items, it)
			fmt.Fprintf(&data, "id=%s | received %s | from %s | flagged=%v unread=%v | %s\n", id, it.Received.Format("2006-01-02"), from, it.Flagged, it.Unread, it.Title)
		}
		ranked, conf := fallback.Prioritize(items, now)
		key := fmt.Sprintf("%s/window-%d", set, w/20+1)
		if err := e.job(ctx, set, router.JobPrioritize, key, data.String(), router.Result{Confidence: conf, Value: ranked},
			llm.Request{Job: router.JobPrioritize, Instructions: "Rank the open items.", Data: []llm.Quote{{Label: "open items", Text: data.String()}}, SchemaName: "priority_order", Schema: orderSchema, MaxTokens: 2000}); err != nil {
			return err
		}
	}

	// schedule: per mailbox, the extracted to-dos placed into the week
	// after its last message (the demo's calendar, else an empty one).
	byOwner := map[string][]perMessage{}
	for _, p := range per {
		byOwner[p.it.owner] = append(byOwner[p.it.owner], p)
	}
	owners := make([]string, 0, len(byOwner))
	for o := range byOwner {
		owners = append(owners, o)
	}
	sort.Strings(owners)
	planSchema := obj(map[string]any{"blocks": map[string]any{"type": "array", "maxItems": 200, "items": obj(map[string]any{
		"task": map[string]any{"type": "string", "maxLength": 64}, "start": map[string]any{"type": "string", "maxLength": 40}, "end": map[string]any{"type": "string", "maxLength": 40}})}})
	for _, o := range owners {
		var tasks []fallback.Task
		var last time.Time
		for _, p := range byOwner[o] {
			if p.it.pm.Date.After(last) {
				last = p.it.pm.Date
			}
			for _, t := range p.tasks {
				if t.Kind != extract.Todo {
					continue
				}
				tasks = append(tasks, fallback.Task{ID: fmt.Sprintf("t%d", len(tasks)+1), Title: t.Title, Estimate: 30 * time.Minute, Due: t.Due, Priority: 1})
			}
		}
		if len(tasks) == 0 {
			continue
		}
		from := last
		if o == "demo" {
			from = demoNow
		}
		to := from.Add(7 * 24 * time.Hour)
		free := calendar.Free(busy, from, to, calendar.WorkHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
			Start: 9 * time.Hour, End: 17 * time.Hour, Loc: time.UTC}, 30*time.Minute)
		// Tasks due before the week starts cannot be placed; plan the rest.
		var open []fallback.Task
		for _, t := range tasks {
			if t.Due.IsZero() || t.Due.After(from) {
				open = append(open, t)
			}
		}
		if len(open) == 0 {
			continue
		}
		var data strings.Builder
		for _, t := range open {
			fmt.Fprintf(&data, "id=%s | %d min | due %v | priority %d | %s\n", t.ID, int(t.Estimate.Minutes()), t.Due, t.Priority, t.Title)
		}
		for _, f := range free {
			fmt.Fprintf(&data, "%s to %s\n", f.Start.Format(time.RFC3339), f.End.Format(time.RFC3339))
		}
		_, _, conf := fallback.Plan(open, free)
		if err := e.job(ctx, set, router.JobSchedule, set+"/"+o, data.String(), router.Result{Confidence: conf},
			llm.Request{Job: router.JobSchedule, Instructions: "Place the tasks into the free slots.", Data: []llm.Quote{{Label: "tasks and free slots", Text: data.String()}}, SchemaName: "week_plan", Schema: planSchema, MaxTokens: 2000}); err != nil {
			return err
		}
	}
	return nil
}

// machineSender is cmd_prioritize.go's rule for "not from a person" (a
// copy: the CLI's is unexported), so the bench ranks what the product
// ranks.
func machineSender(email string) bool {
	e := strings.ToLower(email)
	for _, s := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notifications", "notification", "mailer-daemon", "newsletter", "news@", "info@", "bounce", "updates@", "alerts@"} {
		if strings.Contains(e, s) {
			return true
		}
	}
	return false
}

func fromEmail(m *pam.Message) string {
	if len(m.From) == 0 {
		return ""
	}
	return m.From[0].Email
}

// skip counts a job the product does not run on this message.
func (e *env) skip(set, job string) {
	if e.skipped[set] == nil {
		e.skipped[set] = map[string]int{}
	}
	e.skipped[set][job]++
}

func obj(props map[string]any) map[string]any {
	req := make([]string, 0, len(props))
	for k := range props {
		req = append(req, k)
	}
	sort.Strings(req)
	return map[string]any{"type": "object", "required": req, "properties": props}
}

func hintsOf(m *pam.Message) redact.Hints {
	var h redact.Hints
	for _, list := range [][]pam.Address{m.From, m.To, m.Cc, m.ReplyTo} {
		for _, a := range list {
			if a.Name != "" {
				h.People = append(h.People, a.Name)
			}
			if a.Email != "" {
				h.Emails = append(h.Emails, a.Email)
			}
		}
	}
	return h
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// job climbs the ladder for one job: the device's answer local, then the
// cloud through the gateway, as the CLI does.
func (e *env) job(ctx context.Context, set, job, key, text string, local router.Result, req llm.Request) error {
	d := e.rt.Decide(ctx, router.Input{Job: job, Text: text})
	steps := []router.Step{
		{Tier: router.Embedded, Name: "device", Run: func(context.Context) (router.Result, error) { return local, nil }},
		{Tier: router.Cloud, Name: "claude (fake)", Run: func(ctx context.Context) (router.Result, error) {
			ans, err := e.gw.Complete(ctx, e.cloud, req)
			if err != nil {
				return router.Result{}, err
			}
			e.spent.Add(ans.CostMicroUSD)
			return router.Result{Confidence: 0.9, Value: ans.Value}, nil
		}},
	}
	out, err := e.rt.Run(ctx, d, steps)
	if err != nil {
		return fmt.Errorf("%s %s: %w", job, key, err)
	}
	if err := router.AppendJob(e.jobsLog, router.JobRecord{Time: time.Now().UTC(), Job: job, Item: set + "\x00" + key, Tier: out.Tier, Cloud: out.Cloud, Confidence: out.Confidence}); err != nil {
		return err
	}
	if e.tally[set] == nil {
		e.tally[set] = map[string]*count{}
	}
	c := e.tally[set][job]
	if c == nil {
		c = &count{reasons: map[string]int{}}
		e.tally[set][job] = c
	}
	c.total++
	switch {
	case out.Cloud:
		c.cloud++
	case local.Confidence >= 0.75:
		c.confident++
	case d.MaxTier < router.Cloud:
		c.denied++
		r := "other"
		if len(d.Sensitive) > 0 {
			r = "sensitive: " + strings.Join(d.Sensitive, "+")
		} else if n := len(d.Reasons); n > 0 {
			r = d.Reasons[n-1]
		}
		c.reasons[r]++
	default:
		c.cloudFailed++
		for _, a := range out.Trail {
			if a.Error != "" {
				c.reasons["cloud failed: "+a.Error]++
			}
		}
	}
	return nil
}

func report(b *bytes.Buffer, e *env, recs []router.JobRecord, nDemo, nEval, nEnron, nSA int) {
	fmt.Fprintf(b, "Escalation allowed: every job's policy `auto`, budget $100/month, cloud = Claude at a non-loopback name pinned to a local recording fake (`llmtest`); no local LLM. Threshold %.2f (router default). ", 0.75)
	fmt.Fprintf(b, "Demo mailbox: %d messages (now = %s). Evaluation set: %d messages (every k-th file in path order: up to %d of ../shared/data/mail/enron, %d of spamassassin).\n\n", nDemo, demoNow.Format(time.RFC3339), nEval, nEnron, nSA)
	fmt.Fprintln(b, "'not run (rule)' = messages on which the product does not run the job (extract: bulk by the classifier or automated; reply: the user's own, automated, or no text of its own) — no model is involved and they are not counted as jobs; 'confident' = the device's answer reached the threshold; 'kept local' = the cloud was not allowed for this data (sensitivity); 'cloud' = answered by the cloud tier.")
	bySet := map[string][]router.JobRecord{}
	for _, r := range recs {
		set, _, _ := strings.Cut(r.Item, "\x00")
		bySet[set] = append(bySet[set], r)
	}
	for _, set := range []string{"demo", "enron", "spamassassin"} {
		s := router.Summarise(bySet[set])
		fmt.Fprintf(b, "\n## %s\n\n| job | not run (rule) | jobs | confident | kept local | cloud | answered without the cloud |\n|---|---:|---:|---:|---:|---:|---:|\n", set)
		for _, j := range router.Jobs {
			c := e.tally[set][j]
			if c == nil {
				continue
			}
			fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %d | %.1f%% |\n", j, e.skipped[set][j], c.total, c.confident, c.denied, c.cloud, 100*float64(c.total-c.cloud)/float64(c.total))
		}
		fmt.Fprintf(b, "| **all** | | %d | | | %d | **%.1f%%** |\n", s.Total, s.Cloud, 100*s.LocalShare)
		var rs []string
		for _, j := range router.Jobs {
			if c := e.tally[set][j]; c != nil {
				for r, n := range c.reasons {
					rs = append(rs, fmt.Sprintf("%s: %s ×%d", j, r, n))
				}
			}
		}
		sort.Strings(rs)
		if len(rs) > 0 {
			fmt.Fprintf(b, "\nWhy the cloud was not used although the device was unsure: %s.\n", strings.Join(rs, "; "))
		}
	}
	ev := router.Summarise(append(append([]router.JobRecord(nil), bySet["enron"]...), bySet["spamassassin"]...))
	fmt.Fprintf(b, "\n## Evaluation set (Enron + SpamAssassin)\n\n%d jobs, %d answered by the cloud: **%.1f%% answered without the cloud**.\n", ev.Total, ev.Cloud, 100*ev.LocalShare)
	fmt.Fprintf(b, "\n| job | jobs | cloud | answered without the cloud |\n|---|---:|---:|---:|\n")
	for _, j := range ev.JobNames() {
		r := ev.ByJob[j]
		fmt.Fprintf(b, "| %s | %d | %d | %.1f%% |\n", j, r.Total, r.Cloud, 100*float64(r.Total-r.Cloud)/float64(r.Total))
	}
	all := router.Summarise(recs)
	fmt.Fprintf(b, "\n## Both sets\n\n%d jobs, %d answered by the cloud: **%.1f%% answered without the cloud** (target ≥ 90%%).\n", all.Total, all.Cloud, 100*all.LocalShare)
	fmt.Fprintf(b, "\n| job | jobs | cloud | answered without the cloud |\n|---|---:|---:|---:|\n")
	for _, j := range all.JobNames() {
		r := all.ByJob[j]
		fmt.Fprintf(b, "| %s | %d | %d | %.1f%% |\n", j, r.Total, r.Cloud, 100*float64(r.Total-r.Cloud)/float64(r.Total))
	}
	calTotal, calCloud := 0, 0
	for _, j := range []string{router.JobClassify, router.JobExtract, router.JobReply} {
		calTotal += all.ByJob[j].Total
		calCloud += all.ByJob[j].Cloud
	}
	fmt.Fprintf(b, "\nJobs whose confidence is a model's calibrated probability (classify, extract, reply): %d, %.1f%% answered without the cloud; jobs with hand-set fallback confidences (compose, prioritize, schedule): %d, %.1f%%.\n",
		calTotal, 100*float64(calTotal-calCloud)/float64(max(1, calTotal)), all.Total-calTotal, 100*float64(all.Total-calTotal-(all.Cloud-calCloud))/float64(max(1, all.Total-calTotal)))
	// Without the sensitivity rule: what the share would be if every unsure
	// job could have gone.
	unsure := 0
	for _, set := range []string{"demo", "enron", "spamassassin"} {
		for _, c := range e.tally[set] {
			unsure += c.cloud + c.denied + c.cloudFailed
		}
	}
	fmt.Fprintf(b, "Jobs where the device was below the threshold (would have escalated if nothing else held them back): %d (%.1f%%).\n", unsure, 100*float64(unsure)/float64(max(1, all.Total)))
}

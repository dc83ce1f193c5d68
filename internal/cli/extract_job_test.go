package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/router"
)

// pam extract climbs like the other jobs when allowed and unsure; by
// default it answers on the device and sends nothing.
func TestExtractJobEscalates(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	msg := "From: Dana Whitmore <dana.whitmore@example.org>\r\nTo: Alex Kern <alex.kern@example.net>\r\nSubject: budget review\r\n" +
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\nMessage-ID: <ex1@example.org>\r\n\r\nHi Alex,\r\n\r\nThe numbers look off in places. " +
		"I was wondering whether the vendor line could be looked at again before the board sees it, maybe by Friday. " +
		"Also the travel budget seems high to me. Let me know what you think.\r\n\r\nDana\r\n"
	file := filepath.Join(dir, "m.eml")
	os.WriteFile(file, []byte(msg), 0o600)
	decode := func(out string) extractJSON {
		t.Helper()
		var r extractJSON
		if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r); err != nil {
			t.Fatalf("pam extract --json = %q: %v", out, err)
		}
		return r
	}
	out, errb, code := run(t, home, "", "extract", "--json", "--tz", "UTC", file)
	if code != 0 {
		t.Fatalf("extract: exit %d %s", code, errb)
	}
	if r := decode(out); r.Tier != router.Embedded.String() {
		t.Fatalf("default policy: tier %q; want the embedded model", r.Tier)
	}
	fake := cloudFake(t, home, router.JobExtract, `{"tasks": [{"title": "Review the vendor line of the budget", "due_text": "by Friday"}]}`)
	out, errb, code = run(t, home, "", "extract", "--json", "--tz", "UTC", file)
	if code != 0 {
		t.Fatalf("extract (allowed): exit %d %s", code, errb)
	}
	r := decode(out)
	if r.Tier != router.Cloud.String() || len(r.Tasks) != 1 || r.Tasks[0].Title != "Review the vendor line of the budget" ||
		r.Tasks[0].Due == nil || !strings.HasPrefix(*r.Tasks[0].Due, "2026-03-06") {
		due := ""
		if len(r.Tasks) == 1 && r.Tasks[0].Due != nil {
			due = *r.Tasks[0].Due
		}
		t.Fatalf("allowed extract = %+v due %q; want the cloud's task due Friday 6 March", r, due)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	for _, known := range []string{"Dana Whitmore", "dana.whitmore@example.org", "alex.kern@example.net", "Whitmore"} {
		if strings.Contains(string(reqs[0].Body), known) {
			t.Errorf("the request carries %q in clear", known)
		}
	}
	entries, _, _ := llm.ReadLedger(filepath.Join(home, ledgerFile))
	if len(llm.Pair(entries)) != 1 {
		t.Errorf("ledger holds %d exchanges, want 1", len(llm.Pair(entries)))
	}
	jobs, err := router.ReadJobs(filepath.Join(home, router.JobsFile))
	if err != nil || len(jobs) != 2 || jobs[0].Job != router.JobExtract || jobs[1].Tier != router.Cloud.String() {
		t.Errorf("job log = %+v, %v; want the two extract jobs, the second answered by the cloud", jobs, err)
	}
}

// When the extract job may climb and the user is named, its confidence
// reads the needs_reply classifier (a classify worker): a plain FYI note with no items is then
// answered on the device with a confidence the classifier backs, and
// nothing is sent.
func TestExtractConfidenceReadsTheClassifier(t *testing.T) {
	home := t.TempDir()
	file := filepath.Join(t.TempDir(), "fyi.eml")
	os.WriteFile(file, []byte("From: Dana Whitmore <dana.whitmore@example.org>\r\nTo: Alex Kern <alex.kern@example.net>\r\nSubject: minutes of the review\r\n"+
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\nMessage-ID: <fyi1@example.org>\r\n\r\nHi Alex,\r\n\r\nThe minutes of Monday's review are below for your records. "+
		"The team agreed on the plan and the budget stays as it was. Nothing is needed from you.\r\n\r\nDana\r\n"), 0o600)
	jobConf := func() float64 {
		t.Helper()
		jobs, err := router.ReadJobs(filepath.Join(home, router.JobsFile))
		if err != nil || len(jobs) == 0 {
			t.Fatalf("job log: %v, %d records", err, len(jobs))
		}
		return jobs[len(jobs)-1].Confidence
	}
	if _, errb, code := run(t, home, "", "extract", "--json", "--user", "alex.kern@example.net", file); code != 0 {
		t.Fatalf("extract: %s", errb)
	}
	without := jobConf()
	fake := cloudFake(t, home, router.JobExtract, `{"tasks": []}`)
	cfg, _ := router.LoadConfig(filepath.Join(home, router.ConfigFile))
	cfg.Threshold = 0.75
	router.SaveConfig(filepath.Join(home, router.ConfigFile), cfg)
	out, errb, code := run(t, home, "", "extract", "--json", "--user", "alex.kern@example.net", file)
	if code != 0 {
		t.Fatalf("extract (allowed): %s", errb)
	}
	with := jobConf()
	var r extractJSON
	json.Unmarshal([]byte(strings.TrimSpace(out)), &r)
	if with == without || with < 0.75 || r.Tier != router.Embedded.String() || len(fake.Requests()) != 0 {
		t.Errorf("FYI note: confidence %.3f without the classifier, %.3f with it; tier %q, %d requests; want a different, confident answer on the device and nothing sent",
			without, with, r.Tier, len(fake.Requests()))
	}
	// Without the user's address the classifier is not asked: the
	// device's own confidence stands, too low here, so the job climbs.
	out, errb, code = run(t, home, "", "extract", "--json", file)
	if code != 0 {
		t.Fatalf("extract (allowed, no --user): %s", errb)
	}
	json.Unmarshal([]byte(strings.TrimSpace(out)), &r)
	if without >= 0.75 || r.Tier != router.Cloud.String() || len(fake.Requests()) != 1 {
		t.Errorf("no --user: tier %q, %d requests; want the classifier-free confidence %.3f to climb", r.Tier, len(fake.Requests()), without)
	}
}

// The extract job answers with the more probable side: when the
// needs_reply evidence says the message most likely asks nothing although
// Extract found a request in it, the device's answer is "no to-dos", with
// the confidence of that answer; when it says the message asks, the
// to-dos stay.
func TestExtractJobMoreProbableSide(t *testing.T) {
	ctx := context.Background()
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Home: t.TempDir()}
	raw := []byte("From: Dana Whitmore <dana.whitmore@example.org>\r\nTo: Alex Kern <alex.kern@example.net>\r\nSubject: slides\r\n" +
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\nMessage-ID: <side1@example.org>\r\n\r\nHi Alex,\r\n\r\nCould you send me the slides by Friday?\r\n\r\nDana\r\n")
	sc, err := newActionModel(env)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	p, err := openPrivacy(env, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	opts := extract.Options{Location: time.UTC, User: extract.Address{Email: "alex.kern@example.net"}}
	found, _, err := extractJob(ctx, nil, raw, sc, opts, nil)
	if err != nil || len(found) == 0 {
		t.Fatalf("extract without the classifier = %+v, %v; want the request as a to-do", found, err)
	}
	lastConf := func() float64 {
		t.Helper()
		jobs, err := router.ReadJobs(filepath.Join(env.Home, router.JobsFile))
		if err != nil || len(jobs) == 0 {
			t.Fatalf("job log: %v, %d records", err, len(jobs))
		}
		return jobs[len(jobs)-1].Confidence
	}
	for _, c := range []struct {
		clf       float64
		wantItems bool
	}{{0.001, false}, {0.99, true}} {
		clf := func(context.Context, *pam.Message) (float64, bool) { return c.clf, true }
		items, tier, err := extractJob(ctx, p, raw, sc, opts, clf)
		if err != nil || tier != router.Embedded.String() {
			t.Fatalf("classifier %.3f: tier %q, %v", c.clf, tier, err)
		}
		if got := len(items) > 0; got != c.wantItems {
			t.Errorf("classifier %.3f: items %+v; want items %v", c.clf, items, c.wantItems)
		}
		if conf := lastConf(); conf < 0.5 {
			t.Errorf("classifier %.3f: confidence %.3f of the answer given; the more probable side is at least 0.5", c.clf, conf)
		}
	}
}

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/router"
)

// With a classify policy, the import pipeline's unsure classifications
// climb (redacted, ledgered, schema-checked); a sure one stays; without a
// policy nothing is asked and nothing is logged.
func TestClassifyJobEscalatesInThePipeline(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	os.MkdirAll(dir, 0o700)
	for i := 0; i < 3; i++ {
		msg := fmt.Sprintf("From: Rosa Lindqvist <rosa.lindqvist@example.org>\r\nTo: me@example.net\r\nSubject: note %d\r\nMessage-ID: <cj%d@example.org>\r\n"+
			"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\n\r\nA few words about the garden, number %d.\r\n", i, i, i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", i)), []byte(msg), 0o600)
	}
	// No policy: nothing asked, nothing logged.
	plain := filepath.Join(t.TempDir(), "plain")
	if _, errb, code := run(t, plain, "", "import", dir); code != 0 {
		t.Fatalf("import: %s", errb)
	}
	if jobs, _ := router.ReadJobs(filepath.Join(plain, router.JobsFile)); len(jobs) != 0 {
		t.Fatalf("without a policy: %d jobs logged, want none", len(jobs))
	}
	// Policy auto with a threshold no classifier reaches: every message climbs.
	home := filepath.Join(t.TempDir(), "home")
	fake := cloudFake(t, home, router.JobClassify, `{"kind": "forum", "needs_reply": false, "spam": false}`)
	if _, errb, code := run(t, home, "", "import", dir); code != 0 {
		t.Fatalf("import (policy auto): %s", errb)
	}
	reqs := fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want one per message (3)", len(reqs))
	}
	for _, r := range reqs {
		if strings.Contains(string(r.Body), "Lindqvist") || strings.Contains(string(r.Body), "rosa.lindqvist@") {
			t.Fatal("a classify request carries the sender in clear")
		}
	}
	st, err := openStore(t.Context(), &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	var forum int
	st.DB().QueryRow("SELECT count(*) FROM classifications WHERE kind = 'forum'").Scan(&forum)
	st.Close()
	if forum != 3 {
		t.Errorf("%d classifications stored as the cloud's 'forum', want 3", forum)
	}
	entries, _, _ := llm.ReadLedger(filepath.Join(home, ledgerFile))
	jobs, _ := router.ReadJobs(filepath.Join(home, router.JobsFile))
	if len(llm.Pair(entries)) != 3 || len(jobs) != 3 || jobs[0].Job != router.JobClassify || !jobs[0].Cloud {
		t.Errorf("ledger %d exchanges, job log %+v; want 3 cloud classify jobs", len(llm.Pair(entries)), jobs)
	}
	// A broken privacy.json does not stop classification.
	os.WriteFile(filepath.Join(home, router.ConfigFile), []byte("{"), 0o600)
	os.WriteFile(filepath.Join(dir, "4.eml"), []byte("From: x@example.org\r\nSubject: four\r\n\r\nfour\r\n"), 0o600)
	if _, errb, code := run(t, home, "", "import", dir); code != 0 || !strings.Contains(errb, "privacy settings unreadable") {
		t.Errorf("import with a broken privacy.json: exit %d, %q", code, errb)
	}
}

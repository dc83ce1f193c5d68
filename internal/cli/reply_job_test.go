package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/llm/llmtest"
	"github.com/pam-ai/pam/internal/router"
)

// The reply job climbs to a local LLM server when the device is unsure
// and the user allowed it: the request is redacted, ledgered and
// schema-checked; with the default policy nothing is sent.
func TestReplyJobEscalates(t *testing.T) {
	home, id := importedHome(t)
	// Default policy (never): the device answers, nothing leaves, the job is logged.
	out, errb, code := run(t, home, "", "reply", "--json", id)
	var res replyJobResult
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("reply --json: exit %d %q %s", code, out, errb)
	}
	if res.Tier != router.Embedded.String() || res.Cloud || len(res.Outcome.Trail) != 1 {
		t.Fatalf("default policy: tier %q cloud %v trail %+v; want the embedded model alone", res.Tier, res.Cloud, res.Outcome.Trail)
	}
	// Allowed, with a threshold the device cannot reach: the cloud answers.
	// The cloud is a name that is not loopback, pinned by the user's hosts
	// setting to the recording fake, so the gateway treats it as cloud.
	fake := cloudFake(t, home, router.JobReply, `{"needs_reply": true, "replies": ["Thanks, Thursday works for me.", "Could we do Friday instead?"]}`)
	out, errb, code = run(t, home, "", "reply", "--json", id)
	res = replyJobResult{}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("reply --json (allowed): exit %d %q %s", code, out, errb)
	}
	if res.Tier != router.Cloud.String() || !res.Cloud || len(res.Suggestions) != 2 || res.Suggestions[1].Text != "Could we do Friday instead?" {
		t.Fatalf("allowed reply job = tier %q cloud %v suggestions %+v trail %+v; want the cloud's two replies", res.Tier, res.Cloud, res.Suggestions, res.Outcome.Trail)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests reached the cloud, want 1", len(reqs))
	}
	p, err := llmtest.DecodeClaude(reqs[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tools || p.Schema == nil {
		t.Errorf("request offered tools %v, schema %v; want no tools and the quick_replies schema", p.Tools, p.Schema)
	}
	body := string(reqs[0].Body)
	for _, known := range knownValues(t, home, id) {
		if strings.Contains(body, known) {
			t.Errorf("the request carries %q in clear", known)
		}
	}
	entries, _, _ := llm.ReadLedger(filepath.Join(home, ledgerFile))
	if ex := llm.Pair(entries); len(ex) != 1 || ex[0].Sent.Body != body {
		t.Errorf("ledger holds %d exchanges; want the one request, with exactly the bytes sent", len(ex))
	}
	// A dry run shows the payload and sends nothing.
	out, _, code = run(t, home, "", "reply", "--dry-run", id)
	if code != 0 || !strings.Contains(out, "dry run — nothing sent") || len(fake.Requests()) != 1 {
		t.Errorf("reply --dry-run: exit %d, %d requests, %q", code, len(fake.Requests()), out)
	}
	out, _, _ = run(t, home, "", "privacy", "stats")
	if !strings.Contains(out, "reply") {
		t.Errorf("privacy stats does not count the reply jobs:\n%s", out)
	}
}

// knownValues are the sender's and recipients' names and addresses of
// message id, which must never leave the device in clear.
func knownValues(t *testing.T, home, id string) []string {
	t.Helper()
	st, err := openStore(t.Context(), &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, m, _, err := messageInput(t.Context(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	h := hintsOf(m)
	var out []string
	for _, v := range append(h.People, h.Emails...) {
		if len(v) > 3 {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatal("the message has no names or addresses to check")
	}
	return out
}

// cloudFake starts a recording fake of the Claude API behind a name that is
// not loopback (pinned by the hosts setting to the fake), allows job
// (policy auto, a budget, a key) with a threshold no device answer reaches,
// and returns the fake: every such job climbs to it and the gateway treats
// it as cloud (redaction, ledger).
func cloudFake(t *testing.T, home, job, answer string) *llmtest.Server {
	t.Helper()
	fake := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) llmtest.Reply {
		return llmtest.Reply{Text: answer, InTokens: 200, OutTokens: 20}
	})
	port := fake.URL[strings.LastIndexByte(fake.URL, ':'):]
	cfg := router.Config{Threshold: 0.999, MonthlyBudgetUSD: 5, Policies: map[string]router.Policy{job: router.Auto},
		Cloud: &router.Provider{Kind: "claude", BaseURL: "http://api.cloud.test" + port, Model: "claude-test"},
		Hosts: map[string]string{"api.cloud.test": "127.0.0.1"}}
	os.MkdirAll(home, 0o700)
	if err := router.SaveConfig(filepath.Join(home, router.ConfigFile), cfg); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANTHROPIC_API_KEY", "sk-test-key")
	return fake
}

// A reply promises by a deadline the message gives ("by Friday"), never by
// a moment it names ("starting Monday").
func TestReplyPromisesOnlyByADeadline(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "Mail")
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o700)
	}
	msgs := map[string]string{
		"deadline": "Subject: the budget sheet\r\nMessage-ID: <dl1@example.org>\r\n\r\nHi Alex,\r\n\r\nCould you send me the budget sheet by Friday?\r\n\r\nThanks,\r\nDana\r\n",
		"moment":   "Subject: on-call\r\nMessage-ID: <mo1@example.org>\r\n\r\nHi Alex,\r\n\r\nCould you take my on-call week starting Monday?\r\n\r\nThanks,\r\nDana\r\n",
	}
	for name, body := range msgs {
		raw := "From: Dana Whitmore <dana.whitmore@example.org>\r\nTo: Alex Kern <alex.kern@example.net>\r\nDate: Tue, 3 Mar 2026 09:00:00 +0000\r\n" + body
		if err := os.WriteFile(filepath.Join(dir, "cur", name+":2,S"), []byte(raw), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, errb, code := run(t, home, "", "import", "--no-ai", dir); code != 0 {
		t.Fatalf("import: %s", errb)
	}
	for subject, wantBy := range map[string]bool{"budget": true, "on-call": false} {
		out, _, code := run(t, home, "", "search", "--json", "subject:"+subject)
		var hit struct{ ID string }
		if code != 0 || json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &hit) != nil || hit.ID == "" {
			t.Fatalf("search %s: %q", subject, out)
		}
		out, errb, code := run(t, home, "", "reply", "--force", "--tz", "UTC", hit.ID)
		if code != 0 {
			t.Fatalf("reply %s: exit %d %s", subject, code, errb)
		}
		if got := strings.Contains(out, "have it by"); got != wantBy {
			t.Errorf("reply to %q = %q; promise by a date: %v, want %v", subject, out, got, wantBy)
		}
	}
}

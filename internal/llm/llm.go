// Package llm talks to large language models: Claude through Anthropic's
// official Go SDK and any OpenAI-compatible chat server the user runs
// (Ollama, llama.cpp's server, LM Studio, vLLM). The Gateway wraps every
// call: untrusted text is quoted between random delimiters, a call to a
// non-loopback provider is policy-checked, redacted (internal/redact),
// written to the Ledger and fsynced before it leaves, and the answer is
// validated against a JSON schema and restored locally.
//
// A provider is cloud when its base URL is not loopback, whatever it is
// called (see doc/design/privacy.md). No call carries tools; nothing in an
// answer is acted upon here.
package llm

import (
	"context"
	"errors"
	"fmt"

	"github.com/pam-ai/pam/internal/egress"
)

// Errors.
var (
	// ErrDenied: the policy does not allow this call.
	ErrDenied = errors.New("llm: call not allowed by policy")
	// ErrLedger: the ledger entry could not be written; nothing was sent.
	ErrLedger = errors.New("llm: ledger not writable, nothing sent")
	// ErrSchema: the answer does not match the requested schema.
	ErrSchema = errors.New("llm: answer does not match the schema")
)

// Call is one prepared model call, as it will be encoded: PAM's own
// instructions (System) and the user turn (User), which holds the quoted
// untrusted data. For a cloud provider User is already redacted.
type Call struct {
	Job        string
	System     string
	User       string
	SchemaName string
	Schema     map[string]any // JSON schema of the answer (an object); nil for free text
	MaxTokens  int
}

// Result is a provider's answer to a Call.
type Result struct {
	Text         string // the answer text (JSON when a schema was given)
	Model        string // the model that answered, as reported
	InputTokens  int64
	OutputTokens int64
	// Raw is the response body as received.
	Raw []byte
}

// Provider encodes and sends calls to one model server.
//
// Encode must be deterministic and Send must put exactly body on the wire:
// the gateway ledgers the bytes that Encode returns before Send runs, and
// the egress transport refuses a different body. Send is safe for
// concurrent use; it retries on 429 and 5xx with backoff and honours ctx.
type Provider interface {
	Name() string    // "claude", "openai"
	BaseURL() string // decides cloud (non-loopback) or local
	Model() string
	Encode(c Call) ([]byte, error)
	Send(ctx context.Context, body []byte) (Result, error)
	// Cost returns the cost in micro-dollars of a call with these token
	// counts; 0 for servers the user runs.
	Cost(inputTokens, outputTokens int64) int64
}

// IsCloud reports whether p is a cloud provider: its base URL is not
// loopback.
func IsCloud(p Provider) bool { return !egress.IsLoopbackURL(p.BaseURL()) }

// statusError is an HTTP error from a provider.
type statusError struct {
	Code int
	Body string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("llm: server answered %d: %s", e.Code, clip(e.Body, 200))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// isPolicyErr reports whether err is a refusal by the egress boundary,
// which a retry cannot change.
func isPolicyErr(err error) bool {
	return errors.Is(err, egress.ErrOffline) || errors.Is(err, egress.ErrNotApproved) || errors.Is(err, egress.ErrRefused)
}

package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// OpenAIConfig configures a provider speaking the OpenAI-compatible chat
// completions API: Ollama (http://127.0.0.1:11434/v1), llama.cpp's server
// (http://127.0.0.1:8080/v1), LM Studio (http://127.0.0.1:1234/v1), vLLM
// (http://127.0.0.1:8000/v1).
type OpenAIConfig struct {
	BaseURL string // up to and including /v1
	Model   string
	APIKey  string // optional (local servers need none)
	HTTP    *http.Client
	// Timeout bounds one attempt; default 120 s (local models are slow).
	Timeout time.Duration
	// MaxRetries on 429, 5xx and connection errors; default 2.
	MaxRetries int
	// NoSchema turns off response_format json_schema for servers that do
	// not support it; the answer is still validated locally.
	NoSchema bool
	// Price in dollars per million tokens, for paid OpenAI-compatible
	// services; zero for servers the user runs.
	Price Price
	// sleep is replaced in tests of the backoff; nil means time.Sleep
	// honouring ctx.
	sleep func(ctx context.Context, d time.Duration) error
}

// OpenAI calls an OpenAI-compatible chat completions endpoint.
type OpenAI struct {
	cfg OpenAIConfig
}

var _ Provider = (*OpenAI)(nil)

// NewOpenAI returns an OpenAI-compatible provider.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	if cfg.HTTP == nil {
		return nil, fmt.Errorf("llm: openai: no HTTP client (use egress.NewClient)")
	}
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("llm: openai: no base URL")
	}
	if cfg.Model == "" {
		return nil, fmt.Errorf("llm: openai: no model")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 120 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 2
	}
	if cfg.sleep == nil {
		cfg.sleep = sleepCtx
	}
	return &OpenAI{cfg: cfg}, nil
}

func (o *OpenAI) Name() string    { return "openai" }
func (o *OpenAI) BaseURL() string { return o.cfg.BaseURL }
func (o *OpenAI) Model() string   { return o.cfg.Model }

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model          string          `json:"model"`
	Messages       []chatMessage   `json:"messages"`
	Temperature    float64         `json:"temperature"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Stream         bool            `json:"stream"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type responseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *jsonSchema `json:"json_schema,omitempty"`
}

type jsonSchema struct {
	Name   string         `json:"name"`
	Strict bool           `json:"strict"`
	Schema map[string]any `json:"schema"`
}

type chatResponse struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content   *string         `json:"content"`
			ToolCalls json.RawMessage `json:"tool_calls"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
	} `json:"usage"`
}

// Encode builds the chat completions body: a system and a user message, no
// tools, temperature 0, not streamed, and response_format json_schema
// (strict) when a schema is given.
func (o *OpenAI) Encode(c Call) ([]byte, error) {
	r := chatRequest{
		Model:     o.cfg.Model,
		Messages:  []chatMessage{{Role: "system", Content: c.System}, {Role: "user", Content: c.User}},
		MaxTokens: c.MaxTokens,
	}
	if c.Schema != nil && !o.cfg.NoSchema {
		name := c.SchemaName
		if name == "" {
			name = "answer"
		}
		r.ResponseFormat = &responseFormat{Type: "json_schema", JSONSchema: &jsonSchema{Name: name, Strict: true, Schema: strictSchema(c.Schema)}}
	}
	return json.Marshal(r)
}

// Send posts body to BaseURL/chat/completions, retrying on 429, 5xx and
// connection errors with exponential backoff (Retry-After honoured, capped
// at 30 s).
func (o *OpenAI) Send(ctx context.Context, body []byte) (Result, error) {
	url := strings.TrimSuffix(o.cfg.BaseURL, "/") + "/chat/completions"
	var lastErr error
	for attempt := 0; attempt <= o.cfg.MaxRetries; attempt++ {
		if attempt > 0 {
			if err := o.cfg.sleep(ctx, backoff(attempt, lastErr)); err != nil {
				return Result{}, err
			}
		}
		res, err, retry := o.once(ctx, url, body)
		if err == nil {
			return res, nil
		}
		lastErr = err
		if !retry || ctx.Err() != nil {
			return Result{}, err
		}
	}
	return Result{}, lastErr
}

func (o *OpenAI) once(ctx context.Context, url string, body []byte) (Result, error, bool) {
	actx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Result{}, fmt.Errorf("llm: openai: %w", err), false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if o.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.cfg.HTTP.Do(req)
	if err != nil {
		// Policy refusals (offline, not ledgered) are final; network
		// errors are retried.
		return Result{}, fmt.Errorf("llm: openai: %w", err), !isPolicyErr(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return Result{}, fmt.Errorf("llm: openai: read answer: %w", err), true
	}
	if resp.StatusCode != http.StatusOK {
		se := &retryAfterError{statusError: statusError{Code: resp.StatusCode, Body: string(raw)}, after: parseRetryAfter(resp.Header.Get("Retry-After"))}
		return Result{}, se, resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	}
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil {
		return Result{Raw: raw}, fmt.Errorf("llm: openai: decode answer: %w", err), false
	}
	if len(cr.Choices) == 0 || cr.Choices[0].Message.Content == nil {
		return Result{Raw: raw}, fmt.Errorf("llm: openai: answer has no content"), false
	}
	return Result{Text: *cr.Choices[0].Message.Content, Model: cr.Model, InputTokens: cr.Usage.PromptTokens, OutputTokens: cr.Usage.CompletionTokens, Raw: raw}, nil, false
}

// Cost returns the cost in micro-dollars at the configured price.
func (o *OpenAI) Cost(in, out int64) int64 {
	return int64(float64(in)*o.cfg.Price.Input + float64(out)*o.cfg.Price.Output)
}

type retryAfterError struct {
	statusError
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.statusError.Error() }

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// backoff is 0.5 s, 1 s, 2 s, ... capped at 30 s, or the server's
// Retry-After when it gave one (also capped).
func backoff(attempt int, last error) time.Duration {
	d := 500 * time.Millisecond << (attempt - 1)
	var ra *retryAfterError
	if errors.As(last, &ra) && ra.after > 0 {
		d = ra.after
	}
	return min(d, 30*time.Second)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

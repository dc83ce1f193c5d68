package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
)

// DefaultClaudeURL is Anthropic's API.
const DefaultClaudeURL = "https://api.anthropic.com/"

// DefaultClaudeModel is the model used when none is configured.
const DefaultClaudeModel = "claude-sonnet-4-5"

// Price is a model's price in US dollars per million tokens.
type Price struct {
	Input, Output float64
}

// claudePrices are list prices per million tokens, by model name prefix
// (longest prefix wins). Override per provider with ClaudeConfig.Price.
var claudePrices = map[string]Price{
	"claude-opus-4-5":   {5, 25},
	"claude-opus-4":     {15, 75},
	"claude-sonnet-4":   {3, 15},
	"claude-3-7-sonnet": {3, 15},
	"claude-haiku-4-5":  {1, 5},
	"claude-3-5-haiku":  {0.8, 4},
}

// ClaudeConfig configures the Claude provider.
type ClaudeConfig struct {
	BaseURL string // default DefaultClaudeURL
	Model   string // default DefaultClaudeModel
	// APIKey comes from ANTHROPIC_API_KEY or the secret store, read by the
	// caller; it is never logged nor passed to workers.
	APIKey string
	// HTTP is the egress client (egress.NewClient); required.
	HTTP *http.Client
	// Timeout bounds one attempt; default 60 s.
	Timeout time.Duration
	// MaxRetries on 429, 5xx and connection errors, with exponential
	// backoff that honours Retry-After; default 2.
	MaxRetries int
	// Price overrides the list price for the model.
	Price *Price
	// Structured asks the API to constrain the answer to the schema
	// (output_config.format); default on, set NoStructured to turn off for
	// models without structured outputs.
	NoStructured bool
}

// Claude calls Anthropic's Messages API through the official SDK.
type Claude struct {
	cfg    ClaudeConfig
	client anthropic.Client
}

var _ Provider = (*Claude)(nil)

// NewClaude returns a Claude provider. Without an API key it can still
// Encode (for dry runs); Send fails. The SDK's environment defaults
// (ANTHROPIC_BASE_URL and friends) are not used: everything comes from cfg.
func NewClaude(cfg ClaudeConfig) (*Claude, error) {
	if cfg.HTTP == nil {
		return nil, fmt.Errorf("llm: claude: no HTTP client (use egress.NewClient)")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultClaudeURL
	}
	if cfg.Model == "" {
		cfg.Model = DefaultClaudeModel
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 2
	}
	c := anthropic.NewClient(
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(cfg.BaseURL),
		option.WithAPIKey(cfg.APIKey),
		option.WithHTTPClient(cfg.HTTP),
		option.WithMaxRetries(cfg.MaxRetries),
		option.WithRequestTimeout(cfg.Timeout),
	)
	return &Claude{cfg: cfg, client: c}, nil
}

func (c *Claude) Name() string    { return "claude" }
func (c *Claude) BaseURL() string { return c.cfg.BaseURL }
func (c *Claude) Model() string   { return c.cfg.Model }

// Encode builds the Messages API body with the SDK's own parameter types:
// one system block, one user turn, no tools, temperature 0, and the schema
// as the output format.
func (c *Claude) Encode(call Call) ([]byte, error) {
	p := anthropic.MessageNewParams{
		Model:       anthropic.Model(c.cfg.Model),
		MaxTokens:   int64(call.MaxTokens),
		System:      []anthropic.TextBlockParam{{Text: call.System}},
		Messages:    []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(call.User))},
		Temperature: anthropic.Float(0),
	}
	if call.Schema != nil && !c.cfg.NoStructured {
		p.OutputConfig = anthropic.OutputConfigParam{Format: anthropic.JSONOutputFormatParam{Schema: strictSchema(call.Schema)}}
	}
	return json.Marshal(p)
}

// Send posts body through the SDK (which adds authentication, retries and
// timeouts) exactly as given.
func (c *Claude) Send(ctx context.Context, body []byte) (Result, error) {
	if c.cfg.APIKey == "" {
		return Result{}, fmt.Errorf("llm: claude: no API key (set ANTHROPIC_API_KEY or put it in the data directory's secrets/anthropic-api-key)")
	}
	m, err := c.client.Messages.New(ctx, anthropic.MessageNewParams{},
		option.WithRequestBody("application/json", body))
	if err != nil {
		return Result{}, fmt.Errorf("llm: claude: %w", err)
	}
	raw := []byte(m.RawJSON())
	var text strings.Builder
	for _, b := range m.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		default:
			// No tools are offered; any other block (tool_use, ...) is
			// ignored and never acted upon.
		}
	}
	return Result{Text: text.String(), Model: string(m.Model), InputTokens: m.Usage.InputTokens, OutputTokens: m.Usage.OutputTokens, Raw: raw}, nil
}

// Cost returns the cost in micro-dollars.
func (c *Claude) Cost(in, out int64) int64 {
	p, ok := c.price()
	if !ok {
		return 0
	}
	return int64(float64(in)*p.Input + float64(out)*p.Output) // per million tokens = micro-dollars per token
}

func (c *Claude) price() (Price, bool) {
	if c.cfg.Price != nil {
		return *c.cfg.Price, true
	}
	best, bl := Price{}, 0
	for k, v := range claudePrices {
		if strings.HasPrefix(c.cfg.Model, k) && len(k) > bl {
			best, bl = v, len(k)
		}
	}
	return best, bl > 0
}

// strictSchema returns s with additionalProperties false on every object,
// as structured-output APIs require.
func strictSchema(s map[string]any) map[string]any {
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		switch t := v.(type) {
		case map[string]any:
			if k == "properties" {
				props := make(map[string]any, len(t))
				for pk, pv := range t {
					if pm, ok := pv.(map[string]any); ok {
						props[pk] = strictSchema(pm)
					} else {
						props[pk] = pv
					}
				}
				out[k] = props
			} else {
				out[k] = strictSchema(t)
			}
		default:
			out[k] = v
		}
	}
	if out["type"] == "object" {
		out["additionalProperties"] = false
	}
	return out
}

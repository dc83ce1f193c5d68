// Package llmtest provides httptest servers that speak the wire formats of
// PAM's model providers — Anthropic's Messages API and the OpenAI-compatible
// chat completions API — and record every request, so that a test can
// assert exactly what left the process.
//
// A server answers with whatever its Answer function returns; tests use
// that to play a well-behaved model, a failing one (429, 500) or a
// compromised one that tries to obey instructions injected into an e-mail.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Request is one recorded request, exactly as received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Prompt is what a fake model reads from a request: the system text and
// the user text, decoded from either wire format.
type Prompt struct {
	Model  string
	System string
	User   string
	// Schema is the requested output schema (nil if none).
	Schema map[string]any
	// Tools reports whether the request offered any tools.
	Tools bool
}

// Reply is a fake model's answer. Status 0 means 200. Text is the answer's
// text content; Extra is added as raw content blocks (Claude) or tool calls
// (OpenAI), for tests of answers that try to call tools.
type Reply struct {
	Status     int
	RetryAfter string
	Text       string
	Extra      string
	InTokens   int64
	OutTokens  int64
}

// Cleaner registers a function to run when the test (or benchmark
// program) is done; *testing.T and *testing.B are Cleaners.
type Cleaner interface{ Cleanup(func()) }

// Server is a recording fake model server.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	answer   func(n int, p Prompt) Reply
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// record stores r and returns its 1-based number.
func (s *Server) record(r *http.Request) (Request, int, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return Request{}, 0, err
	}
	rq := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: b}
	s.mu.Lock()
	s.requests = append(s.requests, rq)
	n := len(s.requests)
	s.mu.Unlock()
	return rq, n, nil
}

// NewClaude starts a fake of Anthropic's Messages API (POST /v1/messages).
// answer gets the request number (from 1) and the decoded prompt.
func NewClaude(t Cleaner, answer func(n int, p Prompt) Reply) *Server {
	s := &Server{answer: answer}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, n, err := s.record(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
			writeJSON(w, 404, map[string]any{"type": "error", "error": map[string]any{"type": "not_found_error", "message": "no route " + r.URL.Path}})
			return
		}
		if r.Header.Get("X-Api-Key") == "" {
			writeJSON(w, 401, map[string]any{"type": "error", "error": map[string]any{"type": "authentication_error", "message": "no x-api-key"}})
			return
		}
		p, err := DecodeClaude(rq.Body)
		if err != nil {
			writeJSON(w, 400, map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error", "message": err.Error()}})
			return
		}
		rep := s.answer(n, p)
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		if rep.Status != 0 && rep.Status != 200 {
			writeJSON(w, rep.Status, map[string]any{"type": "error", "error": map[string]any{"type": "api_error", "message": "fake failure"}})
			return
		}
		content := []json.RawMessage{}
		if rep.Text != "" || rep.Extra == "" {
			tb, _ := json.Marshal(map[string]any{"type": "text", "text": rep.Text})
			content = append(content, tb)
		}
		if rep.Extra != "" {
			content = append(content, json.RawMessage(rep.Extra))
		}
		writeJSON(w, 200, map[string]any{
			"id": fmt.Sprintf("msg_fake_%d", n), "type": "message", "role": "assistant", "model": p.Model,
			"content": content, "stop_reason": "end_turn", "stop_sequence": nil,
			"usage": map[string]any{"input_tokens": rep.InTokens, "output_tokens": rep.OutTokens},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

// DecodeClaude reads a Messages API request body.
func DecodeClaude(body []byte) (Prompt, error) {
	var req struct {
		Model     string          `json:"model"`
		MaxTokens int             `json:"max_tokens"`
		System    json.RawMessage `json:"system"`
		Messages  []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Tools        json.RawMessage `json:"tools"`
		OutputConfig struct {
			Format struct {
				Type   string         `json:"type"`
				Schema map[string]any `json:"schema"`
			} `json:"format"`
		} `json:"output_config"`
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if err := dec.Decode(&req); err != nil {
		return Prompt{}, err
	}
	if req.Model == "" || req.MaxTokens <= 0 || len(req.Messages) == 0 {
		return Prompt{}, fmt.Errorf("model, max_tokens and messages are required")
	}
	p := Prompt{Model: req.Model, Schema: req.OutputConfig.Format.Schema, Tools: len(req.Tools) > 0 && string(req.Tools) != "null" && string(req.Tools) != "[]"}
	p.System = textOf(req.System)
	for _, m := range req.Messages {
		if m.Role == "user" {
			p.User += textOf(m.Content)
		}
	}
	return p, nil
}

// textOf reads a string or an array of text blocks.
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &blocks) == nil {
		var b strings.Builder
		for _, x := range blocks {
			b.WriteString(x.Text)
		}
		return b.String()
	}
	return ""
}

// NewOpenAI starts a fake OpenAI-compatible server (POST
// /v1/chat/completions); its base URL for a provider is URL + "/v1".
func NewOpenAI(t Cleaner, answer func(n int, p Prompt) Reply) *Server {
	s := &Server{answer: answer}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, n, err := s.record(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			writeJSON(w, 404, map[string]any{"error": map[string]any{"message": "no route " + r.URL.Path}})
			return
		}
		p, err := DecodeOpenAI(rq.Body)
		if err != nil {
			writeJSON(w, 400, map[string]any{"error": map[string]any{"message": err.Error()}})
			return
		}
		rep := s.answer(n, p)
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		if rep.Status != 0 && rep.Status != 200 {
			writeJSON(w, rep.Status, map[string]any{"error": map[string]any{"message": "fake failure"}})
			return
		}
		msg := map[string]any{"role": "assistant", "content": rep.Text}
		if rep.Extra != "" {
			msg["tool_calls"] = json.RawMessage(rep.Extra)
		}
		writeJSON(w, 200, map[string]any{
			"id": fmt.Sprintf("chatcmpl-%d", n), "object": "chat.completion", "model": p.Model,
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}},
			"usage":   map[string]any{"prompt_tokens": rep.InTokens, "completion_tokens": rep.OutTokens, "total_tokens": rep.InTokens + rep.OutTokens},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

// DecodeOpenAI reads a chat completions request body.
func DecodeOpenAI(body []byte) (Prompt, error) {
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Tools          json.RawMessage `json:"tools"`
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Schema map[string]any `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return Prompt{}, err
	}
	if req.Model == "" || len(req.Messages) == 0 {
		return Prompt{}, fmt.Errorf("model and messages are required")
	}
	p := Prompt{Model: req.Model, Schema: req.ResponseFormat.JSONSchema.Schema, Tools: len(req.Tools) > 0 && string(req.Tools) != "null" && string(req.Tools) != "[]"}
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			p.System += textOf(m.Content)
		case "user":
			p.User += textOf(m.Content)
		}
	}
	return p, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

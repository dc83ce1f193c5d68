package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pam-ai/pam/internal/redact"
)

func init() {
	register(&command{Name: "redact", Summary: "replace personal data on stdin by pseudonyms (--jsonl: JSON Lines with spans)", Run: runRedact})
}

type redactSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
}

func runRedact(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "redact", "[--jsonl] < input")
	jsonl := fs.Bool("jsonl", false, `read {"text": ...} lines, write {"redacted", "spans": [{"start","end","type"}]} (code point offsets into text); a line that is not such an object gets {"error"}`)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if !*jsonl {
		b, err := io.ReadAll(env.Stdin)
		if err != nil {
			return fmt.Errorf("read stdin: %w", err)
		}
		out, _ := redact.Redact(string(b), redact.Hints{}, redact.NewMap())
		_, err = io.WriteString(env.Stdout, out)
		return err
	}
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	w := bufio.NewWriter(env.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	bad := 0
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var in struct {
			Text *string `json:"text"`
		}
		if err := json.Unmarshal(line, &in); err != nil || in.Text == nil {
			// The answer keeps its place (one output line per input
			// line) and the rest of the input is still redacted.
			msg := fmt.Sprintf("line %d: want a JSON object with a \"text\" string", n)
			fmt.Fprintf(env.Stderr, "pam redact: %s\n", msg)
			if err := enc.Encode(struct {
				Error string `json:"error"`
			}{msg}); err != nil {
				return err
			}
			bad++
			continue
		}
		red, spans := redact.Redact(*in.Text, redact.Hints{}, redact.NewMap())
		out := struct {
			Redacted string       `json:"redacted"`
			Spans    []redactSpan `json:"spans"`
		}{Redacted: red, Spans: make([]redactSpan, 0, len(spans))}
		for _, s := range spans {
			out.Spans = append(out.Spans, redactSpan{s.Start, s.End, s.Type})
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if bad > 0 {
		return partialError{fmt.Sprintf("redact: %d line(s) were not a JSON object with a \"text\" string (answered with {\"error\"})", bad)}
	}
	return nil
}

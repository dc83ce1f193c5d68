package llm

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Validate checks that text is one JSON value matching schema, a small
// subset of JSON Schema: type (object, array, string, number, integer,
// boolean), properties, required, additionalProperties (false is the
// default here: unknown keys fail), items, enum, maxLength, maxItems,
// minimum, maximum. It returns the decoded value.
func Validate(text string, schema map[string]any) (any, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrSchema, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: text after the JSON value", ErrSchema)
	}
	if err := check(v, schema, "$"); err != nil {
		return nil, err
	}
	return v, nil
}

func check(v any, s map[string]any, path string) error {
	if s == nil {
		return nil
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%w: %s: value not in enum", ErrSchema, path)
		}
	}
	if es, ok := s["enum"].([]string); ok {
		str, _ := v.(string)
		found := false
		for _, e := range es {
			if e == str {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%w: %s: value not in enum", ErrSchema, path)
		}
	}
	typ, _ := s["type"].(string)
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%w: %s: want an object", ErrSchema, path)
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range strs(s["required"]) {
			if _, ok := m[r]; !ok {
				return fmt.Errorf("%w: %s: missing %q", ErrSchema, path, r)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, known := props[k].(map[string]any)
			if !known {
				if ap, ok := s["additionalProperties"].(bool); ok && ap {
					continue
				}
				return fmt.Errorf("%w: %s: unexpected key %q", ErrSchema, path, k)
			}
			if err := check(m[k], ps, path+"."+k); err != nil {
				return err
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%w: %s: want an array", ErrSchema, path)
		}
		if n, ok := num(s["maxItems"]); ok && float64(len(a)) > n {
			return fmt.Errorf("%w: %s: more than %v items", ErrSchema, path, n)
		}
		items, _ := s["items"].(map[string]any)
		for i, e := range a {
			if err := check(e, items, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%w: %s: want a string", ErrSchema, path)
		}
		if n, ok := num(s["maxLength"]); ok && float64(utf8.RuneCountInString(str)) > n {
			return fmt.Errorf("%w: %s: longer than %v", ErrSchema, path, n)
		}
	case "number", "integer":
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%w: %s: want a number", ErrSchema, path)
		}
		f, err := n.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("%w: %s: bad number", ErrSchema, path)
		}
		if typ == "integer" && f != math.Trunc(f) {
			return fmt.Errorf("%w: %s: want an integer", ErrSchema, path)
		}
		if lo, ok := num(s["minimum"]); ok && f < lo {
			return fmt.Errorf("%w: %s: below minimum", ErrSchema, path)
		}
		if hi, ok := num(s["maximum"]); ok && f > hi {
			return fmt.Errorf("%w: %s: above maximum", ErrSchema, path)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%w: %s: want a boolean", ErrSchema, path)
		}
	case "":
	default:
		return fmt.Errorf("%w: %s: schema type %q not supported", ErrSchema, path, typ)
	}
	return nil
}

func strs(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

package worker

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestValidJSON(t *testing.T) {
	req, err := json.Marshal(wire.ClassifyRequest{Messages: []wire.Message{{ID: "a", Subject: "Hi \"there\"", Text: "line\nnext\t\u00e9 \u2028 <&>"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []string{
		string(req), "", " ", "0", "-0", "01", "1.", "1.5e", "1.5e+3", "-", "1e5", "[1,2]", "[1,]", "[,1]",
		"{}", "{ }", "[ ]", `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `{"a":[true,false,null]}`,
		`"\u00e9"`, `"\u00g9"`, `"\x"`, "\"a\tb\"", "\"\xff\xfe\"", `"abc`, "tru", "nul", "true false",
		" {\"a\" : [ 1 , { } ] } \r\n", "[[[]]]", "[[[]]", "]", "}", `{"a":}`, "[1 2]", `"\/"`,
		strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
		strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
		strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
		strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
	}
	for _, in := range tests {
		if got, want := validJSON([]byte(in)), json.Valid([]byte(in)); got != want {
			t.Errorf("validJSON(%.60q) = %v, want %v (json.Valid)", in, got, want)
		}
	}
}

// FuzzValidJSON: validJSON is json.Valid on any input.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{`{"id":1,"kind":"classify","body":{"messages":[{"id":"x","text":"a\nb"}]}}`,
		`[1,-2.5e+3,true,false,null,"\u00e9\\"]`, `{"a":{"b":[{}]}}`, " 0 ", "\"\x01\"", "[01]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q) = %v, want %v (json.Valid)", b, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	var msgs []wire.Message
	for i := range 256 {
		msgs = append(msgs, wire.Message{ID: strings.Repeat("i", i%40), Subject: "A subject line", Text: strings.Repeat("Some text of a message, with \"quotes\" and\nlines.\t", 60)})
	}
	body, err := json.Marshal(wire.ClassifyRequest{Messages: msgs})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("validJSON", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			validJSON(body)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			json.Valid(body)
		}
	})
}

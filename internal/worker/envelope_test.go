package worker

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// TestWriteEnvelopeBytes checks that writeRequest and writeResponse write
// exactly what WriteFrame writes, for bodies from json.Marshal.
func TestWriteEnvelopeBytes(t *testing.T) {
	body, err := json.Marshal(wire.ClassifyRequest{Messages: []wire.Message{{ID: "a", Subject: "<b> & \u2028", Text: "héllo \"quoted\"\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []Request{{ID: 1, Kind: "classify", Body: body}, {ID: 0, Kind: "ping"}, {ID: 1 << 60, Kind: "odd \"kind\"", Body: []byte("null")}, {ID: 3}} {
		var a, b bytes.Buffer
		if err := writeRequest(&a, q); err != nil {
			t.Fatal(err)
		}
		if err := WriteFrame(&b, q); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("writeRequest(%+v) = %q, WriteFrame %q", q, a.Bytes(), b.Bytes())
		}
	}
	for _, r := range []Response{{ID: 2, Body: body}, {ID: 3, Error: "model \"x\" missing"}, {ID: 4}, {ID: 5, Body: []byte("null"), Error: "both"}} {
		var a, b bytes.Buffer
		if err := writeResponse(&a, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteFrame(&b, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("writeResponse(%+v) = %q, WriteFrame %q", r, a.Bytes(), b.Bytes())
		}
	}
}

// frame wraps a JSON body into a frame.
func frame(body []byte) []byte {
	b := make([]byte, 5, 5+len(body))
	binary.BigEndian.PutUint32(b, uint32(len(body)+1))
	b[4] = wire.Version
	return append(b, body...)
}

// checkEnvelope is the property of ReadFrame's envelope fast path: it
// decodes a Request and a Response exactly as encoding/json does, and
// fails exactly when encoding/json fails.
func checkEnvelope(t *testing.T, body []byte) {
	t.Helper()
	var gotQ, wantQ Request
	errGot := ReadFrame(bytes.NewReader(frame(body)), &gotQ)
	errWant := json.Unmarshal(body, &wantQ)
	if (errGot == nil) != (errWant == nil) || errGot == nil && !reflect.DeepEqual(gotQ, wantQ) {
		t.Fatalf("ReadFrame(%q) as Request = %+v, %v; json.Unmarshal %+v, %v", body, gotQ, errGot, wantQ, errWant)
	}
	var gotR, wantR Response
	errGot = ReadFrame(bytes.NewReader(frame(body)), &gotR)
	errWant = json.Unmarshal(body, &wantR)
	if (errGot == nil) != (errWant == nil) || errGot == nil && !reflect.DeepEqual(gotR, wantR) {
		t.Fatalf("ReadFrame(%q) as Response = %+v, %v; json.Unmarshal %+v, %v", body, gotR, errGot, wantR, errWant)
	}
}

var envelopeSeeds = []string{
	`{"id":7,"kind":"classify","body":{"messages":[]}}`,
	`{"id":7,"body":{"results":[{"id":"x"}]}}`,
	`{"id":0,"kind":"ping"}`,
	`{"id":1,"kind":"a","body":{},"kind":"b"}`,
	`{"id":1,"kind":"a","body":{"x":1},"id":2}`,
	`{"id":01,"kind":"a","body":{}}`,
	`{"id":1,"kind":"a\u0062","body":{}}`,
	`{"id":1,"kind":"a","body": {} }`,
	`{"id":1,"kind":"a","body":"x"}`,
	`{"id":1,"body":null}`,
	`{"id":1,"body":{"a":[1,2,{"b":"}"}]},"error":"e"}`,
	`{"id":99999999999999999999,"body":{}}`,
	`{"id":1,"body":{"a":1}`,
	`{"id":1,"kind":"é","body":[]}`,
}

func TestReadFrameEnvelope(t *testing.T) {
	for _, s := range envelopeSeeds {
		checkEnvelope(t, []byte(s))
	}
	// The fast path takes the frames the supervisor and the worker write.
	if id, kind, body, ok := envelope([]byte(envelopeSeeds[0]), `"kind":`); !ok || id != 7 || kind != "classify" || string(body) != `{"messages":[]}` {
		t.Errorf("envelope(%s) = %d, %q, %q, %v; want the fast path", envelopeSeeds[0], id, kind, body, ok)
	}
}

func FuzzReadFrameEnvelope(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body)+1 > MaxFrame {
			return
		}
		checkEnvelope(t, body)
	})
}

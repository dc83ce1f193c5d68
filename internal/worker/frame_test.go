package worker

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := Request{ID: 7, Kind: "classify", Body: []byte(`{"messages":[]}`)}
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if n := binary.BigEndian.Uint32(raw); int(n) != len(raw)-4 {
		t.Errorf("length prefix = %d, want %d", n, len(raw)-4)
	}
	if raw[4] != wire.Version {
		t.Errorf("version byte = %d, want %d", raw[4], wire.Version)
	}
	var out Request
	if err := ReadFrame(&buf, &out); err != nil {
		t.Fatal(err)
	}
	if out.ID != 7 || out.Kind != "classify" || string(out.Body) != `{"messages":[]}` {
		t.Errorf("ReadFrame = %+v, want %+v", out, in)
	}
	if err := ReadFrame(&buf, &out); err != io.EOF {
		t.Errorf("ReadFrame at end = %v, want io.EOF", err)
	}
}

func TestReadFrameRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"zero length", []byte{0, 0, 0, 0}, ErrProtocol},
		{"too long", []byte{0x7f, 0, 0, 0, 1}, ErrProtocol},
		{"other version", []byte{0, 0, 0, 3, 9, '{', '}'}, ErrProtocol},
		{"bad json", []byte{0, 0, 0, 3, wire.Version, '{', 'x'}, ErrProtocol},
		{"truncated body", []byte{0, 0, 0, 9, wire.Version, '{'}, io.ErrUnexpectedEOF},
		{"truncated header", []byte{0, 0}, io.ErrUnexpectedEOF},
	} {
		var r Request
		if err := ReadFrame(bytes.NewReader(tc.in), &r); !errors.Is(err, tc.want) {
			t.Errorf("%s: ReadFrame = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// FuzzReadFrame: any input either decodes to a request that re-encodes to
// a frame decoding to the same request, or fails; it never panics.
func FuzzReadFrame(f *testing.F) {
	var buf bytes.Buffer
	WriteFrame(&buf, Request{ID: 1, Kind: "ping"})
	f.Add(buf.Bytes())
	f.Add([]byte{0, 0, 0, 1, wire.Version})
	f.Add([]byte{0, 0, 0, 5, wire.Version, 'n', 'u', 'l', 'l'})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for {
			var q Request
			if err := ReadFrame(r, &q); err != nil {
				return
			}
			var b bytes.Buffer
			if err := WriteFrame(&b, q); err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			var q2 Request
			if err := ReadFrame(&b, &q2); err != nil {
				t.Fatalf("re-decode: %v", err)
			}
			if q2.ID != q.ID || q2.Kind != q.Kind {
				t.Fatalf("round trip changed %+v to %+v", q, q2)
			}
		}
	})
}

func TestParseStatus(t *testing.T) {
	in := []byte("Name:\tpam\nVmPeak:\t  999 kB\nVmHWM:\t   40960 kB\nVmRSS:\t   20480 kB\n")
	rss, peak, err := parseStatus(in)
	if err != nil || rss != 20<<20 || peak != 40<<20 {
		t.Errorf("parseStatus = %d, %d, %v; want %d, %d, nil", rss, peak, err, 20<<20, 40<<20)
	}
	if _, _, err := parseStatus([]byte("Name: x\n")); err == nil {
		t.Errorf("parseStatus without VmRSS = nil error")
	}
	if _, _, err := parseStatus([]byte("VmRSS: lots kB\n")); err == nil {
		t.Errorf("parseStatus with a bad number = nil error")
	}
}

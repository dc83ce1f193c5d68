package worker

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// MaxFrame bounds the size of one frame (version byte and JSON body); a
// larger length prefix is a protocol error, so a corrupt stream cannot make
// either side allocate without bound.
const MaxFrame = 64 << 20

// ErrProtocol marks a malformed frame or an unknown protocol version.
var ErrProtocol = errors.New("worker protocol error")

// Request is the envelope of one request from the supervisor to a worker.
type Request struct {
	ID   uint64          `json:"id"`   // unique per worker process, echoed in the response
	Kind string          `json:"kind"` // "classify", "update", "ping"
	Body json.RawMessage `json:"body,omitempty"`
}

// Response is the envelope of one answer. Error is set when the worker
// could not answer the request; the worker itself is still healthy.
type Response struct {
	ID    uint64          `json:"id"`
	Body  json.RawMessage `json:"body,omitempty"`
	Error string          `json:"error,omitempty"`
}

// WriteFrame writes v as one frame: a 4-byte big-endian length, the
// version byte wire.Version and the JSON encoding of v. The length counts
// the version byte and the body.
func WriteFrame(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	if len(body)+1 > MaxFrame {
		return fmt.Errorf("frame of %d bytes exceeds the limit: %w", len(body)+1, ErrProtocol)
	}
	buf := make([]byte, 5+len(body))
	binary.BigEndian.PutUint32(buf, uint32(len(body)+1))
	buf[4] = wire.Version
	copy(buf[5:], body)
	_, err = w.Write(buf)
	return err
}

// ReadFrame reads one frame into v. It returns io.EOF at a clean end of
// stream (no partial frame), io.ErrUnexpectedEOF for a truncated frame and
// an error wrapping ErrProtocol for a bad length, version or body.
func ReadFrame(r io.Reader, v any) error {
	body, err := readFrameBytes(r)
	if err != nil {
		return err
	}
	// The envelopes of the protocol are read without decoding their
	// bodies twice (see envelope); anything else through encoding/json.
	switch e := v.(type) {
	case *Request:
		if id, kind, raw, ok := envelope(body, `"kind":`); ok {
			*e = Request{ID: id, Kind: kind, Body: raw}
			return nil
		}
	case *Response:
		if id, _, raw, ok := envelope(body, ""); ok {
			*e = Response{ID: id, Body: raw}
			return nil
		}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("frame body: %v: %w", err, ErrProtocol)
	}
	return nil
}

// readFrameBytes reads one frame and returns its JSON body.
func readFrameBytes(r io.Reader) ([]byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:4]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:4])
	if n < 1 || n > MaxFrame {
		return nil, fmt.Errorf("frame length %d: %w", n, ErrProtocol)
	}
	if _, err := io.ReadFull(r, hdr[4:5]); err != nil {
		return nil, noEOF(err)
	}
	if hdr[4] != wire.Version {
		return nil, fmt.Errorf("protocol version %d, want %d: %w", hdr[4], wire.Version, ErrProtocol)
	}
	body := make([]byte, n-1)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, noEOF(err)
	}
	return body, nil
}

// envelope reads a frame body written by writeRequest or writeResponse (and by
// json.Marshal of a Request or Response whose body is compact JSON):
// {"id":N,"kind":"K","body":B} when kindKey is `"kind":`, {"id":N,"body":B}
// when it is empty. It reports false for any other shape, which the
// caller then decodes with encoding/json. B is checked to be one valid
// JSON value, so that whenever it reports true, json.Unmarshal would have
// decoded the same Request or Response; the body is then scanned once
// instead of twice (the worker's requests carry whole messages).
func envelope(b []byte, kindKey string) (id uint64, kind string, body []byte, ok bool) {
	rest, found := bytes.CutPrefix(b, []byte(`{"id":`))
	if !found {
		return 0, "", nil, false
	}
	i := 0
	for i < len(rest) && i < 19 && rest[i] >= '0' && rest[i] <= '9' {
		id = id*10 + uint64(rest[i]-'0')
		i++
	}
	if i == 0 || i == 19 || (rest[0] == '0' && i > 1) {
		return 0, "", nil, false
	}
	rest = rest[i:]
	if kindKey != "" {
		if rest, found = bytes.CutPrefix(rest, []byte(","+kindKey+`"`)); !found {
			return 0, "", nil, false
		}
		end := bytes.IndexByte(rest, '"')
		if end < 0 {
			return 0, "", nil, false
		}
		for _, c := range rest[:end] {
			if c < 0x20 || c >= 0x7f || c == '\\' {
				return 0, "", nil, false // escapes and non-ASCII: let encoding/json decode them
			}
		}
		kind = string(rest[:end])
		rest = rest[end+1:]
	}
	if rest, found = bytes.CutPrefix(rest, []byte(`,"body":`)); !found {
		return 0, "", nil, false
	}
	if len(rest) < 2 || rest[len(rest)-1] != '}' {
		return 0, "", nil, false
	}
	body = rest[:len(rest)-1]
	if isSpace(body[0]) || isSpace(body[len(body)-1]) || !validJSON(body) {
		return 0, "", nil, false
	}
	return id, kind, body, true
}

// isSpace reports JSON white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// writeRequest writes q as WriteFrame does, but copies q.Body as it is:
// the body must be compact JSON as json.Marshal returns it (WriteFrame
// would validate and compact it again, one more pass over every message
// of a batch). A test checks the bytes are WriteFrame's.
func writeRequest(w io.Writer, q Request) error {
	k, err := json.Marshal(q.Kind)
	if err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	buf := make([]byte, 0, 5+40+len(k)+len(q.Body))
	buf = append(buf, 0, 0, 0, 0, wire.Version)
	buf = append(buf, `{"id":`...)
	buf = strconv.AppendUint(buf, q.ID, 10)
	buf = append(buf, `,"kind":`...)
	buf = append(buf, k...)
	if len(q.Body) > 0 {
		buf = append(buf, `,"body":`...)
		buf = append(buf, q.Body...)
	}
	return writeFrameBytes(w, append(buf, '}'))
}

// writeResponse is writeRequest for a Response.
func writeResponse(w io.Writer, r Response) error {
	buf := make([]byte, 0, 5+40+len(r.Body)+len(r.Error))
	buf = append(buf, 0, 0, 0, 0, wire.Version)
	buf = append(buf, `{"id":`...)
	buf = strconv.AppendUint(buf, r.ID, 10)
	if len(r.Body) > 0 {
		buf = append(buf, `,"body":`...)
		buf = append(buf, r.Body...)
	}
	if r.Error != "" {
		e, err := json.Marshal(r.Error)
		if err != nil {
			return fmt.Errorf("encode frame: %w", err)
		}
		buf = append(buf, `,"error":`...)
		buf = append(buf, e...)
	}
	return writeFrameBytes(w, append(buf, '}'))
}

// writeFrameBytes fills in the length of a frame built after a 4-byte
// gap and writes it.
func writeFrameBytes(w io.Writer, buf []byte) error {
	if len(buf)-4 > MaxFrame {
		return fmt.Errorf("frame of %d bytes exceeds the limit: %w", len(buf)-4, ErrProtocol)
	}
	binary.BigEndian.PutUint32(buf, uint32(len(buf)-4))
	_, err := w.Write(buf)
	return err
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

package worker

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:4]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:4])
	if n < 1 || n > MaxFrame {
		return fmt.Errorf("frame length %d: %w", n, ErrProtocol)
	}
	if _, err := io.ReadFull(r, hdr[4:5]); err != nil {
		return noEOF(err)
	}
	if hdr[4] != wire.Version {
		return fmt.Errorf("protocol version %d, want %d: %w", hdr[4], wire.Version, ErrProtocol)
	}
	body := make([]byte, n-1)
	if _, err := io.ReadFull(r, body); err != nil {
		return noEOF(err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("frame body: %v: %w", err, ErrProtocol)
	}
	return nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

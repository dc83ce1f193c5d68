package syncwire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Header constants of the sealed formats (doc/design/sync.md). They are
// duplicated from internal/seal so that the relay need not import a package
// that handles plaintext and keys; a test in syncclient checks that both
// parsers agree.
const (
	suite1       byte = 0x01
	kindBatch    byte = 0x01
	kindSnapshot byte = 0x02
	protocol1    byte = 0x01
	// SigLen is the Ed25519 signature at the end of a sealed value.
	sigLen = 64
	// MinSealedTail is nonce + AEAD tag + smallest bucket + signature.
	minSealedTail = 24 + 16 + 256 + sigLen
)

// ErrHeader is returned for bytes that are not a sealed batch or snapshot
// of a known suite and protocol.
var ErrHeader = errors.New("syncwire: not a sealed batch or snapshot")

// Header is the clear header of a sealed batch or snapshot.
type Header struct {
	Snapshot bool
	Account  string
	Device   string
	Epoch    uint32
	Seq      uint64
	Prev     [32]byte
}

// ParseHeader reads the clear header of a sealed batch or snapshot and
// checks that the value is at least as long as the smallest sealed value.
// It verifies nothing cryptographic.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < 4 {
		return h, fmt.Errorf("%w: %d bytes", ErrHeader, len(b))
	}
	if b[0] != suite1 || (b[1] != kindBatch && b[1] != kindSnapshot) || b[2] != protocol1 {
		return h, fmt.Errorf("%w: suite %#x kind %#x protocol %d", ErrHeader, b[0], b[1], b[2])
	}
	h.Snapshot = b[1] == kindSnapshot
	off := 3
	id := func() (string, bool) {
		if off >= len(b) {
			return "", false
		}
		n := int(b[off])
		if n == 0 || n > MaxIDLen || off+1+n > len(b) {
			return "", false
		}
		s := string(b[off+1 : off+1+n])
		off += 1 + n
		return s, true
	}
	var ok bool
	if h.Account, ok = id(); !ok {
		return Header{}, fmt.Errorf("%w: bad account id", ErrHeader)
	}
	if h.Device, ok = id(); !ok {
		return Header{}, fmt.Errorf("%w: bad device id", ErrHeader)
	}
	if len(b) < off+4+8+32+minSealedTail {
		return Header{}, fmt.Errorf("%w: truncated (%d bytes)", ErrHeader, len(b))
	}
	h.Epoch = binary.BigEndian.Uint32(b[off:])
	h.Seq = binary.BigEndian.Uint64(b[off+4:])
	copy(h.Prev[:], b[off+12:off+44])
	if h.Seq == 0 {
		return Header{}, fmt.Errorf("%w: sequence 0", ErrHeader)
	}
	return h, nil
}

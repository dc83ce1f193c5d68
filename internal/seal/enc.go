package seal

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Suite1 is the first byte of every format this package writes:
// XChaCha20-Poly1305, HKDF-SHA256, Ed25519, X25519 and Argon2id.
const Suite1 byte = 0x01

// ProtocolVersion is the sync protocol version bound into every batch.
const ProtocolVersion byte = 1

// Kinds: the second byte of every format.
const (
	kindBatch      byte = 0x01
	kindSnapshot   byte = 0x02
	kindRoster     byte = 0x03
	kindGrant      byte = 0x04
	kindPassphrase byte = 0x05
	kindRecovery   byte = 0x06
	kindInvite     byte = 0x07
	kindKeyring    byte = 0x08
	kindDevice     byte = 0x09
)

// MaxIDLen bounds account and device ids and invite codes, in bytes.
const MaxIDLen = 64

// Errors. Each names one reason a value failed to open or verify.
var (
	ErrFormat          = errors.New("seal: malformed sealed data")
	ErrTruncated       = errors.New("seal: truncated sealed data")
	ErrSuite           = errors.New("seal: unknown suite, kind or protocol version")
	ErrAccount         = errors.New("seal: sealed for another account")
	ErrWrongDevice     = errors.New("seal: batch belongs to another device")
	ErrReplay          = errors.New("seal: unexpected batch sequence (replayed or skipped)")
	ErrReorder         = errors.New("seal: previous-batch hash mismatch (reordered or forked chain)")
	ErrUnknownDevice   = errors.New("seal: signer is not in the device roster")
	ErrRevoked         = errors.New("seal: signer was revoked for this epoch")
	ErrBadSignature    = errors.New("seal: signature does not verify")
	ErrNoEpochKey      = errors.New("seal: no key for this epoch")
	ErrDecrypt         = errors.New("seal: decryption failed: wrong key or corrupted data")
	ErrWrongPassphrase = errors.New("seal: wrong passphrase")
	ErrWrongKey        = errors.New("seal: wrong recovery key or invite secret")
	ErrWeakParams      = errors.New("seal: Argon2id parameters below the enforced minimum")
	ErrBadRecoveryKey  = errors.New("seal: malformed recovery key")
	ErrBadInvite       = errors.New("seal: malformed invite")
	ErrRosterRollback  = errors.New("seal: roster is not newer than the one trusted")
	ErrTooLarge        = errors.New("seal: plaintext too large")
)

type writer struct{ b []byte }

func (w *writer) byte(c byte)    { w.b = append(w.b, c) }
func (w *writer) raw(p []byte)   { w.b = append(w.b, p...) }
func (w *writer) u16(v uint16)   { w.b = binary.BigEndian.AppendUint16(w.b, v) }
func (w *writer) u32(v uint32)   { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64)   { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *writer) id(s string)    { w.b = append(append(w.b, byte(len(s))), s...) }
func (w *writer) bytes(p []byte) { w.u32(uint32(len(p))); w.raw(p) }

func checkID(what, s string) error {
	if s == "" || len(s) > MaxIDLen {
		return fmt.Errorf("seal: %s length %d not in 1..%d", what, len(s), MaxIDLen)
	}
	return nil
}

// reader parses; the first error sticks.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = ErrTruncated
		return nil
	}
	p := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return p
}

func (r *reader) byte() byte {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if p := r.take(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

func (r *reader) id() string {
	n := int(r.byte())
	if r.err == nil && (n == 0 || n > MaxIDLen) {
		r.err = fmt.Errorf("%w: id length %d", ErrFormat, n)
		return ""
	}
	return string(r.take(n))
}

func (r *reader) bytes(limit int) []byte {
	n := r.u32()
	if r.err == nil && int64(n) > int64(limit) {
		r.err = fmt.Errorf("%w: length %d exceeds %d", ErrFormat, n, limit)
		return nil
	}
	return r.take(int(n))
}

func (r *reader) array32() (a [32]byte) {
	copy(a[:], r.take(32))
	return a
}

func (r *reader) rest() []byte { return r.take(len(r.b) - r.off) }

// header checks the suite and kind bytes.
func (r *reader) header(kind byte) {
	s, k := r.byte(), r.byte()
	if r.err == nil && (s != Suite1 || k != kind) {
		r.err = fmt.Errorf("%w: suite %#x kind %#x, want suite %#x kind %#x", ErrSuite, s, k, Suite1, kind)
	}
}

func (r *reader) end() {
	if r.err == nil && r.off != len(r.b) {
		r.err = fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(r.b)-r.off)
	}
}

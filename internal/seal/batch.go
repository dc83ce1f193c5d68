package seal

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// MaxPlaintext bounds a batch or snapshot before compression.
const MaxPlaintext = 64 << 20

// MinBucket is the smallest padded size; buckets double up to MaxPowBucket
// and are multiples of MaxPowBucket above it.
const (
	MinBucket    = 256
	MaxPowBucket = 1 << 20
)

// Bucket returns the padded size for n bytes of framed plaintext.
func Bucket(n int) int {
	if n > MaxPowBucket {
		return (n + MaxPowBucket - 1) / MaxPowBucket * MaxPowBucket
	}
	b := MinBucket
	for b < n {
		b *= 2
	}
	return b
}

const (
	flagDeflate byte = 1
	frameLen         = 5 // flags u8, length u32
)

// pad frames data as flags | length | payload | zeros, compressing with
// DEFLATE when that is smaller, and pads to Bucket.
func pad(data []byte) ([]byte, error) {
	if len(data) > MaxPlaintext {
		return nil, fmt.Errorf("%w: %d bytes exceed %d", ErrTooLarge, len(data), MaxPlaintext)
	}
	flags, payload := byte(0), data
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.DefaultCompression)
	fw.Write(data)
	fw.Close()
	if z.Len() < len(data) {
		flags, payload = flagDeflate, z.Bytes()
	}
	out := make([]byte, Bucket(frameLen+len(payload)))
	out[0] = flags
	binary.BigEndian.PutUint32(out[1:5], uint32(len(payload)))
	copy(out[frameLen:], payload)
	return out, nil
}

func unpad(p []byte) ([]byte, error) {
	if len(p) < frameLen || len(p) != Bucket(len(p)) {
		return nil, fmt.Errorf("%w: padded size %d is not a bucket", ErrFormat, len(p))
	}
	flags, n := p[0], binary.BigEndian.Uint32(p[1:5])
	if flags&^flagDeflate != 0 || uint64(n) > uint64(len(p)-frameLen) {
		return nil, fmt.Errorf("%w: bad frame", ErrFormat)
	}
	payload := p[frameLen : frameLen+int(n)]
	for _, c := range p[frameLen+int(n):] {
		if c != 0 {
			return nil, fmt.Errorf("%w: non-zero padding", ErrFormat)
		}
	}
	if flags&flagDeflate == 0 {
		return bytes.Clone(payload), nil
	}
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(payload)), MaxPlaintext+1))
	if err != nil {
		return nil, fmt.Errorf("%w: inflate: %v", ErrFormat, err)
	}
	if len(out) > MaxPlaintext {
		return nil, fmt.Errorf("%w: inflates past %d bytes", ErrTooLarge, MaxPlaintext)
	}
	return out, nil
}

// Header is the clear part of a sealed batch or snapshot, bound into the
// AEAD as associated data and covered by the device's signature. The relay
// reads it to file the batch; ParseHeader needs no key.
type Header struct {
	Snapshot bool   // a snapshot rather than a batch
	Protocol byte   // ProtocolVersion
	Account  string // account id
	Device   string // sealing device
	Epoch    uint32 // key epoch
	Seq      uint64 // per-device sequence, from 1
	// Prev is the SHA-256 of the device's previous sealed batch (zero for
	// the first). For a snapshot it is whatever the caller binds: the hash
	// of the encoded per-device heads the snapshot covers.
	Prev [32]byte
}

const (
	nonceLen = chacha20poly1305.NonceSizeX
	tagLen   = chacha20poly1305.Overhead
	sigLen   = ed25519.SignatureSize
	batchSig = "pam-seal-v1 batch\x00"
)

// Hash returns the SHA-256 of sealed bytes: the Prev of the next batch.
func Hash(sealed []byte) [32]byte { return sha256.Sum256(sealed) }

func (h Header) append(w *writer) {
	w.byte(Suite1)
	if h.Snapshot {
		w.byte(kindSnapshot)
	} else {
		w.byte(kindBatch)
	}
	w.byte(h.Protocol)
	w.id(h.Account)
	w.id(h.Device)
	w.u32(h.Epoch)
	w.u64(h.Seq)
	w.raw(h.Prev[:])
}

// ParseHeader reads the clear header of a sealed batch or snapshot and
// returns it with its length. It checks nothing cryptographic.
func ParseHeader(b []byte) (Header, int, error) {
	r := &reader{b: b}
	s, k := r.byte(), r.byte()
	h := Header{Protocol: r.byte()}
	if r.err == nil && (s != Suite1 || (k != kindBatch && k != kindSnapshot) || h.Protocol != ProtocolVersion) {
		return Header{}, 0, fmt.Errorf("%w: suite %#x kind %#x protocol %d", ErrSuite, s, k, h.Protocol)
	}
	h.Snapshot = k == kindSnapshot
	h.Account, h.Device = r.id(), r.id()
	h.Epoch, h.Seq = r.u32(), r.u64()
	h.Prev = r.array32()
	if r.err != nil {
		return Header{}, 0, fmt.Errorf("header: %w", r.err)
	}
	return h, r.off, nil
}

// SealBatch pads, encrypts and signs plaintext as batch seq of dev, chained
// to prev (Hash of the device's previous sealed batch; zero for seq 1), under
// the keyring's current epoch.
func SealBatch(ring *Keyring, dev *Device, seq uint64, prev [32]byte, plaintext []byte) ([]byte, error) {
	return seal(ring, dev, Header{Seq: seq, Prev: prev}, plaintext)
}

// SealSnapshot is SealBatch for a snapshot; covers is the hash of the
// per-device heads it covers.
func SealSnapshot(ring *Keyring, dev *Device, seq uint64, covers [32]byte, plaintext []byte) ([]byte, error) {
	return seal(ring, dev, Header{Snapshot: true, Seq: seq, Prev: covers}, plaintext)
}

func seal(ring *Keyring, dev *Device, h Header, plaintext []byte) ([]byte, error) {
	if err := checkID("device id", dev.ID); err != nil {
		return nil, err
	}
	if h.Seq == 0 {
		return nil, fmt.Errorf("seal: sequence numbers start at 1")
	}
	h.Protocol, h.Account, h.Device, h.Epoch = ProtocolVersion, ring.Account, dev.ID, ring.Current
	kind := kindBatch
	if h.Snapshot {
		kind = kindSnapshot
	}
	key, err := ring.batchKey(h.Epoch, kind)
	if err != nil {
		return nil, err
	}
	padded, err := pad(plaintext)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	w := &writer{}
	h.append(w)
	ad := len(w.b)
	nonce := make([]byte, nonceLen)
	rand.Read(nonce)
	w.raw(nonce)
	w.b = aead.Seal(w.b, nonce, padded, w.b[:ad])
	w.raw(ed25519.Sign(dev.Sign, append([]byte(batchSig), w.b...)))
	return w.b, nil
}

// Expect is what the opener already knows about the next batch of a
// device's chain.
type Expect struct {
	Account string
	Device  string
	Seq     uint64
	Prev    [32]byte // Hash of the batch before, zero for Seq 1
}

// OpenBatch checks and opens a sealed batch: the header must match want
// (ErrAccount, ErrWrongDevice, ErrReplay, ErrReorder), the signer must be a
// member of roster active in the batch's epoch (ErrUnknownDevice,
// ErrRevoked), the signature must verify (ErrBadSignature), the keyring must
// hold the epoch (ErrNoEpochKey) and the AEAD must open (ErrDecrypt).
func OpenBatch(sealed []byte, ring *Keyring, roster *Roster, want Expect) ([]byte, error) {
	return open(sealed, ring, roster, want, false)
}

// OpenSnapshot is OpenBatch for a snapshot; want.Prev is the covered-heads
// hash the caller expects.
func OpenSnapshot(sealed []byte, ring *Keyring, roster *Roster, want Expect) ([]byte, error) {
	return open(sealed, ring, roster, want, true)
}

func open(sealed []byte, ring *Keyring, roster *Roster, want Expect, snapshot bool) ([]byte, error) {
	h, n, err := ParseHeader(sealed)
	if err != nil {
		return nil, err
	}
	if h.Snapshot != snapshot {
		return nil, fmt.Errorf("%w: snapshot %v, want %v", ErrSuite, h.Snapshot, snapshot)
	}
	if len(sealed) < n+nonceLen+tagLen+MinBucket+sigLen {
		return nil, fmt.Errorf("%w: %d bytes", ErrTruncated, len(sealed))
	}
	switch {
	case h.Account != want.Account || ring.Account != want.Account:
		return nil, fmt.Errorf("%w: %q", ErrAccount, h.Account)
	case h.Device != want.Device:
		return nil, fmt.Errorf("%w: sealed by %q, expected %q", ErrWrongDevice, h.Device, want.Device)
	case h.Seq != want.Seq:
		return nil, fmt.Errorf("%w: device %q sequence %d, expected %d", ErrReplay, h.Device, h.Seq, want.Seq)
	case h.Prev != want.Prev:
		return nil, fmt.Errorf("%w: device %q sequence %d", ErrReorder, h.Device, h.Seq)
	}
	if roster == nil || roster.Account != h.Account {
		return nil, fmt.Errorf("%w: no roster for account %q", ErrUnknownDevice, h.Account)
	}
	m, ok := roster.Member(h.Device)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownDevice, h.Device)
	}
	if !m.ActiveAt(h.Epoch) {
		return nil, fmt.Errorf("%w: %q revoked from epoch %d, batch in epoch %d", ErrRevoked, h.Device, m.Revoked, h.Epoch)
	}
	body, sig := sealed[:len(sealed)-sigLen], sealed[len(sealed)-sigLen:]
	if !ed25519.Verify(m.SignPub[:], append([]byte(batchSig), body...), sig) {
		return nil, fmt.Errorf("%w: device %q sequence %d", ErrBadSignature, h.Device, h.Seq)
	}
	kind := kindBatch
	if snapshot {
		kind = kindSnapshot
	}
	key, err := ring.batchKey(h.Epoch, kind)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	nonce := body[n : n+nonceLen]
	padded, err := aead.Open(nil, nonce, body[n+nonceLen:], body[:n])
	if err != nil {
		return nil, fmt.Errorf("%w: device %q sequence %d epoch %d", ErrDecrypt, h.Device, h.Seq, h.Epoch)
	}
	return unpad(padded)
}

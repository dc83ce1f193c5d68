package seal

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Argon2Params are the Argon2id cost parameters stored with a passphrase
// wrap.
type Argon2Params struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// MinArgon2 is the floor the client enforces whatever a stored wrap says;
// MaxArgon2 the ceiling, so that a hostile blob cannot exhaust memory.
var (
	MinArgon2 = Argon2Params{Time: 3, MemoryKiB: 64 << 10, Threads: 1}
	MaxArgon2 = Argon2Params{Time: 64, MemoryKiB: 4 << 20, Threads: 4}
)

// DefaultArgon2 is what new wraps use.
var DefaultArgon2 = Argon2Params{Time: 3, MemoryKiB: 64 << 10, Threads: 4}

// Check returns ErrWeakParams below MinArgon2 and an error above MaxArgon2.
func (p Argon2Params) Check() error {
	if p.Time < MinArgon2.Time || p.MemoryKiB < MinArgon2.MemoryKiB || p.Threads < MinArgon2.Threads {
		return fmt.Errorf("%w: time=%d memory=%dKiB threads=%d, minimum time=%d memory=%dKiB threads=%d",
			ErrWeakParams, p.Time, p.MemoryKiB, p.Threads, MinArgon2.Time, MinArgon2.MemoryKiB, MinArgon2.Threads)
	}
	if p.Time > MaxArgon2.Time || p.MemoryKiB > MaxArgon2.MemoryKiB || p.Threads > MaxArgon2.Threads {
		return fmt.Errorf("%w: Argon2id parameters above the maximum time=%d memory=%dKiB threads=%d",
			ErrFormat, MaxArgon2.Time, MaxArgon2.MemoryKiB, MaxArgon2.Threads)
	}
	return nil
}

const (
	saltLen       = 16
	maxWrapSecret = 1 << 20
)

func passphraseKEK(pass []byte, salt []byte, p Argon2Params) []byte {
	return argon2.IDKey(pass, salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
}

// wrapUnder seals secret under kek, with header (already written to w) as
// associated data: header | nonce [24] | ciphertext.
func wrapUnder(w *writer, kek, secret []byte) ([]byte, error) {
	if len(secret) > maxWrapSecret {
		return nil, fmt.Errorf("%w: wrapped secret of %d bytes", ErrTooLarge, len(secret))
	}
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	ad := len(w.b)
	nonce := make([]byte, nonceLen)
	rand.Read(nonce)
	w.raw(nonce)
	return aead.Seal(w.b, nonce, secret, w.b[:ad]), nil
}

// unwrapUnder opens what wrapUnder made; r is positioned at the nonce.
func unwrapUnder(r *reader, kek []byte, wrongKey error) ([]byte, error) {
	ad := r.off
	nonce := r.take(nonceLen)
	ct := r.rest()
	if r.err == nil && len(ct) < tagLen {
		r.err = ErrTruncated
	}
	if r.err != nil {
		return nil, r.err
	}
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	pt, err := aead.Open(nil, nonce, ct, r.b[:ad])
	if err != nil {
		return nil, wrongKey
	}
	return pt, nil
}

// WrapPassphrase wraps secret (for PAM: the AccountKey) under a key derived
// from pass with Argon2id. Layout: suite, kind 0x05, time u32, memory KiB
// u32, threads u8, salt [16], nonce [24], ciphertext; everything before the
// nonce is associated data.
func WrapPassphrase(secret, pass []byte, p Argon2Params) ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	return wrapPassphraseKEK(secret, passphraseKEK(pass, salt, p), salt, p)
}

func wrapPassphraseKEK(secret, kek, salt []byte, p Argon2Params) ([]byte, error) {
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindPassphrase)
	w.u32(p.Time)
	w.u32(p.MemoryKiB)
	w.byte(p.Threads)
	w.raw(salt)
	return wrapUnder(w, kek, secret)
}

// passphraseHeader parses the parameters of a passphrase wrap and refuses
// weak ones before any key derivation runs.
func passphraseHeader(blob []byte) (*reader, Argon2Params, []byte, error) {
	r := &reader{b: blob}
	r.header(kindPassphrase)
	p := Argon2Params{Time: r.u32(), MemoryKiB: r.u32(), Threads: r.byte()}
	salt := r.take(saltLen)
	if r.err != nil {
		return nil, p, nil, fmt.Errorf("passphrase wrap: %w", r.err)
	}
	if err := p.Check(); err != nil {
		return nil, p, nil, fmt.Errorf("passphrase wrap: %w", err)
	}
	return r, p, salt, nil
}

// UnwrapPassphrase opens a passphrase wrap. It returns ErrWeakParams, without
// running Argon2id, when the stored parameters are below MinArgon2 (a
// downgraded blob), and ErrWrongPassphrase when the passphrase is wrong or
// the blob was altered.
func UnwrapPassphrase(blob, pass []byte) ([]byte, error) {
	r, p, salt, err := passphraseHeader(blob)
	if err != nil {
		return nil, err
	}
	return unwrapUnder(r, passphraseKEK(pass, salt, p), ErrWrongPassphrase)
}

// unwrapPassphraseKEK is UnwrapPassphrase with the Argon2id output given,
// for tests with pre-derived keys.
func unwrapPassphraseKEK(blob, kek []byte) ([]byte, error) {
	r, _, _, err := passphraseHeader(blob)
	if err != nil {
		return nil, err
	}
	return unwrapUnder(r, kek, ErrWrongPassphrase)
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// groups encodes data with a 3-byte SHA-256 checksum in dash-separated
// groups of four base32 characters.
func groups(data []byte) string {
	sum := sha256.Sum256(data)
	s := b32.EncodeToString(append(append([]byte{}, data...), sum[:3]...))
	var out strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			out.WriteByte('-')
		}
		out.WriteString(s[i:min(i+4, len(s))])
	}
	return out.String()
}

// ungroup reverses groups, ignoring case, dashes and spaces.
func ungroup(s string, n int) ([]byte, bool) {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	b, err := b32.DecodeString(s)
	if err != nil || len(b) != n+3 {
		return nil, false
	}
	sum := sha256.Sum256(b[:n])
	if subtle.ConstantTimeCompare(sum[:3], b[n:]) != 1 {
		return nil, false
	}
	return b[:n], true
}

// RecoveryKey is a random key shown to the user once, as 14 groups of four
// base32 characters (256 bits and a 24-bit checksum).
type RecoveryKey [KeySize]byte

// NewRecoveryKey returns a random recovery key.
func NewRecoveryKey() RecoveryKey {
	var k RecoveryKey
	rand.Read(k[:])
	return k
}

// String returns the form shown to the user.
func (k RecoveryKey) String() string { return groups(k[:]) }

// ParseRecoveryKey parses what the user typed; case, dashes and spaces do
// not matter, and a typo fails the checksum with ErrBadRecoveryKey.
func ParseRecoveryKey(s string) (RecoveryKey, error) {
	var k RecoveryKey
	b, ok := ungroup(s, KeySize)
	if !ok {
		return k, ErrBadRecoveryKey
	}
	copy(k[:], b)
	return k, nil
}

// WrapRecovery wraps secret under the recovery key. Layout: suite, kind
// 0x06, nonce [24], ciphertext.
func WrapRecovery(secret []byte, k RecoveryKey) ([]byte, error) {
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindRecovery)
	kek := derive(k[:], "recovery wrap", "", 0)
	return wrapUnder(w, kek, secret)
}

// UnwrapRecovery opens a recovery wrap; ErrWrongKey for another key.
func UnwrapRecovery(blob []byte, k RecoveryKey) ([]byte, error) {
	r := &reader{b: blob}
	r.header(kindRecovery)
	if r.err != nil {
		return nil, fmt.Errorf("recovery wrap: %w", r.err)
	}
	pt, err := unwrapUnder(r, derive(k[:], "recovery wrap", "", 0), ErrWrongKey)
	if err != nil {
		return nil, fmt.Errorf("recovery wrap: %w", err)
	}
	return pt, nil
}

// Invite lets a new device join: Code names the invite on the relay, Secret
// never leaves the two devices.
type Invite struct {
	Code   string // 8 base32 characters
	Secret [KeySize]byte
}

// NewInvite returns a random invite.
func NewInvite() Invite {
	var code [5]byte
	rand.Read(code[:])
	inv := Invite{Code: b32.EncodeToString(code[:])}
	rand.Read(inv.Secret[:])
	return inv
}

// String returns the invite as the user copies it: the code, a dot, and
// the secret in checksummed groups.
func (i Invite) String() string { return i.Code + "." + groups(i.Secret[:]) }

// ParseInvite parses Invite.String output; ErrBadInvite on any defect.
func ParseInvite(s string) (Invite, error) {
	var inv Invite
	code, secret, ok := strings.Cut(strings.TrimSpace(s), ".")
	code = strings.ToUpper(code)
	if !ok || len(code) != 8 {
		return inv, ErrBadInvite
	}
	if _, err := b32.DecodeString(code); err != nil {
		return inv, ErrBadInvite
	}
	b, ok := ungroup(secret, KeySize)
	if !ok {
		return inv, ErrBadInvite
	}
	inv.Code = code
	copy(inv.Secret[:], b)
	return inv, nil
}

func inviteKEK(inv Invite) ([]byte, error) {
	return hkdf.Key(sha256.New, inv.Secret[:], []byte(inv.Code), "pam-seal-v1 invite wrap", KeySize)
}

// WrapInvite wraps payload (for PAM: the keyring and the signed roster) for
// the device that will present inv. Layout: suite, kind 0x07, code, nonce
// [24], ciphertext; the code is associated data.
func WrapInvite(payload []byte, inv Invite) ([]byte, error) {
	if err := checkID("invite code", inv.Code); err != nil {
		return nil, err
	}
	kek, err := inviteKEK(inv)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindInvite)
	w.id(inv.Code)
	return wrapUnder(w, kek, payload)
}

// UnwrapInvite opens an invite wrap; ErrWrongKey for another secret.
func UnwrapInvite(blob []byte, inv Invite) ([]byte, error) {
	r := &reader{b: blob}
	r.header(kindInvite)
	code := r.id()
	if r.err != nil {
		return nil, fmt.Errorf("invite wrap: %w", r.err)
	}
	if code != inv.Code {
		return nil, fmt.Errorf("invite wrap: %w: code %q, want %q", ErrBadInvite, code, inv.Code)
	}
	kek, err := inviteKEK(inv)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	pt, err := unwrapUnder(r, kek, ErrWrongKey)
	if err != nil {
		return nil, fmt.Errorf("invite wrap: %w", err)
	}
	return pt, nil
}

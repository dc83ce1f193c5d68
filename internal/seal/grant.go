package seal

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// RecoveryRecipient is the recipient id of grants to the account key.
const RecoveryRecipient = "@recovery"

const grantSig = "pam-seal-v1 grant\x00"

func grantKEK(shared, eph, recipient []byte) ([]byte, error) {
	salt := append(append([]byte{}, eph...), recipient...)
	return hkdf.Key(sha256.New, shared, salt, "pam-seal-v1 grant key", KeySize)
}

// SealGrant encrypts an epoch key to one recipient's X25519 public key
// (ephemeral-static X25519, HKDF-SHA256, XChaCha20-Poly1305) and signs it
// with by. Layout: suite, kind 0x04, account id, recipient id, epoch u32,
// ephemeral public key [32], nonce [24], ciphertext [32+16], signer id,
// Ed25519 signature [64] over the context string and everything before it.
// The header up to the nonce is the associated data.
func SealGrant(account string, epoch uint32, key [KeySize]byte, recipient string, recipientPub [KeySize]byte, by *Device) ([]byte, error) {
	if err := checkID("account id", account); err != nil {
		return nil, err
	}
	if err := checkID("recipient id", recipient); err != nil {
		return nil, err
	}
	pub, err := ecdh.X25519().NewPublicKey(recipientPub[:])
	if err != nil {
		return nil, fmt.Errorf("seal: recipient %q key: %w", recipient, err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal: x25519 keygen: %w", err)
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("seal: grant to %q: %w", recipient, err)
	}
	kek, err := grantKEK(shared, eph.PublicKey().Bytes(), recipientPub[:])
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, _ := chacha20poly1305.NewX(kek)
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindGrant)
	w.id(account)
	w.id(recipient)
	w.u32(epoch)
	w.raw(eph.PublicKey().Bytes())
	ad := len(w.b)
	nonce := make([]byte, nonceLen)
	rand.Read(nonce)
	w.raw(nonce)
	w.b = aead.Seal(w.b, nonce, key[:], w.b[:ad])
	w.id(by.ID)
	w.raw(ed25519.Sign(by.Sign, append([]byte(grantSig), w.b...)))
	return w.b, nil
}

// OpenGrant verifies and opens a grant addressed to recipient: the signer
// must be a member of roster active in the grant's epoch, and the key must
// decrypt under priv.
func OpenGrant(b []byte, account, recipient string, priv *ecdh.PrivateKey, roster *Roster) (uint32, [KeySize]byte, error) {
	var key [KeySize]byte
	r := &reader{b: b}
	r.header(kindGrant)
	acct, to, epoch := r.id(), r.id(), r.u32()
	eph := r.take(KeySize)
	ad := r.off
	nonce := r.take(nonceLen)
	ct := r.take(KeySize + tagLen)
	signer := r.id()
	signed := r.off
	sig := r.take(sigLen)
	r.end()
	if r.err != nil {
		return 0, key, fmt.Errorf("grant: %w", r.err)
	}
	if acct != account || roster == nil || roster.Account != account {
		return 0, key, fmt.Errorf("grant: %w: %q", ErrAccount, acct)
	}
	if to != recipient {
		return 0, key, fmt.Errorf("grant: %w: addressed to %q, not %q", ErrWrongKey, to, recipient)
	}
	m, ok := roster.Member(signer)
	if !ok {
		return 0, key, fmt.Errorf("grant: %w: %q", ErrUnknownDevice, signer)
	}
	if !m.ActiveAt(epoch) {
		return 0, key, fmt.Errorf("grant: %w: %q for epoch %d", ErrRevoked, signer, epoch)
	}
	if !ed25519.Verify(m.SignPub[:], append([]byte(grantSig), b[:signed]...), sig) {
		return 0, key, fmt.Errorf("grant: %w: signer %q", ErrBadSignature, signer)
	}
	ephPub, err := ecdh.X25519().NewPublicKey(eph)
	if err != nil {
		return 0, key, fmt.Errorf("grant: %w: %v", ErrFormat, err)
	}
	shared, err := priv.ECDH(ephPub)
	if err != nil {
		return 0, key, fmt.Errorf("grant: %w: %v", ErrDecrypt, err)
	}
	kek, err := grantKEK(shared, eph, priv.PublicKey().Bytes())
	if err != nil {
		return 0, key, fmt.Errorf("grant: %w", err)
	}
	aead, _ := chacha20poly1305.NewX(kek)
	pt, err := aead.Open(nil, nonce, ct, b[:ad])
	if err != nil {
		return 0, key, fmt.Errorf("grant: %w: epoch %d to %q", ErrDecrypt, epoch, recipient)
	}
	copy(key[:], pt)
	return epoch, key, nil
}

// Rotation is the result of Rotate: the new roster, signed, and one grant of
// the new epoch key per remaining device and for the account key.
type Rotation struct {
	Roster *Roster
	Signed []byte
	Grants map[string][]byte // recipient id -> grant
}

// Rotate revokes device revoke (if not empty) and starts a new epoch: a
// fresh random key added to ring, granted to every member still active and to
// the account's recovery key, and a new roster version signed by by. The
// revoked device gets no grant and so cannot open batches of the new epoch.
func Rotate(ring *Keyring, roster *Roster, by *Device, revoke string) (*Rotation, error) {
	if ring.Account != roster.Account {
		return nil, fmt.Errorf("seal: rotate: keyring for %q, roster for %q", ring.Account, roster.Account)
	}
	if revoke == by.ID {
		return nil, fmt.Errorf("seal: rotate: a device cannot revoke itself")
	}
	next := roster.Clone()
	next.Version++
	next.Epoch = max(roster.Epoch, ring.Current) + 1
	if revoke != "" {
		m, ok := next.Member(revoke)
		if !ok {
			return nil, fmt.Errorf("seal: rotate: %w: %q", ErrUnknownDevice, revoke)
		}
		if m.Revoked == 0 {
			m.Revoked = next.Epoch
			next.Put(m)
		}
	}
	var key [KeySize]byte
	rand.Read(key[:])
	rot := &Rotation{Roster: next, Grants: map[string][]byte{}}
	for _, m := range next.Members {
		if !m.ActiveAt(next.Epoch) {
			continue
		}
		g, err := SealGrant(ring.Account, next.Epoch, key, m.ID, m.BoxPub, by)
		if err != nil {
			return nil, err
		}
		rot.Grants[m.ID] = g
	}
	g, err := SealGrant(ring.Account, next.Epoch, key, RecoveryRecipient, next.RecoveryPub, by)
	if err != nil {
		return nil, err
	}
	rot.Grants[RecoveryRecipient] = g
	signed, err := SignRoster(next, by)
	if err != nil {
		return nil, err
	}
	rot.Signed = signed
	ring.Add(next.Epoch, key)
	return rot, nil
}

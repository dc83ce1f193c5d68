package seal

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
)

// KeySize is the size of every symmetric key in this package.
const KeySize = 32

// derive returns a 32-byte subkey of secret for purpose, bound to the
// account and epoch (HKDF-SHA256; salt is the suite byte).
func derive(secret []byte, purpose, account string, epoch uint32) []byte {
	info := make([]byte, 0, 64)
	info = append(info, "pam-seal-v1 "...)
	info = append(info, purpose...)
	info = append(info, 0, byte(len(account)))
	info = append(info, account...)
	info = binary.BigEndian.AppendUint32(info, epoch)
	k, err := hkdf.Key(sha256.New, secret, []byte{Suite1}, string(info), KeySize)
	if err != nil {
		panic("seal: hkdf: " + err.Error()) // only for lengths this package never asks
	}
	return k
}

// Keyring holds an account's epoch keys. Epoch keys are random: a new epoch
// (after a revocation) gets a fresh key that is granted only to the devices
// that remain and to the account's recovery key, so a revoked device cannot
// derive it. Batch keys are derived per epoch with HKDF-SHA256.
type Keyring struct {
	Account string
	Current uint32 // the epoch new batches are sealed in
	keys    map[uint32][KeySize]byte
}

// NewKeyring returns a keyring for account with a random key for epoch 1.
func NewKeyring(account string) (*Keyring, error) {
	if err := checkID("account id", account); err != nil {
		return nil, err
	}
	k := &Keyring{Account: account, keys: map[uint32][KeySize]byte{}}
	var key [KeySize]byte
	rand.Read(key[:])
	k.Add(1, key)
	return k, nil
}

// Add records the key of epoch and makes it current when it is the newest.
func (k *Keyring) Add(epoch uint32, key [KeySize]byte) {
	if k.keys == nil {
		k.keys = map[uint32][KeySize]byte{}
	}
	k.keys[epoch] = key
	if epoch > k.Current {
		k.Current = epoch
	}
}

// Key returns the key of epoch.
func (k *Keyring) Key(epoch uint32) ([KeySize]byte, bool) {
	key, ok := k.keys[epoch]
	return key, ok
}

// Epochs returns the epochs the keyring holds, ascending.
func (k *Keyring) Epochs() []uint32 { return slices.Sorted(maps.Keys(k.keys)) }

func (k *Keyring) batchKey(epoch uint32, kind byte) ([]byte, error) {
	key, ok := k.keys[epoch]
	if !ok {
		return nil, fmt.Errorf("%w: epoch %d", ErrNoEpochKey, epoch)
	}
	purpose := "batch"
	if kind == kindSnapshot {
		purpose = "snapshot"
	}
	return derive(key[:], purpose, k.Account, epoch), nil
}

// MarshalBinary encodes the keyring (secret material: store it like a key).
// Layout: suite, kind 0x08, account id, current u32, count u16, then
// (epoch u32, key [32]) ascending.
func (k *Keyring) MarshalBinary() ([]byte, error) {
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindKeyring)
	w.id(k.Account)
	w.u32(k.Current)
	eps := k.Epochs()
	w.u16(uint16(len(eps)))
	for _, e := range eps {
		key := k.keys[e]
		w.u32(e)
		w.raw(key[:])
	}
	return w.b, nil
}

// UnmarshalKeyring decodes a keyring made by MarshalBinary.
func UnmarshalKeyring(b []byte) (*Keyring, error) {
	r := &reader{b: b}
	r.header(kindKeyring)
	k := &Keyring{Account: r.id(), keys: map[uint32][KeySize]byte{}}
	cur := r.u32()
	n := int(r.u16())
	for i := 0; i < n && r.err == nil; i++ {
		e := r.u32()
		k.Add(e, r.array32())
	}
	r.end()
	if r.err != nil {
		return nil, fmt.Errorf("keyring: %w", r.err)
	}
	if _, ok := k.keys[cur]; !ok || cur != k.Current {
		return nil, fmt.Errorf("keyring: %w: current epoch %d has no key or is not the newest", ErrFormat, cur)
	}
	return k, nil
}

// AccountKey is the account's root of recovery: an X25519 private key to
// which every epoch key is granted. It is wrapped under the passphrase
// (Argon2id) and under the recovery key; enrolled devices do not keep it, so
// a revoked device cannot read later grants to it.
type AccountKey [KeySize]byte

// NewAccountKey returns a random account key.
func NewAccountKey() AccountKey {
	var k AccountKey
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		panic("seal: x25519 keygen: " + err.Error())
	}
	copy(k[:], priv.Bytes())
	return k
}

// Private returns the X25519 private key.
func (k AccountKey) Private() *ecdh.PrivateKey {
	priv, err := ecdh.X25519().NewPrivateKey(k[:])
	if err != nil {
		panic("seal: x25519: " + err.Error()) // every 32-byte string is a valid X25519 key
	}
	return priv
}

// Public returns the recovery public key that goes into the roster.
func (k AccountKey) Public() [KeySize]byte {
	var p [KeySize]byte
	copy(p[:], k.Private().PublicKey().Bytes())
	return p
}

// Device is one device's identity: an Ed25519 key that signs its batches and
// rosters, and a separate X25519 key that receives epoch-key grants. (A
// separate key, rather than one converted from Ed25519, keeps each key to one
// algorithm and needs only the standard library.)
type Device struct {
	ID   string
	Sign ed25519.PrivateKey
	Box  *ecdh.PrivateKey
}

// NewDevice returns a device with fresh random keys.
func NewDevice(id string) (*Device, error) {
	if err := checkID("device id", id); err != nil {
		return nil, err
	}
	if id[0] == '@' {
		return nil, fmt.Errorf("seal: device id %q: ids starting with @ are reserved", id)
	}
	_, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal: ed25519 keygen: %w", err)
	}
	bk, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal: x25519 keygen: %w", err)
	}
	return &Device{ID: id, Sign: sk, Box: bk}, nil
}

// Member returns the device's public roster entry, added at epoch.
func (d *Device) Member(epoch uint32) Member {
	var box [KeySize]byte
	copy(box[:], d.Box.PublicKey().Bytes())
	var sign [ed25519.PublicKeySize]byte
	copy(sign[:], d.Sign.Public().(ed25519.PublicKey))
	return Member{ID: d.ID, SignPub: sign, BoxPub: box, Added: epoch}
}

// MarshalBinary encodes the device's private keys. Layout: suite, kind 0x09,
// device id, Ed25519 seed [32], X25519 private key [32].
func (d *Device) MarshalBinary() ([]byte, error) {
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindDevice)
	w.id(d.ID)
	w.raw(d.Sign.Seed())
	w.raw(d.Box.Bytes())
	return w.b, nil
}

// UnmarshalDevice decodes a device made by MarshalBinary.
func UnmarshalDevice(b []byte) (*Device, error) {
	r := &reader{b: b}
	r.header(kindDevice)
	id := r.id()
	seed := r.take(ed25519.SeedSize)
	box := r.take(KeySize)
	r.end()
	if r.err != nil {
		return nil, fmt.Errorf("device key: %w", r.err)
	}
	bk, err := ecdh.X25519().NewPrivateKey(box)
	if err != nil {
		return nil, fmt.Errorf("device key: %w", err)
	}
	return &Device{ID: id, Sign: ed25519.NewKeyFromSeed(seed), Box: bk}, nil
}

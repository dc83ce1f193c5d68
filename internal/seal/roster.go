package seal

import (
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
)

// Member is one device's entry in the roster.
type Member struct {
	ID      string
	SignPub [ed25519.PublicKeySize]byte
	BoxPub  [KeySize]byte
	Added   uint32 // epoch at which the device joined
	Revoked uint32 // epoch from which the device is revoked; 0 while active
}

// ActiveAt reports whether the member may sign for epoch.
func (m Member) ActiveAt(epoch uint32) bool { return m.Revoked == 0 || epoch < m.Revoked }

// Roster lists an account's devices. Every change makes a new version signed
// by an active member of the previous version.
type Roster struct {
	Account     string
	Version     uint64
	Epoch       uint32        // current epoch
	RecoveryPub [KeySize]byte // AccountKey.Public: receives every epoch key
	Members     []Member      // sorted by ID
}

// MaxMembers bounds the roster size.
const MaxMembers = 1024

// Member returns the entry for id.
func (r *Roster) Member(id string) (Member, bool) {
	i, ok := slices.BinarySearchFunc(r.Members, id, func(m Member, id string) int { return strings.Compare(m.ID, id) })
	if !ok {
		return Member{}, false
	}
	return r.Members[i], true
}

// Clone returns a deep copy.
func (r *Roster) Clone() *Roster {
	c := *r
	c.Members = slices.Clone(r.Members)
	return &c
}

// Put adds or replaces a member, keeping the list sorted.
func (r *Roster) Put(m Member) {
	i, ok := slices.BinarySearchFunc(r.Members, m.ID, func(m Member, id string) int { return strings.Compare(m.ID, id) })
	if ok {
		r.Members[i] = m
		return
	}
	r.Members = slices.Insert(r.Members, i, m)
}

func (r *Roster) body(w *writer) {
	w.id(r.Account)
	w.u64(r.Version)
	w.u32(r.Epoch)
	w.raw(r.RecoveryPub[:])
	w.u16(uint16(len(r.Members)))
	for _, m := range r.Members {
		w.id(m.ID)
		w.raw(m.SignPub[:])
		w.raw(m.BoxPub[:])
		w.u32(m.Added)
		w.u32(m.Revoked)
	}
}

const rosterSigContext = "pam-seal-v1 roster\x00"

// SignRoster encodes r and signs it with by, which must be an active member
// of r (or, for the caller's own checks, of the roster r replaces). Layout:
// suite, kind 0x03, body, signer id, Ed25519 signature [64] over the
// context string and everything before the signature.
func SignRoster(r *Roster, by *Device) ([]byte, error) {
	if err := checkID("account id", r.Account); err != nil {
		return nil, err
	}
	if len(r.Members) > MaxMembers {
		return nil, fmt.Errorf("seal: roster of %d members exceeds %d", len(r.Members), MaxMembers)
	}
	for i, m := range r.Members {
		if err := checkID("device id", m.ID); err != nil {
			return nil, err
		}
		if i > 0 && r.Members[i-1].ID >= m.ID {
			return nil, fmt.Errorf("seal: roster members not sorted and unique at %q", m.ID)
		}
	}
	w := &writer{}
	w.byte(Suite1)
	w.byte(kindRoster)
	r.body(w)
	w.id(by.ID)
	w.raw(ed25519.Sign(by.Sign, append([]byte(rosterSigContext), w.b...)))
	return w.b, nil
}

// VerifyRoster parses a signed roster for account and checks it against
// prev, the newest roster this device already trusts. With prev, the signer
// must be an active member of prev, the version must grow, the epoch must
// not go back, no member may be dropped or change keys, and a revoked member
// stays revoked. Without prev (first contact), the signer must be an active
// member of the roster itself: only pass nil for a roster that came over an
// authenticated channel (the invite) or was checked out of band.
func VerifyRoster(b []byte, account string, prev *Roster) (*Roster, error) {
	rd := &reader{b: b}
	rd.header(kindRoster)
	r := &Roster{Account: rd.id(), Version: rd.u64(), Epoch: rd.u32(), RecoveryPub: rd.array32()}
	n := int(rd.u16())
	if rd.err == nil && n > MaxMembers {
		rd.err = fmt.Errorf("%w: %d members", ErrFormat, n)
	}
	for i := 0; i < n && rd.err == nil; i++ {
		m := Member{ID: rd.id()}
		copy(m.SignPub[:], rd.take(ed25519.PublicKeySize))
		m.BoxPub = rd.array32()
		m.Added, m.Revoked = rd.u32(), rd.u32()
		if rd.err == nil && i > 0 && r.Members[i-1].ID >= m.ID {
			rd.err = fmt.Errorf("%w: members not sorted", ErrFormat)
		}
		r.Members = append(r.Members, m)
	}
	signer := rd.id()
	signed := rd.off
	sig := rd.take(ed25519.SignatureSize)
	rd.end()
	if rd.err != nil {
		return nil, fmt.Errorf("roster: %w", rd.err)
	}
	if r.Account != account {
		return nil, fmt.Errorf("roster: %w: %q", ErrAccount, r.Account)
	}
	trust := r
	if prev != nil {
		trust = prev
	}
	m, ok := trust.Member(signer)
	if !ok {
		return nil, fmt.Errorf("roster: %w: %q", ErrUnknownDevice, signer)
	}
	if !m.ActiveAt(trust.Epoch) {
		return nil, fmt.Errorf("roster: %w: %q since epoch %d", ErrRevoked, signer, m.Revoked)
	}
	if !ed25519.Verify(m.SignPub[:], append([]byte(rosterSigContext), b[:signed]...), sig) {
		return nil, fmt.Errorf("roster: %w: signer %q", ErrBadSignature, signer)
	}
	if prev != nil {
		if r.Version <= prev.Version || r.Epoch < prev.Epoch {
			return nil, fmt.Errorf("%w: version %d epoch %d, trusted version %d epoch %d",
				ErrRosterRollback, r.Version, r.Epoch, prev.Version, prev.Epoch)
		}
		if r.RecoveryPub != prev.RecoveryPub {
			return nil, fmt.Errorf("roster: %w: recovery key changed", ErrFormat)
		}
		for _, old := range prev.Members {
			cur, ok := r.Member(old.ID)
			switch {
			case !ok:
				return nil, fmt.Errorf("roster: %w: member %q dropped", ErrFormat, old.ID)
			case cur.SignPub != old.SignPub || cur.BoxPub != old.BoxPub || cur.Added != old.Added:
				return nil, fmt.Errorf("roster: %w: member %q changed keys", ErrFormat, old.ID)
			case old.Revoked != 0 && cur.Revoked != old.Revoked:
				return nil, fmt.Errorf("roster: %w: member %q un-revoked", ErrFormat, old.ID)
			}
		}
	}
	return r, nil
}

package seal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"
)

// Pre-derived fixture: Argon2id(MinArgon2) of fixturePass with fixtureSalt,
// and a wrap made with it, so that only one test runs Argon2id.
const (
	fixturePass   = "correct horse battery staple"
	fixtureSalt   = "pam-fixture-salt"
	fixtureSecret = "fixture account key 32 bytes!!!!"
	fixtureKEK    = "6e97a5ea812c15a57197f8f779f8d244039188fbd7c92185891b4b7bea77ecc1"
	fixtureBlob   = "010500000003000100000170616d2d666978747572652d73616c74de094805aaa818318c8c996ac58dfe77a79e0708e0ac02947cc4b19b9864bb5406b4367b67e7496ec9302287018b0080db0b5db62a2a71b28dd98c2a49181a670052d10452bd88e3"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type account struct {
	ring   *Keyring
	acct   AccountKey
	devs   map[string]*Device
	roster *Roster
	signed []byte
}

func newAccount(t testing.TB, ids ...string) *account {
	t.Helper()
	ring, err := NewKeyring("acct-1")
	if err != nil {
		t.Fatal(err)
	}
	a := &account{ring: ring, acct: NewAccountKey(), devs: map[string]*Device{}}
	a.roster = &Roster{Account: "acct-1", Version: 1, Epoch: 1, RecoveryPub: a.acct.Public()}
	for _, id := range ids {
		d, err := NewDevice(id)
		if err != nil {
			t.Fatal(err)
		}
		a.devs[id] = d
		a.roster.Put(d.Member(1))
	}
	a.signed, err = SignRoster(a.roster, a.devs[ids[0]])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestSealOpenRoundTrip(t *testing.T) {
	a := newAccount(t, "laptop", "desktop")
	rng := rand.New(rand.NewPCG(1, 1))
	var prev [32]byte
	for seq, n := range []int{0, 1, 100, 251, 252, 5000, 70000, 1 << 20, 3 << 20} {
		var m []byte
		if seq%2 == 0 {
			m = randBytes(rng, n) // incompressible
		} else {
			m = bytes.Repeat([]byte("task title "), n/11+1)[:n]
		}
		s, err := SealBatch(a.ring, a.devs["laptop"], uint64(seq+1), prev, m)
		if err != nil {
			t.Fatalf("SealBatch(%d bytes) = %v", n, err)
		}
		if s[0] != Suite1 {
			t.Fatalf("first byte = %#x, want suite %#x", s[0], Suite1)
		}
		got, err := OpenBatch(s, a.ring, a.roster, Expect{"acct-1", "laptop", uint64(seq + 1), prev})
		if err != nil {
			t.Fatalf("OpenBatch(SealBatch(%d bytes)) = %v", n, err)
		}
		if !bytes.Equal(got, m) {
			t.Fatalf("OpenBatch(SealBatch(m)) != m for %d bytes", n)
		}
		prev = Hash(s)
	}
}

func TestSnapshotKindIsBound(t *testing.T) {
	a := newAccount(t, "laptop")
	covers := Hash([]byte("heads"))
	s, err := SealSnapshot(a.ring, a.devs["laptop"], 1, covers, []byte("state"))
	if err != nil {
		t.Fatal(err)
	}
	want := Expect{"acct-1", "laptop", 1, covers}
	if got, err := OpenSnapshot(s, a.ring, a.roster, want); err != nil || string(got) != "state" {
		t.Fatalf("OpenSnapshot = %q, %v; want \"state\", nil", got, err)
	}
	if _, err := OpenBatch(s, a.ring, a.roster, want); !errors.Is(err, ErrSuite) {
		t.Fatalf("OpenBatch(snapshot) = %v, want ErrSuite", err)
	}
}

func TestBucket(t *testing.T) {
	tests := []struct{ in, want int }{
		{0, 256}, {5, 256}, {256, 256}, {257, 512}, {4096, 4096}, {4097, 8192},
		{1 << 20, 1 << 20}, {1<<20 + 1, 2 << 20}, {5<<20 - 3, 5 << 20},
	}
	for _, tt := range tests {
		if got := Bucket(tt.in); got != tt.want {
			t.Errorf("Bucket(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPaddingHidesLength(t *testing.T) {
	a := newAccount(t, "laptop")
	rng := rand.New(rand.NewPCG(2, 2))
	var sizes []int
	for _, n := range []int{0, 1, 50, 200, 250} {
		s, err := SealBatch(a.ring, a.devs["laptop"], 1, [32]byte{}, randBytes(rng, n))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(s))
	}
	for i, n := range sizes {
		if n != sizes[0] {
			t.Fatalf("sealed sizes %v differ (index %d): plaintexts in one bucket must seal to one size", sizes, i)
		}
	}
}

// TestOpenRejects is the list of attacks on a device's chain: each must
// fail with its own clear error.
func TestOpenRejects(t *testing.T) {
	a := newAccount(t, "laptop", "tablet")
	lap, desk := a.devs["laptop"], a.devs["tablet"]
	b1, _ := SealBatch(a.ring, lap, 1, [32]byte{}, []byte("one"))
	b2, _ := SealBatch(a.ring, lap, 2, Hash(b1), []byte("two"))
	d1, _ := SealBatch(a.ring, desk, 1, [32]byte{}, []byte("desk one"))
	want2 := Expect{"acct-1", "laptop", 2, Hash(b1)}

	otherRing, _ := NewKeyring("acct-1")
	outsider, _ := NewDevice("laptop") // same id, key not in roster
	forged, _ := SealBatch(a.ring, outsider, 2, Hash(b1), []byte("forged"))
	// A batch sealed under another key by a roster device.
	wrongKey, _ := SealBatch(otherRing, lap, 2, Hash(b1), []byte("x"))
	// The desktop re-labels the laptop's batch as its own and re-signs it:
	// the signature holds but the AEAD's associated data does not.
	relabelled := relabel(t, b1, "laptop", desk)

	tests := []struct {
		name   string
		sealed []byte
		ring   *Keyring
		want   Expect
		err    error
	}{
		{"wrong key", wrongKey, a.ring, want2, ErrDecrypt},
		{"wrong keyring", b2, otherRing, want2, ErrDecrypt},
		{"truncated by one byte", b2[:len(b2)-1], a.ring, want2, ErrTruncated},
		{"truncated header", b2[:20], a.ring, want2, ErrTruncated},
		{"truncated to header", b2[:120], a.ring, want2, ErrTruncated},
		{"swapped between devices", d1, a.ring, Expect{"acct-1", "laptop", 1, [32]byte{}}, ErrWrongDevice},
		{"replayed with another sequence", b1, a.ring, want2, ErrReplay},
		{"reordered", b2, a.ring, Expect{"acct-1", "laptop", 2, Hash(d1)}, ErrReorder},
		{"forged device", forged, a.ring, want2, ErrBadSignature},
		{"other account", b2, a.ring, Expect{"acct-2", "laptop", 2, Hash(b1)}, ErrAccount},
		{"swapped and re-signed", relabelled, a.ring, Expect{"acct-1", "tablet", 1, [32]byte{}}, ErrDecrypt},
	}
	for _, tt := range tests {
		if tt.ring != a.ring {
			tt.ring.Account = "acct-1"
		}
		_, err := OpenBatch(tt.sealed, tt.ring, a.roster, tt.want)
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: OpenBatch = %v, want %v", tt.name, err, tt.err)
		}
	}
	// A device not in the roster at all.
	stranger, _ := NewDevice("stranger")
	s, _ := SealBatch(a.ring, stranger, 1, [32]byte{}, []byte("hi"))
	if _, err := OpenBatch(s, a.ring, a.roster, Expect{"acct-1", "stranger", 1, [32]byte{}}); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("stranger: OpenBatch = %v, want ErrUnknownDevice", err)
	}
	// Rewriting the sequence in the clear header breaks the signature.
	re := bytes.Clone(b1)
	_, n, _ := ParseHeader(re)
	re[n-32-1] = 2 // low byte of seq
	if _, err := OpenBatch(re, a.ring, a.roster, Expect{"acct-1", "laptop", 2, [32]byte{}}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("rewritten seq: OpenBatch = %v, want ErrBadSignature", err)
	}
}

// FuzzOpen: any single flipped byte makes a sealed batch fail to open.
func FuzzOpen(f *testing.F) {
	a := newAccount(f, "laptop")
	prev := Hash([]byte("prev"))
	sealed, err := SealBatch(a.ring, a.devs["laptop"], 7, prev, []byte("the plaintext of a batch"))
	if err != nil {
		f.Fatal(err)
	}
	want := Expect{"acct-1", "laptop", 7, prev}
	if _, err := OpenBatch(sealed, a.ring, a.roster, want); err != nil {
		f.Fatalf("unmodified batch: %v", err)
	}
	for _, pos := range []uint{0, 1, 2, 10, 40, 80, 100, 200, 400} {
		f.Add(pos, byte(1))
	}
	f.Fuzz(func(t *testing.T, pos uint, mask byte) {
		if mask == 0 {
			return
		}
		b := bytes.Clone(sealed)
		b[pos%uint(len(b))] ^= mask
		if got, err := OpenBatch(b, a.ring, a.roster, want); err == nil {
			t.Fatalf("flipping byte %d by %#x opened to %q", pos%uint(len(b)), mask, got)
		}
	})
}

func TestRotateRevokes(t *testing.T) {
	a := newAccount(t, "laptop", "desktop", "phone")
	lap, desk, phone := a.devs["laptop"], a.devs["desktop"], a.devs["phone"]
	phoneRing, _ := UnmarshalKeyring(mustMarshal(t, a.ring))
	deskRing, _ := UnmarshalKeyring(mustMarshal(t, a.ring))

	rot, err := Rotate(a.ring, a.roster, lap, "phone")
	if err != nil {
		t.Fatalf("Rotate = %v", err)
	}
	if a.ring.Current != 2 {
		t.Fatalf("epoch after rotation = %d, want 2", a.ring.Current)
	}
	if _, ok := rot.Grants["phone"]; ok {
		t.Fatalf("revoked device got a grant")
	}
	roster, err := VerifyRoster(rot.Signed, "acct-1", a.roster)
	if err != nil {
		t.Fatalf("VerifyRoster(rotated) = %v", err)
	}
	// The desktop takes its grant.
	epoch, key, err := OpenGrant(rot.Grants["desktop"], "acct-1", "desktop", desk.Box, roster)
	if err != nil || epoch != 2 {
		t.Fatalf("OpenGrant(desktop) = %d, %v", epoch, err)
	}
	deskRing.Add(epoch, key)
	// The account key can read its grant (recovery).
	if _, rkey, err := OpenGrant(rot.Grants[RecoveryRecipient], "acct-1", RecoveryRecipient, a.acct.Private(), roster); err != nil || rkey != key {
		t.Fatalf("OpenGrant(recovery) = %v, same key %v", err, rkey == key)
	}
	// The phone cannot open someone else's grant.
	if _, _, err := OpenGrant(rot.Grants["desktop"], "acct-1", "phone", phone.Box, roster); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("phone OpenGrant(desktop's grant) = %v, want ErrWrongKey", err)
	}
	// Nor decrypt it by claiming to be the desktop.
	if _, _, err := OpenGrant(rot.Grants["desktop"], "acct-1", "desktop", phone.Box, roster); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("phone OpenGrant as desktop = %v, want ErrDecrypt", err)
	}
	// New-epoch batches open for the desktop, not for the phone.
	b, err := SealBatch(a.ring, lap, 1, [32]byte{}, []byte("after revoke"))
	if err != nil {
		t.Fatal(err)
	}
	want := Expect{"acct-1", "laptop", 1, [32]byte{}}
	if got, err := OpenBatch(b, deskRing, roster, want); err != nil || string(got) != "after revoke" {
		t.Fatalf("desktop OpenBatch(epoch 2) = %q, %v", got, err)
	}
	if _, err := OpenBatch(b, phoneRing, roster, want); !errors.Is(err, ErrNoEpochKey) {
		t.Fatalf("phone OpenBatch(epoch 2) = %v, want ErrNoEpochKey", err)
	}
	// The phone's own batches in the new epoch are refused.
	phoneRing.Add(2, [KeySize]byte{9})
	pb, _ := SealBatch(phoneRing, phone, 1, [32]byte{}, []byte("from a revoked device"))
	if _, err := OpenBatch(pb, deskRing, roster, Expect{"acct-1", "phone", 1, [32]byte{}}); !errors.Is(err, ErrRevoked) {
		t.Fatalf("OpenBatch(revoked device, new epoch) = %v, want ErrRevoked", err)
	}
	// And its roster or grants are not trusted any more.
	r3 := roster.Clone()
	r3.Version++
	forgedRoster, _ := SignRoster(r3, phone)
	if _, err := VerifyRoster(forgedRoster, "acct-1", roster); !errors.Is(err, ErrRevoked) {
		t.Fatalf("VerifyRoster(signed by revoked) = %v, want ErrRevoked", err)
	}
}

// relabel rewrites the device id in a sealed batch's header to by.ID and
// re-signs it with by's key.
func relabel(t *testing.T, sealed []byte, from string, by *Device) []byte {
	t.Helper()
	if len(from) != len(by.ID) {
		t.Fatalf("relabel needs ids of one length")
	}
	b := bytes.Replace(bytes.Clone(sealed[:len(sealed)-sigLen]), []byte(from), []byte(by.ID), 1)
	return append(b, ed25519.Sign(by.Sign, append([]byte(batchSig), b...))...)
}

func mustMarshal(t *testing.T, k *Keyring) []byte {
	t.Helper()
	b, err := k.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyRosterRejects(t *testing.T) {
	a := newAccount(t, "laptop", "desktop")
	lap := a.devs["laptop"]
	first, err := VerifyRoster(a.signed, "acct-1", nil)
	if err != nil {
		t.Fatalf("VerifyRoster(first) = %v", err)
	}
	if first.Version != 1 || len(first.Members) != 2 {
		t.Fatalf("VerifyRoster(first) = version %d, %d members", first.Version, len(first.Members))
	}
	outsider, _ := NewDevice("mallory")
	tests := []struct {
		name string
		mod  func(r *Roster)
		by   *Device
		err  error
	}{
		{"rollback", func(r *Roster) {}, lap, ErrRosterRollback},
		{"signer not in trusted roster", func(r *Roster) { r.Version++; r.Put(outsider.Member(1)) }, outsider, ErrUnknownDevice},
		{"member dropped", func(r *Roster) { r.Version++; r.Members = r.Members[:1] }, lap, ErrFormat},
		{"keys changed", func(r *Roster) { r.Version++; m, _ := r.Member("desktop"); m.BoxPub[0] ^= 1; r.Put(m) }, lap, ErrFormat},
	}
	for _, tt := range tests {
		r := first.Clone()
		tt.mod(r)
		b, err := SignRoster(r, tt.by)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyRoster(b, "acct-1", first); !errors.Is(err, tt.err) {
			t.Errorf("%s: VerifyRoster = %v, want %v", tt.name, err, tt.err)
		}
	}
	bad := bytes.Clone(a.signed)
	bad[10] ^= 1
	if _, err := VerifyRoster(bad, "acct-1", nil); err == nil {
		t.Errorf("VerifyRoster(flipped byte) = nil, want an error")
	}
	if _, err := VerifyRoster(a.signed, "acct-2", nil); !errors.Is(err, ErrAccount) {
		t.Errorf("VerifyRoster(other account) = %v, want ErrAccount", err)
	}
}

// TestPassphraseFixture is the one test that runs Argon2id: it opens a wrap
// made by an earlier build, so the format and KDF stay stable.
func TestPassphraseFixture(t *testing.T) {
	got, err := UnwrapPassphrase(unhex(t, fixtureBlob), []byte(fixturePass))
	if err != nil || string(got) != fixtureSecret {
		t.Fatalf("UnwrapPassphrase(fixture) = %q, %v; want %q", got, err, fixtureSecret)
	}
}

func TestPassphraseWrap(t *testing.T) {
	kek := unhex(t, fixtureKEK)
	secret := NewAccountKey()
	blob, err := wrapPassphraseKEK(secret[:], kek, []byte(fixtureSalt), MinArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if blob[0] != Suite1 {
		t.Fatalf("first byte = %#x", blob[0])
	}
	got, err := unwrapPassphraseKEK(blob, kek)
	if err != nil || !bytes.Equal(got, secret[:]) {
		t.Fatalf("unwrap(wrap(k)) = %x, %v", got, err)
	}
	wrong := bytes.Clone(kek)
	wrong[0] ^= 1
	if _, err := unwrapPassphraseKEK(blob, wrong); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("unwrap with the wrong passphrase key = %v, want ErrWrongPassphrase", err)
	}
	// Downgrades are refused before Argon2id runs, whatever the blob says.
	for _, p := range []Argon2Params{
		{Time: 1, MemoryKiB: 64 << 10, Threads: 1},
		{Time: 3, MemoryKiB: 8 << 10, Threads: 1},
		{Time: 3, MemoryKiB: 64 << 10, Threads: 0},
	} {
		weak, err := wrapPassphraseKEK(secret[:], kek, []byte(fixtureSalt), p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := UnwrapPassphrase(weak, []byte(fixturePass)); !errors.Is(err, ErrWeakParams) {
			t.Errorf("UnwrapPassphrase(%+v) = %v, want ErrWeakParams", p, err)
		}
		if _, err := WrapPassphrase(secret[:], []byte(fixturePass), p); !errors.Is(err, ErrWeakParams) {
			t.Errorf("WrapPassphrase(%+v) = %v, want ErrWeakParams", p, err)
		}
	}
	// Raising the parameters inside the header changes the associated data.
	tampered := bytes.Clone(blob)
	tampered[5]++ // time
	if _, err := unwrapPassphraseKEK(tampered, kek); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("unwrap(tampered params) = %v, want ErrWrongPassphrase", err)
	}
}

func TestRecoveryKey(t *testing.T) {
	k := NewRecoveryKey()
	s := k.String()
	if len(s) != 14*4+13 {
		t.Fatalf("RecoveryKey.String() = %q: %d chars, want 14 groups of 4", s, len(s))
	}
	got, err := ParseRecoveryKey(" " + lower(s) + " ")
	if err != nil || got != k {
		t.Fatalf("ParseRecoveryKey(String()) = %v, %v", got == k, err)
	}
	typo := []byte(s)
	if typo[0] == 'A' {
		typo[0] = 'B'
	} else {
		typo[0] = 'A'
	}
	if _, err := ParseRecoveryKey(string(typo)); !errors.Is(err, ErrBadRecoveryKey) {
		t.Fatalf("ParseRecoveryKey(typo) = %v, want ErrBadRecoveryKey", err)
	}
	acct := NewAccountKey()
	blob, err := WrapRecovery(acct[:], k)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := UnwrapRecovery(blob, k); err != nil || !bytes.Equal(out, acct[:]) {
		t.Fatalf("UnwrapRecovery = %v", err)
	}
	if _, err := UnwrapRecovery(blob, NewRecoveryKey()); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("UnwrapRecovery(other key) = %v, want ErrWrongKey", err)
	}
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

func TestInviteEnrolment(t *testing.T) {
	a := newAccount(t, "laptop")
	inv := NewInvite()
	parsed, err := ParseInvite(inv.String())
	if err != nil || parsed != inv {
		t.Fatalf("ParseInvite(String()) = %+v, %v", parsed, err)
	}
	payload := append(mustMarshal(t, a.ring), a.signed...)
	blob, err := WrapInvite(payload, inv)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blob, inv.Secret[:]) {
		t.Fatalf("the invite wrap contains the secret")
	}
	got, err := UnwrapInvite(blob, parsed)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("UnwrapInvite = %v", err)
	}
	other := inv
	other.Secret[0] ^= 1
	if _, err := UnwrapInvite(blob, other); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("UnwrapInvite(wrong secret) = %v, want ErrWrongKey", err)
	}
	if _, err := ParseInvite(inv.Code + ".AAAA"); !errors.Is(err, ErrBadInvite) {
		t.Fatalf("ParseInvite(short) = %v, want ErrBadInvite", err)
	}
}

func TestMarshalKeys(t *testing.T) {
	a := newAccount(t, "laptop")
	ring, err := UnmarshalKeyring(mustMarshal(t, a.ring))
	if err != nil {
		t.Fatal(err)
	}
	k1, _ := ring.Key(1)
	w1, _ := a.ring.Key(1)
	if ring.Account != "acct-1" || ring.Current != 1 || k1 != w1 {
		t.Fatalf("UnmarshalKeyring round trip lost data")
	}
	db, _ := a.devs["laptop"].MarshalBinary()
	d, err := UnmarshalDevice(db)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := SealBatch(ring, d, 1, [32]byte{}, []byte("x"))
	if _, err := OpenBatch(s, a.ring, a.roster, Expect{"acct-1", "laptop", 1, [32]byte{}}); err != nil {
		t.Fatalf("batch sealed by the reloaded device: %v", err)
	}
}

// FuzzParse: the parsers of everything that comes from the relay never
// panic.
func FuzzParse(f *testing.F) {
	a := newAccount(f, "laptop")
	b, _ := SealBatch(a.ring, a.devs["laptop"], 1, [32]byte{}, []byte("x"))
	rot, _ := Rotate(a.ring, a.roster, a.devs["laptop"], "")
	ring, _ := a.ring.MarshalBinary()
	inv := NewInvite()
	iw, _ := WrapInvite([]byte("p"), inv)
	for _, seed := range [][]byte{b, a.signed, rot.Grants["laptop"], ring, iw, unhex(f, fixtureBlob)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseHeader(data)
		OpenBatch(data, a.ring, a.roster, Expect{"acct-1", "laptop", 1, [32]byte{}})
		VerifyRoster(data, "acct-1", nil)
		VerifyRoster(data, "acct-1", a.roster)
		OpenGrant(data, "acct-1", "laptop", a.devs["laptop"].Box, rot.Roster)
		UnmarshalKeyring(data)
		UnmarshalDevice(data)
		UnwrapInvite(data, inv)
		UnwrapRecovery(data, RecoveryKey{})
		unwrapPassphraseKEK(data, make([]byte, 32))
		ParseInvite(string(data))
		ParseRecoveryKey(string(data))
	})
}

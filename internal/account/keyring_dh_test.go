package account

import (
	"bytes"
	"math/big"
	"testing"
)

func TestDHAgrees(t *testing.T) {
	for i := 0; i < 20; i++ {
		a, apub, err := dhKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		b, bpub, err := dhKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		ka, err := dhSessionKey(a, bpub)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := dhSessionKey(b, apub)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ka, kb) || len(ka) != 16 {
			t.Fatalf("keys differ or are not 16 bytes: %x %x", ka, kb)
		}
	}
}

func TestDHRejectsBadPeer(t *testing.T) {
	priv, _, _ := dhKeyPair()
	pMinus1 := new(big.Int).Sub(dhPrime, big.NewInt(1)).Bytes()
	for _, peer := range [][]byte{nil, {0}, {1}, pMinus1, dhPrime.Bytes()} {
		if _, err := dhSessionKey(priv, peer); err == nil {
			t.Errorf("dhSessionKey(peer %x) = nil error, want out of range", peer)
		}
	}
}

func TestAESCBC(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	for _, plain := range []string{"", "a", "exactly16bytes!!", "seventeen bytes!!"} {
		iv, ct, err := aesCBCEncrypt(key, []byte(plain))
		if err != nil {
			t.Fatal(err)
		}
		if len(ct)%16 != 0 || len(ct) <= len(plain) {
			t.Errorf("aesCBCEncrypt(%q) gave %d bytes", plain, len(ct))
		}
		got, err := aesCBCDecrypt(key, iv, ct)
		if err != nil || string(got) != plain {
			t.Errorf("aesCBCDecrypt(aesCBCEncrypt(%q)) = %q, %v", plain, got, err)
		}
		ct[len(ct)-1] ^= 1
		if got, err := aesCBCDecrypt(key, iv, ct); err == nil && string(got) == plain {
			t.Errorf("a flipped byte still decrypted to %q", plain)
		}
	}
}

// FuzzAESCBCDecrypt: what the bus sends never panics the decoder, and
// what PAM encrypts comes back.
func FuzzAESCBCDecrypt(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte("0123456789abcdef0123456789abcdef"), []byte("pw"))
	f.Add([]byte{}, []byte{}, []byte{})
	f.Add([]byte("short"), bytes.Repeat([]byte{16}, 16), []byte("exactly16bytes!!"))
	f.Fuzz(func(t *testing.T, iv, ct, plain []byte) {
		key := []byte("0123456789abcdef")
		aesCBCDecrypt(key, iv, ct)
		iv2, ct2, err := aesCBCEncrypt(key, plain)
		if err != nil {
			t.Fatal(err)
		}
		got, err := aesCBCDecrypt(key, iv2, ct2)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("round trip of %q = %q, %v", plain, got, err)
		}
	})
}

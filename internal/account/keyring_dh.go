package account

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
)

// dhAlgorithm is the Secret Service's encrypted session: Diffie-Hellman
// over the 1024-bit MODP group of RFC 2409 (Oakley group 2, generator 2),
// the shared value left-padded to the prime's 128 bytes and put through
// HKDF-SHA256 (no salt, no info) to a 16-byte key, secrets sent with
// AES-128-CBC, PKCS#7 padding, and the IV as the Secret's parameters.
const dhAlgorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7"

var (
	dhPrime, _ = new(big.Int).SetString(
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
			"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
			"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
			"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
			"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"+
			"FFFFFFFFFFFFFFFF", 16)
	dhGenerator = big.NewInt(2)
)

const dhPrimeBytes = 128

// dhKeyPair returns a private exponent and the public value as unsigned
// big-endian bytes.
func dhKeyPair() (priv *big.Int, pub []byte, err error) {
	// A private exponent in [2, p-2].
	max := new(big.Int).Sub(dhPrime, big.NewInt(3))
	priv, err = rand.Int(rand.Reader, max)
	if err != nil {
		return nil, nil, fmt.Errorf("dh: %w", err)
	}
	priv.Add(priv, big.NewInt(2))
	return priv, new(big.Int).Exp(dhGenerator, priv, dhPrime).Bytes(), nil
}

// dhSessionKey derives the AES key from our private exponent and the
// service's public value.
func dhSessionKey(priv *big.Int, peerPub []byte) ([]byte, error) {
	peer := new(big.Int).SetBytes(peerPub)
	limit := new(big.Int).Sub(dhPrime, big.NewInt(1))
	if peer.Cmp(big.NewInt(1)) <= 0 || peer.Cmp(limit) >= 0 {
		return nil, errors.New("dh: the service's public value is out of range")
	}
	shared := new(big.Int).Exp(peer, priv, dhPrime)
	ikm := shared.FillBytes(make([]byte, dhPrimeBytes))
	return hkdf.Key(sha256.New, ikm, nil, "", 16)
}

// aesCBCEncrypt pads plain with PKCS#7 and encrypts it under a fresh IV.
func aesCBCEncrypt(key, plain []byte) (iv, ct []byte, err error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	n := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(n)}, n)...)
	iv = make([]byte, aes.BlockSize)
	if _, err := rand.Read(iv); err != nil {
		return nil, nil, err
	}
	ct = make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
	return iv, ct, nil
}

// aesCBCDecrypt reverses aesCBCEncrypt, checking the padding.
func aesCBCDecrypt(key, iv, ct []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errors.New("encrypted secret has a bad length")
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	n := int(plain[len(plain)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, errors.New("encrypted secret has bad padding")
	}
	for _, b := range plain[len(plain)-n:] {
		if int(b) != n {
			return nil, errors.New("encrypted secret has bad padding")
		}
	}
	return plain[:len(plain)-n], nil
}

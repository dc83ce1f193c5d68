// Package seal is the envelope cryptography of PAM's sync: epoch keys and
// their grants, device identities and the signed device roster, sealed and
// signed batches chained by hash, padding to size buckets, and the key
// wraps used for enrolment and recovery (invite secret, passphrase with
// Argon2id, recovery key).
//
// Every format starts with a suite byte (Suite1: XChaCha20-Poly1305,
// HKDF-SHA256, Ed25519, X25519, Argon2id) followed by a kind byte, so no
// sealed value can be taken for another. The package does no I/O beyond
// reading crypto/rand; doc/design/sync.md gives the byte layouts and
// doc/design/threat-model.md what they protect against.
package seal

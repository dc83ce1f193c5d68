// Package syncwire holds what the PAM sync client and pam-relay share: the
// JSON bodies of the relay's HTTP API, its error codes, and a parser for the
// clear header of a sealed batch or snapshot. It handles no plaintext and
// no keys, so the relay can import it; doc/design/relay.md describes the API.
package syncwire

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// APIVersion is the path prefix of every relay endpoint.
const APIVersion = "/v1"

// MaxIDLen bounds account and device ids and invite codes, in bytes (the
// same bound as the sealed formats).
const MaxIDLen = 64

// Error codes the relay puts in ErrorBody.Code. The HTTP status says the
// class; the code says which rule was broken.
const (
	CodeBadRequest   = "bad_request"  // 400: malformed body, id or parameter
	CodeUnauthorized = "unauthorized" // 401: missing, unknown or revoked token
	CodeForbidden    = "forbidden"    // 403: the token's device may not do this
	CodeNotFound     = "not_found"    // 404
	CodeExists       = "exists"       // 409: account or device already exists
	CodeSeqConflict  = "seq_conflict" // 409: a different batch already has this sequence number
	CodeSeqGap       = "seq_gap"      // 409: the sequence number is not the next one
	CodeRevConflict  = "rev_conflict" // 409: blob changed since the revision the client read
	CodeTooLarge     = "too_large"    // 413: request body over the limit
	CodeQuota        = "quota"        // 507: account storage quota exceeded
	CodeRateLimited  = "rate_limited" // 429: too many requests for this token or address
	CodeExpired      = "expired"      // 410: invite expired or used up
	CodeInternal     = "internal"     // 500
)

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CreateAccountRequest creates an account with its first device.
type CreateAccountRequest struct {
	Account string `json:"account"`
	Device  string `json:"device"`
}

// TokenResponse carries a device's bearer token. The relay keeps only its
// SHA-256; the client keeps the token in a 0600 file.
type TokenResponse struct {
	Account string `json:"account"`
	Device  string `json:"device"`
	Token   string `json:"token"`
}

// InviteRequest parks an invite on the relay: the device id it enrols and
// the invite wrap (opaque to the relay). The code names it.
type InviteRequest struct {
	Code      string `json:"code"`
	Device    string `json:"device"`
	Blob      []byte `json:"blob"`
	TTLSecond int    `json:"ttl_seconds,omitempty"`
}

// ClaimResponse answers a successful invite claim: the new device's token
// and the invite wrap.
type ClaimResponse struct {
	TokenResponse
	Blob []byte `json:"blob"`
}

// AppendResponse answers an append.
type AppendResponse struct {
	Seq       uint64 `json:"seq"`
	Duplicate bool   `json:"duplicate,omitempty"` // the same bytes were already stored
}

// Batch is one stored sealed batch.
type Batch struct {
	Device string `json:"device"`
	Seq    uint64 `json:"seq"`
	Data   []byte `json:"data"`
}

// PullResponse answers a pull: batches after the cursor, in sequence order
// per device, and the relay's heads (the highest stored sequence of every
// device of the account). More says that another pull would return more.
type PullResponse struct {
	Batches []Batch           `json:"batches"`
	Heads   map[string]uint64 `json:"heads"`
	Revoked []string          `json:"revoked,omitempty"`
	More    bool              `json:"more"`
}

// Head is one device's position in a snapshot: its sequence number and the
// SHA-256 of its sealed batch at that sequence (zero for seq 0).
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash Hash   `json:"hash"`
}

// Hash is a SHA-256 value, hex in JSON.
type Hash [32]byte

// MarshalText encodes the hash as hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h[:])), nil }

// UnmarshalText decodes 64 hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("hash: want 64 hex digits, got %d", len(b))
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// Snapshot is an encrypted snapshot bound to the per-device heads it
// covers: the sealed header's Prev equals CoverHash(Heads).
type Snapshot struct {
	Heads map[string]Head `json:"heads"`
	Data  []byte          `json:"data"`
}

// Blob is an opaque named value with a revision for compare-and-swap.
type Blob struct {
	Name string `json:"name"`
	Rev  int64  `json:"rev"`
	Data []byte `json:"data"`
}

// BlobList answers a listing of blobs by name prefix.
type BlobList struct {
	Blobs []Blob `json:"blobs"`
}

// CoverHash returns the hash of per-device heads that a snapshot binds:
// SHA-256 over "pam-heads-v1\0" and, for each device in byte order, u8
// length, id, u64 seq and the 32-byte hash.
func CoverHash(heads map[string]Head) [32]byte {
	ids := make([]string, 0, len(heads))
	for id := range heads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	h := sha256.New()
	h.Write([]byte("pam-heads-v1\x00"))
	for _, id := range ids {
		hd := heads[id]
		var n [9]byte
		n[0] = byte(len(id))
		h.Write(n[:1])
		h.Write([]byte(id))
		binary.BigEndian.PutUint64(n[1:], hd.Seq)
		h.Write(n[1:])
		h.Write(hd.Hash[:])
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// CheckID reports whether s is a valid account id, device id or invite
// code: 1..MaxIDLen bytes of letters, digits, '-', '_' and '.', not
// starting with '@' (reserved) or '.'.
func CheckID(what, s string) error {
	if s == "" || len(s) > MaxIDLen {
		return fmt.Errorf("%s: length %d not in 1..%d", what, len(s), MaxIDLen)
	}
	if s[0] == '.' || s[0] == '@' {
		return fmt.Errorf("%s: may not start with %q", what, s[0])
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("%s: character %q not allowed", what, c)
		}
	}
	return nil
}

// CheckBlobName reports whether s is a valid blob name: dot-separated
// parts, each a valid id, at most 200 bytes.
func CheckBlobName(s string) error {
	if len(s) > 200 {
		return errors.New("blob name too long")
	}
	for _, p := range strings.Split(s, ".") {
		if err := CheckID("blob name part", p); err != nil {
			return err
		}
	}
	return nil
}

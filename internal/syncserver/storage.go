package syncserver

import (
	"context"
	"errors"
	"time"

	"github.com/pam-ai/pam/internal/syncwire"
)

// Errors returned by Storage implementations. The HTTP layer maps each to
// one status and syncwire code.
var (
	ErrNotFound    = errors.New("syncserver: not found")
	ErrExists      = errors.New("syncserver: already exists")
	ErrRevoked     = errors.New("syncserver: device revoked")
	ErrSeqConflict = errors.New("syncserver: another batch has this sequence number")
	ErrSeqGap      = errors.New("syncserver: sequence number is not the next one")
	ErrRevConflict = errors.New("syncserver: blob revision changed")
	ErrQuota       = errors.New("syncserver: account quota exceeded")
	ErrExpired     = errors.New("syncserver: invite expired")
)

// Device is a device as the relay knows it.
type Device struct {
	ID      string
	Head    uint64 // highest stored batch sequence
	Revoked bool
}

// PullResult is what Storage.Pull returns.
type PullResult struct {
	Batches []syncwire.Batch
	More    bool
	Devices []Device
}

// Storage is what the relay keeps: accounts, devices with token hashes,
// append-only per-device chains of sealed batches, one snapshot per account,
// opaque blobs (roster, grants, key wraps) and invites. Every value is
// ciphertext or public metadata; Storage never sees a key.
//
// All methods are safe for concurrent use and honour ctx cancellation.
// Byte counts charged against an account's quota are the lengths of stored
// batch, snapshot, blob and invite data; a write that would take the
// account over quota fails with ErrQuota and changes nothing.
type Storage interface {
	// CreateAccount creates account with its first device, identified by
	// the SHA-256 of its token. ErrExists if the account exists.
	CreateAccount(ctx context.Context, account, device string, tokenHash [32]byte, quota int64) error
	// Authenticate returns the account and device of a token hash:
	// ErrNotFound for an unknown token, ErrRevoked for a revoked device.
	Authenticate(ctx context.Context, tokenHash [32]byte) (account, device string, err error)
	// Devices lists the account's devices sorted by id.
	Devices(ctx context.Context, account string) ([]Device, error)
	// RevokeDevice marks a device revoked: its token stops working; its
	// batches stay. ErrNotFound for an unknown device. Idempotent.
	RevokeDevice(ctx context.Context, account, device string) error

	// Append stores batch seq of device. seq must be the device's head+1
	// (else ErrSeqGap); a seq at or below the head with the same bytes
	// returns duplicate=true and stores nothing; with different bytes it
	// returns ErrSeqConflict. The write is durable when Append returns.
	Append(ctx context.Context, account, device string, seq uint64, data []byte) (duplicate bool, err error)
	// Pull returns, for each device of the account, the batches with a
	// sequence above since[device] (0 when absent) in sequence order, devices
	// in id order, stopping once maxBatches batches or maxBytes bytes are
	// reached (always at least one batch when any is due); More is true
	// when it stopped early. Devices is the account's device list as
	// Devices would return it, read in the same call (one read of the
	// device rows serves both).
	Pull(ctx context.Context, account string, since map[string]uint64, maxBatches int, maxBytes int64) (PullResult, error)

	// PutSnapshot replaces the account's snapshot. Every head must be at
	// or below the stored head of a known device of the account (else
	// ErrSeqGap), and its hash must be the SHA-256 of the stored batch at
	// that sequence (else ErrSeqConflict).
	PutSnapshot(ctx context.Context, account string, s syncwire.Snapshot) error
	// Snapshot returns the account's snapshot or ErrNotFound.
	Snapshot(ctx context.Context, account string) (syncwire.Snapshot, error)

	// PutBlob writes blob name when its current revision is rev (0: it must
	// not exist yet) and returns the new revision; ErrRevConflict otherwise.
	PutBlob(ctx context.Context, account, name string, rev int64, data []byte) (int64, error)
	// Blob returns one blob or ErrNotFound.
	Blob(ctx context.Context, account, name string) (syncwire.Blob, error)
	// Blobs lists the blobs whose name starts with prefix, sorted by name.
	Blobs(ctx context.Context, account, prefix string) ([]syncwire.Blob, error)

	// PutInvite parks an invite wrap under code until expires; it will
	// enrol device. ErrExists if the code or the device is taken.
	PutInvite(ctx context.Context, account, code, device string, blob []byte, expires time.Time) error
	// ClaimInvite consumes the invite code at now: it adds its device with
	// tokenHash and returns the account, device and wrap. ErrNotFound for
	// an unknown code, ErrExpired for an expired one (which is deleted).
	ClaimInvite(ctx context.Context, code string, tokenHash [32]byte, now time.Time) (account, device string, blob []byte, err error)

	// Usage returns the bytes charged to the account and its quota.
	Usage(ctx context.Context, account string) (used, quota int64, err error)

	// Close releases the storage.
	Close() error
}

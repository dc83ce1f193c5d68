package syncclient

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncwire"
)

// Blob names on the relay.
const (
	blobRoster     = "roster"
	blobPassphrase = "wrap.passphrase"
	blobRecovery   = "wrap.recovery"
)

// grantBlob names the grant of epoch to recipient ("@recovery" is stored
// as "_recovery": relay names cannot start with '@').
func grantBlob(recipient string, epoch uint32) string {
	if recipient == seal.RecoveryRecipient {
		recipient = "_recovery"
	}
	return fmt.Sprintf("grant.%s.%d", recipient, epoch)
}

func randomID(prefix string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// InitResult is what a new account gives the user once.
type InitResult struct {
	Client      *Client
	RecoveryKey seal.RecoveryKey
}

// Init creates a new account on the relay with this device as its first
// member. The account key is wrapped under the passphrase (Argon2id with
// seal.DefaultArgon2; no passphrase wrap when pass is empty) and under a
// new recovery key, which the caller must show the user once.
func Init(ctx context.Context, o Options, relayURL string, scope []string, pass []byte) (*InitResult, error) {
	o = o.withDefaults()
	if ok, err := Configured(ctx, o.DB); err != nil {
		return nil, err
	} else if ok {
		return nil, ErrConfigured
	}
	u, err := CheckRelayURL(relayURL)
	if err != nil {
		return nil, err
	}
	if scope, err = CheckScope(scope); err != nil {
		return nil, err
	}
	account, devID := randomID("a", 10), randomID("d", 5)
	dev, err := seal.NewDevice(devID)
	if err != nil {
		return nil, err
	}
	ring, err := seal.NewKeyring(account)
	if err != nil {
		return nil, err
	}
	acctKey := seal.NewAccountKey()
	roster := &seal.Roster{Account: account, Version: 1, Epoch: 1, RecoveryPub: acctKey.Public(), Members: []seal.Member{dev.Member(1)}}
	signed, err := seal.SignRoster(roster, dev)
	if err != nil {
		return nil, err
	}
	rk := seal.NewRecoveryKey()
	recWrap, err := seal.WrapRecovery(acctKey[:], rk)
	if err != nil {
		return nil, err
	}
	var passWrap []byte
	if len(pass) > 0 {
		if passWrap, err = seal.WrapPassphrase(acctKey[:], pass, seal.DefaultArgon2); err != nil {
			return nil, err
		}
	}
	key1, _ := ring.Key(1)
	grant, err := seal.SealGrant(account, 1, key1, seal.RecoveryRecipient, acctKey.Public(), dev)
	if err != nil {
		return nil, err
	}

	rl := &relay{base: u, hc: o.HTTP}
	tr, err := rl.createAccount(ctx, account, devID)
	if err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	rl.token = tr.Token
	if _, err := rl.putBlob(ctx, blobRoster, 0, signed); err != nil {
		return nil, fmt.Errorf("upload roster: %w", err)
	}
	if _, err := rl.putBlob(ctx, blobRecovery, 0, recWrap); err != nil {
		return nil, fmt.Errorf("upload recovery wrap: %w", err)
	}
	if passWrap != nil {
		if _, err := rl.putBlob(ctx, blobPassphrase, 0, passWrap); err != nil {
			return nil, fmt.Errorf("upload passphrase wrap: %w", err)
		}
	}
	if _, err := rl.putBlob(ctx, grantBlob(seal.RecoveryRecipient, 1), 0, grant); err != nil {
		return nil, fmt.Errorf("upload grant: %w", err)
	}
	if err := saveSetup(ctx, o, u.String(), account, devID, tr.Token, dev, ring, signed, 1, scope); err != nil {
		return nil, err
	}
	c, err := Open(ctx, o)
	if err != nil {
		return nil, err
	}
	return &InitResult{Client: c, RecoveryKey: rk}, nil
}

// saveSetup writes the keys (files, 0600) and then the configuration
// (store); sync counts as configured only once both are there.
func saveSetup(ctx context.Context, o Options, relayURL, account, devID, token string, dev *seal.Device, ring *seal.Keyring, roster []byte, rosterRev int64, scope []string) error {
	dir := syncDir(o.Home)
	db, err := dev.MarshalBinary()
	if err != nil {
		return err
	}
	rb, err := ring.MarshalBinary()
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"device.key", db}, {"keyring", rb}, {"roster", roster}, {"token", []byte(token + "\n")}} {
		if err := writeFile(dir, f.name, f.data); err != nil {
			return fmt.Errorf("save %s: %w", f.name, err)
		}
	}
	tx, err := o.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range map[string]string{
		"relay": relayURL, "device": devID, "scope": strings.Join(scope, ","),
		"roster_rev": strconv.FormatInt(rosterRev, 10), "account": account,
	} {
		if err := setMeta(ctx, tx, k, []byte(v)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// invitePayload is what an invite wrap carries to the new device.
type invitePayload struct {
	Keyring []byte `json:"keyring"`
	Roster  []byte `json:"roster"`
	Device  []byte `json:"device"` // the new device's private keys
	Scope   string `json:"scope"`
}

// Invite enrols a new device: it creates the device's keys, adds it to the
// roster (signed by this device), and parks on the relay an invite wrap
// holding the keyring, the roster and the new device's keys, sealed under a
// secret that only the returned invite carries. The relay sees the code,
// never the secret.
func (c *Client) Invite(ctx context.Context, ttl time.Duration) (seal.Invite, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.refreshKeys(ctx); err != nil {
		return seal.Invite{}, err
	}
	newID := randomID("d", 5)
	nd, err := seal.NewDevice(newID)
	if err != nil {
		return seal.Invite{}, err
	}
	r := c.roster.Clone()
	r.Version++
	r.Put(nd.Member(c.ring.Current))
	signed, err := seal.SignRoster(r, c.dev)
	if err != nil {
		return seal.Invite{}, err
	}
	if err := c.publishRoster(ctx, r, signed); err != nil {
		return seal.Invite{}, err
	}
	ndb, _ := nd.MarshalBinary()
	rb, _ := c.ring.MarshalBinary()
	payload, _ := json.Marshal(invitePayload{Keyring: rb, Roster: signed, Device: ndb, Scope: strings.Join(c.scope, ",")})
	inv := seal.NewInvite()
	blob, err := seal.WrapInvite(payload, inv)
	if err != nil {
		return seal.Invite{}, err
	}
	req := syncwire.InviteRequest{Code: inv.Code, Device: newID, Blob: blob, TTLSecond: int(ttl / time.Second)}
	if err := c.relay.putInvite(ctx, req); err != nil {
		return seal.Invite{}, fmt.Errorf("upload invite: %w", err)
	}
	return inv, nil
}

// publishRoster uploads a roster newer than the trusted one (compare-and-
// swap on the relay revision) and then trusts it locally.
func (c *Client) publishRoster(ctx context.Context, r *seal.Roster, signed []byte) error {
	rev, err := getMetaInt(ctx, c.db, "roster_rev")
	if err != nil {
		return err
	}
	nrev, err := c.relay.putBlob(ctx, blobRoster, rev, signed)
	if err != nil {
		if IsCode(err, syncwire.CodeRevConflict) {
			return fmt.Errorf("the roster changed on another device meanwhile; sync and retry: %w", err)
		}
		return fmt.Errorf("upload roster: %w", err)
	}
	return c.trustRoster(ctx, r, signed, nrev)
}

func (c *Client) trustRoster(ctx context.Context, r *seal.Roster, signed []byte, rev int64) error {
	if err := writeFile(c.dir, "roster", signed); err != nil {
		return fmt.Errorf("save roster: %w", err)
	}
	c.roster, c.rosterB = r, signed
	return setMetaInt(ctx, c.db, "roster_rev", rev)
}

// Join sets this device up from an invite made on another device: it
// claims the invite on the relay, opens the wrap with the invite's secret,
// trusts the roster inside it, restores the latest snapshot and pulls.
func Join(ctx context.Context, o Options, relayURL, invite string) (*Client, error) {
	o = o.withDefaults()
	if ok, err := Configured(ctx, o.DB); err != nil {
		return nil, err
	} else if ok {
		return nil, ErrConfigured
	}
	u, err := CheckRelayURL(relayURL)
	if err != nil {
		return nil, err
	}
	inv, err := seal.ParseInvite(invite)
	if err != nil {
		return nil, err
	}
	rl := &relay{base: u, hc: o.HTTP}
	cr, err := rl.claim(ctx, inv.Code)
	if err != nil {
		return nil, fmt.Errorf("claim invite: %w", err)
	}
	raw, err := seal.UnwrapInvite(cr.Blob, inv)
	if err != nil {
		return nil, fmt.Errorf("open invite: %w", err)
	}
	var p invitePayload
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("open invite: %w", err)
	}
	roster, err := seal.VerifyRoster(p.Roster, cr.Account, nil)
	if err != nil {
		return nil, fmt.Errorf("invite roster: %w", err)
	}
	dev, err := seal.UnmarshalDevice(p.Device)
	if err != nil {
		return nil, fmt.Errorf("invite device: %w", err)
	}
	ring, err := seal.UnmarshalKeyring(p.Keyring)
	if err != nil {
		return nil, fmt.Errorf("invite keyring: %w", err)
	}
	m, ok := roster.Member(dev.ID)
	if !ok || dev.ID != cr.Device || ring.Account != cr.Account || m.SignPub != dev.Member(0).SignPub {
		return nil, errors.New("invite: the device, account or keys do not match the roster")
	}
	scope, err := CheckScope(strings.Split(p.Scope, ","))
	if err != nil {
		scope = DefaultScope
	}
	rl.token = cr.Token
	b, _, err := rl.blob(ctx, blobRoster)
	if err != nil {
		return nil, fmt.Errorf("read roster revision: %w", err)
	}
	if err := saveSetup(ctx, o, u.String(), cr.Account, dev.ID, cr.Token, dev, ring, p.Roster, b.Rev, scope); err != nil {
		return nil, err
	}
	c, err := Open(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := c.Restore(ctx); err != nil {
		return c, fmt.Errorf("joined; restoring the snapshot failed (pam sync will retry): %w", err)
	}
	if _, err := c.Sync(ctx); err != nil {
		return c, fmt.Errorf("joined; first sync failed (pam sync will retry): %w", err)
	}
	return c, nil
}

// refreshKeys fetches the roster and this device's grants from the relay:
// a newer roster is verified against the trusted one; grants of epochs this
// device lacks are verified (signed by a member active in the epoch) and
// added to the keyring.
func (c *Client) refreshKeys(ctx context.Context) error {
	b, ok, err := c.relay.blob(ctx, blobRoster)
	if err != nil {
		return fmt.Errorf("fetch roster: %w", err)
	}
	if ok && string(b.Data) != string(c.rosterB) {
		r, err := seal.VerifyRoster(b.Data, c.account, c.roster)
		if err != nil {
			return fmt.Errorf("roster from relay refused: %w", err)
		}
		if err := c.trustRoster(ctx, r, b.Data, b.Rev); err != nil {
			return err
		}
	} else if ok {
		if err := setMetaInt(ctx, c.db, "roster_rev", b.Rev); err != nil {
			return err
		}
	}
	if c.roster.Epoch <= c.ring.Current {
		return nil
	}
	gs, err := c.relay.blobs(ctx, "grant."+c.devID+".")
	if err != nil {
		return fmt.Errorf("fetch grants: %w", err)
	}
	added := false
	for _, g := range gs {
		epoch, key, err := seal.OpenGrant(g.Data, c.account, c.devID, c.dev.Box, c.roster)
		if err != nil {
			c.o.Logger.Warn("grant refused", "name", g.Name, "err", err)
			continue
		}
		if _, have := c.ring.Key(epoch); !have {
			c.ring.Add(epoch, key)
			added = true
		}
	}
	if added {
		return c.saveKeyring()
	}
	return nil
}

// Revoke removes a device from the account: a new epoch whose key is
// granted to every remaining device and to the account's recovery key but
// not to the revoked one, a new roster marking it revoked, and the
// revocation of its relay token. Batches sealed from now on use the new
// epoch, which the revoked device cannot open.
func (c *Client) Revoke(ctx context.Context, device string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if device == c.devID {
		return errors.New("a device cannot revoke itself; revoke it from another device")
	}
	if err := c.refreshKeys(ctx); err != nil {
		return err
	}
	if m, ok := c.roster.Member(device); !ok {
		return fmt.Errorf("device %q is not in the roster", device)
	} else if m.Revoked != 0 {
		return fmt.Errorf("device %q is already revoked", device)
	}
	// Rotate works on copies: nothing local changes until the relay holds
	// the new roster and grants.
	ringB, _ := c.ring.MarshalBinary()
	ring, _ := seal.UnmarshalKeyring(ringB)
	rot, err := seal.Rotate(ring, c.roster.Clone(), c.dev, device)
	if err != nil {
		return err
	}
	for rcpt, g := range rot.Grants {
		name := grantBlob(rcpt, rot.Roster.Epoch)
		if _, err := c.relay.putBlob(ctx, name, 0, g); err != nil && !IsCode(err, syncwire.CodeRevConflict) {
			return fmt.Errorf("upload grant for %s: %w", rcpt, err)
		}
	}
	// The roster is published before the keyring is saved: if we crash in
	// between, the trusted roster names the new epoch and refreshKeys
	// fetches our own grant of it.
	if err := c.publishRoster(ctx, rot.Roster, rot.Signed); err != nil {
		return err
	}
	c.ring = ring
	if err := c.saveKeyring(); err != nil {
		return err
	}
	if err := c.relay.revoke(ctx, device); err != nil {
		return fmt.Errorf("revoke token on relay: %w", err)
	}
	c.o.Logger.Info("device revoked", "device", device, "epoch", rot.Roster.Epoch)
	return nil
}

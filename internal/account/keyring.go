package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

// The freedesktop Secret Service API (org.freedesktop.secrets), as
// implemented by gnome-keyring, KeePassXC and KWallet.
const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssSession    = "org.freedesktop.Secret.Session"
	noPrompt     = dbus.ObjectPath("/")
)

// Errors of the keyring. ErrKeyringUnavailable means no Secret Service
// answered (or it has no default collection): the caller may use the file
// instead. ErrKeyringLocked means it answered but its default collection
// is locked: PAM does not show an unlock prompt, and does not fall back to
// the file either, so the password is not kept in two places.
var (
	ErrKeyringUnavailable = errors.New("no Secret Service keyring")
	ErrKeyringLocked      = errors.New("the keyring is locked")
)

// keyringTimeout bounds one keyring operation, the connection included;
// probeTimeout bounds OpenKeyring's check (which may start the service by
// D-Bus activation).
const (
	keyringTimeout = 10 * time.Second
	probeTimeout   = 5 * time.Second
)

// Keyring keeps secrets in the OS keyring through the freedesktop Secret
// Service on the D-Bus session bus: one item per secret in the default
// collection (alias "default"), with attributes application=pam,
// home=<data directory>, key=<secret name such as imap:work> and label
// "PAM: <key>". Secrets travel over the bus encrypted in a
// dh-ietf1024-sha256-aes128-cbc-pkcs7 session, or in a plain session when
// the service does not offer that algorithm.
//
// Each operation opens its own bus connection and session and closes
// them, so a Keyring holds no connection and needs no Close. Secrets that
// were saved in the data directory's file before a keyring was reachable
// are still found by Get, and Set and Delete remove that file copy.
type Keyring struct {
	addr   string
	home   string
	label  string // the default collection's label, for Where
	legacy *FileSecrets
}

var _ Secrets = (*Keyring)(nil)

// OpenKeyring checks that a Secret Service answers on the session bus at
// busAddr (the value of DBUS_SESSION_BUS_ADDRESS) and has a default
// collection, and returns the keyring for the data directory home. It
// returns an error wrapping ErrKeyringUnavailable when it does not.
func OpenKeyring(ctx context.Context, busAddr, home string) (*Keyring, error) {
	if busAddr == "" {
		return nil, fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is empty)", ErrKeyringUnavailable)
	}
	k := &Keyring{addr: busAddr, home: home, legacy: NewFileSecrets(home)}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := dbus.Connect(busAddr, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("%w: session bus: %v", ErrKeyringUnavailable, err)
	}
	defer conn.Close()
	coll, err := defaultCollection(ctx, conn)
	if err != nil {
		return nil, err
	}
	var label string
	if err := getProperty(ctx, conn.Object(ssName, coll), ssCollection, "Label", &label); err != nil || label == "" {
		label = string(coll)
	}
	k.label = label
	return k, nil
}

// OpenSecrets returns where the secrets of the data directory home are
// kept: the keyring when a Secret Service answers on busAddr (the value of
// DBUS_SESSION_BUS_ADDRESS), else the 0600 file in home.
func OpenSecrets(ctx context.Context, home, busAddr string) Secrets {
	k, err := OpenKeyring(ctx, busAddr, home)
	if err != nil {
		return NewFileSecrets(home)
	}
	return k
}

// Where names the keyring and its collection.
func (k *Keyring) Where() string {
	return fmt.Sprintf("the keyring (Secret Service, collection %q)", k.label)
}

// Get returns the secret for key, from the keyring, else from the file
// written before a keyring was reachable. It returns pam.ErrNotFound when
// neither has it and an error wrapping ErrKeyringLocked when the
// collection is locked.
func (k *Keyring) Get(key string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
	defer cancel()
	s, err := k.open(ctx)
	if err != nil {
		return "", err
	}
	defer s.close()
	items, err := s.search(ctx, key)
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return k.legacy.Get(key)
	}
	var sec secret
	if err := s.conn.Object(ssName, items[0]).CallWithContext(ctx, ssItem+".GetSecret", 0, s.path).Store(&sec); err != nil {
		if isLockedError(err) {
			return "", fmt.Errorf("keyring: %w", ErrKeyringLocked)
		}
		return "", fmt.Errorf("keyring: read %s: %w", key, err)
	}
	value, err := s.decrypt(sec)
	if err != nil {
		return "", fmt.Errorf("keyring: read %s: %w", key, err)
	}
	return string(value), nil
}

// Set stores secret under key in the keyring, replacing an earlier one,
// and removes any copy left in the file.
func (k *Keyring) Set(key, value string) error {
	ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
	defer cancel()
	s, err := k.open(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	sec, err := s.encrypt([]byte(value))
	if err != nil {
		return fmt.Errorf("keyring: store %s: %w", key, err)
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant("PAM: " + key),
		ssItem + ".Attributes": dbus.MakeVariant(k.attributes(key)),
	}
	var item, prompt dbus.ObjectPath
	if err := s.coll.CallWithContext(ctx, ssCollection+".CreateItem", 0, props, sec, true).Store(&item, &prompt); err != nil {
		if isLockedError(err) {
			return fmt.Errorf("keyring: %w", ErrKeyringLocked)
		}
		return fmt.Errorf("keyring: store %s: %w", key, err)
	}
	if prompt != noPrompt {
		return fmt.Errorf("keyring: store %s: the keyring asks for a prompt: %w", key, ErrKeyringLocked)
	}
	return k.legacy.Delete(key)
}

// Delete forgets key in the keyring and in the file; forgetting an
// unknown key is not an error.
func (k *Keyring) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
	defer cancel()
	s, err := k.open(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	items, err := s.search(ctx, key)
	if err != nil {
		return err
	}
	for _, it := range items {
		var prompt dbus.ObjectPath
		if err := s.conn.Object(ssName, it).CallWithContext(ctx, ssItem+".Delete", 0).Store(&prompt); err != nil {
			if isLockedError(err) {
				return fmt.Errorf("keyring: %w", ErrKeyringLocked)
			}
			return fmt.Errorf("keyring: delete %s: %w", key, err)
		}
		if prompt != noPrompt {
			return fmt.Errorf("keyring: delete %s: the keyring asks for a prompt: %w", key, ErrKeyringLocked)
		}
	}
	return k.legacy.Delete(key)
}

func (k *Keyring) attributes(key string) map[string]string {
	return map[string]string{"application": "pam", "home": k.home, "key": key}
}

// secret is the Secret Service's Secret struct (oayays).
type secret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// ksession is one operation's connection, unlocked default collection and
// Secret Service session.
type ksession struct {
	k    *Keyring
	conn *dbus.Conn
	coll dbus.BusObject
	path dbus.ObjectPath
	aes  []byte // the session key; nil for a plain session
}

// open connects, finds the default collection, checks it is unlocked and
// opens a session (encrypted when the service offers it).
func (k *Keyring) open(ctx context.Context) (*ksession, error) {
	conn, err := dbus.Connect(k.addr, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("keyring: %w: session bus: %v", ErrKeyringUnavailable, err)
	}
	s := &ksession{k: k, conn: conn}
	collPath, err := defaultCollection(ctx, conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("keyring: %w", err)
	}
	s.coll = conn.Object(ssName, collPath)
	var locked bool
	if err := getProperty(ctx, s.coll, ssCollection, "Locked", &locked); err != nil {
		conn.Close()
		return nil, fmt.Errorf("keyring: collection %s: %w", collPath, err)
	}
	if locked {
		conn.Close()
		return nil, fmt.Errorf("keyring: %w: collection %q; unlock it (log in to the desktop, or open it in the keyring manager) and try again", ErrKeyringLocked, k.label)
	}
	if err := s.openSession(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("keyring: open session: %w", err)
	}
	return s, nil
}

func (s *ksession) openSession(ctx context.Context) error {
	svc := s.conn.Object(ssName, ssPath)
	priv, pub, err := dhKeyPair()
	if err != nil {
		return err
	}
	var out dbus.Variant
	err = svc.CallWithContext(ctx, ssService+".OpenSession", 0, dhAlgorithm, dbus.MakeVariant(pub)).Store(&out, &s.path)
	if err == nil {
		peer, ok := out.Value().([]byte)
		if !ok {
			return fmt.Errorf("%s: the service answered a %s, not bytes", dhAlgorithm, out.Signature())
		}
		s.aes, err = dhSessionKey(priv, peer)
		if err != nil {
			s.close()
			return err
		}
		return nil
	}
	if dbusErrorName(err) != "org.freedesktop.DBus.Error.NotSupported" {
		return err
	}
	return svc.CallWithContext(ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &s.path)
}

func (s *ksession) close() {
	if s.path != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s.conn.Object(ssName, s.path).CallWithContext(ctx, ssSession+".Close", 0)
		cancel()
	}
	s.conn.Close()
}

// search returns the items of the default collection for key.
func (s *ksession) search(ctx context.Context, key string) ([]dbus.ObjectPath, error) {
	var items []dbus.ObjectPath
	if err := s.coll.CallWithContext(ctx, ssCollection+".SearchItems", 0, s.k.attributes(key)).Store(&items); err != nil {
		return nil, fmt.Errorf("keyring: search %s: %w", key, err)
	}
	return items, nil
}

func (s *ksession) encrypt(value []byte) (secret, error) {
	sec := secret{Session: s.path, Parameters: []byte{}, Value: value, ContentType: "text/plain"}
	if s.aes == nil {
		return sec, nil
	}
	iv, ct, err := aesCBCEncrypt(s.aes, value)
	if err != nil {
		return secret{}, err
	}
	sec.Parameters, sec.Value = iv, ct
	return sec, nil
}

func (s *ksession) decrypt(sec secret) ([]byte, error) {
	if s.aes == nil {
		return sec.Value, nil
	}
	return aesCBCDecrypt(s.aes, sec.Parameters, sec.Value)
}

// defaultCollection returns the path of the collection behind the alias
// "default", or an error wrapping ErrKeyringUnavailable.
func defaultCollection(ctx context.Context, conn *dbus.Conn) (dbus.ObjectPath, error) {
	var coll dbus.ObjectPath
	err := conn.Object(ssName, ssPath).CallWithContext(ctx, ssService+".ReadAlias", 0, "default").Store(&coll)
	if err != nil {
		return "", fmt.Errorf("%w: %s does not answer: %v", ErrKeyringUnavailable, ssName, err)
	}
	if coll == noPrompt || coll == "" {
		return "", fmt.Errorf("%w: the Secret Service has no default collection", ErrKeyringUnavailable)
	}
	return coll, nil
}

func getProperty(ctx context.Context, obj dbus.BusObject, iface, name string, out any) error {
	var v dbus.Variant
	if err := obj.CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, iface, name).Store(&v); err != nil {
		return err
	}
	return v.Store(out)
}

func dbusErrorName(err error) string {
	var e dbus.Error
	if errors.As(err, &e) {
		return e.Name
	}
	var pe *dbus.Error
	if errors.As(err, &pe) {
		return pe.Name
	}
	return ""
}

func isLockedError(err error) bool {
	return dbusErrorName(err) == "org.freedesktop.Secret.Error.IsLocked"
}

// Package imap is PAM's IMAP source: it connects with TLS or STARTTLS and
// certificate verification (plaintext only to loopback), and syncs every
// folder of an account into the store incrementally by UIDVALIDITY and
// UIDNEXT, with CONDSTORE's HIGHESTMODSEQ for flag changes when the server
// offers it. Flags go both ways; moves, archives and deletes made in PAM
// are applied on the server. A folder whose UIDVALIDITY changed is
// resynced cleanly: messages are keyed by PAM's stable id, so nothing is
// duplicated or lost. Source keys are "imap:ACCOUNT:FOLDER:UIDVALIDITY:UID".
//
// It is the only package that imports the IMAP library.
package imap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"
)

// Security is how the connection is protected.
type Security string

const (
	SecurityTLS      Security = "tls"      // implicit TLS (port 993)
	SecuritySTARTTLS Security = "starttls" // STARTTLS on the plain port (143)
	SecurityPlain    Security = "plain"    // no encryption: loopback only
)

// Config is one IMAP account's connection settings.
type Config struct {
	Account  string // PAM's name for the account; part of every source key
	Host     string
	Port     int // 0: 993 for TLS, 143 otherwise
	User     string
	Password string
	Security Security
	// CAFile is a PEM file of certificates to trust in addition to the
	// system's (for a server with a self-signed certificate).
	CAFile string
	// Offline refuses any host that is not loopback.
	Offline bool
}

// String describes the account without its password.
func (c Config) String() string {
	return fmt.Sprintf("%s (%s@%s, %s)", c.Account, c.User, c.addr(), c.Security)
}

func (c Config) addr() string {
	port := c.Port
	if port == 0 {
		port = 143
		if c.Security == SecurityTLS || c.Security == "" {
			port = 993
		}
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// Validate checks the settings, naming the field at fault.
func (c Config) Validate() error {
	if !ValidAccountName(c.Account) {
		return fmt.Errorf("account name %q: use letters, digits, '.', '_' or '-'", c.Account)
	}
	if c.Host == "" {
		return errors.New("host: missing")
	}
	if c.User == "" {
		return errors.New("user: missing")
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("port: %d out of range", c.Port)
	}
	switch c.Security {
	case SecurityTLS, SecuritySTARTTLS, "":
	case SecurityPlain:
		if !IsLoopback(c.Host) {
			return fmt.Errorf("security: refusing plaintext IMAP to %s, which is not a loopback address (use tls or starttls)", c.Host)
		}
	default:
		return fmt.Errorf("security: %q is not tls, starttls or plain", c.Security)
	}
	if c.Offline && !IsLoopback(c.Host) {
		return fmt.Errorf("host: %s is not loopback and PAM is offline", c.Host)
	}
	return nil
}

// ValidAccountName reports whether s can name an account: 1 to 64 of
// letters, digits, '.', '_' and '-'.
func ValidAccountName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// IsLoopback reports whether host is a loopback IP address or "localhost".
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// ErrAuth is the kind of a rejected login; the error's text names the user
// and host, never the password.
var ErrAuth = errors.New("authentication failed")

// AuthError is a rejected login.
type AuthError struct {
	User, Host string
	Reason     string // the server's text, if any
}

func (e *AuthError) Error() string {
	s := fmt.Sprintf("authentication failed for %s@%s", e.User, e.Host)
	if e.Reason != "" {
		s += " (server said: " + e.Reason + ")"
	}
	return s
}

func (e *AuthError) Is(target error) bool { return target == ErrAuth }

// ErrTLS is the kind of a failed certificate verification or handshake.
var ErrTLS = errors.New("tls")

// dial connects and logs in. The client is closed when ctx is done.
func dial(ctx context.Context, cfg Config, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts := &imapclient.Options{
		UnilateralDataHandler: handler,
		WordDecoder:           &mime.WordDecoder{CharsetReader: charset.Reader},
		Dialer:                &net.Dialer{Timeout: 20 * time.Second, KeepAlive: 30 * time.Second},
	}
	if cfg.Security != SecurityPlain {
		tc, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		opts.TLSConfig = tc
	}
	type result struct {
		c   *imapclient.Client
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var c *imapclient.Client
		var err error
		switch cfg.Security {
		case SecurityPlain:
			c, err = imapclient.DialInsecure(cfg.addr(), opts)
		case SecuritySTARTTLS:
			c, err = imapclient.DialStartTLS(cfg.addr(), opts)
		default:
			c, err = imapclient.DialTLS(cfg.addr(), opts)
		}
		if err == nil {
			err = c.WaitGreeting()
		}
		ch <- result{c, err}
	}()
	var r result
	select {
	case r = <-ch:
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.c != nil {
				r.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
	if r.err != nil {
		if r.c != nil {
			r.c.Close()
		}
		return nil, connectError(cfg, r.err)
	}
	c := r.c
	stop := context.AfterFunc(ctx, func() { c.Close() })
	if err := c.Login(cfg.User, cfg.Password).Wait(); err != nil {
		stop()
		c.Close()
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return nil, &AuthError{User: cfg.User, Host: cfg.Host, Reason: ie.Text}
		}
		return nil, fmt.Errorf("login to %s: %w", cfg.addr(), err)
	}
	return c, nil
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	tc := &tls.Config{ServerName: strings.Trim(cfg.Host, "[]"), MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("ca file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca file %s: no PEM certificate in it", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

func connectError(cfg Config, err error) error {
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	var tve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &uae), errors.As(err, &tve) && errors.As(tve.Err, &uae):
		return fmt.Errorf("connect to %s: the server's certificate is not signed by a trusted authority (give its certificate with --ca-file): %w", cfg.addr(), errors.Join(ErrTLS, err))
	case errors.As(err, &hne), errors.As(err, &cie), errors.As(err, &tve):
		return fmt.Errorf("connect to %s: certificate rejected: %w", cfg.addr(), errors.Join(ErrTLS, err))
	}
	return fmt.Errorf("connect to %s: %w", cfg.addr(), err)
}

// transient reports whether err is worth a retry: a dropped or refused
// connection, a timeout, a server going away. Authentication, TLS and
// configuration errors are not.
func transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, ErrAuth) || errors.Is(err, ErrTLS) {
		return false
	}
	var ne net.Error
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &ne) {
		return true
	}
	var ie *imap.Error
	if errors.As(err, &ie) {
		// BYE (server shutting down) is transient; NO/BAD answers are not.
		return ie.Type == imap.StatusResponseTypeBye
	}
	s := err.Error()
	return strings.Contains(s, "EOF") || strings.Contains(s, "connection closed") || strings.Contains(s, "use of closed network connection") ||
		strings.Contains(s, "broken pipe") || strings.Contains(s, "connection reset")
}

// CheckLogin connects and logs in once, to check an account's settings.
func CheckLogin(ctx context.Context, cfg Config) error {
	c, err := dial(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Logout().Wait()
}

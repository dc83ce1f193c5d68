// Package egress is PAM's network boundary for model traffic.
//
// Egress is any connection to a non-loopback address. Every byte that a
// model call sends goes through one *http.Client built here (NewClient),
// whose dialer refuses non-loopback addresses when the device is offline and
// whose transport refuses to send a request to a non-loopback host unless
// the exact request body was approved beforehand (Approve), which the
// privacy gateway does only after the body is written to the ledger and
// fsynced. See doc/design/privacy.md.
//
// In offline mode no name is resolved except "localhost" (resolving a name
// is itself traffic to a DNS server), and every resolved address must be
// loopback.
package egress

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Errors returned (wrapped) by the dialer and the transport.
var (
	// ErrOffline: a non-loopback connection was attempted in offline mode.
	ErrOffline = errors.New("egress: offline mode allows loopback only")
	// ErrNotApproved: a request to a non-loopback host carried a body that
	// was not approved (ledgered) for this context.
	ErrNotApproved = errors.New("egress: request body not in the ledger")
	// ErrRefused: the dialer's Check refused the address.
	ErrRefused = errors.New("egress: connection refused by policy")
)

// IsLoopbackHost reports whether host (a name or an IP literal, with or
// without brackets) names the loopback interface: "localhost", a name under
// ".localhost", or an address in 127.0.0.0/8 or ::1. Other names are not
// loopback, whatever they resolve to.
func IsLoopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 { // zone
		h = h[:i]
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	return a.Unmap().IsLoopback()
}

// IsLoopbackURL reports whether the URL's host is loopback. A URL that does
// not parse, or has no host, is not loopback.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

// Dialer opens the TCP connections of model traffic. The zero value is an
// online dialer with the system resolver.
type Dialer struct {
	// Offline refuses every non-loopback address and every name but
	// localhost.
	Offline bool
	// Check, when not nil, is called with every address before it is
	// dialled; a non-nil error refuses the connection. Tests use it to fail
	// on any non-loopback attempt.
	Check func(network string, addr netip.AddrPort) error
	// Timeout bounds one connection attempt; 0 means 10 s.
	Timeout time.Duration
	// Resolver resolves names when online; nil means net.DefaultResolver.
	Resolver *net.Resolver
	// Hosts pins names to addresses without asking a resolver, like
	// /etc/hosts (a provider's host pinned by the user; tests point a
	// cloud-looking name at a local fake). The addresses are checked like
	// any other.
	Hosts map[string]netip.Addr
}

// DialContext resolves addr, checks every address against the offline rule
// and Check, and dials the first that connects. The address dialled is the
// one checked (no second resolution).
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("egress: dial %q: %w", addr, err)
	}
	ips, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	timeout := d.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	nd := net.Dialer{Timeout: timeout}
	var firstErr error
	for _, ip := range ips {
		p, perr := parsePort(port)
		if perr != nil {
			return nil, perr
		}
		ap := netip.AddrPortFrom(ip, p)
		if d.Offline && !ip.Unmap().IsLoopback() {
			return nil, fmt.Errorf("dial %s: %w", ap, ErrOffline)
		}
		if d.Check != nil {
			if err := d.Check(network, ap); err != nil {
				return nil, fmt.Errorf("dial %s: %w: %v", ap, ErrRefused, err)
			}
		}
		c, err := nd.DialContext(ctx, network, ap.String())
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func parsePort(p string) (uint16, error) {
	var n int
	if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 0 || n > 65535 {
		return 0, fmt.Errorf("egress: bad port %q", p)
	}
	return uint16(n), nil
}

// resolve returns the addresses for host. Offline, only IP literals and
// localhost are accepted, without asking any resolver.
func (d *Dialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	h := strings.Trim(host, "[]")
	if a, err := netip.ParseAddr(h); err == nil {
		return []netip.Addr{a.WithZone("")}, nil
	}
	if a, ok := d.Hosts[strings.ToLower(h)]; ok {
		return []netip.Addr{a}, nil
	}
	if IsLoopbackHost(h) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}, nil
	}
	if d.Offline {
		return nil, fmt.Errorf("resolve %s: %w", h, ErrOffline)
	}
	r := d.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", h)
	if err != nil {
		return nil, fmt.Errorf("egress: resolve %s: %w", h, err)
	}
	return ips, nil
}

// approvedKey is the context key of an approved body digest.
type approvedKey struct{}

// Approve returns a context under which requests to non-loopback hosts may
// carry exactly body (compared by SHA-256). The privacy gateway calls it
// after the ledger entry holding body is on disk.
func Approve(ctx context.Context, body []byte) context.Context {
	return context.WithValue(ctx, approvedKey{}, sha256.Sum256(body))
}

// transport refuses non-loopback requests whose body is not approved.
type transport struct {
	base http.RoundTripper
}

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if IsLoopbackHost(req.URL.Hostname()) {
		return t.base.RoundTrip(req)
	}
	want, ok := req.Context().Value(approvedKey{}).([32]byte)
	if !ok {
		closeBody(req)
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Host, ErrNotApproved)
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("egress: read request body: %w", err)
		}
		body = b
	}
	if sha256.Sum256(body) != want {
		return nil, fmt.Errorf("%s %s: %w (body differs from the ledgered one)", req.Method, req.URL.Host, ErrNotApproved)
	}
	r2 := req.Clone(req.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return t.base.RoundTrip(r2)
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// NewClient returns the one HTTP client for model traffic: connections go
// through d, no proxy from the environment is used (a proxy is a
// non-loopback connection), redirects are not followed, and requests to
// non-loopback hosts need an approved body. timeout bounds a whole request
// (0 means none; callers set per-call deadlines on the context).
func NewClient(d *Dialer, timeout time.Duration) *http.Client {
	if d == nil {
		d = &Dialer{}
	}
	base := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          8,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 0,
	}
	return &http.Client{
		Transport: transport{base: base},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return fmt.Errorf("egress: redirect to %s refused", req.URL.Host)
		},
	}
}

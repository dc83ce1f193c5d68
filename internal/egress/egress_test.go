package egress

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"

	"strings"
	"sync/atomic"
	"testing"

	"github.com/pam-ai/pam/internal/egress/egresstest"
)

func TestIsLoopbackHost(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"localhost", true},
		{"LOCALHOST.", true},
		{"ollama.localhost", true},
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"[::1]", true},
		{"::ffff:127.0.0.1", true},
		{"10.0.0.1", false},
		{"192.168.1.20", false},
		{"0.0.0.0", false},
		{"api.anthropic.com", false},
		{"localhost.example.com", false},
		{"127.0.0.1.nip.io", false},
		{"", false},
	} {
		if got := IsLoopbackHost(tc.in); got != tc.want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"http://127.0.0.1:11434/v1", true},
		{"http://localhost:8080/v1", true},
		{"https://api.anthropic.com/", false},
		{"http://my-local-llm:8080/v1", false}, // a name that is not loopback is cloud
		{"not a url", false},
		{"", false},
	} {
		if got := IsLoopbackURL(tc.in); got != tc.want {
			t.Errorf("IsLoopbackURL(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// failOnNonLoopback is a Check that fails the test on any non-loopback
// connection attempt.
func failOnNonLoopback(t *testing.T) func(string, netip.AddrPort) error {
	return func(network string, ap netip.AddrPort) error {
		if !ap.Addr().Unmap().IsLoopback() {
			t.Errorf("non-loopback connection attempted: %s %s", network, ap)
			return errors.New("test forbids non-loopback")
		}
		return nil
	}
}

func TestOfflineDialerRefusesWithoutTrying(t *testing.T) {
	d := &Dialer{Offline: true, Check: failOnNonLoopback(t)}
	// Names other than localhost are not even resolved offline.
	d.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		t.Errorf("resolver used offline for %s", address)
		return nil, errors.New("no")
	}}
	for _, addr := range []string{"192.0.2.1:443", "[2001:db8::1]:443", "api.anthropic.com:443", "10.1.2.3:11434"} {
		c, err := d.DialContext(context.Background(), "tcp", addr)
		if c != nil {
			c.Close()
		}
		if !errors.Is(err, ErrOffline) {
			t.Errorf("offline DialContext(%s) = %v, want ErrOffline", addr, err)
		}
	}
}

func TestOfflineClientReachesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := NewClient(&Dialer{Offline: true, Check: failOnNonLoopback(t)}, 0)
	for _, u := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatalf("GET %s offline: %v", u, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "ok" {
			t.Errorf("GET %s = %q, want ok", u, b)
		}
	}
}

func TestClientIgnoresProxyEnvironment(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://192.0.2.7:3128")
	t.Setenv("HTTPS_PROXY", "http://192.0.2.7:3128")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := NewClient(&Dialer{Check: failOnNonLoopback(t)}, 0)
	resp, err := c.Get(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp.Body.Close()
}

func TestNonLoopbackNeedsApprovedBody(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	// cloud.test is pinned to the loopback fake: by name it is cloud.
	d := &Dialer{Hosts: map[string]netip.Addr{"cloud.test": netip.MustParseAddr("127.0.0.1")}, Check: failOnNonLoopback(t)}
	c := NewClient(d, 0)
	url := "http://cloud.test" + port + "/v1/x"
	post := func(ctx context.Context, body string) (string, error) {
		req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
		resp, err := c.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), nil
	}
	ctx := context.Background()
	if _, err := post(ctx, "secret"); !errors.Is(err, ErrNotApproved) {
		t.Errorf("unapproved POST = %v, want ErrNotApproved", err)
	}
	if _, err := post(Approve(ctx, []byte("other")), "secret"); !errors.Is(err, ErrNotApproved) {
		t.Errorf("POST with another approved body = %v, want ErrNotApproved", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("server got %d requests before approval, want 0", n)
	}
	got, err := post(Approve(ctx, []byte("secret")), "secret")
	if err != nil || got != "secret" {
		t.Fatalf("approved POST = %q, %v, want secret, nil", got, err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestRedirectRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://192.0.2.9/steal", http.StatusFound)
	}))
	defer srv.Close()
	c := NewClient(&Dialer{Check: failOnNonLoopback(t)}, 0)
	resp, err := c.Get(srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatal("redirect followed, want an error")
	}
}

// TestNoNetworkNamespace re-runs this test binary inside a network
// namespace that has only loopback (unshare -n), and checks there that
// loopback works, that offline refuses without trying, and that online
// non-loopback fails (there is no network to reach).
func TestNoNetworkNamespace(t *testing.T) {
	if egresstest.InChild() {
		netnsChild(t)
		return
	}
	cmd := egresstest.Command(t, "TestNoNetworkNamespace")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child in network namespace: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "netns-child-ok") {
		t.Fatalf("child did not run its checks:\n%s", out)
	}
}

func netnsChild(t *testing.T) {
	// There is no route out: prove it first.
	if c, err := net.Dial("udp", "192.0.2.1:53"); err == nil {
		// UDP "connect" needs a route; with only lo there is none.
		c.Close()
		t.Fatal("namespace has a route out")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	c := NewClient(&Dialer{Offline: true}, 0)
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("loopback in namespace: %v", err)
	}
	resp.Body.Close()
	if _, err := (&Dialer{Offline: true}).DialContext(context.Background(), "tcp", "192.0.2.1:443"); !errors.Is(err, ErrOffline) {
		t.Errorf("offline dial = %v, want ErrOffline", err)
	}
	if c, err := (&Dialer{}).DialContext(context.Background(), "tcp", "192.0.2.1:443"); err == nil {
		c.Close()
		t.Errorf("online dial out of a namespace without network succeeded")
	}
	os.Stdout.WriteString("netns-child-ok\n")
}

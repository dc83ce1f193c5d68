package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/syncclient"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files
// and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "pam-relay test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS runs pam-relay serve with --tls-cert/--tls-key and a sync
// client that trusts the certificate: the account is created over HTTPS;
// a client that does not trust it, and plain HTTP to the TLS port, fail;
// and the client refuses plain HTTP to a non-loopback relay before
// connecting at all.
func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--store", "sqlite:" + filepath.Join(t.TempDir(), "relay.db"),
			"--tls-cert", certFile, "--tls-key", keyFile}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("relay did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(line)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("relay URL = %q, want https on loopback", base)
	}

	newStore := func() (*store.Store, string) {
		dir := t.TempDir()
		st, err := store.Open(context.Background(), filepath.Join(dir, "pam.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st, dir
	}
	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	st, dir := newStore()
	if _, err := syncclient.Init(ctx, syncclient.Options{Home: dir, DB: st.DB(), HTTP: &http.Client{Timeout: 10 * time.Second}}, base, syncclient.DefaultScope, nil); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Init with a client that does not trust the certificate = %v, want a certificate error", err)
	}
	st, dir = newStore()
	plain := "http://" + strings.TrimPrefix(base, "https://")
	if _, err := syncclient.Init(ctx, syncclient.Options{Home: dir, DB: st.DB(), HTTP: trusting}, plain, syncclient.DefaultScope, nil); err == nil {
		t.Error("Init over plain HTTP to the TLS port succeeded")
	}
	st, dir = newStore()
	res, err := syncclient.Init(ctx, syncclient.Options{Home: dir, DB: st.DB(), HTTP: trusting}, base, syncclient.DefaultScope, nil)
	if err != nil {
		t.Fatalf("Init over TLS = %v", err)
	}
	if err := res.Client.Set(ctx, "task", "t1", "title", []byte("over TLS")); err != nil {
		t.Fatal(err)
	}
	if rep, err := res.Client.Sync(ctx); err != nil || rep.Pushed != 1 {
		t.Errorf("Sync over TLS = %+v, %v, want one batch pushed", rep, err)
	}
	// Refused before any connection: 192.0.2.1 is TEST-NET-1, never dialled.
	for _, u := range []string{"http://192.0.2.1:8443", "http://relay.example.org"} {
		st, dir = newStore()
		if _, err := syncclient.Init(ctx, syncclient.Options{Home: dir, DB: st.DB(), HTTP: trusting}, u, syncclient.DefaultScope, nil); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Init(%s) = %v, want plain http refused", u, err)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("relay exit code after shutdown = %d, want %d", code, exitOK)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("relay did not shut down")
	}
}

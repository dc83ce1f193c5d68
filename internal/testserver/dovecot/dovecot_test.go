package dovecot

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"strings"
	"testing"
)

func TestStartLoginTLS(t *testing.T) {
	s := Start(t, Options{})
	if _, err := s.Deliver("INBOX", []byte("Subject: hi\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("tls dial: %v", err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	line, _ := r.ReadString('\n')
	if !strings.HasPrefix(line, "* OK") {
		t.Fatalf("greeting = %q, want * OK", line)
	}
	c.Write([]byte("a LOGIN pam secret\r\nb SELECT INBOX\r\n"))
	var exists bool
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if strings.Contains(line, "1 EXISTS") {
			exists = true
		}
		if strings.HasPrefix(line, "b ") {
			if !strings.HasPrefix(line, "b OK") {
				t.Fatalf("SELECT = %q", line)
			}
			break
		}
	}
	if !exists {
		t.Fatal("SELECT INBOX did not report 1 EXISTS after Deliver")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUIDValidity("INBOX", 4242); err != nil {
		t.Fatal(err)
	}
	c2, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	r2 := bufio.NewReader(c2)
	r2.ReadString('\n')
	c2.Write([]byte("a LOGIN pam secret\r\nb STATUS INBOX (UIDVALIDITY)\r\n"))
	for {
		line, err := r2.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "* STATUS") {
			if !strings.Contains(line, "UIDVALIDITY 4242") {
				t.Fatalf("STATUS = %q, want UIDVALIDITY 4242", line)
			}
			return
		}
		if strings.HasPrefix(line, "b ") {
			t.Fatalf("no STATUS line: %q", line)
		}
	}
}

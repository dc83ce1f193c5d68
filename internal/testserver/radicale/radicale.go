// Package radicale starts a real Radicale CalDAV server (the Debian package
// radicale) on a random loopback port for tests, with htpasswd plain
// authentication and its storage in t.TempDir(). When the radicale binary
// is missing the test is skipped, except under CI=true, where it fails.
package radicale

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running Radicale.
type Server struct {
	// URL is the server root, e.g. http://127.0.0.1:34805/.
	URL      string
	User     string
	Password string
	// Dir holds the configuration, the users file and the collections.
	Dir string

	mu  sync.Mutex
	log bytes.Buffer
}

var listening = regexp.MustCompile(`Listening on '?\[?127\.0\.0\.1\]?'?:(\d+)`)

// Start starts Radicale with one user and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("radicale not installed (Debian package radicale): %v", err)
		}
		t.Skipf("radicale not installed (Debian package radicale): %v", err)
	}
	s := &Server{User: "alex", Password: "correct horse", Dir: t.TempDir()}
	users := filepath.Join(s.Dir, "users")
	if err := os.WriteFile(users, []byte(s.User+":"+s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`[server]
hosts = 127.0.0.1:0
[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = %s
[rights]
type = owner_only
[web]
type = none
[logging]
level = info
mask_passwords = True
`, users, filepath.Join(s.Dir, "collections"))
	confPath := filepath.Join(s.Dir, "config")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-C", confPath)
	cmd.Env = append(os.Environ(), "HOME="+s.Dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("start radicale: %v", err)
	}
	exited := make(chan struct{})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.log.WriteString(line + "\n")
			s.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil && !sent {
				port <- m[1]
				sent = true
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("radicale log:\n%s", s.Log())
		}
	})
	select {
	case p := <-port:
		s.URL = "http://127.0.0.1:" + p + "/"
	case <-exited:
		t.Fatalf("radicale exited during start:\n%s", s.Log())
	case <-time.After(30 * time.Second):
		t.Fatalf("radicale did not start within 30s:\n%s", s.Log())
	}
	// Wait until it answers HTTP.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL)
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("radicale not answering at %s: %v\n%s", s.URL, err, s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// Log returns what Radicale wrote to stderr so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// MakeCalendar creates a calendar collection /USER/NAME/ (MKCALENDAR) for
// VEVENT and VTODO and returns its URL.
func (s *Server) MakeCalendar(t testing.TB, name, displayName string) string {
	t.Helper()
	u := s.URL + s.User + "/" + name + "/"
	body := `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>` + xmlEscape(displayName) + `</D:displayname>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>`
	req, err := http.NewRequest("MKCALENDAR", u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(s.User, s.Password)
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("MKCALENDAR %s: %s %s", u, resp.Status, b)
	}
	return u
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

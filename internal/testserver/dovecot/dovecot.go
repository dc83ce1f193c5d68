// Package dovecot starts a real Dovecot IMAP server on loopback for tests
// and benchmarks: state in a temporary directory, random free ports for
// IMAP (plaintext/STARTTLS) and IMAPS, a self-signed certificate, one
// passwd-file user whose Maildir is owned by nobody. Helpers deliver
// messages, create folders, restart or stop the server and change a
// folder's UIDVALIDITY.
//
// Dovecot refuses to run its login processes as root and refuses uid 0
// for mail, so the harness uses the system users the Debian package
// creates (dovecot, dovenull) and nobody:nogroup for the mail.
package dovecot

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Binary is the server executable looked up on PATH (and in /usr/sbin).
const Binary = "dovecot"

// Options tune a server.
type Options struct {
	// User and Password of the one mail account; default pam / secret.
	User, Password string
	// Extra is appended to dovecot.conf verbatim (for example
	// "imap_capability = IMAP4rev1 IDLE" to hide extensions).
	Extra string
	// SpecialUse adds folders with a special use (name → "\\All").
	SpecialUse map[string]string
}

// Server is one running (or stopped) Dovecot.
type Server struct {
	Dir      string // state directory
	Host     string // 127.0.0.1
	Port     int    // IMAP (plaintext and STARTTLS)
	TLSPort  int    // IMAPS
	User     string
	Password string
	CAFile   string // PEM certificate the server presents (self-signed)

	conf    string
	mail    string // the user's Maildir root
	uid     int
	gid     int
	cmd     *exec.Cmd
	exited  chan struct{}
	counter atomic.Int64
}

// Find returns the path of the dovecot binary, or "" when it is not
// installed.
func Find() string {
	if p, err := exec.LookPath(Binary); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/dovecot"); err == nil {
		return "/usr/sbin/dovecot"
	}
	return ""
}

// Start starts a server for the test and stops it at cleanup. Without the
// dovecot binary (Debian package dovecot-imapd) the test is skipped, or
// fails when CI=true.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	if Find() == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("dovecot not installed (Debian package dovecot-imapd); scripts/deps.sh installs it")
		}
		t.Skip("dovecot not installed (Debian package dovecot-imapd)")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the Dovecot harness needs root (mail owned by nobody, login as dovenull)")
		}
		t.Skip("the Dovecot harness needs root (mail owned by nobody, login as dovenull)")
	}
	dir := t.TempDir()
	s, err := New(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// New prepares a server in dir (configuration, certificate, user,
// Maildir) without starting it.
func New(dir string, opt Options) (*Server, error) {
	if opt.User == "" {
		opt.User = "pam"
	}
	if opt.Password == "" {
		opt.Password = "secret"
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("dovecot harness: %w", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Dovecot's processes (nobody, dovenull) must reach the directory.
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return nil, err
		}
		if fi.Mode().Perm()&0o005 != 0o005 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o055); err != nil {
				return nil, err
			}
		}
	}
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, Host: "127.0.0.1", Port: ports[0], TLSPort: ports[1], User: opt.User, Password: opt.Password,
		conf: filepath.Join(dir, "dovecot.conf"), mail: filepath.Join(dir, "mail", opt.User), uid: uid, gid: gid}
	s.CAFile = filepath.Join(dir, "cert.pem")
	if err := writeCert(s.CAFile, filepath.Join(dir, "key.pem")); err != nil {
		return nil, err
	}
	for _, d := range []string{"run", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	if err := s.mkMaildir(s.mail); err != nil {
		return nil, err
	}
	passwd := fmt.Sprintf("%s:{PLAIN}%s:%d:%d::%s::\n", opt.User, opt.Password, uid, gid, s.mail)
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd), 0o644); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/run
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = %[1]s/passwd
}
mail_location = maildir:%[2]s
default_internal_user = dovecot
default_login_user = dovenull
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
%[6]s}
protocol imap {
  mail_max_userip_connections = 50
}
service imap-login {
  inet_listener imap {
    port = %[3]d
  }
  inet_listener imaps {
    port = %[4]d
    ssl = yes
  }
}
%[5]s
`, dir, s.mail, s.Port, s.TLSPort, opt.Extra, specialUse(opt.SpecialUse))
	if err := os.WriteFile(s.conf, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	return s, nil
}

// Addr returns host:port of the plaintext/STARTTLS listener.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// TLSAddr returns host:port of the implicit-TLS listener.
func (s *Server) TLSAddr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)) }

// Start starts the server in the foreground as a child process and waits
// until it accepts connections.
func (s *Server) Start() error {
	if s.cmd != nil {
		return errors.New("dovecot harness: already running")
	}
	log, err := os.OpenFile(filepath.Join(s.Dir, "dovecot.stderr"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(Find(), "-F", "-c", s.conf)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("dovecot harness: start: %w", err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() { cmd.Wait(); log.Close(); close(s.exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err == nil {
			c.Close()
			c2, err2 := net.DialTimeout("tcp", s.TLSAddr(), time.Second)
			if err2 == nil {
				c2.Close()
				return nil
			}
		}
		select {
		case <-s.exited:
			s.cmd = nil
			return fmt.Errorf("dovecot harness: server exited at start; log:\n%s", s.Log())
		default:
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("dovecot harness: server not listening after 15s; log:\n%s", s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the server (SIGTERM to the process it started, then SIGKILL
// to its process group, which ends the sessions in progress) and waits for
// it to exit. Stopping a stopped server does nothing.
func (s *Server) Stop() error {
	if s.cmd == nil {
		return nil
	}
	pid := s.cmd.Process.Pid
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		syscall.Kill(-pid, syscall.SIGKILL)
		<-s.exited
	}
	s.cmd = nil
	// Sessions in progress (imap processes) may outlive the master: end
	// them too, as a crash or a reboot of the server would.
	syscall.Kill(-pid, syscall.SIGKILL)
	// Wait for the ports to close.
	for i := 0; i < 100; i++ {
		c, err := net.DialTimeout("tcp", s.Addr(), 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// Restart stops and starts the server on the same ports and state.
func (s *Server) Restart() error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.Start()
}

// Log returns the server's log so far.
func (s *Server) Log() string {
	var b strings.Builder
	for _, n := range []string{"dovecot.log", "dovecot.stderr"} {
		data, _ := os.ReadFile(filepath.Join(s.Dir, n))
		b.Write(data)
	}
	return b.String()
}

// FolderDir returns the Maildir directory of folder ("INBOX", "Archive",
// "a/b").
func (s *Server) FolderDir(folder string) string {
	if strings.EqualFold(folder, "INBOX") || folder == "" {
		return s.mail
	}
	return filepath.Join(s.mail, "."+strings.ReplaceAll(folder, "/", "."))
}

// CreateFolder creates folder on disk (Dovecot sees it at the next LIST).
func (s *Server) CreateFolder(folder string) error {
	return s.mkMaildir(s.FolderDir(folder))
}

// Deliver drops raw into folder's new/ directory, owned by nobody, and
// returns the file's path. The folder is created when missing.
func (s *Server) Deliver(folder string, raw []byte) (string, error) {
	return s.DeliverFlags(folder, raw, "")
}

// DeliverFlags is Deliver with Maildir flags ("S" seen, "F" flagged, "R"
// replied): with flags the file goes to cur/ with an info suffix.
func (s *Server) DeliverFlags(folder string, raw []byte, flags string) (string, error) {
	dir := s.FolderDir(folder)
	if err := s.mkMaildir(dir); err != nil {
		return "", err
	}
	n := s.counter.Add(1)
	name := fmt.Sprintf("%d.P%dQ%d.pamtest", time.Now().Unix(), os.Getpid(), n)
	tmp := filepath.Join(dir, "tmp", name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return "", err
	}
	if err := os.Chown(tmp, s.uid, s.gid); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "new", name)
	if flags != "" {
		dst = filepath.Join(dir, "cur", name+":2,"+flags)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Doveadm runs doveadm against this server for the mail user ("flags",
// "add", ...) and returns its output.
func (s *Server) Doveadm(args ...string) (string, error) {
	full := append([]string{"-c", s.conf}, args...)
	out, err := exec.Command("doveadm", full...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("doveadm %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// SetUIDValidity changes folder's UIDVALIDITY (UIDs stay the same).
func (s *Server) SetUIDValidity(folder string, v uint32) error {
	_, err := s.Doveadm("mailbox", "update", "-u", s.User, "--uid-validity", strconv.FormatUint(uint64(v), 10), folder)
	return err
}

// ResetFolder makes Dovecot forget folder's UIDs: the server is stopped,
// the uid list and index files deleted, and started again, so every
// message gets a new UID under a new UIDVALIDITY.
func (s *Server) ResetFolder(folder string) error {
	if err := s.Stop(); err != nil {
		return err
	}
	dir := s.FolderDir(folder)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "dovecot") {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	// Dovecot derives a new UIDVALIDITY from the clock: make sure it moves.
	time.Sleep(1100 * time.Millisecond)
	return s.Start()
}

// ChownMail gives the whole Maildir back to nobody (after tests wrote
// files into it by other means).
func (s *Server) ChownMail() error {
	return filepath.Walk(s.mail, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
}

// MailUID returns the uid and gid that own the mail (nobody).
func (s *Server) MailUID() (int, int) { return s.uid, s.gid }

func (s *Server) mkMaildir(dir string) error {
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(dir, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			return err
		}
		if err := os.Chown(p, s.uid, s.gid); err != nil {
			return err
		}
	}
	// Parents of a sub-folder (mail/pam) belong to nobody too.
	if err := os.Chown(filepath.Dir(dir), s.uid, s.gid); err != nil && dir != s.mail {
		return err
	}
	return nil
}

func specialUse(m map[string]string) string {
	var b strings.Builder
	for name, use := range m {
		fmt.Fprintf(&b, "  mailbox %q {\n    special_use = %s\n    auto = subscribe\n  }\n", name, use)
	}
	return b.String()
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// writeCert writes a self-signed certificate for localhost and 127.0.0.1.
func writeCert(certPath, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(48 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
}

// Package secretservice starts a private D-Bus session bus and a real
// freedesktop Secret Service provider, gnome-keyring-daemon, for tests:
// its state (keyrings, runtime sockets) lives in a temporary directory,
// its login keyring is created and unlocked with a known password, and it
// is the default collection. Nothing of the user's own session is used:
// the bus has its own socket and configuration, with no service
// activation, so only the processes started here are on it.
//
// Debian packages: dbus-daemon (dbus-daemon), gnome-keyring
// (gnome-keyring-daemon) and libsecret-tools (secret-tool, an independent
// client used by tests to read back what PAM stored).
package secretservice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Binaries the harness runs, with the Debian package of each.
var binaries = []struct{ name, pkg string }{
	{"dbus-daemon", "dbus-daemon"},
	{"gnome-keyring-daemon", "gnome-keyring"},
	{"secret-tool", "libsecret-tools"},
}

// Server is a private session bus, with a keyring on it unless started by
// StartBus.
type Server struct {
	// Dir holds the bus socket, the keyring files and the daemons' logs.
	Dir string
	// Address is the bus address, the value for DBUS_SESSION_BUS_ADDRESS.
	Address string
	// Password unlocks the login keyring.
	Password string
	// Collection is the default collection's object path ("" without a
	// keyring).
	Collection string

	env     []string
	bus     *exec.Cmd
	keyring *exec.Cmd
	busLog  syncBuffer
	ringLog syncBuffer
}

// syncBuffer is a bytes.Buffer that a daemon's output and Log may use at
// once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Missing returns the first binary the harness needs that is not
// installed, as "binary (Debian package P)", or "".
func Missing() string {
	for _, b := range binaries {
		if _, err := exec.LookPath(b.name); err != nil {
			return fmt.Sprintf("%s (Debian package %s)", b.name, b.pkg)
		}
	}
	return ""
}

// Start starts a bus and gnome-keyring for the test and stops them at
// cleanup. Without the binaries the test is skipped, or fails when
// CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	s := StartBus(t)
	if err := s.startKeyring(); err != nil {
		t.Fatalf("secretservice: %v\n%s", err, s.Log())
	}
	return s
}

// StartBus starts only the private session bus: no Secret Service
// answers on it.
func StartBus(t testing.TB) *Server {
	t.Helper()
	if m := Missing(); m != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed; scripts/deps.sh installs it", m)
		}
		t.Skipf("%s is not installed", m)
	}
	// A short directory: unix socket paths are limited to 108 bytes.
	dir, err := os.MkdirTemp("", "pam-ss-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &Server{Dir: dir, Password: "pam-test-keyring"}
	t.Cleanup(s.Stop)
	if err := s.startBus(); err != nil {
		t.Fatalf("secretservice: %v\n%s", err, s.Log())
	}
	return s
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func (s *Server) startBus() error {
	for _, d := range []string{"run", "home", "data", "config", "cache"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, d), 0o700); err != nil {
			return err
		}
	}
	sock := filepath.Join(s.Dir, "bus")
	conf := filepath.Join(s.Dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, sock)), 0o600); err != nil {
		return err
	}
	s.Address = "unix:path=" + sock
	s.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(s.Dir, "home"),
		"XDG_RUNTIME_DIR=" + filepath.Join(s.Dir, "run"),
		"XDG_DATA_HOME=" + filepath.Join(s.Dir, "data"),
		"XDG_CONFIG_HOME=" + filepath.Join(s.Dir, "config"),
		"XDG_CACHE_HOME=" + filepath.Join(s.Dir, "cache"),
		"DBUS_SESSION_BUS_ADDRESS=" + s.Address,
	}
	s.bus = exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile")
	s.bus.Env, s.bus.Stdout, s.bus.Stderr = s.env, &s.busLog, &s.busLog
	if err := s.bus.Start(); err != nil {
		return fmt.Errorf("start dbus-daemon: %w", err)
	}
	return s.wait(func(ctx context.Context) error {
		conn, err := dbus.Connect(s.Address, dbus.WithContext(ctx))
		if err != nil {
			return err
		}
		return conn.Close()
	})
}

func (s *Server) startKeyring() error {
	// --unlock reads the login keyring's password from stdin and creates
	// the keyring when there is none; an empty password creates nothing.
	s.keyring = exec.Command("gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock")
	s.keyring.Env, s.keyring.Stdout, s.keyring.Stderr = s.env, &s.ringLog, &s.ringLog
	s.keyring.Stdin = strings.NewReader(s.Password)
	if err := s.keyring.Start(); err != nil {
		return fmt.Errorf("start gnome-keyring-daemon: %w", err)
	}
	return s.wait(func(ctx context.Context) error {
		conn, err := dbus.Connect(s.Address, dbus.WithContext(ctx))
		if err != nil {
			return err
		}
		defer conn.Close()
		var coll dbus.ObjectPath
		err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
			CallWithContext(ctx, "org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&coll)
		if err != nil {
			return err
		}
		if coll == "/" {
			return errors.New("no default collection yet")
		}
		s.Collection = string(coll)
		return nil
	})
}

// wait retries ready for up to 10 seconds.
func (s *Server) wait(ready func(ctx context.Context) error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := ready(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after 10 s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SecretTool runs secret-tool (libsecret, a client independent of PAM's)
// against this bus and returns its standard output.
func (s *Server) SecretTool(ctx context.Context, args ...string) (string, error) {
	return s.secretTool(ctx, "", args...)
}

func (s *Server) secretTool(ctx context.Context, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("secret-tool %s: %w: %s", args[0], err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// Lookup returns the secret of the item with these attributes (name,
// value pairs), read with secret-tool.
func (s *Server) Lookup(ctx context.Context, attrs ...string) (string, error) {
	return s.SecretTool(ctx, append([]string{"lookup"}, attrs...)...)
}

// Store saves secret with secret-tool under label and the attributes
// (name, value pairs), in the default collection.
func (s *Server) Store(ctx context.Context, label, secret string, attrs ...string) error {
	_, err := s.secretTool(ctx, secret, append([]string{"store", "--label=" + label}, attrs...)...)
	return err
}

// Lock locks the default collection through the Service's Lock method
// (secret-tool lock waits on a prompt gnome-keyring never shows here).
func (s *Server) Lock(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := dbus.Connect(s.Address, dbus.WithContext(ctx))
	if err != nil {
		return err
	}
	defer conn.Close()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		CallWithContext(ctx, "org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{dbus.ObjectPath(s.Collection)}).
		Store(&locked, &prompt)
	if err != nil {
		return fmt.Errorf("lock %s: %w", s.Collection, err)
	}
	if len(locked) != 1 || prompt != "/" {
		return fmt.Errorf("lock %s: locked %v, prompt %s: want it locked without a prompt", s.Collection, locked, prompt)
	}
	return nil
}

// Files returns the paths of the keyring's files on disk.
func (s *Server) Files() ([]string, error) {
	return filepath.Glob(filepath.Join(s.Dir, "data", "keyrings", "*"))
}

// Log returns what the daemons printed.
func (s *Server) Log() string {
	return "dbus-daemon: " + s.busLog.String() + "\ngnome-keyring-daemon: " + s.ringLog.String()
}

// Stop ends the keyring and the bus (idempotent).
func (s *Server) Stop() {
	for _, c := range []*exec.Cmd{s.keyring, s.bus} {
		if c == nil || c.Process == nil || c.ProcessState != nil {
			continue
		}
		c.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			c.Process.Kill()
			<-done
		}
	}
}

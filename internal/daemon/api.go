package daemon

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/pam"
)

// Files in the data directory.
const (
	TokenFile   = "api-token"   // bearer token, 0600, made once
	RuntimeFile = "daemon.json" // port and pid of the running daemon, 0600
)

// Config is what Run needs.
type Config struct {
	Dir  string // data directory (0700)
	Port int    // port on 127.0.0.1; 0 picks a free one
	// Services run under the supervisor.
	Services []Service
	// Fetch syncs now (account "" = all) and returns a JSON-able summary;
	// errors of kind pam.ErrNotFound map to 404.
	Fetch func(ctx context.Context, account string) (any, error)
	// Extra, when set, is added to GET /api/status as "extra".
	Extra  func(ctx context.Context) any
	Logger *slog.Logger
	// Ready, when set, is called with the bound port once the API listens.
	Ready func(port int)
}

// Runtime is the content of the runtime file.
type Runtime struct {
	Port int `json:"port"`
	PID  int `json:"pid"`
}

// Run serves the API and the services until ctx is done (SIGTERM,
// SIGINT), then shuts both down and removes the runtime file.
func Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	token, err := EnsureToken(cfg.Dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("serve: listen on 127.0.0.1:%d: %w", cfg.Port, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	sup := NewSupervisor(log)
	for _, s := range cfg.Services {
		if err := sup.Add(s); err != nil {
			ln.Close()
			return err
		}
	}
	api := &API{Token: token, Port: port, Sup: sup, Fetch: cfg.Fetch, Extra: cfg.Extra, Started: time.Now()}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	rt, _ := json.Marshal(Runtime{Port: port, PID: os.Getpid()})
	runtimePath := filepath.Join(cfg.Dir, RuntimeFile)
	if err := account.WriteFileAtomic(runtimePath, rt, 0o600); err != nil {
		ln.Close()
		return err
	}
	defer os.Remove(runtimePath)

	svcCtx, stopSvcs := context.WithCancel(ctx)
	defer stopSvcs()
	supDone := make(chan struct{})
	go func() { sup.Serve(svcCtx); close(supDone) }()
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()
	log.Info("pam serve listening", "addr", ln.Addr().String(), "services", len(cfg.Services))
	if cfg.Ready != nil {
		cfg.Ready(port)
	}
	var runErr error
	select {
	case <-ctx.Done():
	case err := <-srvErr:
		runErr = fmt.Errorf("serve: api: %w", err)
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	srv.Shutdown(shutCtx)
	stopSvcs()
	select {
	case <-supDone:
	case <-shutCtx.Done():
		log.Warn("services did not stop within 10s")
	}
	log.Info("pam serve stopped")
	return runErr
}

// EnsureToken returns the API token from dir, making it (0600) the first
// time.
func EnsureToken(dir string) (string, error) {
	p := filepath.Join(dir, TokenFile)
	data, err := os.ReadFile(p)
	if err == nil && len(strings.TrimSpace(string(data))) >= 32 {
		return strings.TrimSpace(string(data)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("api token: %w", err)
	}
	var b [32]byte
	rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	if err := account.WriteFileAtomic(p, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("api token: %w", err)
	}
	return tok, nil
}

// API is the daemon's HTTP JSON API.
type API struct {
	Token   string
	Port    int
	Sup     *Supervisor
	Fetch   func(ctx context.Context, account string) (any, error)
	Extra   func(ctx context.Context) any
	Started time.Time
}

// Handler returns the API's handler: GET /api/status, POST /api/fetch,
// behind the Host, Origin and token checks.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/status", a.status)
	mux.HandleFunc("POST /api/fetch", a.fetch)
	return a.guard(mux)
}

// guard refuses requests whose Host is not this loopback port (a DNS
// rebinding page would send its own host name), whose Origin is another
// site, or without the bearer token.
func (a *API) guard(next http.Handler) http.Handler {
	hosts := map[string]bool{}
	for _, h := range []string{"127.0.0.1", "localhost", "[::1]"} {
		hosts[h+":"+strconv.Itoa(a.Port)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if !hosts[strings.ToLower(r.Host)] {
			writeError(w, http.StatusMisdirectedRequest, "host not allowed")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !hosts[strings.TrimPrefix(strings.ToLower(o), "http://")] {
			writeError(w, http.StatusForbidden, "origin not allowed")
			return
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			writeError(w, http.StatusForbidden, "cross-site request")
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) != 1 {
			writeError(w, http.StatusUnauthorized, "missing or wrong token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// StatusResponse is GET /api/status.
type StatusResponse struct {
	PID      int             `json:"pid"`
	Started  time.Time       `json:"started"`
	Services []ServiceStatus `json:"services"`
	Extra    any             `json:"extra,omitempty"`
}

func (a *API) status(w http.ResponseWriter, r *http.Request) {
	resp := StatusResponse{PID: os.Getpid(), Started: a.Started, Services: a.Sup.Status()}
	if a.Extra != nil {
		resp.Extra = a.Extra(r.Context())
	}
	writeJSON(w, http.StatusOK, resp)
}

func (a *API) fetch(w http.ResponseWriter, r *http.Request) {
	if a.Fetch == nil {
		writeError(w, http.StatusNotImplemented, "no fetch")
		return
	}
	res, err := a.Fetch(r.Context(), r.URL.Query().Get("account"))
	if err != nil {
		code := http.StatusBadGateway
		if errors.Is(err, pam.ErrNotFound) {
			code = http.StatusNotFound
		}
		writeJSON(w, code, map[string]any{"error": err.Error(), "result": res})
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// Client talks to a running daemon.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// ErrNotRunning means no daemon answers for the data directory.
var ErrNotRunning = errors.New("pam serve is not running")

// Connect finds the daemon of dir through its runtime and token files and
// checks that it answers; ErrNotRunning otherwise.
func Connect(ctx context.Context, dir string) (*Client, error) {
	data, err := os.ReadFile(filepath.Join(dir, RuntimeFile))
	if err != nil {
		return nil, ErrNotRunning
	}
	var rt Runtime
	if json.Unmarshal(data, &rt) != nil || rt.Port == 0 {
		return nil, ErrNotRunning
	}
	tok, err := os.ReadFile(filepath.Join(dir, TokenFile))
	if err != nil {
		return nil, ErrNotRunning
	}
	c := &Client{base: "http://127.0.0.1:" + strconv.Itoa(rt.Port), token: strings.TrimSpace(string(tok)),
		http: &http.Client{Transport: &http.Transport{Proxy: nil}}}
	ctx2, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var st StatusResponse
	if err := c.do(ctx2, "GET", "/api/status", &st); err != nil {
		return nil, ErrNotRunning
	}
	return c, nil
}

// Status returns the daemon's status.
func (c *Client) Status(ctx context.Context) (StatusResponse, error) {
	var st StatusResponse
	err := c.do(ctx, "GET", "/api/status", &st)
	return st, err
}

// Fetch asks the daemon to sync now (account "" = all) and decodes its
// answer into out.
func (c *Client) Fetch(ctx context.Context, account string, out any) error {
	path := "/api/fetch"
	if account != "" {
		path += "?account=" + account
	}
	return c.do(ctx, "POST", path, out)
}

func (c *Client) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		json.Unmarshal(body, &e)
		err := fmt.Errorf("daemon: %s: %s", resp.Status, e.Error)
		if resp.StatusCode == http.StatusNotFound {
			err = fmt.Errorf("%w: %s", pam.ErrNotFound, e.Error)
		}
		if out != nil {
			json.Unmarshal(body, out)
		}
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

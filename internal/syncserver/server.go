// Package syncserver is the relay side of PAM's sync: the HTTP API that
// pam-relay serves, the Storage interface behind it with its SQLite and
// PostgreSQL implementations (subpackages sqlitestore and pgstore), and the
// conformance suite both pass (storetest). The relay only ever holds sealed
// batches, sealed snapshots and opaque blobs; it imports nothing that
// handles plaintext or keys. doc/design/relay.md describes the API.
package syncserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/syncwire"
)

// Config holds the relay's limits. Zero fields take the defaults.
type Config struct {
	MaxBody        int64         // bytes per request body (default 8 MiB)
	Quota          int64         // bytes stored per account (default 1 GiB)
	Rate           float64       // requests per second per token or address (default 50)
	Burst          int           // token-bucket burst (default 200)
	PullMaxBatches int           // batches per pull response (default 500)
	PullMaxBytes   int64         // bytes per pull response (default 4 MiB)
	InviteTTL      time.Duration // default and maximum invite lifetime (default 30 min)
	NoSignup       bool          // refuse to create accounts
	Logger         *slog.Logger  // ids and counts only; nil discards
	Now            func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxBody <= 0 {
		c.MaxBody = 8 << 20
	}
	if c.Quota <= 0 {
		c.Quota = 1 << 30
	}
	if c.Rate <= 0 {
		c.Rate = 50
	}
	if c.Burst <= 0 {
		c.Burst = 200
	}
	if c.PullMaxBatches <= 0 {
		c.PullMaxBatches = 500
	}
	if c.PullMaxBytes <= 0 {
		c.PullMaxBytes = 4 << 20
	}
	if c.InviteTTL <= 0 {
		c.InviteTTL = 30 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Server serves the relay API over a Storage.
type Server struct {
	st  Storage
	cfg Config
	lim *limiter
}

// New returns a server over st with the limits in cfg.
func New(st Storage, cfg Config) *Server {
	cfg = cfg.withDefaults()
	return &Server{st: st, cfg: cfg, lim: newLimiter(cfg.Rate, cfg.Burst, cfg.Now)}
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler {
	m := http.NewServeMux()
	p := syncwire.APIVersion
	m.HandleFunc("GET "+p+"/health", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	m.HandleFunc("POST "+p+"/accounts", s.byAddr(s.createAccount))
	m.HandleFunc("POST "+p+"/invites/{code}/claim", s.byAddr(s.claimInvite))
	m.HandleFunc("GET "+p+"/devices", s.auth(s.devices))
	m.HandleFunc("POST "+p+"/devices/{device}/revoke", s.auth(s.revoke))
	m.HandleFunc("PUT "+p+"/batches/{device}/{seq}", s.auth(s.append))
	m.HandleFunc("GET "+p+"/batches", s.auth(s.pull))
	m.HandleFunc("PUT "+p+"/snapshot", s.auth(s.putSnapshot))
	m.HandleFunc("GET "+p+"/snapshot", s.auth(s.getSnapshot))
	m.HandleFunc("PUT "+p+"/blobs/{name}", s.auth(s.putBlob))
	m.HandleFunc("GET "+p+"/blobs/{name}", s.auth(s.getBlob))
	m.HandleFunc("GET "+p+"/blobs", s.auth(s.listBlobs))
	m.HandleFunc("POST "+p+"/invites", s.auth(s.putInvite))
	m.HandleFunc("GET "+p+"/usage", s.auth(s.usage))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		m.ServeHTTP(w, r)
	})
}

// caller is the authenticated device of a request.
type caller struct{ account, device string }

type authed func(w http.ResponseWriter, r *http.Request, c caller)

// TokenHash returns the SHA-256 of a bearer token: what the relay stores.
func TokenHash(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// NewToken returns a random bearer token (32 bytes, base64url).
func NewToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Server) auth(h authed) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			writeErr(w, http.StatusUnauthorized, syncwire.CodeUnauthorized, "missing bearer token")
			return
		}
		th := TokenHash(tok)
		if !s.lim.allow("t" + string(th[:])) {
			writeErr(w, http.StatusTooManyRequests, syncwire.CodeRateLimited, "too many requests")
			return
		}
		acct, dev, err := s.st.Authenticate(r.Context(), th)
		if err != nil {
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrRevoked) {
				writeErr(w, http.StatusUnauthorized, syncwire.CodeUnauthorized, "unknown or revoked token")
				return
			}
			s.fail(w, r, err)
			return
		}
		h(w, r, caller{acct, dev})
	}
}

func (s *Server) byAddr(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if !s.lim.allow("a" + host) {
			writeErr(w, http.StatusTooManyRequests, syncwire.CodeRateLimited, "too many requests")
			return
		}
		h(w, r)
	}
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	if s.cfg.NoSignup {
		writeErr(w, http.StatusForbidden, syncwire.CodeForbidden, "this relay does not create accounts")
		return
	}
	var req syncwire.CreateAccountRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	if err := firstErr(syncwire.CheckID("account", req.Account), syncwire.CheckID("device", req.Device)); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	tok := NewToken()
	if err := s.st.CreateAccount(r.Context(), req.Account, req.Device, TokenHash(tok), s.cfg.Quota); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("account created", "account", req.Account, "device", req.Device)
	writeJSON(w, http.StatusCreated, syncwire.TokenResponse{Account: req.Account, Device: req.Device, Token: tok})
}

func (s *Server) devices(w http.ResponseWriter, r *http.Request, c caller) {
	ds, err := s.st.Devices(r.Context(), c.account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type dev struct {
		ID      string `json:"id"`
		Head    uint64 `json:"head"`
		Revoked bool   `json:"revoked,omitempty"`
	}
	out := make([]dev, 0, len(ds))
	for _, d := range ds {
		out = append(out, dev{d.ID, d.Head, d.Revoked})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, c caller) {
	d := r.PathValue("device")
	if err := syncwire.CheckID("device", d); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	if err := s.st.RevokeDevice(r.Context(), c.account, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("device revoked", "account", c.account, "device", d, "by", c.device)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) append(w http.ResponseWriter, r *http.Request, c caller) {
	d := r.PathValue("device")
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "sequence must be a positive integer")
		return
	}
	if d != c.device {
		writeErr(w, http.StatusForbidden, syncwire.CodeForbidden, "a device may only append to its own chain")
		return
	}
	data, ok := s.readBody(w, r)
	if !ok {
		return
	}
	h, err := syncwire.ParseHeader(data)
	if err != nil || h.Snapshot {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "body is not a sealed batch")
		return
	}
	if h.Account != c.account || h.Device != c.device || h.Seq != seq {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "sealed header does not match the account, device or sequence")
		return
	}
	dup, err := s.st.Append(r.Context(), c.account, c.device, seq, data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	writeJSON(w, status, syncwire.AppendResponse{Seq: seq, Duplicate: dup})
}

// ParseSince parses the since query values ("device:seq").
func ParseSince(vals []string) (map[string]uint64, error) {
	since := make(map[string]uint64, len(vals))
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			if part == "" {
				continue
			}
			dev, n, ok := strings.Cut(part, ":")
			if !ok {
				return nil, fmt.Errorf("since %q: want device:seq", part)
			}
			if err := syncwire.CheckID("device", dev); err != nil {
				return nil, err
			}
			seq, err := strconv.ParseUint(n, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("since %q: bad sequence", part)
			}
			since[dev] = seq
		}
	}
	return since, nil
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, c caller) {
	since, err := ParseSince(r.URL.Query()["since"])
	if err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	limit := s.cfg.PullMaxBatches
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 {
			writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "limit must be a positive integer")
			return
		}
		limit = min(n, limit)
	}
	pr, err := s.st.Pull(r.Context(), c.account, since, limit, s.cfg.PullMaxBytes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds := pr.Devices
	resp := syncwire.PullResponse{Batches: pr.Batches, Heads: map[string]uint64{}, More: pr.More}
	if resp.Batches == nil {
		resp.Batches = []syncwire.Batch{}
	}
	for _, d := range ds {
		resp.Heads[d.ID] = d.Head
		if d.Revoked {
			resp.Revoked = append(resp.Revoked, d.ID)
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) putSnapshot(w http.ResponseWriter, r *http.Request, c caller) {
	var snap syncwire.Snapshot
	if !s.readJSON(w, r, &snap) {
		return
	}
	h, err := syncwire.ParseHeader(snap.Data)
	if err != nil || !h.Snapshot || h.Account != c.account || h.Device != c.device {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "data is not a sealed snapshot of this device")
		return
	}
	for d := range snap.Heads {
		if err := syncwire.CheckID("device", d); err != nil {
			writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
			return
		}
	}
	if h.Prev != syncwire.CoverHash(snap.Heads) {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "snapshot is not bound to the heads sent with it")
		return
	}
	if err := s.st.PutSnapshot(r.Context(), c.account, snap); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request, c caller) {
	snap, err := s.st.Snapshot(r.Context(), c.account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (s *Server) putBlob(w http.ResponseWriter, r *http.Request, c caller) {
	name := r.PathValue("name")
	if err := syncwire.CheckBlobName(name); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	rev, err := strconv.ParseInt(r.URL.Query().Get("rev"), 10, 64)
	if err != nil || rev < 0 {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "rev must be the revision read (0 for a new blob)")
		return
	}
	data, ok := s.readBody(w, r)
	if !ok {
		return
	}
	nrev, err := s.st.PutBlob(r.Context(), c.account, name, rev, data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, syncwire.Blob{Name: name, Rev: nrev})
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, c caller) {
	name := r.PathValue("name")
	if err := syncwire.CheckBlobName(name); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	b, err := s.st.Blob(r.Context(), c.account, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) listBlobs(w http.ResponseWriter, r *http.Request, c caller) {
	prefix := r.URL.Query().Get("prefix")
	if len(prefix) > 200 {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "prefix too long")
		return
	}
	bs, err := s.st.Blobs(r.Context(), c.account, prefix)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if bs == nil {
		bs = []syncwire.Blob{}
	}
	writeJSON(w, http.StatusOK, syncwire.BlobList{Blobs: bs})
}

func (s *Server) putInvite(w http.ResponseWriter, r *http.Request, c caller) {
	var req syncwire.InviteRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	if err := firstErr(syncwire.CheckID("code", req.Code), syncwire.CheckID("device", req.Device)); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	if len(req.Blob) == 0 {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "empty invite blob")
		return
	}
	ttl := s.cfg.InviteTTL
	if req.TTLSecond > 0 && time.Duration(req.TTLSecond)*time.Second < ttl {
		ttl = time.Duration(req.TTLSecond) * time.Second
	}
	if err := s.st.PutInvite(r.Context(), c.account, req.Code, req.Device, req.Blob, s.cfg.Now().Add(ttl)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) claimInvite(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := syncwire.CheckID("code", code); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, err.Error())
		return
	}
	tok := NewToken()
	acct, dev, blob, err := s.st.ClaimInvite(r.Context(), code, TokenHash(tok), s.cfg.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("device enrolled", "account", acct, "device", dev)
	writeJSON(w, http.StatusOK, syncwire.ClaimResponse{
		TokenResponse: syncwire.TokenResponse{Account: acct, Device: dev, Token: tok},
		Blob:          blob,
	})
}

func (s *Server) usage(w http.ResponseWriter, r *http.Request, c caller) {
	used, quota, err := s.st.Usage(r.Context(), c.account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"used": used, "quota": quota})
}

func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeErr(w, http.StatusRequestEntityTooLarge, syncwire.CodeTooLarge, fmt.Sprintf("body over %d bytes", mbe.Limit))
			return nil, false
		}
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "reading body failed")
		return nil, false
	}
	return data, true
}

func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	data, ok := s.readBody(w, r)
	if !ok {
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		writeErr(w, http.StatusBadRequest, syncwire.CodeBadRequest, "malformed JSON body")
		return false
	}
	return true
}

// fail maps a storage error to a response; unexpected errors are logged
// (without request bodies) and answered with 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeErr(w, http.StatusNotFound, syncwire.CodeNotFound, "not found")
	case errors.Is(err, ErrExists):
		writeErr(w, http.StatusConflict, syncwire.CodeExists, "already exists")
	case errors.Is(err, ErrSeqConflict):
		writeErr(w, http.StatusConflict, syncwire.CodeSeqConflict, "a different batch is stored with this sequence number")
	case errors.Is(err, ErrSeqGap):
		writeErr(w, http.StatusConflict, syncwire.CodeSeqGap, "sequence number is not the next one")
	case errors.Is(err, ErrRevConflict):
		writeErr(w, http.StatusConflict, syncwire.CodeRevConflict, "blob revision changed")
	case errors.Is(err, ErrQuota):
		writeErr(w, http.StatusInsufficientStorage, syncwire.CodeQuota, "account storage quota exceeded")
	case errors.Is(err, ErrExpired):
		writeErr(w, http.StatusGone, syncwire.CodeExpired, "invite expired")
	case errors.Is(err, ErrRevoked):
		writeErr(w, http.StatusForbidden, syncwire.CodeForbidden, "device revoked")
	case errors.Is(err, context.Canceled):
		writeErr(w, 499, syncwire.CodeInternal, "request cancelled")
	default:
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeErr(w, http.StatusInternalServerError, syncwire.CodeInternal, "internal error")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, syncwire.ErrorBody{Code: code, Message: msg})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

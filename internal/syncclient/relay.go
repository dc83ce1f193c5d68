package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/pam-ai/pam/internal/syncwire"
)

// RelayError is an error answer from the relay.
type RelayError struct {
	Status int
	Code   string // syncwire.Code*
	Msg    string
}

func (e *RelayError) Error() string {
	return fmt.Sprintf("relay: %d %s: %s", e.Status, e.Code, e.Msg)
}

// IsCode reports whether err is a RelayError with code.
func IsCode(err error, code string) bool {
	var re *RelayError
	return errors.As(err, &re) && re.Code == code
}

// CheckRelayURL accepts https URLs, and http URLs only for a loopback host:
// the relay cannot read what it stores, but a token and metadata must not
// cross a network in the clear.
func CheckRelayURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("relay url: %w", err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("relay url %q: want https://HOST[:PORT][/PATH]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("relay url %q: plain http is allowed only to a loopback address; use https", raw)
		}
	default:
		return nil, fmt.Errorf("relay url %q: scheme must be https (or http to loopback)", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// relay is a client of the relay API for one device token.
type relay struct {
	base  *url.URL
	token string
	hc    *http.Client
}

func (r *relay) do(ctx context.Context, method, path string, query url.Values, body []byte, ctype string, out any) (int, error) {
	u := *r.base
	u.Path += syncwire.APIVersion + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("relay unreachable: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("relay: read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var eb syncwire.ErrorBody
		if json.Unmarshal(data, &eb) != nil || eb.Code == "" {
			eb = syncwire.ErrorBody{Code: "http", Message: http.StatusText(resp.StatusCode)}
		}
		return resp.StatusCode, &RelayError{Status: resp.StatusCode, Code: eb.Code, Msg: eb.Message}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("relay: malformed answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}

func (r *relay) json(ctx context.Context, method, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	_, err = r.do(ctx, method, path, nil, body, "application/json", out)
	return err
}

func (r *relay) createAccount(ctx context.Context, account, device string) (syncwire.TokenResponse, error) {
	var tr syncwire.TokenResponse
	err := r.json(ctx, "POST", "/accounts", syncwire.CreateAccountRequest{Account: account, Device: device}, &tr)
	return tr, err
}

func (r *relay) claim(ctx context.Context, code string) (syncwire.ClaimResponse, error) {
	var cr syncwire.ClaimResponse
	err := r.json(ctx, "POST", "/invites/"+url.PathEscape(code)+"/claim", struct{}{}, &cr)
	return cr, err
}

func (r *relay) putInvite(ctx context.Context, req syncwire.InviteRequest) error {
	return r.json(ctx, "POST", "/invites", req, nil)
}

func (r *relay) revoke(ctx context.Context, device string) error {
	_, err := r.do(ctx, "POST", "/devices/"+url.PathEscape(device)+"/revoke", nil, []byte{}, "application/json", nil)
	return err
}

func (r *relay) append(ctx context.Context, device string, seq uint64, sealed []byte) (syncwire.AppendResponse, error) {
	var ar syncwire.AppendResponse
	_, err := r.do(ctx, "PUT", "/batches/"+url.PathEscape(device)+"/"+strconv.FormatUint(seq, 10), nil, sealed, "application/octet-stream", &ar)
	return ar, err
}

func (r *relay) pull(ctx context.Context, since map[string]uint64) (syncwire.PullResponse, error) {
	ids := make([]string, 0, len(since))
	for id := range since {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		parts = append(parts, id+":"+strconv.FormatUint(since[id], 10))
	}
	q := url.Values{}
	if len(parts) > 0 {
		q.Set("since", strings.Join(parts, ","))
	}
	var pr syncwire.PullResponse
	_, err := r.do(ctx, "GET", "/batches", q, nil, "", &pr)
	return pr, err
}

func (r *relay) putSnapshot(ctx context.Context, s syncwire.Snapshot) error {
	return r.json(ctx, "PUT", "/snapshot", s, nil)
}

func (r *relay) snapshot(ctx context.Context) (syncwire.Snapshot, bool, error) {
	var s syncwire.Snapshot
	_, err := r.do(ctx, "GET", "/snapshot", nil, nil, "", &s)
	if IsCode(err, syncwire.CodeNotFound) {
		return s, false, nil
	}
	return s, err == nil, err
}

func (r *relay) putBlob(ctx context.Context, name string, rev int64, data []byte) (int64, error) {
	var b syncwire.Blob
	_, err := r.do(ctx, "PUT", "/blobs/"+url.PathEscape(name), url.Values{"rev": {strconv.FormatInt(rev, 10)}}, data, "application/octet-stream", &b)
	return b.Rev, err
}

func (r *relay) blob(ctx context.Context, name string) (syncwire.Blob, bool, error) {
	var b syncwire.Blob
	_, err := r.do(ctx, "GET", "/blobs/"+url.PathEscape(name), nil, nil, "", &b)
	if IsCode(err, syncwire.CodeNotFound) {
		return b, false, nil
	}
	return b, err == nil, err
}

func (r *relay) blobs(ctx context.Context, prefix string) ([]syncwire.Blob, error) {
	var bl syncwire.BlobList
	_, err := r.do(ctx, "GET", "/blobs", url.Values{"prefix": {prefix}}, nil, "", &bl)
	return bl.Blobs, err
}

package syncserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
	"github.com/pam-ai/pam/internal/syncwire"
)

// fakeSealed builds bytes with a valid clear header (the relay checks no
// more than that).
func fakeSealed(acct, dev string, seq uint64, fill byte) []byte {
	b := []byte{1, 1, 1, byte(len(acct))}
	b = append(b, acct...)
	b = append(b, byte(len(dev)))
	b = append(b, dev...)
	b = append(b, 0, 0, 0, 1)
	for i := 7; i >= 0; i-- {
		b = append(b, byte(seq>>(8*i)))
	}
	b = append(b, make([]byte, 32)...)
	return append(b, bytes.Repeat([]byte{fill}, 400)...)
}

func TestAPI(t *testing.T) {
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(syncserver.New(st, syncserver.Config{MaxBody: 2000, Rate: 1000, Burst: 1000}).Handler())
	defer srv.Close()
	call := func(method, path, token string, body []byte) (int, syncwire.ErrorBody, []byte) {
		req, _ := http.NewRequest(method, srv.URL+"/v1"+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		var eb syncwire.ErrorBody
		json.Unmarshal(buf.Bytes(), &eb)
		return resp.StatusCode, eb, buf.Bytes()
	}
	code, _, body := call("POST", "/accounts", "", []byte(`{"account":"acct","device":"dev"}`))
	var tr syncwire.TokenResponse
	if code != 201 || json.Unmarshal(body, &tr) != nil || tr.Token == "" {
		t.Fatalf("create account = %d %s", code, body)
	}
	tok := tr.Token
	cases := []struct {
		name, method, path, token string
		body                      []byte
		status                    int
		code                      string
	}{
		{"no token", "GET", "/batches", "", nil, 401, syncwire.CodeUnauthorized},
		{"bad token", "GET", "/batches", "nope", nil, 401, syncwire.CodeUnauthorized},
		{"append 1", "PUT", "/batches/dev/1", tok, fakeSealed("acct", "dev", 1, 0), 201, ""},
		{"same bytes again", "PUT", "/batches/dev/1", tok, fakeSealed("acct", "dev", 1, 0), 200, ""},
		{"other bytes same seq", "PUT", "/batches/dev/1", tok, fakeSealed("acct", "dev", 1, 1), 409, syncwire.CodeSeqConflict},
		{"gap", "PUT", "/batches/dev/3", tok, fakeSealed("acct", "dev", 3, 0), 409, syncwire.CodeSeqGap},
		{"header seq mismatch", "PUT", "/batches/dev/2", tok, fakeSealed("acct", "dev", 5, 0), 400, syncwire.CodeBadRequest},
		{"another device's chain", "PUT", "/batches/other/2", tok, fakeSealed("acct", "other", 2, 0), 403, syncwire.CodeForbidden},
		{"another account in header", "PUT", "/batches/dev/2", tok, fakeSealed("evil", "dev", 2, 0), 400, syncwire.CodeBadRequest},
		{"not sealed", "PUT", "/batches/dev/2", tok, []byte("hello"), 400, syncwire.CodeBadRequest},
		{"empty body", "PUT", "/batches/dev/2", tok, nil, 400, syncwire.CodeBadRequest},
		{"body over limit", "PUT", "/blobs/roster?rev=0", tok, make([]byte, 3000), 413, syncwire.CodeTooLarge},
		{"blob", "PUT", "/blobs/roster?rev=0", tok, []byte("r"), 200, ""},
		{"blob stale rev", "PUT", "/blobs/roster?rev=0", tok, []byte("r"), 409, syncwire.CodeRevConflict},
		{"bad blob name", "PUT", "/blobs/@x?rev=0", tok, []byte("r"), 400, syncwire.CodeBadRequest},
		{"no snapshot", "GET", "/snapshot", tok, nil, 404, syncwire.CodeNotFound},
		{"duplicate account", "POST", "/accounts", "", []byte(`{"account":"acct","device":"d2"}`), 409, syncwire.CodeExists},
		{"bad json", "POST", "/accounts", "", []byte(`{`), 400, syncwire.CodeBadRequest},
		{"unknown invite", "POST", "/invites/NOPE/claim", "", nil, 404, syncwire.CodeNotFound},
		{"bad since", "GET", "/batches?since=dev", tok, nil, 400, syncwire.CodeBadRequest},
	}
	for _, c := range cases {
		status, eb, body := call(c.method, c.path, c.token, c.body)
		if status != c.status || eb.Code != c.code && c.code != "" {
			t.Errorf("%s: %s %s = %d %s, want %d %s", c.name, c.method, c.path, status, body, c.status, c.code)
		}
	}
	_, _, body = call("GET", "/batches?since=dev:0", tok, nil)
	var pr syncwire.PullResponse
	if err := json.Unmarshal(body, &pr); err != nil || len(pr.Batches) != 1 || pr.Heads["dev"] != 1 {
		t.Errorf("pull = %s, want one batch and head 1", body)
	}
}

func TestRateLimit(t *testing.T) {
	st, _ := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	defer st.Close()
	srv := httptest.NewServer(syncserver.New(st, syncserver.Config{Rate: 0.001, Burst: 3}).Handler())
	defer srv.Close()
	var codes []int
	for i := 0; i < 5; i++ {
		resp, err := http.Post(srv.URL+"/v1/invites/ABC/claim", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if codes[2] != 404 || codes[3] != 429 || codes[4] != 429 {
		t.Errorf("claim statuses = %v, want three 404 then 429", codes)
	}
}

func FuzzParseSince(f *testing.F) {
	f.Add("dev:1,other:22")
	f.Add("a:")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := syncserver.ParseSince([]string{s})
		if err != nil {
			return
		}
		for d := range m {
			if syncwire.CheckID("d", d) != nil {
				t.Fatalf("accepted device %q", d)
			}
		}
	})
}

package syncserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
	"github.com/pam-ai/pam/internal/syncwire"
)

// BenchmarkAppend measures batch appends through the HTTP API over SQLite
// from many devices at once (each goroutine is one device of its own
// account), the relay's hot path:
//
//	go test ./internal/syncserver -run '^$' -bench Append -cpuprofile /tmp/cpu.out
func BenchmarkAppend(b *testing.B) {
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "r.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(syncserver.New(st, syncserver.Config{Rate: 1e9, Burst: 1e9}).Handler())
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	do := func(method, url, token string, body []byte, out any) int {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Error(err)
			return 0
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		} else {
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
		}
		return resp.StatusCode
	}
	var n atomic.Int64
	b.SetParallelism(16) // 16 × GOMAXPROCS devices pushing at once
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := n.Add(1)
		acct, dev := fmt.Sprintf("a%d", i), "d"
		var tr syncwire.TokenResponse
		if code := do("POST", srv.URL+"/v1/accounts", "", []byte(fmt.Sprintf(`{"account":%q,"device":%q}`, acct, dev)), &tr); code != 201 {
			b.Errorf("create account = %d", code)
			return
		}
		seq := uint64(0)
		for pb.Next() {
			seq++
			if code := do("PUT", fmt.Sprintf("%s/v1/batches/%s/%d", srv.URL, dev, seq), tr.Token, fakeSealed(acct, dev, seq, byte(seq)), nil); code != 201 {
				b.Errorf("append = %d", code)
				return
			}
		}
	})
}

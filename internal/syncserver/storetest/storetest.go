// Package storetest is the conformance suite every syncserver.Storage
// implementation runs: the same contract, checked against a real database.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncwire"
)

// Run runs the suite. open returns an empty storage; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) syncserver.Storage) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st syncserver.Storage)
	}{
		{"Accounts", testAccounts},
		{"AppendChain", testAppendChain},
		{"Pull", testPull},
		{"ConcurrentAppend", testConcurrentAppend},
		{"Quota", testQuota},
		{"Snapshot", testSnapshot},
		{"Blobs", testBlobs},
		{"Invites", testInvites},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			defer st.Close()
			tc.fn(t, st)
		})
	}
}

func th(s string) [32]byte { return sha256.Sum256([]byte(s)) }

func mustCreate(t *testing.T, st syncserver.Storage, acct, dev string, quota int64) {
	t.Helper()
	if err := st.CreateAccount(context.Background(), acct, dev, th(acct+"/"+dev), quota); err != nil {
		t.Fatalf("CreateAccount(%s, %s) = %v", acct, dev, err)
	}
}

func testAccounts(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "acct1", "laptop", 1<<20)
	if err := st.CreateAccount(ctx, "acct1", "other", th("x"), 1<<20); !errors.Is(err, syncserver.ErrExists) {
		t.Errorf("CreateAccount(existing) = %v, want ErrExists", err)
	}
	a, d, err := st.Authenticate(ctx, th("acct1/laptop"))
	if err != nil || a != "acct1" || d != "laptop" {
		t.Errorf("Authenticate = %q, %q, %v, want acct1, laptop, nil", a, d, err)
	}
	if _, _, err := st.Authenticate(ctx, th("nobody")); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("Authenticate(unknown) = %v, want ErrNotFound", err)
	}
	if err := st.RevokeDevice(ctx, "acct1", "laptop"); err != nil {
		t.Fatalf("RevokeDevice = %v", err)
	}
	if err := st.RevokeDevice(ctx, "acct1", "laptop"); err != nil {
		t.Errorf("RevokeDevice twice = %v, want nil", err)
	}
	if _, _, err := st.Authenticate(ctx, th("acct1/laptop")); !errors.Is(err, syncserver.ErrRevoked) {
		t.Errorf("Authenticate(revoked) = %v, want ErrRevoked", err)
	}
	if err := st.RevokeDevice(ctx, "acct1", "ghost"); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("RevokeDevice(unknown) = %v, want ErrNotFound", err)
	}
	ds, err := st.Devices(ctx, "acct1")
	if err != nil || len(ds) != 1 || !ds[0].Revoked || ds[0].ID != "laptop" {
		t.Errorf("Devices = %+v, %v, want one revoked laptop", ds, err)
	}
	used, quota, err := st.Usage(ctx, "acct1")
	if err != nil || used != 0 || quota != 1<<20 {
		t.Errorf("Usage = %d, %d, %v, want 0, %d, nil", used, quota, err, 1<<20)
	}
	if _, _, err := st.Usage(ctx, "nope"); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("Usage(unknown) = %v, want ErrNotFound", err)
	}
}

func batch(dev string, seq uint64, variant byte) []byte {
	b := bytes.Repeat([]byte{variant}, 300)
	return append([]byte(fmt.Sprintf("%s/%d/", dev, seq)), b...)
}

func testAppendChain(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<20)
	for seq := uint64(1); seq <= 3; seq++ {
		dup, err := st.Append(ctx, "a", "d1", seq, batch("d1", seq, 0))
		if err != nil || dup {
			t.Fatalf("Append(%d) = %v, %v, want false, nil", seq, dup, err)
		}
	}
	cases := []struct {
		seq     uint64
		data    []byte
		wantDup bool
		wantErr error
	}{
		{2, batch("d1", 2, 0), true, nil},
		{3, batch("d1", 3, 0), true, nil},
		{2, batch("d1", 2, 1), false, syncserver.ErrSeqConflict},
		{5, batch("d1", 5, 0), false, syncserver.ErrSeqGap},
	}
	for _, c := range cases {
		dup, err := st.Append(ctx, "a", "d1", c.seq, c.data)
		if dup != c.wantDup || !errors.Is(err, c.wantErr) {
			t.Errorf("Append(seq %d) = %v, %v, want %v, %v", c.seq, dup, err, c.wantDup, c.wantErr)
		}
	}
	if _, err := st.Append(ctx, "a", "ghost", 1, batch("ghost", 1, 0)); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("Append(unknown device) = %v, want ErrNotFound", err)
	}
	ds, _ := st.Devices(ctx, "a")
	if len(ds) != 1 || ds[0].Head != 3 {
		t.Errorf("Devices = %+v, want head 3", ds)
	}
	used, _, _ := st.Usage(ctx, "a")
	want := int64(len(batch("d1", 1, 0)) * 3)
	if used != want {
		t.Errorf("Usage after 3 appends and 2 duplicates = %d, want %d", used, want)
	}
}

func testPull(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<24)
	addDevice(t, st, "a", "d2")
	mustCreate(t, st, "b", "x", 1<<24) // another account: never returned
	for seq := uint64(1); seq <= 4; seq++ {
		for _, d := range []string{"d1", "d2"} {
			if _, err := st.Append(ctx, "a", d, seq, batch(d, seq, 0)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Append(ctx, "b", "x", seq, batch("x", seq, 0)); err != nil {
			t.Fatal(err)
		}
	}
	pr, err := st.Pull(ctx, "a", map[string]uint64{"d1": 2}, 100, 1<<20)
	got, more := pr.Batches, pr.More
	if err != nil || more {
		t.Fatalf("Pull = %v, more %v", err, more)
	}
	if devs, err := st.Devices(ctx, "a"); err != nil || fmt.Sprint(pr.Devices) != fmt.Sprint(devs) {
		t.Errorf("Pull devices = %v, want Devices() = %v (%v)", pr.Devices, devs, err)
	}
	var ids []string
	for _, b := range got {
		ids = append(ids, fmt.Sprintf("%s:%d", b.Device, b.Seq))
		if !bytes.Equal(b.Data, batch(b.Device, b.Seq, 0)) {
			t.Errorf("Pull data of %s:%d differs", b.Device, b.Seq)
		}
	}
	if want := "[d1:3 d1:4 d2:1 d2:2 d2:3 d2:4]"; fmt.Sprint(ids) != want {
		t.Errorf("Pull(since d1:2) = %v, want %s", ids, want)
	}
	// Paging by count and by bytes resumes where it stopped.
	for _, lim := range []struct {
		n     int
		bytes int64
	}{{3, 1 << 20}, {100, 700}, {1, 1}} {
		since := map[string]uint64{}
		var all []string
		for i := 0; i < 20; i++ {
			pr, err := st.Pull(ctx, "a", since, lim.n, lim.bytes)
			got, more := pr.Batches, pr.More
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && more {
				t.Fatalf("Pull(limit %v) returned nothing with more", lim)
			}
			for _, b := range got {
				all = append(all, fmt.Sprintf("%s:%d", b.Device, b.Seq))
				since[b.Device] = b.Seq
			}
			if !more {
				break
			}
		}
		if len(all) != 8 {
			t.Errorf("paged Pull(limit %v) = %v, want 8 batches", lim, all)
		}
	}
}

func addDevice(t *testing.T, st syncserver.Storage, acct, dev string) {
	t.Helper()
	ctx := context.Background()
	code := "c-" + dev
	if err := st.PutInvite(ctx, acct, code, dev, []byte("wrap"), time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("PutInvite = %v", err)
	}
	if _, _, _, err := st.ClaimInvite(ctx, code, th(acct+"/"+dev), time.Now()); err != nil {
		t.Fatalf("ClaimInvite = %v", err)
	}
}

func testConcurrentAppend(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<24)
	// Eight writers race to append the same chain; each seq must be
	// stored exactly once and every writer sees success or duplicate.
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := uint64(1); seq <= 20; seq++ {
				for {
					_, err := st.Append(ctx, "a", "d1", seq, batch("d1", seq, 0))
					if errors.Is(err, syncserver.ErrSeqGap) {
						time.Sleep(time.Millisecond)
						continue
					}
					if err != nil {
						errs <- err
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Append = %v", err)
	}
	pr, err := st.Pull(ctx, "a", nil, 100, 1<<20)
	got := pr.Batches
	if err != nil || len(got) != 20 {
		t.Fatalf("Pull after concurrent appends = %d batches, %v, want 20", len(got), err)
	}
	for i, b := range got {
		if b.Seq != uint64(i+1) {
			t.Errorf("batch %d has seq %d", i, b.Seq)
		}
	}
	used, _, _ := st.Usage(ctx, "a")
	var want int64
	for seq := uint64(1); seq <= 20; seq++ {
		want += int64(len(batch("d1", seq, 0)))
	}
	if used != want {
		t.Errorf("Usage = %d, want %d (each batch charged once)", used, want)
	}
}

func testQuota(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	size := int64(len(batch("d1", 1, 0)))
	mustCreate(t, st, "a", "d1", 2*size+10)
	for seq := uint64(1); seq <= 2; seq++ {
		if _, err := st.Append(ctx, "a", "d1", seq, batch("d1", seq, 0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Append(ctx, "a", "d1", 3, batch("d1", 3, 0)); !errors.Is(err, syncserver.ErrQuota) {
		t.Errorf("Append over quota = %v, want ErrQuota", err)
	}
	if ds, _ := st.Devices(ctx, "a"); ds[0].Head != 2 {
		t.Errorf("head after refused append = %d, want 2", ds[0].Head)
	}
	if _, err := st.PutBlob(ctx, "a", "roster", 0, make([]byte, 11)); !errors.Is(err, syncserver.ErrQuota) {
		t.Errorf("PutBlob over quota = %v, want ErrQuota", err)
	}
	if _, err := st.PutBlob(ctx, "a", "roster", 0, make([]byte, 10)); err != nil {
		t.Errorf("PutBlob within quota = %v", err)
	}
	// Replacing a blob charges only the difference.
	if _, err := st.PutBlob(ctx, "a", "roster", 1, make([]byte, 5)); err != nil {
		t.Errorf("PutBlob smaller = %v", err)
	}
	if used, _, _ := st.Usage(ctx, "a"); used != 2*size+5 {
		t.Errorf("Usage = %d, want %d", used, 2*size+5)
	}
}

func testSnapshot(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<20)
	if _, err := st.Snapshot(ctx, "a"); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("Snapshot(none) = %v, want ErrNotFound", err)
	}
	for seq := uint64(1); seq <= 2; seq++ {
		st.Append(ctx, "a", "d1", seq, batch("d1", seq, 0))
	}
	good := map[string]syncwire.Head{"d1": {Seq: 2, Hash: sha256.Sum256(batch("d1", 2, 0))}}
	cases := []struct {
		heads map[string]syncwire.Head
		want  error
	}{
		{map[string]syncwire.Head{"d1": {Seq: 3}}, syncserver.ErrSeqGap},
		{map[string]syncwire.Head{"ghost": {Seq: 1}}, syncserver.ErrSeqGap},
		{map[string]syncwire.Head{"d1": {Seq: 2, Hash: sha256.Sum256([]byte("other"))}}, syncserver.ErrSeqConflict},
		{good, nil},
	}
	for _, c := range cases {
		if err := st.PutSnapshot(ctx, "a", syncwire.Snapshot{Heads: c.heads, Data: []byte("sealed-1")}); !errors.Is(err, c.want) {
			t.Errorf("PutSnapshot(%v) = %v, want %v", c.heads, err, c.want)
		}
	}
	if err := st.PutSnapshot(ctx, "a", syncwire.Snapshot{Heads: good, Data: []byte("sealed-2")}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Snapshot(ctx, "a")
	if err != nil || string(got.Data) != "sealed-2" || got.Heads["d1"] != good["d1"] {
		t.Errorf("Snapshot = %q %v, %v, want sealed-2 with heads %v", got.Data, got.Heads, err, good)
	}
	used, _, _ := st.Usage(ctx, "a")
	if want := 2*int64(len(batch("d1", 1, 0))) + int64(len("sealed-2")); used != want {
		t.Errorf("Usage = %d, want %d (snapshot replaced, not added)", used, want)
	}
}

func testBlobs(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<20)
	mustCreate(t, st, "b", "d1", 1<<20)
	rev, err := st.PutBlob(ctx, "a", "roster", 0, []byte("r1"))
	if err != nil || rev != 1 {
		t.Fatalf("PutBlob(new) = %d, %v, want 1", rev, err)
	}
	if _, err := st.PutBlob(ctx, "a", "roster", 0, []byte("r1'")); !errors.Is(err, syncserver.ErrRevConflict) {
		t.Errorf("PutBlob(rev 0 on existing) = %v, want ErrRevConflict", err)
	}
	if _, err := st.PutBlob(ctx, "a", "roster", 5, []byte("r2")); !errors.Is(err, syncserver.ErrRevConflict) {
		t.Errorf("PutBlob(stale rev) = %v, want ErrRevConflict", err)
	}
	if rev, err := st.PutBlob(ctx, "a", "roster", 1, []byte("r2")); err != nil || rev != 2 {
		t.Errorf("PutBlob(rev 1) = %d, %v, want 2", rev, err)
	}
	b, err := st.Blob(ctx, "a", "roster")
	if err != nil || string(b.Data) != "r2" || b.Rev != 2 {
		t.Errorf("Blob = %+v, %v", b, err)
	}
	if _, err := st.Blob(ctx, "b", "roster"); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("Blob(other account) = %v, want ErrNotFound", err)
	}
	for _, n := range []string{"grant.d2.2", "grant.d1.2", "grant.d1.3", "wrap.passphrase"} {
		if _, err := st.PutBlob(ctx, "a", n, 0, []byte(n)); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := st.Blobs(ctx, "a", "grant.d1.")
	if err != nil || len(bs) != 2 || bs[0].Name != "grant.d1.2" || bs[1].Name != "grant.d1.3" {
		t.Errorf("Blobs(grant.d1.) = %+v, %v", bs, err)
	}
}

func testInvites(t *testing.T, st syncserver.Storage) {
	ctx := context.Background()
	mustCreate(t, st, "a", "d1", 1<<20)
	now := time.Now()
	if err := st.PutInvite(ctx, "a", "CODE1", "d2", []byte("wrap"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.PutInvite(ctx, "a", "CODE1", "d3", []byte("wrap"), now.Add(time.Minute)); !errors.Is(err, syncserver.ErrExists) {
		t.Errorf("PutInvite(same code) = %v, want ErrExists", err)
	}
	if err := st.PutInvite(ctx, "a", "CODE2", "d1", []byte("wrap"), now.Add(time.Minute)); !errors.Is(err, syncserver.ErrExists) {
		t.Errorf("PutInvite(existing device) = %v, want ErrExists", err)
	}
	if err := st.PutInvite(ctx, "a", "CODE3", "d2", []byte("wrap"), now.Add(time.Minute)); !errors.Is(err, syncserver.ErrExists) {
		t.Errorf("PutInvite(device with a pending invite) = %v, want ErrExists", err)
	}
	acct, dev, blob, err := st.ClaimInvite(ctx, "CODE1", th("tok2"), now)
	if err != nil || acct != "a" || dev != "d2" || string(blob) != "wrap" {
		t.Fatalf("ClaimInvite = %q %q %q %v", acct, dev, blob, err)
	}
	if _, _, _, err := st.ClaimInvite(ctx, "CODE1", th("tok3"), now); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("ClaimInvite twice = %v, want ErrNotFound", err)
	}
	if a, d, err := st.Authenticate(ctx, th("tok2")); err != nil || a != "a" || d != "d2" {
		t.Errorf("Authenticate(claimed token) = %q %q %v", a, d, err)
	}
	if err := st.PutInvite(ctx, "a", "CODE4", "d4", []byte("wrap"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := st.ClaimInvite(ctx, "CODE4", th("tok4"), now.Add(2*time.Minute)); !errors.Is(err, syncserver.ErrExpired) {
		t.Errorf("ClaimInvite(expired) = %v, want ErrExpired", err)
	}
	if _, _, _, err := st.ClaimInvite(ctx, "CODE4", th("tok4"), now); !errors.Is(err, syncserver.ErrNotFound) {
		t.Errorf("ClaimInvite(expired, again) = %v, want ErrNotFound", err)
	}
	if used, _, _ := st.Usage(ctx, "a"); used != 0 {
		t.Errorf("Usage after claimed and expired invites = %d, want 0", used)
	}
}

package syncclient

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncwire"
)

// TestTwoHomesConverge: an item added offline on one device and edited
// on both converges on both, and the relay stays append-only.
func TestTwoHomesConverge(t *testing.T) {
	ctx := context.Background()
	r := newTestRelay(t)
	cs := account(t, r, 2)
	a, b := cs[0], cs[1]

	r.down.Store(true)
	if err := a.Set(ctx, "note", "n1", "title", []byte("Buy oat milk")); err != nil {
		t.Fatal(err)
	}
	if err := a.Add(ctx, "note", "n1", "labels", "home"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(ctx); err == nil {
		t.Fatal("Sync with the relay down = nil error, want one")
	}
	st, _ := a.Status(ctx)
	if st.Queued+st.Unacked == 0 {
		t.Fatalf("offline edits not queued: %+v", st)
	}
	r.down.Store(false)
	syncAll(t, a, b)
	if got := field(t, b, "note", "n1", "title"); got != "Buy oat milk" {
		t.Fatalf("B title = %q, want the offline edit", got)
	}
	// Concurrent edits on both: B retitles and adds a label, A removes
	// the label it saw and sets another field.
	if err := b.Set(ctx, "note", "n1", "title", []byte("Buy oat milk x2")); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(ctx, "note", "n1", "labels", "urgent"); err != nil {
		t.Fatal(err)
	}
	if err := a.Remove(ctx, "note", "n1", "labels", "home"); err != nil {
		t.Fatal(err)
	}
	if err := a.Set(ctx, "note", "n1", "due", []byte("friday")); err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	syncAll(t, a, b)
	sa, _ := a.StateSnapshot(ctx)
	sb, _ := b.StateSnapshot(ctx)
	if !bytes.Equal(sa, sb) && !time.Now().UTC().Truncate(24*time.Hour).Equal(day) {
		// The tombstone horizon is a UTC day: a run that crossed midnight
		// between the two devices' syncs converges on the next round.
		syncAll(t, a, b)
		sa, _ = a.StateSnapshot(ctx)
		sb, _ = b.StateSnapshot(ctx)
	}
	if !bytes.Equal(sa, sb) {
		t.Fatal("replicas differ after sync")
	}
	o, ok, _ := a.Get(ctx, "note", "n1")
	if !ok || string(o.Fields["title"]) != "Buy oat milk x2" || string(o.Fields["due"]) != "friday" ||
		strings.Join(o.Sets["labels"], ",") != "urgent" {
		t.Errorf("converged object = %+v, want title x2, due friday, labels [urgent]", o)
	}
	// Out of scope and device-local collections never sync.
	if err := a.Set(ctx, "task", "t1", "title", []byte("x")); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("Set(out of scope) = %v, want ErrOutOfScope", err)
	}
	if err := a.SetScope(ctx, []string{"note", "budget"}); !errors.Is(err, ErrDeviceLocal) {
		t.Errorf("SetScope(budget) = %v, want ErrDeviceLocal", err)
	}
	// Re-running sync changes nothing and applies nothing twice.
	before, _ := b.Status(ctx)
	syncAll(t, a, b)
	after, _ := b.Status(ctx)
	if before.OpsApplied != after.OpsApplied {
		t.Errorf("ops applied grew from %d to %d on an idle sync", before.OpsApplied, after.OpsApplied)
	}
}

// TestRelayHoldsOnlyCiphertext scans the relay's SQLite file after a sync.
func TestRelayHoldsOnlyCiphertext(t *testing.T) {
	ctx := context.Background()
	r := newTestRelay(t)
	cs := account(t, r, 2)
	secrets := []string{"Quarterly-Report-Zebra-4417", "dentist-appointment-Marguerite", "label-Kumquat"}
	for i, s := range secrets {
		id := "n" + string(rune('a'+i))
		if err := cs[0].Set(ctx, "note", id, "title", []byte(s+" "+strings.Repeat("pad ", 10))); err != nil {
			t.Fatal(err)
		}
		if err := cs[0].Add(ctx, "label", id, "names", s); err != nil {
			t.Fatal(err)
		}
	}
	syncAll(t, cs...)
	if err := cs[0].PushSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if got := field(t, cs[1], "note", "na", "title"); !strings.HasPrefix(got, secrets[0]) {
		t.Fatalf("B did not receive the note: %q", got)
	}
	r.st.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	scanned := 0
	files, _ := filepath.Glob(r.path + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scanned += len(data)
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("relay file %s contains plaintext %q", filepath.Base(f), s)
			}
		}
	}
	if scanned < 4096 {
		t.Fatalf("scanned only %d bytes of relay storage", scanned)
	}
	// The check can fail: the client's own store does hold the plaintext.
	local, _ := cs[1].StateSnapshot(ctx)
	if !bytes.Contains(local, []byte(secrets[2])) {
		t.Errorf("sanity: client state lacks %q", secrets[2])
	}
}

// TestRevokedDeviceCannotRead: after A revokes C, C's token is refused and,
// even given the new batches by a colluding relay, C cannot open them,
// while B can.
func TestRevokedDeviceCannotRead(t *testing.T) {
	ctx := context.Background()
	r := newTestRelay(t)
	cs := account(t, r, 3)
	a, b, c := cs[0], cs[1], cs[2]
	a.Set(ctx, "note", "old", "title", []byte("before revocation"))
	syncAll(t, a, b, c)
	if got := field(t, c, "note", "old", "title"); got != "before revocation" {
		t.Fatalf("C before revocation = %q", got)
	}
	if err := a.Revoke(ctx, c.Device()); err != nil {
		t.Fatalf("Revoke = %v", err)
	}
	if err := a.Set(ctx, "note", "new", "title", []byte("after revocation")); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if got := field(t, b, "note", "new", "title"); got != "after revocation" {
		t.Errorf("B after revocation = %q, want the new note", got)
	}
	if b.ring.Current != 2 {
		t.Errorf("B epoch = %d, want 2 (grant received)", b.ring.Current)
	}
	_, err := c.Sync(ctx)
	if !IsCode(err, syncwire.CodeUnauthorized) {
		t.Errorf("revoked C Sync = %v, want unauthorized", err)
	}
	// A relay that colludes with C hands it A's new batch anyway.
	pr, err := r.st.Pull(ctx, a.Account(), nil, 1000, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var last syncwire.Batch
	for _, x := range pr.Batches {
		if x.Device == a.Device() {
			last = x
		}
	}
	h, _ := syncwire.ParseHeader(last.Data)
	if h.Epoch != 2 {
		t.Fatalf("A's last batch epoch = %d, want 2", h.Epoch)
	}
	var prev [32]byte
	for _, x := range pr.Batches {
		if x.Device == a.Device() && x.Seq == last.Seq-1 {
			prev = seal.Hash(x.Data)
		}
	}
	_, err = seal.OpenBatch(last.Data, c.ring, c.roster, seal.Expect{Account: a.Account(), Device: a.Device(), Seq: last.Seq, Prev: prev})
	if !errors.Is(err, seal.ErrNoEpochKey) {
		t.Errorf("revoked C opening an epoch-2 batch = %v, want ErrNoEpochKey", err)
	}
	// Nor can C fetch a grant for itself: none was made.
	if _, err := r.st.Blob(ctx, a.Account(), grantBlob(c.Device(), 2)); err == nil {
		t.Error("a grant of epoch 2 exists for the revoked device")
	}
}

// TestSnapshotRestore: a device joining after history exists starts from
// the snapshot and the batches after it.
func TestSnapshotRestore(t *testing.T) {
	ctx := context.Background()
	r := newTestRelay(t)
	a := account(t, r, 1)[0]
	for i := 0; i < 120; i++ {
		a.Set(ctx, "note", "n", "count", []byte{byte(i)})
	}
	a.Delete(ctx, "note", "gone")
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.PushSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	a.Set(ctx, "note", "late", "title", []byte("after the snapshot"))
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	inv, err := a.Invite(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Join(ctx, newHome(t).opts(), r.URL, inv.String())
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Status(ctx)
	// 120+1 ops in 3 batches before the snapshot; only the last batch is
	// replayed.
	if st.OpsApplied != 1 {
		t.Errorf("ops applied after restore = %d, want 1 (the rest came from the snapshot)", st.OpsApplied)
	}
	sa, _ := a.StateSnapshot(ctx)
	sb, _ := b.StateSnapshot(ctx)
	if !bytes.Equal(stripHeads(t, sa), stripHeads(t, sb)) {
		t.Error("joined replica differs from the original")
	}
}

// stripHeads compares visible objects only (heads include the device's own
// clock history).
func stripHeads(t *testing.T, snap []byte) []byte {
	st, err := crdt.LoadSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, o := range st.Objects() {
		b.WriteString(o.Collection + "/" + o.ID)
		for k, v := range o.Fields {
			b.WriteString(k + "=" + string(v))
		}
	}
	return b.Bytes()
}

func TestCheckRelayURL(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://relay.example.org", true},
		{"https://relay.example.org:8443/pam/", true},
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://relay.example.org", false},
		{"http://192.168.1.10:8080", false},
		{"ftp://127.0.0.1", false},
		{"https://user:pw@relay.example.org", false},
		{"relay.example.org", false},
	}
	for _, c := range cases {
		_, err := CheckRelayURL(c.url)
		if (err == nil) != c.ok {
			t.Errorf("CheckRelayURL(%q) = %v, want ok %v", c.url, err, c.ok)
		}
	}
}

func TestHeaderParsersAgree(t *testing.T) {
	dev, _ := seal.NewDevice("dev1")
	ring, _ := seal.NewKeyring("acct1")
	for _, snap := range []bool{false, true} {
		var sealed []byte
		var err error
		prev := [32]byte{1, 2, 3}
		if snap {
			sealed, err = seal.SealSnapshot(ring, dev, 7, prev, []byte("x"))
		} else {
			sealed, err = seal.SealBatch(ring, dev, 7, prev, []byte("x"))
		}
		if err != nil {
			t.Fatal(err)
		}
		a, _, err1 := seal.ParseHeader(sealed)
		b, err2 := syncwire.ParseHeader(sealed)
		if err1 != nil || err2 != nil {
			t.Fatalf("ParseHeader errors %v, %v", err1, err2)
		}
		want := syncwire.Header{Snapshot: a.Snapshot, Account: a.Account, Device: a.Device, Epoch: a.Epoch, Seq: a.Seq, Prev: a.Prev}
		if b != want || b.Seq != 7 || b.Snapshot != snap {
			t.Errorf("syncwire.ParseHeader = %+v, want %+v", b, want)
		}
	}
}

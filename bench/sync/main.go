// Command sync is the pam-relay load benchmark (issue 7): A accounts × D
// devices, each device pushing N ops in batches of B while pulling and
// opening the other devices' batches, against a real pam-relay process on
// loopback over SQLite or PostgreSQL. It reports batch appends per second,
// append latency percentiles, the relay's peak RSS, and checks that every
// replica of each account ends identical.
//
//	go build -o /tmp/pam-relay ./cmd/pam-relay
//	go run ./bench/sync -relay /tmp/pam-relay -store sqlite
//	go run ./bench/sync -relay /tmp/pam-relay -store postgres
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pam-ai/pam/internal/crdt"
	"github.com/pam-ai/pam/internal/seal"
	"github.com/pam-ai/pam/internal/syncwire"
	"github.com/pam-ai/pam/internal/testserver/postgres"
)

type config struct {
	relayBin          string
	store             string
	accounts, devices int
	ops, batch        int
	// deferOpen seals every batch before the timed phase and opens pulled
	// batches only after it, so that the timed phase measures the relay
	// rather than the load generator's crypto on the same two cores.
	deferOpen  bool
	cpuprofile string
	// rate, when > 0, paces the devices so that together they offer this
	// many appends per second (open loop), instead of each pushing as fast
	// as the relay answers (closed loop, which measures queueing).
	rate float64
}

func main() {
	var c config
	flag.StringVar(&c.relayBin, "relay", "", "path to a built pam-relay binary")
	flag.StringVar(&c.store, "store", "sqlite", "sqlite or postgres")
	flag.IntVar(&c.accounts, "accounts", 20, "accounts")
	flag.IntVar(&c.devices, "devices", 10, "devices per account")
	flag.IntVar(&c.ops, "ops", 1000, "ops pushed per device")
	flag.IntVar(&c.batch, "batch", 50, "ops per batch")
	flag.BoolVar(&c.deferOpen, "defer-crypto", false, "seal before and open after the timed phase (measures the relay, not the generator)")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "have the relay write a CPU profile to this file")
	flag.Float64Var(&c.rate, "rate", 0, "offered appends per second over all devices (0: every device as fast as it can)")
	flag.Parse()
	if c.relayBin == "" {
		fmt.Fprintln(os.Stderr, "usage: sync -relay PATH [-store sqlite|postgres]")
		os.Exit(2)
	}
	if err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type device struct {
	acct    string
	dev     *seal.Device
	ring    *seal.Keyring
	roster  *seal.Roster
	token   string
	rep     *crdt.Replica
	seq     uint64
	prev    [32]byte
	sealed  [][]byte         // pre-sealed batches (-defer-crypto)
	inbox   []syncwire.Batch // pulled, not yet opened (-defer-crypto)
	fetched map[string]uint64
	cursors map[string]struct {
		seq  uint64
		hash [32]byte
	}
}

func run(ctx context.Context, c config) error {
	dir, err := os.MkdirTemp("", "pam-bench-sync-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	spec := "sqlite:" + filepath.Join(dir, "relay.db")
	if c.store == "postgres" {
		pg, err := postgres.StartServer(ctx)
		if err != nil {
			return err
		}
		defer pg.Stop()
		if spec, err = pg.NewDatabase(ctx); err != nil {
			return err
		}
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--store", spec}
	if c.cpuprofile != "" {
		args = append(args, "--cpuprofile", c.cpuprofile)
	}
	cmd := exec.Command(c.relayBin, args...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("relay did not start: %w", err)
	}
	base := strings.TrimSpace(line) + syncwire.APIVersion
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512}, Timeout: time.Minute}

	// Setup (not timed): accounts, devices enrolled through invites,
	// one keyring and one signed roster per account.
	var devs [][]*device
	for a := 0; a < c.accounts; a++ {
		acct := fmt.Sprintf("acct%02d", a)
		ring, _ := seal.NewKeyring(acct)
		roster := &seal.Roster{Account: acct, Version: 1, Epoch: 1, RecoveryPub: seal.NewAccountKey().Public()}
		var ds []*device
		for d := 0; d < c.devices; d++ {
			sd, _ := seal.NewDevice(fmt.Sprintf("dev%02d", d))
			roster.Put(sd.Member(1))
			ds = append(ds, &device{acct: acct, dev: sd, ring: ring, roster: roster, rep: crdt.NewReplica(sd.ID, nil, 0), fetched: map[string]uint64{},
				cursors: map[string]struct {
					seq  uint64
					hash [32]byte
				}{}})
		}
		var tr syncwire.TokenResponse
		if err := call(ctx, hc, "POST", base+"/accounts", "", mustJSON(syncwire.CreateAccountRequest{Account: acct, Device: ds[0].dev.ID}), &tr); err != nil {
			return err
		}
		ds[0].token = tr.Token
		for _, d := range ds[1:] {
			code := fmt.Sprintf("INV%s%s", acct, d.dev.ID)
			if err := call(ctx, hc, "POST", base+"/invites", ds[0].token, mustJSON(syncwire.InviteRequest{Code: code, Device: d.dev.ID, Blob: []byte("opaque")}), nil); err != nil {
				return err
			}
			var cr syncwire.ClaimResponse
			if err := call(ctx, hc, "POST", base+"/invites/"+code+"/claim", "", []byte("{}"), &cr); err != nil {
				return err
			}
			d.token = cr.Token
		}
		devs = append(devs, ds)
	}

	// Load: every device pushes its batches and pulls after each push.
	nb := c.ops / c.batch
	if c.deferOpen {
		for _, ds := range devs {
			for _, d := range ds {
				for b := 0; b < nb; b++ {
					sealed, err := makeBatch(d, b, c.batch)
					if err != nil {
						return err
					}
					d.sealed = append(d.sealed, sealed)
				}
			}
		}
	}
	lat := make([][]time.Duration, c.accounts*c.devices)
	var appends, pulled, retries atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, c.accounts*c.devices)
	start := time.Now()
	for a, ds := range devs {
		for i, d := range ds {
			wg.Add(1)
			go func(slot int, d *device) {
				defer wg.Done()
				var tick *time.Ticker
				if c.rate > 0 {
					every := time.Duration(float64(time.Second) * float64(c.accounts*c.devices) / c.rate)
					// Spread the devices' phases over one period.
					time.Sleep(time.Duration(int64(every) * int64(slot) / int64(c.accounts*c.devices)))
					tick = time.NewTicker(every)
					defer tick.Stop()
				}
				for b := 0; b < nb; b++ {
					if tick != nil && b > 0 {
						<-tick.C
					}
					var sealed []byte
					var err error
					if c.deferOpen {
						sealed = d.sealed[b]
					} else if sealed, err = makeBatch(d, b, c.batch); err != nil {
						errc <- err
						return
					}
					seq := uint64(b + 1)
					for {
						t0 := time.Now()
						err = call(ctx, hc, "PUT", fmt.Sprintf("%s/batches/%s/%d", base, d.dev.ID, seq), d.token, sealed, nil)
						if isCode(err, syncwire.CodeRateLimited) {
							retries.Add(1)
							time.Sleep(100 * time.Millisecond)
							continue
						}
						lat[slot] = append(lat[slot], time.Since(t0))
						break
					}
					if err != nil {
						errc <- err
						return
					}
					appends.Add(1)
					n, err := pull(ctx, hc, base, d, c.deferOpen)
					pulled.Add(int64(n))
					if err != nil {
						errc <- err
						return
					}
				}
			}(a*c.devices+i, d)
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpuTimed := procCPU(cmd.Process.Pid)
	close(errc)
	for err := range errc {
		return err
	}
	// Drain: final pulls until every device has every batch.
	for _, ds := range devs {
		for _, d := range ds {
			if err := openInbox(d); err != nil {
				return err
			}
			for {
				n, err := pull(ctx, hc, base, d, false)
				if err != nil {
					return err
				}
				pulled.Add(int64(n))
				if n == 0 {
					break
				}
			}
		}
	}
	identical := 0
	for _, ds := range devs {
		ref := ds[0].rep.State.Snapshot()
		same := true
		for _, d := range ds[1:] {
			if !bytes.Equal(ref, d.rep.State.Snapshot()) {
				same = false
			}
		}
		if same {
			identical++
		}
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	hwm, rss := procMem(cmd.Process.Pid)
	cpu := procCPU(cmd.Process.Pid)
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("store=%s accounts=%d devices=%d ops/device=%d batch=%d defer-crypto=%v offered rate=%v/s (0: closed loop)\n", c.store, c.accounts, c.devices, c.ops, c.batch, c.deferOpen, c.rate)
	fmt.Printf("appends=%d in %.2fs = %.0f appends/s (pull+open of others' batches interleaved: %d batches opened)\n",
		appends.Load(), elapsed.Seconds(), float64(appends.Load())/elapsed.Seconds(), pulled.Load())
	fmt.Printf("append latency p50=%s p90=%s p99=%s max=%s; 429 retries=%d\n",
		pct(0.5).Round(time.Microsecond), pct(0.9).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond), retries.Load())
	fmt.Printf("relay peak RSS (VmHWM)=%s, RSS at end=%s\n", hwm, rss)
	fmt.Printf("relay CPU time (user+sys, whole run incl. setup and drain)=%.2fs = %.2f ms per append; capacity at 1 core ≈ %.0f appends/s\n",
		cpu.Seconds(), cpu.Seconds()*1000/float64(appends.Load()), float64(appends.Load())/cpu.Seconds())
	fmt.Printf("relay CPU time up to the end of the timed phase (incl. setup)=%.2fs = %.3f ms per append\n",
		cpuTimed.Seconds(), cpuTimed.Seconds()*1000/float64(appends.Load()))
	fmt.Printf("machine load average at end: %s", load)
	fmt.Printf("accounts with all replicas identical: %d/%d\n", identical, c.accounts)
	if identical != c.accounts {
		return errors.New("replicas differ")
	}
	return nil
}

// makeBatch stamps batch b's ops on d's replica and seals them as d's next
// batch.
func makeBatch(d *device, b, size int) ([]byte, error) {
	var ops []crdt.Op
	for k := 0; k < size; k++ {
		op, _ := d.rep.Set("task", fmt.Sprintf("t%03d", (b*size+k)%200), "title", []byte(fmt.Sprintf("%s %d %d", d.dev.ID, b, k)))
		ops = append(ops, op)
	}
	plain, _ := crdt.EncodeBatch(ops)
	d.seq++
	sealed, err := seal.SealBatch(d.ring, d.dev, d.seq, d.prev, plain)
	if err != nil {
		return nil, err
	}
	d.prev = seal.Hash(sealed)
	return sealed, nil
}

// pull fetches the other devices' new batches once; it opens and applies
// them, or with deferred keeps them for openInbox.
func pull(ctx context.Context, hc *http.Client, base string, d *device, deferred bool) (int, error) {
	var parts []string
	parts = append(parts, fmt.Sprintf("%s:%d", d.dev.ID, d.seq))
	for id, seq := range d.fetched {
		parts = append(parts, fmt.Sprintf("%s:%d", id, seq))
	}
	var pr syncwire.PullResponse
	if err := call(ctx, hc, "GET", base+"/batches?since="+strings.Join(parts, ","), d.token, nil, &pr); err != nil {
		return 0, err
	}
	n := 0
	for _, b := range pr.Batches {
		if b.Device == d.dev.ID {
			continue
		}
		d.fetched[b.Device] = b.Seq
		n++
		if deferred {
			d.inbox = append(d.inbox, b)
			continue
		}
		if err := openOne(d, b); err != nil {
			return n, err
		}
	}
	return n, nil
}

// openInbox opens and applies the batches pull kept.
func openInbox(d *device) error {
	for _, b := range d.inbox {
		if err := openOne(d, b); err != nil {
			return err
		}
	}
	d.inbox = nil
	return nil
}

// openOne checks, opens and applies one batch in chain order.
func openOne(d *device, b syncwire.Batch) error {
	{
		cur := d.cursors[b.Device]
		plain, err := seal.OpenBatch(b.Data, d.ring, d.roster, seal.Expect{Account: d.acct, Device: b.Device, Seq: cur.seq + 1, Prev: cur.hash})
		if err != nil {
			return fmt.Errorf("%s opening %s/%d: %w", d.dev.ID, b.Device, b.Seq, err)
		}
		ops, err := crdt.DecodeBatch(plain)
		if err != nil {
			return err
		}
		for _, op := range ops {
			if err := d.rep.Receive(op); err != nil {
				return err
			}
		}
		cur.seq, cur.hash = b.Seq, seal.Hash(b.Data)
		d.cursors[b.Device] = cur
	}
	return nil
}

type relayErr struct{ syncwire.ErrorBody }

func (e relayErr) Error() string { return e.Code + ": " + e.Message }

func isCode(err error, code string) bool {
	var re relayErr
	return errors.As(err, &re) && re.Code == code
}

func call(ctx context.Context, hc *http.Client, method, url, token string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var eb syncwire.ErrorBody
		json.Unmarshal(data, &eb)
		return relayErr{eb}
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// procMem returns VmHWM (peak RSS) and VmRSS of a process.
func procMem(pid int) (string, string) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "?", "?"
	}
	var hwm, rss string
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
	}
	return hwm, rss
}

// procCPU returns the user+system CPU time of a process (clock ticks of
// 10 ms, the Linux default USER_HZ).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	k, _ := strconv.Atoi(f[12])
	return time.Duration(u+k) * 10 * time.Millisecond
}

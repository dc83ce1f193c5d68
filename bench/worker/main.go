// Command worker measures PAM's classifier worker: the first answer from a
// cold worker, its peak RSS, and classification throughput through
// `pam classify` next to `bogofilter -B` on the same SpamAssassin files.
//
//	go build -o /tmp/pam ./cmd/pam && go run ./bench/worker -pam /tmp/pam -runs 3
//
// -only cold, -only rss or -only speed runs one part. The load average before and
// after is printed: the machine is shared, and throughput moves with it.
//
// When the binary has no embedded default models, stand-in models of the
// same kind (spam, kind, needs_reply) are trained through the worker's
// update request on a sample of the files and passed with --model, so the
// figures include real model work.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/worker"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func main() {
	pamBin := flag.String("pam", "/tmp/pam", "pam binary")
	data := flag.String("data", "", "SpamAssassin corpus directory (default ../shared/data/mail/spamassassin)")
	runs := flag.Int("runs", 3, "runs per measurement (median reported)")
	gogc := flag.String("gogc", "", "GOGC for the measured workers (default: the worker's own setting)")
	only := flag.String("only", "", "measure only this: cold (first answer of a new worker), rss (peak RSS and its parts) or speed (throughput)")
	notrim := flag.Bool("notrim", false, "measured workers keep the binary's pages mapped (PAM_WORKER_TRIM=0)")
	flag.Parse()
	if err := run(*pamBin, *data, *runs, *gogc, *only, *notrim); err != nil {
		fmt.Fprintln(os.Stderr, "bench/worker:", err)
		os.Exit(1)
	}
}

func run(pamBin, data string, runs int, gogc, only string, notrim bool) error {
	ctx := context.Background()
	if data == "" {
		data = "../shared/data/mail/spamassassin"
	}
	groups := map[string][]string{}
	var files []string
	for _, d := range []string{"easy-ham-1", "hard-ham-1", "spam-1"} {
		ents, err := os.ReadDir(filepath.Join(data, d))
		if err != nil {
			return err
		}
		for _, e := range ents {
			if e.Type().IsRegular() && e.Name() != "cmds" {
				p := filepath.Join(data, d, e.Name())
				groups[d] = append(groups[d], p)
				files = append(files, p)
			}
		}
	}
	tmp, err := os.MkdirTemp("", "pam-bench-worker-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	home := filepath.Join(tmp, "home")
	cfg := worker.Config{Kind: "classify", Path: pamBin, Home: home, Stderr: os.Stderr}
	if gogc != "" {
		cfg.Env = append(cfg.Env, "GOGC="+gogc)
	}
	if notrim {
		cfg.Env = append(cfg.Env, "PAM_WORKER_TRIM=0")
	}

	out, err := exec.Command(pamBin, "--home", home, "model", "list", "--json").Output()
	if err != nil {
		return fmt.Errorf("pam model list: %w", err)
	}
	var specs, modelArgs []string
	standIn := !bytes.Contains(out, []byte(`"version":"builtin"`))
	if standIn {
		specs, err = trainStandIns(ctx, cfg, groups, tmp)
		if err != nil {
			return err
		}
		for _, s := range specs {
			modelArgs = append(modelArgs, "--model", s)
		}
	}
	msgs, err := parseAll(files)
	if err != nil {
		return err
	}

	load0 := loadAvg()
	n := float64(len(files))
	fmt.Printf("files: %d (easy-ham-1 %d, hard-ham-1 %d, spam-1 %d)\n",
		len(files), len(groups["easy-ham-1"]), len(groups["hard-ham-1"]), len(groups["spam-1"]))
	if standIn {
		fmt.Printf("models: no embedded defaults in this binary; stand-in spam/kind/needs_reply models trained through the worker on 300+300 files\n")
	} else {
		fmt.Printf("models: the embedded defaults\n")
	}
	var rows []string
	if only == "" || only == "cold" {
		cold, err := coldStart(ctx, cfg, msgs[:1], specs, max(runs, 5))
		if err != nil {
			return err
		}
		rows = append(rows, fmt.Sprintf("| first answer from a cold worker (start + model load + 1 message), median of %d | %.1f ms | ≤ 200 ms |", max(runs, 5), ms(cold)))
	}
	if only == "" || only == "rss" {
		st, degraded, err := peakRSS(ctx, cfg, msgs, specs)
		if err != nil {
			return err
		}
		fmt.Printf("degraded results in the RSS run: %d of %d\n", degraded, len(msgs))
		fmt.Printf("worker memory after a ping (no model): VmHWM %.1f MB; after the run: VmHWM %.1f MB = peak of RssAnon (now %.1f MB) + RssFile (now %.1f MB, the binary's pages)\n",
			mb(st.pingHWM), mb(st.hwm), mb(st.anon), mb(st.file))
		rows = append(rows, fmt.Sprintf("| peak RSS (VmHWM) of the worker after classifying all %d messages | %.1f MB | ≤ 48 MB |", len(msgs), mb(st.hwm)))
	}
	if only == "" || only == "speed" {
		pm, pcpu, nOut, err := timeClassify(pamBin, home, modelArgs, files, runs)
		if err != nil {
			return err
		}
		fmt.Printf("pam classify printed %d results\n", nOut)
		bm, bcpu, bogoTrain, err := timeBogofilter(tmp, groups, files, runs)
		if err != nil {
			return err
		}
		rows = append(rows,
			fmt.Sprintf("| pam classify --json, all files, median of %d | %.2f s = %.0f msgs/s | |", runs, pm.Seconds(), n/pm.Seconds()),
			fmt.Sprintf("| bogofilter -B -v (after training, %.2f s), median of %d | %.2f s = %.0f msgs/s | |", bogoTrain.Seconds(), runs, bm.Seconds(), n/bm.Seconds()),
			fmt.Sprintf("| ratio pam / bogofilter (msgs/s) | %.2f× | ≥ 1× |", bm.Seconds()/pm.Seconds()),
			fmt.Sprintf("| CPU time (user+sys, worker included), median: pam / bogofilter | %.2f s / %.2f s = %.2f× | |", pcpu.Seconds(), bcpu.Seconds(), bcpu.Seconds()/pcpu.Seconds()))
	}
	fmt.Printf("\n| measure | value | target |\n|---|---|---|\n")
	for _, r := range rows {
		fmt.Println(r)
	}
	fmt.Printf("\nload average before: %s; after: %s; cores: %d\n", load0, loadAvg(), runtime.NumCPU())
	return nil
}

// coldStart times the first answer of a new worker (process start, lazy
// model load, one message), median of runs.
func coldStart(ctx context.Context, cfg worker.Config, one []wire.Message, specs []string, runs int) (time.Duration, error) {
	var cold []time.Duration
	for i := 0; i < runs; i++ {
		sup, err := worker.New(cfg)
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		var resp wire.ClassifyResponse
		err = sup.Call(ctx, worker.KindClassify, wire.ClassifyRequest{Messages: one, Models: specs}, &resp)
		cold = append(cold, time.Since(t0))
		sup.Close()
		if err != nil {
			return 0, fmt.Errorf("cold call: %w", err)
		}
	}
	return median(cold), nil
}

type memStats struct{ pingHWM, hwm, anon, file int64 }

// batch is the number of messages per request of pam classify
// (classifyBatch in internal/cli/cmd_classify.go); the RSS run sends the
// same.
const batch = 256

// peakRSS has one worker classify every message in batches of batch and
// reads its peak RSS.
func peakRSS(ctx context.Context, cfg worker.Config, msgs []wire.Message, specs []string) (memStats, int, error) {
	var st memStats
	sup, err := worker.New(cfg)
	if err != nil {
		return st, 0, err
	}
	defer sup.Close()
	var ping worker.PingResponse
	if err := sup.Call(ctx, worker.KindPing, nil, &ping); err != nil {
		return st, 0, err
	}
	if st.pingHWM, err = procStatus(sup.PID(), "VmHWM"); err != nil {
		return st, 0, err
	}
	var degraded int
	for i := 0; i < len(msgs); i += batch {
		var resp wire.ClassifyResponse
		if err := sup.Call(ctx, worker.KindClassify, wire.ClassifyRequest{Messages: msgs[i:min(i+batch, len(msgs))], Models: specs}, &resp); err != nil {
			return st, 0, err
		}
		for _, r := range resp.Results {
			if r.Degraded {
				degraded++
			}
		}
	}
	for _, f := range []struct {
		name string
		v    *int64
	}{{"VmHWM", &st.hwm}, {"RssAnon", &st.anon}, {"RssFile", &st.file}} {
		if *f.v, err = procStatus(sup.PID(), f.name); err != nil {
			return st, 0, err
		}
	}
	return st, degraded, nil
}

// cpuTime is the user and system time of a finished command and of the
// children it waited for (pam's worker).
func cpuTime(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// timeClassify times pam classify --json over all files: wall and CPU
// time, medians of runs.
func timeClassify(pamBin, home string, modelArgs, files []string, runs int) (time.Duration, time.Duration, int, error) {
	var pamT, cpuT []time.Duration
	var nOut int
	for i := 0; i < runs; i++ {
		args := append([]string{"--home", home, "classify", "--json"}, modelArgs...)
		args = append(args, files...)
		cmd := exec.Command(pamBin, args...)
		cmd.Stderr = os.Stderr
		t0 := time.Now()
		b, err := cmd.Output()
		pamT = append(pamT, time.Since(t0))
		cpuT = append(cpuT, cpuTime(cmd))
		if err != nil {
			return 0, 0, 0, fmt.Errorf("pam classify: %w", err)
		}
		nOut = bytes.Count(b, []byte("\n"))
	}
	return median(pamT), median(cpuT), nOut, nil
}

// timeBogofilter trains bogofilter on all files, then times bulk
// classification (-B) of all files: wall and CPU time, medians of runs,
// and the training time.
func timeBogofilter(tmp string, groups map[string][]string, files []string, runs int) (time.Duration, time.Duration, time.Duration, error) {
	bogo := filepath.Join(tmp, "bogo")
	os.MkdirAll(bogo, 0o700)
	var hamFiles []string
	hamFiles = append(append(hamFiles, groups["easy-ham-1"]...), groups["hard-ham-1"]...)
	t0 := time.Now()
	if _, err := bogoRun(bogo, "-n", hamFiles); err != nil {
		return 0, 0, 0, err
	}
	if _, err := bogoRun(bogo, "-s", groups["spam-1"]); err != nil {
		return 0, 0, 0, err
	}
	train := time.Since(t0)
	var bogoT, cpuT []time.Duration
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		cpu, err := bogoRun(bogo, "-v", files)
		if err != nil {
			return 0, 0, 0, err
		}
		bogoT = append(bogoT, time.Since(t0))
		cpuT = append(cpuT, cpu)
	}
	return median(bogoT), median(cpuT), train, nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// bogoRun runs bogofilter in mode over files and returns its CPU time.
func bogoRun(dir, mode string, files []string) (time.Duration, error) {
	args := append([]string{"-d", dir, mode, "-B"}, files...)
	cmd := exec.Command("bogofilter", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		// bogofilter exits 1 for "ham" and 2 for "unsure" in some modes.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 2 {
			return 0, fmt.Errorf("bogofilter %s: %v: %s", mode, err, out)
		}
	}
	return cpuTime(cmd), nil
}

func parseAll(files []string) ([]wire.Message, error) {
	out := make([]wire.Message, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m, err := mail.Parse(raw)
		if err != nil {
			continue
		}
		w := worker.FromMessage(m, nil)
		w.ID = f
		out = append(out, w)
	}
	return out, nil
}

// trainStandIns trains spam, kind and needs_reply models through the
// worker: spam on 300 spam and 300 easy ham; kind and needs_reply on the
// rules' labels of the same 600 (weak labels).
func trainStandIns(ctx context.Context, cfg worker.Config, groups map[string][]string, dir string) ([]string, error) {
	sup, err := worker.New(cfg)
	if err != nil {
		return nil, err
	}
	defer sup.Close()
	pick := func(fs []string, n int) []string {
		step := max(1, len(fs)/n)
		var out []string
		for i := 0; i < len(fs) && len(out) < n; i += step {
			out = append(out, fs[i])
		}
		return out
	}
	hams, err := parseAll(pick(groups["easy-ham-1"], 300))
	if err != nil {
		return nil, err
	}
	spams, err := parseAll(pick(groups["spam-1"], 300))
	if err != nil {
		return nil, err
	}
	ex := map[string][]worker.LabelledMessage{}
	for _, m := range hams {
		ex["spam"] = append(ex["spam"], worker.LabelledMessage{Msg: m, Label: "ham"})
		r := worker.Rules(m)
		ex["kind"] = append(ex["kind"], worker.LabelledMessage{Msg: m, Label: r.Kind})
		nr := "no"
		if r.NeedsReply >= 0.5 {
			nr = "yes"
		}
		ex["needs_reply"] = append(ex["needs_reply"], worker.LabelledMessage{Msg: m, Label: nr})
	}
	for _, m := range spams {
		ex["spam"] = append(ex["spam"], worker.LabelledMessage{Msg: m, Label: "spam"})
		ex["kind"] = append(ex["kind"], worker.LabelledMessage{Msg: m, Label: "spam"})
		ex["needs_reply"] = append(ex["needs_reply"], worker.LabelledMessage{Msg: m, Label: "no"})
	}
	var specs []string
	for _, task := range []string{"spam", "kind", "needs_reply"} {
		out := filepath.Join(dir, task+".pam")
		var resp worker.UpdateResponse
		if err := sup.Call(ctx, worker.KindUpdate, worker.UpdateRequest{Task: task, Examples: ex[task], Out: out}, &resp); err != nil {
			return nil, fmt.Errorf("train stand-in %s: %w", task, err)
		}
		specs = append(specs, out)
	}
	return specs, nil
}

// procStatus reads a "kB" field of /proc/PID/status in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field+":" {
			var kb int64
			fmt.Sscan(f[1], &kb)
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

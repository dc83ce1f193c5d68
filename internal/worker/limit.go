package worker

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// procMemory reads a process's resident set size and its peak (VmRSS and
// VmHWM of /proc/PID/status) in bytes.
func procMemory(pid int) (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStatus(b)
}

// parseStatus extracts VmRSS and VmHWM from the text of /proc/PID/status.
func parseStatus(b []byte) (rss, peak int64, err error) {
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		var dst *int64
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			dst = &rss
		case strings.HasPrefix(line, "VmHWM:"):
			dst = &peak
		default:
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return 0, 0, fmt.Errorf("proc status: bad line %q", line)
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || n < 0 {
			return 0, 0, fmt.Errorf("proc status: bad line %q", line)
		}
		mult := int64(1)
		if len(f) > 2 && strings.EqualFold(f[2], "kB") {
			mult = 1024
		}
		*dst = n * mult
		found++
	}
	if found == 0 {
		return 0, 0, errors.New("proc status: no VmRSS")
	}
	return rss, peak, nil
}

// cgroup is a cgroup v2 directory holding one worker, with memory.max set.
type cgroup struct {
	dir string
	fd  *os.File // the directory, for SysProcAttr.CgroupFD
}

// newCgroup creates a cgroup v2 child of this process's own cgroup with
// memory.max = limit. It fails (and the caller falls back to polling RSS)
// when there is no cgroup v2 hierarchy with the memory controller that
// this process may write to.
func newCgroup(name string, limit int64) (*cgroup, error) {
	mount, err := cgroup2Mount()
	if err != nil {
		return nil, err
	}
	own, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	var rel string
	for _, line := range strings.Split(string(own), "\n") {
		if strings.HasPrefix(line, "0::") {
			rel = strings.TrimPrefix(line, "0::")
		}
	}
	if rel == "" {
		return nil, errors.New("cgroup v2: this process is not in a unified hierarchy")
	}
	parent := filepath.Join(mount, filepath.Clean("/"+rel))
	ctrl, err := os.ReadFile(filepath.Join(parent, "cgroup.controllers"))
	if err != nil || !hasWord(string(ctrl), "memory") {
		return nil, errors.New("cgroup v2: memory controller not available")
	}
	// Delegate the memory controller to children; this fails when the
	// parent holds processes and is not the root, and then memory.max will
	// be missing below.
	_ = os.WriteFile(filepath.Join(parent, "cgroup.subtree_control"), []byte("+memory"), 0)
	dir := filepath.Join(parent, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cgroup v2: %w", err)
	}
	cg := &cgroup{dir: dir}
	if err := os.WriteFile(filepath.Join(dir, "memory.max"), []byte(strconv.FormatInt(limit, 10)), 0); err != nil {
		cg.remove()
		return nil, fmt.Errorf("cgroup v2: set memory.max: %w", err)
	}
	_ = os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0)
	cg.fd, err = os.Open(dir)
	if err != nil {
		cg.remove()
		return nil, fmt.Errorf("cgroup v2: %w", err)
	}
	return cg, nil
}

// oomKilled reports whether the kernel killed a process of the cgroup for
// exceeding memory.max.
func (c *cgroup) oomKilled() bool {
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.events"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "oom_kill" && f[1] != "0" {
			return true
		}
	}
	return false
}

func (c *cgroup) remove() {
	if c.fd != nil {
		c.fd.Close()
	}
	os.Remove(c.dir)
}

func cgroup2Mount() (string, error) {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		// ... mountpoint ... - fstype source options
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		pf, qf := strings.Fields(pre), strings.Fields(post)
		if len(pf) >= 5 && len(qf) >= 1 && qf[0] == "cgroup2" {
			return pf[4], nil
		}
	}
	return "", errors.New("cgroup v2: not mounted")
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

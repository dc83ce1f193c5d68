package worker

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// TrimExecutablePages drops this process's mappings of its own
// executable's read-only pages (code and constant data), leaving them in
// the page cache: the kernel maps them back on the next touch. A worker
// calls it once its model is loaded. Start-up runs the init code of every
// package in the pam binary and reads the embedded model files, and the
// kernel maps file pages in 64 KB blocks around each fault, so without
// this most of a worker's resident memory would be pages of the binary
// it never touches again.
//
// Only mappings that are not writable and hold no private (modified)
// pages are dropped: those are byte for byte the file, so dropping them
// cannot change what the process reads. It returns the bytes dropped.
func TrimExecutablePages() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, err
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	type region struct {
		start, end uintptr
		ok         bool
	}
	var regions []region
	cur := -1
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && len(f[1]) == 4 {
			cur = -1
			path := ""
			if len(f) >= 6 {
				path = strings.Join(f[5:], " ")
			}
			if path != exe || f[1][1] == 'w' || f[1][3] != 'p' {
				continue
			}
			lo, hi, _ := strings.Cut(f[0], "-")
			s, err1 := strconv.ParseUint(lo, 16, 64)
			e, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 != nil || err2 != nil || e <= s {
				continue
			}
			regions = append(regions, region{start: uintptr(s), end: uintptr(e), ok: true})
			cur = len(regions) - 1
			continue
		}
		// A mapping with anonymous (copied on write) pages differs from
		// the file: keep it. (Private_Dirty also counts file pages not
		// yet written back, as for a binary just built.)
		if cur >= 0 && strings.HasPrefix(line, "Anonymous:") {
			if len(f) >= 2 && f[1] != "0" {
				regions[cur].ok = false
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	var n int64
	for _, r := range regions {
		if !r.ok {
			continue
		}
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, r.start, r.end-r.start, syscall.MADV_DONTNEED); e != 0 {
			return n, e
		}
		n += int64(r.end - r.start)
	}
	return n, nil
}

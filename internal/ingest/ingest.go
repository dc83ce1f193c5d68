// Package ingest runs mail sources (Maildir trees, plain trees of message
// files, mbox files) into the store: parsing in parallel, writing in
// batched transactions from one writer, skipping what is already there,
// recording what cannot be read, and never waiting on a model. A run that
// is interrupted keeps every batch it committed; the next run finishes the
// job.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/mail/maildir"
	"github.com/pam-ai/pam/internal/mail/mbox"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

// Options tune an import.
type Options struct {
	Workers   int // parsers; default GOMAXPROCS
	BatchSize int // messages per transaction; default 1000
	// Progress, when set, is called from the writer goroutine after each
	// batch and at most every 100 ms in between.
	Progress func(Progress)
	// OnBatch, when set, is called after each committed batch with the row
	// ids of the new messages (the AI pipeline hooks in here).
	OnBatch func(ctx context.Context, newRows []int64)
	Logger  *slog.Logger
}

// Progress is a snapshot of a running import.
type Progress struct {
	Done, Total                  int
	Imported, Duplicates, Failed int
	Elapsed                      time.Duration
}

// Summary is the result of an import.
type Summary struct {
	Imported   int     `json:"imported"`
	Duplicates int     `json:"duplicates"`
	Failed     int     `json:"failed"`
	Seconds    float64 `json:"seconds"`
	// Errors lists scan errors (unreadable directories) and failed items.
	Errors []string `json:"errors,omitempty"`
	New    []int64  `json:"-"`
}

// job is one message to read.
type job struct {
	key   string
	label string
	flags pam.Flags
	mbox  bool // flags come from Status/X-Status headers
	read  func() ([]byte, error)
}

// Import imports path: a Maildir or plain directory tree, an mbox file, or
// a single message file.
func Import(ctx context.Context, st *store.Store, path string, opt Options) (Summary, error) {
	start := time.Now()
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	jobs, cleanup, scanErrs, err := scan(path)
	if err != nil {
		return Summary{}, err
	}
	defer cleanup()
	var sum Summary
	for _, e := range scanErrs {
		sum.Errors = append(sum.Errors, e.Error())
	}
	known, err := st.KnownSources(ctx, "")
	if err != nil {
		return sum, err
	}
	var todo []job
	for _, j := range jobs {
		f, ok := known[j.key]
		if !ok {
			todo = append(todo, j)
			continue
		}
		sum.Duplicates++
		if !j.mbox && f != j.flags {
			if err := st.UpdateSourceFlags(ctx, j.key, j.flags); err != nil {
				return sum, err
			}
		}
	}
	opt.Logger.Info("import scanned", "items", len(jobs), "new", len(todo))
	err = run(ctx, st, todo, len(jobs), &sum, opt)
	sum.Seconds = time.Since(start).Seconds()
	return sum, err
}

func scan(path string) ([]job, func(), []error, error) {
	nop := func() {}
	if path == "-" {
		jobs, err := scanStream("standard input", os.Stdin)
		return jobs, nop, nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nop, nil, fmt.Errorf("import: %w", err)
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		// A pipe or a device (/dev/stdin, a process substitution): it can
		// be read once, not mapped or re-opened per message.
		f, err := os.Open(path)
		if err != nil {
			return nil, nop, nil, fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		jobs, err := scanStream(path, f)
		return jobs, nop, nil, err
	}
	if !fi.IsDir() && mbox.IsMbox(path) {
		return scanMbox(path)
	}
	items, errs, err := maildir.Scan(path)
	if err != nil {
		return nil, nop, errs, fmt.Errorf("import: %w", err)
	}
	jobs := make([]job, 0, len(items))
	for _, it := range items {
		if !fi.IsDir() && it.Label == "" {
			it.Flags = pam.FlagSeen
		}
		p := it.Path
		jobs = append(jobs, job{key: it.Key, label: it.Label, flags: it.Flags, read: func() ([]byte, error) { return os.ReadFile(p) }})
	}
	return jobs, nop, errs, nil
}

// maxStream bounds what an import reads from a pipe or standard input
// (it is held in memory; a file of any size is mapped instead).
const maxStream = 1 << 30

// scanStream reads a stream whole: an mbox when it starts with a "From "
// line, one message otherwise. The source key of each message is a hash
// of its bytes, so importing the same stream again finds it present.
func scanStream(name string, r io.Reader) ([]job, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStream+1))
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	if len(data) > maxStream {
		return nil, fmt.Errorf("import %s: more than %d MB on a stream; save it to a file and import the file", name, maxStream>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("import %s: nothing to read (empty input)", name)
	}
	key := func(b []byte) string {
		h := sha256.Sum256(b)
		return "stream:" + hex.EncodeToString(h[:16])
	}
	if !bytes.HasPrefix(data, []byte("From ")) {
		return []job{{key: key(data), flags: pam.FlagSeen, read: func() ([]byte, error) { return data, nil }}}, nil
	}
	spans, err := mbox.Split(data)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	jobs := make([]job, 0, len(spans))
	for _, s := range spans {
		msg := mbox.Unescape(data[s.Offset : s.Offset+s.Length])
		jobs = append(jobs, job{key: key(msg), mbox: true, read: func() ([]byte, error) { return msg, nil }})
	}
	return jobs, nil
}

func scanMbox(path string) ([]job, func(), []error, error) {
	abs, _ := filepath.Abs(path)
	f, err := os.Open(abs)
	if err != nil {
		return nil, func() {}, nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, func() {}, nil, fmt.Errorf("import: %w", err)
	}
	if fi.Size() == 0 {
		return nil, func() {}, nil, nil
	}
	// Map the file instead of reading it: pages are the page cache's, not
	// the heap's, so a large mbox does not inflate PAM's memory.
	data, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, func() {}, nil, fmt.Errorf("import: map %s: %w", path, err)
	}
	cleanup := func() { unix.Munmap(data) }
	spans, err := mbox.Split(data)
	if err != nil {
		cleanup()
		return nil, func() {}, nil, fmt.Errorf("import %s: %w", path, err)
	}
	label := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	jobs := make([]job, 0, len(spans))
	for _, s := range spans {
		s := s
		jobs = append(jobs, job{
			key:   fmt.Sprintf("mbox:%s:%d:%d", abs, s.Offset, s.Length),
			label: label,
			mbox:  true,
			read: func() ([]byte, error) {
				return bytes.Clone(mbox.Unescape(data[s.Offset : s.Offset+s.Length])), nil
			},
		})
	}
	return jobs, cleanup, nil, nil
}

func run(ctx context.Context, st *store.Store, todo []job, total int, sum *Summary, opt Options) error {
	jobsCh := make(chan job, opt.Workers*4)
	results := make(chan store.Incoming, opt.Workers*4)
	var wg sync.WaitGroup
	for i := 0; i < opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobsCh {
				results <- parseJob(j)
			}
		}()
	}
	go func() {
		defer close(jobsCh)
		for _, j := range todo {
			select {
			case jobsCh <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	start := time.Now()
	already := sum.Duplicates
	done := already
	lastReport := time.Time{}
	report := func(force bool) {
		if opt.Progress == nil || (!force && time.Since(lastReport) < 100*time.Millisecond) {
			return
		}
		lastReport = time.Now()
		opt.Progress(Progress{Done: done, Total: total, Imported: sum.Imported, Duplicates: sum.Duplicates, Failed: sum.Failed, Elapsed: time.Since(start)})
	}
	batch := make([]store.Incoming, 0, opt.BatchSize)
	var writeErr error
	flush := func() {
		if len(batch) == 0 || writeErr != nil {
			batch = batch[:0]
			return
		}
		// The batch is parsed already: commit it even when the run is
		// being interrupted, so the work is not lost.
		res, err := st.WriteBatch(context.WithoutCancel(ctx), batch)
		if err != nil {
			writeErr = err
			batch = batch[:0]
			return
		}
		for _, it := range batch {
			if it.Msg == nil {
				e := "unknown error"
				if it.Err != nil {
					e = it.Err.Error()
				}
				if len(sum.Errors) < 1000 {
					sum.Errors = append(sum.Errors, it.Source+": "+e)
				}
			}
		}
		sum.Imported += res.Imported
		sum.Duplicates += res.Duplicates
		sum.Failed += res.Failed
		sum.New = append(sum.New, res.New...)
		batch = batch[:0]
		if opt.OnBatch != nil && len(res.New) > 0 {
			opt.OnBatch(ctx, res.New)
		}
		report(true)
	}
	for it := range results {
		if writeErr != nil {
			continue // drain
		}
		batch = append(batch, it)
		done++
		if len(batch) >= opt.BatchSize {
			flush()
		} else {
			report(false)
		}
	}
	flush()
	if writeErr != nil {
		return writeErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import interrupted after %d of %d messages (run it again to finish): %w", done, total, err)
	}
	return nil
}

func parseJob(j job) store.Incoming {
	in := store.Incoming{Source: j.key, Label: j.label, Flags: j.flags}
	raw, err := j.read()
	if err != nil {
		in.Err = fmt.Errorf("read: %w", err)
		return in
	}
	m, err := mail.Parse(raw)
	if err != nil {
		in.Err = err
		return in
	}
	if j.mbox {
		in.Flags = mboxFlags(raw)
	}
	in.Msg = m
	in.Raw = store.Compress(raw)
	in.Codec = store.CodecZstd
	return in
}

// mboxFlags reads the Status and X-Status headers mail readers write into
// mbox files.
func mboxFlags(raw []byte) pam.Flags {
	end := bytes.Index(raw, []byte("\n\n"))
	if end < 0 {
		end = len(raw)
	}
	var f pam.Flags
	for _, line := range bytes.Split(raw[:end], []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		switch {
		case bytes.HasPrefix(line, []byte("Status:")):
			if bytes.ContainsRune(line[7:], 'R') {
				f |= pam.FlagSeen
			}
		case bytes.HasPrefix(line, []byte("X-Status:")):
			v := line[9:]
			if bytes.ContainsRune(v, 'F') {
				f |= pam.FlagFlagged
			}
			if bytes.ContainsRune(v, 'A') {
				f |= pam.FlagReplied
			}
			if bytes.ContainsRune(v, 'D') {
				f |= pam.FlagTrashed
			}
		}
	}
	return f
}

package llm

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Ledger is the append-only record of every egress: a JSON Lines file in
// the data directory, each line fsynced before Append returns. A "sent"
// entry (the exact bytes about to leave) is written before the request;
// an "answer" entry (the answer, tokens, cost, or the error) after it,
// pointing back with Ref. A Ledger is safe for concurrent use.
type Ledger struct {
	mu   sync.Mutex
	path string
	f    *os.File
	seq  int64
	now  func() time.Time
}

// Entry kinds.
const (
	KindSent   = "sent"
	KindAnswer = "answer"
)

// Entry is one line of the ledger.
type Entry struct {
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	Ref      int64     `json:"ref,omitempty"` // answer: the seq of its sent entry
	Job      string    `json:"job"`
	Provider string    `json:"provider"`
	Model    string    `json:"model"`
	URL      string    `json:"url"`
	// Body is exactly the bytes sent (a JSON request body, so valid UTF-8);
	// BodySHA256 is their digest.
	Body       string `json:"body,omitempty"`
	BodySHA256 string `json:"body_sha256,omitempty"`
	// Answer entries.
	Answer       string `json:"answer,omitempty"`
	InputTokens  int64  `json:"input_tokens,omitempty"`
	OutputTokens int64  `json:"output_tokens,omitempty"`
	CostMicroUSD int64  `json:"cost_micro_usd,omitempty"`
	Error        string `json:"error,omitempty"`
}

// OpenLedger opens (creating with mode 0600) the ledger at path for
// appending. A new file's directory is fsynced so the file survives a
// crash. The next sequence number continues the file's.
func OpenLedger(path string) (*Ledger, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, fmt.Errorf("open ledger: %w", err)
		}
	}
	l := &Ledger{path: path, f: f, now: time.Now}
	entries, _, err := ReadLedger(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	if n := len(entries); n > 0 {
		l.seq = entries[n-1].Seq
	}
	return l, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Path returns the ledger file's path.
func (l *Ledger) Path() string { return l.path }

// Close closes the file.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Close()
}

// Append assigns e its sequence number and time, writes it as one line and
// fsyncs the file. When Append returns an error the entry may not be on
// disk and the caller must not send.
func (l *Ledger) Append(e Entry) (Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Seq = l.seq + 1
	e.Time = l.now().UTC()
	if e.Kind == KindSent {
		sum := sha256.Sum256([]byte(e.Body))
		e.BodySHA256 = hex.EncodeToString(sum[:])
	}
	line, err := json.Marshal(e)
	if err != nil {
		return Entry{}, fmt.Errorf("ledger: encode: %w", err)
	}
	line = append(line, '\n')
	if _, err := l.f.Write(line); err != nil {
		return Entry{}, fmt.Errorf("ledger: write: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return Entry{}, fmt.Errorf("ledger: fsync: %w", err)
	}
	l.seq = e.Seq
	return e, nil
}

// ReadLedger reads every entry of the ledger at path. A missing file is an
// empty ledger. A last line without its newline (a crash mid-write) is
// reported in torn and skipped; any other bad line is an error.
func ReadLedger(path string) (entries []Entry, torn bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read ledger: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			if len(bytes.TrimSpace(line)) > 0 {
				torn = true
			}
			return entries, torn, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read ledger: %w", err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, false, fmt.Errorf("read ledger: line %d: %w", n, err)
		}
		entries = append(entries, e)
	}
}

// Egress is one sent entry joined with its answer (if any).
type Egress struct {
	Sent   Entry  `json:"sent"`
	Answer *Entry `json:"answer,omitempty"`
}

// Pair joins sent entries with their answers, in ledger order.
func Pair(entries []Entry) []Egress {
	idx := map[int64]int{}
	var out []Egress
	for _, e := range entries {
		switch e.Kind {
		case KindSent:
			idx[e.Seq] = len(out)
			out = append(out, Egress{Sent: e})
		case KindAnswer:
			if i, ok := idx[e.Ref]; ok {
				a := e
				out[i].Answer = &a
			}
		}
	}
	return out
}

// SpentMicroUSD sums the cost of the answers in the calendar month of t
// (in t's location).
func SpentMicroUSD(entries []Entry, t time.Time) int64 {
	y, m, _ := t.Date()
	var sum int64
	for _, e := range entries {
		if e.Kind != KindAnswer {
			continue
		}
		ey, em, _ := e.Time.In(t.Location()).Date()
		if ey == y && em == m {
			sum += e.CostMicroUSD
		}
	}
	return sum
}

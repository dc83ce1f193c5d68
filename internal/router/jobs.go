package router

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"
)

// JobsFile is the name of the job log in the data directory: one line per
// AI job run, with the tier that answered (no content).
const JobsFile = "ai-jobs.jsonl"

// JobRecord is one AI job's outcome, without its content.
type JobRecord struct {
	Time       time.Time `json:"time"`
	Job        string    `json:"job"`
	Item       string    `json:"item,omitempty"` // message id or "" for list jobs
	Tier       string    `json:"tier"`
	Cloud      bool      `json:"cloud"`
	Confidence float64   `json:"confidence"`
	DryRun     bool      `json:"dry_run,omitempty"`
}

// AppendJob appends rec to the job log at path (mode 0600) and fsyncs it.
func AppendJob(path string, rec JobRecord) error {
	return AppendJobs(path, []JobRecord{rec})
}

// AppendJobs appends recs to the job log at path in one write and one
// fsync (a command that ran many jobs, such as pam extract over a tree).
func AppendJobs(path string, recs []JobRecord) error {
	if len(recs) == 0 {
		return nil
	}
	var buf []byte
	for _, rec := range recs {
		b, _ := json.Marshal(rec)
		buf = append(append(buf, b...), '\n')
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("job log: %w", err)
	}
	_, err = f.Write(buf)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("job log: %w", err)
	}
	return nil
}

// ReadJobs reads the job log; a missing file is empty, a torn last line
// is skipped.
func ReadJobs(path string) ([]JobRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("job log: %w", err)
	}
	defer f.Close()
	var out []JobRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var r JobRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Job != "" {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

// Stats is the share of AI jobs answered without the cloud.
type Stats struct {
	Total      int            `json:"total"`
	Local      int            `json:"local"`
	Cloud      int            `json:"cloud"`
	LocalShare float64        `json:"local_share"`
	ByJob      map[string]Row `json:"by_job"`
	ByTier     map[string]int `json:"by_tier"`
}

// Row is one job's counts.
type Row struct {
	Total int `json:"total"`
	Cloud int `json:"cloud"`
}

// Summarise counts recs (dry runs excluded).
func Summarise(recs []JobRecord) Stats {
	s := Stats{ByJob: map[string]Row{}, ByTier: map[string]int{}}
	for _, r := range recs {
		if r.DryRun {
			continue
		}
		s.Total++
		row := s.ByJob[r.Job]
		row.Total++
		if r.Cloud {
			s.Cloud++
			row.Cloud++
		} else {
			s.Local++
		}
		s.ByJob[r.Job] = row
		s.ByTier[r.Tier]++
	}
	if s.Total > 0 {
		s.LocalShare = float64(s.Local) / float64(s.Total)
	}
	return s
}

// JobNames returns the jobs in s, sorted.
func (s Stats) JobNames() []string {
	var out []string
	for j := range s.ByJob {
		out = append(out, j)
	}
	sort.Strings(out)
	return out
}

package ml

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// sharedDataDir returns ../shared/data beside the repository root.
func sharedDataDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		return "", err
	}
	return data, nil
}

// sharedData is sharedDataDir, skipping the test when the data is
// missing (failing under CI=true).
func sharedData(t testing.TB) string {
	t.Helper()
	data, err := sharedDataDir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data: %v", err)
		}
		t.Skipf("shared data: %v", err)
	}
	return data
}

// spamAssassin parses up to n files of each SpamAssassin folder.
func spamAssassin(t testing.TB, n int) []wire.Message {
	t.Helper()
	root := filepath.Join(sharedData(t), "mail", "spamassassin")
	var out []wire.Message
	for _, d := range []string{"easy-ham-1", "hard-ham-1", "spam-1"} {
		ents, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, e := range ents {
			if k >= n || !e.Type().IsRegular() || e.Name() == "cmds" {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(root, d, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			pm, err := mail.Parse(raw)
			if err != nil {
				continue
			}
			w := FromMessage(pm, nil)
			w.ID = e.Name()
			out = append(out, w)
			k++
		}
	}
	return out
}

func BenchmarkClassifySpamAssassin(b *testing.B) {
	msgs := spamAssassin(b, 1<<30)
	ms, err := Defaults()
	if err != nil {
		b.Fatal(err)
	}
	c := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := make([]wire.Classification, len(msgs))
		c.classify(msgs, out)
	}
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkScores times scoring alone (no featurisation) with each
// default model over SpamAssassin feature vectors.
func BenchmarkScores(b *testing.B) {
	msgs := spamAssassin(b, 200)
	ms, err := CompactDefaults()
	if err != nil {
		b.Fatal(err)
	}
	for _, task := range []string{TaskSpam, TaskKind, TaskNeedsReply} {
		m := ms[task]
		f := m.featurizer()
		xs := make([]vec, len(msgs))
		for i := range msgs {
			f.extract(&msgs[i], &xs[i])
		}
		out := make([]float64, m.nOut)
		b.Run(task, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for j := range xs {
					m.scores(&xs[j], out)
				}
			}
		})
	}
}

// BenchmarkClassifyBatches is what a worker does with pam classify's
// requests: the SpamAssassin messages in batches of 64, each batch shared
// by the cores (Classify). Compare its wall time with
// BenchmarkClassifySpamAssassin (one goroutine) for the share the second
// core takes.
func BenchmarkClassifyBatches(b *testing.B) {
	msgs := spamAssassin(b, 1<<30)
	ms, err := CompactDefaults()
	if err != nil {
		b.Fatal(err)
	}
	c := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for lo := 0; lo < len(msgs); lo += 64 {
			c.Classify(msgs[lo:min(lo+64, len(msgs))])
		}
	}
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkClassifyWorkerPath times what the classify worker does for a
// `pam classify` of the SpamAssassin corpus: the compact default models,
// one new Classifier per run (so its sentence cache starts empty), batches
// of 256 messages.
func BenchmarkClassifyWorkerPath(b *testing.B) {
	msgs := spamAssassin(b, 1<<30)
	ms, err := CompactDefaults()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		c := NewClassifier(ms[TaskSpam], ms[TaskKind], ms[TaskNeedsReply])
		for lo := 0; lo < len(msgs); lo += 256 {
			c.Classify(msgs[lo:min(lo+256, len(msgs))])
		}
	}
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
	// CPU time (all threads, GC included) per message: the figure that
	// does not depend on what else the machine runs.
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(msgs)*b.N), "cpu-µs/msg")
}

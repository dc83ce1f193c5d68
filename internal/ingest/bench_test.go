package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImportMaildir imports the Maildir named by PAM_BENCH_MAILDIR
// (bench/import.sh builds one from the shared corpus) into a fresh store.
func BenchmarkImportMaildir(b *testing.B) {
	dir := os.Getenv("PAM_BENCH_MAILDIR")
	if dir == "" {
		b.Skip("PAM_BENCH_MAILDIR not set")
	}
	for i := 0; i < b.N; i++ {
		st := openStore(b, filepath.Join(b.TempDir(), "pam.db"))
		sum, err := Import(context.Background(), st, dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Imported)/sum.Seconds, "msgs/s")
		st.Close()
	}
}

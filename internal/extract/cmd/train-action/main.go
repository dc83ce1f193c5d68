// Command train-action writes PAM's embedded action-sentence model
// (internal/extract/action.model) from the Email Intent sentences in
// ../shared/data/email-intent/train.tsv. The output depends only on the
// data and this program: running it twice gives the same bytes.
//
//	go run ./internal/extract/cmd/train-action
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/testdata"
)

func main() {
	out := flag.String("o", "internal/extract/action.model", "model file to write, relative to the repository root")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "train-action:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := testdata.RepoRoot()
	if err != nil {
		return err
	}
	path := filepath.Join(root, "..", "shared", "data", "email-intent", "train.tsv")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var ex []extract.Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lab, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.TrimSpace(text) == "" {
			continue
		}
		ex = append(ex, extract.Example{Text: text, Action: lab == "Yes"})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	m, err := extract.Train(ex, extract.TrainOptions{Data: "sha256:" + hex.EncodeToString(sum[:]), Version: 1})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	dst := filepath.Join(root, out)
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d examples, threshold %.2f, %d bytes\n", out, m.Info().Examples, m.Info().Threshold, buf.Len())
	return nil
}

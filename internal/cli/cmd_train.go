package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/mail/maildir"
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func init() {
	register(&command{Name: "train", Summary: "train a spam or folders model from mail on disk", Usage: "spam --ham DIR [--ham DIR…] --spam DIR [--spam DIR…] --out FILE | folders --maildir DIR --out FILE", Run: runTrain})
}

// dirList is a repeatable directory flag.
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }
func (d *dirList) Set(v string) error {
	*d = append(*d, v)
	return nil
}

func runTrain(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: pam train spam --ham DIR [--ham DIR…] --spam DIR [--spam DIR…] --out FILE | pam train folders --maildir DIR --out FILE"}
	}
	switch args[0] {
	case "spam":
		return trainSpam(ctx, env, args[1:])
	case "folders":
		return trainFolders(ctx, env, args[1:])
	}
	return usageError{fmt.Sprintf("unknown model %q (want spam or folders)", args[0])}
}

func trainSpam(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "train spam", "--ham DIR [--ham DIR…] --spam DIR [--spam DIR…] --out FILE")
	var ham, spam dirList
	fs.Var(&ham, "ham", "a directory (Maildir or plain tree) of legitimate mail; repeatable")
	fs.Var(&spam, "spam", "a directory of spam; repeatable")
	out := fs.String("out", "", "the model file to write")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 || len(ham) == 0 || len(spam) == 0 || *out == "" {
		return usageError{"need --ham DIR, --spam DIR and --out FILE"}
	}
	var ex []ml.Example
	skipped := 0
	for _, set := range []struct {
		dirs  []string
		label string
	}{{ham, "ham"}, {spam, "spam"}} {
		for _, d := range set.dirs {
			items, _, err := maildir.Scan(d)
			if err != nil {
				return err
			}
			for _, it := range items {
				if err := ctx.Err(); err != nil {
					return err
				}
				m, ok := readForTraining(it.Path)
				if !ok {
					skipped++
					continue
				}
				ex = append(ex, ml.Example{Msg: m, Label: set.label})
			}
		}
	}
	return trainAndWrite(env, ml.TaskSpam, ex, skipped, *out)
}

func trainFolders(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "train folders", "--maildir DIR --out FILE")
	dir := fs.String("maildir", "", "a Maildir++ tree or a plain directory tree; the label is the folder path relative to it")
	out := fs.String("out", "", "the model file to write")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 || *dir == "" || *out == "" {
		return usageError{"need --maildir DIR and --out FILE"}
	}
	items, _, err := maildir.Scan(*dir)
	if err != nil {
		return err
	}
	var ex []ml.Example
	skipped := 0
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, ok := readForTraining(it.Path)
		if !ok {
			skipped++
			continue
		}
		ex = append(ex, ml.Example{Msg: m, Label: it.Label})
	}
	return trainAndWrite(env, ml.TaskFolders, ex, skipped, *out)
}

// readForTraining reads and parses one message file; unreadable or
// unparseable files are skipped (and counted by the caller).
func readForTraining(path string) (msg wire.Message, ok bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return wire.Message{}, false
	}
	m, err := mail.Parse(raw)
	if err != nil {
		return wire.Message{}, false
	}
	return ml.FromMessage(m, nil), true
}

func trainAndWrite(env *Env, task string, ex []ml.Example, skipped int, out string) error {
	if len(ex) == 0 {
		return fmt.Errorf("%s: no messages found: %w", task, pam.ErrInvalid)
	}
	count := map[string]int{}
	for _, e := range ex {
		count[e.Label]++
	}
	if task == ml.TaskSpam && (count["spam"] == 0 || count["ham"] == 0) {
		return fmt.Errorf("need both ham and spam messages (%d ham, %d spam): %w", count["ham"], count["spam"], pam.ErrInvalid)
	}
	m, err := ml.Train(task, ex, ml.TrainOptions{Name: task})
	if err != nil {
		return fmt.Errorf("%s: %w", task, err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		return err
	}
	if err := writeModelFile(out, b.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", task, err)
	}
	info := m.Info()
	labels := make([]string, 0, len(count))
	for l := range count {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	fmt.Fprintf(env.Stdout, "trained %s on %d messages", info.ID(), len(ex))
	if skipped > 0 {
		fmt.Fprintf(env.Stdout, " (%d unreadable skipped)", skipped)
	}
	fmt.Fprintln(env.Stdout)
	for _, l := range labels {
		fmt.Fprintf(env.Stdout, "  %-32s %d\n", l, count[l])
	}
	if acc, ok := info.Metrics["holdout_accuracy"]; ok {
		fmt.Fprintf(env.Stdout, "held-out accuracy (calibration part): %.3f", acc)
		if auc, ok := info.Metrics["holdout_auc"]; ok {
			fmt.Fprintf(env.Stdout, ", AUC %.4f", auc)
		}
		fmt.Fprintln(env.Stdout)
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes)\n", out, b.Len())
	return nil
}

// writeModelFile writes data to path through a temporary file, fsync and
// rename, so a crash leaves either the old file or the new one.
func writeModelFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

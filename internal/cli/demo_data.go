package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pam-ai/pam/internal/backup"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	registerDemoStep(demoStep{Order: 95, Title: "Your data: status, backup, export", Run: demoData})
}

// demoData shows what PAM holds, a verified backup taken while the store
// is open, and an export of a search to a Maildir any mail program reads.
func demoData(ctx context.Context, d *demoRun) error {
	fmt.Fprintln(d.Out, "$ pam status")
	r, err := gatherStatus(ctx, d.Env, d.Store, d.Now)
	if err != nil {
		return err
	}
	// The data directory is a temporary one: show its name only.
	r.Home = "<demo home>"
	printStatus(&Env{Stdout: d.Out}, r)

	work, err := os.MkdirTemp("", "pam-demo-data-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bk := filepath.Join(work, "backup")
	m, err := backup.Create(ctx, d.Store, d.Env.Home, bk)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "\n$ pam backup <dir>\nbacked up %d files, %s (the search index is rebuilt on restore)\n", len(m.Files), humanBytes(m.Bytes()))
	_, problems, err := backup.Verify(ctx, bk, store.CheckFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "$ pam backup --verify <dir>\n%d problem(s): every byte as the manifest records; database integrity ok\n", len(problems))

	fmt.Fprintln(d.Out, "\n$ pam export --maildir <dir> 'label:Sent'")
	var out bytes.Buffer
	env := *d.Env
	env.Stdout = &out
	exp := filepath.Join(work, "export")
	if err := runExport(ctx, &env, []string{"--maildir", exp, "label:Sent"}); err != nil {
		return err
	}
	fmt.Fprint(d.Out, strings.ReplaceAll(out.String(), exp, "<dir>"))
	return nil
}

package maildir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/pam"
)

// Writer writes messages into a Maildir++ tree under Root: the label
// INBOX (or "") is the root Maildir, a label "A/B" the folder ".A.B"
// (a dot inside a label's part becomes "_", since Maildir++ reads dots
// as the hierarchy). Each message is delivered as the Maildir spec says:
// written and synced in tmp/, then renamed into cur/ with its flags.
type Writer struct {
	Root  string
	made  map[string]bool
	dirty map[string]bool
}

// FolderDir is the directory of label's Maildir under root.
func FolderDir(root, label string) (string, error) {
	if label == "" || strings.EqualFold(label, "INBOX") {
		return root, nil
	}
	parts := strings.Split(label, "/")
	for i, p := range parts {
		if p == "" || strings.ContainsAny(p, "\x00") {
			return "", fmt.Errorf("label %q cannot name a Maildir folder", label)
		}
		parts[i] = strings.ReplaceAll(p, ".", "_")
	}
	name := "." + strings.Join(parts, ".")
	if !filepath.IsLocal(name) || strings.ContainsRune(name, filepath.Separator) {
		return "", fmt.Errorf("label %q cannot name a Maildir folder", label)
	}
	return filepath.Join(root, name), nil
}

// Write delivers raw into label's folder under a file name made from the
// message's stable id, with flags as Maildir info.
func (w *Writer) Write(label, id string, flags pam.Flags, raw []byte) error {
	dir, err := FolderDir(w.Root, label)
	if err != nil {
		return err
	}
	if w.made == nil {
		w.made, w.dirty = map[string]bool{}, map[string]bool{}
	}
	if !w.made[dir] {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
				return err
			}
		}
		if dir != w.Root {
			if err := os.WriteFile(filepath.Join(dir, "maildirfolder"), nil, 0o600); err != nil {
				return err
			}
		}
		w.made[dir] = true
	}
	uniq := fmt.Sprintf("%d.%s.pam", time.Now().Unix(), id)
	tmp := filepath.Join(dir, "tmp", uniq)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(raw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, "cur", uniq+":2,"+InfoFlags(flags))); err != nil {
		os.Remove(tmp)
		return err
	}
	w.dirty[dir] = true
	return nil
}

// Close syncs the cur/ directories written to, so the renames survive a
// crash.
func (w *Writer) Close() error {
	for dir := range w.dirty {
		d, err := os.Open(filepath.Join(dir, "cur"))
		if err != nil {
			return err
		}
		err = d.Sync()
		d.Close()
		if err != nil {
			return fmt.Errorf("sync %s: %w", dir, err)
		}
	}
	w.dirty = map[string]bool{}
	return nil
}

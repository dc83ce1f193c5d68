// Package maildir reads Maildir and Maildir++ trees, and plain directory
// trees of message files, as a list of items to import: the folder path
// becomes a label and the Maildir info flags become PAM flags.
package maildir

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/pam"
)

// Item is one message file.
type Item struct {
	Path  string
	Key   string // stable source key: survives flag changes (which rename the file)
	Label string // folder path relative to the root, "INBOX" for the root folder
	Flags pam.Flags
}

// IsMaildir reports whether dir has the cur/new/tmp layout.
func IsMaildir(dir string) bool {
	for _, s := range []string{"cur", "new"} {
		if fi, err := os.Stat(filepath.Join(dir, s)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// Scan lists every message under root. A Maildir (cur/new/tmp, with
// Maildir++ ".Sub.Folder" children) and a plain tree of files (label =
// directory path) are both accepted; root may also be a single file.
// Unreadable directories are reported in errs and skipped.
func Scan(root string) (items []Item, errs []error, err error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("scan %s: %w", root, err)
	}
	if !fi.IsDir() {
		return []Item{{Path: abs, Key: "file:" + abs}}, nil, nil
	}
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("scan %s: %w", p, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != abs && (name == "tmp" || strings.HasPrefix(name, ".notmuch") || name == ".git") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			// A symbolic link to a message file is read like the file;
			// a broken one, or one to anything else, is named in errs.
			// Links to directories are not followed (no loops).
			if d.Type()&fs.ModeSymlink == 0 {
				errs = append(errs, fmt.Errorf("scan %s: not a regular file (skipped)", p))
				return nil
			}
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("scan %s: broken symbolic link: %w", p, err))
				return nil
			case fi.IsDir():
				return nil
			case !fi.Mode().IsRegular():
				errs = append(errs, fmt.Errorf("scan %s: links to something that is not a regular file (skipped)", p))
				return nil
			}
		}
		dir := filepath.Dir(p)
		parent := filepath.Base(dir)
		if (parent == "cur" || parent == "new") && IsMaildir(filepath.Dir(dir)) {
			folder := filepath.Dir(dir)
			uniq, info := splitInfo(name)
			it := Item{
				Path:  p,
				Key:   "maildir:" + folder + "/" + uniq,
				Label: folderLabel(abs, folder),
				Flags: parseFlags(info),
			}
			items = append(items, it)
			return nil
		}
		if strings.HasPrefix(name, ".") || isMetaFile(name) {
			return nil
		}
		// A plain tree: the label is the directory path.
		rel, _ := filepath.Rel(abs, dir)
		label := filepath.ToSlash(rel)
		if label == "." {
			label = filepath.Base(abs)
		}
		items = append(items, Item{Path: p, Key: "file:" + p, Label: label, Flags: pam.FlagSeen})
		return nil
	})
	sort.Slice(items, func(i, j int) bool { return items[i].Path < items[j].Path })
	return items, errs, err
}

func isMetaFile(name string) bool {
	switch strings.ToLower(name) {
	case "dovecot-uidlist", "dovecot-keywords", "dovecot.index", "dovecot.index.log", "dovecot.index.cache", "subscriptions", "maildirfolder", "license", "readme", "readme.md":
		return true
	}
	return strings.HasPrefix(name, "dovecot.")
}

// folderLabel names a Maildir folder: the root is INBOX; Maildir++
// children ".A.B" become "A/B"; nested Maildirs use their relative path.
func folderLabel(root, folder string) string {
	rel, err := filepath.Rel(root, folder)
	if err != nil || rel == "." {
		return "INBOX"
	}
	rel = filepath.ToSlash(rel)
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ".") && len(p) > 1 {
			parts[i] = strings.ReplaceAll(p[1:], ".", "/")
		}
	}
	return strings.Join(parts, "/")
}

// splitInfo splits a Maildir file name into its unique part and the info
// after ":2," (or "!2," on file systems without colons).
func splitInfo(name string) (uniq, info string) {
	for _, sep := range []string{":2,", "!2,", ";2,"} {
		if i := strings.LastIndex(name, sep); i >= 0 {
			return name[:i], name[i+len(sep):]
		}
	}
	return name, ""
}

func parseFlags(info string) pam.Flags {
	var f pam.Flags
	for _, c := range info {
		switch c {
		case 'S':
			f |= pam.FlagSeen
		case 'F':
			f |= pam.FlagFlagged
		case 'R':
			f |= pam.FlagReplied
		case 'D':
			f |= pam.FlagDraft
		case 'T':
			f |= pam.FlagTrashed
		}
	}
	return f
}

// InfoFlags renders PAM flags as Maildir info letters (sorted, as the
// spec requires).
func InfoFlags(f pam.Flags) string {
	var b strings.Builder
	if f.Has(pam.FlagDraft) {
		b.WriteByte('D')
	}
	if f.Has(pam.FlagFlagged) {
		b.WriteByte('F')
	}
	if f.Has(pam.FlagReplied) {
		b.WriteByte('R')
	}
	if f.Has(pam.FlagSeen) {
		b.WriteByte('S')
	}
	if f.Has(pam.FlagTrashed) {
		b.WriteByte('T')
	}
	return b.String()
}

package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// messageFiles expands the PATH arguments of classify and extract: a file
// stands for itself; a directory for the message files under it, in walk
// order, leaving out Maildir tmp/ directories, dot files and dot
// directories that are not Maildir++ folders, and Maildir/Dovecot
// bookkeeping files. A symbolic link to a file is read like the file
// (links to directories are not followed). What cannot be read (a
// directory without permission, a broken link) is named in problems and
// the rest goes on; err is for a PATH argument that does not exist.
func messageFiles(paths []string) (files, problems []string, err error) {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v (skipped)", path, err))
				if d != nil && d.IsDir() && path != p {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && (name == "tmp" || strings.HasPrefix(name, ".") && !isMaildirFolder(path)) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, ".") || isBookkeeping(name) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				t, err := os.Stat(path)
				switch {
				case err != nil:
					problems = append(problems, fmt.Sprintf("%s: broken symbolic link (skipped)", path))
					return nil
				case !t.Mode().IsRegular():
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			files = append(files, path)
			return nil
		})
	}
	return files, problems, nil
}

// isBookkeeping reports Maildir and Dovecot files that hold no message.
func isBookkeeping(name string) bool {
	switch strings.ToLower(name) {
	case "maildirfolder", "dovecot-uidlist", "dovecot-keywords", "subscriptions":
		return true
	}
	return strings.HasPrefix(strings.ToLower(name), "dovecot.")
}

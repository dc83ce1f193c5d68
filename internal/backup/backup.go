// Package backup writes, checks and restores copies of a PAM data
// directory. A backup is a directory: a consistent snapshot of the
// message database (SQLite's VACUUM INTO, so PAM may keep running), a
// copy of every other file of the data directory (the egress ledger, the
// job log, drafts, the outbox, personal models, account secrets kept in a
// file), and a manifest with each file's size and SHA-256. Verify re-reads
// every byte against the manifest and runs SQLite's integrity check;
// Restore verifies first and writes into an empty data directory only.
//
// What is left out is what PAM rebuilds or must not clone: the search
// index (rebuilt from the messages on open), the running daemon's port
// and API token, and SQLite's -wal/-shm side files (the snapshot already
// holds their committed content).
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ManifestName is the manifest's file name inside a backup directory.
const ManifestName = "pam-backup.json"

// DBName is the message database's file name in a data directory.
const DBName = "pam.db"

// Format is the manifest version this package writes and reads.
const Format = 1

// Manifest describes a backup.
type Manifest struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"`
	Files   []File    `json:"files"`
}

// File is one file of a backup, its path relative to the directory.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Bytes is the total size of the backup's files.
func (m Manifest) Bytes() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// Snapshotter writes a consistent copy of the open message database
// (store.Store does).
type Snapshotter interface {
	SnapshotTo(ctx context.Context, path string) error
}

// CheckDB checks a database file (store.CheckFile).
type CheckDB func(ctx context.Context, path string) error

// skipped reports whether a data-directory file stays out of backups.
func skipped(rel string) bool {
	base := filepath.Base(rel)
	switch base {
	case "search.db", "daemon.json", "api-token", ManifestName:
		return true
	}
	for _, suf := range []string{"-wal", "-shm", "-journal"} {
		if strings.HasSuffix(base, suf) && (strings.HasPrefix(base, DBName) || strings.HasPrefix(base, "search.db")) {
			return true
		}
	}
	return rel == DBName
}

// Create writes a backup of the data directory home into dir, which must
// not exist or be empty. db is the open store of home. On error the
// partial directory is removed, so a directory with a manifest is always
// a whole backup.
func Create(ctx context.Context, db Snapshotter, home, dir string) (m Manifest, err error) {
	if inside(dir, home) {
		return Manifest{}, fmt.Errorf("backup: %s is inside the data directory %s: give a directory outside it", dir, home)
	}
	if err := emptyDir(dir); err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	m = Manifest{Format: Format, Created: time.Now().UTC()}
	if err := db.SnapshotTo(ctx, filepath.Join(dir, DBName)); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	f, err := hashFile(dir, DBName, true)
	if err != nil {
		return m, err
	}
	m.Files = append(m.Files, f)
	err = filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(home, p)
		if d.IsDir() || skipped(filepath.ToSlash(rel)) {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // sockets, links: nothing PAM keeps
		}
		if err := copyFile(p, filepath.Join(dir, rel)); err != nil {
			return fmt.Errorf("backup %s: %w", rel, err)
		}
		f, err := hashFile(dir, rel, true)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
		return nil
	})
	if err != nil {
		return m, err
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := writeNew(filepath.Join(dir, ManifestName), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	return m, syncDirs(dir)
}

// Problem is one thing wrong in a backup.
type Problem struct {
	Path string
	What string
}

func (p Problem) String() string { return p.Path + ": " + p.What }

// Verify reads the backup in dir against its manifest: every listed file
// present with its size and SHA-256, no file the manifest does not list,
// and the database passing SQLite's integrity check. err is for a backup
// that cannot be read at all (no manifest); problems lists the rest.
func Verify(ctx context.Context, dir string, check CheckDB) (Manifest, []Problem, error) {
	m, err := readManifest(dir)
	if err != nil {
		return m, nil, err
	}
	var problems []Problem
	listed := map[string]bool{ManifestName: true}
	hasDB := false
	for _, want := range m.Files {
		listed[want.Path] = true
		if want.Path == DBName {
			hasDB = true
		}
		got, err := hashFile(dir, want.Path, false)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, Problem{want.Path, "missing"})
		case err != nil:
			problems = append(problems, Problem{want.Path, err.Error()})
		case got.Size != want.Size:
			problems = append(problems, Problem{want.Path, fmt.Sprintf("size %d, the manifest says %d", got.Size, want.Size)})
		case got.SHA256 != want.SHA256:
			problems = append(problems, Problem{want.Path, "content differs from the manifest (SHA-256)"})
		}
	}
	if !hasDB {
		problems = append(problems, Problem{DBName, "not in the manifest"})
	} else if check != nil {
		if err := check(ctx, filepath.Join(dir, DBName)); err != nil {
			problems = append(problems, Problem{DBName, err.Error()})
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !listed[filepath.ToSlash(rel)] {
			problems = append(problems, Problem{filepath.ToSlash(rel), "not in the manifest"})
		}
		return nil
	})
	return m, problems, nil
}

// Restore verifies the backup in dir and copies it into home, which must
// not exist or be empty (a restore never mixes with live data). Nothing is
// written when the backup has a problem.
func Restore(ctx context.Context, dir, home string, check CheckDB) (Manifest, error) {
	m, problems, err := Verify(ctx, dir, check)
	if err != nil {
		return m, err
	}
	if len(problems) > 0 {
		return m, fmt.Errorf("restore: the backup has %d problem(s), nothing restored; first: %s", len(problems), problems[0])
	}
	if err := emptyDir(home); err != nil {
		return m, err
	}
	// Restore into a sibling and rename it into place at the end: an
	// interrupted or failed restore leaves no half-filled data directory.
	parent := filepath.Dir(filepath.Clean(home))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(home)+".restoring-")
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		if err := copyFile(filepath.Join(dir, filepath.FromSlash(f.Path)), filepath.Join(tmp, filepath.FromSlash(f.Path))); err != nil {
			return m, fmt.Errorf("restore %s: %w", f.Path, err)
		}
	}
	if err := syncDirs(tmp); err != nil {
		return m, err
	}
	os.Remove(home) // an empty directory (checked above), or nothing
	if err := os.Rename(tmp, home); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	done = true
	return m, syncDirs(parent)
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return m, fmt.Errorf("%s is not a PAM backup: %w", dir, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: manifest %s is damaged: %v", dir, ManifestName, err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("%s: backup format %d, this PAM reads %d", dir, m.Format, Format)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		// A manifest names files inside the backup only, each once.
		if f.Path == "" || !filepath.IsLocal(filepath.FromSlash(f.Path)) || f.Path == ManifestName {
			return m, fmt.Errorf("%s: manifest lists an unsafe path %q", dir, f.Path)
		}
		if seen[path.Clean(f.Path)] {
			return m, fmt.Errorf("%s: manifest lists %q twice", dir, f.Path)
		}
		seen[path.Clean(f.Path)] = true
	}
	return m, nil
}

// inside reports whether path is root or under it.
func inside(path, root string) bool {
	p, err1 := filepath.Abs(path)
	r, err2 := filepath.Abs(root)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(r, p)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

// emptyDir fails unless dir does not exist or is an empty directory.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: give a new directory", dir)
	}
	return nil
}

func hashFile(dir, rel string, syncIt bool) (File, error) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	if syncIt {
		if err := f.Sync(); err != nil {
			return File{}, fmt.Errorf("sync %s: %w", rel, err)
		}
		if err := f.Chmod(0o600); err != nil {
			return File{}, err
		}
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, fmt.Errorf("read %s: %w", rel, err)
	}
	return File{Path: filepath.ToSlash(rel), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// copyFile copies src to dst (new, mode 0600, parents 0700) and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	return writeNew(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// writeNew creates path (which must not exist, mode 0600), fills it and
// syncs it to disk before closing.
func writeNew(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDirs fsyncs every directory under root, so the new entries survive
// a crash.
func syncDirs(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", p, err)
		}
		return nil
	})
}

package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/pam-ai/pam/internal/pam"
)

// Secrets stores passwords by key. Get returns pam.ErrNotFound for a key
// never set. Implementations are safe for concurrent use.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, secret string) error
	Delete(key string) error
	// Where says where the secrets are kept, for the user.
	Where() string
}

// FileSecrets keeps secrets in one JSON file of mode 0600 inside the 0700
// data directory, written atomically (temp file, fsync, rename, fsync of
// the directory). It is the store used when no Secret Service (OS
// keyring) is reachable.
type FileSecrets struct {
	path string
	mu   sync.Mutex
}

var _ Secrets = (*FileSecrets)(nil)

// SecretsFile is the file's name inside the data directory.
const SecretsFile = "secrets.json"

// NewFileSecrets returns the file store in dir (the data directory).
func NewFileSecrets(dir string) *FileSecrets {
	return &FileSecrets{path: filepath.Join(dir, SecretsFile)}
}

// Where returns the file's path.
func (f *FileSecrets) Where() string { return f.path + " (mode 0600)" }

func (f *FileSecrets) load() (map[string]string, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	fi, err := os.Stat(f.path)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(f.path, 0o600); err != nil {
			return nil, fmt.Errorf("secrets file %s is readable by others and cannot be fixed: %w", f.path, err)
		}
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("secrets file %s is damaged: %w", f.path, err)
	}
	return m, nil
}

func (f *FileSecrets) save(m map[string]string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(f.path, data, 0o600)
}

// Get returns the secret for key.
func (f *FileSecrets) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return "", err
	}
	s, ok := m[key]
	if !ok {
		return "", fmt.Errorf("secret %s: %w", key, pam.ErrNotFound)
	}
	return s, nil
}

// Set stores secret under key.
func (f *FileSecrets) Set(key, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	m[key] = secret
	return f.save(m)
}

// Delete forgets key; forgetting an unknown key is not an error.
func (f *FileSecrets) Delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return nil
	}
	delete(m, key)
	return f.save(m)
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory: written, synced, renamed over path, directory synced.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	d.Sync()
	return nil
}

// WriteFileAtomic is writeFileAtomic for other packages of PAM (the
// daemon's token and port files).
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return writeFileAtomic(path, data, perm)
}

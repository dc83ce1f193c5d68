package worker

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/pam"
)

// Builtin is the registry version of a model embedded in the binary.
const Builtin = "builtin"

// Registry is the model registry in the data directory:
//
//	Dir/NAME/VERSION.pam   one file per version, never rewritten
//	Dir/NAME/active        versions made active, one per line, newest last
//
// A name without an active file uses its built-in model. Rollback drops the
// newest line, so the history can be walked back to the built-in model.
// Names are model names (spam, kind, needs_reply, folders).
type Registry struct{ Dir string }

// ModelVersion is one version of a model in the registry.
type ModelVersion struct {
	Name     string             `json:"name"`
	Version  string             `json:"version"` // "builtin" or the file's version
	Active   bool               `json:"active"`
	ID       string             `json:"id,omitempty"` // name@version inside the file
	Task     string             `json:"task,omitempty"`
	Examples int                `json:"examples,omitempty"`
	Metrics  map[string]float64 `json:"metrics,omitempty"`
	Path     string             `json:"path,omitempty"`
	Err      string             `json:"error,omitempty"` // the file could not be read
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func (r Registry) path(name, version string) string {
	return filepath.Join(r.Dir, name, version+".pam")
}

// history returns the active file's lines.
func (r Registry) history(name string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(r.Dir, name, "active"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("model registry: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func (r Registry) setHistory(name string, h []string) error {
	return writeAtomic(filepath.Join(r.Dir, name, "active"), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(h, "\n")+"\n")
		return err
	})
}

// Active returns the active version of a model: the newest line of its
// history, else "builtin".
func (r Registry) Active(name string) (string, error) {
	h, err := r.history(name)
	if err != nil || len(h) == 0 {
		return Builtin, err
	}
	return h[len(h)-1], nil
}

// Spec returns the worker spec of a version: "builtin:NAME" or the path of
// its file.
func (r Registry) Spec(name, version string) string {
	if version == Builtin {
		return BuiltinPrefix + name
	}
	return r.path(name, version)
}

// ActiveSpecs returns the specs of the active models: one per default
// task, plus the folders model when a version of it is active.
func (r Registry) ActiveSpecs() ([]string, error) {
	var specs []string
	for _, name := range append(slices.Clone(Tasks), ml.TaskFolders) {
		v, err := r.Active(name)
		if err != nil {
			return nil, err
		}
		if name == ml.TaskFolders && v == Builtin {
			continue // no built-in folders model: filing is personal
		}
		specs = append(specs, r.Spec(name, v))
	}
	return specs, nil
}

// versions lists the file versions of name, oldest first (numerically).
func (r Registry) versions(name string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(r.Dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("model registry: %w", err)
	}
	var vs []string
	for _, e := range ents {
		if v, ok := strings.CutSuffix(e.Name(), ".pam"); ok && !e.IsDir() && !strings.HasPrefix(v, ".") {
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool {
		a, ea := strconv.Atoi(vs[i])
		b, eb := strconv.Atoi(vs[j])
		if ea == nil && eb == nil {
			return a < b
		}
		return vs[i] < vs[j]
	})
	return vs, nil
}

// List describes every model version: the built-in defaults and the files
// of the registry, with the active one marked.
func (r Registry) List() ([]ModelVersion, error) {
	defs, err := ml.Defaults()
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for n := range defs {
		names[n] = true
	}
	if ents, err := os.ReadDir(r.Dir); err == nil {
		for _, e := range ents {
			if e.IsDir() && validName(e.Name()) {
				names[e.Name()] = true
			}
		}
	}
	var out []ModelVersion
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(n) {
				return
			}
		}
	}) {
		active, err := r.Active(name)
		if err != nil {
			return nil, err
		}
		if m, ok := defs[name]; ok {
			out = append(out, describe(ModelVersion{Name: name, Version: Builtin, Active: active == Builtin}, m))
		}
		vs, err := r.versions(name)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			mv := ModelVersion{Name: name, Version: v, Active: active == v, Path: r.path(name, v)}
			m, err := loadModelFile(mv.Path)
			if err != nil {
				mv.Err = err.Error()
				out = append(out, mv)
				continue
			}
			out = append(out, describe(mv, m))
		}
	}
	return out, nil
}

func describe(mv ModelVersion, m *ml.Model) ModelVersion {
	i := m.Info()
	mv.ID, mv.Task, mv.Examples, mv.Metrics = i.ID(), i.Task, i.Examples, i.Metrics
	return mv
}

// Use makes NAME@VERSION active. The version must exist: a file in the
// registry, or "builtin" for a name that has a built-in model.
func (r Registry) Use(name, version string) error {
	if !validName(name) || !validName(version) {
		return fmt.Errorf("model %s@%s: bad name: %w", name, version, pam.ErrInvalid)
	}
	if version == Builtin {
		if !slices.Contains(Tasks, name) {
			return fmt.Errorf("model %s has no built-in version: %w", name, pam.ErrNotFound)
		}
	} else if _, err := os.Stat(r.path(name, version)); err != nil {
		return fmt.Errorf("model %s@%s: %w", name, version, pam.ErrNotFound)
	}
	h, err := r.history(name)
	if err != nil {
		return err
	}
	if len(h) > 0 && h[len(h)-1] == version {
		return nil
	}
	return r.setHistory(name, append(h, version))
}

// Rollback returns NAME to the version active before the current one and
// returns it; at the start of the history that is "builtin".
func (r Registry) Rollback(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("model %s: bad name: %w", name, pam.ErrInvalid)
	}
	h, err := r.history(name)
	if err != nil {
		return "", err
	}
	if len(h) == 0 {
		return "", fmt.Errorf("model %s: nothing to roll back (the built-in model is active): %w", name, pam.ErrInvalid)
	}
	h = h[:len(h)-1]
	if len(h) == 0 {
		if err := os.Remove(filepath.Join(r.Dir, name, "active")); err != nil {
			return "", fmt.Errorf("model registry: %w", err)
		}
		return Builtin, nil
	}
	return h[len(h)-1], r.setHistory(name, h)
}

// NextVersion returns a new version name for NAME (one more than the
// highest numeric version present) and the path its file goes to.
func (r Registry) NextVersion(name string) (version, path string, err error) {
	if !validName(name) {
		return "", "", fmt.Errorf("model %s: bad name: %w", name, pam.ErrInvalid)
	}
	vs, err := r.versions(name)
	if err != nil {
		return "", "", err
	}
	n := 1
	for _, v := range vs {
		if k, err := strconv.Atoi(v); err == nil && k >= n {
			n = k + 1
		}
	}
	if err := os.MkdirAll(filepath.Join(r.Dir, name), 0o700); err != nil {
		return "", "", fmt.Errorf("model registry: %w", err)
	}
	v := strconv.Itoa(n)
	return v, r.path(name, v), nil
}

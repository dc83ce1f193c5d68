package ml

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed models
var embedded embed.FS

// Defaults loads the default models embedded in the binary
// (internal/ml/models/*.pam), keyed by model name.
func Defaults() (map[string]*Model, error) {
	ents, err := fs.ReadDir(embedded, "models")
	if err != nil {
		return nil, fmt.Errorf("default models: %w", err)
	}
	out := map[string]*Model{}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".pam") {
			continue
		}
		data, err := embedded.ReadFile(path.Join("models", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("default model %s: %w", e.Name(), err)
		}
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("default model %s: %w", e.Name(), err)
		}
		out[m.info.Name] = m
	}
	return out, nil
}

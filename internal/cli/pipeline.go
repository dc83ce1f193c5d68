package cli

import (
	"context"
	"fmt"

	"github.com/pam-ai/pam/internal/store"
)

// pipelineReport describes what the AI pipeline did after an import.
type pipelineReport struct {
	Stage     string  `json:"stage"`
	Processed int     `json:"processed"`
	Degraded  int     `json:"degraded"`
	Seconds   float64 `json:"seconds"`
}

func (p pipelineReport) note() string {
	if p.Degraded > 0 {
		return fmt.Sprintf(" (%d degraded to rules)", p.Degraded)
	}
	return ""
}

// runPipeline processes newly imported messages. Until the classification
// models land it is a no-op that leaves them queued in the store.
func runPipeline(ctx context.Context, env *Env, st *store.Store, rows []int64) (pipelineReport, error) {
	return pipelineReport{}, nil
}

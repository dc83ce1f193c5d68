package wire

// ScoreRequest asks the extract worker for the action probability of each
// sentence (internal/extract's action-sentence model). The parent has
// already cut the message down to its sentences: quoted replies,
// signatures and footers never reach the worker.
type ScoreRequest struct {
	Sentences []string `json:"sentences"`
	// Model names a model file; empty means the embedded default.
	Model string `json:"model,omitempty"`
}

// ScoreResponse answers a ScoreRequest: one probability per sentence, in
// order, the model's id (name@version) and its F1-optimal threshold.
type ScoreResponse struct {
	Probs     []float64 `json:"probs"`
	Model     string    `json:"model"`
	Threshold float64   `json:"threshold"`
}

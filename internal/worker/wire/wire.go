// Package wire defines the messages exchanged between PAM and its worker
// processes (pam worker KIND) over stdin/stdout. These types are the only
// way data reaches the model code (internal/ml): they carry the fields a
// model may see, never credentials.
//
// Framing (see internal/worker): each frame is a 4-byte big-endian length
// followed by one version byte (Version) and a JSON body.
package wire

// Version is the protocol version byte that starts every frame body.
const Version byte = 1

// Message is what a classifier sees of one e-mail.
type Message struct {
	ID            string            `json:"id"` // caller's correlation id
	From          string            `json:"from"`
	FromName      string            `json:"from_name,omitempty"`
	To            []string          `json:"to,omitempty"`
	Cc            []string          `json:"cc,omitempty"`
	Subject       string            `json:"subject"`
	Text          string            `json:"text"`
	HTML          bool              `json:"html,omitempty"`
	Headers       map[string]string `json:"headers,omitempty"`
	Attachments   int               `json:"attachments,omitempty"`
	Links         int               `json:"links,omitempty"`
	UserAddresses []string          `json:"user_addresses,omitempty"` // the user's own addresses
}

// ClassifyRequest asks for the classification of a batch of messages.
type ClassifyRequest struct {
	Messages []Message `json:"messages"`
	// Models names model files or registry entries to use; empty means the
	// active defaults (spam, kind, needs_reply) plus a folders model when
	// one is active.
	Models []string `json:"models,omitempty"`
}

// Classification is the result for one message. Probabilities are
// calibrated; Undecided lists the outputs whose confidence fell in the
// undecided band.
type Classification struct {
	ID          string             `json:"id"`
	Spam        float64            `json:"spam"`
	Kind        string             `json:"kind"`
	KindScores  map[string]float64 `json:"kind_scores"`
	NeedsReply  float64            `json:"needs_reply"`
	Label       string             `json:"label,omitempty"`
	LabelScores map[string]float64 `json:"label_scores,omitempty"`
	Models      []string           `json:"models"` // name@version of each model used
	Undecided   []string           `json:"undecided,omitempty"`
	Degraded    bool               `json:"degraded,omitempty"` // answered by rules, not a model
}

// ClassifyResponse answers a ClassifyRequest, one result per message in order.
type ClassifyResponse struct {
	Results []Classification `json:"results"`
	Error   string           `json:"error,omitempty"`
}

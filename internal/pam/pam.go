// Package pam holds PAM's domain vocabulary: messages, threads, addresses,
// labels and the error kinds that the command line maps to exit codes.
// It imports nothing internal and does no I/O.
package pam

import (
	"errors"
	"time"
)

// Flags are the per-message states shared by Maildir, IMAP and the store.
type Flags uint8

const (
	FlagSeen Flags = 1 << iota
	FlagFlagged
	FlagReplied
	FlagDraft
	FlagTrashed
)

// Has reports whether all bits of g are set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// Address is one mailbox: a display name and an address.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// Attachment describes one non-body part of a message.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// Message is a parsed e-mail message as PAM understands it.
type Message struct {
	// ID is PAM's stable id: derived from the Message-ID header and the
	// content digest, so the same message gets the same id on every device
	// and a re-used Message-ID with different content gets another.
	ID         string
	MessageID  string // Message-ID header without angle brackets; may be empty
	Digest     [32]byte
	InReplyTo  string
	References []string
	Date       time.Time // normalised to UTC; zero when absent or unparseable
	DateRaw    string
	Subject    string
	From       []Address
	To         []Address
	Cc         []Address
	Bcc        []Address
	ReplyTo    []Address
	// Headers keeps the few headers the classifiers and rules use
	// (List-Id, List-Unsubscribe, Precedence, Auto-Submitted, ...), keyed
	// by canonical header name.
	Headers     map[string]string
	Text        string // readable text body (HTML converted when no text part)
	HTML        bool   // the text came from an HTML part
	Attachments []Attachment
	// Calendar holds raw text/calendar parts (invitations).
	Calendar [][]byte
	Size     int
	// Problems lists specific defects found while parsing (a bad charset,
	// an unparseable date); the message is still usable.
	Problems []string
}

// Error kinds. The CLI maps them to exit codes, the web layer to statuses.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid input")
	ErrConflict = errors.New("conflict")
)

package imap

import (
	"fmt"
	"io"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// fetchedItems is what PAM reads of one FETCH response.
type fetchedItems struct {
	UID   imap.UID
	Flags []imap.Flag
	Body  []byte // the requested body section; nil when the response has none
}

// collect reads the items of one FETCH response. Unlike
// imapclient.FetchMessageData.Collect it returns at the first error
// reading a literal without touching that literal again: go-imap v2
// beta.8 lets the connection's reader goroutine go on once a literal's
// read fails, while Collect's deferred discard and FetchCommand.Close read
// the rest of the same literal from the same buffered connection — a data
// race (shown by the race detector when a connection drops in the middle
// of a message). After an error the caller must close the client, not the
// command. A literal shorter than its announced size is an error (the
// connection dropped in the middle of it), never a message.
func collect(m *imapclient.FetchMessageData) (fetchedItems, error) {
	var r fetchedItems
	for {
		item := m.Next()
		if item == nil {
			return r, nil
		}
		switch it := item.(type) {
		case imapclient.FetchItemDataUID:
			r.UID = it.UID
		case imapclient.FetchItemDataFlags:
			r.Flags = it.Flags
		case imapclient.FetchItemDataBodySection:
			if it.Literal == nil {
				continue
			}
			b, err := io.ReadAll(it.Literal)
			if err == nil && int64(len(b)) < it.Literal.Size() {
				// The connection ended inside the literal: go-imap passes
				// the connection's EOF through as the literal's, so
				// ReadAll would hand back a cut message as complete.
				err = fmt.Errorf("message cut short: %d of %d bytes: %w", len(b), it.Literal.Size(), io.ErrUnexpectedEOF)
			}
			if err != nil {
				return r, err
			}
			if r.Body == nil {
				r.Body = b
			}
		}
	}
}

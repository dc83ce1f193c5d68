package mbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"time"
)

// Writer writes messages as an mboxrd file: each message after a "From "
// separator line, every line of it that matches ^>*From  quoted with one
// more '>' (Unescape undoes exactly that), and a blank line between two
// messages (Split needs it before a separator; the last message has none).
type Writer struct {
	w *bufio.Writer
	n int // messages written
}

// NewWriter returns a Writer on w; call Flush when done.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriterSize(w, 64<<10)} }

// Write adds one message. sender is the envelope sender for the separator
// ("MAILER-DAEMON" when empty); date its time (the Unix epoch when zero).
// A message that does not end with a newline gets one: mbox cannot tell
// where it ends otherwise.
func (w *Writer) Write(sender string, date time.Time, raw []byte) error {
	if sender == "" || bytes.ContainsAny([]byte(sender), " \t\r\n") {
		sender = "MAILER-DAEMON"
	}
	if date.IsZero() {
		date = time.Unix(0, 0)
	}
	if w.n > 0 {
		if err := w.w.WriteByte('\n'); err != nil {
			return err
		}
	}
	w.n++
	if _, err := fmt.Fprintf(w.w, "From %s %s\n", sender, date.UTC().Format("Mon Jan _2 15:04:05 2006")); err != nil {
		return err
	}
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		var line []byte
		if i < 0 {
			line, raw = raw, nil
		} else {
			line, raw = raw[:i+1], raw[i+1:]
		}
		j := 0
		for j < len(line) && line[j] == '>' {
			j++
		}
		if bytes.HasPrefix(line[j:], []byte("From ")) {
			if err := w.w.WriteByte('>'); err != nil {
				return err
			}
		}
		if _, err := w.w.Write(line); err != nil {
			return err
		}
		if i < 0 {
			if err := w.w.WriteByte('\n'); err != nil {
				return err
			}
		}
	}
	return nil
}

// Flush writes what is buffered.
func (w *Writer) Flush() error { return w.w.Flush() }

// Package mbox splits mbox files into messages. It reads the mboxrd,
// mboxo and mboxcl2 variants: messages start at a "From " line after a
// blank line (or at the start); a valid Content-Length header (mboxcl2) is
// trusted when it lands exactly on the next separator or the end; quoted
// ">From " lines are unescaped (mboxrd rules, which also undo mboxo's
// escaping); CRLF files are handled.
package mbox

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// Span locates one message inside the file (after its "From " line).
type Span struct {
	Offset int64
	Length int64
}

// IsMbox reports whether the file starts like an mbox.
func IsMbox(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 5)
	n, _ := f.Read(buf)
	return n == 5 && string(buf) == "From "
}

// Split finds the messages in data. It returns an error when data does not
// start with a "From " line.
func Split(data []byte) ([]Span, error) {
	if !bytes.HasPrefix(data, []byte("From ")) {
		return nil, fmt.Errorf("not an mbox: it does not start with a \"From \" line")
	}
	var spans []Span
	pos := 0
	for pos < len(data) {
		// pos is at a "From " line.
		nl := bytes.IndexByte(data[pos:], '\n')
		if nl < 0 {
			break // a separator with nothing after it
		}
		start := pos + nl + 1
		end := -1
		if cl, ok := contentLength(data[start:]); ok {
			if e := start + cl; e <= len(data) {
				// Accept when the body ends at EOF or right before a
				// separator (optionally after one blank line).
				rest := data[e:]
				rest = bytes.TrimLeft(rest, "\r\n")
				if len(rest) == 0 || bytes.HasPrefix(rest, []byte("From ")) {
					end = e
				}
			}
		}
		if end < 0 {
			end = nextSeparator(data, start)
		}
		spans = append(spans, Span{Offset: int64(start), Length: int64(end - start)})
		// move to the next separator
		next := end
		for next < len(data) && (data[next] == '\n' || data[next] == '\r') {
			next++
		}
		if next < len(data) && !bytes.HasPrefix(data[next:], []byte("From ")) {
			next = nextSeparator(data, next)
			for next < len(data) && (data[next] == '\n' || data[next] == '\r') {
				next++
			}
		}
		pos = next
	}
	return spans, nil
}

// nextSeparator returns the offset of the blank line before the next
// "From " line at or after i (or len(data)).
func nextSeparator(data []byte, i int) int {
	for {
		j := bytes.Index(data[i:], []byte("\nFrom "))
		if j < 0 {
			return len(data)
		}
		k := i + j // index of '\n' before "From "
		// Require a blank line before, as mboxrd/mboxo writers produce.
		if k >= 1 && data[k-1] == '\n' {
			return k
		}
		if k >= 2 && data[k-1] == '\r' && data[k-2] == '\n' {
			return k - 1
		}
		if k == i {
			return k
		}
		i = k + 1
	}
}

// contentLength reads a Content-Length header from the header block at the
// start of msg; ok only when present and numeric.
func contentLength(msg []byte) (int, bool) {
	hdrEnd := bytes.Index(msg, []byte("\n\n"))
	sep := 2
	if e := bytes.Index(msg, []byte("\r\n\r\n")); e >= 0 && (hdrEnd < 0 || e < hdrEnd) {
		hdrEnd, sep = e, 4
	}
	if hdrEnd < 0 {
		return 0, false
	}
	for _, line := range bytes.Split(msg[:hdrEnd], []byte("\n")) {
		if len(line) > 15 && bytes.EqualFold(line[:15], []byte("Content-Length:")) {
			n, err := strconv.Atoi(string(bytes.TrimSpace(line[15:])))
			if err != nil || n < 0 {
				return 0, false
			}
			return hdrEnd + sep + n, true
		}
	}
	return 0, false
}

// Unescape undoes From-quoting: a line matching ^>+From  loses one '>'.
// It returns msg itself when there is nothing to unescape.
func Unescape(msg []byte) []byte {
	if !bytes.Contains(msg, []byte(">From ")) {
		return msg
	}
	out := make([]byte, 0, len(msg))
	for len(msg) > 0 {
		i := bytes.IndexByte(msg, '\n')
		var line []byte
		if i < 0 {
			line, msg = msg, nil
		} else {
			line, msg = msg[:i+1], msg[i+1:]
		}
		j := 0
		for j < len(line) && line[j] == '>' {
			j++
		}
		if j > 0 && bytes.HasPrefix(line[j:], []byte("From ")) {
			line = line[1:]
		}
		out = append(out, line...)
	}
	return out
}

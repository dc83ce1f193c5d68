package mail

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"

	"github.com/pam-ai/pam/internal/pam"
)

// walker visits the MIME tree of one message within the package limits.
type walker struct {
	m     *pam.Message
	parts int
	plain []string
	html  []string
	text  int // bytes of text collected
}

func (w *walker) problem(format string, args ...any) {
	if len(w.m.Problems) < 20 {
		w.m.Problems = append(w.m.Problems, fmt.Sprintf(format, args...))
	}
}

func (w *walker) walk(e *gomessage.Entity, depth int) {
	w.parts++
	if w.parts > maxParts {
		if w.parts == maxParts+1 {
			w.problem("more than %d MIME parts: the rest skipped", maxParts)
		}
		return
	}
	if depth > maxDepth {
		w.problem("MIME nesting deeper than %d: inner parts skipped", maxDepth)
		return
	}
	mediaType, params, err := e.Header.ContentType()
	if err != nil && e.Header.Get("Content-Type") != "" {
		w.problem("malformed Content-Type %q: read as text/plain", clip(e.Header.Get("Content-Type"), 60))
		mediaType, params = "text/plain", nil
	}
	if mediaType == "" {
		mediaType = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		if params["boundary"] == "" {
			w.problem("multipart without boundary: read as text")
			w.leaf(e, "text/plain", params)
			return
		}
		n := 0
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if gomessage.IsUnknownCharset(err) || gomessage.IsUnknownEncoding(err) {
					w.problem("part %d: %s", n+1, describe(err))
				} else {
					w.problem("broken multipart structure after part %d: %s", n, describe(err))
					if n == 0 {
						// A broken boundary on the first part: keep what we can
						// as plain text so the message is not bodiless.
						w.fallbackBody(e)
					}
					return
				}
			}
			if p == nil {
				return
			}
			n++
			w.walk(p, depth+1)
		}
		if n == 0 {
			w.problem("multipart with no parts")
		}
		return
	}
	if mediaType == "message/rfc822" && !isAttachment(e) {
		// A forwarded message: index its text as part of this one.
		body, err := readCapped(e.Body, maxPartBytes)
		if err != nil {
			w.problem("message/rfc822 part: %v", err)
		}
		if len(body) > 0 {
			if inner, err := Parse(body); err == nil {
				if inner.Text != "" {
					w.plain = append(w.plain, "---------- Forwarded message ----------\nSubject: "+inner.Subject+"\n\n"+inner.Text)
				}
				w.m.Attachments = append(w.m.Attachments, inner.Attachments...)
			}
		}
		return
	}
	w.leaf(e, mediaType, params)
}

func (w *walker) fallbackBody(e *gomessage.Entity) {
	if len(w.plain)+len(w.html) > 0 {
		return
	}
	b, _ := readCapped(e.Body, maxTextBytes)
	w.plain = append(w.plain, validUTF8(string(b)))
}

func isAttachment(e *gomessage.Entity) bool {
	disp, _, _ := e.Header.ContentDisposition()
	return disp == "attachment"
}

func (w *walker) leaf(e *gomessage.Entity, mediaType string, params map[string]string) {
	disp, dparams, _ := e.Header.ContentDisposition()
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	filename = decodeWords(filename)
	if enc := strings.ToLower(strings.TrimSpace(e.Header.Get("Content-Transfer-Encoding"))); enc != "" {
		switch enc {
		case "7bit", "8bit", "binary", "quoted-printable", "base64":
		default:
			if !strings.HasPrefix(mediaType, "multipart/") {
				w.problem("unknown Content-Transfer-Encoding %q: read as is", clip(enc, 40))
			}
		}
	}
	if mediaType == "text/calendar" {
		body, err := readCapped(e.Body, maxPartBytes)
		if err != nil {
			w.problem("text/calendar part: %v", err)
		}
		if len(w.m.Calendar) < 8 {
			w.m.Calendar = append(w.m.Calendar, body)
		}
		if filename != "" || disp == "attachment" {
			w.m.Attachments = append(w.m.Attachments, pam.Attachment{Filename: filename, ContentType: mediaType, Size: len(body)})
		}
		return
	}
	isText := mediaType == "text/plain" || mediaType == "text/html" || mediaType == "text/enriched"
	if disp == "attachment" || !isText {
		n, err := io.Copy(io.Discard, io.LimitReader(e.Body, maxPartBytes))
		if err != nil {
			w.problem("attachment %q: %v", clip(filename, 60), err)
		}
		w.m.Attachments = append(w.m.Attachments, pam.Attachment{Filename: filename, ContentType: mediaType, Size: int(n)})
		return
	}
	body, err := readCapped(e.Body, maxPartBytes)
	if err != nil {
		w.problem("%s part: %s", mediaType, describe(err))
	}
	if cs := params["charset"]; cs != "" {
		if _, cerr := gomessage.CharsetReader(cs, bytes.NewReader(nil)); cerr != nil {
			w.problem("unknown charset %q: read as UTF-8/Latin-1", clip(cs, 40))
		}
	}
	if !utf8.Valid(body) {
		cs := strings.ToLower(params["charset"])
		if cs == "" || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" {
			w.problem("%s part has bytes that are not valid %s: read as Latin-1", mediaType, orDefault(cs, "UTF-8"))
		}
	}
	s := validUTF8(string(body))
	switch mediaType {
	case "text/html":
		w.html = append(w.html, s)
	default:
		if filename != "" && disp == "attachment" {
			w.m.Attachments = append(w.m.Attachments, pam.Attachment{Filename: filename, ContentType: mediaType, Size: len(body)})
			return
		}
		w.plain = append(w.plain, s)
	}
}

// finish picks the readable body: text/plain parts, else HTML converted.
func (w *walker) finish() {
	var text string
	switch {
	case len(w.plain) > 0 && strings.TrimSpace(strings.Join(w.plain, "")) != "":
		text = strings.Join(w.plain, "\n\n")
	case len(w.html) > 0:
		var b strings.Builder
		for i, h := range w.html {
			if i > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(HTMLToText(h))
		}
		text = b.String()
		w.m.HTML = true
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\x00", "")
	if len(text) > maxTextBytes {
		text = validUTF8(text[:maxTextBytes])
		w.problem("text body longer than %d bytes: truncated", maxTextBytes)
	}
	w.m.Text = strings.TrimSpace(text)
	if w.m.Text == "" && len(w.m.Attachments) == 0 && len(w.m.Calendar) == 0 {
		w.problem("no text body")
	}
}

func readCapped(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n))
	return b, err
}

func clip(s string, n int) string {
	s = validUTF8(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// MediaType returns the lower-cased media type of a Content-Type value.
func MediaType(v string) string {
	t, _, err := mime.ParseMediaType(v)
	if err != nil {
		return ""
	}
	return t
}

// describe renders a library error for a user: the repeated prefixes the
// MIME library stacks up are dropped.
func describe(err error) string {
	s := err.Error()
	for _, p := range []string{"multipart: ", "NextPart: ", "message: ", "unknown charset: ", "unknown transfer encoding: "} {
		for strings.HasPrefix(s, p) {
			s = strings.TrimPrefix(s, p)
		}
	}
	switch {
	case gomessage.IsUnknownCharset(err):
		return "unknown charset: " + s
	case gomessage.IsUnknownEncoding(err):
		return "unknown transfer encoding: " + s
	case s == "EOF" || s == "unexpected EOF":
		return "truncated (" + s + ")"
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return strings.ToUpper(s)
}

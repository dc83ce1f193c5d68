// Package mail turns raw RFC 5322/MIME messages into pam.Message values:
// charsets, transfer encodings, encoded-word headers, HTML-only mail and
// broken dates. It is lenient the way real mail readers are: a defect is
// recorded as a problem on the message and parsing goes on; only input that
// is not a message at all is an error. Parsing is bounded in time and
// memory whatever the input.
package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // registers all charsets
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/pam-ai/pam/internal/pam"
)

// Limits bound the work done on one message.
const (
	MaxMessageBytes = 64 << 20 // larger input is truncated and marked
	maxHeaderBytes  = 1 << 20
	maxParts        = 500
	maxDepth        = 16
	maxTextBytes    = 4 << 20 // decoded text kept per message
	maxPartBytes    = 32 << 20
)

// ErrNotMessage reports input that has no header block at all.
var ErrNotMessage = errors.New("not an e-mail message")

// keptHeaders are copied into pam.Message.Headers for rules and classifiers.
var keptHeaders = []string{
	"List-Id", "List-Unsubscribe", "List-Post", "Precedence", "Auto-Submitted",
	"X-Auto-Response-Suppress", "Authentication-Results", "Received-SPF",
	"X-Mailer", "User-Agent", "X-Spam-Flag", "X-Spam-Status", "Return-Path",
	"Sender", "Mailing-List", "X-Mailing-List", "X-Folder", "Feedback-ID",
	"X-Priority", "Importance", "Content-Type",
}

// Parse parses one raw message. It returns an error only when raw is not a
// message at all; every other defect is listed in Message.Problems.
func Parse(raw []byte) (*pam.Message, error) {
	m := &pam.Message{Size: len(raw), Headers: map[string]string{}}
	if len(raw) > MaxMessageBytes {
		raw = raw[:MaxMessageBytes]
		m.Problems = append(m.Problems, fmt.Sprintf("message larger than %d bytes: truncated", MaxMessageBytes))
	}
	hdr, body, err := readHeader(raw)
	if err != nil {
		return nil, err
	}
	if hdr.Len() == 0 {
		return nil, fmt.Errorf("%w: no header fields", ErrNotMessage)
	}
	h := gomail.Header{Header: gomessage.Header{Header: hdr}}
	parseHeaders(m, h)

	p := &walker{m: m}
	ent, err := gomessage.New(gomessage.Header{Header: hdr}, bytes.NewReader(body))
	if err != nil {
		p.problem("%s", describe(err))
	}
	if ent != nil {
		p.walk(ent, 0)
	}
	p.finish()
	m.Digest = digest(m, body)
	m.ID = StableID(m.MessageID, m.Digest)
	return m, nil
}

// StableID derives PAM's message id from the Message-ID header and the
// content digest: equal only when both are equal.
func StableID(messageID string, digest [32]byte) string {
	h := sha256.New()
	h.Write([]byte(messageID))
	h.Write([]byte{0})
	h.Write(digest[:])
	sum := h.Sum(nil)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
}

// digest hashes what identifies a message's content independently of how it
// was stored or transported: the identifying headers and the body with line
// endings normalised and trailing whitespace dropped.
//
// It is the digest of the lines bufio.ScanLines gives (every line ended by
// '\n', and a last one without it), each with trailing spaces, tabs and
// carriage returns dropped and a '\n' added; it hashes runs of lines that
// need no trimming in one write, straight from body.
func digest(m *pam.Message, body []byte) [32]byte {
	h := sha256.New()
	nul, nl := []byte{0}, []byte{'\n'}
	for _, s := range [...]string{m.MessageID, m.DateRaw, addrKey(m.From), m.Subject} {
		io.WriteString(h, s)
		h.Write(nul)
	}
	start := 0 // body[start:i] is hashed as it is
	i := 0
	for i < len(body) {
		j := bytes.IndexByte(body[i:], '\n')
		if j < 0 {
			// The last line, without a newline.
			h.Write(body[start:i])
			h.Write(bytes.TrimRight(body[i:], " \t\r"))
			h.Write(nl)
			start = len(body)
			break
		}
		end := i + j
		if t := i + len(bytes.TrimRight(body[i:end], " \t\r")); t < end {
			h.Write(body[start:t])
			h.Write(nl)
			start = end + 1
		}
		i = end + 1
	}
	h.Write(body[start:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func addrKey(as []pam.Address) string {
	var b strings.Builder
	for _, a := range as {
		b.WriteString(strings.ToLower(a.Email))
		b.WriteByte(',')
	}
	return b.String()
}

// readHeader splits raw into a header and a body. It first tries the strict
// reader; on failure it falls back to a lenient line parser that skips lines
// which are not header fields.
func readHeader(raw []byte) (textproto.Header, []byte, error) {
	rd := bytes.NewReader(raw)
	br := bufio.NewReader(rd)
	hdr, err := textproto.ReadHeader(br)
	if err == nil {
		// ReadHeader consumed exactly the header block; the rest is body
		// (a slice of raw, as lenientHeader's).
		consumed := len(raw) - rd.Len() - br.Buffered()
		return hdr, raw[consumed:], nil
	}
	return lenientHeader(raw)
}

func lenientHeader(raw []byte) (textproto.Header, []byte, error) {
	var fields [][2]string
	// The field being read: continuation lines are appended to val, and
	// the field is added to fields when the next one starts.
	var key string
	var val []byte
	open := false
	closeField := func() {
		if open {
			fields = append(fields, [2]string{key, string(val)})
			open = false
		}
	}
	rest := raw
	end := -1
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var line []byte
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			end = len(raw) - len(rest)
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && open {
			val = append(val, ' ')
			val = append(val, bytes.TrimSpace(line)...)
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(k) == 0 || bytes.ContainsAny(k, " \t") {
			// Not a header field (an mbox "From " separator left in
			// front, or garbage): skip it.
			continue
		}
		closeField()
		key, val, open = string(k), append(val[:0], bytes.TrimSpace(v)...), true
	}
	closeField()
	if len(fields) == 0 {
		return textproto.Header{}, nil, fmt.Errorf("%w: no header fields", ErrNotMessage)
	}
	var h textproto.Header
	for i := len(fields) - 1; i >= 0; i-- {
		h.Add(fields[i][0], fields[i][1])
	}
	var body []byte
	if end >= 0 {
		body = raw[end:]
	}
	return h, body, nil
}

var wordDecoder = mime.WordDecoder{CharsetReader: func(cs string, in io.Reader) (io.Reader, error) {
	return gomessage.CharsetReader(cs, in)
}}

// decodeWords decodes RFC 2047 encoded words, keeping the raw text when a
// word cannot be decoded, and makes the result valid UTF-8.
func decodeWords(s string) string {
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	return validUTF8(s)
}

// validUTF8 returns s as valid UTF-8, reading invalid bytes as Latin-1 (the
// commonest undeclared 8-bit charset in mail).
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(rune(s[i]))
		} else {
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func parseHeaders(m *pam.Message, h gomail.Header) {
	m.Subject = strings.TrimSpace(decodeWords(h.Get("Subject")))
	if id, err := h.MessageID(); err == nil {
		m.MessageID = validUTF8(id)
	} else if raw := strings.TrimSpace(h.Get("Message-Id")); raw != "" {
		m.MessageID = validUTF8(strings.Trim(raw, "<> \t"))
		m.Problems = append(m.Problems, "malformed Message-ID header")
	}
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
		m.InReplyTo = validUTF8(ids[0])
	} else if raw := h.Get("In-Reply-To"); raw != "" {
		m.InReplyTo = looseMsgIDs(raw, 1)
	}
	if ids, err := h.MsgIDList("References"); err == nil {
		for _, id := range ids {
			m.References = append(m.References, validUTF8(id))
		}
	} else if raw := h.Get("References"); raw != "" {
		for _, id := range strings.Fields(strings.NewReplacer("<", " ", ">", " ").Replace(raw)) {
			if strings.Contains(id, "@") {
				m.References = append(m.References, validUTF8(id))
			}
		}
	}
	if len(m.References) > 100 {
		m.References = m.References[len(m.References)-100:]
	}
	m.From = addresses(m, h, "From")
	m.To = addresses(m, h, "To")
	m.Cc = addresses(m, h, "Cc")
	m.Bcc = addresses(m, h, "Bcc")
	m.ReplyTo = addresses(m, h, "Reply-To")
	if len(m.From) == 0 {
		if s := addresses(m, h, "Sender"); len(s) > 0 {
			m.From = s
		}
	}
	if len(m.From) == 0 {
		m.Problems = append(m.Problems, "no From header")
	}
	if m.MessageID == "" {
		m.Problems = append(m.Problems, "no Message-ID header")
	}
	m.DateRaw = validUTF8(strings.TrimSpace(h.Get("Date")))
	if m.DateRaw == "" {
		m.Problems = append(m.Problems, "no Date header")
		if t, ok := receivedDate(h.Values("Received")); ok {
			m.Date = t
		}
	} else if t, ok := ParseDate(m.DateRaw); ok {
		m.Date = t
	} else {
		m.Problems = append(m.Problems, "unparseable Date header")
		if t, ok := receivedDate(h.Values("Received")); ok {
			m.Date = t
		}
	}
	for _, k := range keptHeaders {
		if v := h.Get(k); v != "" {
			if len(v) > 2048 {
				v = v[:2048]
			}
			m.Headers[k] = decodeWords(v)
		}
	}
}

func looseMsgIDs(raw string, n int) string {
	for _, f := range strings.Fields(strings.NewReplacer("<", " ", ">", " ").Replace(raw)) {
		if strings.Contains(f, "@") {
			return validUTF8(f)
		}
	}
	return ""
}

// addresses parses an address list, falling back to a lenient split when
// the header is not RFC 5322.
func addresses(m *pam.Message, h gomail.Header, key string) []pam.Address {
	raw := h.Get(key)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	list, err := h.AddressList(key)
	if err == nil {
		out := make([]pam.Address, 0, len(list))
		for _, a := range list {
			out = append(out, pam.Address{Name: validUTF8(a.Name), Email: strings.ToLower(validUTF8(a.Address))})
		}
		return out
	}
	m.Problems = append(m.Problems, fmt.Sprintf("malformed %s header", key))
	return looseAddresses(decodeWords(raw))
}

// looseAddresses pulls what looks like addresses out of a broken header.
func looseAddresses(s string) []pam.Address {
	var out []pam.Address
	for _, part := range splitAddressList(s) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, email := "", ""
		if i := strings.LastIndexByte(part, '<'); i >= 0 {
			j := strings.IndexByte(part[i:], '>')
			if j < 0 {
				j = len(part) - i
			}
			email = strings.TrimSpace(part[i+1 : i+j])
			name = strings.Trim(strings.TrimSpace(part[:i]), `"' `)
		} else {
			for _, f := range strings.Fields(part) {
				if strings.Contains(f, "@") {
					email = strings.Trim(f, `"'()<>,;`)
				}
			}
			if email == "" {
				name = strings.Trim(part, `"' `)
			}
		}
		if email == "" && name == "" {
			continue
		}
		out = append(out, pam.Address{Name: name, Email: strings.ToLower(email)})
		if len(out) >= 200 {
			break
		}
	}
	return out
}

func splitAddressList(s string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case '<':
			if !quoted {
				depth++
			}
		case '>':
			if !quoted && depth > 0 {
				depth--
			}
		case ',', ';':
			if !quoted && depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// FormatAddress renders an address for display.
func FormatAddress(a pam.Address) string {
	if a.Name == "" {
		return a.Email
	}
	if a.Email == "" {
		return a.Name
	}
	return a.Name + " <" + a.Email + ">"
}

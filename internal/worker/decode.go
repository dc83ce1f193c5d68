package worker

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// decodeClassifyRequest decodes the body of a classify request into req,
// as json.Unmarshal does. A batch carries whole messages and encoding/json
// scans them twice (checkValid, then the reflective decoder) besides the
// frame check: bodies of the shape the parent writes (json.Marshal of a
// wire.ClassifyRequest) are read here in one pass, anything else (other
// keys or key spellings, repeated keys, null, numbers that are not plain
// integers, invalid UTF-8, surrogate escapes, malformed JSON) by
// json.Unmarshal. Where the fast reader answers, the result is
// json.Unmarshal's (TestDecodeClassifyRequestMatchesJSON,
// FuzzDecodeClassifyRequest).
func decodeClassifyRequest(b []byte, req *wire.ClassifyRequest) error {
	d := reqDecoder{b: b}
	if d.request(req) {
		return nil
	}
	*req = wire.ClassifyRequest{}
	return json.Unmarshal(b, req)
}

// reqDecoder reads a strict subset of JSON; each method reports false as
// soon as the input leaves it.
type reqDecoder struct {
	b   []byte
	i   int
	buf []byte // scratch for strings with escapes
}

func (d *reqDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// byte consumes c (after white space).
func (d *reqDecoder) byte(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// peek returns the next byte after white space, or 0 at the end.
func (d *reqDecoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *reqDecoder) request(req *wire.ClassifyRequest) bool {
	if !d.byte('{') {
		return false
	}
	var seenMsgs, seenModels bool
	if d.peek() != '}' {
		for {
			key, ok := d.str()
			if !ok || !d.byte(':') {
				return false
			}
			switch {
			case key == "messages" && !seenMsgs:
				seenMsgs = true
				if !d.messages(&req.Messages) {
					return false
				}
			case key == "models" && !seenModels:
				seenModels = true
				if !d.strs(&req.Models) {
					return false
				}
			default:
				return false
			}
			if d.byte(',') {
				continue
			}
			break
		}
	}
	if !d.byte('}') {
		return false
	}
	d.ws()
	return d.i == len(d.b)
}

func (d *reqDecoder) messages(out *[]wire.Message) bool {
	if !d.byte('[') {
		return false
	}
	msgs := make([]wire.Message, 0, 64)
	if d.peek() != ']' {
		for {
			msgs = append(msgs, wire.Message{})
			if !d.message(&msgs[len(msgs)-1]) {
				return false
			}
			if d.byte(',') {
				continue
			}
			break
		}
	}
	if !d.byte(']') {
		return false
	}
	*out = msgs
	return true
}

// Message fields, for spotting repeated keys.
const (
	fID = 1 << iota
	fFrom
	fFromName
	fTo
	fCc
	fSubject
	fText
	fHTML
	fHeaders
	fAttachments
	fLinks
	fUser
)

func (d *reqDecoder) message(m *wire.Message) bool {
	if !d.byte('{') {
		return false
	}
	if d.peek() == '}' {
		d.i++
		return true
	}
	seen := 0
	for {
		key, ok := d.str()
		if !ok || !d.byte(':') {
			return false
		}
		var f int
		switch key {
		case "id":
			f, ok = fID, d.strInto(&m.ID)
		case "from":
			f, ok = fFrom, d.strInto(&m.From)
		case "from_name":
			f, ok = fFromName, d.strInto(&m.FromName)
		case "to":
			f, ok = fTo, d.strs(&m.To)
		case "cc":
			f, ok = fCc, d.strs(&m.Cc)
		case "subject":
			f, ok = fSubject, d.strInto(&m.Subject)
		case "text":
			f, ok = fText, d.strInto(&m.Text)
		case "html":
			f, ok = fHTML, d.boolean(&m.HTML)
		case "headers":
			f, ok = fHeaders, d.headers(&m.Headers)
		case "attachments":
			f, ok = fAttachments, d.integer(&m.Attachments)
		case "links":
			f, ok = fLinks, d.integer(&m.Links)
		case "user_addresses":
			f, ok = fUser, d.strs(&m.UserAddresses)
		default:
			return false
		}
		if !ok || seen&f != 0 {
			return false
		}
		seen |= f
		if d.byte(',') {
			continue
		}
		return d.byte('}')
	}
}

func (d *reqDecoder) strInto(s *string) bool {
	v, ok := d.str()
	*s = v
	return ok
}

// strs reads an array of strings; [] is an empty slice, not nil, as
// encoding/json makes it.
func (d *reqDecoder) strs(out *[]string) bool {
	if !d.byte('[') {
		return false
	}
	l := []string{}
	if d.peek() != ']' {
		for {
			s, ok := d.str()
			if !ok {
				return false
			}
			l = append(l, s)
			if d.byte(',') {
				continue
			}
			break
		}
	}
	if !d.byte(']') {
		return false
	}
	*out = l
	return true
}

// headers reads an object of strings; a repeated key keeps the last value,
// as encoding/json's map assignment does.
func (d *reqDecoder) headers(out *map[string]string) bool {
	if !d.byte('{') {
		return false
	}
	h := map[string]string{}
	if d.peek() != '}' {
		for {
			k, ok := d.str()
			if !ok || !d.byte(':') {
				return false
			}
			v, ok := d.str()
			if !ok {
				return false
			}
			h[k] = v
			if d.byte(',') {
				continue
			}
			break
		}
	}
	if !d.byte('}') {
		return false
	}
	*out = h
	return true
}

func (d *reqDecoder) boolean(b *bool) bool {
	d.ws()
	rest := d.b[d.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		*b, d.i = true, d.i+4
	case len(rest) >= 5 && string(rest[:5]) == "false":
		*b, d.i = false, d.i+5
	default:
		return false
	}
	return d.delim()
}

// integer reads an optional minus and 1 to 18 digits without a leading
// zero (no fraction, no exponent).
func (d *reqDecoder) integer(n *int) bool {
	d.ws()
	neg := false
	if d.i < len(d.b) && d.b[d.i] == '-' {
		neg = true
		d.i++
	}
	start := d.i
	v := 0
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		v = v*10 + int(d.b[d.i]-'0')
		d.i++
	}
	digits := d.i - start
	if digits == 0 || digits > 18 || (digits > 1 && d.b[start] == '0') {
		return false
	}
	if neg {
		v = -v
	}
	*n = v
	return d.delim()
}

// delim reports whether a literal or number ends here: the end of the
// input, white space, ',' '}' or ']'.
func (d *reqDecoder) delim() bool {
	if d.i == len(d.b) {
		return true
	}
	switch d.b[d.i] {
	case ' ', '\t', '\n', '\r', ',', '}', ']':
		return true
	}
	return false
}

// str reads a string: escapes other than surrogates decoded, raw bytes
// valid UTF-8 (encoding/json would replace invalid bytes; those strings go
// to it instead).
func (d *reqDecoder) str() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// escaped finishes a string from start that has an escape at d.i.
func (d *reqDecoder) escaped(start int) (string, bool) {
	buf := append(d.buf[:0], d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			d.buf = buf
			if !utf8.Valid(buf) {
				return "", false
			}
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if d.i+4 > len(d.b) {
				return "", false
			}
			r := rune(0)
			for _, h := range d.b[d.i : d.i+4] {
				var x byte
				switch {
				case h >= '0' && h <= '9':
					x = h - '0'
				case h >= 'a' && h <= 'f':
					x = h - 'a' + 10
				case h >= 'A' && h <= 'F':
					x = h - 'A' + 10
				default:
					return "", false
				}
				r = r<<4 | rune(x)
			}
			d.i += 4
			if utf16.IsSurrogate(r) {
				return "", false
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false
		}
	}
	return "", false
}

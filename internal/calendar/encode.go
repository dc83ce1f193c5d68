package calendar

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// encoder writes components as folded content lines with CRLF ends.
type encoder struct {
	w   *bufio.Writer
	err error
}

func (e *encoder) component(c *Component) {
	e.line("BEGIN:" + c.Name)
	for _, p := range c.Props {
		e.line(formatProperty(p))
	}
	for _, ch := range c.Children {
		e.component(ch)
	}
	e.line("END:" + c.Name)
}

// line writes s folded at 75 octets without splitting a UTF-8 sequence.
func (e *encoder) line(s string) {
	if e.err != nil {
		return
	}
	s = strings.NewReplacer("\r", "", "\n", "").Replace(s) // never emit a bare line break
	const max = 75
	first := true
	for len(s) > 0 {
		limit := max
		if !first {
			limit = max - 1
		}
		n := len(s)
		if n > limit {
			n = limit
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
			if n == 0 {
				n = limit
			}
		}
		if !first {
			e.w.WriteByte(' ')
		}
		e.w.WriteString(s[:n])
		_, e.err = e.w.WriteString("\r\n")
		s = s[n:]
		first = false
	}
}

// formatProperty renders one unfolded content line.
func formatProperty(p *Property) string {
	var b strings.Builder
	if p.Group != "" {
		b.WriteString(p.Group)
		b.WriteByte('.')
	}
	b.WriteString(p.Name)
	for _, pa := range p.Params {
		b.WriteByte(';')
		b.WriteString(pa.Name)
		b.WriteByte('=')
		for i, v := range pa.Values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(formatParamValue(v))
		}
	}
	b.WriteByte(':')
	b.WriteString(p.Value)
	return b.String()
}

// formatParamValue quotes a parameter value when needed and applies the
// RFC 6868 caret encoding for characters that cannot appear otherwise.
func formatParamValue(v string) string {
	needQuote := strings.ContainsAny(v, ";:,")
	if strings.ContainsAny(v, "^\"\n\r") {
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			switch c := v[i]; c {
			case '^':
				b.WriteString("^^")
			case '"':
				b.WriteString("^'")
			case '\n':
				b.WriteString("^n")
			case '\r':
				if i+1 < len(v) && v[i+1] == '\n' {
					continue
				}
				b.WriteString("^n")
			default:
				b.WriteByte(c)
			}
		}
		v = b.String()
	}
	if needQuote {
		return `"` + v + `"`
	}
	return v
}

// EncodeComponents writes components as iCalendar text.
func EncodeComponents(w io.Writer, comps ...*Component) error {
	e := &encoder{w: bufio.NewWriter(w)}
	for _, c := range comps {
		e.component(c)
	}
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

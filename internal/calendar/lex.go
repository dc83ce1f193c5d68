package calendar

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits bound the work Parse does on hostile input.
type Limits struct {
	MaxInputBytes int // whole input; larger input is an error
	MaxLineBytes  int // one unfolded content line; longer lines are skipped
	MaxComponents int // components of all kinds; beyond it parsing stops with an error
	MaxProperties int // properties of all components together
	MaxDepth      int // nesting of BEGIN blocks
	MaxProblems   int // problems recorded; later ones are counted, not kept
}

// DefaultLimits are generous for real calendars (a 10-year export of a busy
// calendar is a few MB) and small enough to keep a parse in milliseconds.
var DefaultLimits = Limits{
	MaxInputBytes: 32 << 20,
	MaxLineBytes:  1 << 20,
	MaxComponents: 200_000,
	MaxProperties: 2_000_000,
	MaxDepth:      16,
	MaxProblems:   1000,
}

// Errors returned by Parse. Wrapped errors carry the line number.
var (
	ErrNoCalendar = errors.New("no VCALENDAR component")
	ErrTooLarge   = errors.New("input exceeds limit")
)

// Param is one property parameter; a parameter may have several values.
type Param struct {
	Name   string // upper case
	Values []string
}

// Property is one content line. Value is the raw value text as written
// (escapes not decoded), so that it can be written back unchanged.
type Property struct {
	Group  string // vCard-style group prefix, rarely used in iCalendar
	Name   string // upper case
	Params []Param
	Value  string
	Line   int // line number in the input (1-based) where the property started; 0 when built in code
}

// Param returns the first value of the named parameter, or "".
func (p *Property) Param(name string) string {
	for _, pa := range p.Params {
		if strings.EqualFold(pa.Name, name) && len(pa.Values) > 0 {
			return pa.Values[0]
		}
	}
	return ""
}

// ParamValues returns all values of the named parameter.
func (p *Property) ParamValues(name string) []string {
	for _, pa := range p.Params {
		if strings.EqualFold(pa.Name, name) {
			return pa.Values
		}
	}
	return nil
}

// SetParam replaces or adds the named parameter; no values removes it.
func (p *Property) SetParam(name string, values ...string) {
	name = strings.ToUpper(name)
	for i, pa := range p.Params {
		if pa.Name == name {
			if len(values) == 0 {
				p.Params = append(p.Params[:i:i], p.Params[i+1:]...)
				return
			}
			p.Params[i].Values = values
			return
		}
	}
	if len(values) > 0 {
		p.Params = append(p.Params, Param{Name: name, Values: values})
	}
}

// Component is one BEGIN/END block with its properties and children, in
// file order. Unknown properties and components are kept here.
type Component struct {
	Name     string // upper case, e.g. VEVENT
	Props    []*Property
	Children []*Component
	Line     int
}

// Prop returns the first property with the name, or nil.
func (c *Component) Prop(name string) *Property {
	for _, p := range c.Props {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// PropsNamed returns all properties with the name.
func (c *Component) PropsNamed(name string) []*Property {
	var out []*Property
	for _, p := range c.Props {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

// RemoveProps removes all properties with the name.
func (c *Component) RemoveProps(name string) {
	out := c.Props[:0]
	for _, p := range c.Props {
		if p.Name != name {
			out = append(out, p)
		}
	}
	for i := len(out); i < len(c.Props); i++ {
		c.Props[i] = nil
	}
	c.Props = out
}

// Clone returns a deep copy of c.
func (c *Component) Clone() *Component {
	if c == nil {
		return nil
	}
	n := &Component{Name: c.Name, Line: c.Line}
	n.Props = make([]*Property, len(c.Props))
	for i, p := range c.Props {
		n.Props[i] = p.clone()
	}
	for _, ch := range c.Children {
		n.Children = append(n.Children, ch.Clone())
	}
	return n
}

func (p *Property) clone() *Property {
	q := *p
	q.Params = make([]Param, len(p.Params))
	for i, pa := range p.Params {
		q.Params[i] = Param{Name: pa.Name, Values: append([]string(nil), pa.Values...)}
	}
	return &q
}

// Problem is a defect found while parsing that did not stop the parse: the
// offending line or value was skipped.
type Problem struct {
	Line int    // 1-based line number, 0 when not tied to a line
	Prop string // property or component name, when known
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Prop != "" {
		b.WriteString(p.Prop)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// lexer turns bytes into components.
type lexer struct {
	lim      Limits
	problems []Problem
	dropped  int // problems beyond MaxProblems
	comps    int
	props    int
}

func (lx *lexer) problem(line int, prop, format string, args ...any) {
	if len(lx.problems) >= lx.lim.MaxProblems {
		lx.dropped++
		return
	}
	lx.problems = append(lx.problems, Problem{Line: line, Prop: prop, Msg: fmt.Sprintf(format, args...)})
}

// logicalLine is one unfolded content line.
type logicalLine struct {
	text string
	line int
}

// unfold splits data into logical lines. It accepts CRLF, LF and lone CR
// line ends; a line starting with a space or tab continues the previous one.
// Lines longer than MaxLineBytes are reported and dropped.
func (lx *lexer) unfold(data []byte, emit func(logicalLine) error) error {
	var cur []byte
	curLine := 0
	tooLong := false
	flush := func() error {
		if curLine == 0 {
			return nil
		}
		defer func() { cur = cur[:0]; curLine = 0; tooLong = false }()
		if tooLong {
			lx.problem(curLine, "", "line longer than %d bytes skipped", lx.lim.MaxLineBytes)
			return nil
		}
		if len(bytes.TrimSpace(cur)) == 0 {
			return nil // blank lines are common junk; skip them silently
		}
		return emit(logicalLine{text: string(cur), line: curLine})
	}
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		i := bytes.IndexAny(data, "\r\n")
		var raw []byte
		if i < 0 {
			raw, data = data, nil
		} else {
			raw = data[:i]
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				data = data[i+2:]
			} else {
				data = data[i+1:]
			}
		}
		if len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') && curLine != 0 {
			if len(cur)+len(raw)-1 > lx.lim.MaxLineBytes {
				tooLong = true
				continue
			}
			cur = append(cur, raw[1:]...)
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		curLine = lineNo
		if len(raw) > lx.lim.MaxLineBytes {
			tooLong = true
			continue
		}
		cur = append(cur, raw...)
	}
	return flush()
}

// parseContentLine splits "NAME;P=V:value" into a property.
func parseContentLine(s string) (*Property, error) {
	p := &Property{}
	i := 0
	// name: letters, digits, '-', and an optional group prefix "g."
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	if i == 0 {
		return nil, errors.New("missing property name")
	}
	name := s[:i]
	if i < len(s) && s[i] == '.' {
		p.Group = name
		i++
		j := i
		for i < len(s) && isNameChar(s[i]) {
			i++
		}
		if i == j {
			return nil, errors.New("missing property name after group")
		}
		name = s[j:i]
	}
	p.Name = strings.ToUpper(name)
	for i < len(s) && s[i] == ';' {
		i++
		j := i
		for i < len(s) && isNameChar(s[i]) {
			i++
		}
		if i == j {
			return nil, fmt.Errorf("%s: missing parameter name", p.Name)
		}
		pname := strings.ToUpper(s[j:i])
		if i >= len(s) || s[i] != '=' {
			return nil, fmt.Errorf("%s: parameter %s has no value", p.Name, pname)
		}
		i++
		var vals []string
		for {
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, fmt.Errorf("%s: parameter %s: unterminated quoted value", p.Name, pname)
				}
				vals = append(vals, decodeParamCaret(s[i+1:i+1+end]))
				i += end + 2
			} else {
				j := i
				for i < len(s) && s[i] != ',' && s[i] != ';' && s[i] != ':' && s[i] != '"' {
					i++
				}
				vals = append(vals, decodeParamCaret(s[j:i]))
			}
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			break
		}
		p.Params = append(p.Params, Param{Name: pname, Values: vals})
	}
	if i >= len(s) || s[i] != ':' {
		return nil, fmt.Errorf("%s: missing ':' before value", p.Name)
	}
	p.Value = s[i+1:]
	return p, nil
}

func isNameChar(c byte) bool {
	return c == '-' || c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// decodeParamCaret decodes RFC 6868 caret escapes (^n, ^^, ^').
func decodeParamCaret(s string) string {
	if !strings.Contains(s, "^") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '^' && i+1 < len(s) {
			switch s[i+1] {
			case 'n', 'N':
				b.WriteByte('\n')
				i++
				continue
			case '^':
				b.WriteByte('^')
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseComponents reads all top-level components of data.
func (lx *lexer) parseComponents(data []byte) ([]*Component, error) {
	var roots []*Component
	var stack []*Component
	err := lx.unfold(data, func(ll logicalLine) error {
		p, err := parseContentLine(ll.text)
		if err != nil {
			lx.problem(ll.line, "", "%v; line skipped", err)
			return nil
		}
		p.Line = ll.line
		switch p.Name {
		case "BEGIN":
			name := strings.ToUpper(strings.TrimSpace(p.Value))
			if name == "" || !isName(name) {
				lx.problem(ll.line, "BEGIN", "bad component name %q; line skipped", clip(p.Value))
				return nil
			}
			if len(stack) >= lx.lim.MaxDepth {
				lx.problem(ll.line, name, "components nested deeper than %d; BEGIN skipped", lx.lim.MaxDepth)
				return nil
			}
			lx.comps++
			if lx.comps > lx.lim.MaxComponents {
				return fmt.Errorf("line %d: more than %d components: %w", ll.line, lx.lim.MaxComponents, ErrTooLarge)
			}
			c := &Component{Name: name, Line: ll.line}
			if len(stack) == 0 {
				roots = append(roots, c)
			} else {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, c)
			}
			stack = append(stack, c)
		case "END":
			name := strings.ToUpper(strings.TrimSpace(p.Value))
			if len(stack) == 0 {
				lx.problem(ll.line, "END", "END:%s without BEGIN; line skipped", clip(name))
				return nil
			}
			at := -1
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].Name == name {
					at = k
					break
				}
			}
			if at < 0 {
				lx.problem(ll.line, "END", "END:%s does not match open %s; line skipped", clip(name), stack[len(stack)-1].Name)
				return nil
			}
			for k := len(stack) - 1; k > at; k-- {
				lx.problem(ll.line, stack[k].Name, "component opened at line %d not closed; closed by END:%s", stack[k].Line, name)
			}
			stack = stack[:at]
		default:
			if len(stack) == 0 {
				lx.problem(ll.line, p.Name, "property outside any component; line skipped")
				return nil
			}
			lx.props++
			if lx.props > lx.lim.MaxProperties {
				return fmt.Errorf("line %d: more than %d properties: %w", ll.line, lx.lim.MaxProperties, ErrTooLarge)
			}
			top := stack[len(stack)-1]
			top.Props = append(top.Props, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k := len(stack) - 1; k >= 0; k-- {
		lx.problem(0, stack[k].Name, "component opened at line %d not closed before end of input", stack[k].Line)
	}
	return roots, nil
}

func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

// clip shortens s for error messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// readLimited reads all of r up to max bytes.
func readLimited(r io.Reader, max int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(bufio.NewReader(r), int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	if len(data) > max {
		return nil, fmt.Errorf("calendar larger than %d bytes: %w", max, ErrTooLarge)
	}
	return data, nil
}

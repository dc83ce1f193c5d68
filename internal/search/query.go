// Package search parses PAM's search language into a query tree:
// free text, "phrases", field filters (from:, to:, subject:, label:,
// is:unread|read|flagged|replied, has:attachment, date:A..B, before:,
// after:), AND, OR, NOT (also -term) and parentheses. NOT binds tightest,
// then AND (also implicit between terms), then OR. It is pure: the store
// turns the tree into SQL.
package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Op is the kind of a node.
type Op int

const (
	OpTerm Op = iota
	OpAnd
	OpOr
	OpNot
)

// Node is one node of a query tree.
type Node struct {
	Op       Op
	Children []*Node
	// For OpTerm:
	Field  string // "" (free text), from, to, subject, label, is, has, date
	Value  string
	Phrase bool // quoted: match the words in order
	Prefix bool // trailing *: match words starting with Value
	// For date terms: the half-open range [From, To); a zero bound is open.
	From, To time.Time
}

// Error is a query syntax error with its position.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("query: %s at character %d", e.Msg, e.Pos+1) }

var fields = map[string]bool{"from": true, "to": true, "subject": true, "label": true, "is": true, "has": true, "date": true, "before": true, "after": true, "in": true, "tag": true}

type token struct {
	kind   int // tWord, tPhrase, tLParen, tRParen, tMinus
	field  string
	text   string
	pos    int
	quoted bool
}

const (
	tWord = iota
	tLParen
	tRParen
	tMinus
)

func lex(s string) ([]token, error) {
	var toks []token
	rs := []rune(s)
	i := 0
	for i < len(rs) {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tLParen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, pos: i})
			i++
		case r == '-' && (i+1 < len(rs) && !unicode.IsSpace(rs[i+1])) && (i == 0 || unicode.IsSpace(rs[i-1]) || rs[i-1] == '('):
			toks = append(toks, token{kind: tMinus, pos: i})
			i++
		default:
			start := i
			field := ""
			// field:value
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j])) {
				j++
			}
			if j < len(rs) && rs[j] == ':' && j > i && fields[strings.ToLower(string(rs[i:j]))] {
				field = strings.ToLower(string(rs[i:j]))
				i = j + 1
			}
			if i < len(rs) && rs[i] == '"' {
				k := i + 1
				for k < len(rs) && rs[k] != '"' {
					k++
				}
				if k >= len(rs) {
					return nil, &Error{Pos: i, Msg: "unterminated quote"}
				}
				toks = append(toks, token{kind: tWord, field: field, text: string(rs[i+1 : k]), pos: start, quoted: true})
				i = k + 1
				continue
			}
			k := i
			for k < len(rs) && !unicode.IsSpace(rs[k]) && rs[k] != '(' && rs[k] != ')' {
				k++
			}
			if k == i && field != "" {
				return nil, &Error{Pos: start, Msg: fmt.Sprintf("%s: needs a value", field)}
			}
			toks = append(toks, token{kind: tWord, field: field, text: string(rs[i:k]), pos: start})
			i = k
		}
	}
	return toks, nil
}

type parser struct {
	toks []token
	i    int
	now  time.Time
}

// Parse parses a query. now anchors relative dates (none yet) and is
// accepted for future use; pass time.Now().
func Parse(q string) (*Node, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &Error{Pos: 0, Msg: "empty query"}
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, &Error{Pos: p.toks[p.i].pos, Msg: "unexpected )"}
	}
	return n, nil
}

func (p *parser) peekWord(w string) bool {
	if p.i >= len(p.toks) {
		return false
	}
	t := p.toks[p.i]
	return t.kind == tWord && !t.quoted && t.field == "" && t.text == w
}

func (p *parser) or() (*Node, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []*Node{left}
	for p.peekWord("OR") || p.peekWord("|") {
		p.i++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, r)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return &Node{Op: OpOr, Children: kids}, nil
}

func (p *parser) and() (*Node, error) {
	var kids []*Node
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tRParen || p.peekWord("OR") || p.peekWord("|") {
			break
		}
		if p.peekWord("AND") || p.peekWord("&") {
			p.i++
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	switch len(kids) {
	case 0:
		pos := 0
		if p.i < len(p.toks) {
			pos = p.toks[p.i].pos
		} else if len(p.toks) > 0 {
			pos = p.toks[len(p.toks)-1].pos
		}
		return nil, &Error{Pos: pos, Msg: "missing term"}
	case 1:
		return kids[0], nil
	}
	return &Node{Op: OpAnd, Children: kids}, nil
}

func (p *parser) unary() (*Node, error) {
	if p.i >= len(p.toks) {
		return nil, &Error{Pos: p.toks[len(p.toks)-1].pos, Msg: "missing term after NOT"}
	}
	t := p.toks[p.i]
	if t.kind == tMinus || p.peekWord("NOT") {
		p.i++
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Node{Op: OpNot, Children: []*Node{n}}, nil
	}
	if t.kind == tLParen {
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.toks) || p.toks[p.i].kind != tRParen {
			return nil, &Error{Pos: t.pos, Msg: "unclosed ("}
		}
		p.i++
		return n, nil
	}
	if t.kind == tRParen {
		return nil, &Error{Pos: t.pos, Msg: "unexpected )"}
	}
	p.i++
	return term(t)
}

func term(t token) (*Node, error) {
	n := &Node{Op: OpTerm, Field: t.field, Value: t.text, Phrase: t.quoted}
	switch t.field {
	case "tag", "in":
		n.Field = "label"
	case "is":
		v := strings.ToLower(t.text)
		switch v {
		case "unread", "read", "seen", "flagged", "starred", "replied", "answered":
		default:
			return nil, &Error{Pos: t.pos, Msg: fmt.Sprintf("is:%s: want unread, read, flagged or replied", t.text)}
		}
		n.Value = v
	case "has":
		v := strings.ToLower(t.text)
		if v != "attachment" && v != "attachments" {
			return nil, &Error{Pos: t.pos, Msg: fmt.Sprintf("has:%s: want has:attachment", t.text)}
		}
		n.Value = "attachment"
	case "date", "before", "after":
		from, to, err := dateRange(t.field, t.text)
		if err != nil {
			return nil, &Error{Pos: t.pos, Msg: err.Error()}
		}
		n.Field, n.From, n.To = "date", from, to
	case "":
		if !t.quoted && strings.HasSuffix(t.text, "*") && len(t.text) > 1 {
			n.Value, n.Prefix = strings.TrimSuffix(t.text, "*"), true
		}
	}
	if strings.TrimSpace(n.Value) == "" && n.Field != "date" {
		return nil, &Error{Pos: t.pos, Msg: "empty term"}
	}
	return n, nil
}

// dateRange reads YYYY, YYYY-MM, YYYY-MM-DD and ranges A..B (either side
// may be empty) into a half-open UTC range.
func dateRange(field, v string) (time.Time, time.Time, error) {
	var from, to time.Time
	if a, b, ok := strings.Cut(v, ".."); ok {
		if a != "" {
			f, _, err := period(a)
			if err != nil {
				return from, to, err
			}
			from = f
		}
		if b != "" {
			_, t, err := period(b)
			if err != nil {
				return from, to, err
			}
			to = t
		}
		if a == "" && b == "" {
			return from, to, fmt.Errorf("date:..: give at least one end")
		}
		if !from.IsZero() && !to.IsZero() && !from.Before(to) {
			return from, to, fmt.Errorf("date:%s: the range ends before it starts", v)
		}
		return from, to, nil
	}
	f, t, err := period(v)
	if err != nil {
		return from, to, err
	}
	switch field {
	case "before":
		return time.Time{}, f, nil
	case "after":
		return t, time.Time{}, nil
	}
	return f, t, nil
}

func period(s string) (time.Time, time.Time, error) {
	for _, l := range []struct {
		layout string
		add    func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t, l.add(t), nil
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
}

// String renders the tree for debugging and tests.
func (n *Node) String() string {
	switch n.Op {
	case OpAnd, OpOr:
		op := " AND "
		if n.Op == OpOr {
			op = " OR "
		}
		parts := make([]string, len(n.Children))
		for i, c := range n.Children {
			parts[i] = c.String()
		}
		return "(" + strings.Join(parts, op) + ")"
	case OpNot:
		return "NOT " + n.Children[0].String()
	}
	v := n.Value
	if n.Phrase {
		v = `"` + v + `"`
	}
	if n.Prefix {
		v += "*"
	}
	if n.Field == "date" {
		f, t := "", ""
		if !n.From.IsZero() {
			f = n.From.Format("2006-01-02")
		}
		if !n.To.IsZero() {
			t = n.To.Format("2006-01-02")
		}
		return "date:[" + f + "," + t + ")"
	}
	if n.Field != "" {
		return n.Field + ":" + v
	}
	return v
}

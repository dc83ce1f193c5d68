package mail

import (
	"strings"

	"golang.org/x/net/html"
)

// HTMLToText renders HTML as readable plain text: block elements become
// line breaks, list items get dashes, scripts, styles and comments are
// dropped, and entities are decoded. Link targets are not inlined, so remote
// content never shows up as text to click.
func HTMLToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	z.SetMaxBuf(8 << 20)
	var b strings.Builder
	skip := 0 // depth inside script/style/head/title
	pendingNL := 0
	space := false
	emit := func(s string) {
		if skip > 0 {
			return
		}
		for _, r := range s {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\f' {
				space = true
				continue
			}
			if pendingNL > 0 {
				if b.Len() > 0 {
					b.WriteString(strings.Repeat("\n", min(pendingNL, 2)))
				}
				pendingNL, space = 0, false
			} else if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	nl := func(n int) {
		if n > pendingNL {
			pendingNL = n
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			emit(string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "head", "title", "noscript", "template", "svg":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			switch tag {
			case "br":
				nl(1)
			case "p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article", "header", "footer", "ul", "ol", "hr":
				nl(2)
			case "tr", "dt", "dd":
				nl(1)
			case "li":
				nl(1)
				if tt == html.StartTagToken {
					emit("-")
					space = true
				}
			case "td", "th":
				if tt == html.StartTagToken && b.Len() > 0 {
					space = true
				}
			case "img":
				if tt != html.EndTagToken {
					for {
						k, v, more := z.TagAttr()
						if string(k) == "alt" && strings.TrimSpace(string(v)) != "" {
							emit("[" + string(v) + "]")
						}
						if !more {
							break
						}
					}
				}
			}
		}
	}
}

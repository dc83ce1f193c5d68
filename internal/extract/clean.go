package extract

import (
	"math/bits"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Body returns the part of a plain-text message body that its writer
// wrote for this message: quoted replies ("> " lines, "On … wrote:"
// blocks, "-----Original Message-----" and forwarded headers),
// signatures ("-- " and closings such as "Best,\nName"), greetings and
// legal disclaimers are removed.
func Body(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var kept []string
cut:
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, ">"):
			continue
		case line == "-- " || trim == "--" || trim == "__" || strings.HasPrefix(trim, "________________"):
			break cut
		case quoteHeader(trim, lines, i):
			// A quote above the reply (bottom-posting): skip its header;
			// the quoted lines go as "> " lines.
			if strings.TrimSpace(strings.Join(kept, "")) == "" && i+1 < len(lines) && isQuotedBelow(lines[i+1:]) {
				if !strings.HasSuffix(trim, ":") {
					i++ // the header was wrapped over two lines
				}
				continue
			}
			break cut
		}
		kept = append(kept, line)
	}
	kept = dropClosing(kept)
	kept = dropGreeting(kept)
	return strings.TrimSpace(strings.Join(dropDisclaimers(kept), "\n"))
}

var (
	reWrote     = regexp.MustCompile(`(?i)^(on\b.*|.*\b(schrieb|a écrit|escribió|wrote)\s*:?)$`)
	reOriginal  = regexp.MustCompile(`(?i)^-{2,}\s*(original message|forwarded message|weitergeleitete nachricht|message d'origine|urspr\S* nachricht)\s*-{2,}$`)
	reOutlook   = regexp.MustCompile(`(?i)^(from|von|de):\s*\S`)
	reOutlook2  = regexp.MustCompile(`(?i)^(sent|date|gesendet|envoyé|to|subject):\s*\S`)
	reBeginFwd  = regexp.MustCompile(`(?i)^begin forwarded message:?$`)
	reClosing   = regexp.MustCompile(`(?i)^(best|best wishes|best regards|kind regards|warm regards|warmest regards|regards|many thanks|thanks|thanks!|thanks again|thank you|thank you!|cheers|cheers!|all the best|sincerely|yours|yours sincerely|take care|love|lots of love|love you both|talk soon|speak soon|merci|merci !|grüße|viele grüße|liebe grüße|beste grüße|mit freundlichen grüßen|saludos|ciao|xx|x|see you|br|rgds|thx|ta)\s*[,.!]*\s*$`)
	reGreeting  = regexp.MustCompile(`(?i)^(hi|hello|hey|dear|good morning|good afternoon|good evening|hallo|bonjour|re-bonjour|guten tag|morning|hiya|greetings)\b[^.?!]{0,60}[,!:]?\s*$`)
	reSentOnIOS = regexp.MustCompile(`(?i)^sent from my \w+`)
)

// quoteHeader reports whether lines[i] starts a quoted or forwarded
// message. Each regular expression runs only on lines that can start as
// it requires (startsWith); the answers are those of running them all.
func quoteHeader(trim string, lines []string, i int) bool {
	if trim == "" {
		return false
	}
	if (strings.HasPrefix(trim, "--") && reOriginal.MatchString(trim)) ||
		(startsWith(trim, "b") && reBeginFwd.MatchString(trim)) ||
		(startsWith(trim, "s") && reSentOnIOS.MatchString(trim)) {
		return true
	}
	// "On Tue, 4 Jun 2024, Priya Shah <...> wrote:" possibly wrapped over
	// two lines. (Only 'O' and 'N' lower-case to 'o' and 'n'.)
	if len(trim) >= 3 && trim[0]|0x20 == 'o' && trim[1]|0x20 == 'n' && trim[2] == ' ' {
		if strings.HasSuffix(trim, "wrote:") {
			return true
		}
		if len(trim) < 120 && i+1 < len(lines) && strings.HasSuffix(trim+" "+strings.TrimSpace(lines[i+1]), "wrote:") {
			return true
		}
	}
	if strings.HasSuffix(trim, ":") && len(trim) < 200 && strings.Contains(trim, "@") && reWrote.MatchString(trim) {
		return true
	}
	// Outlook: "From: X" followed within three lines by "Sent:" or "Date:".
	if startsWith(trim, "fvd") && reOutlook.MatchString(trim) {
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			if reOutlook2.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	return false
}

// startsWith reports whether s may match a case-insensitive pattern that
// begins with one of the lower-case ASCII letters in first: its first byte
// is one of them in either case, or is not ASCII (where Unicode case
// folding, such as 'ſ' for 's', is left to the regular expression).
func startsWith(s, first string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c >= utf8.RuneSelf {
		return true
	}
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return strings.IndexByte(first, c) >= 0
}

// isQuotedBelow reports whether the next non-blank line is quoted.
func isQuotedBelow(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		return strings.HasPrefix(t, ">")
	}
	return false
}

// dropClosing removes a closing ("Best,", "Thanks!") and the short
// lines after it (the name, a title, a phone number) at the end.
func dropClosing(lines []string) []string {
	last := len(lines) - 1
	for last >= 0 && strings.TrimSpace(lines[last]) == "" {
		last--
	}
	for i := last; i >= 0 && i >= last-5; i-- {
		t := strings.TrimSpace(lines[i])
		if reClosing.MatchString(t) {
			return lines[:i]
		}
		if t == "" || len(t) > 60 || strings.ContainsAny(t, "?") {
			break
		}
	}
	// A lone name or initial as the last line ("Alex", "P.", "J.").
	if last >= 1 {
		t := strings.TrimSpace(lines[last])
		prev := strings.TrimSpace(lines[last-1])
		if prev == "" && looksLikeName(t) {
			return lines[:last]
		}
	}
	return lines
}

func looksLikeName(s string) bool {
	if s == "" || len(s) > 30 || strings.ContainsAny(s, "?!:;") {
		return false
	}
	f := strings.Fields(s)
	if len(f) > 3 {
		return false
	}
	for _, w := range f {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// dropGreeting removes a greeting line at the start ("Hi Alex,").
func dropGreeting(lines []string) []string {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if reGreeting.MatchString(t) && len(strings.Fields(t)) <= 6 {
			return lines[i+1:]
		}
		return lines
	}
	return lines
}

var disclaimerWords = []string{
	"confidential", "intended recipient", "intended solely", "received this e-mail in error", "received this email in error",
	"received this message in error", "unsubscribe", "privileged", "virus", "disclaimer", "do not reply to this",
	"you are receiving this", "manage your preferences", "view in browser",
}

// disclaimerFirst and disclaimerSecond have bit k set for the first and
// the second byte of disclaimerWords[k]: a position can start phrase k
// only where both bytes have its bit.
var disclaimerFirst, disclaimerSecond = func() (a, b [256]uint16) {
	if len(disclaimerWords) > 16 {
		panic("extract: more disclaimer phrases than disclaimerHits counts")
	}
	for k, w := range disclaimerWords {
		a[w[0]] |= 1 << k
		b[w[1]] |= 1 << k
	}
	return a, b
}()

// disclaimerHits counts the disclaimerWords text contains, and reports
// whether "unsubscribe" is one: one pass over text instead of a search per
// phrase.
func disclaimerHits(text []byte) (hits int, unsub bool) {
	var found uint16
	for i := 0; i+1 < len(text); i++ {
		cand := disclaimerFirst[text[i]] & disclaimerSecond[text[i+1]] &^ found
		for cand != 0 {
			k := bits.TrailingZeros16(cand)
			cand &^= 1 << k
			if w := disclaimerWords[k]; len(text)-i >= len(w) && string(text[i:i+len(w)]) == w {
				found |= 1 << k
				hits++
				if disclaimerWords[k] == "unsubscribe" {
					unsub = true
				}
			}
		}
	}
	return hits, unsub
}

// dropDisclaimers removes paragraphs that read like legal or mailing-list
// footers (two or more footer phrases, or one in an all-capitals
// paragraph).
func dropDisclaimers(lines []string) []string {
	var out, para []string
	var buf []byte // the paragraph's lines lower-cased and joined by spaces
	flush := func() {
		// strings.ToLower(strings.Join(para, " ")), into buf: an ASCII
		// paragraph byte by byte, any other through strings.ToLower
		// (whose rune mapping an ASCII pass would not follow).
		buf = buf[:0]
		ascii := true
		for i, l := range para {
			if i > 0 {
				buf = append(buf, ' ')
			}
			for j := 0; j < len(l); j++ {
				c := l[j]
				if c >= utf8.RuneSelf {
					ascii = false
					break
				}
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
			}
			if !ascii {
				break
			}
		}
		if !ascii {
			buf = append(buf[:0], strings.ToLower(strings.Join(para, " "))...)
		}
		hits, unsub := disclaimerHits(buf)
		if hits < 2 && !(hits == 1 && unsub) {
			out = append(out, para...)
		}
		out = append(out, "")
		para = para[:0]
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(para) > 0 {
				flush()
			}
			continue
		}
		para = append(para, l)
	}
	if len(para) > 0 {
		flush()
	}
	return out
}

// Sentence is one sentence of a body with its byte offset in it.
type Sentence struct {
	Text string
	Pos  int
}

var reBullet = regexp.MustCompile(`^\s*([-*•·–]|\d{1,2}[.)])\s+`)

// abbreviations that end with a period without ending a sentence.
var abbrevs = set("e.g", "i.e", "mr", "mrs", "ms", "dr", "vs", "etc", "approx", "no", "st", "jr", "sr", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m", "u.s", "p", "j", "a")

// Sentences splits a body into sentences: paragraphs at blank lines, each
// bulleted line on its own, then at ". ", "? " and "! " (not after common
// abbreviations).
func Sentences(body string) []Sentence {
	var out []Sentence
	lines := strings.Split(body, "\n")
	pos := 0
	var cur strings.Builder
	curPos := -1
	flush := func() {
		if curPos >= 0 {
			out = append(out, splitSentences(cur.String(), curPos)...)
		}
		cur.Reset()
		curPos = -1
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		start := pos + strings.Index(l, t)
		if t == "" {
			flush()
		} else {
			if loc := reBullet.FindStringIndex(t); loc != nil {
				flush()
				start += loc[1]
				t = t[loc[1]:]
			}
			if curPos < 0 {
				curPos = start
			} else {
				cur.WriteByte(' ')
			}
			cur.WriteString(t)
		}
		pos += len(l) + 1
	}
	flush()
	return out
}

// splitSentences splits one paragraph; offsets are approximate after
// joined lines (the paragraph's start plus the offset in the joined text).
func splitSentences(p string, base int) []Sentence {
	var out []Sentence
	start := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(p) && (p[j] == '.' || p[j] == '?' || p[j] == '!' || p[j] == '"' || p[j] == ')' || p[j] == '\'') {
			j++
		}
		if j < len(p) && p[j] != ' ' {
			continue
		}
		if c == '.' {
			w := lastWord(p[start:i])
			if abbrevs[strings.ToLower(w)] || (len(w) == 1 && unicode.IsUpper(rune(w[0]))) {
				continue
			}
		}
		if j < len(p) {
			r, _ := utf8.DecodeRuneInString(p[j+1:])
			if unicode.IsLower(r) {
				continue
			}
		}
		if s := strings.TrimSpace(p[start:j]); s != "" {
			out = append(out, Sentence{Text: s, Pos: base + start + strings.Index(p[start:j], s)})
		}
		start = j
		i = j - 1
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, Sentence{Text: s, Pos: base + start + strings.Index(p[start:], s)})
	}
	return out
}

func lastWord(s string) string {
	s = strings.TrimRight(s, " ")
	i := strings.LastIndexAny(s, " (\"")
	return s[i+1:]
}

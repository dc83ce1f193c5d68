package redact

import (
	"net/netip"
	"strings"
	"unicode/utf8"
)

// --- URL starts and extents -------------------------------------------------
//
// A URL starts at "scheme://" (the scheme is the run of [A-Za-z0-9+.-] right
// before "://", at least one character), at "www." not preceded by a letter
// or digit, or at "mailto:" not preceded by a letter or digit. It ends at
// whitespace; trailing punctuation is not part of it. Redact and Restore use
// this one definition.

// urlStartIn reports URL starts inside s[from:to] (matches wholly inside) and
// returns the first, or -1.
func urlStartIn(s string, from, to int) int {
	best := -1
	seg := s[from:to]
	for off := 0; ; {
		k := strings.Index(seg[off:], "://")
		if k < 0 {
			break
		}
		k += off
		if k > 0 && isSchemeChar(seg[k-1]) {
			st := k - 1
			for st > 0 && isSchemeChar(seg[st-1]) {
				st--
			}
			best = from + st
			break
		}
		off = k + 1
	}
	for _, pre := range [...]string{"www.", "mailto:"} {
		off := 0
		for {
			k := indexFold(seg[off:], pre)
			if k < 0 {
				break
			}
			k += off
			if k == 0 || !isASCIIAlnum(seg[k-1]) {
				if best < 0 || from+k < best {
					best = from + k
				}
				break
			}
			off = k + 1
		}
	}
	return best
}

func isSchemeChar(c byte) bool { return isASCIIAlnum(c) || c == '+' || c == '.' || c == '-' }

// indexFold is strings.Index, ASCII case-insensitive; pre is lower case.
func indexFold(s, pre string) int {
	for i := 0; i+len(pre) <= len(s); i++ {
		c := s[i] | 0x20
		if c != pre[0] {
			continue
		}
		ok := true
		for k := 1; k < len(pre); k++ {
			d := s[i+k]
			if isASCIILetter(d) {
				d |= 0x20
			}
			if d != pre[k] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// firstURLStart returns the first URL start wholly inside one of the
// pieces of text[from:to] that lie outside spans, or -1.
func firstURLStart(text string, from, to int, spans []bspan) int {
	pos := from
	for _, s := range spans {
		if s.end <= from {
			continue
		}
		if s.start >= to {
			break
		}
		if s.start > pos {
			if u := urlStartIn(text, pos, s.start); u >= 0 {
				return u
			}
		}
		if s.end > pos {
			pos = s.end
		}
	}
	if pos < to {
		return urlStartIn(text, pos, to)
	}
	return -1
}

// urlEnd returns the end of the URL starting at st: the next whitespace,
// less trailing punctuation.
func urlEnd(s string, st int) int {
	e := st
	for e < len(s) {
		r, size := utf8.DecodeRuneInString(s[e:])
		if isSpace(r) {
			break
		}
		e += size
	}
	for e > st && (strings.IndexByte(".,;:!?)]}'\"*", s[e-1]) >= 0 || s[e-1] == '>' && strings.IndexByte(s[st:e], '<') < 0) {
		e--
	}
	return e
}

type urlSpan struct{ start, end int }

// findURLs returns every URL in s.
func findURLs(s string) []urlSpan {
	var out []urlSpan
	i := 0
	for i < len(s) {
		// Chunk: maximal run without whitespace.
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isSpace(r) {
				break
			}
			i += size
		}
		cs := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if isSpace(r) {
				break
			}
			i += size
		}
		if cs == i {
			continue
		}
		if !mayHaveURL(s[cs:i]) {
			continue
		}
		if st := urlStartIn(s, cs, i); st >= 0 {
			if e := urlEnd(s, st); e > st {
				out = append(out, urlSpan{st, e})
			}
		}
	}
	return out
}

func mayHaveURL(chunk string) bool {
	return strings.Contains(chunk, "://") || strings.IndexByte(chunk, '.') >= 0 && indexFold(chunk, "www.") >= 0 ||
		strings.IndexByte(chunk, ':') >= 0 && indexFold(chunk, "mailto:") >= 0
}

// sensitiveURL reports whether a URL carries a secret or a personal path:
// credentials, token-like query parameters, long random segments, e-mail
// addresses, user paths.
func sensitiveURL(u string) bool {
	lower := strings.ToLower(u)
	if strings.HasPrefix(lower, "mailto:") {
		return true
	}
	rest := u
	if k := strings.Index(rest, "://"); k >= 0 {
		rest = rest[k+3:]
	}
	host := rest
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	if strings.IndexByte(host, '@') >= 0 {
		return true // user:password@host
	}
	if strings.IndexByte(rest, '@') >= 0 {
		return true
	}
	pathq := rest[len(host):]
	path, query := pathq, ""
	if k := strings.IndexAny(pathq, "?#"); k >= 0 {
		path, query = pathq[:k], pathq[k+1:]
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		if seg[0] == '~' || randomLooking(seg) {
			return true
		}
	}
	lp := strings.ToLower(path)
	for _, p := range personalPaths {
		if strings.Contains(lp, p) {
			return true
		}
	}
	for _, kv := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' || r == '#' || r == '?' }) {
		k, v, _ := strings.Cut(kv, "=")
		if secretParams[strings.ToLower(k)] && v != "" {
			return true
		}
		if randomLooking(v) {
			return true
		}
	}
	return false
}

var personalPaths = []string{"/users/", "/user/", "/u/", "/home/", "/profile/", "/people/", "/in/",
	"/unsubscribe", "/reset", "/invite", "/confirm", "/verify", "/account/", "/~"}

var secretParams = map[string]bool{
	"token": true, "access_token": true, "refresh_token": true, "id_token": true, "auth": true,
	"authorization": true, "key": true, "apikey": true, "api_key": true, "sig": true,
	"signature": true, "secret": true, "password": true, "passwd": true, "pwd": true,
	"pass": true, "session": true, "sessionid": true, "session_id": true, "sid": true,
	"code": true, "otp": true, "email": true, "e-mail": true, "mail": true, "user": true,
	"username": true, "uid": true, "userid": true, "user_id": true, "reset": true,
	"invite": true, "ticket": true, "hash": true, "jwt": true, "x-amz-signature": true,
	"x-amz-credential": true, "phone": true, "name": true, "login": true,
}

// randomLooking: 16+ characters of [A-Za-z0-9_-%.=] with at least two digits
// and two letters, or 24+ such characters.
func randomLooking(s string) bool {
	if len(s) < 16 {
		return false
	}
	digits, letters := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIIDigit(c):
			digits++
		case isASCIILetter(c):
			letters++
		case c == '_' || c == '-' || c == '%' || c == '.' || c == '=':
		default:
			return false
		}
	}
	return digits >= 2 && letters >= 2 || len(s) >= 24 && letters > 0 && strings.IndexByte(s, '.') < 0
}

func detectURLs(text string, add func(start, end int, typ string, prio int)) {
	for _, u := range findURLs(text) {
		if sensitiveURL(text[u.start:u.end]) {
			add(u.start, u.end, TypeURL, prioURL)
		}
	}
}

// --- e-mail -----------------------------------------------------------------

func isLocalChar(c byte) bool {
	return isASCIIAlnum(c) || strings.IndexByte("._%+-'", c) >= 0
}

func detectEmails(text string, add func(start, end int, typ string, prio int)) {
	off := 0
	for {
		k := strings.IndexByte(text[off:], '@')
		if k < 0 {
			return
		}
		at := off + k
		off = at + 1
		st := at
		for st > 0 && isLocalChar(text[st-1]) {
			st--
		}
		for st < at && !isASCIIAlnum(text[st]) { // no leading dots or quotes
			st++
		}
		if st == at {
			continue
		}
		// Domain: labels of [A-Za-z0-9-] separated by dots; TLD of 2+ letters.
		e := at + 1
		lastDot, labelLen := -1, 0
		for e < len(text) {
			c := text[e]
			if isASCIIAlnum(c) || c == '-' {
				labelLen++
				e++
				continue
			}
			if c == '.' && labelLen > 0 && e+1 < len(text) && isASCIIAlnum(text[e+1]) {
				lastDot = e
				labelLen = 0
				e++
				continue
			}
			break
		}
		if lastDot < 0 {
			continue
		}
		tld := text[lastDot+1 : e]
		if len(tld) < 2 || !allLetters(tld) {
			continue
		}
		// An Exchange or Notes routing suffix: "jo@x.com@ENRON".
		if e+1 < len(text) && text[e] == '@' && isASCIIAlnum(text[e+1]) {
			r := e + 1
			for r < len(text) && (isASCIIAlnum(text[r]) || text[r] == '-') {
				r++
			}
			if r == len(text) || text[r] != '.' && text[r] != '@' {
				e = r
			}
		}
		add(st, e, TypeEmail, prioEmail)
		off = e
	}
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return s != ""
}

// --- IP addresses -----------------------------------------------------------

func detectIPv6(text string, add func(start, end int, typ string, prio int)) {
	off := 0
	for {
		k := strings.IndexByte(text[off:], ':')
		if k < 0 {
			return
		}
		c := off + k
		st := c
		for st > 0 && isIPv6Char(text[st-1]) {
			st--
		}
		e := c
		for e < len(text) && isIPv6Char(text[e]) {
			e++
		}
		off = e
		if e == c {
			off = c + 1
		}
		cand := text[st:e]
		if strings.Count(cand, ":") < 2 || e-st < 3 {
			continue
		}
		if st > 0 && isASCIIAlnum(text[st-1]) || e < len(text) && isASCIIAlnum(text[e]) {
			continue
		}
		// Trim a trailing '.' or ':' that ends a sentence.
		for len(cand) > 0 && (cand[len(cand)-1] == '.' || cand[len(cand)-1] == ':' && !strings.HasSuffix(cand, "::")) {
			cand = cand[:len(cand)-1]
		}
		a, err := netip.ParseAddr(cand)
		if err != nil || !a.Is6() {
			continue
		}
		if !strings.Contains(cand, "::") && strings.Count(cand, ":") < 7 && !strings.Contains(cand, ".") {
			continue
		}
		add(st, st+len(cand), TypeIP, prioIP)
	}
}

func isIPv6Char(c byte) bool {
	return isASCIIDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' || c == ':' || c == '.'
}

package redact

import (
	"regexp"
	"strings"
)

// numRun is a run of digit groups joined by single separators, as phone
// numbers, cards, SSNs, dates and dotted IPv4 addresses are written.
type numRun struct {
	start, end int
	groups     []string // digit groups
	seps       []string // separators between groups (len(groups)-1)
	plus       bool     // starts with '+'
	paren      bool     // has parentheses
	ext        bool     // ends with an extension (x123, ext. 123)
}

func (r *numRun) digits() int {
	n := 0
	for _, g := range r.groups {
		n += len(g)
	}
	return n
}

func (r *numRun) allSeps(s string) bool {
	for _, x := range r.seps {
		if x != s {
			return false
		}
	}
	return true
}

// scanNumbers calls f for every number run in text.
func scanNumbers(text string, f func(r *numRun)) {
	i := 0
	n := len(text)
	for i < n {
		c := text[i]
		startOK := isASCIIDigit(c) || (c == '+' || c == '(') && i+1 < n && isASCIIDigit(text[i+1]) ||
			c == '(' && i+2 < n && text[i+1] == '+' && isASCIIDigit(text[i+2])
		if !startOK || i > 0 && (isASCIIAlnum(text[i-1]) || text[i-1] == '_' || (text[i-1] == '.' || text[i-1] == ',') && i > 1 && isASCIIDigit(text[i-2])) {
			if !isASCIIAlnum(c) {
				i++
				continue
			}
			// Skip the whole alnum word.
			for i < n && isASCIIAlnum(text[i]) {
				i++
			}
			continue
		}
		r := numRun{start: i}
		j := i
		if c == '+' {
			r.plus = true
			j++
		} else if c == '(' {
			r.paren = true
			j++
			if text[j] == '+' {
				r.plus = true
				j++
			}
		}
		for {
			gs := j
			for j < n && isASCIIDigit(text[j]) {
				j++
			}
			r.groups = append(r.groups, text[gs:j])
			// Separator: up to two characters of " -./()", at most one space,
			// followed by a digit.
			k := j
			spaces := 0
			for k < n && k-j < 2 && strings.IndexByte(" -./()", text[k]) >= 0 {
				if text[k] == ' ' {
					spaces++
				}
				k++
			}
			if k < n && (text[k] == '\n' || text[k] == '\r') && (k > j && text[k-1] == '-' || r.plus && r.digits() < 7) {
				// A number broken over a line: "555-123-\n4567", "+44 20\n7946 0958".
				for k < n && (text[k] == '\n' || text[k] == '\r' || text[k] == ' ') && k-j < 6 {
					k++
				}
				spaces = 0
			}
			if k == j || spaces > 1 || k >= n || !isASCIIDigit(text[k]) {
				break
			}
			sep := text[j:k]
			if strings.ContainsAny(sep, "()") {
				r.paren = true
			}
			r.seps = append(r.seps, sep)
			j = k
		}
		r.end = j
		// Extension: x123, ext. 123, ext 123.
		if e := extensionEnd(text, j); e > j {
			r.end = e
			r.ext = true
		}
		if r.paren && r.start < n && text[r.start] == '(' && strings.IndexByte(text[r.start:r.end], ')') < 0 {
			// "(555 123 4567" - drop the unmatched parenthesis.
			r.start++
			r.paren = strings.ContainsAny(text[r.start:r.end], "()")
		}
		if r.end < n && isASCIILetter(text[r.end]) && !r.ext {
			// Glued to a word ("12abc"): not a number run.
			i = r.end
			for i < n && isASCIIAlnum(text[i]) {
				i++
			}
			continue
		}
		f(&r)
		if r.end <= i {
			i++
		} else {
			i = r.end
		}
	}
}

func extensionEnd(text string, j int) int {
	k := j
	switch {
	case k < len(text) && (text[k] == 'x' || text[k] == 'X'):
		k++
	case k+1 < len(text) && text[k] == ' ' && (text[k+1] == 'x' || text[k+1] == 'X'):
		k += 2
	default:
		// " ext. 12", ", ext 12", " extension 12", ", extension: 12".
		w := strings.ToLower(text[k:min(k+13, len(text))])
		w = strings.TrimPrefix(w, ",")
		if !strings.HasPrefix(w, " ext") {
			return j
		}
		k += len(text[k:min(k+13, len(text))]) - len(w) + 4
		if strings.HasPrefix(w, " extension") {
			k += len("ension")
		}
		if k < len(text) && text[k] == ':' {
			k++
		}
		if k < len(text) && text[k] == '.' {
			k++
		}
		if k < len(text) && text[k] == ' ' {
			k++
		}
	}
	ds := k
	for k < len(text) && isASCIIDigit(text[k]) && k-ds < 6 {
		k++
	}
	if k == ds || k < len(text) && isASCIIAlnum(text[k]) {
		return j
	}
	return k
}

// detectNumbers classifies number runs into IPv4, dates of birth, SSNs,
// cards and phone numbers.
func detectNumbers(text, lower string, add func(start, end int, typ string, prio int)) {
	lowerCtx := func(start, back int) string { return lower[max(0, start-back):start] }
	scanNumbers(text, func(r *numRun) {
		// A date at the start of the run ("2007-03-23 18") is a date, not a
		// phone number; the scan resumes after it.
		if len(r.groups) >= 3 && !r.plus && !r.paren && r.seps[0] == r.seps[1] && (len(r.groups) == 3 || r.seps[2] != r.seps[0]) && strings.Contains("/-.", r.seps[0]) && len(r.seps[0]) == 1 &&
			isDate(r.groups[0], r.groups[1], r.groups[2]) {
			e := r.start + len(r.groups[0]) + len(r.groups[1]) + len(r.groups[2]) + 2
			if hasAny(lowerCtx(r.start, 48), dobWords) {
				add(r.start, e, TypeDOB, prioDOB)
			}
			r.end = e
			return
		}
		nd := r.digits()
		ctx := lowerCtx(r.start, 32) + " " + lower[r.end:min(len(lower), r.end+12)]
		switch {
		case len(r.groups) == 4 && r.allSeps(".") && !r.plus && !r.paren && isIPv4(r.groups):
			add(r.start, r.end, TypeIP, prioIP)
		case len(r.groups) == 3 && (r.allSeps("-") || r.allSeps(" ")) && len(r.groups[0]) == 3 && len(r.groups[1]) == 2 && len(r.groups[2]) == 4 && !r.plus && !r.paren:
			if validSSN(r.groups[0], r.groups[1], r.groups[2]) {
				add(r.start, r.end, TypeID, prioID)
			}
		case len(r.groups) == 1 && nd == 9 && hasAny(ctx, ssnWords):
			g := r.groups[0]
			if validSSN(g[:3], g[3:5], g[5:]) {
				add(r.start, r.end, TypeID, prioID)
			}
		case isCard(r):
			add(r.start, r.end, TypeCard, prioCard)
		case isPhone(r, nd, ctx):
			add(r.start, r.end, TypePhone, prioPhone)
		case len(r.groups) == 1 && nd >= 6 && hasAny(ctx, idWords):
			add(r.start, r.end, TypeID, prioID)
		}
	})
}

// vanityRe matches North American toll-free numbers spelt with letters:
// 1-800-FLOWERS, +1 (888) GO-PLANE, 800-CALL-NOW.
var vanityRe = regexp.MustCompile(`(?:\+?1[-. ]?)?\(?8(?:00|88|77|66|55|44|33)\)?[-. ][0-9A-Z]{2,4}(?:[-. ]?[0-9A-Z]{2,7})?\b`)

// detectVanity finds toll-free numbers written with letters; at least three
// letters must be in the part after the area code.
func detectVanity(text string, add func(start, end int, typ string, prio int)) {
	for _, p := range [...]string{"800", "888", "877", "866", "855", "844", "833"} {
		for off := 0; ; {
			q := strings.Index(text[off:], p)
			if q < 0 {
				break
			}
			q += off
			off = q + len(p)
			// Only a letter within the next few bytes makes it worth a look.
			hasUpper := false
			for _, c := range []byte(text[off:min(len(text), off+4)]) {
				hasUpper = hasUpper || c >= 'A' && c <= 'Z'
			}
			if !hasUpper {
				continue
			}
			ws := max(0, q-5)
			w := text[ws:min(len(text), q+20)]
			for _, m := range vanityRe.FindAllStringIndex(w, -1) {
				a, b := ws+m[0], ws+m[1]
				if a > q || b <= q || a > 0 && (isASCIIAlnum(text[a-1]) || text[a-1] == '+') {
					continue
				}
				letters := 0
				for _, c := range []byte(text[a:b]) {
					if c >= 'A' && c <= 'Z' {
						letters++
					}
				}
				if letters >= 3 {
					add(a, b, TypePhone, prioPhone)
				}
			}
		}
	}
}

var (
	dobWords   = []string{"born", "dob", "d.o.b", "birth", "b-day", "bday"}
	ssnWords   = []string{"ssn", "social security", "social-security", "ss#", "ss #"}
	phoneWords = []string{"phone", "tel", "mobile", "cell", "fax", "call", "ph.", "mob", "whatsapp", "sms", "text me", "number", "office", "direct", "dial", "#",
		"reach", "contact", "ring", "text", "txt", "landline", "hotline", "helpline", "switchboard", "voicemail"}
	idWords = []string{"passport", "licence", "license", "id number", "id no", "id#", "id #", "identity", "national id", "nin", "tax id", "tin", "account", "acct", "member id", "policy", "customer id", "employee id"}
)

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func isIPv4(g []string) bool {
	for _, x := range g {
		if len(x) == 0 || len(x) > 3 || atoi(x) > 255 || len(x) > 1 && x[0] == '0' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// isDate reports whether three digit groups are a plausible calendar date
// (y-m-d, m/d/y or d.m.y).
func isDate(a, b, c string) bool {
	md := func(m, d string) bool {
		mm, dd := atoi(m), atoi(d)
		return len(m) <= 2 && len(d) <= 2 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31
	}
	switch {
	case len(a) == 4:
		return md(b, c)
	case len(c) == 4 || len(c) == 2:
		return md(a, b) || md(b, a)
	}
	return false
}

// validSSN applies the SSA's rules: area not 000, 666 or 9xx; group not 00;
// serial not 0000.
func validSSN(area, group, serial string) bool {
	if area == "000" || area == "666" || area[0] == '9' {
		return false
	}
	return group != "00" && serial != "0000"
}

// isCard: 13-19 digits, written ungrouped or in the groupings issuers print
// (4-4-4-4(-3), 4-6-5, 4-6-4), Luhn-valid, not one repeated digit.
func isCard(r *numRun) bool {
	nd := r.digits()
	if nd < 13 || nd > 19 || r.plus || r.paren || r.ext {
		return false
	}
	if len(r.groups) > 1 {
		if !(r.allSeps(" ") || r.allSeps("-")) {
			return false
		}
		ok := true
		for i, g := range r.groups {
			if i < len(r.groups)-1 && len(g) != 4 || i == len(r.groups)-1 && (len(g) < 1 || len(g) > 4) {
				ok = false
			}
		}
		amex := len(r.groups) == 3 && len(r.groups[0]) == 4 && len(r.groups[1]) == 6 && (len(r.groups[2]) == 5 || len(r.groups[2]) == 4)
		if !ok && !amex {
			return false
		}
	}
	ds := strings.Join(r.groups, "")
	if strings.Count(ds, ds[:1]) == len(ds) {
		return false
	}
	return luhn(ds)
}

// luhn reports whether a digit string passes the Luhn check.
func luhn(ds string) bool {
	sum := 0
	dbl := false
	for i := len(ds) - 1; i >= 0; i-- {
		d := int(ds[i] - '0')
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return sum%10 == 0
}

// bareDialable reports whether an ungrouped run of digits has the shape of
// a dialable number on its own: a North American NXX-NXX-XXXX number (area
// code and exchange starting 2-9, so Unix timestamps and counters starting
// with 1 are not), the same after a country code 1, or a national number
// with a trunk 0 followed by a non-zero digit.
func bareDialable(g string) bool {
	nanp := func(s string) bool { return len(s) == 10 && s[0] >= '2' && s[3] >= '2' }
	switch {
	case nanp(g):
		return true
	case len(g) == 11 && g[0] == '1':
		return nanp(g[1:])
	case (len(g) == 10 || len(g) == 11) && g[0] == '0' && g[1] != '0':
		return true
	}
	return false
}

// isPhone decides whether a number run is a phone number.
func isPhone(r *numRun, nd int, ctx string) bool {
	ctxPhone := hasAny(ctx, phoneWords)
	if nd < 7 && !(ctxPhone && nd >= 6 && len(r.groups) >= 3) || nd > 15 {
		return false
	}
	if r.plus {
		return nd >= 8
	}
	if len(r.groups) == 1 {
		return nd >= 10 && nd <= 12 && (ctxPhone || bareDialable(r.groups[0]))
	}
	slash, dot := false, true
	for _, s := range r.seps {
		if strings.Contains(s, "/") {
			slash = true
		}
		if s != "." {
			dot = false
		}
	}
	if slash && !ctxPhone && len(r.groups) <= 3 {
		return false
	}
	if dot && len(r.groups) == 2 {
		return false // 1234.5678: a decimal
	}
	for i, g := range r.groups {
		if i > 0 && len(g) < 2 {
			return false
		}
	}
	// Thousands: 1 000 000, 12.345.678.
	if len(r.groups) >= 3 && len(r.groups[0]) <= 3 && r.groups[0][0] != '0' && !r.paren && !ctxPhone && !r.allSeps("-") {
		all3 := true
		for _, g := range r.groups[1:] {
			if len(g) != 3 {
				all3 = false
			}
		}
		if all3 {
			return false
		}
	}
	if len(r.groups) == 2 {
		if len(r.groups[1]) < 3 {
			return false
		}
		// "555-1234": a North American local number (exchange 2-9).
		year := func(g string) bool { return len(g) == 4 && (g[:2] == "19" || g[:2] == "20") }
		if year(r.groups[0]) && year(r.groups[1]) && !ctxPhone && !r.paren {
			return false // 1999-2001: a range of years
		}
		local := nd == 7 && len(r.groups[0]) == 3 && r.groups[0][0] >= '2' && (r.seps[0] == "-" || r.seps[0] == ".")
		return r.paren || ctxPhone || nd >= 8 || local
	}
	return true
}

// --- IBAN -------------------------------------------------------------------

// ibanLengths are the IBAN lengths of common countries; other countries are
// accepted with any length from 15 to 34.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
	"EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
	"IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
	"NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
}

func detectIBANs(text string, add func(start, end int, typ string, prio int)) {
	n := len(text)
	for i := 0; i+4 <= n; i++ {
		if !isASCIILetter(text[i]) || !isASCIILetter(text[i+1]) || !isASCIIDigit(text[i+2]) || !isASCIIDigit(text[i+3]) {
			continue
		}
		if i > 0 && isASCIIAlnum(text[i-1]) {
			continue
		}
		// Collect up to 34 alphanumerics, allowing single spaces between groups.
		var buf [34]byte
		nb := 0
		ends := [35]int{} // ends[k] = byte end after k alnum chars, at group ends only
		j := i
		for j < n && nb < 34 {
			c := text[j]
			if isASCIIAlnum(c) {
				buf[nb] = upper(c)
				nb++
				j++
				if j >= n || !isASCIIAlnum(text[j]) {
					ends[nb] = j
				}
				continue
			}
			if c == ' ' && j+1 < n && isASCIIAlnum(text[j+1]) && nb >= 4 {
				j++
				continue
			}
			break
		}
		if j < n && isASCIIAlnum(text[j]) {
			continue // longer than an IBAN
		}
		cc := string(buf[:2])
		for l := nb; l >= 15; l-- {
			if ends[l] == 0 {
				continue
			}
			if want, ok := ibanLengths[cc]; ok && want != l {
				continue
			}
			if ibanValid(buf[:l]) {
				add(i, ends[l], TypeIBAN, prioIBAN)
				i = ends[l] - 1
				break
			}
		}
	}
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}

// ibanValid checks the ISO 13616 mod-97 checksum of an upper-case IBAN.
func ibanValid(b []byte) bool {
	if len(b) < 15 || len(b) > 34 {
		return false
	}
	rem := 0
	feed := func(c byte) bool {
		switch {
		case isASCIIDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
		return true
	}
	for _, c := range b[4:] {
		if !feed(c) {
			return false
		}
	}
	for _, c := range b[:4] {
		if !feed(c) {
			return false
		}
	}
	return rem == 1
}

// --- UK National Insurance number ---------------------------------------------

// detectNINO finds UK National Insurance numbers (AB 12 34 56 C), with the
// published prefix rules.
func detectNINO(text string, add func(start, end int, typ string, prio int)) {
	n := len(text)
	for i := 0; i+9 <= n; i++ {
		if i > 0 && isASCIIAlnum(text[i-1]) {
			continue
		}
		a, b := upper(text[i]), upper(text[i+1])
		if !isASCIILetter(a) || !isASCIILetter(b) {
			continue
		}
		if strings.IndexByte("DFIQUV", a) >= 0 || strings.IndexByte("DFIQUVO", b) >= 0 {
			continue
		}
		switch string([]byte{a, b}) {
		case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ":
			continue
		}
		j := i + 2
		digits := 0
		for j < n && digits < 6 {
			if text[j] == ' ' && digits%2 == 0 && j+1 < n && isASCIIDigit(text[j+1]) {
				j++
				continue
			}
			if !isASCIIDigit(text[j]) {
				break
			}
			digits++
			j++
		}
		if digits != 6 {
			continue
		}
		if j < n && text[j] == ' ' {
			j++
		}
		if j >= n || strings.IndexByte("ABCD", upper(text[j])) < 0 || j+1 < n && isASCIIAlnum(text[j+1]) {
			continue
		}
		add(i, j+1, TypeID, prioID)
	}
}

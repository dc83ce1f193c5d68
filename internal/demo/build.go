package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"sort"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // the demo's senders live in named zones; make them load everywhere
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// client is the mail program a person writes with; it decides how replies
// quote, whether an HTML alternative is sent and how text is encoded.
type client int

const (
	plainClient   client = iota // text/plain only, bottom-posting, "On DATE, NAME wrote:"
	gmailClient                 // multipart/alternative, top-posting, Gmail attribution
	outlookClient               // multipart/alternative, top-posting, "-----Original Message-----"
	appleClient                 // text/plain, top-posting, "On DATE, at TIME, NAME wrote:"
)

// person is a correspondent of the demo user.
type person struct {
	name, email string
	zone        string // IANA zone
	client      client
	sig         string // appended below the body ("" for none)
	charset     string // default body charset; "" means utf-8
	msgidDomain string // right-hand side of the Message-IDs their client makes
}

func (p *person) addr() string { return formatAddr(p.name, p.email, p.charset) }

// first returns the person's given name.
func (p *person) first() string { return strings.Fields(p.name)[0] }

// when says when a message was sent, relative to now or to another message.
type when struct {
	kind  byte   // 'a' ago, 'b' business days back, 'c' calendar days back, 'r' after another message
	n     int    // days back
	clock string // "15:04" in the sender's zone
	d     time.Duration
	ref   string // key of the earlier message for 'r'
}

// ago is a time d before now.
func ago(d string) when { return when{kind: 'a', d: mustDuration(d)} }

// bd is n business days (Mon-Fri in the user's zone) before today, at clock
// in the sender's zone.
func bd(n int, clock string) when { return when{kind: 'b', n: n, clock: clock} }

// cd is n calendar days before today, at clock in the sender's zone.
func cd(n int, clock string) when { return when{kind: 'c', n: n, clock: clock} }

// after is d after the message keyed ref (clamped so it is never after now).
func after(ref, d string) when { return when{kind: 'r', ref: ref, d: mustDuration(d)} }

func mustDuration(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic("demo: bad duration " + s)
	}
	return d
}

// attachment is a file part of a message.
type attachment struct {
	name, ctype string
	data        []byte
}

// spec describes one message. Texts are text/template sources whose
// functions resolve relative dates against the message's own Date header
// (see funcs).
type spec struct {
	key        string
	kind       string
	needs      bool
	folder     string // default INBOX
	flags      string
	at         when
	from       *person // a person, or
	fromRaw    string  // a ready From header value (services, lists, spam)
	to, cc     []string
	replyTo    string
	subject    string // default "Re: " + parent's subject
	parent     string // key of the message this one answers
	quote      bool   // quote the parent's text below/above the reply
	hdrs       []string
	text       string // text/plain body
	html       string // text/html body; alone when text is ""
	attach     []attachment
	ical       string // an iTIP text/calendar part (CRLF, unfolded lines folded)
	icalMethod string
	icsFile    bool   // also attach the invitation as invite.ics
	charset    string // body charset, default the person's or utf-8
	cte        string // force a transfer encoding for the text parts
	crlf       bool   // CRLF line endings for the whole message
	noSig      bool
	msgidHost  string // override the Message-ID domain
	noMsgID    bool
	raw        func(r *rendered) []byte // build the message by hand
	malformed  string
	bodyTrail  string // appended after the rendered body and signature (lists' footers)
	received   string // host name in the Received header, default derived from From
	authFail   bool
}

// rendered is a spec resolved against now.
type rendered struct {
	s       *spec
	date    time.Time // in the sender's zone
	msgid   string    // without brackets
	subject string
	text    string // the plain text as sent (after templates, signature, quote)
	refs    []string
	from    string
	to, cc  []string
	b       *builder
}

type builder struct {
	now    time.Time
	anchor map[string]time.Time
	user   *time.Location
	seen   map[int64]bool
	byK    map[string]*rendered
	spec   map[string]*spec
}

func newBuilder(now time.Time) *builder {
	user := mustZone(UserZone)
	return &builder{now: now, anchor: anchors(now, user), user: user, seen: map[int64]bool{},
		byK: map[string]*rendered{}, spec: map[string]*spec{}}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("demo: zone " + name + ": " + err.Error())
	}
	return loc
}

// build resolves dates, renders every message in date order (so a reply
// can quote what it answers) and returns them oldest first.
func (b *builder) build(specs []*spec) []Message {
	for _, s := range specs {
		if b.spec[s.key] != nil {
			panic("demo: duplicate key " + s.key)
		}
		b.spec[s.key] = s
	}
	dates := map[string]time.Time{}
	var resolve func(s *spec, depth int) time.Time
	resolve = func(s *spec, depth int) time.Time {
		if t, ok := dates[s.key]; ok {
			return t
		}
		if depth > 20 {
			panic("demo: date cycle at " + s.key)
		}
		t := b.instant(s, func(ref string) time.Time {
			r := b.spec[ref]
			if r == nil {
				panic("demo: unknown ref " + ref + " in " + s.key)
			}
			return resolve(r, depth+1)
		})
		dates[s.key] = t
		return t
	}
	for _, s := range specs {
		resolve(s, 0)
	}
	order := append([]*spec(nil), specs...)
	sort.SliceStable(order, func(i, j int) bool {
		ti, tj := dates[order[i].key], dates[order[j].key]
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return order[i].key < order[j].key
	})
	out := make([]Message, 0, len(order))
	for _, s := range order {
		t := dates[s.key]
		for b.seen[t.Unix()] { // distinct Date headers
			t = t.Add(-time.Second)
		}
		b.seen[t.Unix()] = true
		r := b.render(s, t)
		folder := s.folder
		if folder == "" {
			folder = "INBOX"
		}
		out = append(out, Message{Folder: folder, Flags: s.flags, Raw: r, Kind: s.kind,
			NeedsReply: s.needs, Malformed: s.malformed, Key: s.key})
	}
	return out
}

// instant computes the send time of s in its sender's zone.
func (b *builder) instant(s *spec, ref func(string) time.Time) time.Time {
	loc := b.user
	if s.from != nil {
		loc = mustZone(s.from.zone)
	}
	sec := time.Duration(hashInt(s.key)%60) * time.Second
	var t time.Time
	switch s.at.kind {
	case 'a':
		t = b.now.Add(-s.at.d - sec)
	case 'r':
		t = ref(s.at.ref).Add(s.at.d + sec)
		if lim := b.now.Add(-time.Minute - sec); t.After(lim) {
			t = lim
		}
	case 'b', 'c':
		day := b.now.In(b.user)
		for n := s.at.n; n > 0; {
			day = day.AddDate(0, 0, -1)
			if s.at.kind == 'c' || (day.Weekday() != time.Saturday && day.Weekday() != time.Sunday) {
				n--
			}
		}
		clock, err := time.Parse("15:04", s.at.clock)
		if err != nil {
			panic("demo: bad clock in " + s.key)
		}
		t = time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc).Add(sec)
		if lim := b.now.Add(-time.Minute - sec); t.After(lim) {
			t = lim
		}
	default:
		panic("demo: no time for " + s.key)
	}
	return t.In(loc)
}

// funcs are the template functions of a message sent at d.
//
//	wd N   weekday name of the N-th business day after d ("Friday")
//	day N  weekday name of d plus N calendar days
//	ord N  day of month of d plus N days as an ordinal ("3rd")
//	dm N   "3 June" for d plus N days; md N: "June 3"
//	mon N  month name N months after d
//	time   d as "15:04"
//	at NAME LAYOUT  an anchor date of the demo week (see anchors) in LAYOUT,
//	               or as an ordinal day of month when LAYOUT is "ord"
func funcs(d time.Time, anchor map[string]time.Time) template.FuncMap {
	plus := func(n int) time.Time { return d.AddDate(0, 0, n) }
	return template.FuncMap{
		"at": func(name, layout string) string {
			t, ok := anchor[name]
			if !ok {
				panic("demo: no anchor " + name)
			}
			if layout == "ord" {
				return ordinal(t.Day())
			}
			return t.Format(layout)
		},
		"wd": func(n int) string {
			t := d
			for n > 0 {
				t = t.AddDate(0, 0, 1)
				if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
					n--
				}
			}
			return t.Weekday().String()
		},
		"day": func(n int) string { return plus(n).Weekday().String() },
		"ord": func(n int) string { return ordinal(plus(n).Day()) },
		"dm":  func(n int) string { return plus(n).Format("2 January") },
		"md":  func(n int) string { return plus(n).Format("January 2") },
		"mon": func(n int) string {
			return time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, d.Location()).Month().String()
		},
		"year":  func() int { return d.Year() },
		"stamp": func() string { return d.UTC().Format("20060102T150405Z") },
		"time":  func() string { return d.Format("15:04") },
	}
}

func ordinal(n int) string {
	suf := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suf = "st"
	case n%10 == 2:
		suf = "nd"
	case n%10 == 3:
		suf = "rd"
	}
	return fmt.Sprintf("%d%s", n, suf)
}

// expand runs a body template against the message date.
func (b *builder) expand(key, src string, d time.Time) string {
	if !strings.Contains(src, "{{") {
		return src
	}
	t, err := template.New(key).Funcs(funcs(d, b.anchor)).Parse(src)
	if err != nil {
		panic("demo: template " + key + ": " + err.Error())
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, nil); err != nil {
		panic("demo: template " + key + ": " + err.Error())
	}
	return buf.String()
}

// render builds the raw message of s sent at t.
func (b *builder) render(s *spec, t time.Time) []byte {
	r := &rendered{s: s, date: t, b: b}
	b.byK[s.key] = r
	var parent *rendered
	if s.parent != "" {
		parent = b.byK[s.parent]
		if parent == nil {
			panic("demo: " + s.key + " rendered before its parent " + s.parent)
		}
	}
	r.msgid = b.messageID(s)
	r.subject = b.expand(s.key+".subject", s.subject, t)
	if r.subject == "" && parent != nil {
		r.subject = "Re: " + stripRe(parent.subject)
	}
	switch {
	case s.from != nil:
		r.from = s.from.addr()
	case s.fromRaw != "":
		r.from = s.fromRaw
	}
	r.to, r.cc = s.to, s.cc
	if r.to == nil && parent != nil {
		if parent.s.from == nil && parent.s.fromRaw == "" {
			r.to = []string{userAddr()}
		} else {
			r.to = []string{parent.from}
		}
		if s.from == user && isUser(r.to[0]) { // the user following up on their own message
			r.to = parent.to
			r.cc = parent.cc
		}
	}
	if r.to == nil {
		r.to = []string{userAddr()}
	}
	if parent != nil {
		r.refs = append(append([]string(nil), parent.refs...), parent.msgid)
		if len(r.refs) > 8 { // clients trim long chains, keeping the root
			r.refs = append(r.refs[:1], r.refs[len(r.refs)-7:]...)
		}
	}

	text := strings.TrimRight(b.expand(s.key+".text", s.text, t), "\n")
	if text != "" {
		if s.from != nil && s.from.sig != "" && !s.noSig {
			text += "\n\n" + s.from.sig
		}
		if s.quote && parent != nil {
			text = quoteReply(s.from, text, parent)
		}
		text += s.bodyTrail
		text += "\n"
	}
	r.text = text
	if s.raw != nil {
		return fixEOL(s.raw(r), s.crlf)
	}

	var m bytes.Buffer
	b.writeTrace(&m, r)
	r.writeHeaders(&m)
	r.writeBody(&m)
	return fixEOL(m.Bytes(), s.crlf)
}

func fixEOL(raw []byte, crlf bool) []byte {
	if !crlf {
		return raw
	}
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
}

func userAddr() string { return UserName + " <" + UserEmail + ">" }

func isUser(addr string) bool { return strings.Contains(addr, UserEmail) }

func stripRe(s string) string {
	for {
		l := strings.ToLower(s)
		switch {
		case strings.HasPrefix(l, "re: "), strings.HasPrefix(l, "aw: "), strings.HasPrefix(l, "fw: "):
			s = s[4:]
		case strings.HasPrefix(l, "fwd: "):
			s = s[5:]
		default:
			return s
		}
	}
}

// messageID makes a stable Message-ID (without brackets) that does not
// depend on now, in the style of the sender's mail program.
func (b *builder) messageID(s *spec) string {
	h := sha256.Sum256([]byte("pam-demo/" + s.key))
	host := s.msgidHost
	if host == "" && s.from != nil {
		host = s.from.msgidDomain
	}
	if host == "" {
		host = "mail." + domainOf(s.fromRaw)
		if s.from == nil && s.fromRaw == "" {
			host = "example.org"
		}
	}
	if s.from != nil {
		switch s.from.client {
		case gmailClient:
			return "CA" + strings.TrimRight(base64.URLEncoding.EncodeToString(h[:27]), "=") + "@" + host
		case outlookClient:
			return strings.ToUpper(hex.EncodeToString(h[:16])) + "@" + host
		case appleClient:
			x := strings.ToUpper(hex.EncodeToString(h[:16]))
			return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32] + "@" + host
		}
		return hex.EncodeToString(h[:4]) + "-" + hex.EncodeToString(h[4:10]) + "@" + host
	}
	return fmt.Sprintf("%d.%s@%s", 100000+hashInt(s.key)%900000, hex.EncodeToString(h[:10]), host)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(emailOf(addr), '@'); i >= 0 {
		return emailOf(addr)[i+1:]
	}
	return "example.net"
}

// emailOf returns the bare address of a formatted mailbox ("" if none).
func emailOf(addr string) string {
	if i := strings.LastIndexByte(addr, '<'); i >= 0 {
		if j := strings.IndexByte(addr[i:], '>'); j > 0 {
			return addr[i+1 : i+j]
		}
	}
	if strings.Contains(addr, "@") && !strings.ContainsAny(addr, " <>") {
		return addr
	}
	return ""
}

// writeTrace writes the Received and Authentication-Results headers that
// the user's server adds to incoming mail.
func (b *builder) writeTrace(w *bytes.Buffer, r *rendered) {
	s := r.s
	if s.folder == "Sent" {
		return
	}
	host := s.received
	if host == "" {
		host = "mail." + domainOf(r.from)
	}
	if r.from == "" {
		host = "unknown"
	}
	h := hashInt(s.key)
	ip := fmt.Sprintf("%s.%d", []string{"192.0.2", "198.51.100", "203.0.113"}[h%3], 1+h%250)
	recv := r.date.Add(time.Duration(2+h%40) * time.Second).In(b.user)
	writeHeader(w, "Return-Path", "<"+bounceAddr(r)+">")
	writeHeader(w, "Received", fmt.Sprintf("from %s (%s [%s]) by mx1.example.org (Postfix) with ESMTPS id %s for <%s>; %s",
		host, host, ip, strings.ToUpper(shortHash(s.key, 10)), UserEmail,
		recv.Format(time.RFC1123Z)))
	dom := domainOf(r.from)
	if s.authFail {
		writeHeader(w, "Authentication-Results", fmt.Sprintf("mx1.example.org; dkim=none; spf=softfail smtp.mailfrom=%s; dmarc=fail header.from=%s", dom, dom))
	} else if r.from != "" {
		writeHeader(w, "Authentication-Results", fmt.Sprintf("mx1.example.org; dkim=pass header.d=%s; spf=pass smtp.mailfrom=%s; dmarc=pass header.from=%s", dom, dom, dom))
	}
}

func bounceAddr(r *rendered) string {
	a := emailOf(r.from)
	if a != "" && (r.s.kind == KindNewsletter || r.s.kind == KindPromotion || r.s.kind == KindForum) {
		return "bounces+" + shortHash(r.s.key, 8) + "@" + domainOf(a)
	}
	return a
}

func (r *rendered) writeHeaders(w *bytes.Buffer) {
	s := r.s
	writeHeader(w, "Date", r.date.Format(time.RFC1123Z))
	if r.from != "" {
		writeHeader(w, "From", r.from)
	}
	writeHeader(w, "To", strings.Join(r.to, ", "))
	if len(r.cc) > 0 {
		writeHeader(w, "Cc", strings.Join(r.cc, ", "))
	}
	if s.replyTo != "" {
		writeHeader(w, "Reply-To", s.replyTo)
	}
	writeHeader(w, "Subject", encodeHeader(r.subject, r.charset()))
	if !s.noMsgID {
		writeHeader(w, "Message-ID", "<"+r.msgid+">")
	}
	if len(r.refs) > 0 {
		writeHeader(w, "In-Reply-To", "<"+r.refs[len(r.refs)-1]+">")
		writeHeader(w, "References", "<"+strings.Join(r.refs, "> <")+">")
	}
	for _, h := range s.hdrs {
		name, value, ok := strings.Cut(h, ": ")
		if !ok {
			panic("demo: bad header in " + s.key)
		}
		writeHeader(w, name, r.b.expand(s.key+".hdr", value, r.date))
	}
	if s.from != nil {
		switch s.from.client {
		case outlookClient:
			writeHeader(w, "X-Mailer", "Microsoft Outlook 16.0")
		case appleClient:
			writeHeader(w, "X-Mailer", "iPhone Mail (21F90)")
		case plainClient:
			writeHeader(w, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0")
		}
	}
	writeHeader(w, "MIME-Version", "1.0")
}

func (r *rendered) charset() string {
	if r.s.charset != "" {
		return r.s.charset
	}
	if r.s.from != nil && r.s.from.charset != "" {
		return r.s.from.charset
	}
	return "utf-8"
}

// writeBody writes the MIME structure: text, optional HTML alternative,
// optional iTIP part, optional attachments.
func (r *rendered) writeBody(w *bytes.Buffer) {
	s := r.s
	htmlSrc := r.b.expand(s.key+".html", s.html, r.date)
	if htmlSrc == "" && s.from != nil && (s.from.client == gmailClient || s.from.client == outlookClient) && r.text != "" {
		htmlSrc = textToHTML(r.text, s.from.client)
	}
	var alts []part
	if r.text != "" {
		alts = append(alts, textPart("text/plain", r.text, r.charset(), s.cte, s.from == nil || s.from.client != plainClient))
	}
	if htmlSrc != "" {
		cte := s.cte
		if cte == "" && s.kind != KindPerson {
			cte = "quoted-printable"
		}
		alts = append(alts, textPart("text/html", htmlSrc, r.charset(), cte, false))
	}
	if s.ical != "" {
		cal := fold75(strings.ReplaceAll(strings.TrimSpace(r.b.expand(s.key+".ical", s.ical, r.date)), "\n", "\r\n")) + "\r\n"
		alts = append(alts, part{header: fmt.Sprintf("Content-Type: text/calendar; charset=\"utf-8\"; method=%s\nContent-Transfer-Encoding: 7bit", s.icalMethod), body: cal})
	}
	body := alts[0]
	if len(alts) > 1 {
		body = multipart("alternative", boundary(s.key, "alt", r.s.from), alts)
	}
	atts := s.attach
	if s.icsFile && s.ical != "" {
		cal := []byte(alts[len(alts)-1].body)
		atts = append([]attachment{{name: "invite.ics", ctype: "application/ics", data: cal}}, atts...)
	}
	if len(atts) > 0 {
		parts := []part{body}
		for _, a := range atts {
			parts = append(parts, attachmentPart(a))
		}
		body = multipart("mixed", boundary(s.key, "mix", r.s.from), parts)
	}
	w.WriteString(body.header + "\n\n" + body.body)
}

// part is a MIME entity: its header lines (without the final blank line)
// and its encoded body.
type part struct{ header, body string }

func multipart(sub, bound string, parts []part) part {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("--" + bound + "\n" + p.header + "\n\n" + strings.TrimSuffix(p.body, "\n") + "\n")
	}
	b.WriteString("--" + bound + "--\n")
	return part{header: fmt.Sprintf("Content-Type: multipart/%s; boundary=\"%s\"", sub, bound), body: b.String()}
}

func boundary(key, what string, p *person) string {
	h := shortHash(key+what, 28)
	if p != nil {
		switch p.client {
		case gmailClient:
			return "0000000000" + h[:18]
		case outlookClient:
			return "_000_" + strings.ToUpper(h[:24]) + "_"
		case appleClient:
			return "Apple-Mail=_" + strings.ToUpper(h[:8]) + "-" + strings.ToUpper(h[8:12])
		}
	}
	return "----=_Part_" + h[:6] + "_" + h[6:16] + "." + h[16:26]
}

// textPart encodes text in charset with a suitable transfer encoding.
func textPart(ctype, text, charset, cte string, flowedOK bool) part {
	flowed := ctype == "text/plain" && !flowedOK && !strings.EqualFold(charset, "iso-2022-jp")
	if flowed {
		text = wrapFlowed(text, 72)
	}
	data := encodeCharset(text, charset)
	if cte == "" {
		switch {
		case isASCII(data) && maxLine(data) <= 998:
			cte = "7bit"
		case strings.EqualFold(charset, "koi8-r"):
			cte = "8bit"
		default:
			cte = "quoted-printable"
		}
	}
	var body string
	switch cte {
	case "quoted-printable":
		var b bytes.Buffer
		q := quotedprintable.NewWriter(&b)
		q.Write(data)
		q.Close()
		body = strings.ReplaceAll(b.String(), "\r\n", "\n")
	case "base64":
		body = base64Lines(data)
	default:
		body = string(data)
	}
	h := fmt.Sprintf("Content-Type: %s; charset=\"%s\"", ctype, charset)
	if flowed {
		h = fmt.Sprintf("Content-Type: %s; charset=%s; format=flowed", ctype, strings.ToUpper(charset))
	}
	return part{header: h + "\nContent-Transfer-Encoding: " + cte, body: body}
}

func attachmentPart(a attachment) part {
	disp := fmt.Sprintf("attachment; filename=\"%s\"", a.name)
	if !isASCII([]byte(a.name)) {
		disp = "attachment; filename*=utf-8''" + strings.ReplaceAll(urlEscape(a.name), "+", "%20")
	}
	h := fmt.Sprintf("Content-Type: %s; name=\"%s\"\nContent-Disposition: %s\nContent-Transfer-Encoding: base64",
		a.ctype, mime.QEncoding.Encode("utf-8", a.name), disp)
	return part{header: h, body: base64Lines(a.data)}
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func base64Lines(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}

// encodeCharset converts UTF-8 text to the named charset; a character the
// charset lacks is a bug in the demo data.
func encodeCharset(s, charset string) []byte {
	var enc *encoding.Encoder
	switch strings.ToLower(charset) {
	case "utf-8", "us-ascii":
		return []byte(s)
	case "iso-8859-1":
		enc = charmap.ISO8859_1.NewEncoder()
	case "iso-8859-15":
		enc = charmap.ISO8859_15.NewEncoder()
	case "windows-1252":
		enc = charmap.Windows1252.NewEncoder()
	case "koi8-r":
		enc = charmap.KOI8R.NewEncoder()
	case "iso-2022-jp":
		enc = japanese.ISO2022JP.NewEncoder()
	default:
		panic("demo: no encoder for " + charset)
	}
	out, err := enc.Bytes([]byte(s))
	if err != nil {
		panic("demo: encode " + charset + ": " + err.Error())
	}
	return out
}

// encodeHeader returns s as a header value, RFC 2047-encoded in charset
// when it is not plain ASCII.
func encodeHeader(s, charset string) string {
	if isASCII([]byte(s)) {
		return s
	}
	data := string(encodeCharset(s, charset))
	switch strings.ToLower(charset) {
	case "iso-2022-jp", "koi8-r":
		return mime.BEncoding.Encode(strings.ToUpper(charset), data)
	}
	return mime.QEncoding.Encode(charset, data)
}

// formatAddr formats a mailbox, encoding a non-ASCII display name.
func formatAddr(name, email, charset string) string {
	if name == "" {
		return email
	}
	if charset == "" {
		charset = "utf-8"
	}
	if !isASCII([]byte(name)) {
		return encodeHeader(name, charset) + " <" + email + ">"
	}
	if strings.ContainsAny(name, ",.;:@()<>\"") {
		return `"` + strings.ReplaceAll(name, `"`, `\"`) + `" <` + email + ">"
	}
	return name + " <" + email + ">"
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func maxLine(b []byte) int {
	m := 0
	for _, l := range bytes.Split(b, []byte("\n")) {
		m = max(m, len(l))
	}
	return m
}

// writeHeader writes one header field, folded at spaces near 78 columns.
func writeHeader(w *bytes.Buffer, name, value string) {
	line := name + ": "
	col := len(line)
	w.WriteString(line)
	words := strings.Split(value, " ")
	for i, word := range words {
		if i > 0 {
			if col+1+len(word) > 78 && col > len(name)+2 {
				w.WriteString("\n ")
				col = 1
			} else {
				w.WriteByte(' ')
				col++
			}
		}
		w.WriteString(word)
		col += len(word)
	}
	w.WriteByte('\n')
}

// quoteReply combines a reply with the quoted parent in the replier's style.
func quoteReply(p *person, reply string, parent *rendered) string {
	c := plainClient
	if p != nil {
		c = p.client
	}
	pd := parent.date
	name, email := parent.from, emailOf(parent.from)
	if parent.s.from != nil {
		name = parent.s.from.name
	} else if a, err := mail.ParseAddress(parent.from); err == nil && a.Name != "" {
		name = a.Name
	}
	if c == gmailClient || c == appleClient {
		name += " <" + email + ">"
	}
	ptext := strings.TrimRight(parent.text, "\n")
	switch c {
	case outlookClient:
		return reply + "\n\n-----Original Message-----\nFrom: " + parent.from +
			"\nSent: " + pd.Format("Monday, January 2, 2006 3:04 PM") +
			"\nTo: " + strings.Join(parent.to, "; ") + "\nSubject: " + parent.subject + "\n\n" + ptext
	case gmailClient:
		return reply + "\n\nOn " + pd.Format("Mon, 2 Jan 2006 at 15:04") + ", " + name + " wrote:\n" + quoteLines(ptext)
	case appleClient:
		return reply + "\n\n> On " + pd.Format("2 Jan 2006, at 15:04") + ", " + name + " wrote:\n> \n" + quoteLines(ptext)
	default: // bottom-posting: attribution, quote, then the reply
		return "On " + pd.Format("02/01/2006 15:04") + ", " + name + " wrote:\n" + quoteLines(strings.TrimRight(trimQuote(ptext), "\n ")) + "\n\n" + reply
	}
}

// wrapFlowed wraps long lines at width the way format=flowed mailers do
// (RFC 3676): a soft break leaves a trailing space, quoted lines keep their
// quote prefix, and lines starting with a space or "From " are
// space-stuffed. The signature separator "-- " is left alone.
func wrapFlowed(text string, width int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line == "-- " {
			out = append(out, line)
			continue
		}
		prefix := ""
		for strings.HasPrefix(line, ">") {
			prefix += ">"
			line = line[1:]
		}
		if prefix != "" {
			line = strings.TrimPrefix(line, " ")
			prefix += " "
		}
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "From ") {
			line = " " + line
		}
		for utf8.RuneCountInString(prefix+line) > width {
			cut := -1
			n := 0
			for i, r := range line {
				if n >= width-len(prefix) {
					break
				}
				if r == ' ' && i > 0 {
					cut = i
				}
				n++
			}
			if cut <= 0 {
				break // one long word: leave it
			}
			out = append(out, prefix+line[:cut+1])
			line = line[cut+1:]
		}
		out = append(out, strings.TrimRight(prefix, " ")+map[bool]string{true: " ", false: ""}[prefix != "" && line != ""]+line)
	}
	return strings.Join(out, "\n")
}

// trimQuote drops the signature of a text being quoted, as careful
// bottom-posters do.
func trimQuote(s string) string {
	if i := strings.Index(s, "\n-- \n"); i >= 0 {
		return s[:i]
	}
	return s
}

func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, ">") {
			lines[i] = ">" + l
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// textToHTML makes the HTML alternative that Gmail or Outlook would send.
func textToHTML(text string, c client) string {
	var b strings.Builder
	var quote []string
	flush := func() {
		if len(quote) == 0 {
			return
		}
		b.WriteString("<blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex\">")
		for _, l := range quote {
			b.WriteString(html.EscapeString(l) + "<br>\n")
		}
		b.WriteString("</blockquote>\n")
		quote = nil
	}
	if c == outlookClient {
		b.WriteString("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><style>p.MsoNormal{margin:0;font-family:Calibri,sans-serif;font-size:11pt}</style></head><body lang=\"EN-US\">\n<div class=\"WordSection1\">\n")
	} else {
		b.WriteString("<div dir=\"ltr\">")
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(l, ">") {
			quote = append(quote, strings.TrimPrefix(strings.TrimPrefix(l, ">"), " "))
			continue
		}
		flush()
		esc := html.EscapeString(l)
		if c == outlookClient {
			if esc == "" {
				esc = "&nbsp;"
			}
			b.WriteString("<p class=\"MsoNormal\">" + esc + "</p>\n")
		} else if esc == "" {
			b.WriteString("<div><br></div>\n")
		} else {
			b.WriteString("<div>" + esc + "</div>\n")
		}
	}
	flush()
	if c == outlookClient {
		b.WriteString("</div>\n</body></html>\n")
	} else {
		b.WriteString("</div>\n")
	}
	return b.String()
}

// fold75 folds iCalendar content lines at 75 octets (RFC 5545 3.1),
// never inside a UTF-8 sequence. Lines are CRLF-separated.
func fold75(s string) string {
	lines := strings.Split(s, "\r\n")
	for i, l := range lines {
		if len(l) <= 75 {
			continue
		}
		var b strings.Builder
		limit := 75
		for len(l) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			b.WriteString(l[:cut] + "\r\n ")
			l = l[cut:]
			limit = 74
		}
		b.WriteString(l)
		lines[i] = b.String()
	}
	return strings.Join(lines, "\r\n")
}

func hashInt(s string) int {
	h := sha256.Sum256([]byte(s))
	return int(h[0])<<16 | int(h[1])<<8 | int(h[2])
}

func shortHash(s string, n int) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:n]
}

// messageTime reads the Date header of a raw message, or the zero time.
func messageTime(raw []byte) time.Time {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return time.Time{}
	}
	t, err := m.Header.Date()
	if err != nil {
		return time.Time{}
	}
	return t
}

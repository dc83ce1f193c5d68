package demo

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// rawHeaders writes the usual header block of a hand-built message.
// date overrides the Date header when not empty; the caller adds the
// Content-* headers and the body.
func rawHeaders(r *rendered, date string) *bytes.Buffer {
	var w bytes.Buffer
	r.b.writeTrace(&w, r)
	if date == "" {
		date = r.date.Format(time.RFC1123Z)
	}
	writeHeader(&w, "Date", date)
	if r.from != "" {
		writeHeader(&w, "From", r.from)
	}
	writeHeader(&w, "To", strings.Join(r.to, ", "))
	writeHeader(&w, "Subject", encodeHeader(r.subject, "utf-8"))
	if !r.s.noMsgID {
		writeHeader(&w, "Message-ID", "<"+r.msgid+">")
	}
	for _, h := range r.s.hdrs {
		name, value, _ := strings.Cut(h, ": ")
		writeHeader(&w, name, value)
	}
	writeHeader(&w, "MIME-Version", "1.0")
	return &w
}

// malformedSpecs are messages that are broken on purpose, each in one
// specific way that real mail is broken. Parsers must survive them and
// still get something useful out.
func malformedSpecs() []*spec {
	return []*spec{
		{key: "mf-boundary", kind: KindPromotion, folder: "Promotions", flags: "S", at: cd(13, "10:10"),
			fromRaw: "Trailhead Outfitters <deals@trailhead.example.com>", subject: "Members' weekend: extra 10% on everything",
			hdrs:      []string{"List-Unsubscribe: <https://trailhead.example.com/unsubscribe/mfb>", "Precedence: bulk"},
			malformed: "multipart/alternative whose closing boundary is missing (the message ends inside the HTML part)",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				w.WriteString("Content-Type: multipart/alternative; boundary=\"=_tho_5521\"\n\n" +
					"This is a multi-part message in MIME format.\n\n" +
					"--=_tho_5521\nContent-Type: text/plain; charset=us-ascii\n\n" +
					"Members' weekend! Extra 10% on everything with code MEMBER10, Saturday and Sunday only.\n" +
					"https://trailhead.example.com/members\n\n" +
					"--=_tho_5521\nContent-Type: text/html; charset=us-ascii\n\n" +
					"<html><body><h1 style=\"color:#2f6f3e\">Members' weekend</h1>\n" +
					"<p>Extra <b>10%</b> on everything with code <b>MEMBER10</b>.</p>\n" +
					"<p><a href=\"https://trailhead.example.com/members\">Shop now</a></p>\n" +
					"<table><tr><td>Ridgeline 2 tent</td><td>&euro;175</td></tr>\n")
				return w.Bytes()
			}},
		{key: "mf-charset", kind: KindNotification, flags: "S", at: cd(22, "16:16"),
			fromRaw: "Old Town Cycles <shop@oldtowncycles.example.net>", subject: "Your repair is ready for pick-up",
			hdrs:      []string{"Auto-Submitted: auto-generated"},
			malformed: "text part declares an unknown charset label (x-mac-roman8-legacy) over Latin-1 bytes",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				w.WriteString("Content-Type: text/plain; charset=\"x-mac-roman8-legacy\"\nContent-Transfer-Encoding: 8bit\n\n")
				w.Write(encodeCharset("Hallo Alex Morgan,\n\nIhr Fahrrad ist fertig: neue Bremsbeläge, Kette gewechselt, Schaltung eingestellt.\n"+
					"Betrag: 86,50 € (bar oder Karte bei Abholung).\n\nÖffnungszeiten: Mo-Fr 10-19 Uhr, Sa 10-15 Uhr.\n\nOld Town Cycles\n", "iso-8859-15"))
				return w.Bytes()
			}},
		{key: "mf-latin1", kind: KindPerson, needs: true, flags: "S", at: cd(3, "20:44"),
			from: lukas, subject: "Bohrmaschine",
			malformed: "body declared utf-8 but written in ISO-8859-1 bytes",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				w.WriteString("User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0\n")
				w.WriteString("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n")
				w.Write(encodeCharset("Hi Alex,\n\nkönntest du mir die Bohrmaschine bis Freitag zurückgeben? Ich möchte am Wochenende die Regale "+
					"im Flur aufhängen. Ich kann sie auch Donnerstagabend abholen, wenn dir das lieber ist.\n\nGrüße\nLukas\n", "iso-8859-1"))
				return w.Bytes()
			}},
		{key: "mf-date", kind: KindNotification, flags: "S", at: cd(15, "12:00"),
			fromRaw: "Hausnetz Router <router@home.example.net>", subject: "Firmware update installed",
			hdrs:      []string{"Auto-Submitted: auto-generated"},
			malformed: "garbage Date header",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "Tuesday the 32nd of Smarch, 25:61 +9900")
				w.WriteString("Content-Type: text/plain; charset=us-ascii\n\n" +
					"Your router has installed firmware 7.62 and restarted.\n\nAll connected devices reconnected within 2 minutes.\n" +
					"No action is required.\n")
				return w.Bytes()
			}},
		{key: "mf-nofrom", kind: KindSpam, folder: "Junk", flags: "S", at: cd(27, "04:04"), noMsgID: true, authFail: true,
			subject:   "RE: your payment",
			malformed: "no From and no Message-ID header",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				w.WriteString("Content-Type: text/plain; charset=us-ascii\n\n" +
					"Please see the attached payment confirmation and confirm receipt by return.\n\n" +
					"http://pay-confirm.example.net/doc?id=5521\n")
				return w.Bytes()
			}},
		{key: "mf-base64", kind: KindNotification, folder: "Receipts", flags: "S", at: cd(11, "07:30"),
			fromRaw: "Nimbus Cloud Billing <billing@nimbus.example.com>", subject: "Credit note CN-2207",
			hdrs:      []string{"Auto-Submitted: auto-generated"},
			malformed: "base64 attachment with invalid characters in the encoded text",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				b := boundary(r.s.key, "mix", nil)
				w.WriteString("Content-Type: multipart/mixed; boundary=\"" + b + "\"\n\n")
				w.WriteString("--" + b + "\nContent-Type: text/plain; charset=us-ascii\n\n" +
					"Hello,\n\nwe issued credit note CN-2207 over 18.60 EUR for the outage last month. It will be offset against your next invoice.\n\n" +
					"Nimbus Cloud Billing\n\n")
				enc := base64Lines(fakePDF("Nimbus Cloud credit note CN-2207"))
				lines := strings.Split(enc, "\n")
				lines[2] = lines[2][:30] + "!!**~~" + lines[2][36:]
				lines[5] = "%%% this line is not base64 %%%"
				w.WriteString("--" + b + "\nContent-Type: application/pdf; name=\"CN-2207.pdf\"\n" +
					"Content-Disposition: attachment; filename=\"CN-2207.pdf\"\nContent-Transfer-Encoding: base64\n\n" +
					strings.Join(lines, "\n") + "\n--" + b + "--\n")
				return w.Bytes()
			}},
		{key: "mf-nested", kind: KindSpam, folder: "Junk", flags: "S", at: cd(21, "02:22"), authFail: true,
			fromRaw: "\"Fwd Fwd Fwd\" <chain@forward-this.example.net>", subject: "Fwd: Fwd: Fwd: Fwd: send this to 10 friends!!",
			malformed: "multipart nested 40 levels deep",
			raw: func(r *rendered) []byte {
				w := rawHeaders(r, "")
				const depth = 40
				body := "Content-Type: text/plain; charset=us-ascii\n\n" +
					"Send this to 10 friends within 10 minutes and you will have luck for 10 years. Do not break the chain!\n"
				for i := depth; i > 0; i-- {
					b := fmt.Sprintf("nest-%02d-%s", i, shortHash(r.s.key, 6))
					body = "Content-Type: multipart/mixed; boundary=\"" + b + "\"\n\n--" + b + "\n" + body + "--" + b + "--\n"
				}
				w.WriteString(body)
				return w.Bytes()
			}},
	}
}

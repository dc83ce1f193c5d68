package demo

import (
	"fmt"
	"html"
	"strings"
)

// publication is a newsletter or a shop that sends bulk mail.
type publication struct {
	name, from, listID, host string
	color                    string
	style                    int    // which HTML layout
	htmlOnly, textOnly       bool   // which parts it sends
	charset                  string // of the text part (textOnly)
	folder                   string
	kind                     string
}

// item is one entry of an issue: a headline, a link and a blurb.
type item struct{ title, url, blurb string }

// issue is one mailing of a publication.
type issue struct {
	key, subject, preheader, intro string
	items                          []item
	outro                          string
	cta                            string // call to action button (promotions)
	code                           string // coupon code (promotions)
	at                             when
	flags                          string
	folder                         string // overrides the publication's
}

func (p publication) headers(key string) []string {
	tok := shortHash(key, 16)
	h := []string{
		"List-Id: " + p.name + " <" + p.listID + ">",
		fmt.Sprintf("List-Unsubscribe: <https://%s/unsubscribe/%s>, <mailto:unsubscribe+%s@%s>", p.host, tok, tok, p.host),
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
		"Precedence: bulk",
		fmt.Sprintf("Feedback-ID: %d:%s:campaign", 100+hashInt(key)%800, strings.Split(p.listID, ".")[0]),
	}
	if p.kind == KindPromotion {
		h = append(h, "X-Campaign-Id: "+strings.ToUpper(shortHash(key+"c", 12)))
	}
	return h
}

// spec turns one issue into a message spec with text and/or HTML parts.
func (p publication) spec(is issue) *spec {
	s := &spec{key: is.key, kind: p.kind, folder: p.folder, flags: is.flags, at: is.at,
		fromRaw: p.from, subject: is.subject, hdrs: p.headers(is.key), charset: p.charset}
	if is.folder != "" {
		s.folder = is.folder
	}
	if s.flags == "" && s.folder != "INBOX" {
		s.flags = "S"
	}
	if !p.htmlOnly {
		s.text = p.textBody(is)
	}
	if !p.textOnly {
		s.html = p.htmlBody(is)
	}
	return s
}

func (p publication) textBody(is issue) string {
	var b strings.Builder
	if p.kind == KindNewsletter {
		b.WriteString(strings.ToUpper(p.name) + "\n" + strings.Repeat("-", len([]rune(p.name))) + "\n\n")
	}
	b.WriteString(is.intro + "\n\n")
	for i, it := range is.items {
		if p.kind == KindNewsletter {
			fmt.Fprintf(&b, "%d. %s\n%s\n%s\n\n", i+1, it.title, it.blurb, it.url)
		} else {
			fmt.Fprintf(&b, "* %s - %s\n  %s\n\n", it.title, it.blurb, it.url)
		}
	}
	if is.code != "" {
		fmt.Fprintf(&b, "Your code: %s\n\n", is.code)
	}
	if is.outro != "" {
		b.WriteString(is.outro + "\n\n")
	}
	fmt.Fprintf(&b, "--\nYou are receiving this because you subscribed to %s.\nUnsubscribe: https://%s/unsubscribe\n", p.name, p.host)
	return b.String()
}

// htmlBody renders the issue in one of three table layouts, the way bulk
// mail senders do: nested tables, inline styles, entities.
func (p publication) htmlBody(is issue) string {
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" /><title>` + e(is.subject) + `</title>
<style type="text/css">body{margin:0;padding:0}a{color:` + p.color + `}@media only screen and (max-width:600px){.col{width:100% !important}}</style></head>
<body style="margin:0;padding:0;background:#f4f4f4">
<div style="display:none;max-height:0;overflow:hidden">` + e(is.preheader) + `&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4"><tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;font-family:Helvetica,Arial,sans-serif">
<tr><td style="background:` + p.color + `;padding:20px;color:#ffffff;font-size:22px;font-weight:bold">` + e(p.name) + `</td></tr>
<tr><td style="padding:24px 24px 8px 24px;font-size:15px;line-height:22px;color:#333333">` + e(is.intro) + `</td></tr>
`)
	for i, it := range is.items {
		switch p.style {
		case 1: // two columns: number and text
			fmt.Fprintf(&b, `<tr><td style="padding:8px 24px"><table role="presentation" width="100%%" cellpadding="0" cellspacing="0"><tr>
<td class="col" width="40" valign="top" style="font-size:24px;color:%s;font-weight:bold">%d</td>
<td class="col" valign="top" style="font-size:15px;line-height:21px"><a href="%s" style="font-weight:bold;text-decoration:none">%s</a><br />%s</td>
</tr></table></td></tr>
`, p.color, i+1, e(it.url), e(it.title), e(it.blurb))
		case 2: // product cards with a button
			fmt.Fprintf(&b, `<tr><td style="padding:12px 24px;border-bottom:1px solid #eeeeee">
<table role="presentation" width="100%%"><tr><td style="font-size:17px;font-weight:bold;color:#222222">%s</td>
<td align="right" style="font-size:17px;color:%s;font-weight:bold">%s</td></tr></table>
<p style="margin:6px 0 10px 0">&nbsp;<a href="%s" style="background:%s;color:#ffffff;padding:8px 16px;border-radius:4px;text-decoration:none">Shop now &rsaquo;</a></p></td></tr>
`, e(it.title), p.color, e(it.blurb), e(it.url), p.color)
		default: // headline list
			fmt.Fprintf(&b, `<tr><td style="padding:10px 24px;font-size:15px;line-height:22px;color:#333333"><h2 style="margin:0 0 4px 0;font-size:18px"><a href="%s" style="text-decoration:none">%s</a></h2>%s</td></tr>
`, e(it.url), e(it.title), e(it.blurb))
		}
	}
	if is.code != "" {
		fmt.Fprintf(&b, `<tr><td align="center" style="padding:20px"><table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="border:2px dashed %s;padding:12px 28px;font-size:20px;letter-spacing:3px;font-family:Courier New,monospace">%s</td></tr></table></td></tr>
`, p.color, e(is.code))
	}
	if is.cta != "" {
		fmt.Fprintf(&b, `<tr><td align="center" style="padding:16px"><a href="https://%s/?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=%s" style="background:%s;color:#ffffff;padding:14px 32px;font-size:16px;font-weight:bold;text-decoration:none;border-radius:6px">%s</a></td></tr>
`, p.host, shortHash(is.key, 6), p.color, e(is.cta))
	}
	if is.outro != "" {
		b.WriteString(`<tr><td style="padding:8px 24px 24px 24px;font-size:14px;color:#555555">` + e(is.outro) + "</td></tr>\n")
	}
	fmt.Fprintf(&b, `<tr><td style="padding:16px 24px;background:#fafafa;font-size:11px;color:#999999;line-height:16px">
You&#8217;re receiving this e-mail because you signed up at %s.<br />
<a href="https://%s/preferences" style="color:#999999">Preferences</a> &middot; <a href="https://%s/unsubscribe" style="color:#999999">Unsubscribe</a><br />
&copy; %s &mdash; all rights reserved.</td></tr>
</table></td></tr></table>
<img src="https://%s/open/%s.gif" width="1" height="1" alt="" />
</body></html>
`, p.host, p.host, p.host, e(p.name), p.host, shortHash(is.key, 12))
	return b.String()
}

// newsletterSpecs are the newsletters the user subscribed to.
func newsletterSpecs() []*spec {
	gazette := publication{name: "The Gopher Gazette", from: "The Gopher Gazette <gazette@news.example.com>", listID: "gazette.news.example.com",
		host: "news.example.com", color: "#00758d", style: 1, folder: "Newsletters", kind: KindNewsletter}
	brief := publication{name: "Data Engineering Brief", from: "Data Engineering Brief <brief@dataeng.example.net>", listID: "brief.dataeng.example.net",
		host: "dataeng.example.net", color: "#5b3cc4", style: 0, htmlOnly: true, folder: "Newsletters", kind: KindNewsletter}
	kiez := publication{name: "Kiez-Rundbrief Kreuzberg", from: "Kiez-Rundbrief <rundbrief@kiez.example.net>", listID: "rundbrief.kiez.example.net",
		host: "kiez.example.net", color: "#c0392b", textOnly: true, charset: "iso-8859-1", folder: "INBOX", kind: KindNewsletter}
	weekly := publication{name: "Larkspur Weekly", from: "Larkspur Internal Comms <comms@example.org>", listID: "weekly.example.org",
		host: "intranet.example.org", color: "#2e7d32", style: 0, htmlOnly: true, folder: "INBOX", kind: KindNewsletter}
	slow := publication{name: "The Slow Reader", from: "Mara Quinn from The Slow Reader <slowreader@letters.example.com>", listID: "slowreader.letters.example.com",
		host: "letters.example.com", color: "#8d6e63", style: 0, folder: "Newsletters", kind: KindNewsletter}
	stackwise := publication{name: "Stackwise Product Updates", from: "Stackwise <updates@stackwise.example.com>", listID: "updates.stackwise.example.com",
		host: "stackwise.example.com", color: "#ff6f00", style: 1, htmlOnly: true, folder: "Newsletters", kind: KindNewsletter}
	kunsthalle := publication{name: "Kunsthalle am Kanal", from: "Kunsthalle am Kanal <programm@kunsthalle.example.net>", listID: "programm.kunsthalle.example.net",
		host: "kunsthalle.example.net", color: "#212121", style: 0, htmlOnly: true, folder: "Newsletters", kind: KindNewsletter}
	money := publication{name: "Pocket Money Monthly", from: "Pocket Money Monthly <hello@pocketmoney.example.com>", listID: "monthly.pocketmoney.example.com",
		host: "pocketmoney.example.com", color: "#1565c0", style: 1, folder: "Newsletters", kind: KindNewsletter}

	var out []*spec
	add := func(p publication, is ...issue) {
		for _, i := range is {
			out = append(out, p.spec(i))
		}
	}
	add(gazette,
		issue{key: "nl-gazette-1", at: cd(27, "07:00"), subject: "Gopher Gazette #412: iterators everywhere",
			preheader: "Range-over-func in the wild, a new profiler, and a very small HTTP router.",
			intro:     "Hello gophers! This week the community is clearly in love with iterators, and one of the posts below argues that is a good thing.",
			items: []item{{"Iterators in practice: six months of range-over-func", "https://news.example.com/r/it6m", "A team rewrote their data access layer around iter.Seq and measured what changed."},
				{"Profiling allocations without tears", "https://news.example.com/r/alloc", "A walkthrough of heap profiles on a real service, with before/after flame graphs."},
				{"nanorouter: 200 lines, zero dependencies", "https://news.example.com/r/nano", "How far can the standard ServeMux patterns take you? Pretty far."}},
			outro: "That's it for this week. Reply to this e-mail if you have a link we should feature."},
		issue{key: "nl-gazette-2", at: cd(20, "07:00"), subject: "Gopher Gazette #413: the SQLite issue",
			preheader: "Pure-Go SQLite drivers compared, WAL explained, and backups done right.",
			intro:     "Three separate SQLite articles landed in our inbox this week, so we gave in and made it a theme.",
			items: []item{{"modernc vs cgo: a benchmark you can trust", "https://news.example.com/r/sqlbench", "Inserts, FTS queries and memory use, measured on a laptop rather than a server."},
				{"WAL mode, checkpoints and you", "https://news.example.com/r/wal", "What actually happens when your process is killed mid-transaction."},
				{"Online backups with VACUUM INTO", "https://news.example.com/r/vacuum", "One statement, consistent copy, no downtime."},
				{"Job: Backend engineer (Go), Lisbon or remote", "https://news.example.com/jobs/8812", "Sponsored."}}},
		issue{key: "nl-gazette-3", at: cd(13, "07:00"), subject: "Gopher Gazette #414: fuzzing finds the bugs you didn't write tests for",
			preheader: "Native fuzzing stories, structured logging, and a release candidate.",
			intro:     "Fuzzing week! Plus a release candidate you should try in CI before the final release.",
			items: []item{{"What 48 hours of fuzzing found in our MIME parser", "https://news.example.com/r/fuzzmime", "Five panics, two hangs and one very long header."},
				{"slog handlers for humans", "https://news.example.com/r/slog", "Pretty output on a terminal, JSON everywhere else."},
				{"Release candidate 1 is out", "https://news.example.com/r/rc1", "Test it now, complain early."}}},
		issue{key: "nl-gazette-4", at: cd(6, "07:00"), subject: "Gopher Gazette #415: small binaries, big wins", flags: "",
			folder:    "INBOX",
			preheader: "Trimming a 60 MB binary to 9 MB, and a new TUI toolkit.",
			intro:     "This week: binary size, terminal UIs, and a thoughtful essay on error handling that we expect you to argue about.",
			items: []item{{"From 60 MB to 9 MB", "https://news.example.com/r/size", "Linker flags, dropping a dependency and embedding less."},
				{"Errors are values, still", "https://news.example.com/r/errs", "A long read on wrapping, sentinel errors and what callers really need."},
				{"A TUI toolkit that feels like HTML", "https://news.example.com/r/tui", "Layout with flexbox-like rules, in your terminal."}}},
	)
	add(brief,
		issue{key: "nl-brief-1", at: cd(25, "16:30"), subject: "The Brief: why your lakehouse is slow",
			preheader: "Small files, big problems.",
			intro:     "Small files are the silent killer of query performance. This week's pieces all circle around compaction.",
			items: []item{{"Compaction strategies compared", "https://dataeng.example.net/a/compaction", "Bin-packing vs. sorting vs. z-ordering on a 2 TB table."},
				{"Partitioning by date is (usually) wrong", "https://dataeng.example.net/a/partition", "A contrarian take with numbers behind it."}}},
		issue{key: "nl-brief-2", at: cd(18, "16:30"), subject: "The Brief: dual writes & other migration myths",
			preheader: "Everything you wanted to know about zero-downtime migrations.",
			intro:     "Migrating a live data platform is a rite of passage. Here are three teams who lived to tell the tale.",
			items: []item{{"Dual writes: the good, the bad and the checksums", "https://dataeng.example.net/a/dualwrite", "Why verifying is harder than writing twice."},
				{"Backfills that don't melt your cluster", "https://dataeng.example.net/a/backfill", "Throttling, idempotency and resumability."},
				{"Case study: 40 TB moved in a weekend", "https://dataeng.example.net/a/40tb", "With a rollback plan that was actually used."}}},
		issue{key: "nl-brief-3", at: cd(11, "16:30"), subject: "The Brief: cost is a feature",
			preheader: "FinOps for data teams.",
			intro:     "Cloud bills have become a product concern. This week: making cost visible to the people who cause it.",
			items: []item{{"Show engineers their own cost", "https://dataeng.example.net/a/showback", "Showback dashboards that people actually open."},
				{"Egress, the line item nobody budgets for", "https://dataeng.example.net/a/egress", "Where it comes from and how to stop it."}}},
		issue{key: "nl-brief-4", at: cd(4, "16:30"), subject: "The Brief: streaming is still hard", flags: "",
			folder:    "INBOX",
			preheader: "Exactly-once, late data and watermarks.",
			intro:     "Late-arriving events, duplicate deliveries and watermarks: this week is all about the things stream processors promise and what they actually deliver.",
			items: []item{{"Exactly-once, explained with a whiteboard", "https://dataeng.example.net/a/eo", "And why idempotent sinks beat transactions."},
				{"Watermarks for people in a hurry", "https://dataeng.example.net/a/wm", "A ten-minute read with diagrams."}}},
	)
	add(kiez,
		issue{key: "nl-kiez-1", at: cd(23, "18:00"), flags: "S", subject: "Kiez-Rundbrief: Straßenfest am Lausitzer Platz",
			intro: "Liebe Nachbarinnen und Nachbarn,\n\nam Samstag feiern wir wieder das Straßenfest am Lausitzer Platz - mit Flohmarkt, Kinderprogramm und Musik ab 14 Uhr. Wer einen Stand möchte, meldet sich bitte im Nachbarschaftsbüro.",
			items: []item{{"Flohmarkt", "https://kiez.example.net/fest", "Standgebühr 5 EUR, Anmeldung bis Donnerstag."},
				{"Baustelle Wiener Straße", "https://kiez.example.net/bau", "Die Sperrung dauert voraussichtlich bis Ende des Monats."}},
			outro: "Herzliche Grüße aus dem Nachbarschaftsbüro"},
		issue{key: "nl-kiez-2", at: cd(14, "18:00"), flags: "S", subject: "Kiez-Rundbrief: Repair-Café und Gießpatenschaften",
			intro: "Hallo Kiez,\n\nim Repair-Café reparieren Ehrenamtliche wieder Toaster, Fahrräder und Lieblingspullover. Außerdem suchen wir Gießpatinnen und -paten für die neuen Straßenbäume in der Oppelner Straße.",
			items: []item{{"Repair-Café", "https://kiez.example.net/repair", "Jeden zweiten Dienstag, 17-20 Uhr, im Gemeinschaftsraum."},
				{"Gießpatenschaften", "https://kiez.example.net/baeume", "Eine Kanne pro Woche rettet einen Baum."}},
			outro: "Bis bald im Kiez!"},
		issue{key: "nl-kiez-3", at: cd(2, "18:00"), subject: "Kiez-Rundbrief: Sommerkino im Hof", flags: "",
			intro: "Liebe Nachbarschaft,\n\nab Freitag zeigen wir wieder Filme im Hof der alten Schule. Eintritt frei, Spenden willkommen, Decken mitbringen!",
			items: []item{{"Programm", "https://kiez.example.net/kino", "Freitags ab 21:30 Uhr, bei Regen im Saal."}},
			outro: "Euer Nachbarschaftsbüro"},
	)
	add(weekly,
		issue{key: "nl-weekly-1", at: bd(10, "12:00"), flags: "S", subject: "Larkspur Weekly: welcome Sophie, Atlas milestone, summer party",
			preheader: "Your five-minute company update.",
			intro:     "Happy Friday, Larkspurians! Here's what happened this week.",
			items: []item{{"Atlas hits 60%", "https://intranet.example.org/news/atlas-60", "The data platform migration passed its halfway mark: 60% of pipelines now run on the new cluster."},
				{"Summer party: save the date", "https://intranet.example.org/news/summer", "Boat trip on the Spree, partners welcome. RSVP on the intranet."},
				{"New joiners", "https://intranet.example.org/people/new", "Please welcome Sophie Wagner (Analytics) and Emil Haas (Support)."}}},
		issue{key: "nl-weekly-2", at: bd(5, "12:00"), flags: "S", subject: "Larkspur Weekly: customer wins and a new coffee machine",
			preheader: "Your five-minute company update.",
			intro:     "Another week, another update. The coffee machine on the 3rd floor is fixed. Rejoice.",
			items: []item{{"Two new pilot customers", "https://intranet.example.org/news/pilots", "Bastide Énergie and Halvorsen Freight are starting pilots this quarter."},
				{"Office hours with the founders", "https://intranet.example.org/news/office-hours", "Every other Thursday at 4pm in the kitchen."}}},
	)
	add(slow,
		issue{key: "nl-slow-1", at: cd(24, "06:30"), subject: "On reading one book a month",
			preheader: "Fewer books, more attention.",
			intro:     "For a year I read exactly one book a month, and nothing else. Not because I'm disciplined, but because I'd noticed I couldn't remember a single thing from the fifty books I'd skimmed the year before. Here is what changed.",
			items:     []item{{"Read the full essay", "https://letters.example.com/p/one-book", "About an 8-minute read."}},
			outro:     "Thank you for reading. If this made you think of someone, forward it to them."},
		issue{key: "nl-slow-2", at: cd(17, "06:30"), subject: "Notes in the margin",
			preheader: "Why I write in my books.",
			intro:     "My grandmother wrote in the margins of every book she owned, in pencil, with the date. Inheriting her books felt like inheriting a conversation.",
			items:     []item{{"Read the full essay", "https://letters.example.com/p/margins", "About a 6-minute read."}}},
		issue{key: "nl-slow-3", at: cd(3, "06:30"), subject: "The library card is the best subscription", flags: "",
			folder:    "INBOX",
			preheader: "A love letter to public libraries.",
			intro:     "This week: a love letter to public libraries, the last places where you can sit for hours without buying anything.",
			items: []item{{"Read the full essay", "https://letters.example.com/p/library", "About a 7-minute read."},
				{"From the archive: On rereading", "https://letters.example.com/p/rereading", "Subscribers' favourite from last year."}}},
	)
	add(stackwise,
		issue{key: "nl-stackwise-1", at: cd(9, "15:00"), subject: "What's new in Stackwise: budgets, anomaly alerts, Slack digest",
			preheader: "Three features our customers asked for.",
			intro:     "This month we shipped three of your most requested features.",
			items: []item{{"Budgets per team", "https://stackwise.example.com/changelog/budgets", "Set a monthly budget and get warned at 80%."},
				{"Anomaly alerts", "https://stackwise.example.com/changelog/anomalies", "We flag unusual spend within an hour."},
				{"Weekly digest in chat", "https://stackwise.example.com/changelog/digest", "A summary every Monday morning."}}},
	)
	add(kunsthalle,
		issue{key: "nl-kunst-1", at: cd(26, "10:00"), subject: "Neu in der Kunsthalle: Licht & Wasser",
			preheader: "Eröffnung am Freitag, 19 Uhr.",
			intro:     "Unsere neue Ausstellung „Licht & Wasser“ zeigt Arbeiten von zwölf Künstlerinnen und Künstlern rund um den Landwehrkanal.",
			items: []item{{"Eröffnung", "https://kunsthalle.example.net/licht-wasser", "Freitag, 19 Uhr, Eintritt frei."},
				{"Führungen", "https://kunsthalle.example.net/fuehrungen", "Sonntags 15 Uhr, auch auf Englisch."}}},
		issue{key: "nl-kunst-2", at: cd(8, "10:00"), subject: "Lange Nacht der Kunsthalle",
			preheader: "Bis 2 Uhr geöffnet.",
			intro:     "Einmal im Jahr bleiben wir bis 2 Uhr nachts geöffnet, mit Konzerten, Lesungen und Kurzführungen.",
			items:     []item{{"Programm der Langen Nacht", "https://kunsthalle.example.net/lange-nacht", "Tickets 12 €, ermäßigt 8 €."}}},
	)
	add(money,
		issue{key: "nl-money-1", at: cd(15, "08:00"), subject: "Pocket Money Monthly: the 50/30/20 rule, revisited",
			preheader: "Budgeting that survives real life.",
			intro:     "This month we look at budgeting rules of thumb and which ones survive contact with rent, childcare and inflation.",
			items: []item{{"50/30/20, revisited", "https://pocketmoney.example.com/p/503020", "Why the numbers need updating for city life."},
				{"Emergency funds: how much is enough?", "https://pocketmoney.example.com/p/emergency", "Three months, six months, or something else?"}}},
	)
	return out
}

// promotionSpecs are shop and service marketing mail.
func promotionSpecs() []*spec {
	shop := func(name, email, host, color string, style int) publication {
		return publication{name: name, from: name + " <" + email + ">", listID: "promo." + host, host: host,
			color: color, style: style, htmlOnly: true, folder: "Promotions", kind: KindPromotion}
	}
	trail := shop("Trailhead Outfitters", "deals@trailhead.example.com", "trailhead.example.com", "#2f6f3e", 2)
	bean := shop("Bean & Bloom Coffee", "hello@beanbloom.example.com", "beanbloom.example.com", "#6d4c41", 0)
	bean.htmlOnly = false
	sky := shop("SkyLark Air", "offers@skylark-air.example.com", "skylark-air.example.com", "#0d47a1", 2)
	paper := shop("Paperback Lane", "news@paperbacklane.example.net", "paperbacklane.example.net", "#ad1457", 2)
	volt := shop("Voltcraft Electronics", "sale@voltcraft.example.com", "voltcraft.example.com", "#f9a825", 2)
	nord := shop("Nordlicht Möbel", "newsletter@nordlicht.example.net", "nordlicht.example.net", "#37474f", 2)
	bite := shop("Quickbite", "treats@quickbite.example.com", "quickbite.example.com", "#e53935", 0)
	bite.htmlOnly = false
	stream := shop("Streamly", "no-reply@streamly.example.com", "streamly.example.com", "#6a1b9a", 0)
	linden := shop("Linden Hotels", "stay@lindenhotels.example.com", "lindenhotels.example.com", "#00695c", 2)
	maison := shop("Maison Ardoise", "bonjour@maisonardoise.example.com", "maisonardoise.example.com", "#424242", 2)
	gym := shop("Kraftwerk Fitness", "team@kraftwerk-fitness.example.net", "kraftwerk-fitness.example.net", "#ff5722", 0)
	webinar := shop("Stackwise Events", "events@stackwise.example.com", "stackwise.example.com", "#ff6f00", 0)

	var out []*spec
	add := func(p publication, is ...issue) {
		for _, i := range is {
			out = append(out, p.spec(i))
		}
	}
	add(trail,
		issue{key: "pr-trail-1", at: cd(22, "09:15"), subject: "Summer Sale: up to 30% off tents & sleeping bags ⛺",
			preheader: "The big one is here.", intro: "Our summer sale starts now: up to 30% off tents, sleeping bags and everything you need for a night under the stars.",
			items: []item{{"Ridgeline 2 ultralight tent", "https://trailhead.example.com/p/ridgeline2", "€279 → €195"},
				{"Glacier 0°C sleeping bag", "https://trailhead.example.com/p/glacier0", "€149 → €109"},
				{"Trail stove kit", "https://trailhead.example.com/p/stove", "€59 → €44"}}, cta: "Shop the sale"},
		issue{key: "pr-trail-2", at: cd(15, "09:15"), subject: "Last chance: summer sale ends at midnight",
			preheader: "Don't miss out.", intro: "Only a few hours left! After midnight, prices go back up.",
			items: []item{{"Packable rain jacket", "https://trailhead.example.com/p/rainjacket", "€129 → €89"},
				{"Trekking poles (pair)", "https://trailhead.example.com/p/poles", "€79 → €55"}}, cta: "Grab yours"},
		issue{key: "pr-trail-3", at: cd(1, "09:15"), subject: "New arrivals for your next adventure", flags: "", folder: "INBOX",
			preheader: "Fresh gear just landed.", intro: "Fresh from our suppliers: new colours, lighter packs and the waterproof socks you asked for.",
			items: []item{{"Aero 28L daypack", "https://trailhead.example.com/p/aero28", "€99"},
				{"Waterproof hiking socks", "https://trailhead.example.com/p/socks", "€29"}}, cta: "See what's new"},
	)
	add(bean,
		issue{key: "pr-bean-1", at: cd(19, "11:00"), subject: "15% off your next bag of beans ☕",
			preheader: "A little thank-you.", intro: "Thanks for being a Bean & Bloom regular! Here's 15% off your next order of any single-origin coffee.",
			items: []item{{"Ethiopia Guji", "https://beanbloom.example.com/p/guji", "peach, jasmine, black tea"},
				{"Colombia Huila", "https://beanbloom.example.com/p/huila", "caramel, red apple, cocoa"}},
			code: "BLOOM15", outro: "Valid for 14 days, one use per customer."},
		issue{key: "pr-bean-2", at: cd(5, "11:00"), subject: "Never run out: subscribe & save 20%",
			preheader: "Fresh coffee, on your schedule.", intro: "Set up a subscription and get 20% off every delivery, with free shipping. Pause or cancel any time.",
			items: []item{{"Subscribe", "https://beanbloom.example.com/subscribe", "Every 2, 3 or 4 weeks"}}, cta: "Start my subscription"},
	)
	add(sky,
		issue{key: "pr-sky-1", at: cd(21, "13:40"), subject: "Flash fares: Berlin to Lisbon from €39",
			preheader: "48 hours only.", intro: "Our flash sale is on for 48 hours. One way, including taxes, while seats last.",
			items: []item{{"Berlin → Lisbon", "https://skylark-air.example.com/f/ber-lis", "from €39"},
				{"Berlin → Stockholm", "https://skylark-air.example.com/f/ber-arn", "from €45"},
				{"Berlin → Porto", "https://skylark-air.example.com/f/ber-opo", "from €42"}}, cta: "Book now"},
		issue{key: "pr-sky-2", at: cd(7, "13:40"), subject: "Double miles on every flight this month",
			preheader: "SkyLark Club members only.", intro: "As a SkyLark Club member you earn double miles on every flight booked this month.",
			items: []item{{"Register for the promotion", "https://skylark-air.example.com/club/double", "Required to earn double miles"}}, cta: "Register"},
	)
	add(paper,
		issue{key: "pr-paper-1", at: cd(16, "17:20"), subject: "Books of the season – 3 for 2",
			preheader: "Stock up for the summer.", intro: "Our summer reading table is ready: buy any three books and get the cheapest free.",
			items: []item{{"The Cartographer's Daughter", "https://paperbacklane.example.net/b/1", "€14.99"},
				{"Small Fires", "https://paperbacklane.example.net/b/2", "€12.50"},
				{"A Field Guide to Clouds", "https://paperbacklane.example.net/b/3", "€18.00"}}, cta: "Browse the table"},
		issue{key: "pr-paper-2", at: cd(3, "17:20"), subject: "Signed copies & an evening with the author",
			preheader: "Limited seats.", intro: "Join us in the shop for a reading and signing. Limited to 40 seats, tickets include a glass of wine.",
			items: []item{{"Tickets", "https://paperbacklane.example.net/events/reading", "€8"}}, cta: "Reserve a seat"},
	)
	add(volt,
		issue{key: "pr-volt-1", at: cd(12, "19:05"), subject: "Noise-cancelling headphones: -40% today only",
			preheader: "Deal of the day.", intro: "Today only: our best-rated noise-cancelling headphones at 40% off.",
			items: []item{{"Quietline Pro headphones", "https://voltcraft.example.com/p/quietline", "€249 → €149"},
				{"USB-C charger 65W", "https://voltcraft.example.com/p/charger65", "€49 → €29"}}, cta: "Get the deal"},
		issue{key: "pr-volt-2", at: ago("9h"), subject: "Your cart misses you 🛒 (plus free shipping)", flags: "", folder: "INBOX",
			preheader: "Still thinking about it?", intro: "You left something in your cart. Complete your order in the next 24 hours and shipping is on us.",
			items: []item{{"Quietline Pro headphones", "https://voltcraft.example.com/cart", "€149"}}, cta: "Complete my order"},
	)
	add(nord,
		issue{key: "pr-nord-1", at: cd(20, "10:30"), subject: "Sommer-Sale: bis zu 50 % auf Outdoor-Möbel",
			preheader: "Nur solange der Vorrat reicht.", intro: "Balkon, Terrasse oder Garten: Jetzt bis zu 50 % auf ausgewählte Outdoor-Möbel sparen.",
			items: []item{{"Balkonset „Fjord“", "https://nordlicht.example.net/p/fjord", "€399 → €229"},
				{"Liegestuhl „Sylt“", "https://nordlicht.example.net/p/sylt", "€129 → €79"}}, cta: "Jetzt entdecken"},
	)
	add(bite,
		issue{key: "pr-bite-1", at: cd(10, "17:45"), subject: "€10 off your next order – tonight only 🍕",
			preheader: "Dinner's on us (partly).", intro: "Too tired to cook? Get €10 off any order over €25 tonight.",
			items: []item{{"Order now", "https://quickbite.example.com/order", "Minimum order €25"}}, code: "TONIGHT10"},
		issue{key: "pr-bite-2", at: cd(2, "12:10"), subject: "Lunch deals near you",
			preheader: "Lunch in 20 minutes.", intro: "Fast lunch, delivered to the office: new lunch menus from restaurants near you, all under €12.",
			items: []item{{"Pho Saigon: lunch bowl", "https://quickbite.example.com/r/pho", "€9.90"},
				{"Falafel Haus: wrap & drink", "https://quickbite.example.com/r/falafel", "€8.50"}}},
	)
	add(stream,
		issue{key: "pr-stream-1", at: cd(18, "20:00"), subject: "Come back: 3 months for €1",
			preheader: "We miss you.", intro: "It's been a while! Come back to Streamly and get your first three months for just €1.",
			items: []item{{"New this month", "https://streamly.example.com/new", "Six new series and the complete 'Harbour Lights'."}}, cta: "Restart my membership"},
	)
	add(linden,
		issue{key: "pr-linden-1", at: cd(14, "08:40"), subject: "Stockholm weekend: 25% off for members",
			preheader: "Book by Sunday.", intro: "Heading to Stockholm? Members save 25% on weekend stays at Linden Hotel Södermalm.",
			items: []item{{"Linden Hotel Södermalm", "https://lindenhotels.example.com/sto", "from €119 per night"}}, cta: "Book your stay"},
	)
	add(maison,
		issue{key: "pr-maison-1", at: cd(11, "18:30"), subject: "La nouvelle collection est arrivée",
			preheader: "Linen, made in Portugal.", intro: "Our summer collection is here: light linen shirts and dresses, made in Portugal.",
			items: []item{{"Linen shirt, sand", "https://maisonardoise.example.com/p/shirt", "€89"},
				{"Wrap dress, slate", "https://maisonardoise.example.com/p/dress", "€129"}}, cta: "Découvrir"},
		issue{key: "pr-maison-2", at: cd(4, "18:30"), subject: "Private sale: -20% for subscribers",
			preheader: "48 hours, subscribers only.", intro: "For 48 hours, subscribers get 20% off the entire collection.",
			items: []item{{"Shop the private sale", "https://maisonardoise.example.com/private", "-20% on everything"}}, code: "ARDOISE20"},
	)
	add(gym,
		issue{key: "pr-gym-1", at: cd(9, "07:30"), subject: "Bring a friend for free this month 💪",
			preheader: "Training is better together.", intro: "All month long, members can bring a friend for free, as often as they like. Your friend gets 50% off the first month if they join.",
			items: []item{{"Class schedule", "https://kraftwerk-fitness.example.net/classes", "Spinning, yoga, functional"}}},
	)
	add(webinar,
		issue{key: "pr-webinar-1", at: cd(6, "14:00"), subject: "Webinar: Cut your cloud bill by 20% in 30 days",
			preheader: "Live, with Q&A.", intro: "Join our live webinar and learn the five fastest ways to cut cloud spend, with real examples from data teams.",
			items: []item{{"Register for free", "https://stackwise.example.com/webinar/cut-20", "Thursday, 4pm CET"}}, cta: "Save my seat"},
	)
	return out
}

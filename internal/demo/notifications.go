package demo

import (
	"fmt"
	"html"
	"strings"
)

// auto marks a spec as machine-generated mail.
func auto(s *spec) *spec {
	if s.kind == "" {
		s.kind = KindNotification
	}
	if s.folder == "" {
		s.folder = "INBOX"
	}
	s.hdrs = append([]string{"Auto-Submitted: auto-generated", "X-Auto-Response-Suppress: All"}, s.hdrs...)
	return s
}

// receiptHTML renders a simple order table, as shops do.
func receiptHTML(shop, color, order string, lines [][2]string, total string) string {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<html><body style="font-family:Arial,sans-serif;color:#222">
<table width="100%%" cellpadding="0" cellspacing="0"><tr><td style="background:%s;color:#fff;padding:16px;font-size:20px">%s</td></tr></table>
<p>Thank you for your order!</p>
<p>Order number: <strong>%s</strong></p>
<table cellpadding="6" cellspacing="0" style="border-collapse:collapse;min-width:360px">
<tr style="background:#f0f0f0"><th align="left">Item</th><th align="right">Price</th></tr>
`, color, e(shop), e(order))
	for _, l := range lines {
		fmt.Fprintf(&b, "<tr><td style=\"border-bottom:1px solid #ddd\">%s</td><td align=\"right\" style=\"border-bottom:1px solid #ddd\">%s</td></tr>\n", e(l[0]), e(l[1]))
	}
	fmt.Fprintf(&b, `<tr><td><strong>Total (incl. VAT)</strong></td><td align="right"><strong>%s</strong></td></tr>
</table>
<p style="font-size:12px;color:#777">This is an automatically generated e-mail &ndash; please do not reply.</p>
</body></html>
`, e(total))
	return b.String()
}

// notificationSpecs are receipts, shipping notices, bank alerts, CI and
// account mail, and calendar notices: all sent by machines.
func notificationSpecs() []*spec {
	return []*spec{
		auto(&spec{key: "n-order-books", folder: "Receipts", flags: "S", at: cd(14, "21:12"),
			fromRaw: "Paperback Lane <no-reply@paperbacklane.example.net>", subject: "Your order PL-58213 is confirmed",
			text: `Hello Alex,

thank you for your order at Paperback Lane.

Order number: PL-58213
  1 x A Field Guide to Clouds          18.00 EUR
  1 x Small Fires                      12.50 EUR
  1 x The Cartographer's Daughter      14.99 EUR
  3 for 2 discount                    -12.50 EUR
  Shipping                              8.50 EUR
  --------------------------------------------
  Total (incl. 7% VAT)                 41.49 EUR

We'll let you know as soon as your parcel is on its way.

Paperback Lane`,
			html: receiptHTML("Paperback Lane", "#ad1457", "PL-58213", [][2]string{{"A Field Guide to Clouds", "€18.00"}, {"Small Fires", "€12.50"},
				{"The Cartographer's Daughter", "€14.99"}, {"3 for 2 discount", "−€12.50"}, {"Shipping", "€8.50"}}, "€41.49")}),
		auto(&spec{key: "n-ship-books", flags: "S", at: cd(12, "14:02"),
			fromRaw: "Paperback Lane <no-reply@paperbacklane.example.net>", subject: "Shipped: your order PL-58213 is on its way",
			text: `Good news! Your order PL-58213 has left our warehouse.

Carrier: Parcelo
Tracking number: PX 4471 2290 1183
Track it: https://track.parcelo.example.com/PX447122901183

Expected delivery: 1-2 working days.`}),
		auto(&spec{key: "n-delivered-books", flags: "S", at: cd(11, "11:47"),
			fromRaw: "Parcelo <notification@parcelo.example.com>", subject: "Delivered: parcel PX 4471 2290 1183",
			text: `Your parcel PX 4471 2290 1183 from Paperback Lane was delivered today at 11:42.

Handed to: neighbour (Fischer, ground floor)

Questions? https://help.parcelo.example.com`}),
		auto(&spec{key: "n-grocery", folder: "Receipts", flags: "S", at: cd(8, "19:30"),
			fromRaw: "Frischkiste <rechnung@frischkiste.example.net>", subject: "Ihre Rechnung zur Bestellung 77120 / your receipt",
			text: `Hallo Alex,

vielen Dank für deine Bestellung! / Thanks for your order!

Bestellnummer / order: 77120
Lieferung / delivery: tomorrow, 18:00-20:00

  Gemüsekiste groß / large veg box         29,90 €
  Bio-Vollmilch 1 l x 2                     2,78 €
  Sauerteigbrot                             4,50 €
  Kaffee "Guji" 250 g                      11,90 €
  Eier (10)                                 4,20 €
  Liefergebühr / delivery                   9,90 €
  ----------------------------------------------
  Summe / total                            63,18 €

Deine Frischkiste`}),
		auto(&spec{key: "n-train", folder: "Receipts", flags: "S", at: cd(19, "07:55"),
			fromRaw: "RailConnect <tickets@railconnect.example.com>", subject: "Your ticket: Berlin Hbf → Hamburg Hbf, booking R7Q-2K94",
			attach: []attachment{{name: "Ticket_R7Q-2K94.pdf", ctype: "application/pdf", data: fakePDF("RailConnect ticket R7Q-2K94 Berlin Hbf - Hamburg Hbf")}},
			text: `Thank you for travelling with RailConnect.

Booking reference: R7Q-2K94
Outbound: Berlin Hbf 08:34 → Hamburg Hbf 10:22, ICE 702, coach 7, seat 55
Return:   Hamburg Hbf 18:06 → Berlin Hbf 19:48, ICE 1709, coach 5, seat 21
Fare: Saver fare, 2nd class, 1 adult
Total paid: 49.90 EUR (credit card ending 4417)

Your ticket is attached as a PDF. Please have it ready on your phone or printed.`}),
		auto(&spec{key: "n-cloud-invoice", folder: "Receipts", flags: "S", at: cd(10, "03:14"),
			fromRaw: "Nimbus Cloud Billing <billing@nimbus.example.com>", subject: "Invoice INV-48213 for your Nimbus Cloud account",
			attach: []attachment{{name: "INV-48213.pdf", ctype: "application/pdf", data: fakePDF("Nimbus Cloud invoice INV-48213")}},
			text: `Hello,

your invoice INV-48213 is attached.

Account: alex-personal (acct-20417)
Billing period: last month
Amount due: 212.40 EUR
Payment method: credit card ending 4417, charged automatically on the 5th

Nimbus Cloud Billing`}),
		auto(&spec{key: "n-coffee-receipt", folder: "Receipts", flags: "S", at: cd(18, "12:20"),
			fromRaw: "Bean & Bloom Coffee <orders@beanbloom.example.com>", subject: "Receipt for order #BB-10482",
			html: receiptHTML("Bean & Bloom Coffee", "#6d4c41", "#BB-10482", [][2]string{{"Ethiopia Guji 500g", "€19.90"}, {"Shipping", "€4.90"}}, "€24.80")}),
		auto(&spec{key: "n-food-receipt", folder: "Receipts", flags: "S", at: cd(10, "20:41"),
			fromRaw: "Quickbite <receipts@quickbite.example.com>", subject: "Your Quickbite receipt – order 5KD-88",
			html: receiptHTML("Quickbite", "#e53935", "5KD-88", [][2]string{{"Margherita (32 cm)", "€11.50"}, {"Insalata mista", "€7.90"},
				{"Tiramisu", "€5.50"}, {"Delivery fee", "€2.99"}, {"Voucher TONIGHT10", "−€10.00"}}, "€17.89")}),
		auto(&spec{key: "n-bank-card", flags: "S", at: cd(21, "18:03"),
			fromRaw: "Spreebank <alerts@spreebank.example.net>", subject: "Card payment of 84.20 EUR",
			text: `Card payment

Your debit card ending 4417 was used:
Amount: 84.20 EUR
Merchant: TRAILHEAD OUTFITTERS BERLIN
Date: today

Not you? Call us immediately on +49 30 5555 0100 or freeze your card in the app.

This is an automated message, replies are not read.`}),
		auto(&spec{key: "n-bank-statement", flags: "S", at: cd(5, "06:00"),
			fromRaw: "Spreebank <service@spreebank.example.net>", subject: "Your account statement is ready",
			text: `Dear customer,

your monthly account statement for account ending 0932 is now available in online banking under Documents > Statements.

For your security we never send statements as e-mail attachments and never ask for your PIN or TAN by e-mail.

Spreebank`}),
		auto(&spec{key: "n-bank-debit", flags: "S", at: cd(7, "06:00"),
			fromRaw: "Spreebank <service@spreebank.example.net>", subject: "Direct debit announced: Stadtwerke Berlin 78.00 EUR",
			text: `A direct debit has been announced for your account ending 0932:

Creditor: Stadtwerke Berlin GmbH
Amount: 78.00 EUR
Reference: Abschlag Strom, customer no. 60418833
Due: in 3 days

No action is needed if the amount is correct.`}),
		auto(&spec{key: "n-ci-fail", flags: "", at: ago("4h20m"),
			fromRaw: "Codehost <notifications@code.example.com>", to: []string{"larkspur/atlas-pipeline <atlas-pipeline@noreply.code.example.com>"},
			cc:      []string{"Ci activity <ci_activity@noreply.code.example.com>"},
			subject: "[larkspur/atlas-pipeline] Run failed: CI - main (9f3c2e1)",
			hdrs:    []string{"List-Id: larkspur/atlas-pipeline <atlas-pipeline.larkspur.code.example.com>", "X-Codehost-Reason: ci_activity"},
			text: `Run failed for main (9f3c2e1)

Repository: larkspur/atlas-pipeline
Workflow: CI
Commit: 9f3c2e1 "backfill: resume from last checkpoint" by Jonas Weber

Failed jobs:
  test (1.26.x, ubuntu-latest)   failed after 4m 12s
    --- FAIL: TestBackfillResume (3.41s)
        backfill_test.go:188: resumed at offset 40960, want 40961

View the run: https://code.example.com/larkspur/atlas-pipeline/actions/runs/88120417

You are receiving this because you are watching this repository.`}),
		auto(&spec{key: "n-ci-fixed", flags: "S", at: ago("2h05m"),
			fromRaw: "Codehost <notifications@code.example.com>", to: []string{"larkspur/atlas-pipeline <atlas-pipeline@noreply.code.example.com>"},
			subject: "[larkspur/atlas-pipeline] Run succeeded: CI - main (b27d004)",
			hdrs:    []string{"List-Id: larkspur/atlas-pipeline <atlas-pipeline.larkspur.code.example.com>", "X-Codehost-Reason: ci_activity"},
			text: `All jobs succeeded for main (b27d004)

Commit: b27d004 "backfill: fix off-by-one in resume offset" by Jonas Weber
Duration: 6m 03s

View the run: https://code.example.com/larkspur/atlas-pipeline/actions/runs/88121990`}),
		// A review request: sent by a machine, but a colleague is waiting
		// for the user to act, so it needs a reply.
		auto(&spec{key: "n-pr-review", needs: true, flags: "", at: ago("6h30m"),
			fromRaw: "Aisha Rahman <notifications@code.example.com>", to: []string{"larkspur/atlas-pipeline <atlas-pipeline@noreply.code.example.com>"},
			cc:      []string{"Review requested <review_requested@noreply.code.example.com>"},
			subject: "[larkspur/atlas-pipeline] retention: drop raw events after 180 days (PR #482)",
			hdrs:    []string{"List-Id: larkspur/atlas-pipeline <atlas-pipeline.larkspur.code.example.com>", "X-Codehost-Reason: review_requested"},
			text: `@aisha-r requested your review on: larkspur/atlas-pipeline#482 retention: drop raw events after 180 days.

This changes the retention job to delete raw events older than 180 days (was 400). Deletion runs in batches of 10k with a dry-run mode; see the description for the numbers.

Needs sign-off from a budget owner before merge.

-- 
Reply to this email directly or view it on Codehost:
https://code.example.com/larkspur/atlas-pipeline/pull/482
You are receiving this because your review was requested.`}),
		auto(&spec{key: "n-pwreset", flags: "S", at: cd(13, "22:41"),
			fromRaw: "Nimbus Cloud <no-reply@accounts.nimbus.example.com>", subject: "Reset your Nimbus Cloud password",
			text: `Hi Alex,

we received a request to reset the password for your Nimbus Cloud account.

Reset your password: https://accounts.nimbus.example.com/reset?token=8f2c1e9a7b

This link expires in 30 minutes. If you didn't ask for this, you can ignore this e-mail; your password won't change.`}),
		auto(&spec{key: "n-signin", flags: "S", at: cd(13, "22:49"),
			fromRaw: "Nimbus Cloud <no-reply@accounts.nimbus.example.com>", subject: "New sign-in to your account",
			text: `We noticed a new sign-in to your Nimbus Cloud account.

Device: Firefox on Linux
Location: Berlin, Germany (approximate)
Time: a few minutes ago

If this was you, you don't need to do anything. If not, secure your account: https://accounts.nimbus.example.com/security`}),
		auto(&spec{key: "n-cal-reminder", flags: "S", at: cd(1, "15:45"),
			fromRaw: "Larkspur Calendar <calendar-noreply@example.org>", subject: "Reminder: 1:1 Priya / Alex in 15 minutes",
			text: `Reminder

1:1 Priya / Alex
Starts in 15 minutes (16:00 Europe/Berlin)
Organizer: Priya Shah

Open in calendar: https://calendar.example.org/event/priya-1on1`}),
		auto(&spec{key: "n-cal-accepted", flags: "S", at: after("itip-review", "3h"),
			fromRaw: "Larkspur Calendar <calendar-noreply@example.org>", subject: "Aisha Rahman accepted: Atlas design review: events table cut-over",
			text: `Aisha Rahman has accepted the invitation to:

Atlas design review: events table cut-over
Organizer: Jonas Weber

Attendees: 2 accepted, 1 awaiting response`}),
		auto(&spec{key: "n-payslip", flags: "S", at: cd(20, "05:30"),
			fromRaw: "Payroll <payroll-noreply@example.org>", subject: "Your payslip is available",
			text: `Hello Alex Morgan,

your payslip for last month is available in the HR portal under Documents > Payslips.

This is an automatic message from the payroll system.`}),
		auto(&spec{key: "n-utility", flags: "S", at: cd(17, "09:00"),
			fromRaw: "Stadtwerke Berlin <kundenservice@stadtwerke.example.net>", subject: "Ihre Jahresabrechnung Strom ist da",
			text: `Guten Tag Alex Morgan,

Ihre Jahresabrechnung für Strom (Kundennummer 60418833) steht im Kundenportal bereit.

Verbrauch: 1.842 kWh
Gesamtbetrag: 912,36 EUR
Bereits gezahlt: 936,00 EUR
Guthaben: 23,64 EUR, wird mit dem nächsten Abschlag verrechnet.

Ihre Stadtwerke Berlin`}),
		auto(&spec{key: "n-doctor", flags: "S", at: cd(2, "10:00"),
			fromRaw: "Zahnarztpraxis Aydin <termine@praxis-aydin.example.net>", subject: "Terminerinnerung / appointment reminder",
			text: `Guten Tag,

wir erinnern Sie an Ihren Termin zur Kontrolle in der nächsten Woche um 08:15 Uhr.
This is a reminder of your check-up appointment next week at 08:15.

Bitte sagen Sie spätestens 24 Stunden vorher ab, falls Sie verhindert sind: +49 30 5555 0177

Zahnarztpraxis Aydin · Wiener Str. 20 · 10999 Berlin`}),
		auto(&spec{key: "n-locker", flags: "", at: ago("7h15m"),
			fromRaw: "Parcelo <notification@parcelo.example.com>", subject: "Your parcel is waiting in locker 112",
			text: `Your parcel from Voltcraft Electronics is waiting for you.

Locker: 112, Oranienstraße 180
Pick-up code: 483 912
Available until: 7 days from today

Tip: scan the QR code in the app to open the locker without typing the code.`}),
		auto(&spec{key: "n-flight", folder: "Receipts", flags: "S", at: cd(16, "22:05"),
			fromRaw: "SkyLark Air <bookings@skylark-air.example.com>", subject: "Booking confirmation HK7PQ2 – Berlin to Stockholm",
			text: `Thank you for booking with SkyLark Air.

Booking reference: HK7PQ2
Passenger: MORGAN/ALEX MX

Outbound: BER 07:10 → ARN 08:55, SL 1422
Return:   ARN 19:40 → BER 21:25, SL 1427

Fare: Light (cabin bag only)
Total: 186.40 EUR

Online check-in opens 30 hours before departure.`}),
		auto(&spec{key: "n-domain", flags: "S", at: cd(24, "04:12"),
			fromRaw: "DomainDock <no-reply@domaindock.example.com>", subject: "morgan-family.example.net renews in 30 days",
			text: `Hello,

the domain morgan-family.example.net will be renewed automatically in 30 days for 14.00 EUR per year.

No action is needed if you want to keep it. To cancel, turn off auto-renew in your account before the renewal date.`}),
		auto(&spec{key: "n-library", flags: "S", at: cd(3, "07:00"),
			fromRaw: "Stadtbibliothek Kreuzberg <noreply@bibliothek.example.net>", subject: "Erinnerung: 2 Medien in 3 Tagen fällig",
			text: `Liebe Leserin, lieber Leser,

folgende Medien sind in 3 Tagen fällig:

- Quinn, M.: Notes in the Margin (Buch)
- Der Himmel über Berlin (DVD)

Sie können die Leihfrist online verlängern: https://bibliothek.example.net/konto

Ihre Stadtbibliothek`}),
	}
}

// socialSpecs are notifications from social networks.
func socialSpecs() []*spec {
	link := "Linkfolk <notifications@linkfolk.example.com>"
	pixel := "Pixelgram <no-reply@pixelgram.example.net>"
	ride := "Ridelog <kudos@ridelog.example.com>"
	soc := func(s *spec) *spec {
		s.kind = KindSocial
		if s.folder == "" {
			s.folder = "Social"
		}
		if s.flags == "" && s.folder != "INBOX" {
			s.flags = "S"
		}
		s.hdrs = append(s.hdrs, "List-Unsubscribe: <https://"+domainOf(s.fromRaw)+"/settings/email?u="+shortHash(s.key, 10)+">")
		return s
	}
	return []*spec{
		soc(&spec{key: "so-comment", folder: "INBOX", flags: "S", at: cd(6, "12:40"), fromRaw: link,
			subject: "Jonas Weber commented on your post",
			text: `Jonas Weber commented on your post "What we learned moving 3 years of data without downtime":

"Great write-up. The part about rehearsing the rollback until it's boring is the real lesson here."

See the comment: https://linkfolk.example.com/feed/update/8812044

Unsubscribe from comment notifications: https://linkfolk.example.com/settings/email`,
			html: `<html><body style="font-family:Helvetica,Arial,sans-serif"><table width="100%" cellpadding="0" cellspacing="0"><tr><td style="padding:16px">
<p><strong>Jonas Weber</strong> commented on your post</p>
<blockquote style="border-left:3px solid #0a66c2;padding-left:10px;color:#333">Great write-up. The part about rehearsing the rollback until it&rsquo;s boring is the real lesson here.</blockquote>
<p><a href="https://linkfolk.example.com/feed/update/8812044" style="background:#0a66c2;color:#fff;padding:8px 14px;border-radius:16px;text-decoration:none">See comment</a></p>
<p style="font-size:11px;color:#888">&copy; Linkfolk &middot; <a href="https://linkfolk.example.com/settings/email">Unsubscribe</a></p>
</td></tr></table></body></html>`}),
		soc(&spec{key: "so-follower", at: cd(15, "19:22"), fromRaw: pixel,
			subject: "lena.k.photos started following you",
			text: `lena.k.photos started following you.

Follow back: https://pixelgram.example.net/lena.k.photos`}),
		soc(&spec{key: "so-connreq", at: cd(10, "08:15"), fromRaw: link,
			subject: "You have 2 new invitations",
			text: `You have 2 new invitations

Sophie Wagner, Analyst at Larkspur Analytics
Felix Braun, Account Executive DACH at Stackwise

Accept or ignore: https://linkfolk.example.com/mynetwork/invitations`}),
		soc(&spec{key: "so-mention", folder: "INBOX", flags: "S", at: cd(5, "16:02"), fromRaw: link,
			subject: "Priya Shah mentioned you in a comment",
			text: `Priya Shah mentioned you in a comment:

"Proud of this team! @Alex Morgan led the migration end to end."

View: https://linkfolk.example.com/feed/update/8813377`}),
		soc(&spec{key: "so-likes", at: cd(5, "21:30"), fromRaw: link,
			subject: "Your post is getting attention",
			text: `Your post "What we learned moving 3 years of data without downtime" has 48 reactions and 9 comments.

See who reacted: https://linkfolk.example.com/analytics/post/8812044`}),
		soc(&spec{key: "so-birthday", at: cd(19, "06:00"), fromRaw: link,
			subject: "Wish Ravi Kumar a happy birthday",
			text:    `Today is Ravi Kumar's birthday. Say happy birthday: https://linkfolk.example.com/messaging/compose?to=ravi-kumar`}),
		soc(&spec{key: "so-kudos", at: cd(1, "13:10"), fromRaw: ride,
			subject: "Kemal Yildiz and 4 others gave you kudos",
			text: `Kemal Yildiz, Ines Brandt and 3 others gave you kudos on "Sunday Müggelsee loop" (71.4 km, 2:58 h).

See your activity: https://ridelog.example.com/activities/55102847`}),
		soc(&spec{key: "so-message", folder: "INBOX", flags: "", at: ago("11h"), fromRaw: link,
			subject: "Grace Liu sent you a message",
			text: `Grace Liu sent you a message:

"Hi Alex, looking forward to our call! Marcus says you..."

Read and reply on Linkfolk: https://linkfolk.example.com/messaging/thread/2-Njg3`}),
		soc(&spec{key: "so-pymk", at: cd(8, "09:00"), fromRaw: link,
			subject: "Alex, people you may know at Fernhill",
			text: `People you may know:

- Grace Liu, Head of Partnerships at Fernhill
- Owen Price, Data Engineer at Fernhill
- Mira Olsen, VP Engineering at Fernhill

Grow your network: https://linkfolk.example.com/mynetwork`}),
		soc(&spec{key: "so-pixel-comment", at: cd(20, "22:14"), fromRaw: pixel,
			subject: "sam.morgan commented on your photo",
			text: `sam.morgan commented on your photo: "the paddleboard never stood a chance 😂"

Reply: https://pixelgram.example.net/p/Cx81kQ`}),
	}
}

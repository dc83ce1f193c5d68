package demo

// spamSpecs is classic unsolicited mail: lottery wins, fake invoices,
// pharmacies, crypto schemes and phishing. Most sits in Junk; a few got
// through to the inbox. Authentication fails for all of them.
func spamSpecs() []*spec {
	junk := func(s *spec) *spec {
		s.kind, s.authFail = KindSpam, true
		if s.folder == "" {
			s.folder = "Junk"
		}
		return s
	}
	return []*spec{
		junk(&spec{key: "sp-lottery", flags: "S", at: cd(26, "03:17"),
			fromRaw: "\"EURO MILLIONS INTL. LOTTERY BOARD\" <claims@lotto-winners.example.net>",
			replyTo: "Dr. Peter Williams <claims.agent.williams@freemailbox.example.com>",
			to:      []string{"undisclosed-recipients:;"},
			subject: "CONGRATULATIONS!!! YOUR EMAIL HAS WON €1,500,000.00",
			text: `ATTN: WINNER

This is to inform you that your e-mail address was selected in our international e-mail lottery programme held last week. You have been approved for a lump sum payout of €1,500,000.00 (ONE MILLION FIVE HUNDRED THOUSAND EUROS).

Batch no: EML/2291/88
Ticket no: 0097-4471-2210
Lucky numbers: 7-14-22-31-44

To claim your prize contact our claims agent Dr. Peter Williams IMMEDIATELY with:
1. Full name
2. Address
3. Phone number
4. Copy of ID/passport

NOTE: All winnings must be claimed within 14 days or they will be returned to the treasury. Keep this notification CONFIDENTIAL to avoid double claiming.

Congratulations once again!
Mrs. Angela Brooks
Promotions Manager`}),
		junk(&spec{key: "sp-invoice", folder: "INBOX", flags: "", at: ago("14h"),
			fromRaw: "Accounts Payable <billing@secure-invoices.example.com>",
			replyTo: "payments-dept@fastpay-solutions.example.net",
			subject: "Invoice #INV-39912 OVERDUE - final reminder before collection",
			html: `<html><body style="font-family:Arial">
<p>Dear Customer,</p>
<p>Our records show that invoice <b>#INV-39912</b> for <b>€2,840.00</b> is now <span style="color:red"><b>21 days overdue</b></span>.</p>
<p>To avoid a collection fee of &euro;350 and a negative credit report, please review and settle the invoice within 24 hours:</p>
<p><a href="http://secure-invoices.example.com.login-verify.example.net/inv/39912" style="background:#1a73e8;color:#fff;padding:10px 18px;text-decoration:none">VIEW INVOICE (PDF)</a></p>
<p>If you have already paid, please ignore this message.</p>
<p>Regards,<br>Accounts Receivable Department</p>
</body></html>`}),
		junk(&spec{key: "sp-pharma", flags: "S", at: cd(23, "01:44"),
			fromRaw: "Pharmacy Direct <xq7ly@pills4u.example.net>",
			subject: "V1agra, C1alis - up to 80% 0FF, no prescription needed",
			html: `<html><body><center>
<table width="500" border="0"><tr><td bgcolor="#e8f5e9" align="center">
<font face="Verdana" size="5" color="#2e7d32"><b>CANADIAN PHARMACY ONLINE</b></font><br>
<font face="Verdana" size="3">Best prices &bull; Discreet shipping &bull; No prescription</font>
</td></tr>
<tr><td><ul><li>V1agra 100mg x 30 &mdash; <s>$89</s> <b>$19.95</b></li><li>C1alis 20mg x 20 &mdash; <s>$110</s> <b>$24.90</b></li><li>Weight loss pills &mdash; <b>$14.99</b></li></ul></td></tr>
<tr><td align="center"><a href="http://rx-best-deals.example.net/?id=88213"><font size="4"><b>ORDER NOW &gt;&gt;</b></font></a></td></tr>
</table>
<font size="1" color="#ffffff">garden umbrella history fourteen quietly harbour</font>
</center></body></html>`}),
		junk(&spec{key: "sp-crypto", flags: "S", at: cd(19, "23:58"),
			fromRaw: "✅ CryptoElite Team <profit@crypto-elite.example.com>",
			subject: "Alex, turn €250 into €12,000 in 7 days (AI trading bot)",
			text: `Hi Alex,

Are you tired of working for someone else?

Our AI trading robot made members an average of 4,700% last year. It trades Bitcoin automatically 24/7 while you sleep. No experience needed!

>> Start with just €250: http://crypto-elite.example.com/join?ref=alex

Only 17 places left in your country. This offer expires at midnight.

To your success,
Michael R., founder
(this is not financial advice)`}),
		junk(&spec{key: "sp-prince", flags: "S", at: cd(28, "11:02"),
			fromRaw: "Barrister James Okoro <info@okoro-chambers.example.net>",
			replyTo: "james.okoro.esq@freemailbox.example.com",
			subject: "URGENT AND CONFIDENTIAL BUSINESS PROPOSAL",
			text: `Dear Friend,

I am Barrister James Okoro, personal attorney to the late Mr. Andrew Morgan, a foreign contractor who died in a car accident with his entire family. He left a deposit of US$ 8.5 MILLION with a bank here, and all efforts to locate his relatives have failed.

Since you share the same last name, I am seeking your consent to present you as the next of kin so that the proceeds of this account can be paid to you. We will share the funds 50/50. This transaction is 100% risk free.

Please reply with your full name, private phone number and occupation.

Yours faithfully,
Barrister James Okoro`}),
		junk(&spec{key: "sp-phish-bank", folder: "INBOX", flags: "S", at: cd(9, "04:33"),
			fromRaw: "Spreebank Security <security@spreebank-secure.example.com>",
			subject: "Unusual activity detected - verify your account within 24h",
			html: `<html><body style="font-family:Arial,sans-serif">
<table width="600" cellpadding="10"><tr><td style="background:#003366;color:#ffffff"><b>Spreebank</b></td></tr>
<tr><td>
<p>Dear valued customer,</p>
<p>We have detected unusual sign-in activity on your online banking. For your protection, your access has been <b>temporarily limited</b>.</p>
<p>Please verify your identity within 24 hours to restore full access:</p>
<p><a href="http://spreebank-secure.example.com/verify?session=ab81f">https://www.spreebank.example.net/verify</a></p>
<p>Failure to verify will result in permanent suspension of your account.</p>
<p>Spreebank Security Team</p>
</td></tr></table></body></html>`}),
		junk(&spec{key: "sp-mailbox", folder: "INBOX", flags: "S", at: cd(7, "02:12"),
			fromRaw: "Mail Administrator <admin@example-org-support.example.com>",
			subject: "Your mailbox alex@example.org is 98% full",
			text: `Dear alex@example.org,

Your mailbox has exceeded its storage limit (98% used). You will not be able to send or receive new messages until you upgrade your quota.

Upgrade for free here: http://example-org-support.example.com/quota/upgrade?u=alex@example.org

Thank you,
Mail Administrator`}),
		junk(&spec{key: "sp-seo", flags: "S", at: cd(16, "08:08"),
			fromRaw: "Rahul | SEO Expert <rahul.seo.services@freemailbox.example.com>",
			subject: "Re: Website Ranking Proposal",
			text: `Hello Sir/Madam,

I was checking your website and found it is not ranking on the first page of Google for many important keywords. I can get you to #1 position within 30 days with our white-hat SEO packages starting at $99/month.

Shall I send you the price list and our past work?

Thanks & Regards,
Rahul`}),
		junk(&spec{key: "sp-parcel", folder: "INBOX", flags: "", at: ago("19h"),
			fromRaw: "Parcel Service <info@parcel-track-de.example.net>",
			subject: "Your parcel is on hold: customs fee of 1.99 EUR unpaid",
			text: `Dear customer,

Your parcel (tracking no. DE88213370) could not be delivered because a customs fee of 1.99 EUR has not been paid.

Pay now to schedule redelivery: http://parcel-track-de.example.net/pay?id=DE88213370

If the fee is not paid within 48 hours, the parcel will be returned to the sender.`}),
		junk(&spec{key: "sp-romance", flags: "S", at: cd(12, "05:50"),
			fromRaw: "Natalia 💋 <natalia.sweet1992@freemailbox.example.com>",
			subject: "hello dear, i saw your profile",
			text: `hello dear,

how are you today? i saw your profile and i think you are very nice person. i am Natalia, 32 years, i work as nurse. i am looking for serious relationship with honest man or woman.

please write me back to my private email natalia.sweet1992@freemailbox.example.com and i send you my photos.

kisses, Natalia`}),
		junk(&spec{key: "sp-stock", flags: "S", at: cd(25, "14:14"),
			fromRaw: "Market Insider Alert <alerts@smallcap-insider.example.com>",
			subject: "This $0.12 stock is about to EXPLODE (ticker inside)",
			text: `BREAKING: A tiny mining company just struck what insiders call "the find of the decade".

Ticker: GXMN
Current price: $0.12
Our 7-day target: $2.40 (+1,900%)

Big money is already moving in. Get in BEFORE the announcement on Monday!

Disclaimer: We were paid 50,000 USD by a third party to distribute this message.`}),
		junk(&spec{key: "sp-job", flags: "S", at: cd(4, "03:03"),
			fromRaw: "HR Department <hr-recruitment@global-jobs.example.net>",
			subject: "Work from home - earn 500 EUR/day (part-time)",
			text: `Good day,

Our company is looking for part-time payment processing assistants in Germany. Work from home, 2-3 hours per day, 500 EUR per day. No experience required.

Requirements: a bank account, a smartphone, 18+ years.

Reply with your full name and phone number and our manager will contact you on WhatsApp.`}),
	}
}

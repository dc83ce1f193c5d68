package demo

// sentSpecs is the user's own mail: replies that make commitments ("I'll
// send them by Thursday"), requests to others that PAM should track as
// waiting-on, and plain replies to learn the user's style from.
func sentSpecs() []*spec {
	sent := func(s *spec) *spec {
		s.kind, s.folder, s.flags, s.from = KindPerson, "Sent", "S", user
		return s
	}
	return []*spec{
		sent(&spec{key: "s-q3-commit", at: after("q3-ask", "1h10m"), parent: "q3-ask", quote: true,
			text: `Hi Priya,

Sure. I'll send them by {{wd 2}} — the cloud spend needs a quick check with María first, the August invoice from the provider was off by a few thousand and I want the corrected figure in there.

Headcount and Atlas cost are ready, so those could come earlier if it helps.

Alex`}),
		sent(&spec{key: "s-atlas-1", at: after("atlas-1", "3h"), parent: "atlas-1", quote: true,
			text: `Let's dual-write. 1,900 EUR is cheap compared to a Sunday of read-only dashboards and the support tickets that follow.

Can you write up the rollback steps by {{wd 2}}? I'd like them in the runbook before we book the window, so that whoever is on call can follow them without us.

Thanks,
Alex`}),
		sent(&spec{key: "s-atlas-3", at: after("atlas-3", "50m"), parent: "atlas-3", quote: false,
			to: []string{aisha.addr()}, cc: []string{jonas.addr(), raj.addr()},
			text: `Approved: extra 2 TB of staging quota for the Atlas backfill, cost centre 4410.

Raj, please go ahead and provision it when you can.

Alex`}),
		sent(&spec{key: "s-dana-1", at: after("dana-1", "2h"), parent: "dana-1", quote: true,
			text: `Hi Dana,

Thanks for sending v3. I will review it tomorrow and come back to you with our position on the liability cap; section 14 looks fine to me at first glance.

Best,
Alex`}),
		sent(&spec{key: "s-fam-1", at: after("fam-1", "13h"), parent: "fam-1", quote: true, noSig: true,
			text: `Yes to Rosa's! I'll call Marco on Monday and book for 8 people at 7:30. Agree on the fuss, we're doing it anyway.

A`}),
		sent(&spec{key: "s-eva-1", at: after("eva-1", "3h"), parent: "eva-1", quote: true,
			text: `Dear Eva,

Thank you, I'd be delighted. A first go at title and abstract:

"Moving the floor while standing on it: migrating a data platform without downtime"
How a small team moved three years of event data to a new platform while the dashboards kept running: dual-writes, checksums, a rollback we rehearsed until it was boring, and the costs nobody warned us about.

Happy to adjust it to fit the track. I'll send a short bio and a photo next week.

Best regards,
Alex`}),
		sent(&spec{key: "s-kenji", at: after("kenji-meeting", "5h30m"), parent: "kenji-meeting", quote: true,
			text: `Dear Sato-san,

Thank you for letting me know. Thursday at 10:00 Berlin time (17:00 in Tokyo) works well for me. I will update the invitation.

Best regards,
Alex`}),
		sent(&spec{key: "s-grace", at: after("grace-intro", "14h"), parent: "grace-intro", quote: true,
			to: []string{grace.addr()}, hdrs: []string{"Bcc: " + marcus.addr()},
			text: `Hi Grace,

Nice to meet you, and thanks Marcus for connecting us (moving you to bcc).

How about {{at "workshop" "Monday"}} at 17:30 my time, 8:30 for you? Send an invite whenever suits.

Best,
Alex`}),
		sent(&spec{key: "s-pablo", at: bd(4, "10:20"), to: []string{pablo.addr()},
			subject: "Invoice for the Atlas illustrations",
			text: `Hi Pablo,

The illustrations are live on the Atlas landing page and everyone loves the one with the moving boxes. Thank you!

Can you send me the invoice by Monday? Finance closes the month on Tuesday and I'd like to get it paid in this cycle.

Cheers,
Alex`}),
		sent(&spec{key: "s-raj-vpn", at: bd(11, "08:45"), to: []string{raj.addr()},
			subject: "VPN token broken after the update",
			text: `Hi Raj,

Since yesterday's client update my VPN token is rejected ("enrolment invalid"). Could you reset it by tomorrow? I'm working from home on Thursday and need it then.

Thanks,
Alex`}),
		sent(&spec{key: "s-tom", at: after("tom-mocks", "1h05m"), parent: "tom-mocks", quote: true,
			text: `Nice work. I will review them properly tomorrow morning and leave comments in Figma.

Gut feeling on your question: teams on the first screen, with a one-click switch to pipelines. Finance reads the dashboard once a month, engineering every day, but finance signs the budget.

Alex`}),
		sent(&spec{key: "s-olga", at: after("olga-party", "13h"), parent: "olga-party", quote: false, noSig: true,
			text: `Olga, congratulations on the new flat!! I'd love to come, count me in for Saturday. I'll bring dessert — any allergies I should know about?

Alex`}),
		sent(&spec{key: "s-lukas", at: after("lukas-thanks", "11h"), parent: "lukas-thanks", quote: false, noSig: true,
			text: `Gern geschehen! Mein Rücken hat es inzwischen auch verziehen. Das Bier nehme ich gerne.

Alex`}),
		sent(&spec{key: "s-hannah", at: after("hannah-heating", "2h"), parent: "hannah-heating", quote: true,
			text: `Dear Ms Klein,

Thank you for the notice. I confirm that I will be at home that morning between 8:00 and 12:00.

Kind regards,
Alex Morgan (Weserstr. 12, flat 7)`, noSig: true}),
		sent(&spec{key: "s-nora", at: after("nora-plants", "35m"), parent: "nora-plants", quote: false, noSig: true,
			text: `Of course! I'll look after the monstera like it's my own. Have a wonderful time in Porto 💐

A.`}),
		sent(&spec{key: "s-jonas-csv", at: bd(1, "17:25"), to: []string{jonas.addr()}, cc: []string{maria.addr()},
			subject: "Atlas cost export for Q3",
			attach:  []attachment{{name: "atlas-cost-q3.csv", ctype: "text/csv", data: []byte(atlasCostCSV)}},
			text: `Hi Jonas,

Attached is the raw cost export for Q3 that goes into the board numbers. The egress line for the old cluster looks too high to me, especially in the second month.

Can you check the egress numbers by Monday? María, copying you because the corrected figure needs to go into the close as well.

Thanks,
Alex`}),
		sent(&spec{key: "s-ravi", at: after("ravi-coffee", "4h"), parent: "ravi-coffee", quote: true, noSig: true,
			text: `Ravi! Great to hear from you. Definitely — dinner rather than coffee, there's a new Georgian place near me you'd love. Send me your dates once you have them and I'll book.

And yes, I will believe the book when I see it.

Alex`}),
		sent(&spec{key: "s-maria-receipts", at: after("maria-receipts", "40m"), parent: "maria-receipts", quote: false,
			text: `Hi María,

Sorry about that — the receipts are in a pile on my desk at home. I'll upload them this weekend.

Alex`}),
		sent(&spec{key: "s-corvid", at: bd(2, "09:10"), to: []string{"Sven Ahlgren <sven.ahlgren@corvid.example.com>"},
			subject: "Updated quote for the storage nodes",
			text: `Hello Sven,

Our finance team is processing the purchase order for the six storage nodes. Could you send me an updated quote by {{wd 2}}, with the 3-year support option listed separately? The one we have expires this week.

Kind regards,
Alex`}),
		sent(&spec{key: "s-felix", at: after("felix-sales", "2h"), parent: "felix-sales", quote: false,
			text: `Hi Felix,

Thanks for following up. We're in the middle of a platform migration and won't look at new tooling before next year. Feel free to get back in touch in January.

Best,
Alex`}),
	}
}

// atlasCostCSV is the attachment of s-jonas-csv.
const atlasCostCSV = `month,item,cost_center,eur
M1,compute (new cluster),4410,18234.10
M1,storage (new cluster),4410,6120.00
M1,egress (old cluster),4410,9870.44
M2,compute (new cluster),4410,19002.75
M2,storage (new cluster),4410,6480.00
M2,egress (old cluster),4410,21114.90
M3,compute (new cluster),4410,18876.30
M3,storage (new cluster),4410,7020.00
M3,egress (old cluster),4410,8455.12
`

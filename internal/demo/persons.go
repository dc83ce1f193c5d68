package demo

// personSpecs is the mail that colleagues, clients, friends and family
// wrote to the user: requests with deadlines, questions, FYIs, thanks, and
// the threads that the user's sent mail (sent.go) answers.
func personSpecs() []*spec {
	return []*spec{
		// Thread: the Q3 numbers; the last message moves the deadline.
		{key: "q3-ask", kind: KindPerson, needs: true, flags: "RS", at: bd(3, "09:40"), from: priya,
			subject: "Q3 numbers for the board pack",
			text: `Hi Alex,

The board pack goes out next week and the ops section is still empty. What I need from you:

- headcount by team (actuals, not plan)
- cloud spend vs. budget, month by month
- Atlas migration cost to date

Could you send me the Q3 numbers by {{wd 3}}? A rough spreadsheet is fine, I'll turn it into slides myself.

Thanks!
Priya`},
		{key: "q3-move", kind: KindPerson, flags: "S", at: bd(2, "10:05"), from: priya, parent: "s-q3-commit", quote: true,
			text: `Hi Alex,

Small change of plan: the board meeting has moved to {{at "board" "Tuesday 2 January"}}, so actually Monday is fine for the numbers. No need to rush it before the weekend — take the time to get the cloud figures right with María.

P.`},

		// Thread: Atlas cut-over (filed in Projects/Atlas).
		{key: "atlas-1", kind: KindPerson, needs: true, folder: "Projects/Atlas", flags: "RS", at: bd(8, "10:15"), from: jonas,
			subject: "Atlas: cut-over plan for the events table",
			text: `Hi Alex,

before I book the maintenance window for the events table I need one decision from you: do we freeze writes during the backfill (simpler, roughly 40 minutes of read-only dashboards on a Sunday morning) or do we dual-write for a week and switch reads over when the checksums match?

Dual-write is safer but doubles the ingest cost for that week, about 1,900 EUR by my estimate.

Can you decide by tomorrow's sync? Then I can still get the window into the change calendar.

Jonas`},
		{key: "atlas-2", kind: KindPerson, folder: "Projects/Atlas", flags: "S", at: bd(6, "11:30"), from: jonas,
			parent: "s-atlas-1", quote: true, cc: []string{aisha.addr()},
			text: `The rollback steps are in the runbook now:
https://wiki.example.org/atlas/runbook#rollback

Short version: stop the dual-writer, point the readers back at the old cluster, replay the last hour from the queue. Tested it twice on staging, 11 minutes end to end.

Aisha found something about the staging disks while testing, she'll write to you directly. No action needed from you on the runbook itself.

Jonas`},
		{key: "atlas-3", kind: KindPerson, needs: true, folder: "Projects/Atlas", flags: "RS", at: after("atlas-2", "2h20m"), from: aisha,
			parent: "atlas-2", to: []string{user.addr()}, cc: []string{jonas.addr()},
			text: `Hi Alex,

Following on from Jonas's mail: the backfill will not fit on staging. We have 3.1 TB free and the dual-write copy needs about 4.8 TB with indexes.

Could you approve an extra 2 TB of staging quota? Raj can provision it the same day, but he needs the approval in writing by noon tomorrow, otherwise it slips to next week's change window.

Thanks,
Aisha`},

		// Thread: the Halvorsen contract.
		{key: "dana-1", kind: KindPerson, needs: true, flags: "RS", at: bd(7, "08:05"), from: dana,
			subject: "MSA redlines - Larkspur / Halvorsen Freight",
			attach:  []attachment{{name: "Halvorsen_MSA_redline_v3.pdf", ctype: "application/pdf", data: fakePDF("Master Services Agreement - redline v3")}},
			text: `Hi Alex,

Attached is v3 of the MSA with our legal team's redlines. Most of the changes are cosmetic. The two that matter:

1. Section 9.2: we'd like the liability cap at 12 months of fees instead of 6.
2. Section 14: termination for convenience with 60 days' notice for either party.

Could you review and let me know by {{wd 4}} whether the liability cap works on your side? If it doesn't, a short call with both legal teams might be quicker than another round of redlines.`},
		{key: "dana-2", kind: KindPerson, needs: true, flags: "FS", at: bd(2, "09:20"), from: dana, parent: "s-dana-1", quote: true,
			subject: "RE: MSA redlines - Larkspur / Halvorsen Freight",
			text: `Hi Alex,

Just checking in on the MSA. Our fiscal quarter closes soon and legal needs your sign-off by the {{ord 6}} to get this through our approval board in time.

If the liability cap is the sticking point, I'm open to meeting in the middle at 9 months. Let me know.`},

		// Thread: Mum's 60th.
		{key: "fam-1", kind: KindPerson, needs: true, folder: "Family", flags: "RS", at: cd(12, "20:14"), from: sam,
			subject: "Mum's 60th",
			text: `Hey you,

So Mum says she doesn't want a fuss, which obviously means she wants a fuss. Dinner on Saturday {{at "bday" "2 January"}}? I was thinking Rosa's since she loved it last time. We'd be 8 with Auntie Jo and the cousins.

Could you book the restaurant? You're better at talking to Marco than I am and I'm travelling all next week. 7:30 or 8 would be ideal.

x Sam`},
		{key: "fam-2", kind: KindPerson, folder: "Family", flags: "S", at: after("s-fam-1", "14h"), from: mum,
			parent: "s-fam-1", quote: true, cc: []string{sam.addr()},
			text: `My darlings, I know you two are plotting something. Please don't go to any trouble!! But if there is a dinner Auntie Jo says she can come, she's getting the train down on Friday.

Love you both,
Mum xx`},
		{key: "fam-3", kind: KindPerson, needs: true, flags: "", at: ago("5h10m"), from: sam, parent: "fam-2", to: []string{user.addr()},
			text: `Did Rosa's confirm the booking in the end? Marco never answers his phone.

Also the gift: the watercolour class voucher is 240 quid, so 40 each if the cousins chip in. Can you send me your share by the weekend? Bank details are the same as last time.`},

		// Thread: speaking at the Nordic Data Forum.
		{key: "eva-1", kind: KindPerson, needs: true, flags: "RS", at: bd(17, "14:30"), from: eva,
			subject: "Speaking invitation: Nordic Data Forum",
			text: `Dear Alex,

I'm the programme chair of this year's Nordic Data Forum in Stockholm ({{at "forum" "2 January"}}). A colleague of yours, Jonas Weber, mentioned the platform migration you've been leading, and we think it would make a great 25-minute talk for our "lessons from production" track.

We cover travel and two nights at the conference hotel. Would you be interested? It would help if you could let me know in two weeks at the latest, as we'd like to publish the programme soon after.

Warm regards,`},
		{key: "eva-2", kind: KindPerson, needs: true, flags: "FS", at: bd(4, "08:55"), from: eva, parent: "s-eva-1", quote: true,
			text: `Hi Alex,

Wonderful, thank you — the abstract is great and the committee loved the title.

Two more things from you, please:
- your slides by the {{at "slides" "ord"}} so our AV team can check them, and
- a bio of about 50 words plus a photo for the website, whenever you can this week.

Best,`},

		// Single messages from colleagues.
		{key: "maria-po", kind: KindPerson, needs: true, flags: "", at: ago("3h05m"), from: maria,
			subject: "Approval needed: PO 4471 – Atlas storage vendor",
			text: `Hi Alex,

The purchase order for the additional storage nodes (PO 4471, €18,400 net, Corvid Systems) is ready in the finance tool. As the budget owner for Atlas I need your sign-off before EOD tomorrow – the vendor’s price quote expires on {{day 2}} and they won’t hold it.

You’ll find it under “Approvals > Waiting for you”.`},
		{key: "maria-receipts", kind: KindPerson, needs: true, flags: "RS", at: bd(10, "16:40"), from: maria,
			subject: "Missing receipts – your travel expenses",
			text: `Hi Alex,

While closing the month I noticed that three items on your travel expense report don’t have receipts attached yet:

• Hotel Kastanienhof, 2 nights – €286.00
• Taxi Tegel – Mitte – €31.50
• Team dinner “Zur Letzten Instanz” – €412.80

Could you upload them to the expense tool by the end of the month? Otherwise I have to book them to next month’s close.`},
		{key: "maria-close", kind: KindPerson, flags: "S", folder: "Archive", at: bd(14, "12:02"), from: maria,
			subject: "Q2 close done – Atlas actuals",
			text: `Hi Alex,

FYI, the Q2 close is done. For Atlas: €142,300 spent of €160,000 budgeted (89 %). The biggest overrun is still egress on the old cluster, which should go away after the cut-over.

No action needed – just for your records.`},
		{key: "tom-mocks", kind: KindPerson, needs: true, flags: "RS", at: bd(2, "15:48"), from: tom,
			subject: "New dashboard mocks - thoughts?",
			text: `Hey Alex,

I put the new cost dashboard mocks in Figma: https://figma.example.com/file/atlas-cost-v4

Main question for you: do we show spend per team or per pipeline on the first screen? Engineering wants pipelines, finance wants teams, I can't make both happy in 1280px.

Would love your take before the design review on {{wd 2}}, even a one-liner is fine.`},
		{key: "tom-colours", kind: KindPerson, flags: "S", folder: "Archive", at: bd(11, "11:30"), from: tom,
			subject: "Re: dashboard colours",
			text:    `Just so you know — I went with the blue palette after all. The red/green one failed the colour-blindness check for two of the five charts. No need to reply, it's in the next build.`},
		{key: "ben-scorecard", kind: KindPerson, needs: true, flags: "", at: bd(1, "10:12"), from: ben,
			subject: "Interview feedback: Senior Data Engineer (candidate #2291)",
			text: `Hi Alex,

Thanks for interviewing Lena yesterday. The hiring panel meets on {{wd 2}} morning, so please submit your scorecard in the hiring tool by COB {{wd 1}}.

If you had concerns you'd rather not write down, grab me for 10 minutes instead.

Thanks!`},
		{key: "ben-holidays", kind: KindPerson, needs: true, flags: "S", at: bd(9, "09:00"), from: ben,
			to:      []string{"all-staff@example.org"},
			subject: "Reminder: summer holiday requests",
			text: `Hi all,

A friendly reminder to enter your summer holiday requests in the HR portal by the end of the month. Team leads need them to plan cover, and requests entered after that are first come, first served.

Questions? Just reply to this mail.`},
		{key: "raj-laptop", kind: KindPerson, flags: "S", folder: "Archive", at: bd(6, "13:22"), from: raj,
			subject: "Your replacement laptop is ready",
			text: `Hi Alex,

Your new laptop (the 14" one) is set up and waiting in the IT room, shelf B. Bring the old one when you pick it up and we'll wipe it for you.

Any day this week is fine, no need to reply or book a slot.`},
		{key: "aisha-retention", kind: KindPerson, needs: true, flags: "S", at: bd(3, "17:05"), from: aisha,
			subject: "Quick question: 400-day retention",
			text: `Hi Alex,

Quick one while I'm rewriting the retention job: is the 400-day retention for raw events a legal requirement, or just what we picked back in 2021? If it's only a convention I'd drop it to 180 days and save about a third of the storage.

Aisha`},
		{key: "aisha-thanks", kind: KindPerson, flags: "S", folder: "Archive", at: bd(13, "18:31"), from: aisha,
			subject: "thanks for the review!",
			text: `Thanks for going through my design doc so carefully last night, the comments on the failure modes were really useful. I've folded most of them in.

A.`},
		{key: "priya-notes", kind: KindPerson, needs: true, flags: "FS", at: bd(5, "16:15"), from: priya,
			subject: "Notes from our 1:1",
			text: `Hi Alex,

Thanks for the chat today. My notes, so we remember the same things:

- Atlas: cut-over stays on track; you'll flag any slip to me before it hits the board.
- Hiring: please draft the hiring plan for next year in two weeks — two data engineers and one analyst is the starting point.
- Risk: share the Atlas risk register with me by next Tuesday 3pm, I want to read it before the steering meeting.
- You: the conference talk is a yes from me, go for it.

Shout if I missed anything.`},
		{key: "priya-thanks", kind: KindPerson, flags: "S", folder: "Archive", at: bd(16, "19:02"), from: priya,
			subject: "Thank you!",
			text: `Alex — just wanted to say thank you for organising the offsite. Everyone I spoke to said it was the best one we've had, and the session on the roadmap finally got product and engineering on the same page.

Take Friday afternoon off, you've earned it.

P.`},
		{key: "priya-policy", kind: KindPerson, flags: "S", folder: "Archive", at: bd(15, "08:47"), from: priya,
			subject: "Fwd: New travel and expense policy",
			text: `FYI, in case you didn't see it in the all-hands deck. Mostly relevant for the conference trip: economy for flights under 6 hours, and hotels up to 180 EUR a night.

---------- Forwarded message ---------
From: Finance Team <finance@example.org>
Subject: New travel and expense policy

Hi everyone,

From the first of next month, the new travel and expense policy applies. The full policy is on the intranet; the main changes are the hotel cap, the rail-first rule for trips under 5 hours and the new per-diem rates.

Finance Team`},
		{key: "chloe-notes", kind: KindPerson, flags: "S", folder: "Archive", at: bd(12, "17:20"), from: chloe,
			subject: "Notes from the Paris workshop",
			text: `Bonjour Alex,

Here are my notes from Tuesday's workshop with the two pilot customers. The short version: they love the cost dashboard, they hate the export. Both asked for a "café view" (their words!), one simple screen they can look at over morning coffee.

Full notes: https://docs.example.org/d/paris-workshop

À bientôt,
Chloé`},
		{key: "chloe-slides", kind: KindPerson, needs: true, flags: "S", at: bd(10, "09:45"), from: chloe, parent: "chloe-notes", quote: true,
			text: `Re-bonjour Alex,

One of the customers (Mme Lefèvre at Bastide Énergie) asked for the slides from your part of the workshop. Could you share them with me? I'd like to send them before our follow-up call.

Merci !
Chloé`},
		{key: "kenji-meeting", kind: KindPerson, needs: true, flags: "RS", at: bd(5, "10:30"), from: kenji,
			subject: "来週の打ち合わせについて",
			text: `Alex さん

いつもお世話になっております。ミナト・データの佐藤です。

来週の定例打ち合わせですが、こちらの都合で日程を変更させていただけますでしょうか。
木曜日の午後5時（日本時間）、ベルリン時間では午前10時を考えております。

ご都合をお知らせいただけますと幸いです。

よろしくお願いいたします。`},
		{key: "kenji-thanks", kind: KindPerson, flags: "S", at: after("s-kenji", "1h"), from: kenji, parent: "s-kenji", quote: false,
			subject: "Re: 来週の打ち合わせについて",
			text: `Alex さん

ご確認ありがとうございます。では木曜日にお話しできるのを楽しみにしております。

Thank you, see you on Thursday!

佐藤`},
		{key: "olga-party", kind: KindPerson, needs: true, flags: "RS", at: cd(5, "21:40"), from: olga,
			subject: "Новоселье в субботу!",
			text: `Привет, Алекс!

Мы наконец-то переехали! Квартира пока вся в коробках, но в субботу ({{at "housewarming" "02.01"}}) мы устраиваем новоселье, начало в семь вечера. Будет плов, много людей и, надеюсь, немного музыки.

Придёшь? Напиши, пожалуйста, до четверга, чтобы я знала, сколько готовить.

Адрес: Weserstr. 51, 3-й этаж, звонок "Иванова/Schulz".

Обнимаю,
Оля`},
		{key: "lukas-ride", kind: KindPerson, needs: true, flags: "", at: cd(2, "19:55"), from: lukas,
			subject: "Radtour am Sonntag?",
			text: `Hi Alex,

hast du Lust auf eine Radtour am Sonntag? Ich dachte an die Runde über Köpenick zum Müggelsee, ca. 70 km, gemütliches Tempo. Treffpunkt wäre 9 Uhr am Görlitzer Park.

Sag mir bis Samstagmittag Bescheid, dann plane ich die Route für zwei.

Grüße aus Neukölln
Lukas`},
		{key: "lukas-thanks", kind: KindPerson, flags: "RS", folder: "Archive", at: cd(18, "22:10"), from: lukas, charset: "utf-8",
			subject: "Danke fürs Helfen beim Umzug",
			text: `Alex, tausend Dank für Samstag! Ohne dich hätten wir das Sofa nie in den vierten Stock bekommen. Die Pizza war das Mindeste – das nächste Bier geht auch auf mich.

Lukas`},
		{key: "hannah-heating", kind: KindPerson, needs: true, flags: "RS", at: cd(4, "08:31"), from: hannah,
			subject: "Wartung der Heizung / heating maintenance – Weserstr. 12, WE 7",
			text: `Guten Tag, dear Alex Morgan,

the annual maintenance of the gas boilers in your building is scheduled for {{at "heating" "Monday, 2 January"}}. The technician needs access to your flat between 8:00 and noon.

Please confirm by reply that someone will be home, or leave a key with a neighbour and tell us who. If we do not hear from you, we will have to charge the cost of a second appointment.`},
		{key: "nora-plants", kind: KindPerson, needs: true, flags: "RS", at: cd(3, "18:12"), from: nora,
			subject: "Favour? Plants 🌱",
			text: `Hi Alex!

Big favour to ask: we're away from {{at "plantsfrom" "Monday 2 January"}} to {{at "plantsto" "Monday 2 January"}} (my sister's wedding in Porto). Could you water our plants twice while we're gone? The key is with you anyway from last time.

The big monstera is the only diva, the rest will survive anything. Let me know if that works, otherwise I'll ask Herr Yilmaz downstairs.

Nora`},
		{key: "ravi-coffee", kind: KindPerson, needs: true, flags: "RS", at: cd(9, "07:48"), from: ravi,
			subject: "Berlin next month!",
			text: `Alex!! Long time. I'm in Berlin for a conference at the start of {{mon 1}} — any chance of a coffee or a beer? I'm free most evenings after the 3rd.

Also I still owe you that book about the Indian railways, I'll bring it this time, promise.

Ravi`},
		{key: "marcus-intro", kind: KindPerson, needs: true, flags: "S", at: bd(6, "17:58"), from: marcus,
			to: []string{user.addr(), grace.addr()}, subject: "Intro: Alex (Larkspur) <> Grace (Fernhill)",
			text: `Alex, Grace — intro as promised.

Grace runs partnerships at Fernhill and is looking at cost analytics for their logistics customers. Alex runs product ops at Larkspur and has just been through exactly that build-vs-buy decision.

I'll let you two take it from here.`},
		{key: "grace-intro", kind: KindPerson, needs: true, flags: "RS", at: after("marcus-intro", "5h"), from: grace,
			parent: "marcus-intro", quote: true, to: []string{user.addr()}, cc: []string{marcus.addr()},
			text: `Thanks Marcus!

Alex, lovely to meet you. Would you have 30 minutes for a video call next week? I'm on Pacific time, so anything between 5 and 7pm your time works best for me — tell me what suits you.

Grace`},
		{key: "jonas-lunch", kind: KindPerson, needs: true, flags: "", at: ago("1h35m"), from: jonas,
			subject: "lunch?",
			text: `Thai place at 12:30? Aisha and Tom are in.

J.`},
		{key: "jonas-oncall", kind: KindPerson, needs: true, flags: "S", at: bd(4, "11:43"), from: jonas,
			subject: "Swap on-call weeks?",
			text: `Hi Alex,

Bit of a cheeky ask: could you take my on-call week starting {{at "oncall" "Monday 2 January"}}? My daughter's school trip moved and I'm the parent on duty. I'd take your week in return, the one in two weeks.

If that doesn't work, no worries, I'll ask around.

Jonas`},
		{key: "felix-sales", kind: KindPerson, needs: true, flags: "RS", at: bd(5, "09:02"), from: felix,
			subject: "Following up: Stackwise cost monitoring",
			text: `Hi Alex,

Great talking to you at the meetup last week. As promised, a short follow-up: Stackwise cuts cloud cost reporting from days to minutes, and teams your size typically save 15-20% in the first quarter.

Would you have 20 minutes next Tuesday or Wednesday for a quick demo? Happy to work around your calendar.

Best,`},
		{key: "sam-photos", kind: KindPerson, folder: "Family", flags: "S", at: cd(21, "21:33"), from: sam,
			subject: "photos from the lake",
			text: `Finally sorted the photos from the weekend at the lake. The one of you falling off the paddleboard is my new lock screen, sorry not sorry.

https://photos.example.net/album/lake-weekend`},
		{key: "mum-recipe", kind: KindPerson, folder: "Family", flags: "S", at: cd(16, "10:05"), from: mum,
			subject: "Grandma's lentil soup",
			text: `Here it is, as promised on the phone!

2 onions, 2 carrots, 1 stick of celery, all chopped small
250g red lentils
1 tin of tomatoes
1.2 litres of stock
a teaspoon of cumin and a bay leaf

Soften the veg in butter (not oil, Grandma was very firm about that), add everything else and simmer for 30 minutes. Lemon juice at the end. It's better the next day.

Lots of love,
Mum x`},
		{key: "dana-thanks", kind: KindPerson, folder: "Archive", flags: "S", at: bd(19, "15:10"), from: dana,
			subject: "Thanks for the call today",
			text: `Hi Alex,

Thanks for taking the time today. As discussed, I'll get our legal team to send the MSA redlines within the next two weeks, and we'll aim to start the pilot in {{mon 1}}.`},
		{key: "pablo-invoice", kind: KindPerson, flags: "S", at: after("s-pablo", "26h"), from: pablo, parent: "s-pablo", quote: true,
			attach: []attachment{{name: "Factura_2024-117.pdf", ctype: "application/pdf", data: fakePDF("Factura 2024-117 - Ilustraciones Atlas")}},
			text: `Hi Alex,

Here you go — invoice for the four Atlas illustrations attached. Payment within 30 days is fine.

Thanks again, it was a fun project!

Pablo`},
		{key: "raj-vpn", kind: KindPerson, flags: "S", folder: "Archive", at: after("s-raj-vpn", "3h"), from: raj, parent: "s-raj-vpn", quote: true,
			text: `Hi Alex,

Done, your VPN token has been reset. You'll get an enrolment e-mail from the identity provider in the next few minutes.

Raj`},
	}
}

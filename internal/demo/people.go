package demo

import "time"

// The demo user's world: Alex Morgan runs product operations at Larkspur
// Analytics in Berlin (example.org) and is migrating its data platform
// ("Atlas"). Everyone below is invented.

// user is Alex, writing with Thunderbird.
var user = &person{name: UserName, email: UserEmail, zone: UserZone, client: plainClient,
	sig:         "-- \nAlex Morgan\nHead of Product Operations · Larkspur Analytics\nhttps://larkspur.example.org",
	msgidDomain: "example.org"}

var (
	priya = &person{name: "Priya Shah", email: "priya.shah@example.org", zone: "Europe/London", client: gmailClient,
		sig:         "--\nPriya Shah | VP Product | Larkspur Analytics\n+44 20 7946 0321",
		msgidDomain: "mail.gmail.example.com"}
	jonas = &person{name: "Jonas Weber", email: "jonas.weber@example.org", zone: "Europe/Berlin", client: plainClient,
		sig: "-- \nJonas Weber\nData Platform · Larkspur Analytics", msgidDomain: "example.org"}
	maria = &person{name: "María González", email: "maria.gonzalez@example.org", zone: "Europe/Madrid", client: outlookClient,
		charset: "windows-1252", msgidDomain: "EXCH01.larkspur.example.org",
		sig: "Kind regards,\nMaría González\nFinance Manager\nLarkspur Analytics GmbH · Oranienstraße 12 · 10999 Berlin\n\n" +
			"CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee. " +
			"If you have received it in error, please notify the sender and delete it. Larkspur Analytics GmbH, Amtsgericht Charlottenburg HRB 000000."}
	dana = &person{name: "Dana Whitfield", email: "dwhitfield@example.com", zone: "America/New_York", client: outlookClient,
		msgidDomain: "BN8PR04MB.namprd04.prod.example.com",
		sig: "Best,\nDana\n\nDana Whitfield | Director, Procurement\nHalvorsen Freight, Inc. | 120 Water Street, New York, NY 10005\nT +1 212 555 0147\n\n" +
			"This message may contain information that is privileged, confidential or otherwise protected from disclosure. " +
			"If you are not the intended recipient, you are hereby notified that any review, dissemination, distribution or copying " +
			"of this message is strictly prohibited. Nothing in this e-mail creates a binding contract unless expressly stated."}
	kenji = &person{name: "佐藤 健二", email: "k.sato@jp.example.com", zone: "Asia/Tokyo", client: plainClient,
		charset: "iso-2022-jp", msgidDomain: "jp.example.com",
		sig: "--\n佐藤 健二 (Kenji Sato)\n株式会社ミナト・データ"}
	olga = &person{name: "Ольга Иванова", email: "olga.ivanova@example.net", zone: "Europe/Berlin", client: plainClient,
		charset: "koi8-r", msgidDomain: "example.net"}
	sam = &person{name: "Sam Morgan", email: "sam.morgan@example.net", zone: "Europe/London", client: appleClient,
		sig: "Sent from my iPhone", msgidDomain: "example.net"}
	mum = &person{name: "Linda Morgan", email: "linda.morgan@example.net", zone: "Europe/London", client: appleClient,
		sig: "Sent from my iPad", msgidDomain: "example.net"}
	lukas = &person{name: "Lukas Hoffmann", email: "lukas.hoffmann@mail.example.net", zone: "Europe/Berlin", client: plainClient,
		charset: "iso-8859-1", msgidDomain: "mail.example.net"}
	chloe = &person{name: "Chloé Martin", email: "chloe.martin@example.org", zone: "Europe/Paris", client: gmailClient,
		charset: "iso-8859-1", msgidDomain: "mail.gmail.example.com",
		sig: "--\nChloé Martin · Customer Success, Paris office"}
	tom = &person{name: "Tom Becker", email: "tom.becker@example.org", zone: "Europe/Berlin", client: gmailClient,
		sig: "Tom", msgidDomain: "mail.gmail.example.com"}
	ben = &person{name: "Ben Carter", email: "ben.carter@example.org", zone: "Europe/Berlin", client: outlookClient,
		msgidDomain: "EXCH01.larkspur.example.org",
		sig:         "Ben Carter\nPeople & Talent | Larkspur Analytics\nPronouns: he/him"}
	aisha = &person{name: "Aisha Rahman", email: "aisha.rahman@example.org", zone: "Europe/Berlin", client: gmailClient,
		msgidDomain: "mail.gmail.example.com"}
	raj = &person{name: "Raj Patel", email: "raj.patel@example.org", zone: "Europe/Berlin", client: outlookClient,
		msgidDomain: "EXCH01.larkspur.example.org",
		sig:         "Raj Patel\nIT Operations\nIT help desk: ext. 4400 · https://help.example.org"}
	eva = &person{name: "Eva Lindqvist", email: "eva@nordicdata.example.net", zone: "Europe/Stockholm", client: gmailClient,
		msgidDomain: "mail.gmail.example.com",
		sig:         "Eva Lindqvist\nProgramme chair, Nordic Data Forum\nhttps://nordicdata.example.net"}
	grace = &person{name: "Grace Liu", email: "grace@fernhill.example.com", zone: "America/Los_Angeles", client: gmailClient,
		msgidDomain: "mail.gmail.example.com", sig: "Grace Liu · Head of Partnerships, Fernhill"}
	marcus = &person{name: "Marcus Bell", email: "marcus.bell@example.net", zone: "Europe/London", client: appleClient,
		msgidDomain: "example.net", sig: "M."}
	hannah = &person{name: "Hannah Klein", email: "h.klein@hausverwaltung.example.com", zone: "Europe/Berlin", client: outlookClient,
		msgidDomain: "hausverwaltung.example.com",
		sig:         "Mit freundlichen Grüßen / Kind regards\nHannah Klein\nKlein Hausverwaltung GmbH\nSkalitzer Str. 80, 10997 Berlin"}
	nora  = &person{name: "Nora Fischer", email: "nora.fischer@example.net", zone: "Europe/Berlin", client: appleClient, msgidDomain: "example.net"}
	ravi  = &person{name: "Ravi Kumar", email: "ravi.kumar@example.net", zone: "Asia/Kolkata", client: gmailClient, msgidDomain: "mail.gmail.example.com"}
	felix = &person{name: "Felix Braun", email: "felix.braun@stackwise.example.com", zone: "Europe/Berlin", client: gmailClient,
		msgidDomain: "mail.gmail.example.com",
		sig:         "Felix Braun\nAccount Executive DACH · Stackwise\nBook a time with me: https://stackwise.example.com/meet/felix"}
	pablo = &person{name: "Pablo Ortega", email: "pablo@ortega-studio.example.com", zone: "Europe/Madrid", client: appleClient,
		msgidDomain: "example.com", sig: "Pablo Ortega · Illustration\nortega-studio.example.com"}
)

// anchors are named dates (midnight in the user's zone) that tie the mail
// and the calendar to the demo week: the board meeting the Q3 numbers are
// for, Mum's birthday dinner, the heating maintenance visit...
func anchors(now time.Time, loc *time.Location) map[string]time.Time {
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	// next returns the first wd at least min days after today.
	next := func(wd time.Weekday, min int) time.Time {
		t := today.AddDate(0, 0, min)
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	week := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7)) // Monday of this week
	return map[string]time.Time{
		"week":         week,
		"nextweek":     week.AddDate(0, 0, 7),
		"board":        next(time.Tuesday, 3), // board meeting; numbers due the Monday before
		"boardmon":     next(time.Tuesday, 3).AddDate(0, 0, -1),
		"review":       next(time.Thursday, 2), // Atlas design review (iTIP)
		"contract":     next(time.Wednesday, 2),
		"workshop":     next(time.Friday, 5),
		"housewarming": next(time.Saturday, 1),
		"ride":         next(time.Sunday, 1),
		"bday":         next(time.Saturday, 8), // Mum's 60th
		"heating":      next(time.Wednesday, 5),
		"plantsfrom":   next(time.Friday, 6),
		"plantsto":     next(time.Friday, 6).AddDate(0, 0, 9),
		"slides":       next(time.Tuesday, 12),
		"forum":        next(time.Thursday, 20),
		"oncall":       next(time.Monday, 6),
		"retro":        next(time.Friday, 1),
	}
}

package demo

import (
	"fmt"
	"strings"
	"time"
)

// vtimezone returns the VTIMEZONE component of the zones the demo uses.
func vtimezone(zone string) string {
	type rule struct{ name, from, to, start, rrule string }
	var std, dst rule
	switch zone {
	case "Europe/Berlin":
		dst = rule{"CEST", "+0100", "+0200", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"}
		std = rule{"CET", "+0200", "+0100", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"}
	case "Europe/London":
		dst = rule{"BST", "+0000", "+0100", "19700329T010000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"}
		std = rule{"GMT", "+0100", "+0000", "19701025T020000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"}
	case "America/New_York":
		dst = rule{"EDT", "-0500", "-0400", "19700308T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"}
		std = rule{"EST", "-0400", "-0500", "19701101T020000", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"}
	case "America/Los_Angeles":
		dst = rule{"PDT", "-0800", "-0700", "19700308T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"}
		std = rule{"PST", "-0700", "-0800", "19701101T020000", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"}
	default:
		panic("demo: no VTIMEZONE for " + zone)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VTIMEZONE\nTZID:%s\nX-LIC-LOCATION:%s\n", zone, zone)
	for _, r := range []struct {
		kind string
		rule
	}{{"DAYLIGHT", dst}, {"STANDARD", std}} {
		fmt.Fprintf(&b, "BEGIN:%s\nTZOFFSETFROM:%s\nTZOFFSETTO:%s\nTZNAME:%s\nDTSTART:%s\nRRULE:%s\nEND:%s\n",
			r.kind, r.from, r.to, r.name, r.start, r.rrule, r.kind)
	}
	b.WriteString("END:VTIMEZONE\n")
	return b.String()
}

// Calendar returns the demo user's own calendar (RFC 5545, CRLF line
// endings, long lines folded) for the current and the next week: a
// recurring standup with an exception and a moved occurrence, one-off
// meetings in Berlin and New York time, an all-day event, a floating-time
// appointment with an alarm, and two to-dos. It is deterministic for a
// given now and agrees with the mail (the board meeting, the cancelled
// retro, Mum's birthday).
func Calendar(now time.Time) []byte {
	a := anchors(now, mustZone(UserZone))
	week, next := a["week"], a["nextweek"]
	stamp := now.UTC().Format("20060102T150405Z")
	day := func(t time.Time) string { return t.Format("20060102") }
	at := func(t time.Time, clock string) string { return day(t) + "T" + clock + "00" }
	dt := func(name, zone string, t time.Time, clock string) string {
		return fmt.Sprintf("%s;TZID=%s:%s", name, zone, at(t, clock))
	}

	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//PAM//Demo calendar 1.0//EN\nCALSCALE:GREGORIAN\n" +
		"X-WR-CALNAME:Alex Morgan\nX-WR-TIMEZONE:Europe/Berlin\n")
	b.WriteString(vtimezone("Europe/Berlin"))
	b.WriteString(vtimezone("America/New_York"))
	event := func(uid string, props ...string) {
		b.WriteString("BEGIN:VEVENT\nUID:" + uid + "\nDTSTAMP:" + stamp + "\n")
		for _, p := range props {
			b.WriteString(p + "\n")
		}
		b.WriteString("END:VEVENT\n")
	}
	const berlin, newYork = "Europe/Berlin", "America/New_York"
	standup := "d1b7c5e2-standup@larkspur.example.org"
	friday := week.AddDate(0, 0, 4)

	// The standup started three weeks ago; no standup on the offsite
	// Friday next week; this Friday's moved for the all-hands.
	event(standup,
		dt("DTSTART", berlin, week.AddDate(0, 0, -21), "0930"),
		dt("DTEND", berlin, week.AddDate(0, 0, -21), "0945"),
		"RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
		dt("EXDATE", berlin, next.AddDate(0, 0, 4), "0930"), // company offsite
		"SUMMARY:Data platform standup",
		"LOCATION:https://meet.example.org/platform-standup",
		"ORGANIZER;CN=Jonas Weber:mailto:jonas.weber@example.org",
		"ATTENDEE;PARTSTAT=ACCEPTED;CN=Alex Morgan:mailto:alex@example.org",
		"ATTENDEE;PARTSTAT=ACCEPTED;CN=Aisha Rahman:mailto:aisha.rahman@example.org",
		"SEQUENCE:2")
	event(standup,
		dt("RECURRENCE-ID", berlin, friday, "0930"),
		dt("DTSTART", berlin, friday, "1030"),
		dt("DTEND", berlin, friday, "1045"),
		"SUMMARY:Data platform standup (after the all-hands)",
		"LOCATION:https://meet.example.org/platform-standup",
		"ORGANIZER;CN=Jonas Weber:mailto:jonas.weber@example.org",
		"SEQUENCE:2")
	event("all-hands-"+day(friday)+"@larkspur.example.org",
		dt("DTSTART", berlin, friday, "0900"), dt("DTEND", berlin, friday, "1000"),
		"SUMMARY:All-hands",
		"DESCRIPTION:"+icalEscape("Quarterly all-hands in the big kitchen and on the stream. Agenda: company update from the founders, "+
			"the Atlas migration status (Alex, 10 minutes), new joiners, and Q&A. Questions can be posted in advance on the intranet page."),
		"LOCATION:"+icalEscape("Kitchen, 4th floor"))
	event("priya-1on1-"+day(week)+"@larkspur.example.org",
		dt("DTSTART", berlin, week.AddDate(0, 0, 3), "1600"), dt("DTEND", berlin, week.AddDate(0, 0, 3), "1630"),
		"SUMMARY:1:1 Priya / Alex",
		"ORGANIZER;CN=Priya Shah:mailto:priya.shah@example.org")
	event("040000008200E00074C5B7101A82E00800000000BEEF-team-retro",
		dt("DTSTART", berlin, a["retro"], "1600"), dt("DTEND", berlin, a["retro"], "1700"),
		"SUMMARY:Team retro", "LOCATION:Room Landwehr",
		"ORGANIZER;CN=Ben Carter:mailto:ben.carter@example.org", "SEQUENCE:0", "STATUS:CONFIRMED")
	event("focus-"+day(week)+"@larkspur.example.org",
		dt("DTSTART", berlin, week.AddDate(0, 0, 1), "0900"), dt("DTEND", berlin, week.AddDate(0, 0, 1), "1130"),
		"SUMMARY:Focus: Q3 numbers for the board pack", "TRANSP:OPAQUE", "CLASS:PRIVATE")
	event("board-"+day(a["board"])+"@larkspur.example.org",
		dt("DTSTART", berlin, a["board"], "1000"), dt("DTEND", berlin, a["board"], "1300"),
		"SUMMARY:Board meeting (ops section 11:15)",
		"LOCATION:Board room",
		"DESCRIPTION:"+icalEscape("Moved from last week. Ops section: headcount, cloud spend vs. budget, Atlas cost to date."),
		"BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Board meeting in 30 minutes", "TRIGGER:-PT30M", "END:VALARM")
	event("halvorsen-kickoff@example.com",
		dt("DTSTART", newYork, next.AddDate(0, 0, 3), "1100"), dt("DTEND", newYork, next.AddDate(0, 0, 3), "1200"),
		"SUMMARY:Halvorsen pilot kickoff (tentative)",
		"ORGANIZER;CN=Dana Whitfield:mailto:dwhitfield@example.com",
		"STATUS:TENTATIVE",
		"LOCATION:https://teams.example.com/l/meetup-join/halvorsen-kickoff")
	event("heating-"+day(a["heating"])+"@example.org",
		dt("DTSTART", berlin, a["heating"], "0800"), dt("DTEND", berlin, a["heating"], "1200"),
		"SUMMARY:Heating maintenance at home (technician 8-12)", "TRANSP:TRANSPARENT")
	// Floating time: 08:15 wherever Alex happens to be.
	event("dentist-"+day(next)+"@example.org",
		"DTSTART:"+at(next.AddDate(0, 0, 1), "0815"), "DTEND:"+at(next.AddDate(0, 0, 1), "0900"),
		"SUMMARY:Dentist (Dr. Aydin)", "LOCATION:"+icalEscape("Zahnarztpraxis Aydin, Wiener Str. 20"),
		"BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Dentist at 8:15", "TRIGGER:-PT1H", "END:VALARM")
	event("olga-housewarming@example.net",
		dt("DTSTART", berlin, a["housewarming"], "1900"), dt("DTEND", berlin, a["housewarming"], "2330"),
		"SUMMARY:Olga's housewarming", "LOCATION:"+icalEscape("Weserstraße 51, 3rd floor"), "STATUS:TENTATIVE")
	// All-day, two days: the weekend in London for Mum's 60th.
	event("mum-60th@example.net",
		"DTSTART;VALUE=DATE:"+day(a["bday"]), "DTEND;VALUE=DATE:"+day(a["bday"].AddDate(0, 0, 2)),
		"SUMMARY:London: Mum's 60th 🎂", "TRANSP:TRANSPARENT")

	b.WriteString("BEGIN:VTODO\nUID:todo-q3-numbers@larkspur.example.org\nDTSTAMP:" + stamp + "\n" +
		dt("DUE", berlin, a["boardmon"], "1700") + "\nSUMMARY:Send Q3 numbers to Priya\nPRIORITY:1\nSTATUS:NEEDS-ACTION\n" +
		"DESCRIPTION:" + icalEscape("Headcount by team, cloud spend vs. budget, Atlas cost to date. Check cloud figures with María first.") +
		"\nEND:VTODO\n")
	b.WriteString("BEGIN:VTODO\nUID:todo-rosas@example.net\nDTSTAMP:" + stamp + "\n" +
		"DUE;VALUE=DATE:" + day(a["bday"].AddDate(0, 0, -7)) + "\nSUMMARY:Book table at Rosa's for Mum's 60th (8 people)\n" +
		"STATUS:IN-PROCESS\nPERCENT-COMPLETE:50\nCATEGORIES:Family\nEND:VTODO\n")
	b.WriteString("END:VCALENDAR\n")
	return []byte(fold75(strings.ReplaceAll(b.String(), "\n", "\r\n")))
}

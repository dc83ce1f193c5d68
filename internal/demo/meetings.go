package demo

import (
	"fmt"
	"strings"
)

var sophie = &person{name: "Sophie Wagner", email: "sophie.wagner@example.org", zone: "Europe/Berlin", client: gmailClient,
	msgidDomain: "mail.gmail.example.com"}

// invite describes the VEVENT of an iTIP message.
type invite struct {
	method, prodid, zone, uid string
	summary, location, desc   string
	organizer                 *person
	anchor                    string // day of the event (see anchors)
	start, end                string // "1400"
	others                    []*person
	seq                       int
}

// ical renders the invitation as a template (dates come from anchors).
func (in invite) ical() string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VCALENDAR\nPRODID:%s\nVERSION:2.0\nCALSCALE:GREGORIAN\nMETHOD:%s\n", in.prodid, in.method)
	b.WriteString(vtimezone(in.zone))
	day := `{{at "` + in.anchor + `" "20060102"}}`
	fmt.Fprintf(&b, "BEGIN:VEVENT\nUID:%s\nDTSTAMP:{{stamp}}\nSEQUENCE:%d\n", in.uid, in.seq)
	fmt.Fprintf(&b, "DTSTART;TZID=%s:%sT%s00\nDTEND;TZID=%s:%sT%s00\n", in.zone, day, in.start, in.zone, day, in.end)
	fmt.Fprintf(&b, "SUMMARY:%s\n", icalEscape(in.summary))
	if in.location != "" {
		fmt.Fprintf(&b, "LOCATION:%s\n", icalEscape(in.location))
	}
	if in.desc != "" {
		fmt.Fprintf(&b, "DESCRIPTION:%s\n", icalEscape(in.desc))
	}
	fmt.Fprintf(&b, "ORGANIZER;CN=%s:mailto:%s\n", in.organizer.name, in.organizer.email)
	fmt.Fprintf(&b, "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=%s:mailto:%s\n", in.organizer.name, in.organizer.email)
	partstat := "NEEDS-ACTION;RSVP=TRUE"
	if in.method == "CANCEL" {
		partstat = "NEEDS-ACTION"
	}
	fmt.Fprintf(&b, "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=%s;CN=%s:mailto:%s\n", partstat, UserName, UserEmail)
	for _, p := range in.others {
		fmt.Fprintf(&b, "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=%s:mailto:%s\n", p.name, p.email)
	}
	status := "CONFIRMED"
	if in.method == "CANCEL" {
		status = "CANCELLED"
	}
	fmt.Fprintf(&b, "STATUS:%s\nTRANSP:OPAQUE\n", status)
	if in.method == "REQUEST" {
		b.WriteString("BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Reminder\nTRIGGER;RELATED=START:-PT15M\nEND:VALARM\n")
	}
	b.WriteString("END:VEVENT\nEND:VCALENDAR\n")
	return b.String()
}

// icalEscape escapes a TEXT value (RFC 5545 3.3.11).
func icalEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// meetingSpecs are meeting requests: four iTIP invitations, one
// cancellation, and three asked for in plain words.
func meetingSpecs() []*spec {
	review := invite{method: "REQUEST", prodid: "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN", zone: "Europe/Berlin",
		uid: "6f1c2a8e-43b0-4d1e-9a51-atlas-review@example.org", summary: "Atlas design review: events table cut-over",
		location: "Room Spree (3rd floor), or https://meet.example.org/atlas-review",
		desc: "Walk through the cut-over plan, the rollback runbook and the storage numbers. " +
			"Please read the runbook beforehand: https://wiki.example.org/atlas/runbook",
		organizer: jonas, anchor: "review", start: "1400", end: "1500", others: []*person{aisha}}
	contract := invite{method: "REQUEST", prodid: "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", zone: "America/New_York",
		uid: "040000008200E00074C5B7101A82E00800000000C0FFEE-halvorsen-msa", summary: "MSA: liability cap (Halvorsen / Larkspur legal)",
		location:  "Microsoft Teams meeting",
		desc:      "Join online: https://teams.example.com/l/meetup-join/halvorsen-msa\nAgenda: section 9.2 liability cap; section 14 termination; next steps.",
		organizer: dana, anchor: "contract", start: "1000", end: "1045"}
	prep := invite{method: "REQUEST", prodid: "-//Google Inc//Google Calendar 70.9054//EN", zone: "Europe/London",
		uid: "3k9q1v7m2b8c5n0x4z6l@google.example.com", summary: "Board prep: ops section",
		location: "https://meet.example.com/brd-prep-ops", desc: "30 min to go through the ops slides before the board.",
		organizer: priya, anchor: "boardmon", start: "1500", end: "1530"}
	partner := invite{method: "REQUEST", prodid: "-//Google Inc//Google Calendar 70.9054//EN", zone: "America/Los_Angeles",
		uid: "7h2j4k6l8m0n1p3q5r7s@google.example.com", summary: "Fernhill <> Larkspur: cost analytics",
		location: "https://meet.example.com/fern-lark", desc: "Intro call. Agenda: Fernhill's use case, Larkspur's build-vs-buy story, next steps.",
		organizer: grace, anchor: "workshop", start: "0830", end: "0900", others: []*person{marcus}}
	retro := invite{method: "CANCEL", prodid: "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", zone: "Europe/Berlin",
		uid: "040000008200E00074C5B7101A82E00800000000BEEF-team-retro", summary: "Team retro",
		location: "Room Landwehr", organizer: ben, anchor: "retro", start: "1600", end: "1700", seq: 1}

	return []*spec{
		{key: "itip-review", kind: KindPerson, needs: true, folder: "Projects/Atlas", flags: "S", at: bd(3, "11:20"), from: jonas, crlf: true,
			subject: "Invitation: Atlas design review: events table cut-over @ {{at \"review\" \"Mon 2 Jan 2006\"}} 14:00 - 15:00 (Europe/Berlin)",
			ical:    review.ical(), icalMethod: "REQUEST",
			text: `You have been invited to the following event.

Atlas design review: events table cut-over
When: {{at "review" "Monday, 2 January"}}, 14:00 - 15:00 (Europe/Berlin)
Where: Room Spree (3rd floor), or https://meet.example.org/atlas-review

Please read the runbook beforehand. Aisha is optional but will join if she can.`},
		{key: "itip-contract", kind: KindPerson, needs: true, flags: "", at: bd(1, "14:35"), from: dana, crlf: true, icsFile: true,
			subject: "MSA: liability cap (Halvorsen / Larkspur legal)",
			ical:    contract.ical(), icalMethod: "REQUEST",
			text: `Hi Alex,

As suggested, a short call with both legal teams to settle the liability cap. I picked 10am Eastern, which should be 4pm for you. If that doesn't work, please propose another time.

________________________________________________________________________________
Microsoft Teams meeting
Join on your computer or mobile app: https://teams.example.com/l/meetup-join/halvorsen-msa
Meeting ID: 241 887 905 12  Passcode: Qx7rT2
________________________________________________________________________________`},
		{key: "itip-prep", kind: KindPerson, needs: true, flags: "S", at: after("q3-move", "40m"), from: priya, crlf: true,
			subject: "Invitation: Board prep: ops section @ {{at \"boardmon\" \"Mon 2 Jan 2006\"}} 3pm - 3:30pm (United Kingdom Time) (alex@example.org)",
			ical:    prep.ical(), icalMethod: "REQUEST", noSig: true,
			text: `Priya Shah has invited you to an event.

Board prep: ops section
{{at "boardmon" "Monday 2 Jan 2006"}} ⋅ 3pm – 3:30pm (United Kingdom Time)
Joining info: https://meet.example.com/brd-prep-ops

Reply for alex@example.org: Yes / No / Maybe
Invitation from Google Calendar. You are receiving this email because you are an attendee on the event.`},
		{key: "itip-partner", kind: KindPerson, needs: true, flags: "", at: after("s-grace", "7h"), from: grace, crlf: true,
			subject: "Invitation: Fernhill <> Larkspur: cost analytics @ {{at \"workshop\" \"Mon 2 Jan 2006\"}} 8:30am - 9am (Pacific Time - Los Angeles) (alex@example.org)",
			ical:    partner.ical(), icalMethod: "REQUEST", noSig: true,
			text: `Grace Liu has invited you to an event.

Fernhill <> Larkspur: cost analytics
{{at "workshop" "Monday 2 Jan 2006"}} ⋅ 8:30am – 9am (Pacific Time - Los Angeles)
Joining info: https://meet.example.com/fern-lark
Guests: Grace Liu (organizer), Alex Morgan, Marcus Bell (optional)

Reply for alex@example.org: Yes / No / Maybe`},
		{key: "itip-retro-cancel", kind: KindPerson, flags: "S", at: ago("26h"), from: ben, crlf: true,
			subject: "Canceled: Team retro",
			ical:    retro.ical(), icalMethod: "CANCEL", noSig: true,
			text: `Hi all,

Cancelling this week's retro — half the team is at the customer event. We'll do a longer one next time.

Ben`},
		{key: "meet-aisha", kind: KindPerson, needs: true, flags: "S", at: bd(1, "16:50"), from: aisha,
			subject: "30 min on the retention job?",
			text: `Hi Alex,

Could we grab 30 minutes next Tuesday 3pm to go through the retention job before I merge it? I'd like you to see the deletion logic with your own eyes, it's the scary part.

If 3pm is bad, anything Tuesday afternoon works for me.

Aisha`},
		{key: "meet-sophie", kind: KindPerson, needs: true, flags: "", at: ago("2h40m"), from: sophie,
			subject: "Onboarding 1:1",
			text: `Hi Alex,

I'm Sophie, I started on Monday as the new analyst in Priya's team. Priya suggested I set up a 1:1 with you to understand how product ops works here.

Would {{wd 2}} at 10:00 or {{wd 3}} after lunch work for you? 45 minutes would be plenty.

Thanks a lot,
Sophie`},
		{key: "meet-ben", kind: KindPerson, needs: true, flags: "S", at: bd(2, "11:15"), from: ben,
			subject: "Calibration session - which slot works?",
			text: `Hi Alex,

We need one hour with all interviewers for the Senior Data Engineer calibration. Could you tell me which of these works for you?

A) {{wd 3}} 10:00-11:00
B) {{wd 3}} 14:00-15:00
C) {{wd 4}} 16:00-17:00

I'll pick the slot that works for most people by end of day tomorrow.`},
	}
}

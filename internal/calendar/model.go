package calendar

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Calendar is one parsed iCalendar object (all VCALENDAR blocks of an
// input are merged into one).
type Calendar struct {
	Method    string // iTIP METHOD (REQUEST, REPLY, CANCEL, ...), "" when absent
	ProdID    string
	Events    []*Event
	Todos     []*Todo
	Timezones []*Component // VTIMEZONE components, kept as written
	// Props are the calendar-level properties as written (VERSION, PRODID,
	// METHOD, CALSCALE, X-WR-CALNAME, ...).
	Props []*Property
	// Other holds components PAM does not model (VJOURNAL, VFREEBUSY,
	// VAVAILABILITY, X- components); they are written back unchanged.
	Other []*Component
	// Problems lists defects that were skipped while parsing.
	Problems []Problem
	// ProblemsDropped counts problems beyond Limits.MaxProblems.
	ProblemsDropped int

	zones *zoneResolver
}

// Address is an ORGANIZER or ATTENDEE.
type Address struct {
	Email    string // from a mailto: value; the whole value when it is another URI
	Name     string // CN
	PartStat string // NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED
	Role     string // CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT, NON-PARTICIPANT
	RSVP     bool
	CUType   string // INDIVIDUAL, GROUP, RESOURCE, ROOM, UNKNOWN
	// Params holds all parameters as written, so that ones not modelled
	// here (DELEGATED-TO, SENT-BY, X-...) survive a round trip.
	Params []Param
}

// Alarm is a VALARM.
type Alarm struct {
	Action      string // AUDIO, DISPLAY, EMAIL
	Trigger     string // TRIGGER value as written (a duration or a UTC date-time)
	TriggerRel  string // RELATED parameter: START (default) or END
	Description string
	Raw         *Component
}

// Event is a VEVENT.
type Event struct {
	UID          string
	Summary      string
	Description  string
	Location     string
	Start        DateTime
	End          DateTime // from DTEND, or DTSTART + DURATION; zero when neither
	Stamp        time.Time
	Organizer    *Address
	Attendees    []Address
	Status       string // TENTATIVE, CONFIRMED, CANCELLED
	Transp       string // OPAQUE (default), TRANSPARENT
	Sequence     int
	Categories   []string
	RRules       []Rule
	RDates       []DateTime
	ExDates      []DateTime
	RecurrenceID DateTime
	// ThisAndFuture is RANGE=THISANDFUTURE on RECURRENCE-ID.
	ThisAndFuture bool
	Alarms        []Alarm
	// Raw is the component as parsed; properties and components not
	// modelled above are written back from it.
	Raw *Component

	parsed *Event // snapshot taken at parse time, to detect edits
}

// Todo is a VTODO.
type Todo struct {
	UID             string
	Summary         string
	Description     string
	Start           DateTime
	Due             DateTime
	Completed       DateTime
	Stamp           time.Time
	Status          string // NEEDS-ACTION, COMPLETED, IN-PROCESS, CANCELLED
	Priority        int    // 0 undefined, 1 highest .. 9 lowest
	PercentComplete int
	RelatedTo       []string
	Categories      []string
	Sequence        int
	RRules          []Rule
	Alarms          []Alarm
	Raw             *Component

	parsed *Todo
}

// Parse reads an iCalendar stream with DefaultLimits.
func Parse(r io.Reader) (*Calendar, error) {
	return ParseLimits(r, DefaultLimits)
}

// ParseLimits reads an iCalendar stream. Bad lines and bad values are
// recorded in Calendar.Problems and skipped; an error is returned only when
// a limit is exceeded or no calendar component is found.
func ParseLimits(r io.Reader, lim Limits) (cal *Calendar, err error) {
	data, err := readLimited(r, lim.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	defer func() {
		// Last line of defence: a bug must not take the process down.
		// The fuzz test calls parseBytes directly so that it sees panics.
		if v := recover(); v != nil {
			cal, err = nil, fmt.Errorf("parse calendar: internal error: %v", v)
		}
	}()
	return parseBytes(data, lim)
}

func parseBytes(data []byte, lim Limits) (*Calendar, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lx := &lexer{lim: lim}
	roots, err := lx.parseComponents(data)
	if err != nil {
		return nil, fmt.Errorf("parse calendar: %w", err)
	}
	cal := &Calendar{}
	var body []*Component
	ncal := 0
	for _, root := range roots {
		switch root.Name {
		case "VCALENDAR":
			ncal++
			cal.Props = append(cal.Props, root.Props...)
			body = append(body, root.Children...)
		case "VEVENT", "VTODO", "VTIMEZONE", "VJOURNAL", "VFREEBUSY", "VALARM", "VAVAILABILITY":
			lx.problem(root.Line, root.Name, "component outside VCALENDAR; accepted")
			body = append(body, root)
		default:
			lx.problem(root.Line, root.Name, "unexpected top-level component; skipped")
		}
	}
	if ncal == 0 && len(body) == 0 {
		return nil, fmt.Errorf("parse calendar: %w", ErrNoCalendar)
	}
	if ncal > 1 {
		lx.problem(0, "VCALENDAR", "%d VCALENDAR blocks merged into one", ncal)
	}
	for _, c := range body {
		if c.Name == "VTIMEZONE" {
			cal.Timezones = append(cal.Timezones, c)
		}
	}
	cal.zones = newZoneResolver(cal.Timezones)
	for _, p := range cal.Props {
		switch p.Name {
		case "METHOD":
			if cal.Method == "" {
				cal.Method = strings.ToUpper(strings.TrimSpace(p.Value))
			}
		case "PRODID":
			if cal.ProdID == "" {
				cal.ProdID = UnescapeText(p.Value)
			}
		}
	}
	for _, c := range body {
		switch c.Name {
		case "VTIMEZONE":
		case "VEVENT":
			cal.Events = append(cal.Events, eventFrom(c, cal.zones, lx))
		case "VTODO":
			cal.Todos = append(cal.Todos, todoFrom(c, cal.zones, lx))
		default:
			cal.Other = append(cal.Other, c)
		}
	}
	// Lexing problems come first; order all by line (0, whole-file ones, last).
	slices.SortStableFunc(lx.problems, func(a, b Problem) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return a.Line - b.Line
	})
	cal.Problems, cal.ProblemsDropped = lx.problems, lx.dropped
	return cal, nil
}

// propReader decodes typed property values and records problems.
type propReader struct {
	z  *zoneResolver
	lx *lexer
}

func (pr propReader) bad(p *Property, err error) {
	pr.lx.problem(p.Line, p.Name, "%v; value ignored", err)
}

// dateTime decodes a DATE or DATE-TIME property value.
func (pr propReader) dateTime(p *Property) DateTime {
	d, err := pr.parseDT(p, p.Value)
	if err != nil {
		pr.bad(p, err)
	}
	return d
}

func (pr propReader) parseDT(p *Property, v string) (DateTime, error) {
	dateOnly := strings.EqualFold(p.Param("VALUE"), "DATE")
	tzid := p.Param("TZID")
	var loc *time.Location
	v = strings.TrimSpace(v)
	utc := strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z")
	if tzid != "" && !dateOnly && !utc {
		var err error
		loc, err = pr.z.resolve(tzid)
		if err != nil {
			pr.lx.problem(p.Line, p.Name, "%v; time treated as floating", err)
		}
	}
	d, err := parseDateTimeText(v, dateOnly, loc)
	if err != nil {
		return d, err
	}
	if tzid != "" && !d.AllDay && !utc {
		d.TZID = tzid
	}
	return d, nil
}

// dateList decodes a comma-separated RDATE or EXDATE value; PERIOD
// values contribute their start.
func (pr propReader) dateList(p *Property) []DateTime {
	var out []DateTime
	for _, v := range strings.Split(p.Value, ",") {
		if len(out) >= 10000 {
			pr.lx.problem(p.Line, p.Name, "more than 10000 values; rest ignored")
			break
		}
		if s, _, ok := strings.Cut(v, "/"); ok {
			v = s
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		d, err := pr.parseDT(p, v)
		if err != nil {
			pr.bad(p, err)
			continue
		}
		out = append(out, d)
	}
	return out
}

func (pr propReader) integer(p *Property) int {
	n, err := strconv.Atoi(strings.TrimSpace(p.Value))
	if err != nil {
		pr.bad(p, fmt.Errorf("bad integer %q", clip(p.Value)))
	}
	return n
}

func (pr propReader) stamp(p *Property) time.Time {
	d := pr.dateTime(p)
	return d.Time
}

func addressFrom(p *Property) Address {
	a := Address{
		Email:    mailtoAddress(p.Value),
		Name:     p.Param("CN"),
		PartStat: strings.ToUpper(p.Param("PARTSTAT")),
		Role:     strings.ToUpper(p.Param("ROLE")),
		RSVP:     strings.EqualFold(p.Param("RSVP"), "TRUE"),
		CUType:   strings.ToUpper(p.Param("CUTYPE")),
	}
	a.Params = (&Property{Params: p.Params}).clone().Params
	return a
}

func mailtoAddress(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		return strings.TrimSpace(v[7:])
	}
	return v
}

func alarmFrom(c *Component) Alarm {
	a := Alarm{Raw: c}
	if p := c.Prop("ACTION"); p != nil {
		a.Action = strings.ToUpper(strings.TrimSpace(p.Value))
	}
	if p := c.Prop("TRIGGER"); p != nil {
		a.Trigger = p.Value
		a.TriggerRel = strings.ToUpper(p.Param("RELATED"))
	}
	if p := c.Prop("DESCRIPTION"); p != nil {
		a.Description = UnescapeText(p.Value)
	}
	return a
}

func eventFrom(c *Component, z *zoneResolver, lx *lexer) *Event {
	pr := propReader{z: z, lx: lx}
	ev := &Event{Raw: c}
	var dur *Property
	for _, p := range c.Props {
		switch p.Name {
		case "UID":
			ev.UID = UnescapeText(p.Value)
		case "SUMMARY":
			ev.Summary = UnescapeText(p.Value)
		case "DESCRIPTION":
			ev.Description = UnescapeText(p.Value)
		case "LOCATION":
			ev.Location = UnescapeText(p.Value)
		case "DTSTART":
			ev.Start = pr.dateTime(p)
		case "DTEND":
			ev.End = pr.dateTime(p)
		case "DURATION":
			dur = p
		case "DTSTAMP":
			ev.Stamp = pr.stamp(p)
		case "ORGANIZER":
			a := addressFrom(p)
			ev.Organizer = &a
		case "ATTENDEE":
			if len(ev.Attendees) < 10000 {
				ev.Attendees = append(ev.Attendees, addressFrom(p))
			}
		case "STATUS":
			ev.Status = strings.ToUpper(strings.TrimSpace(p.Value))
		case "TRANSP":
			ev.Transp = strings.ToUpper(strings.TrimSpace(p.Value))
		case "SEQUENCE":
			ev.Sequence = pr.integer(p)
		case "CATEGORIES":
			ev.Categories = append(ev.Categories, SplitText(p.Value)...)
		case "RRULE":
			r, err := ParseRule(p.Value, ruleUntilLoc(pr, c))
			if err != nil {
				pr.bad(p, err)
			} else if len(ev.RRules) < 16 {
				ev.RRules = append(ev.RRules, r)
			}
		case "RDATE":
			ev.RDates = append(ev.RDates, pr.dateList(p)...)
		case "EXDATE":
			ev.ExDates = append(ev.ExDates, pr.dateList(p)...)
		case "RECURRENCE-ID":
			ev.RecurrenceID = pr.dateTime(p)
			ev.ThisAndFuture = strings.EqualFold(p.Param("RANGE"), "THISANDFUTURE")
		}
	}
	if dur != nil && ev.End.IsZero() && !ev.Start.IsZero() {
		d, err := ParseDuration(dur.Value)
		if err != nil {
			pr.bad(dur, err)
		} else {
			ev.End = ev.Start
			ev.End.Time = d.AddTo(ev.Start.Time)
		}
	}
	if ev.UID == "" {
		lx.problem(c.Line, "VEVENT", "no UID")
	}
	if ev.Start.IsZero() && c.Prop("DTSTART") == nil {
		lx.problem(c.Line, "VEVENT", "no DTSTART")
	}
	for _, ch := range c.Children {
		if ch.Name == "VALARM" {
			ev.Alarms = append(ev.Alarms, alarmFrom(ch))
		}
	}
	ev.parsed = ev.snapshot()
	return ev
}

// ruleUntilLoc returns DTSTART's zone for interpreting a local UNTIL.
func ruleUntilLoc(pr propReader, c *Component) *time.Location {
	p := c.Prop("DTSTART")
	if p == nil || p.Param("TZID") == "" {
		return nil
	}
	loc, err := pr.z.resolve(p.Param("TZID"))
	if err != nil {
		return nil
	}
	return loc
}

func todoFrom(c *Component, z *zoneResolver, lx *lexer) *Todo {
	pr := propReader{z: z, lx: lx}
	t := &Todo{Raw: c}
	for _, p := range c.Props {
		switch p.Name {
		case "UID":
			t.UID = UnescapeText(p.Value)
		case "SUMMARY":
			t.Summary = UnescapeText(p.Value)
		case "DESCRIPTION":
			t.Description = UnescapeText(p.Value)
		case "DTSTART":
			t.Start = pr.dateTime(p)
		case "DUE":
			t.Due = pr.dateTime(p)
		case "COMPLETED":
			t.Completed = pr.dateTime(p)
		case "DTSTAMP":
			t.Stamp = pr.stamp(p)
		case "STATUS":
			t.Status = strings.ToUpper(strings.TrimSpace(p.Value))
		case "PRIORITY":
			t.Priority = pr.integer(p)
		case "PERCENT-COMPLETE":
			t.PercentComplete = pr.integer(p)
		case "RELATED-TO":
			t.RelatedTo = append(t.RelatedTo, UnescapeText(p.Value))
		case "CATEGORIES":
			t.Categories = append(t.Categories, SplitText(p.Value)...)
		case "SEQUENCE":
			t.Sequence = pr.integer(p)
		case "RRULE":
			r, err := ParseRule(p.Value, ruleUntilLoc(pr, c))
			if err != nil {
				pr.bad(p, err)
			} else if len(t.RRules) < 16 {
				t.RRules = append(t.RRules, r)
			}
		}
	}
	if t.UID == "" {
		lx.problem(c.Line, "VTODO", "no UID")
	}
	for _, ch := range c.Children {
		if ch.Name == "VALARM" {
			t.Alarms = append(t.Alarms, alarmFrom(ch))
		}
	}
	t.parsed = t.snapshot()
	return t
}

func (ev *Event) snapshot() *Event {
	s := *ev
	s.parsed = nil
	s.Attendees = slices.Clone(ev.Attendees)
	s.Categories = slices.Clone(ev.Categories)
	s.RRules = slices.Clone(ev.RRules)
	s.RDates = slices.Clone(ev.RDates)
	s.ExDates = slices.Clone(ev.ExDates)
	s.Alarms = slices.Clone(ev.Alarms)
	if ev.Organizer != nil {
		o := *ev.Organizer
		s.Organizer = &o
	}
	return &s
}

func (t *Todo) snapshot() *Todo {
	s := *t
	s.parsed = nil
	s.RelatedTo = slices.Clone(t.RelatedTo)
	s.Categories = slices.Clone(t.Categories)
	s.RRules = slices.Clone(t.RRules)
	s.Alarms = slices.Clone(t.Alarms)
	return &s
}

// changed reports whether a field differs from its parsed value.
func changed(a, b any) bool { return !reflect.DeepEqual(a, b) }

// compBuilder rewrites the properties of a component for changed fields.
type compBuilder struct{ c *Component }

func (b compBuilder) set(name string, props ...*Property) {
	at := -1
	for i, p := range b.c.Props {
		if p.Name == name {
			at = i
			break
		}
	}
	b.c.RemoveProps(name)
	var keep []*Property
	for _, p := range props {
		if p != nil {
			keep = append(keep, p)
		}
	}
	if at < 0 || at > len(b.c.Props) {
		b.c.Props = append(b.c.Props, keep...)
		return
	}
	b.c.Props = slices.Insert(b.c.Props, at, keep...)
}

func textProp(name, v string) *Property {
	if v == "" {
		return nil
	}
	return &Property{Name: name, Value: EscapeText(v)}
}

func rawProp(name, v string) *Property {
	if v == "" {
		return nil
	}
	return &Property{Name: name, Value: v}
}

func dateProp(name string, d DateTime) *Property {
	if d.IsZero() {
		return nil
	}
	p := &Property{Name: name, Value: d.format()}
	if d.AllDay {
		p.SetParam("VALUE", "DATE")
	} else if d.TZID != "" {
		p.SetParam("TZID", d.TZID)
	}
	return p
}

func dateListProps(name string, ds []DateTime) []*Property {
	var out []*Property
	for _, d := range ds {
		out = append(out, dateProp(name, d))
	}
	return out
}

func addressProp(name string, a Address) *Property {
	p := &Property{Name: name, Value: "mailto:" + a.Email, Params: (&Property{Params: a.Params}).clone().Params}
	if strings.Contains(a.Email, ":") {
		p.Value = a.Email
	}
	set := func(k, v string) {
		if v == "" {
			p.SetParam(k)
		} else {
			p.SetParam(k, v)
		}
	}
	set("CN", a.Name)
	set("PARTSTAT", a.PartStat)
	set("ROLE", a.Role)
	set("CUTYPE", a.CUType)
	if a.RSVP {
		set("RSVP", "TRUE")
	} else if strings.EqualFold(p.Param("RSVP"), "TRUE") {
		set("RSVP", "")
	}
	return p
}

func alarmComponent(a Alarm) *Component {
	c := a.Raw.Clone()
	if c == nil {
		c = &Component{Name: "VALARM"}
	}
	orig := alarmFrom(a.Raw)
	if a.Raw == nil {
		orig = Alarm{}
	}
	b := compBuilder{c}
	if a.Action != orig.Action {
		b.set("ACTION", rawProp("ACTION", a.Action))
	}
	if a.Trigger != orig.Trigger || a.TriggerRel != orig.TriggerRel {
		p := rawProp("TRIGGER", a.Trigger)
		if p != nil && a.TriggerRel != "" {
			p.SetParam("RELATED", a.TriggerRel)
		}
		b.set("TRIGGER", p)
	}
	if a.Description != orig.Description {
		b.set("DESCRIPTION", textProp("DESCRIPTION", a.Description))
	}
	return c
}

func categoriesProp(cs []string) *Property {
	if len(cs) == 0 {
		return nil
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = EscapeText(c)
	}
	return &Property{Name: "CATEGORIES", Value: strings.Join(parts, ",")}
}

func intProp(name string, n int) *Property {
	return &Property{Name: name, Value: strconv.Itoa(n)}
}

func stampProp(t time.Time) *Property {
	if t.IsZero() {
		return nil
	}
	return &Property{Name: "DTSTAMP", Value: t.UTC().Format("20060102T150405Z")}
}

func ruleProps(rs []Rule) []*Property {
	var out []*Property
	for _, r := range rs {
		out = append(out, &Property{Name: "RRULE", Value: r.String()})
	}
	return out
}

// Component returns the VEVENT for ev: the parsed component with the
// properties of edited fields rewritten, or a new one.
func (ev *Event) Component() *Component {
	c := ev.Raw.Clone()
	orig := ev.parsed
	if c == nil || orig == nil {
		c, orig = &Component{Name: "VEVENT"}, &Event{}
	}
	b := compBuilder{c}
	if changed(ev.UID, orig.UID) {
		b.set("UID", textProp("UID", ev.UID))
	}
	if changed(ev.Stamp, orig.Stamp) {
		b.set("DTSTAMP", stampProp(ev.Stamp))
	}
	if changed(ev.Start, orig.Start) {
		b.set("DTSTART", dateProp("DTSTART", ev.Start))
	}
	if changed(ev.End, orig.End) {
		c.RemoveProps("DURATION")
		b.set("DTEND", dateProp("DTEND", ev.End))
	}
	if changed(ev.RecurrenceID, orig.RecurrenceID) || ev.ThisAndFuture != orig.ThisAndFuture {
		p := dateProp("RECURRENCE-ID", ev.RecurrenceID)
		if p != nil && ev.ThisAndFuture {
			p.SetParam("RANGE", "THISANDFUTURE")
		}
		b.set("RECURRENCE-ID", p)
	}
	if changed(ev.Summary, orig.Summary) {
		b.set("SUMMARY", textProp("SUMMARY", ev.Summary))
	}
	if changed(ev.Description, orig.Description) {
		b.set("DESCRIPTION", textProp("DESCRIPTION", ev.Description))
	}
	if changed(ev.Location, orig.Location) {
		b.set("LOCATION", textProp("LOCATION", ev.Location))
	}
	if changed(ev.Status, orig.Status) {
		b.set("STATUS", rawProp("STATUS", ev.Status))
	}
	if changed(ev.Transp, orig.Transp) {
		b.set("TRANSP", rawProp("TRANSP", ev.Transp))
	}
	if changed(ev.Sequence, orig.Sequence) {
		b.set("SEQUENCE", intProp("SEQUENCE", ev.Sequence))
	}
	if changed(ev.Categories, orig.Categories) {
		b.set("CATEGORIES", categoriesProp(ev.Categories))
	}
	if changed(ev.Organizer, orig.Organizer) {
		var p *Property
		if ev.Organizer != nil {
			p = addressProp("ORGANIZER", *ev.Organizer)
		}
		b.set("ORGANIZER", p)
	}
	if changed(ev.Attendees, orig.Attendees) {
		var ps []*Property
		for _, a := range ev.Attendees {
			ps = append(ps, addressProp("ATTENDEE", a))
		}
		b.set("ATTENDEE", ps...)
	}
	if changed(ev.RRules, orig.RRules) {
		b.set("RRULE", ruleProps(ev.RRules)...)
	}
	if changed(ev.RDates, orig.RDates) {
		b.set("RDATE", dateListProps("RDATE", ev.RDates)...)
	}
	if changed(ev.ExDates, orig.ExDates) {
		b.set("EXDATE", dateListProps("EXDATE", ev.ExDates)...)
	}
	if changed(ev.Alarms, orig.Alarms) {
		c.Children = slices.DeleteFunc(c.Children, func(ch *Component) bool { return ch.Name == "VALARM" })
		for _, a := range ev.Alarms {
			c.Children = append(c.Children, alarmComponent(a))
		}
	}
	return c
}

// Component returns the VTODO for t, like Event.Component.
func (t *Todo) Component() *Component {
	c := t.Raw.Clone()
	orig := t.parsed
	if c == nil || orig == nil {
		c, orig = &Component{Name: "VTODO"}, &Todo{}
	}
	b := compBuilder{c}
	if changed(t.UID, orig.UID) {
		b.set("UID", textProp("UID", t.UID))
	}
	if changed(t.Stamp, orig.Stamp) {
		b.set("DTSTAMP", stampProp(t.Stamp))
	}
	if changed(t.Start, orig.Start) {
		b.set("DTSTART", dateProp("DTSTART", t.Start))
	}
	if changed(t.Due, orig.Due) {
		c.RemoveProps("DURATION")
		b.set("DUE", dateProp("DUE", t.Due))
	}
	if changed(t.Completed, orig.Completed) {
		b.set("COMPLETED", dateProp("COMPLETED", t.Completed))
	}
	if changed(t.Summary, orig.Summary) {
		b.set("SUMMARY", textProp("SUMMARY", t.Summary))
	}
	if changed(t.Description, orig.Description) {
		b.set("DESCRIPTION", textProp("DESCRIPTION", t.Description))
	}
	if changed(t.Status, orig.Status) {
		b.set("STATUS", rawProp("STATUS", t.Status))
	}
	if changed(t.Priority, orig.Priority) {
		b.set("PRIORITY", intProp("PRIORITY", t.Priority))
	}
	if changed(t.PercentComplete, orig.PercentComplete) {
		b.set("PERCENT-COMPLETE", intProp("PERCENT-COMPLETE", t.PercentComplete))
	}
	if changed(t.Sequence, orig.Sequence) {
		b.set("SEQUENCE", intProp("SEQUENCE", t.Sequence))
	}
	if changed(t.RelatedTo, orig.RelatedTo) {
		var ps []*Property
		for _, r := range t.RelatedTo {
			ps = append(ps, textProp("RELATED-TO", r))
		}
		b.set("RELATED-TO", ps...)
	}
	if changed(t.Categories, orig.Categories) {
		b.set("CATEGORIES", categoriesProp(t.Categories))
	}
	if changed(t.RRules, orig.RRules) {
		b.set("RRULE", ruleProps(t.RRules)...)
	}
	if changed(t.Alarms, orig.Alarms) {
		c.Children = slices.DeleteFunc(c.Children, func(ch *Component) bool { return ch.Name == "VALARM" })
		for _, a := range t.Alarms {
			c.Children = append(c.Children, alarmComponent(a))
		}
	}
	return c
}

// Component returns the VCALENDAR for cal.
func (cal *Calendar) Component() *Component {
	c := &Component{Name: "VCALENDAR"}
	seen := map[string]bool{}
	for _, p := range cal.Props {
		switch p.Name {
		case "VERSION", "PRODID", "METHOD", "CALSCALE":
			if seen[p.Name] {
				continue // merged calendars: keep the first
			}
			seen[p.Name] = true
		}
		if p.Name == "METHOD" {
			continue
		}
		c.Props = append(c.Props, p.clone())
	}
	if !seen["VERSION"] {
		c.Props = slices.Insert(c.Props, 0, &Property{Name: "VERSION", Value: "2.0"})
	}
	if !seen["PRODID"] {
		prod := cal.ProdID
		if prod == "" {
			prod = "-//PAM//PAM Calendar//EN"
		}
		c.Props = slices.Insert(c.Props, 1, &Property{Name: "PRODID", Value: EscapeText(prod)})
	}
	if cal.Method != "" {
		c.Props = append(c.Props, &Property{Name: "METHOD", Value: cal.Method})
	}
	for _, tz := range cal.Timezones {
		c.Children = append(c.Children, tz.Clone())
	}
	for _, ev := range cal.Events {
		c.Children = append(c.Children, ev.Component())
	}
	for _, t := range cal.Todos {
		c.Children = append(c.Children, t.Component())
	}
	for _, o := range cal.Other {
		c.Children = append(c.Children, o.Clone())
	}
	return c
}

// Encode writes cal as one VCALENDAR.
func (cal *Calendar) Encode(w io.Writer) error {
	return EncodeComponents(w, cal.Component())
}

// Location resolves a TZID the way Parse does: IANA and Windows names
// first, then the calendar's own VTIMEZONE definitions.
func (cal *Calendar) Location(tzid string) (*time.Location, error) {
	if cal.zones == nil {
		cal.zones = newZoneResolver(cal.Timezones)
	}
	return cal.zones.resolve(tzid)
}

package demo

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the demo's legacy charsets
	"github.com/google/go-cmp/cmp"
	"github.com/teambition/rrule-go"
)

// refNow is a fixed reference time for the tests: a Wednesday afternoon
// in Berlin summer time.
var refNow = time.Date(2025, 6, 11, 14, 30, 0, 0, time.UTC)

func TestMessagesCounts(t *testing.T) {
	msgs := Messages(refNow)
	if len(msgs) < 170 {
		t.Fatalf("len(Messages) = %d, want >= 170", len(msgs))
	}
	kinds := map[string]int{}
	malformed, sent, unread, needs := 0, 0, 0, 0
	flagsRE := regexp.MustCompile(`^D?F?P?R?S?T?$`)
	flagged := 0
	for _, m := range msgs {
		if !flagsRE.MatchString(m.Flags) {
			t.Errorf("%s: Flags = %q, want Maildir flags in ASCII order", m.Key, m.Flags)
		}
		if strings.Contains(m.Flags, "F") {
			flagged++
		}
		kinds[m.Kind]++
		if m.Malformed != "" {
			malformed++
		}
		if m.Folder == "Sent" {
			sent++
			if !bytes.Contains(m.Raw, []byte("From: "+UserName+" <"+UserEmail+">")) {
				t.Errorf("%s: sent message not from the user", m.Key)
			}
			if m.NeedsReply {
				t.Errorf("%s: the user's own message marked NeedsReply", m.Key)
			}
		}
		if m.Folder == "INBOX" && m.Flags == "" {
			unread++
		}
		if m.NeedsReply {
			needs++
		}
	}
	want := map[string]int{KindPerson: 74, KindNewsletter: 20, KindPromotion: 21, KindNotification: 28,
		KindSocial: 10, KindForum: 12, KindSpam: 14}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("messages per kind (-want +got):\n%s", diff)
	}
	if malformed != 7 {
		t.Errorf("malformed = %d, want 7", malformed)
	}
	if flagged == 0 {
		t.Error("no flagged message")
	}
	if sent != 20 {
		t.Errorf("sent = %d, want 20", sent)
	}
	if unread < 5 || unread > 30 {
		t.Errorf("unread INBOX = %d, want a few (5..30)", unread)
	}
	if needs < 30 {
		t.Errorf("NeedsReply = %d, want >= 30", needs)
	}
	// Most recent densest: more mail in the last week than in the oldest.
	perWeek := make([]int, 5)
	for _, m := range msgs {
		if d := messageTime(m.Raw); !d.IsZero() {
			perWeek[min(4, int(refNow.Sub(d).Hours()/24/7))]++
		}
	}
	t.Logf("messages per week back from now: %v", perWeek)
	if perWeek[0] <= perWeek[3] || perWeek[0] < 50 {
		t.Errorf("messages per week back from now = %v, want the latest week densest", perWeek)
	}
	for _, m := range msgs {
		if m.Kind != KindPerson && m.Kind != KindForum && m.NeedsReply && m.Key != "n-pr-review" {
			t.Errorf("%s: %s marked NeedsReply", m.Key, m.Kind)
		}
	}
}

// addrParser decodes display names in the legacy charsets the demo uses.
var addrParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: message.CharsetReader}}

var headerLine = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*: `)

func TestMessagesParse(t *testing.T) {
	msgs := Messages(refNow)
	ids := map[string]string{}
	dates := map[string]string{}
	for _, m := range msgs {
		if bytes.Contains(m.Raw, []byte("{{")) {
			t.Errorf("%s: unexpanded template in message", m.Key)
		}
		if m.Malformed != "" {
			if !headerLine.Match(m.Raw) {
				t.Errorf("%s: malformed message does not begin with a header: %q", m.Key, m.Raw[:min(40, len(m.Raw))])
			}
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Errorf("%s: mail.ReadMessage: %v", m.Key, err)
			continue
		}
		d, err := msg.Header.Date()
		if err != nil {
			t.Errorf("%s: Date: %v", m.Key, err)
		} else if d.After(refNow) || d.Before(refNow.AddDate(0, 0, -31)) {
			t.Errorf("%s: Date = %v, want within 31 days before %v", m.Key, d, refNow)
		}
		dh := msg.Header.Get("Date")
		if k, dup := dates[dh]; dup {
			t.Errorf("%s and %s share Date %q", k, m.Key, dh)
		}
		dates[dh] = m.Key
		if _, err := addrParser.ParseList(msg.Header.Get("From")); err != nil {
			t.Errorf("%s: From: %v", m.Key, err)
		}
		id := msg.Header.Get("Message-ID")
		if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, ">") || !strings.Contains(id, "@") {
			t.Errorf("%s: Message-ID = %q, want <local@domain>", m.Key, id)
		}
		if k, dup := ids[id]; dup {
			t.Errorf("%s and %s share Message-ID %s", k, m.Key, id)
		}
		ids[id] = m.Key
	}
}

func TestMalformedAreMalformed(t *testing.T) {
	for _, m := range Messages(refNow) {
		if m.Malformed == "" {
			continue
		}
		var broken bool
		switch m.Key {
		case "mf-boundary":
			broken = !bytes.Contains(m.Raw, []byte("--=_tho_5521--"))
		case "mf-charset":
			broken = bytes.Contains(m.Raw, []byte("charset=\"x-mac-roman8-legacy\""))
		case "mf-latin1":
			broken = bytes.Contains(m.Raw, []byte("k\xf6nntest"))
		case "mf-date":
			msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
			_, derr := msg.Header.Date()
			broken = err == nil && derr != nil
		case "mf-nofrom":
			msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
			broken = err == nil && msg.Header.Get("From") == "" && msg.Header.Get("Message-ID") == ""
		case "mf-base64":
			broken = bytes.Contains(m.Raw, []byte("!!**~~"))
		case "mf-nested":
			broken = bytes.Count(m.Raw, []byte("multipart/mixed")) == 40
		default:
			t.Errorf("%s: unexpected malformed message", m.Key)
			continue
		}
		if !broken {
			t.Errorf("%s: not broken the way it claims: %s", m.Key, m.Malformed)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := Messages(refNow), Messages(refNow)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("Messages differs between two calls (-first +second):\n%s", diff)
	}
	if !bytes.Equal(Calendar(refNow), Calendar(refNow)) {
		t.Error("Calendar differs between two calls")
	}
	// Message-IDs and keys do not depend on now.
	later := Messages(refNow.Add(50 * time.Hour))
	idsA, idsB := messageIDs(a), messageIDs(later)
	for k, id := range idsA {
		if idsB[k] != id {
			t.Errorf("%s: Message-ID changed with now: %s vs %s", k, id, idsB[k])
		}
	}
}

func messageIDs(msgs []Message) map[string]string {
	out := map[string]string{}
	for _, m := range msgs {
		if msg, err := mail.ReadMessage(bytes.NewReader(m.Raw)); err == nil {
			out[m.Key] = msg.Header.Get("Message-ID")
		}
	}
	return out
}

// checkThreads verifies that every In-Reply-To and References names a
// message of the set that is older than the reply, and returns the
// number of messages in each thread, keyed by root id.
func checkThreads(t *testing.T, now time.Time, msgs []Message) map[string]int {
	t.Helper()
	dates := map[string]time.Time{}
	type hdr struct {
		key, inReplyTo string
		refs           []string
		date           time.Time
	}
	var all []hdr
	for _, m := range msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			continue
		}
		d, _ := msg.Header.Date()
		if id := msg.Header.Get("Message-ID"); id != "" {
			dates[id] = d
		}
		all = append(all, hdr{m.Key, msg.Header.Get("In-Reply-To"), strings.Fields(msg.Header.Get("References")), d})
	}
	threads := map[string]int{}
	for _, h := range all {
		if h.inReplyTo == "" {
			continue
		}
		if len(h.refs) == 0 || h.refs[len(h.refs)-1] != h.inReplyTo {
			t.Errorf("now=%v %s: References %v do not end with In-Reply-To %s", now, h.key, h.refs, h.inReplyTo)
		}
		for _, r := range h.refs {
			pd, ok := dates[r]
			if !ok {
				t.Errorf("now=%v %s: references unknown %s", now, h.key, r)
			} else if !pd.Before(h.date) {
				t.Errorf("now=%v %s (%v) is not newer than %s (%v)", now, h.key, h.date, r, pd)
			}
		}
		threads[h.refs[0]]++
	}
	return threads
}

func TestThreads(t *testing.T) {
	threads := checkThreads(t, refNow, Messages(refNow))
	long := 0
	for _, n := range threads {
		if n+1 >= 3 {
			long++
		}
	}
	if long < 5 {
		t.Errorf("threads of 3 or more messages = %d, want >= 5", long)
	}
}

// TestAnyNow renders the mailbox at many reference times (every weekday
// and hour class, across both DST changes) and checks the invariants that
// depend on now.
func TestAnyNow(t *testing.T) {
	var nows []time.Time
	start := time.Date(2025, 3, 24, 0, 10, 0, 0, time.UTC) // DST starts on the 30th in Europe
	for i := 0; i < 40; i++ {
		nows = append(nows, start.Add(time.Duration(i)*17*time.Hour))
	}
	nows = append(nows, time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC))
	for _, now := range nows {
		checkNow(t, now)
	}
}

func checkNow(t *testing.T, now time.Time) {
	t.Helper()
	msgs := Messages(now)
	seen := map[int64]string{}
	for _, m := range msgs {
		if m.Malformed != "" {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Errorf("now=%v %s: %v", now, m.Key, err)
			continue
		}
		d, err := msg.Header.Date()
		if err != nil {
			t.Errorf("now=%v %s: Date: %v", now, m.Key, err)
			continue
		}
		if d.After(now) || d.Before(now.AddDate(0, 0, -31)) {
			t.Errorf("now=%v %s: Date = %v, want within 31 days before now", now, m.Key, d)
		}
		if k, dup := seen[d.Unix()]; dup {
			t.Errorf("now=%v %s and %s share a Date", now, m.Key, k)
		}
		seen[d.Unix()] = m.Key
	}
	checkThreads(t, now, msgs)
}

// walk visits every leaf part of a message with its decoded body.
func walk(e *message.Entity, depth int, visit func(ctype string, params map[string]string, h message.Header, body []byte) error) error {
	if depth > 50 {
		return fmt.Errorf("too deep")
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p, depth+1, visit); err != nil {
				return err
			}
		}
	}
	ct, params, err := e.Header.ContentType()
	if err != nil {
		return err
	}
	body, err := io.ReadAll(e.Body)
	if err != nil {
		return err
	}
	return visit(ct, params, e.Header, body)
}

func TestMIMEContent(t *testing.T) {
	msgs := Messages(refNow)
	charsets := map[string]bool{}
	methods := map[string]int{}
	attachments := map[string]bool{}
	htmlOnly := 0
	texts := map[string]string{}
	dec := mime.WordDecoder{CharsetReader: message.CharsetReader}
	encodedWords := 0
	for _, m := range msgs {
		if m.Malformed != "" {
			continue
		}
		e, err := message.Read(bytes.NewReader(m.Raw))
		if err != nil {
			t.Errorf("%s: message.Read: %v", m.Key, err)
			continue
		}
		for _, f := range []string{"Subject", "From"} {
			raw := e.Header.Get(f)
			if strings.Contains(raw, "=?") {
				encodedWords++
				if _, err := dec.DecodeHeader(raw); err != nil {
					t.Errorf("%s: %s %q: %v", m.Key, f, raw, err)
				}
			}
		}
		var hasText, hasHTML bool
		err = walk(e, 0, func(ct string, params map[string]string, h message.Header, body []byte) error {
			if params["format"] == "flowed" && ct != "text/plain" {
				t.Errorf("%s: format=flowed on %s", m.Key, ct)
			}
			if cs := params["charset"]; cs != "" {
				charsets[strings.ToLower(cs)] = true
			}
			if disp, dp, _ := h.ContentDisposition(); disp == "attachment" {
				attachments[filepath.Ext(dp["filename"])] = true
				if len(body) == 0 {
					t.Errorf("%s: empty attachment %s", m.Key, dp["filename"])
				}
				return nil
			}
			switch ct {
			case "text/plain":
				hasText = true
				texts[m.Key] += string(body)
			case "text/html":
				hasHTML = true
				if !bytes.Contains(bytes.ToLower(body), []byte("<")) {
					t.Errorf("%s: text/html without markup", m.Key)
				}
			case "text/calendar":
				methods[params["method"]]++
				checkInvite(t, m.Key, params["method"], body)
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: walking MIME parts: %v", m.Key, err)
		}
		if hasHTML && !hasText {
			htmlOnly++
		}
	}
	for _, cs := range []string{"iso-8859-1", "windows-1252", "koi8-r", "iso-2022-jp", "utf-8"} {
		if !charsets[cs] {
			t.Errorf("no part in charset %s", cs)
		}
	}
	for _, ext := range []string{".pdf", ".ics", ".csv"} {
		if !attachments[ext] {
			t.Errorf("no %s attachment", ext)
		}
	}
	if methods["REQUEST"] != 4 || methods["CANCEL"] != 1 {
		t.Errorf("iTIP parts = %v, want 4 REQUEST and 1 CANCEL", methods)
	}
	if htmlOnly < 15 {
		t.Errorf("HTML-only messages = %d, want >= 15", htmlOnly)
	}
	if encodedWords < 8 {
		t.Errorf("headers with encoded words = %d, want >= 8", encodedWords)
	}
	// Legacy charsets decode to the text that was written.
	for key, want := range map[string]string{
		"olga-party":    "Привет, Алекс!",
		"kenji-meeting": "来週の定例打ち合わせ",
		"lukas-ride":    "Müggelsee",
		"maria-po":      "€18,400 net",
		"chloe-slides":  "Mme Lefèvre",
		"nl-kiez-1":     "Straßenfest",
	} {
		if !strings.Contains(texts[key], want) {
			t.Errorf("%s: decoded text lacks %q:\n%s", key, want, texts[key])
		}
	}
}

func checkInvite(t *testing.T, key, method string, body []byte) {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Errorf("%s: invitation: %v", key, err)
		return
	}
	if got := cal.Props.Get(ical.PropMethod); got == nil || got.Value != method {
		t.Errorf("%s: METHOD = %v, want %s", key, got, method)
	}
	tz := map[string]bool{}
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz[c.Props.Get(ical.PropTimezoneID).Value] = true
		}
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%s: %d VEVENTs, want 1", key, len(evs))
	}
	ev := evs[0]
	if ev.Props.Get(ical.PropUID) == nil {
		t.Errorf("%s: VEVENT without UID", key)
	}
	start := ev.Props.Get(ical.PropDateTimeStart)
	if start == nil || !tz[start.Params.Get(ical.ParamTimezoneID)] {
		t.Errorf("%s: DTSTART %v has no TZID with a VTIMEZONE (%v)", key, start, tz)
	}
	if _, err := ev.DateTimeStart(nil); err != nil {
		t.Errorf("%s: DTSTART: %v", key, err)
	}
	if ev.Props.Get(ical.PropOrganizer) == nil {
		t.Errorf("%s: no ORGANIZER", key)
	}
	var mine *ical.Prop
	for i, a := range ev.Props[ical.PropAttendee] {
		if strings.EqualFold(a.Value, "mailto:"+UserEmail) {
			mine = &ev.Props[ical.PropAttendee][i]
		}
	}
	if mine == nil || mine.Params.Get(ical.ParamParticipationStatus) != "NEEDS-ACTION" {
		t.Errorf("%s: the user is not an attendee with PARTSTAT=NEEDS-ACTION", key)
	}
}

func TestWriteMaildir(t *testing.T) {
	dir := t.TempDir()
	if err := WriteMaildir(dir, refNow); err != nil {
		t.Fatal(err)
	}
	msgs := Messages(refNow)
	wantNew := 0
	wantFolders := map[string]int{}
	for _, m := range msgs {
		if m.Folder == "INBOX" && m.Flags == "" {
			wantNew++
		}
		wantFolders[maildirFolder(dir, m.Folder)]++
	}
	files, newFiles := 0, 0
	names := map[string]bool{}
	for folder, want := range wantFolders {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if fi, err := os.Stat(filepath.Join(folder, sub)); err != nil || !fi.IsDir() {
				t.Errorf("%s/%s missing: %v", folder, sub, err)
			}
		}
		got := 0
		for _, sub := range []string{"cur", "new", "tmp"} {
			ents, _ := os.ReadDir(filepath.Join(folder, sub))
			for _, e := range ents {
				name := e.Name()
				switch sub {
				case "tmp":
					t.Errorf("file left in tmp: %s", name)
				case "new":
					newFiles++
					if strings.Contains(name, ":2,") {
						t.Errorf("new/%s has an info suffix", name)
					}
				case "cur":
					if !regexp.MustCompile(`:2,[A-Z]*$`).MatchString(name) {
						t.Errorf("cur/%s lacks :2,FLAGS", name)
					}
				}
				base, _, _ := strings.Cut(name, ":")
				if names[base] {
					t.Errorf("duplicate file name %s", base)
				}
				names[base] = true
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d files, want %d", folder, got, want)
		}
		files += got
	}
	if files != len(msgs) || newFiles != wantNew {
		t.Errorf("files = %d (new %d), want %d (new %d)", files, newFiles, len(msgs), wantNew)
	}
	if _, err := os.Stat(filepath.Join(dir, ".Lists.golang-nuts", "maildirfolder")); err != nil {
		t.Errorf("Maildir++ folder .Lists.golang-nuts: %v", err)
	}
	// A file holds exactly the message.
	data, err := os.ReadFile(filepath.Join(dir, ".Sent", "cur", mustGlobOne(t, filepath.Join(dir, ".Sent", "cur", "*"))))
	if err != nil || !bytes.Contains(data, []byte("From: "+UserName)) {
		t.Errorf("a Sent file does not hold a message from the user: %v", err)
	}
	// Writing again into a fresh directory gives the same names.
	dir2 := t.TempDir()
	if err := WriteMaildir(dir2, refNow); err != nil {
		t.Fatal(err)
	}
	a, _ := filepath.Glob(filepath.Join(dir, "cur", "*"))
	b, _ := filepath.Glob(filepath.Join(dir2, "cur", "*"))
	for i := range a {
		a[i] = filepath.Base(a[i])
	}
	for i := range b {
		b[i] = filepath.Base(b[i])
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("file names not stable (-first +second):\n%s", diff)
	}
}

func mustGlobOne(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) == 0 {
		t.Fatalf("no file matches %s", pattern)
	}
	return filepath.Base(m[0])
}

func TestCalendar(t *testing.T) {
	data := Calendar(refNow)
	for i, line := range bytes.Split(data, []byte("\r\n")) {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets, want <= 75: %q", i+1, len(line), line)
		}
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
	}
	if !bytes.HasSuffix(data, []byte("END:VCALENDAR\r\n")) {
		t.Error("calendar does not end with END:VCALENDAR CRLF")
	}
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	berlin := mustZone(UserZone)
	events := cal.Events()
	if len(events) < 12 {
		t.Errorf("%d events, want >= 12", len(events))
	}
	var master, override *ical.Event
	var allDay, floating, alarms int
	for i := range events {
		ev := &events[i]
		if ev.Props.Get(ical.PropRecurrenceRule) != nil {
			master = ev
		}
		if ev.Props.Get(ical.PropRecurrenceID) != nil {
			override = ev
		}
		start := ev.Props.Get(ical.PropDateTimeStart)
		switch {
		case start.ValueType() == ical.ValueDate:
			allDay++
		case start.Params.Get(ical.ParamTimezoneID) == "" && !strings.HasSuffix(start.Value, "Z"):
			floating++
		}
		if _, err := ev.DateTimeStart(berlin); err != nil {
			t.Errorf("event %s: DTSTART: %v", ev.Props.Get(ical.PropUID).Value, err)
		}
		for _, c := range ev.Children {
			if c.Name == ical.CompAlarm {
				alarms++
			}
		}
	}
	if allDay == 0 || floating == 0 || alarms == 0 {
		t.Errorf("all-day = %d, floating = %d, alarms = %d; want each > 0", allDay, floating, alarms)
	}
	if master == nil || override == nil {
		t.Fatalf("recurring event = %v, override = %v; want both", master != nil, override != nil)
	}
	if master.Props.Get(ical.PropUID).Value != override.Props.Get(ical.PropUID).Value {
		t.Error("override does not share the recurring event's UID")
	}
	// EXDATE and RECURRENCE-ID must name real occurrences of the rule.
	ro, err := master.Props.RecurrenceRule()
	if err != nil {
		t.Fatal(err)
	}
	start, _ := master.DateTimeStart(berlin)
	ro.Dtstart = start
	rule, err := rrule.NewRRule(*ro)
	if err != nil {
		t.Fatal(err)
	}
	occ := rule.Between(refNow.AddDate(0, 0, -7), refNow.AddDate(0, 0, 21), true)
	isOcc := func(p *ical.Prop) bool {
		d, err := p.DateTime(berlin)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range occ {
			if o.Equal(d) {
				return true
			}
		}
		return false
	}
	ex := master.Props.Get(ical.PropExceptionDates)
	if ex == nil || !isOcc(ex) {
		t.Errorf("EXDATE %v is not an occurrence of the standup", ex)
	}
	if !isOcc(override.Props.Get(ical.PropRecurrenceID)) {
		t.Errorf("RECURRENCE-ID %v is not an occurrence of the standup", override.Props.Get(ical.PropRecurrenceID))
	}
	todos := 0
	for _, c := range cal.Children {
		if c.Name == ical.CompToDo {
			todos++
		}
	}
	if todos != 2 {
		t.Errorf("VTODOs = %d, want 2", todos)
	}
}

// FuzzMessages checks the invariants that depend on now for arbitrary
// reference times between 1990 and 2100.
func FuzzMessages(f *testing.F) {
	f.Add(refNow.Unix())
	f.Add(int64(1711846800)) // around the spring DST change of 2024
	f.Add(int64(1735689599)) // New Year's Eve 2024
	f.Fuzz(func(t *testing.T, sec int64) {
		const lo, hi = 631152000, 4102444800 // 1990 .. 2100
		if sec < lo || sec > hi {
			sec = lo + (sec%(hi-lo)+(hi-lo))%(hi-lo)
		}
		checkNow(t, time.Unix(sec, 0).UTC())
	})
}

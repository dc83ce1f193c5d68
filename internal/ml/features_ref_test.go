package ml

// The featurisation of the start of throughput round 3 (ec59e8f), kept
// as the reference the optimised code must equal bit for bit: the Cues
// group, the Address group and ownText as they were, and extract calling
// them (once per model, no memo). features_ref_test.go compares.

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func (f *featurizer) extractRef(m *wire.Message, v *vec) {
	v.idx, v.val = v.idx[:0], v.val[:0]
	f.grp = f.grp[:0]
	// Words of the subject (own prefix) and of the text.
	f.words("s", m.Subject, len(m.Subject))
	f.flush(v)
	text := m.Text
	if f.s.OwnText {
		text = ownTextRef(text, f.s.TextBytes)
	}
	f.words("w", text, f.s.TextBytes)
	f.flush(v)
	if f.s.CharMin > 0 && f.s.CharBytes > 0 {
		f.chars(m.Subject+"\n"+clipBytes(text, f.s.CharBytes), f.s.CharBytes)
		f.flush(v)
	}
	if f.s.FromChars > 0 && f.s.CharMin > 0 { // spam's sender group (round S4), not memoised
		f.fromChars(m, v)
	}
	if f.s.Headers {
		f.headers(m, text)
		start := len(v.idx)
		f.flush(v)
		if f.s.HeaderScale > 0 {
			for i := start; i < len(v.val); i++ {
				v.val[i] *= f.s.HeaderScale
			}
		}
	}
	if f.s.Cues {
		f.cuesRef(m, v)
	}
	if f.s.Address {
		f.addressRef(m, ownTextRef(m.Text, actionBytes), v)
	}
	if f.s.Action {
		f.action(m, ownTextRef(m.Text, actionBytes), v)
	}
}

func ownTextRef(text string, limit int) string {
	if len(text) > limit {
		text = text[:limit]
	}
	var b strings.Builder
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, ">") || strings.HasPrefix(t, "|") {
			continue
		}
		lt := strings.ToLower(t)
		stop := false
		for _, mk := range replyMarkers {
			if strings.HasPrefix(lt, mk) {
				stop = true
				break
			}
		}
		if stop || (strings.HasSuffix(lt, "wrote:") && len(lt) < 200) || (strings.HasPrefix(lt, "from:") && strings.Contains(text[:min(len(text), 300)], "ent:")) {
			break
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func (f *featurizer) cuesRef(m *wire.Message, v *vec) {
	t := strings.ToLower(m.Subject + "\n" + clipBytes(m.Text, 3000))
	count := func(ws []string) int {
		n := 0
		for _, w := range ws {
			if strings.Contains(t, w) {
				n++
			}
		}
		return n
	}
	sell, auto := count(cueSell), count(cueAuto)
	f.tok("cue:sell:", bucket(sell, 0, 1, 2, 4))
	f.tok("cue:auto:", bucket(auto, 0, 1, 2, 4))
	f.tok("cue:sell×auto:", bucket(sell, 0, 2)+bucket(auto, 0, 2))
	// Prices and percentages.
	prices, pct := 0, 0
	for i := 0; i+1 < len(t); i++ {
		switch {
		case t[i] == '$' && t[i+1] >= '0' && t[i+1] <= '9':
			prices++
		case t[i+1] == '%' && t[i] >= '0' && t[i] <= '9':
			pct++
		}
	}
	f.tok("cue:price:", bucket(prices, 0, 1, 3))
	f.tok("cue:pct:", bucket(pct, 0, 1))
	subj := strings.ToLower(m.Subject)
	if strings.ContainsAny(subj, "!$%") {
		f.tok("cue:subjmark", "")
	}
	// Greeting: by name, to many, or none.
	head := strings.TrimSpace(clipBytes(strings.ToLower(m.Text), 200))
	switch {
	case hasAny(head, cueBulkGreet):
		f.tok("cue:greet:bulk", "")
	case strings.HasPrefix(head, "dear ") || strings.HasPrefix(head, "hi ") || strings.HasPrefix(head, "hello ") || greetsByName(head):
		f.tok("cue:greet:name", "")
	default:
		f.tok("cue:greet:none", "")
	}
	// The sender's local part.
	local := addrLocal(m.From)
	for _, w := range cueLocal {
		if strings.Contains(local, w) {
			f.tok("cue:fl:", w)
		}
	}
	if machineLocal(local) {
		f.tok("cue:flmachine", "")
	}
	// Recipients: distribution lists, none visible, or the user alone.
	dl := false
	for _, a := range append(append([]string(nil), m.To...), m.Cc...) {
		l := addrLocal(a)
		if strings.HasPrefix(l, "dl-") || strings.HasPrefix(l, "all") || strings.Contains(l, "all_") || strings.HasPrefix(l, "center.") || strings.Contains(l, "list") || strings.Contains(l, "announce") {
			dl = true
			break
		}
	}
	switch {
	case dl:
		f.tok("cue:to:dl", "")
	case len(m.To)+len(m.Cc) == 0:
		f.tok("cue:to:none", "")
	}
	f.tok("cue:links×len:", bucket(m.Links, 0, 3, 10)+bucket(len(m.Text), 400, 3000))
	f.flushRaw(v, 1)
}

func (f *featurizer) addressRef(m *wire.Message, own string, v *vec) {
	pos := userPosition(m)
	lo := strings.ToLower(clipBytes(own, 3000))
	head := strings.TrimSpace(clipBytes(lo, 120))
	// Greeted by the user's first name (first.last@... gives "first").
	named := false
	for _, u := range m.UserAddresses {
		first := addrLocal(u)
		if i := strings.IndexAny(first, "._-"); i > 0 {
			first = first[:i]
		}
		if len(first) >= 2 && strings.Contains(head, first) {
			named = true
		}
	}
	if named {
		f.tok("adr:named×pos:", pos)
	}
	n := 0
	for _, p := range requestPhrases {
		if strings.Contains(lo, p) {
			n++
		}
	}
	nb := bucket(n, 0, 1, 2)
	f.tok("adr:req:", nb)
	f.tok("adr:req×pos:", pos+nb)
	// Recipients besides the user.
	rc := len(m.To) + len(m.Cc)
	rb := bucket(rc, 1, 2, 5, 15)
	f.tok("adr:nrcpt×pos:", pos+rb)
	// A person sender: a name-like local part, no list or bulk headers.
	local := addrLocal(m.From)
	person := strings.ContainsAny(local, "._") && !machineLocal(local) &&
		header(m, "List-Id") == "" && header(m, "List-Unsubscribe") == "" && header(m, "Precedence") == ""
	for _, w := range automatedLocal {
		if strings.Contains(local, w) {
			person = false
		}
	}
	same := false
	fd := addrDomain(m.From)
	for _, u := range m.UserAddresses {
		if fd != "" && addrDomain(u) == fd {
			same = true
		}
	}
	f.tok("adr:sender×pos:", pos+map[bool]string{true: "p", false: "x"}[person]+map[bool]string{true: "s", false: "o"}[same])
	if person {
		f.tok("adr:person×req:", pos+nb)
	}
	// A meeting invitation (Outlook's "When: ... Where:" text, an
	// invitation subject or a calendar part) asks for an answer; a reply
	// to one (accepted, declined) does not.
	if inv := invitation(m); inv != "" {
		f.tok("adr:invite×pos:", inv+pos)
	}
	// The last sentence asks something.
	tail := strings.TrimSpace(lo)
	if i := strings.LastIndexAny(tail, ".!?"); i >= 0 && tail[i] == '?' && len(tail)-i < 200 {
		f.tok("adr:endq×pos:", pos)
	}
	f.flushRaw(v, 1)
}

// refMessages are the messages the reference comparisons read: the demo
// mailbox, every SpamAssassin file and up to 1,500 Enron inbox messages.
func refMessages(t *testing.T) []wire.Message {
	t.Helper()
	msgs := demoMessages(t)
	msgs = append(msgs, spamAssassin(t, 1<<30)...)
	root := filepath.Join(testdata.Dir(t, "mail"), "enron")
	n := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || n >= 1500 {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			return nil
		}
		// The user's address from the folder: the Enron user owns the inbox.
		w := FromMessage(pm, []string{pm.Headers["X-To"]})
		w.ID = path
		msgs = append(msgs, w)
		n++
		return nil
	})
	if n < 1000 {
		t.Fatalf("read %d Enron messages, want at least 1000", n)
	}
	return msgs
}

// TestFeaturesMatchReference featurises every reference message with the
// default settings of each task, as Classifier.classify does (compact
// models, one memo shared by the featurizers of the three models, spam,
// kind, needs_reply in that order), and with the reference code of ec59e8f
// (float32 models, no memo, the old Cues, Address and ownText): the
// vectors must be equal bit for bit.
func TestFeaturesMatchReference(t *testing.T) {
	ms, err := CompactDefaults()
	if err != nil {
		t.Fatal(err)
	}
	full, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	tasks := []string{TaskSpam, TaskKind, TaskNeedsReply}
	var memo msgMemo
	var fast, ref []*featurizer
	for _, task := range tasks {
		f := ms[task].featurizer()
		f.memo = &memo
		fast = append(fast, f)
		// The reference reads the float32 IDF table of Load; the compact
		// model's featurizer its bytes.
		ref = append(ref, full[task].featurizer())
	}
	if fast[0].idfQ == nil || ref[0].idf == nil {
		t.Fatal("the spam model has no IDF table: the comparison is too weak")
	}
	msgs := refMessages(t)
	var a, b vec
	compared := 0
	for i := range msgs {
		memo.reset(&msgs[i])
		for k := range tasks {
			fast[k].extract(&msgs[i], &a)
			ref[k].extractRef(&msgs[i], &b)
			if !slices.Equal(a.idx, b.idx) || !slices.Equal(a.val, b.val) {
				t.Fatalf("%s features of message %d (%s): optimised and reference differ\n%v\n%v", tasks[k], i, msgs[i].ID, a, b)
			}
			compared++
		}
	}
	t.Logf("%d messages, %d vectors compared", len(msgs), compared)
}

// FuzzCuesAddressMatchReference: on any subject and text, the Cues and
// Address groups and ownText equal the reference code, with and without
// a memo filled by another featurizer first.
func FuzzCuesAddressMatchReference(f *testing.F) {
	f.Add("SALE: 50% off!", "Dear customer,\nSave $20 now. Order now at our store.", "a.b@example.com", "all-staff@example.com")
	f.Add("Re: lunch", "Hi Sam,\ncould you let me know by Friday?\n\n> old text\nOn Mon, Bob wrote:\nquoted", "sam@x.org", "list@x.org")
	f.Add("\xff", strings.Repeat("é", 1499)+"K"+strings.Repeat("İ", 300), "", "")
	f.Add("", strings.Repeat("x", 2999)+"\u212a dear customer free shipping", "dl-all@x", "center.x@y")
	settings := DefaultFeatures(TaskNeedsReply)
	kind := DefaultFeatures(TaskKind)
	f.Fuzz(func(t *testing.T, subj, text, from, to string) {
		m := wire.Message{Subject: subj, Text: text, From: from, To: []string{to}, UserAddresses: []string{to}}
		var a, b vec
		fr := newFeaturizer(settings)
		fr.cues(&m, &a)
		fr.address(&m, ownText(m.Text, actionBytes), &a)
		rf := newFeaturizer(settings)
		rf.cuesRef(&m, &b)
		rf.addressRef(&m, ownTextRef(m.Text, actionBytes), &b)
		if !slices.Equal(a.idx, b.idx) || !slices.Equal(a.val, b.val) {
			t.Fatalf("cues+address(%q, %q) = %v, reference %v", subj, text, a, b)
		}
		if got, want := ownText(text, 300), ownTextRef(text, 300); got != want {
			t.Fatalf("ownText(%q, 300) = %q, want %q", text, got, want)
		}
		// Through a memo: kind first fills it, needs_reply replays.
		var memo msgMemo
		memo.reset(&m)
		fk, fn := newFeaturizer(kind), newFeaturizer(settings)
		fk.memo, fn.memo = &memo, &memo
		var c, d vec
		fk.cues(&m, &c)
		fn.cues(&m, &d)
		var e vec
		newFeaturizer(settings).cuesRef(&m, &e)
		if !slices.Equal(d.idx, e.idx) || !slices.Equal(d.val, e.val) {
			t.Fatalf("cues(%q, %q) through the memo = %v, reference %v", subj, text, d, e)
		}
	})
}

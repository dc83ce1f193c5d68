package ml

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Classifier is a set of models used together: at most one per task (the
// last one given wins). It is safe for concurrent use.
type Classifier struct {
	spam, kind, reply, folders *Model
}

// NewClassifier groups models by task; nil models are skipped.
func NewClassifier(models ...*Model) *Classifier {
	c := &Classifier{}
	for _, m := range models {
		if m == nil {
			continue
		}
		switch m.info.Task {
		case TaskSpam:
			c.spam = m
		case TaskKind:
			c.kind = m
		case TaskNeedsReply:
			c.reply = m
		case TaskFolders:
			c.folders = m
		}
	}
	return c
}

// Models lists name@version of the classifier's models.
func (c *Classifier) Models() []string {
	var ids []string
	for _, m := range []*Model{c.spam, c.kind, c.reply, c.folders} {
		if m != nil {
			ids = append(ids, m.info.ID())
		}
	}
	return ids
}

type predictor struct {
	m   *Model
	raw []float64
	p   []float64
}

func newPredictor(m *Model) *predictor {
	if m == nil {
		return nil
	}
	return &predictor{m: m, raw: make([]float64, m.nOut), p: make([]float64, len(m.info.Classes))}
}

func (p *predictor) run(x *vec) []float64 {
	p.m.scores(x, p.raw)
	p.m.probs(p.raw, p.p)
	return p.p
}

// Classify classifies msgs, one result per message in order. Kind is
// "spam" exactly when the spam model's probability is at least 0.5; then
// the other kinds' scores share the rest. Without a spam model, the kind
// model's spam class decides; without a kind model, RuleKind does (and
// Degraded is set). NeedsReply is ReplyScore of the needs_reply model's
// probability: times the probability of not being spam, or gated by the
// kind scores (GateReply) and raised for approval requests when the
// model's metrics say its threshold was fitted so.
func (c *Classifier) Classify(msgs []wire.Message) []wire.Classification {
	out := make([]wire.Classification, len(msgs))
	// Featurisation dominates (the needs_reply action features run the
	// sentence model): a batch is shared by one goroutine per core, each
	// with its own featurizers and predictors (the models are read-only).
	// They take messages a few at a time from a shared counter rather than
	// a fixed part each: messages differ in cost many times over, and
	// with fixed halves one core waited for the other.
	parts := runtime.GOMAXPROCS(0)
	if n := len(msgs) / minPerPart; n < parts {
		parts = n
	}
	if parts <= 1 {
		c.classify(msgs, out)
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rn := c.newRun()
			for {
				hi := int(next.Add(takeN))
				lo := hi - takeN
				if lo >= len(msgs) {
					return
				}
				for i := lo; i < min(hi, len(msgs)); i++ {
					out[i] = rn.classifyOne(&msgs[i])
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// minPerPart is the smallest share of a batch worth its own goroutine;
// takeN is how many messages a goroutine takes at a time.
const (
	minPerPart = 16
	takeN      = 2
)

// classify fills out[i] for msgs[i], sequentially.
func (c *Classifier) classify(msgs []wire.Message, out []wire.Classification) {
	rn := c.newRun()
	for i := range msgs {
		out[i] = rn.classifyOne(&msgs[i])
	}
}

// run is the state of one goroutine classifying messages one after
// another: the featurizers (models with the same feature settings share
// one featurisation), the predictors, and the memo the featurizers share
// for the message at hand. It is not safe for concurrent use.
type run struct {
	feats          []*runFeat
	memo           msgMemo
	ps, pk, pr, pf *predictor
	ids            []string
}

type runFeat struct {
	s    FeatureSettings
	idf  []float32
	idfQ []uint8
	f    *featurizer
	x    vec
	ok   bool // x holds the current message's features
}

func (c *Classifier) newRun() *run {
	return &run{ps: newPredictor(c.spam), pk: newPredictor(c.kind), pr: newPredictor(c.reply), pf: newPredictor(c.folders), ids: c.Models()}
}

// vecFor returns the features of m for model md, extracted once per
// message for each distinct feature settings.
func (rn *run) vecFor(md *Model, m *wire.Message) *vec {
	for _, f := range rn.feats {
		if f.s == md.info.Features && sameTable(f.idf, md.idf) && sameBytes(f.idfQ, md.idfQ) {
			if !f.ok {
				f.f.extract(m, &f.x)
				f.ok = true
			}
			return &f.x
		}
	}
	f := &runFeat{s: md.info.Features, idf: md.idf, idfQ: md.idfQ, f: md.featurizer()}
	f.f.memo = &rn.memo
	rn.feats = append(rn.feats, f)
	f.f.extract(m, &f.x)
	f.ok = true
	return &f.x
}

// classifyOne classifies one message.
func (rn *run) classifyOne(m *wire.Message) wire.Classification {
	for _, f := range rn.feats {
		f.ok = false
	}
	rn.memo.reset(m)
	ps, pk, pr, pf := rn.ps, rn.pk, rn.pr, rn.pf
	r := wire.Classification{ID: m.ID, Models: rn.ids}
	spamP := -1.0
	if ps != nil {
		spamP = ps.run(rn.vecFor(ps.m, m))[1]
		if spamP >= ps.m.info.UndecidedLo && spamP <= ps.m.info.UndecidedHi {
			r.Undecided = append(r.Undecided, "spam")
		}
	}
	var kscores map[string]float64
	if pk != nil {
		p := pk.run(rn.vecFor(pk.m, m))
		kscores = make(map[string]float64, len(p))
		for k, cl := range pk.m.info.Classes {
			kscores[cl] = p[k]
		}
		if spamP < 0 {
			spamP = kscores["spam"]
		}
	} else {
		kind, _ := RuleKind(*m)
		kscores = map[string]float64{kind: 1}
		r.Degraded = true
		if spamP < 0 {
			spamP = 0
		}
	}
	r.Spam = spamP
	// Share 1-spamP among the non-spam kinds in their proportions
	// (summed in class order, so that results do not move with map
	// order in the last bits).
	rest := 0.0
	if pk != nil {
		for _, k := range pk.m.info.Classes {
			if k != "spam" {
				rest += kscores[k]
			}
		}
	} else {
		for k, v := range kscores {
			if k != "spam" {
				rest += v
			}
		}
	}
	r.KindScores = make(map[string]float64, len(kscores)+1)
	best, bestP := "", -1.0
	for k, v := range kscores {
		if k == "spam" {
			continue
		}
		s := 0.0
		if rest > 0 {
			s = v / rest * (1 - spamP)
		}
		r.KindScores[k] = s
		if s > bestP || (s == bestP && k < best) {
			best, bestP = k, s
		}
	}
	r.KindScores["spam"] = spamP
	if spamP >= 0.5 || best == "" {
		r.Kind = "spam"
	} else {
		r.Kind = best
		if pk != nil && bestP < pk.m.info.MinTop {
			r.Undecided = append(r.Undecided, "kind")
		}
	}
	if pr != nil {
		p := pr.run(rn.vecFor(pr.m, m))[1]
		if p >= pr.m.info.UndecidedLo && p <= pr.m.info.UndecidedHi {
			r.Undecided = append(r.Undecided, "needs_reply")
		}
		// The model's flags say how its threshold was fitted (gated by
		// the kind scores, approval requests raised): score the same way.
		gate, approval := replyFlags(pr.m)
		r.NeedsReply = ReplyScore(m, p, r.KindScores, gate && pk != nil, approval)
	} else {
		_, nr := RuleKind(*m)
		r.NeedsReply = nr * (1 - spamP)
		r.Degraded = true
	}
	if pf != nil {
		p := pf.run(rn.vecFor(pf.m, m))
		r.LabelScores = make(map[string]float64, len(p))
		bi := 0
		for k, cl := range pf.m.info.Classes {
			r.LabelScores[cl] = p[k]
			if p[k] > p[bi] {
				bi = k
			}
		}
		r.Label = pf.m.info.Classes[bi]
		if pf.m.binary() {
			if p[bi] < pf.m.info.UndecidedHi {
				r.Undecided = append(r.Undecided, "label")
			}
		} else if p[bi] < pf.m.info.MinTop {
			r.Undecided = append(r.Undecided, "label")
		}
	}
	return r
}

// sameTable reports whether a and b are the same IDF table (or both none).
func sameTable(a, b []float32) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// sameBytes is sameTable for compact IDF tables.
func sameBytes(a, b []uint8) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// maxFeatureText caps the text FromMessage keeps: the features read at most
// the first few kilobytes.
const maxFeatureText = 32 << 10

// FromMessage is the feature view of a parsed message: what a classifier
// may see of it. userAddrs are the user's own addresses (for "user in To
// vs Cc" and "sent by the user").
func FromMessage(m *pam.Message, userAddrs []string) wire.Message {
	w := wire.Message{
		ID:            m.ID,
		Subject:       m.Subject,
		Text:          m.Text,
		HTML:          m.HTML,
		Attachments:   len(m.Attachments),
		UserAddresses: userAddrs,
	}
	if len(w.Text) > maxFeatureText {
		w.Text = w.Text[:maxFeatureText]
	}
	if len(m.From) > 0 {
		w.From = m.From[0].Email
		w.FromName = m.From[0].Name
	}
	for _, a := range m.To {
		w.To = append(w.To, a.Email)
	}
	for _, a := range m.Cc {
		w.Cc = append(w.Cc, a.Email)
	}
	w.Headers = make(map[string]string, len(m.Headers)+1)
	for k, v := range m.Headers {
		w.Headers[k] = v
	}
	if m.InReplyTo != "" || len(m.References) > 0 {
		w.Headers["In-Reply-To"] = "1"
	}
	w.Links = countLinks(m.Text)
	for _, a := range m.Attachments {
		if strings.HasPrefix(strings.ToLower(a.ContentType), "image/") {
			// Inline images count as links in HTML mail; they are what a
			// newsletter is made of.
			w.Links++
		}
	}
	return w
}

// FeatureHeaders are the headers the models and the rules read (through
// header and Headers[...] in this package); a test checks the list
// against the package's source. Everything else in a message's header is
// weight a worker request need not carry.
var FeatureHeaders = []string{
	"Authentication-Results", "Auto-Submitted", "Content-Type", "Feedback-ID",
	"Importance", "In-Reply-To", "List-Id", "List-Post", "List-Unsubscribe",
	"Mailing-List", "Precedence", "Received-SPF", "Return-Path", "Sender",
	"User-Agent", "X-Auto-Response-Suppress", "X-Mailer", "X-Mailing-List",
	"X-Priority",
}

// FeatureView is FromMessage keeping only FeatureHeaders: what a
// classifier worker is sent. The models' features and RuleKind are the
// same for both.
func FeatureView(m *pam.Message, userAddrs []string) wire.Message {
	w := FromMessage(m, userAddrs)
	kept := make(map[string]string, 8)
	for _, k := range FeatureHeaders {
		if v, ok := w.Headers[k]; ok {
			kept[k] = v
		}
	}
	w.Headers = kept
	return w
}

func countLinks(s string) int {
	n := strings.Count(s, "http://") + strings.Count(s, "https://")
	n += strings.Count(s, "www.") / 2
	return n
}

// automated reports whether the sender looks like a machine.
func automated(m wire.Message) bool {
	local := addrLocal(m.From)
	for _, w := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notification", "notify", "alert", "mailer-daemon", "postmaster", "bounce", "daemon", "robot", "automated"} {
		if strings.Contains(local, w) {
			return true
		}
	}
	a := strings.ToLower(header(&m, "Auto-Submitted"))
	return a != "" && a != "no"
}

// RuleKind is the rules tier: the kind of a message from its headers
// alone, and a rough needs-reply probability (ApprovalScore for an
// approval request, ApprovalRequest). It is what the pipeline uses
// when no model can run, and the weak labeller for training.
func RuleKind(m wire.Message) (kind string, needsReply float64) {
	prec := strings.ToLower(strings.TrimSpace(header(&m, "Precedence")))
	list := header(&m, "List-Id") != "" || header(&m, "Mailing-List") != "" || header(&m, "X-Mailing-List") != ""
	post := header(&m, "List-Post") != ""
	unsub := header(&m, "List-Unsubscribe") != ""
	dom := addrDomain(m.From)
	switch {
	case automated(m):
		if ApprovalRequest(&m) {
			return "notification", ApprovalScore
		}
		return "notification", 0.05
	case isSocial(dom):
		return "social", 0.02
	case list && post:
		return "forum", 0.1
	case list || prec == "bulk" || prec == "list" || unsub || header(&m, "Feedback-ID") != "":
		if m.HTML || unsub && !post {
			return "newsletter", 0.02
		}
		return "forum", 0.1
	}
	nr := 0.3
	for _, u := range m.UserAddresses {
		for _, a := range m.To {
			if strings.EqualFold(a, u) {
				nr = 0.5
			}
		}
	}
	if strings.Contains(m.Text, "?") {
		nr += 0.2
	}
	if ApprovalRequest(&m) {
		nr = ApprovalScore
	}
	return "person", nr
}

var socialDomains = []string{"facebook", "facebookmail", "twitter", "x.com", "linkedin", "instagram", "mastodon", "reddit", "meetup", "pinterest", "tiktok", "youtube", "strava", "nextdoor", "tumblr", "myspace", "friendster", "orkut", "classmates"}

func isSocial(dom string) bool {
	for _, s := range socialDomains {
		if strings.Contains(dom, s) {
			return true
		}
	}
	return false
}

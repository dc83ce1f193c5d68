package ml

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// FeatureSettings says how a message becomes a feature vector. It is stored
// in the model file; a model is only ever used with its own settings.
type FeatureSettings struct {
	// Version is the featurizer's version (FeaturizerVersion when
	// trained). A change to how text becomes buckets bumps it: a model
	// trained with another version would read different features.
	Version   int    `json:"version"`
	Bits      int    `json:"bits"`       // hash space is 1<<Bits buckets (10..24)
	Bigrams   bool   `json:"bigrams"`    // word bigrams besides unigrams
	CharMin   int    `json:"char_min"`   // shortest character n-gram (0: none)
	CharMax   int    `json:"char_max"`   // longest character n-gram
	CharBytes int    `json:"char_bytes"` // character n-grams over the first CharBytes of subject+text
	TextBytes int    `json:"text_bytes"` // words are read from the first TextBytes of the text
	Headers   bool   `json:"headers"`    // header features
	HashSeed  uint32 `json:"hash_seed"`  // mixed into every hash
	// OwnText drops quoted lines ("> ...") and everything from the first
	// reply or forward marker ("-----Original Message-----", "On ...
	// wrote:") from the text, so a model reads what this message says,
	// not the thread it carries.
	OwnText bool `json:"own_text,omitempty"`
	// IDF weighs each bucket by its inverse document frequency in the
	// training data (stored in the model) and counts repeats as 1+ln(tf),
	// as TF-IDF does.
	IDF bool `json:"idf,omitempty"`
	// Action adds features from the action-sentence detector of
	// internal/extract over the message's own text (quotes, signatures,
	// greetings and disclaimers removed by extract.Body): the highest and
	// mean probability that a sentence asks the reader to act, the number
	// of such sentences, question marks, each crossed with the user's
	// position among the recipients.
	Action bool `json:"action,omitempty"`
	// Cues adds counts of selling words and prices, of transactional and
	// automated-mail words, the kind of greeting (a name or "Dear
	// customer"), machine-made and commercial sender local parts and
	// distribution-list recipients, as indicators (features.go cues). Off for
	// spam.
	Cues bool `json:"cues,omitempty"`
	// Address adds features of how directly the message speaks to the
	// user: greeted by first name, request phrases, a person sender from
	// the user's own domain, each crossed with the user's position among
	// the recipients (action.go address). Off for spam.
	Address bool `json:"address,omitempty"`
	// HeaderScale, when > 0, scales the header group (otherwise of unit
	// length like every group) so that it weighs less or more than the
	// words.
	HeaderScale float32 `json:"header_scale,omitempty"`
	// MinDF, with IDF, gives the buckets seen in fewer than MinDF training
	// messages a weight of 0: they neither score nor count in their
	// group's length, as words outside a TF-IDF vocabulary do (1: only
	// buckets never seen in training are dropped). 0 keeps every bucket,
	// the unseen ones at the highest IDF.
	MinDF int `json:"min_df,omitempty"`
	// FromChars, when > 0, adds the character n-grams (CharMin..CharMax)
	// of the sender's display name and address as a group of their own,
	// of length FromChars (unit length scaled, like HeaderScale). They
	// hash like the text's n-grams and share their weights, so a sender
	// that reads like a known correspondent, list or spam text counts even
	// when its exact address was never seen. 0, or CharMin 0: none.
	FromChars float32 `json:"from_chars,omitempty"`
}

// FeaturizerVersion is the newest version of the feature extraction this
// build reads; Load refuses models made for a newer one. Version 2 added
// FromChars and MinDF: a model using them says version 2, so that a build
// of version 1, which would silently ignore them and read other features
// than the model was trained on, refuses it; models that use neither stay
// version 1 and load in both.
const FeaturizerVersion = 2

// needVersion is the oldest featurizer version that reads s as meant.
func (s FeatureSettings) needVersion() int {
	if s.FromChars > 0 || s.MinDF > 0 {
		return 2
	}
	return 1
}

// DefaultFeatures are the settings of the default models for task: 2^20
// buckets for the binary spam task, 2^18 for the others (which have one
// weight per class and bucket). Spam reads TF-IDF words and character
// 3- and 4-grams (with the L-BFGS solver they halved the false positives
// at 99% recall on the development splits of the training part), with
// the header group at 0.7 of the words' weight (headers the same as
// words let list headers outweigh a scam's text) and the character
// n-grams of the sender's name and address as a group at 0.6 (round S4:
// fewer false positives on all three development splits);
// needs_reply reads the sender's own text and the action-detector
// features. See doc/design/models.md.
func DefaultFeatures(task string) FeatureSettings {
	s := FeatureSettings{Version: 1, Bits: 18, Bigrams: true, CharMin: 3, CharMax: 4, CharBytes: 1500, TextBytes: 12000, Headers: true, HashSeed: 0x9a3f}
	switch task {
	case TaskSpam:
		s.Bits, s.IDF, s.HeaderScale, s.FromChars = 20, true, 0.7, 0.6
	case TaskKind:
		s.Cues = true
	case TaskNeedsReply:
		s.OwnText, s.Action, s.Cues, s.Address = true, true, true, true
	}
	s.Version = s.needVersion()
	return s
}

func (s FeatureSettings) validate() error {
	if s.Version < 1 || s.Version > FeaturizerVersion {
		return errorf("featurizer version %d, this build reads 1..%d", s.Version, FeaturizerVersion)
	}
	if s.Version < s.needVersion() {
		return errorf("featurizer version %d cannot carry from_chars or min_df (version %d)", s.Version, s.needVersion())
	}
	if s.Bits < 10 || s.Bits > 24 {
		return errorf("feature bits %d out of range 10..24", s.Bits)
	}
	if s.CharMin < 0 || s.CharMax < s.CharMin || s.CharMax > 8 {
		return errorf("character n-gram range %d..%d invalid", s.CharMin, s.CharMax)
	}
	if !(s.HeaderScale >= 0 && s.HeaderScale <= 10) {
		return errorf("header scale %g out of range 0..10", s.HeaderScale)
	}
	if !(s.FromChars >= 0 && s.FromChars <= 10) {
		return errorf("from_chars %g out of range 0..10", s.FromChars)
	}
	if s.MinDF < 0 || s.MinDF > 0 && !s.IDF {
		return errorf("min_df %d needs IDF and must not be negative", s.MinDF)
	}
	if s.CharBytes < 0 || s.TextBytes < 0 {
		return errorf("negative text limits")
	}
	return nil
}

// vec is a sparse feature vector; indices may repeat (values add up).
type vec struct {
	idx []uint32
	val []float32
}

// featurizer turns messages into vectors; it reuses its buffers and is not
// safe for concurrent use.
type featurizer struct {
	s       FeatureSettings
	idf     []float32 // per bucket, when s.IDF; nil while counting document frequencies
	idfQ    []uint8   // or, from a compact model: idf[i] = idfTab[idfQ[i]]
	idfTab  *[256]float32
	mask    uint32
	word    []byte
	grp     []uint32
	scratch []uint32 // sortGroup's buffer
	counts  []uint32 // sortGroup's digit counts
	prev    uint32
	hasPrev bool
	// memo, when set, holds what the featurizers of one classify call
	// share for the message at hand (see msgMemo).
	memo *msgMemo
	// cur is the memo group the pending group holds, whole (set by
	// fromMemo and toMemo, cleared by flush), or -1.
	cur int
}

// msgMemo keeps what several featurizers compute alike from one message:
// the sender's own text (read by the words, the Address and the Action
// groups of needs_reply), the Cues group (kind and needs_reply) and the
// hashes of the word, character and header groups (spam and kind). The
// featurizers of one classify call share one; reset it for each message.
// Entries are keyed by the message's address, so a featurizer handed
// another message computes afresh.
type msgMemo struct {
	m        *wire.Message
	own      string
	ownLimit int
	ownOK    bool
	cues     []uint32 // the Cues group's hashes, before masking
	cueSeed  uint32
	cuesOK   bool
	groups   []memoGroup // word, character and header groups
}

// reset empties the memo for message m.
func (mm *msgMemo) reset(m *wire.Message) {
	mm.m, mm.own, mm.ownOK, mm.cuesOK = m, "", false, false
	for i := range mm.groups {
		mm.groups[i].text = ""
		mm.groups[i].lowOK = false
	}
	mm.groups = mm.groups[:0]
}

// groupKey names a group of hashed features by what its hashes depend on
// besides the message and the text they are read from: which group, and
// the settings it reads. Featurizers whose keys and texts are equal make
// the same hashes (before masking and weighing).
type groupKey struct {
	kind             uint8 // groupSubject...
	seed             uint32
	bigrams, own     bool
	limit            int // TextBytes or CharBytes
	charMin, charMax int
}

// Groups of hashed features the memo keeps.
const (
	groupSubject = iota + 1 // words of the subject
	groupWords              // words of the text
	groupChars              // character n-grams of subject and text
	groupHeaders            // header features
)

// memoGroup is one group's hashes, made from text.
type memoGroup struct {
	key  groupKey
	text string
	h    []uint32
	// low is h in increasing order of the low sharedSortBits bits of each
	// hash (when lowOK): the featurizers of the models whose Bits are at
	// least that many sort the group from it (see sortShared).
	low   []uint32
	lowOK bool
}

// fromMemo appends to the pending group the hashes another featurizer
// made for group k of m from text, and reports whether the memo had them.
func (f *featurizer) fromMemo(m *wire.Message, k groupKey, text string) bool {
	mm := f.memo
	if mm == nil || mm.m != m {
		return false
	}
	for i := range mm.groups {
		if g := &mm.groups[i]; g.key == k && g.text == text {
			if len(f.grp) == 0 {
				f.cur = i
			}
			f.grp = append(f.grp, g.h...)
			return true
		}
	}
	return false
}

// toMemo keeps the hashes the featurizer just added to the pending group
// (from start on) as group k of m, read from text.
func (f *featurizer) toMemo(m *wire.Message, k groupKey, text string, start int) {
	mm := f.memo
	if mm == nil || mm.m != m {
		return
	}
	n := len(mm.groups)
	if n < cap(mm.groups) {
		mm.groups = mm.groups[:n+1]
	} else {
		mm.groups = append(mm.groups, memoGroup{})
	}
	g := &mm.groups[n]
	g.key, g.text, g.h, g.lowOK = k, text, append(g.h[:0], f.grp[start:]...), false
	if start == 0 {
		f.cur = n
	}
}

// ownText is ownText(m.Text, limit), from the memo when it has it.
func (f *featurizer) ownText(m *wire.Message, limit int) string {
	mm := f.memo
	if mm != nil && mm.m == m && mm.ownOK && mm.ownLimit == limit {
		return mm.own
	}
	own := ownText(m.Text, limit)
	if mm != nil && mm.m == m {
		mm.own, mm.ownLimit, mm.ownOK = own, limit, true
	}
	return own
}

func newFeaturizer(s FeatureSettings) *featurizer {
	return &featurizer{s: s, mask: 1<<uint(s.Bits) - 1, cur: -1}
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func (f *featurizer) hashStr(prefix string, s string) uint32 {
	h := uint32(fnvOffset) ^ f.s.HashSeed
	for i := 0; i < len(prefix); i++ {
		h = (h ^ uint32(prefix[i])) * fnvPrime
	}
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

func (f *featurizer) hashBytes(prefix string, b []byte) uint32 {
	h := uint32(fnvOffset) ^ f.s.HashSeed
	for i := 0; i < len(prefix); i++ {
		h = (h ^ uint32(prefix[i])) * fnvPrime
	}
	for _, c := range b {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

func mix(a, b uint32) uint32 {
	h := a*0x9e3779b1 ^ b
	h ^= h >> 15
	h *= 0x85ebca6b
	h ^= h >> 13
	return h
}

// flush appends the pending group to v, each with value 1/sqrt(n), so every
// group (words, characters, headers) has unit norm whatever the length.
func (f *featurizer) flush(v *vec) {
	if len(f.grp) == 0 {
		f.cur = -1
		return
	}
	if f.s.IDF {
		f.flushIDF(v)
		return
	}
	f.cur = -1
	w := float32(1 / math.Sqrt(float64(len(f.grp))))
	for _, h := range f.grp {
		v.idx = append(v.idx, h&f.mask)
		v.val = append(v.val, w)
	}
	f.grp = f.grp[:0]
}

// flushIDF appends the pending group with sublinear TF-IDF weights, scaled
// to unit length; each bucket appears once, in increasing order.
func (f *featurizer) flushIDF(v *vec) {
	var g []uint32
	if mg := f.curGroup(); mg != nil && f.s.Bits >= sharedSortBits && f.s.Bits <= sharedSortBits+12 {
		g = f.sortShared(mg)
	} else {
		for i := range f.grp {
			f.grp[i] &= f.mask
		}
		g = f.sortGroup()
	}
	f.cur = -1
	// Unique buckets to v.idx, their counts to f.scratch; then the IDF
	// values are gathered in a loop of their own (the table is megabytes:
	// independent loads let the cache misses overlap); then the weights.
	start := len(v.idx)
	cnt := f.scratch[:0]
	for i := 0; i < len(g); {
		h := g[i]
		j := i + 1
		for j < len(g) && g[j] == h {
			j++
		}
		v.idx = append(v.idx, h)
		cnt = append(cnt, uint32(j-i))
		i = j
	}
	f.scratch = cnt
	idx := v.idx[start:]
	v.val = slices.Grow(v.val, len(idx))[:len(v.val)+len(idx)]
	val := v.val[start:]
	hasIDF := f.idf != nil || f.idfQ != nil
	if f.idf != nil {
		idf := f.idf
		for k, h := range idx {
			val[k] = idf[h]
		}
	} else if f.idfQ != nil {
		q, tab := f.idfQ, f.idfTab
		for k, h := range idx {
			val[k] = tab[q[h]]
		}
	}
	norm := 0.0
	for k, c := range cnt {
		w := tfWeight(int(c))
		if hasIDF {
			w *= float64(val[k])
		}
		val[k] = float32(w)
		norm += w * w
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for k := range val {
			val[k] *= inv
		}
	}
	f.grp = f.grp[:0]
}

// tfWeights[n] is 1+ln(n), the sublinear weight of a bucket seen n times.
var tfWeights = func() (t [64]float64) {
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()

// tfWeight is 1+ln(n) for n >= 1: the same float64 as computing it, from a
// table for the small counts nearly every bucket has.
func tfWeight(n int) float64 {
	if n < len(tfWeights) {
		return tfWeights[n]
	}
	return 1 + math.Log(float64(n))
}

// radixMin is the group length from which sortGroup uses a radix sort; below
// it clearing the digit counts costs more than a comparison sort.
const radixMin = 192

// sortGroup sorts f.grp (values below 1<<Bits) in place in increasing
// order and returns it. Any correct sort gives the same sequence: the values
// are plain integers.
func (f *featurizer) sortGroup() []uint32 {
	g := f.grp
	if len(g) < radixMin {
		slices.Sort(g)
		return g
	}
	// LSD radix sort, two passes of half the bits each.
	lo := uint(f.s.Bits) / 2
	hi := uint(f.s.Bits) - lo
	nLo, nHi := 1<<lo, 1<<hi
	if cap(f.counts) < nLo+nHi {
		f.counts = make([]uint32, nLo+nHi)
	}
	cLo, cHi := f.counts[:nLo], f.counts[nLo:nLo+nHi]
	clear(cLo)
	clear(cHi)
	loMask := uint32(nLo - 1)
	hiMask := uint32(nHi - 1)
	for _, x := range g {
		cLo[x&loMask]++
		cHi[(x>>lo)&hiMask]++
	}
	prefix := func(c []uint32) {
		var sum uint32
		for i, n := range c {
			c[i] = sum
			sum += n
		}
	}
	prefix(cLo)
	prefix(cHi)
	if cap(f.scratch) < len(g) {
		f.scratch = make([]uint32, len(g), cap(g))
	}
	tmp := f.scratch[:len(g)]
	for _, x := range g {
		d := x & loMask
		tmp[cLo[d]] = x
		cLo[d]++
	}
	for _, x := range tmp {
		d := (x >> lo) & hiMask
		g[cHi[d]] = x
		cHi[d]++
	}
	return g
}

// extract appends the features of m to v (which it resets first).
func (f *featurizer) extract(m *wire.Message, v *vec) {
	v.idx, v.val = v.idx[:0], v.val[:0]
	f.grp = f.grp[:0]
	// Words of the subject (own prefix) and of the text. Each group's
	// hashes come from the memo when another model's featurizer with the
	// same hashing settings made them from the same text (spam and kind
	// read the same words, characters and headers; they differ in how
	// the groups are weighed and masked, in flush).
	k := groupKey{seed: f.s.HashSeed, bigrams: f.s.Bigrams}
	k.kind = groupSubject
	if !f.fromMemo(m, k, m.Subject) {
		start := len(f.grp)
		f.words("s", m.Subject, len(m.Subject))
		f.toMemo(m, k, m.Subject, start)
	}
	f.flush(v)
	text := m.Text
	if f.s.OwnText {
		text = f.ownText(m, f.s.TextBytes)
	}
	k.kind, k.limit = groupWords, f.s.TextBytes
	if !f.fromMemo(m, k, text) {
		start := len(f.grp)
		f.words("w", text, f.s.TextBytes)
		f.toMemo(m, k, text, start)
	}
	f.flush(v)
	if f.s.CharMin > 0 && f.s.CharBytes > 0 {
		k := groupKey{kind: groupChars, seed: f.s.HashSeed, limit: f.s.CharBytes, charMin: f.s.CharMin, charMax: f.s.CharMax}
		if !f.fromMemo(m, k, text) {
			start := len(f.grp)
			f.chars(m.Subject+"\n"+clipBytes(text, f.s.CharBytes), f.s.CharBytes)
			f.toMemo(m, k, text, start)
		}
		f.flush(v)
	}
	if f.s.FromChars > 0 && f.s.CharMin > 0 {
		f.fromChars(m, v)
	}
	if f.s.Headers {
		k := groupKey{kind: groupHeaders, seed: f.s.HashSeed, own: f.s.OwnText}
		if !f.fromMemo(m, k, text) {
			start := len(f.grp)
			f.headers(m, text)
			f.toMemo(m, k, text, start)
		}
		start := len(v.idx)
		f.flush(v)
		if f.s.HeaderScale > 0 {
			for i := start; i < len(v.val); i++ {
				v.val[i] *= f.s.HeaderScale
			}
		}
	}
	if f.s.Cues {
		f.cues(m, v)
	}
	if f.s.Address {
		f.address(m, f.ownText(m, actionBytes), v)
	}
	if f.s.Action {
		f.action(m, f.ownText(m, actionBytes), v)
	}
}

func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// words hashes the lower-cased words (letters, digits as '0') of s and,
// when enabled, adjacent pairs.
func (f *featurizer) words(prefix, s string, limit int) {
	if len(s) > limit {
		s = s[:limit]
	}
	f.hasPrev = false
	f.word = f.word[:0]
	emit := func() {
		if len(f.word) == 0 {
			return
		}
		if len(f.word) <= 40 {
			h := f.hashBytes(prefix, f.word)
			f.grp = append(f.grp, h)
			if f.s.Bigrams && f.hasPrev {
				f.grp = append(f.grp, mix(f.prev, h))
			}
			f.prev, f.hasPrev = h, true
		}
		f.word = f.word[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				f.word = append(f.word, c)
			case c >= 'A' && c <= 'Z':
				f.word = append(f.word, c+'a'-'A')
			case c >= '0' && c <= '9':
				f.word = append(f.word, '0')
			case c == '$' || c == '!' || c == '?' || c == '%' || c == '@':
				emit()
				f.word = append(f.word, c)
				emit()
			default:
				emit()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			f.word = utf8.AppendRune(f.word, unicode.ToLower(r))
		} else {
			emit()
		}
	}
	emit()
}

// chars hashes character n-grams of each lower-cased word, with word
// boundaries marked, as fastText does for sub-words.
func (f *featurizer) chars(s string, limit int) {
	if len(s) > limit {
		s = s[:limit]
	}
	var buf [64]byte
	b := buf[:0]
	add := func() {
		if len(b) < 3 || len(b) > 40 {
			b = b[:0]
			return
		}
		b = append(b, ' ')
		for n := f.s.CharMin; n <= f.s.CharMax; n++ {
			for i := 0; i+n <= len(b); i++ {
				f.grp = append(f.grp, f.hashBytes("c", b[i:i+n]))
			}
		}
		b = b[:0]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c >= utf8.RuneSelf:
			if len(b) == 0 {
				b = append(b, ' ')
			}
			if len(b) < 60 {
				b = append(b, c)
			}
		default:
			add()
		}
	}
	add()
}

// fromCharBytes bounds the sender's name and address the FromChars group
// reads.
const fromCharBytes = 200

// fromChars appends the FromChars group: the character n-grams of the
// sender's display name and address, scaled to length FromChars. They
// hash like the text's n-grams, so they share their buckets and weights:
// a sender name that reads like spam text counts as such (with buckets of
// their own they did not help on the development splits, see
// doc/design/models.md).
func (f *featurizer) fromChars(m *wire.Message, v *vec) {
	f.chars(m.FromName+" "+m.From, fromCharBytes)
	at := len(v.idx)
	f.flush(v)
	for i := at; i < len(v.val); i++ {
		v.val[i] *= f.s.FromChars
	}
}

func (f *featurizer) tok(prefix, s string) { f.grp = append(f.grp, f.hashStr(prefix, s)) }

func bucket(n int, edges ...int) string {
	for i, e := range edges {
		if n <= e {
			return string(rune('a' + i))
		}
	}
	return string(rune('a' + len(edges)))
}

func addrDomain(a string) string {
	a = strings.ToLower(strings.TrimSpace(a))
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return strings.Trim(a[i+1:], "<>. ")
	}
	return ""
}

func addrLocal(a string) string {
	a = strings.ToLower(strings.TrimSpace(a))
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return strings.Trim(a[:i], "<> ")
	}
	return a
}

// baseDomain keeps the last two labels (three under a two-letter
// second-level such as co.uk).
func baseDomain(d string) string {
	parts := strings.Split(d, ".")
	if len(parts) <= 2 {
		return d
	}
	n := 2
	if len(parts[len(parts)-2]) <= 3 && len(parts[len(parts)-1]) == 2 {
		n = 3
	}
	if n > len(parts) {
		n = len(parts)
	}
	return strings.Join(parts[len(parts)-n:], ".")
}

func header(m *wire.Message, k string) string {
	if m.Headers == nil {
		return ""
	}
	return m.Headers[k]
}

// automatedLocal lists sender local-part words typical of machines.
var automatedLocal = []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notification", "notify", "alert", "mailer-daemon", "postmaster", "bounce", "auto", "robot", "daemon", "system", "admin", "support", "info", "news", "newsletter", "marketing", "offers", "deals", "sales", "billing", "account", "service", "team", "hello", "updates", "digest", "calendar", "jira", "github"}

// replyMarkers start the quoted part of a reply or forward.
var replyMarkers = []string{"-----original message-----", "----- original message -----", "-----ursprüngliche nachricht-----", "---------------------- forwarded by", "----- forwarded by", "-------- original message --------", "begin forwarded message:", "---------- forwarded message ----------"}

// ownText returns the part of text the sender wrote: up to the first reply
// or forward marker or "On ... wrote:" line, without "> " quoted lines. It
// reads at most limit bytes.
func ownText(text string, limit int) string {
	if len(text) > limit {
		text = text[:limit]
	}
	var b strings.Builder
	b.Grow(len(text) + 1) // at most the text and a final line break
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
		// A reply marker starts with '-' or "b", "from:" with "f", and
		// "wrote:" ends with ':'; lower-casing maps no other character
		// to those (of all runes only 'İ' and the Kelvin sign become
		// ASCII, 'i' and 'k'), so other lines need no lower-cased copy.
		if t == "" || t[0] != '-' && t[0]|0x20 != 'b' && t[0]|0x20 != 'f' && t[len(t)-1] != ':' {
			b.WriteString(line)
			b.WriteByte('\n')
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

func (f *featurizer) headers(m *wire.Message, text string) {
	f.tok("bias", "")
	from := m.From
	dom := addrDomain(from)
	local := addrLocal(from)
	if dom != "" {
		f.tok("fd:", dom)
		f.tok("fb:", baseDomain(dom))
		if i := strings.LastIndexByte(dom, '.'); i >= 0 {
			f.tok("ftld:", dom[i+1:])
		}
	} else {
		f.tok("nofrom", "")
	}
	for _, w := range automatedLocal {
		if strings.Contains(local, w) {
			f.tok("fl:", w)
		}
	}
	digits := 0
	for i := 0; i < len(local); i++ {
		if local[i] >= '0' && local[i] <= '9' {
			digits++
		}
	}
	f.tok("fldig:", bucket(digits, 0, 2, 5))
	if strings.ContainsAny(local, "._") && digits == 0 {
		f.tok("flname", "")
	}
	name := strings.ToLower(m.FromName)
	if name == "" {
		f.tok("nofromname", "")
	} else {
		if strings.Contains(name, "@") {
			f.tok("fnaddr", "")
		}
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) <= 20 {
				f.tok("fn:", w)
			}
		}
		f.tok("fnw:", bucket(len(strings.Fields(name)), 1, 2, 3))
	}
	// The user among the recipients.
	pos := "none"
	if len(m.UserAddresses) == 0 {
		pos = "unknown"
	}
	isUser := func(a string) bool {
		for _, u := range m.UserAddresses {
			if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(u)) {
				return true
			}
		}
		return false
	}
	for _, a := range m.Cc {
		if isUser(a) {
			pos = "cc"
		}
	}
	for _, a := range m.To {
		if isUser(a) {
			pos = "to"
		}
	}
	if isUser(from) {
		pos = "from"
	}
	f.tok("upos:", pos)
	f.tok("nto:", bucket(len(m.To), 0, 1, 2, 5, 20))
	f.tok("ncc:", bucket(len(m.Cc), 0, 1, 3, 10))
	for i, a := range append(append([]string(nil), m.To...), m.Cc...) {
		if i >= 8 {
			break
		}
		d := addrDomain(a)
		if d != "" && d == dom {
			f.tok("samedom", "")
		}
		if d != "" {
			f.tok("td:", baseDomain(d))
		}
		for _, w := range strings.FieldsFunc(addrLocal(a), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) <= 20 {
				f.tok("tl:", w)
			}
		}
	}
	for _, w := range strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) <= 20 {
			f.tok("flw:", w)
		}
	}
	// Subject shape.
	subj := strings.ToLower(strings.TrimSpace(m.Subject))
	switch {
	case subj == "":
		f.tok("subj:empty", "")
	case strings.HasPrefix(subj, "re:") || strings.HasPrefix(subj, "re["), strings.HasPrefix(subj, "aw:"), strings.HasPrefix(subj, "sv:"):
		f.tok("subj:re", "")
	case strings.HasPrefix(subj, "fw:") || strings.HasPrefix(subj, "fwd:"), strings.HasPrefix(subj, "wg:"):
		f.tok("subj:fwd", "")
	}
	if strings.HasPrefix(subj, "[") {
		f.tok("subj:tag", "")
	}
	upper, letters := 0, 0
	for _, r := range m.Subject {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters > 4 {
		f.tok("subjcaps:", bucket(upper*10/letters, 1, 3, 6))
	}
	f.tok("subjlen:", bucket(len(subj), 10, 30, 60, 100))
	// List and automation headers.
	if v := header(m, "List-Id"); v != "" {
		f.tok("listid", "")
		f.tok("listid:", listKey(v))
	}
	if header(m, "List-Unsubscribe") != "" {
		f.tok("listunsub", "")
	}
	if header(m, "List-Post") != "" {
		f.tok("listpost", "")
	}
	if header(m, "Mailing-List") != "" || header(m, "X-Mailing-List") != "" {
		f.tok("mailinglist", "")
	}
	if v := strings.ToLower(strings.TrimSpace(header(m, "Precedence"))); v != "" {
		f.tok("prec:", firstWord(v))
	}
	if v := strings.ToLower(strings.TrimSpace(header(m, "Auto-Submitted"))); v != "" && v != "no" {
		f.tok("autosub:", firstWord(v))
	}
	if header(m, "X-Auto-Response-Suppress") != "" {
		f.tok("xars", "")
	}
	if header(m, "Feedback-ID") != "" {
		f.tok("feedbackid", "")
	}
	if header(m, "Sender") != "" {
		f.tok("sender", "")
	}
	if header(m, "In-Reply-To") != "" {
		f.tok("inreplyto", "")
	}
	if v := strings.ToLower(header(m, "Authentication-Results")); v != "" {
		for _, k := range []string{"spf=", "dkim=", "dmarc="} {
			if i := strings.Index(v, k); i >= 0 {
				f.tok("auth:", k+firstWord(v[i+len(k):]))
			}
		}
	}
	if v := strings.ToLower(header(m, "Received-SPF")); v != "" {
		f.tok("rspf:", firstWord(v))
	}
	mailer := header(m, "X-Mailer")
	if mailer == "" {
		mailer = header(m, "User-Agent")
	}
	if mailer != "" {
		f.tok("mailer:", letterPrefix(mailer))
	} else {
		f.tok("nomailer", "")
	}
	if rp := strings.ToLower(header(m, "Return-Path")); rp != "" {
		if strings.TrimSpace(rp) == "<>" {
			f.tok("rp:null", "")
		} else if d := addrDomain(rp); d != "" && d != dom {
			f.tok("rp:other", "")
		}
	}
	if v := strings.ToLower(header(m, "X-Priority")); v != "" {
		f.tok("prio:", firstWord(v))
	}
	if v := strings.ToLower(header(m, "Importance")); v != "" {
		f.tok("imp:", firstWord(v))
	}
	if ct := strings.ToLower(header(m, "Content-Type")); ct != "" {
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		f.tok("ct:", strings.TrimSpace(ct))
	}
	// Body shape.
	if m.HTML {
		f.tok("html", "")
	}
	f.tok("links:", bucket(m.Links, 0, 1, 3, 8, 20))
	f.tok("att:", bucket(m.Attachments, 0, 1, 3))
	n := len(m.Text)
	f.tok("len:", bucket(n, 100, 400, 1500, 5000, 20000))
	if n > 0 {
		words := strings.Count(clipBytes(m.Text, 4000), " ") + 1
		f.tok("linkdens:", bucket(m.Links*200/words, 0, 1, 3, 8))
	}
	q := strings.Count(clipBytes(text, 3000), "?")
	f.tok("q:", bucket(q, 0, 1, 3))
	if f.s.OwnText {
		f.tok("ownlen:", bucket(len(text), 0, 100, 400, 1500))
		if i := strings.IndexByte(text, '?'); i >= 0 && i < 400 {
			f.tok("earlyq", "")
		}
		if len(m.To) == 1 && pos == "to" {
			f.tok("soleto", "")
		}
	}
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	for i, r := range s {
		if r == ' ' || r == ';' || r == '(' || r == '\t' || r == ',' {
			return s[:i]
		}
	}
	if len(s) > 32 {
		return s[:32]
	}
	return s
}

func letterPrefix(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '-' {
			return s[:i]
		}
	}
	if len(s) > 32 {
		return s[:32]
	}
	return s
}

// listKey is the list's identifier: the part in angle brackets of List-Id.
func listKey(v string) string {
	v = strings.ToLower(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
		if j := strings.IndexByte(v, '>'); j >= 0 {
			v = v[:j]
		}
	}
	return strings.TrimSpace(v)
}

// Word lists of the Cues features, matched in the lower-cased subject and
// start of the text.
var (
	// cueSell marks selling.
	cueSell = []string{"% off", "sale", "save $", "save up to", "discount", "coupon", "free shipping", "special offer", "order now", "buy now", "deal", "lowest price", "limited time", "rebate", "shop now", "clearance", "bargain", "price", "offer", "free trial", "subscribe", "upgrade", "new product", "now available", "buy", "fares", "% off", "only $", "starting at", "shop", "store", "catalog", "promotion", "exclusive"}
	// cueAuto marks automated and transactional mail.
	cueAuto = []string{"do not reply", "do not respond", "not monitored", "automated", "automatically", "notification", "has been submitted", "for your approval", "approve", "status", "confirmation", "confirm", "order #", "order number", "receipt", "invoice", "tracking", "shipped", "itinerary", "booking", "reservation", "password", "your account", "statement", "reminder", "expire", "renewal", "outage", "maintenance", "scheduled", "is now available", "click the following link", "click here", "report", "alert", "ticket", "update available", "system"}
	// cueLocal are sender local-part words of machines and shops that
	// automatedLocal lacks.
	cueLocal = []string{"mbx", "notice", "promo", "offer", "fare", "order", "receipt", "shop", "store", "customer", "travel", "mailer", "list", "announce", "update", "center", "report", "online", "editor", "subscri", "reply", "member", "club", "insider", "specials", "survey"}
	// cueBulkGreet are greetings of mail to many.
	cueBulkGreet = []string{"dear customer", "dear member", "dear subscriber", "dear reader", "dear friend", "dear valued", "dear colleague", "dear sir", "dear all", "hello all", "hi all", "hi everyone", "hello everyone", "dear students", "to all", "all employees"}
)

// Phrase sets of the Cues and Address groups, and which of their phrases
// each list counts.
var (
	cuePhrases   = newPhraseSet(cueSell, cueAuto)
	cueSellCount = cuePhrases.counter(cueSell)
	cueAutoCount = cuePhrases.counter(cueAuto)
	reqPhrases   = newPhraseSet(requestPhrases)
	reqCount     = reqPhrases.counter(requestPhrases)
)

// cues appends the Cues features of m to v as indicators. With a memo, a
// second model of the same hash seed replays the group the first one
// computed for this message (kind and needs_reply both read it).
func (f *featurizer) cues(m *wire.Message, v *vec) {
	mm := f.memo
	if mm != nil && mm.m == m && mm.cuesOK && mm.cueSeed == f.s.HashSeed {
		f.grp = append(f.grp, mm.cues...)
		f.flushRaw(v, 1)
		return
	}
	start := len(f.grp)
	f.cueGroup(m)
	if mm != nil && mm.m == m {
		mm.cues = append(mm.cues[:0], f.grp[start:]...)
		mm.cueSeed, mm.cuesOK = f.s.HashSeed, true
	}
	f.flushRaw(v, 1)
}

// cueGroup adds the hashed Cues features of m to the pending group.
func (f *featurizer) cueGroup(m *wire.Message) {
	// The subject and the start of the text, lower-cased. The phrases
	// have no line break, so none can match across the one between
	// subject and text, and neither can a price or a percentage: the
	// parts are read one after the other as one string would be.
	subj := strings.ToLower(m.Subject)
	text := strings.ToLower(clipBytes(m.Text, 3000))
	var found [maxPhrases]bool
	cuePhrases.mark(subj, &found)
	cuePhrases.mark(text, &found)
	sell, auto := cueSellCount.count(&found), cueAutoCount.count(&found)
	f.tok("cue:sell:", bucket(sell, 0, 1, 2, 4))
	f.tok("cue:auto:", bucket(auto, 0, 1, 2, 4))
	f.tok("cue:sell×auto:", bucket(sell, 0, 2)+bucket(auto, 0, 2))
	// Prices and percentages.
	prices, pct := countPrices(subj)
	p2, c2 := countPrices(text)
	prices, pct = prices+p2, pct+c2
	f.tok("cue:price:", bucket(prices, 0, 1, 3))
	f.tok("cue:pct:", bucket(pct, 0, 1))
	if strings.ContainsAny(subj, "!$%") {
		f.tok("cue:subjmark", "")
	}
	// Greeting: by name, to many, or none. The first 200 bytes of the
	// lower-cased text: text is the lower-cased first 3000 bytes, and
	// lower-casing maps rune by rune, each rune to at least one byte, so
	// the runes wholly inside those 3000 bytes give over 700 bytes, the
	// same as lower-casing the whole text would.
	head := strings.TrimSpace(clipBytes(text, 200))
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
	for _, l := range [2][]string{m.To, m.Cc} {
		for _, a := range l {
			if distributionList(addrLocal(a)) {
				dl = true
				break
			}
		}
		if dl {
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
}

// countPrices counts "$" followed by a digit and a digit followed by "%"
// in t, at most one per position.
func countPrices(t string) (prices, pct int) {
	for i := 0; i+1 < len(t); i++ {
		switch {
		case t[i] == '$' && t[i+1] >= '0' && t[i+1] <= '9':
			prices++
		case t[i+1] == '%' && t[i] >= '0' && t[i] <= '9':
			pct++
		}
	}
	return prices, pct
}

// distributionList reports whether a recipient's local part names a list.
func distributionList(l string) bool {
	return strings.HasPrefix(l, "dl-") || strings.HasPrefix(l, "all") || strings.Contains(l, "all_") || strings.HasPrefix(l, "center.") || strings.Contains(l, "list") || strings.Contains(l, "announce")
}

func hasAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// greetsByName reports whether s starts with one capitalisable word and a
// comma or dash ("sally," "matt-"), as a note to one person does.
func greetsByName(s string) bool {
	i := 0
	for i < len(s) && i < 20 && s[i] >= 'a' && s[i] <= 'z' {
		i++
	}
	return i >= 2 && i < len(s) && (s[i] == ',' || s[i] == '-' || s[i] == ':')
}

// machineLocal reports whether a local part looks generated: long with
// several digits, or with '#', '=' or many dots.
func machineLocal(l string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] >= '0' && l[i] <= '9':
			digits++
		case l[i] == '.':
			dots++
		case l[i] == '#' || l[i] == '=':
			return true
		}
	}
	return digits >= 5 || dots >= 3 || (len(l) > 24 && digits >= 2)
}

// sharedSortBits is the number of low hash bits by which a memo group is
// sorted once for every featurizer that reads it (memoGroup.low): models
// hash into 1<<Bits buckets, and those with Bits of at least this many
// (the default spam model 20, kind 18) finish the order from it.
const sharedSortBits = 18

// curGroup returns the memo group the pending group holds, or nil.
func (f *featurizer) curGroup() *memoGroup {
	mm := f.memo
	if f.cur < 0 || mm == nil || f.cur >= len(mm.groups) {
		return nil
	}
	g := &mm.groups[f.cur]
	if len(g.h) != len(f.grp) {
		return nil
	}
	return g
}

// sortShared puts the pending group, which holds memo group mg, into
// increasing order of its buckets (hash & f.mask), as sortGroup does,
// and returns it. f.s.Bits is in [sharedSortBits, sharedSortBits+12].
// The hashes in the order of their low sharedSortBits bits are made once
// per group (mg.low, kept for the other featurizers); a stable counting
// pass over the bits from sharedSortBits up to Bits then gives the order
// of the buckets — least significant digit first, as sortGroup's radix
// sort does. Equal buckets are equal values, so the result is the one
// any sort gives.
func (f *featurizer) sortShared(mg *memoGroup) []uint32 {
	if !mg.lowOK {
		mg.low = sortLow(append(mg.low[:0], mg.h...), &f.counts, &f.scratch)
		mg.lowOK = true
	}
	g := f.grp
	high := uint(f.s.Bits) - sharedSortBits
	if high == 0 {
		for i, x := range mg.low {
			g[i] = x & f.mask
		}
		return g
	}
	n := 1 << high
	if cap(f.counts) < n {
		f.counts = make([]uint32, n)
	}
	c := f.counts[:n]
	clear(c)
	hiMask := uint32(n - 1)
	for _, x := range mg.low {
		c[(x>>sharedSortBits)&hiMask]++
	}
	var sum uint32
	for i, k := range c {
		c[i] = sum
		sum += k
	}
	for _, x := range mg.low {
		d := (x >> sharedSortBits) & hiMask
		g[c[d]] = x & f.mask
		c[d]++
	}
	return g
}

// sortLow sorts h in place by the low sharedSortBits bits of each value
// (ties in any order) and returns it; counts and scratch are recycled
// buffers.
func sortLow(h []uint32, counts, scratch *[]uint32) []uint32 {
	if len(h) < radixMin {
		// Rotated, the low bits lead: sorting the rotated values sorts
		// by them (then by the rest).
		for i, x := range h {
			h[i] = bits.RotateLeft32(x, 32-sharedSortBits)
		}
		slices.Sort(h)
		for i, x := range h {
			h[i] = bits.RotateLeft32(x, sharedSortBits)
		}
		return h
	}
	const lo = sharedSortBits / 2
	const hi = sharedSortBits - lo
	const nLo, nHi = 1 << lo, 1 << hi
	if cap(*counts) < nLo+nHi {
		*counts = make([]uint32, nLo+nHi)
	}
	cLo, cHi := (*counts)[:nLo], (*counts)[nLo:nLo+nHi]
	clear(cLo)
	clear(cHi)
	for _, x := range h {
		cLo[x&(nLo-1)]++
		cHi[(x>>lo)&(nHi-1)]++
	}
	var sLo, sHi uint32
	for i := range cLo {
		cLo[i], sLo = sLo, sLo+cLo[i]
	}
	for i := range cHi {
		cHi[i], sHi = sHi, sHi+cHi[i]
	}
	if cap(*scratch) < len(h) {
		*scratch = make([]uint32, len(h), cap(h))
	}
	tmp := (*scratch)[:len(h)]
	for _, x := range h {
		d := x & (nLo - 1)
		tmp[cLo[d]] = x
		cLo[d]++
	}
	for _, x := range tmp {
		d := (x >> lo) & (nHi - 1)
		h[cHi[d]] = x
		cHi[d]++
	}
	return h
}

package extract

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/when"
)

// FeatureSettings fix how a sentence becomes a feature vector. They are
// stored with a model so that scoring uses the settings it was trained with.
type FeatureSettings struct {
	Bits   int  // hash space is 1<<Bits
	NGrams int  // word n-grams up to this length
	Cues   bool // hand-written cue features
}

// DefaultFeatures are the settings of the shipped model.
var defaultFeatures = FeatureSettings{Bits: 18, NGrams: 3, Cues: true}

// DefaultFeatureSettings returns the settings of the shipped model.
func DefaultFeatureSettings() FeatureSettings { return defaultFeatures }

// sparse is a feature vector: indices with values, L2-normalised.
type sparse struct {
	idx []uint32
	val []float32
}

// tokens splits a sentence into lower-case words (letters, digits,
// apostrophes inside words) and the punctuation marks ? ! : that carry
// meaning. Placeholders such as $LINK stay one token.
func tokens(s string) []string { return appendTokens(nil, s) }

// appendTokens is tokens appending to out (a recycled buffer).
func appendTokens(out []string, s string) []string {
	base := len(out)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII, without decoding runes: what the cases below do
			// for it (unicode.IsLetter and IsDigit of an ASCII byte are
			// these tests).
			switch {
			case isASCIIAlnum(c) || c == '$':
				j := i + 1
				ascii := true
				for j < len(s) {
					c2 := s[j]
					if c2 < utf8.RuneSelf && isASCIIAlnum(c2) {
						j++
						continue
					}
					r2, n2 := utf8.DecodeRuneInString(s[j:])
					if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
						ascii = false
						j += n2
						continue
					}
					if (r2 == '\'' || r2 == '’') && j+n2 < len(s) {
						r3, _ := utf8.DecodeRuneInString(s[j+n2:])
						if unicode.IsLetter(r3) {
							ascii = ascii && r2 == '\''
							j += n2
							continue
						}
					}
					break
				}
				w := s[i:j]
				switch {
				case w[0] >= '0' && w[0] <= '9':
					w = "0"
				case ascii:
					w = strings.ToLower(w) // no ’ to replace
				default:
					w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
				}
				out = append(out, w)
				i = j
			case c == '?':
				out = append(out, "?")
				i++
			case c == '!':
				out = append(out, "!")
				i++
			case c == ':':
				out = append(out, ":")
				i++
			default:
				i++
			}
			if len(out)-base >= 200 {
				break
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$':
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n2
					continue
				}
				if (r2 == '\'' || r2 == '’') && j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if unicode.IsLetter(r3) {
						j += n2
						continue
					}
				}
				break
			}
			w := s[i:j]
			if w[0] >= '0' && w[0] <= '9' {
				w = "0"
			} else {
				w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
			}
			out = append(out, w)
			i = j
		case r == '?':
			out = append(out, "?")
			i += n
		case r == '!':
			out = append(out, "!")
			i += n
		case r == ':':
			out = append(out, ":")
			i += n
		default:
			i += n
		}
		if len(out)-base >= 200 {
			break
		}
	}
	return out
}

// featurizer hashes features into one vector. It reuses its buffers and
// is not safe for concurrent use.
type featurizer struct {
	set   FeatureSettings
	mask  uint32
	hs    []uint32 // hashed features of the current sentence, repeats kept
	toks  []string
	words []string
	tmp   []uint32 // sortHashes' other buffer
	v     sparse   // the last vector (vectorInto)
}

func newFeaturizer(s FeatureSettings) *featurizer {
	return &featurizer{set: s, mask: uint32(1)<<s.Bits - 1}
}

// FNV-1a, 32 bits, as hash/fnv computes it, without its allocation.
const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime32
	}
	return h
}

// add counts the feature named prefix+name.
func (f *featurizer) add(prefix, name string) {
	f.hs = append(f.hs, fnvString(fnvString(fnvOffset32, prefix), name)&f.mask)
}

// vector returns the features of one sentence in new slices (the caller
// may keep them). ref anchors the deadline cue (when.Find); its value does
// not matter beyond that.
func (f *featurizer) vector(sentence string, ref time.Time) sparse {
	v := f.vectorInto(sentence, ref)
	return sparse{idx: slices.Clone(v.idx), val: slices.Clone(v.val)}
}

// ngramPrefixes name the word n-gram features: "w1:", "w2:"...
var ngramPrefixes = [...]string{"w0:", "w1:", "w2:", "w3:", "w4:", "w5:", "w6:", "w7:", "w8:", "w9:"}

// vectorInto is vector into the featurizer's own buffers, valid until its
// next call. Each distinct feature (hash bucket) appears once, in
// increasing order, with its count as value, then the vector is
// L2-normalised.
func (f *featurizer) vectorInto(sentence string, ref time.Time) sparse {
	f.hs = f.hs[:0]
	f.toks = appendTokens(f.toks[:0], sentence)
	toks := f.toks
	f.add("bias", "")
	for n := 1; n <= f.set.NGrams; n++ {
		var pre uint32
		if n < len(ngramPrefixes) {
			pre = fnvString(fnvOffset32, ngramPrefixes[n])
		} else {
			pre = fnvString(fnvOffset32, "w"+string(rune('0'+n))+":")
		}
		for i := 0; i+n <= len(toks); i++ {
			// The name is the n tokens joined by single spaces.
			h := fnvString(pre, toks[i])
			for _, t := range toks[i+1 : i+n] {
				h = fnvString((h^' ')*fnvPrime32, t)
			}
			f.hs = append(f.hs, h&f.mask)
		}
	}
	if f.set.Cues {
		f.words = cuesTo(f.words[:0], sentence, toks, ref, func(name, arg string) {
			f.hs = append(f.hs, fnvString(fnvString(fnvString(fnvOffset32, "c:"), name), arg)&f.mask)
		})
	}
	f.sortHashes() // a fixed order keeps sums reproducible
	v := sparse{idx: f.v.idx[:0], val: f.v.val[:0]}
	var norm float64
	for i := 0; i < len(f.hs); {
		j := i + 1
		for j < len(f.hs) && f.hs[j] == f.hs[i] {
			j++
		}
		x := float32(j - i)
		v.idx = append(v.idx, f.hs[i])
		v.val = append(v.val, x)
		norm += float64(x) * float64(x)
		i = j
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.val {
			v.val[i] *= inv
		}
	}
	f.v = v
	return v
}

// sortHashes sorts f.hs (buckets below 1<<Bits) in increasing order. A
// sentence has tens to hundreds of them: they are spread by their top 8
// bits over 256 buckets, of a few each, and an insertion sort sorts each
// bucket. Any correct sort gives the same sequence: the values are
// plain integers.
func (f *featurizer) sortHashes() {
	hs := f.hs
	if len(hs) <= 16 || f.set.Bits < 8 || f.set.Bits > 32 {
		slices.Sort(hs)
		return
	}
	shift := uint(f.set.Bits) - 8
	var start [257]uint32
	for _, x := range hs {
		start[x>>shift+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	if cap(f.tmp) < len(hs) {
		f.tmp = make([]uint32, len(hs), cap(hs))
	}
	out := f.tmp[:len(hs)]
	for _, x := range hs {
		d := x >> shift
		out[start[d]] = x
		start[d]++
	}
	// Now start[d] is where bucket d ends (and d+1 begins).
	lo := uint32(0)
	for _, hi := range start[:256] {
		b := out[lo:hi]
		lo = hi
		if len(b) > 12 {
			slices.Sort(b) // a repeated word: keep it n log n
			continue
		}
		for i := 1; i < len(b); i++ {
			x := b[i]
			j := i
			for j > 0 && b[j-1] > x {
				b[j] = b[j-1]
				j--
			}
			b[j] = x
		}
	}
	f.hs, f.tmp = out, hs
}

// Word lists for the cues.
var (
	modals    = set("can", "could", "would", "will", "should", "may", "might", "must", "shall")
	secondP   = set("you", "your", "you're", "you've", "you'll", "you'd", "yours", "yourself", "u")
	firstP    = set("i", "i'm", "i'll", "i've", "i'd", "we", "we'll", "we're", "we've", "my", "our")
	auxStart  = set("do", "does", "did", "is", "are", "was", "were", "have", "has", "can", "could", "would", "will", "should", "shall", "may", "any", "what", "when", "where", "who", "why", "how", "which")
	greetings = set("hi", "hello", "dear", "hey", "thanks", "thank")
	// imperatives are verbs that start a request when they open a
	// sentence (base form).
	imperatives = set("send", "let", "call", "review", "check", "confirm", "please", "give", "forward", "sign", "submit",
		"approve", "update", "add", "remove", "make", "take", "see", "look", "find", "get", "bring", "book", "schedule",
		"reply", "respond", "answer", "share", "provide", "complete", "fill", "return", "attend", "join", "contact",
		"email", "e-mail", "mail", "ring", "phone", "pick", "read", "print", "fax", "prepare", "draft", "write", "note",
		"keep", "tell", "ask", "arrange", "set", "organize", "organise", "plan", "consider", "decide", "choose", "pay",
		"transfer", "register", "rsvp", "feel", "remember", "don't", "do", "make", "ensure", "verify", "sort", "fix",
		"change", "move", "cancel", "put", "use", "try", "come", "go", "meet", "stop", "start", "follow", "coordinate",
		"discuss", "advise", "inform", "notify", "invite", "include", "attach", "upload", "download", "install", "log",
		"click", "visit", "order", "buy", "reserve", "hold", "swap", "cover", "water", "file", "run", "help")
	deadlineWords = set("asap", "eod", "cob", "urgent", "urgently", "deadline", "soon", "today", "tomorrow", "tonight")
)

// Word classes of the cue word lists: one map lookup per word gives all
// the lists it is in (cuesTo reads each word against several lists).
const (
	wModal uint8 = 1 << iota
	wSecondP
	wFirstP
	wAux
	wGreeting
	wImperative
	wDeadline
)

var cueClasses = func() map[string]uint8 {
	m := map[string]uint8{}
	for c, s := range map[uint8]map[string]bool{wModal: modals, wSecondP: secondP, wFirstP: firstP, wAux: auxStart, wGreeting: greetings, wImperative: imperatives, wDeadline: deadlineWords} {
		for w, ok := range s {
			if ok {
				m[w] |= c
			}
		}
	}
	return m
}()

// cueClass returns the word lists w is in.
func cueClass(w string) uint8 { return cueClasses[w] }

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// cues returns the names of the cue features that fire for a sentence.
func cues(sentence string, toks []string, ref time.Time) []string {
	var out []string
	cuesTo(nil, sentence, toks, ref, func(name, arg string) { out = append(out, name+arg) })
	return out
}

// cuesTo calls emit for each cue feature that fires, in order, with its
// name in two parts (name+arg is what cues returns), so that a caller that
// hashes the names builds no strings. words is a recycled buffer for the
// sentence's words, returned for reuse.
func cuesTo(words []string, sentence string, toks []string, ref time.Time, emit func(name, arg string)) []string {
	trim := strings.TrimSpace(sentence)
	if strings.HasSuffix(trim, "?") {
		emit("ends?", "")
	}
	if strings.Contains(trim, "?") {
		emit("has?", "")
	}
	if strings.HasSuffix(trim, "!") {
		emit("ends!", "")
	}
	if strings.HasSuffix(trim, ":") {
		emit("ends:", "")
	}
	// Skip a greeting or "please" to find the verb that opens the request.
	for _, t := range toks {
		if t != "?" && t != "!" && t != ":" {
			words = append(words, t)
		}
	}
	first := ""
	if len(words) > 0 {
		first = words[0]
		emit("first:", first)
		c := cueClass(first)
		if c&wImperative != 0 {
			emit("imperative", "")
		}
		if c&wAux != 0 {
			emit("aux-first", "")
		}
		if c&wGreeting != 0 {
			emit("greeting-first", "")
		}
		if c&wFirstP != 0 {
			emit("first-person-first", "")
		}
		if first == "please" && len(words) > 1 {
			emit("please-verb:", words[1])
		}
	}
	you, modal, modalYou, please, me := false, false, false, false, false
	var prev uint8 // the previous word's classes
	for _, w := range words {
		c := cueClass(w)
		switch {
		case c&wSecondP != 0:
			you = true
			if prev&wModal != 0 {
				modalYou = true
			}
		case c&wModal != 0:
			modal = true
		case w == "please" || w == "pls" || w == "plz" || w == "kindly":
			please = true
		case w == "me" || w == "us":
			me = true
		}
		if c&wDeadline != 0 {
			emit("deadline-word", "")
		}
		prev = c
	}
	if you {
		emit("you", "")
	}
	if modal {
		emit("modal", "")
	}
	if modalYou {
		emit("modal-you", "")
	}
	if please {
		emit("please", "")
	}
	if me {
		emit("me", "")
	}
	if you && please {
		emit("you+please", "")
	}
	if strings.Contains(sentence, "$LINK") || strings.Contains(sentence, "http") {
		emit("link", "")
	}
	for _, r := range when.Find(sentence, ref, when.Options{FutureBias: true}) {
		emit("date", "")
		if r.Deadline {
			emit("deadline", "")
		}
	}
	switch n := len(words); {
	case n <= 4:
		emit("len:short", "")
	case n <= 12:
		emit("len:mid", "")
	case n <= 30:
		emit("len:long", "")
	default:
		emit("len:vlong", "")
	}
	upper, letters := 0, 0
	for _, r := range sentence {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters > 8 && upper*3 > letters {
		emit("shouting", "")
	}
	return words[:0]
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

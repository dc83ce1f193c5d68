package extract

import (
	"hash/fnv"
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
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
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
			w := strings.ToLower(strings.ReplaceAll(s[i:j], "’", "'"))
			if w[0] >= '0' && w[0] <= '9' {
				w = "0"
			}
			out = append(out, w)
			i = j
		case r == '?' || r == '!' || r == ':':
			out = append(out, string(r))
			i += n
		default:
			i += n
		}
		if len(out) >= 200 {
			break
		}
	}
	return out
}

// featurizer hashes features into one vector.
type featurizer struct {
	set  FeatureSettings
	mask uint32
	idx  map[uint32]float32
}

func newFeaturizer(s FeatureSettings) *featurizer {
	return &featurizer{set: s, mask: uint32(1)<<s.Bits - 1, idx: map[uint32]float32{}}
}

func (f *featurizer) add(name string, v float32) {
	h := fnv.New32a()
	h.Write([]byte(name))
	f.idx[h.Sum32()&f.mask] += v
}

// vector returns the features of one sentence. ref anchors the deadline
// cue (when.Find); its value does not matter beyond that.
func (f *featurizer) vector(sentence string, ref time.Time) sparse {
	clear(f.idx)
	toks := tokens(sentence)
	f.add("bias", 1)
	for n := 1; n <= f.set.NGrams; n++ {
		for i := 0; i+n <= len(toks); i++ {
			f.add("w"+string(rune('0'+n))+":"+strings.Join(toks[i:i+n], " "), 1)
		}
	}
	if f.set.Cues {
		for _, c := range cues(sentence, toks, ref) {
			f.add("c:"+c, 1)
		}
	}
	var v sparse
	var norm float64
	for i := range f.idx {
		v.idx = append(v.idx, i)
	}
	slices.Sort(v.idx) // a fixed order keeps sums reproducible
	for _, i := range v.idx {
		x := f.idx[i]
		v.val = append(v.val, x)
		norm += float64(x) * float64(x)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.val {
			v.val[i] *= inv
		}
	}
	return v
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
	trim := strings.TrimSpace(sentence)
	if strings.HasSuffix(trim, "?") {
		out = append(out, "ends?")
	}
	if strings.Contains(trim, "?") {
		out = append(out, "has?")
	}
	if strings.HasSuffix(trim, "!") {
		out = append(out, "ends!")
	}
	if strings.HasSuffix(trim, ":") {
		out = append(out, "ends:")
	}
	// Skip a greeting or "please" to find the verb that opens the request.
	words := make([]string, 0, len(toks))
	for _, t := range toks {
		if t != "?" && t != "!" && t != ":" {
			words = append(words, t)
		}
	}
	first := ""
	if len(words) > 0 {
		first = words[0]
		out = append(out, "first:"+first)
		if imperatives[first] {
			out = append(out, "imperative")
		}
		if auxStart[first] {
			out = append(out, "aux-first")
		}
		if greetings[first] {
			out = append(out, "greeting-first")
		}
		if firstP[first] {
			out = append(out, "first-person-first")
		}
		if first == "please" && len(words) > 1 {
			out = append(out, "please-verb:"+words[1])
		}
	}
	you, modal, modalYou, please, me := false, false, false, false, false
	for i, w := range words {
		switch {
		case secondP[w]:
			you = true
			if i > 0 && modals[words[i-1]] {
				modalYou = true
			}
		case modals[w]:
			modal = true
		case w == "please" || w == "pls" || w == "plz" || w == "kindly":
			please = true
		case w == "me" || w == "us":
			me = true
		}
		if deadlineWords[w] {
			out = append(out, "deadline-word")
		}
	}
	if you {
		out = append(out, "you")
	}
	if modal {
		out = append(out, "modal")
	}
	if modalYou {
		out = append(out, "modal-you")
	}
	if please {
		out = append(out, "please")
	}
	if me {
		out = append(out, "me")
	}
	if you && please {
		out = append(out, "you+please")
	}
	if strings.Contains(sentence, "$LINK") || strings.Contains(sentence, "http") {
		out = append(out, "link")
	}
	for _, r := range when.Find(sentence, ref, when.Options{FutureBias: true}) {
		out = append(out, "date")
		if r.Deadline {
			out = append(out, "deadline")
		}
	}
	switch n := len(words); {
	case n <= 4:
		out = append(out, "len:short")
	case n <= 12:
		out = append(out, "len:mid")
	case n <= 30:
		out = append(out, "len:long")
	default:
		out = append(out, "len:vlong")
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
		out = append(out, "shouting")
	}
	return out
}

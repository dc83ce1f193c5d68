package extract

import (
	"bufio"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/when"
)

// referenceVector is the straightforward featurisation the fast one
// (featurizer.vectorInto) must equal: every feature name built as a
// string, hashed with hash/fnv, counted in a map.
func referenceVector(s FeatureSettings, sentence string, ref time.Time) sparse {
	mask := uint32(1)<<s.Bits - 1
	counts := map[uint32]float32{}
	add := func(name string) {
		h := fnv.New32a()
		h.Write([]byte(name))
		counts[h.Sum32()&mask]++
	}
	toks := refAppendTokens(nil, sentence)
	add("bias")
	for n := 1; n <= s.NGrams; n++ {
		for i := 0; i+n <= len(toks); i++ {
			add("w" + string(rune('0'+n)) + ":" + strings.Join(toks[i:i+n], " "))
		}
	}
	if s.Cues {
		cuesToRef(nil, sentence, toks, ref, func(name, arg string) { add("c:" + name + arg) })
	}
	var v sparse
	for i := range counts {
		v.idx = append(v.idx, i)
	}
	slices.Sort(v.idx)
	var norm float64
	for _, i := range v.idx {
		v.val = append(v.val, counts[i])
		norm += float64(counts[i]) * float64(counts[i])
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.val {
			v.val[i] *= inv
		}
	}
	return v
}

// TestVectorMatchesReference compares the fast featurisation with the
// reference on every sentence of the email-intent corpus, reusing one
// featurizer throughout as Model.Prob does.
func TestVectorMatchesReference(t *testing.T) {
	f, err := os.Open(filepath.Join(testdata.Dir(t, "email-intent"), "train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	set := DefaultFeatureSettings()
	fz := newFeaturizer(set)
	n := 0
	for sc.Scan() {
		_, s, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		got, want := fz.vectorInto(s, cueRef), referenceVector(set, s, cueRef)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("vectorInto(%q) = %v, want %v", s, got, want)
		}
		n++
	}
	if n < 3000 {
		t.Fatalf("compared %d sentences, want the whole corpus", n)
	}
	// The sentences of SpamAssassin mail, as the needs_reply features
	// read them (Body, Sentences).
	root := filepath.Join(testdata.Dir(t, "mail"), "spamassassin")
	m := 0
	for _, dir := range []string{"easy-ham-1", "spam-1"} {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for k, e := range ents {
			if k >= 400 {
				break
			}
			b, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range Sentences(Body(string(b))) {
				got, want := fz.vectorInto(st.Text, cueRef), referenceVector(set, st.Text, cueRef)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("vectorInto(%q) = %v, want %v", st.Text, got, want)
				}
				m++
			}
		}
	}
	if m < 4000 {
		t.Fatalf("compared %d SpamAssassin sentences, want at least 4000", m)
	}
}

func FuzzVectorMatchesReference(f *testing.F) {
	for _, s := range []string{"Could you send me the report by Friday EOD?", "", "PLEASE CALL ME ASAP!!!", "it’s 3:30 — don't forget: $LINK", "\xff\xfe ünïcödé words’ and ’quotes", "a b c d e f g h i j k l m n o p"} {
		f.Add(s)
	}
	set := DefaultFeatureSettings()
	fz := newFeaturizer(set)
	f.Fuzz(func(t *testing.T, s string) {
		got, want := fz.vectorInto(s, cueRef), referenceVector(set, s, cueRef)
		if len(got.idx) == 0 && len(want.idx) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("vectorInto(%q) = %v, want %v", s, got, want)
		}
		if m := fz.vector(s, cueRef); !reflect.DeepEqual(m, want) {
			t.Fatalf("vector(%q) = %v, want %v", s, m, want)
		}
	})
}

// cuesToRef is cuesTo as it was at ec59e8f, one map lookup per word list: the
// reference the word-class cues must equal. It calls emit for each cue feature that fires, in order, with its
// name in two parts (name+arg is what cues returns), so that a caller that
// hashes the names builds no strings. words is a recycled buffer for the
// sentence's words, returned for reuse.
func cuesToRef(words []string, sentence string, toks []string, ref time.Time, emit func(name, arg string)) []string {
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
		if imperatives[first] {
			emit("imperative", "")
		}
		if auxStart[first] {
			emit("aux-first", "")
		}
		if greetings[first] {
			emit("greeting-first", "")
		}
		if firstP[first] {
			emit("first-person-first", "")
		}
		if first == "please" && len(words) > 1 {
			emit("please-verb:", words[1])
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
			emit("deadline-word", "")
		}
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

// refAppendTokens is appendTokens as it was at ec59e8f (every character
// decoded as a rune): the reference the tokenizer must equal.
func refAppendTokens(out []string, s string) []string {
	base := len(out)
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

// FuzzTokensMatchReference: on any text, the tokens equal the reference
// tokenizer's.
func FuzzTokensMatchReference(f *testing.F) {
	for _, s := range []string{"Could you send it by Friday EOD?", "it’s don't $LINK 3:30 — ok!", "\xff\xfe ünïcödé Ωmega’s x'", "a'b' 'c ’d e’f’g 12abc $5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendTokens(nil, s), refAppendTokens(nil, s); !slices.Equal(got, want) {
			t.Fatalf("tokens(%q) = %q, want %q", s, got, want)
		}
	})
}

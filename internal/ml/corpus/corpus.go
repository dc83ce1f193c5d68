// Package corpus reads the public mail corpora under ../shared/data/mail
// (SpamAssassin, Enron) and the hand-labelled sample labels/kind.tsv as
// training and evaluation data for internal/ml, with the splits the
// benchmarks and `make models` use. It reads the corpora by path; nothing
// from them is copied anywhere.
package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// File is one message file of a corpus.
type File struct {
	Path  string    // absolute path
	Rel   string    // path relative to the mail directory (../shared/data/mail)
	Group string    // "easy-ham-1", "spam-1", an Enron user...
	Label string    // task label: spam/ham, a folder path...
	Date  time.Time // first Received date (SpamAssassin) or Date header (Enron)
}

// FindMailDir walks up from dir to the directory holding go.mod and
// returns ../shared/data/mail beside it.
func FindMailDir(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared", "data", "mail"), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		d = parent
	}
}

// FirstReceived returns the date of the topmost Received header of raw
// (the last hop, the one the user's own server added).
func FirstReceived(raw []byte) (time.Time, bool) {
	hdr := raw
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		hdr = raw[:i]
	}
	if i := bytes.Index(hdr, []byte("\r\n\r\n")); i >= 0 {
		hdr = hdr[:i]
	}
	lines := strings.Split(strings.ReplaceAll(string(hdr), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.ToLower(lines[i]), "received:") {
			continue
		}
		v := lines[i][len("received:"):]
		for i+1 < len(lines) && len(lines[i+1]) > 0 && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			v += " " + strings.TrimSpace(lines[i])
		}
		if j := strings.LastIndexByte(v, ';'); j >= 0 {
			return mail.ParseDate(strings.TrimSpace(v[j+1:]))
		}
		return time.Time{}, false
	}
	return time.Time{}, false
}

func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// SpamGroups are the SpamAssassin folders and their labels.
var SpamGroups = []struct{ Dir, Label string }{
	{"spamassassin/easy-ham-1", "ham"},
	{"spamassassin/hard-ham-1", "ham"},
	{"spamassassin/spam-1", "spam"},
}

// SpamSplit lists the SpamAssassin messages under mailDir and holds out
// the newest share (0.2 in the benchmark) of each folder by first Received
// date: train is the rest. Files without a Received date sort oldest. Both
// lists are in path order.
func SpamSplit(mailDir string, share float64) (train, test []File, err error) {
	for _, g := range SpamGroups {
		fs, err := datedFiles(mailDir, g.Dir, g.Label, func(raw []byte) time.Time {
			t, _ := FirstReceived(raw)
			return t
		})
		if err != nil {
			return nil, nil, err
		}
		tr, te := splitNewest(fs, share)
		train = append(train, tr...)
		test = append(test, te...)
	}
	return train, test, nil
}

func datedFiles(mailDir, sub, label string, date func([]byte) time.Time) ([]File, error) {
	paths, err := listFiles(filepath.Join(mailDir, sub))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", sub, err)
	}
	out := make([]File, 0, len(paths))
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(mailDir, p)
		out = append(out, File{Path: p, Rel: filepath.ToSlash(rel), Group: filepath.Base(sub), Label: label, Date: date(raw)})
	}
	return out, nil
}

// splitNewest returns the older (1-share) and the newest share of fs, each
// in path order. Ties in date are broken by path.
func splitNewest(fs []File, share float64) (old, newest []File) {
	s := append([]File(nil), fs...)
	sort.SliceStable(s, func(i, j int) bool {
		if !s[i].Date.Equal(s[j].Date) {
			return s[i].Date.Before(s[j].Date)
		}
		return s[i].Path < s[j].Path
	})
	n := int(float64(len(s))*(1-share) + 0.5)
	old, newest = s[:n], s[n:]
	byPath := func(v []File) {
		sort.Slice(v, func(i, j int) bool { return v[i].Path < v[j].Path })
	}
	byPath(old)
	byPath(newest)
	return old, newest
}

// DateCut returns, for each SpamAssassin folder, the first Received date
// from which on the newest share of the folder lies.
func DateCut(mailDir string, share float64) (map[string]time.Time, error) {
	cut := map[string]time.Time{}
	for _, g := range SpamGroups {
		fs, err := datedFiles(mailDir, g.Dir, g.Label, func(raw []byte) time.Time {
			t, _ := FirstReceived(raw)
			return t
		})
		if err != nil {
			return nil, err
		}
		_, te := splitNewest(fs, share)
		min := time.Time{}
		for _, f := range te {
			if min.IsZero() || f.Date.Before(min) {
				min = f.Date
			}
		}
		cut[filepath.Base(g.Dir)] = min
	}
	return cut, nil
}

// EnronUsers lists the Enron mailboxes under mailDir.
func EnronUsers(mailDir string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(mailDir, "enron"))
	if err != nil {
		return nil, err
	}
	var us []string
	for _, e := range ents {
		if e.IsDir() {
			us = append(us, e.Name())
		}
	}
	return us, nil
}

// EnronSplit lists one Enron user's messages labelled with their folder
// (path relative to the user's directory, e.g. "inbox/ncl") and splits
// them by Date header: the older 80% to train, the newest 20% to test.
func EnronSplit(mailDir, user string) (train, test []File, err error) {
	fs, err := EnronFiles(mailDir, user)
	if err != nil {
		return nil, nil, err
	}
	tr, te := splitNewest(fs, 0.2)
	return tr, te, nil
}

// EnronFiles lists one Enron user's messages with folder labels and dates.
func EnronFiles(mailDir, user string) ([]File, error) {
	root := filepath.Join(mailDir, "enron", user)
	paths, err := listFiles(root)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var d time.Time
		if m, err := mail.Parse(raw); err == nil {
			d = m.Date
		}
		rel, _ := filepath.Rel(mailDir, p)
		folder, _ := filepath.Rel(root, filepath.Dir(p))
		out = append(out, File{Path: p, Rel: filepath.ToSlash(rel), Group: user, Label: filepath.ToSlash(folder), Date: d})
	}
	return out, nil
}

// UserAddress guesses an Enron user's own address: the most frequent To
// address of their mailbox.
func UserAddress(msgs []wire.Message) string {
	n := map[string]int{}
	for _, m := range msgs {
		for _, a := range m.To {
			n[strings.ToLower(a)]++
		}
	}
	best, bn := "", 0
	for a, c := range n {
		if c > bn || c == bn && a < best {
			best, bn = a, c
		}
	}
	return best
}

// UserAddresses returns an Enron user's own addresses, as a user would
// configure them: UserAddress first, then every To/Cc address of the
// mailbox whose local part has a word that is at most an initial followed
// by the start (five letters or more) of the user's surname, the mailbox
// name before '-' ("vkamins" for "kaminski-v", not "becky" for "beck-s"),
// and that occurs at least five times (aliases such as a short form or a
// home address; once-seen namesakes stay out).
func UserAddresses(msgs []wire.Message, user string) []string {
	primary := UserAddress(msgs)
	out := []string{primary}
	surname, _, _ := strings.Cut(user, "-")
	stem := surname
	if len(stem) > 5 {
		stem = stem[:5]
	}
	if len(stem) < 3 {
		return out
	}
	n := map[string]int{}
	for _, m := range msgs {
		for _, a := range append(append([]string(nil), m.To...), m.Cc...) {
			a = strings.ToLower(strings.TrimSpace(a))
			local, _, ok := strings.Cut(a, "@")
			if ok && surnameIn(local, surname, stem) {
				n[a]++
			}
		}
	}
	var alias []string
	for a, c := range n {
		if c >= 5 && a != primary {
			alias = append(alias, a)
		}
	}
	sort.Strings(alias)
	return append(out, alias...)
}

// surnameIn reports whether a word of local is an optional initial and
// then a prefix of surname at least as long as stem.
func surnameIn(local, surname, stem string) bool {
	for _, w := range strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '\'' }) {
		i := strings.Index(w, stem)
		if i < 0 || i > 1 {
			continue
		}
		if strings.HasPrefix(surname, w[i:]) {
			return true
		}
	}
	return false
}

// Read parses one message file into the classifiers' view of it.
func Read(path string, userAddrs []string) (wire.Message, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return wire.Message{}, err
	}
	m, err := mail.Parse(raw)
	if err != nil {
		return wire.Message{}, fmt.Errorf("parse %s: %w", path, err)
	}
	w := ml.FromMessage(m, userAddrs)
	w.ID = path
	return w, nil
}

// Label is one line of labels/kind.tsv.
type Label struct {
	Rel        string // path relative to ../shared/data/mail
	Kind       string
	NeedsReply bool
}

// ReadLabels reads a labels file: path TAB kind TAB yes|no, '#' comments.
func ReadLabels(path string) ([]Label, error) {
	kinds := map[string]bool{}
	for _, k := range ml.Kinds {
		kinds[k] = true
	}
	var out []Label
	err := readTSV(path, func(line int, p []string) error {
		if len(p) != 3 || !kinds[p[1]] || (p[2] != "yes" && p[2] != "no") {
			return fmt.Errorf("%s:%d: want path<TAB>kind<TAB>yes|no", path, line)
		}
		out = append(out, Label{Rel: p[0], Kind: p[1], NeedsReply: p[2] == "yes"})
		return nil
	})
	return out, err
}

// ReadReplyLabels reads a needs_reply labels file (labels/reply.tsv):
// path TAB yes|no, '#' comments; a path may occur once.
func ReadReplyLabels(path string) (map[string]bool, error) {
	out := map[string]bool{}
	err := readTSV(path, func(line int, p []string) error {
		if len(p) != 2 || p[0] == "" || (p[1] != "yes" && p[1] != "no") {
			return fmt.Errorf("%s:%d: want path<TAB>yes|no", path, line)
		}
		if _, dup := out[p[0]]; dup {
			return fmt.Errorf("%s:%d: %s labelled twice", path, line, p[0])
		}
		out[p[0]] = p[1] == "yes"
		return nil
	})
	return out, err
}

// readTSV calls fn with the tab-separated fields of every line of the file
// at path that is neither empty nor a '#' comment.
func readTSV(path string, fn func(line int, fields []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if err := fn(line, strings.Split(s, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}

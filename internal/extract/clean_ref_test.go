package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/testdata"
)

// refQuoteHeader is quoteHeader before its pre-checks (commit f5b8b12):
// every regular expression runs on every line.
func refQuoteHeader(trim string, lines []string, i int) bool {
	if trim == "" {
		return false
	}
	if reOriginal.MatchString(trim) || reBeginFwd.MatchString(trim) || reSentOnIOS.MatchString(trim) {
		return true
	}
	if strings.HasPrefix(strings.ToLower(trim), "on ") {
		joined := trim
		if i+1 < len(lines) {
			joined += " " + strings.TrimSpace(lines[i+1])
		}
		if strings.HasSuffix(trim, "wrote:") || (len(trim) < 120 && strings.HasSuffix(joined, "wrote:")) {
			return true
		}
	}
	if reWrote.MatchString(trim) && strings.HasSuffix(trim, ":") && len(trim) < 200 && strings.Contains(trim, "@") {
		return true
	}
	if reOutlook.MatchString(trim) {
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			if reOutlook2.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	return false
}

// checkQuoteHeader compares quoteHeader with the reference on every line
// of text and returns how many lines it called a quote header.
func checkQuoteHeader(t *testing.T, name, text string) int {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	n := 0
	for i, l := range lines {
		trim := strings.TrimSpace(l)
		got, want := quoteHeader(trim, lines, i), refQuoteHeader(trim, lines, i)
		if got != want {
			t.Fatalf("%s line %d: quoteHeader(%q) = %v, want %v", name, i, trim, got, want)
		}
		if got {
			n++
		}
	}
	return n
}

// TestQuoteHeaderMatchesReference compares quoteHeader with the reference
// on every line of the SpamAssassin and Enron mail (raw messages, headers
// included, which gives many "From:"/"Date:" lines) and on lines written
// to reach each pattern, including Unicode case folds.
func TestQuoteHeaderMatchesReference(t *testing.T) {
	cases := []string{
		"", "-", "--", "-----Original Message-----", "----- Forwarded Message -----", "-- ",
		"Begin forwarded message:", "BEGIN FORWARDED MESSAGE", "begin forwarded message: x",
		"Sent from my iPhone", "ſent from my phone", "SENT FROM MY BlackBerry", "sent from my",
		"On Tue, 4 Jun 2024, Priya Shah <priya@example.com> wrote:", "ON x wrote:", "on", "On ",
		"On Tue, 4 Jun 2024, Priya Shah <priya@example.com>\nwrote:",
		"Priya <p@x.org> schrieb:", "Jean <j@x.fr> a écrit :", "x@y wrote :", "Kelvin <k@x> wrote:",
		"From: Alex\nSent: Monday", "FROM: a\n\n\nDate: x", "Von: a\nGesendet: b", "De: a\nEnvoyé: b",
		"From: a\n\n\n\nDate: too far", "from:nobody", "Ｆrom: a\nSent: b", "İon x wrote:",
	}
	for _, c := range cases {
		checkQuoteHeader(t, "case", c)
	}
	hits, files := 0, 0
	for _, sub := range []string{"mail/spamassassin", "mail/enron"} {
		root := testdata.Dir(t, sub)
		limit := files + 2000
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || files >= limit {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			hits += checkQuoteHeader(t, p, string(b))
			if got, want := Body(string(b)), refBody(string(b)); got != want {
				t.Fatalf("%s: Body = %q, want %q", p, got, want)
			}
			if got, want := dropDisclaimers(strings.Split(string(b), "\n")), refDropDisclaimers(strings.Split(string(b), "\n")); !slices.Equal(got, want) {
				t.Fatalf("%s: dropDisclaimers differs from the reference", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if hits < 100 {
		t.Fatalf("only %d quote headers in %d files: the comparison is too weak", hits, files)
	}
	t.Logf("%d files, %d quote headers", files, hits)
}

// FuzzQuoteHeader checks quoteHeader against the reference on any text.
func FuzzQuoteHeader(f *testing.F) {
	for _, s := range []string{"On Mon, A <a@b> wrote:", "From: a\nSent: b", "ſent from my x", "-----Original Message-----", "Begin forwarded message:", "x <y@z> wrote:"} {
		f.Add(s)
	}
	f.Add("CONFIDENTIAL: intended recipient only\n\nTo unsubscribe, reply\n\nVIRUS")
	f.Add("This is confİdential for the İntended\nrecipient, not a vİrus\n\nDİSCLAIMER: ünsubscribe")
	f.Fuzz(func(t *testing.T, s string) {
		checkQuoteHeader(t, "fuzz", s)
		if got, want := dropDisclaimers(strings.Split(s, "\n")), refDropDisclaimers(strings.Split(s, "\n")); !slices.Equal(got, want) {
			t.Fatalf("dropDisclaimers(%q) = %q, want %q", s, got, want)
		}
		if got, want := Body(s), refBody(s); got != want {
			t.Fatalf("Body(%q) = %q, want %q", s, got, want)
		}
	})
}

// refBody is Body with refQuoteHeader.
func refBody(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var kept []string
cut:
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, ">"):
			continue
		case line == "-- " || trim == "--" || trim == "__" || strings.HasPrefix(trim, "________________"):
			break cut
		case refQuoteHeader(trim, lines, i):
			if strings.TrimSpace(strings.Join(kept, "")) == "" && i+1 < len(lines) && isQuotedBelow(lines[i+1:]) {
				if !strings.HasSuffix(trim, ":") {
					i++
				}
				continue
			}
			break cut
		}
		kept = append(kept, line)
	}
	kept = dropClosing(kept)
	kept = dropGreeting(kept)
	return strings.TrimSpace(strings.Join(refDropDisclaimers(kept), "\n"))
}

// refDropDisclaimers is dropDisclaimers as it was at ec59e8f, one search
// per phrase.
func refDropDisclaimers(lines []string) []string {
	var out, para []string
	flush := func() {
		text := strings.ToLower(strings.Join(para, " "))
		hits := 0
		for _, w := range disclaimerWords {
			if strings.Contains(text, w) {
				hits++
			}
		}
		if hits < 2 && !(hits == 1 && strings.Contains(text, "unsubscribe")) {
			out = append(out, para...)
		}
		out = append(out, "")
		para = para[:0]
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(para) > 0 {
				flush()
			}
			continue
		}
		para = append(para, l)
	}
	if len(para) > 0 {
		flush()
	}
	return out
}

package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/testserver/dovecot"
)

// pam reply --draft and pam invite put their draft into the Drafts folder
// of the account the message came from, at the next fetch; nothing is sent.
func TestDraftsReachTheServer(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	msg := "From: Dana Lee <dana@example.org>\r\nTo: pam@example.org\r\nSubject: the Q3 report\r\nMessage-ID: <ask1@example.org>\r\n" +
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\n\r\nHi,\r\n\r\nCould you send me the Q3 report by Friday?\r\n\r\nThanks,\r\nDana\r\n"
	if _, err := s.Deliver("INBOX", []byte(msg)); err != nil {
		t.Fatal(err)
	}
	home := fetchedHome(t, s)
	out, _, _ := run(t, home, "", "search", "--json", "subject:report")
	var hit struct{ ID string }
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &hit); err != nil || hit.ID == "" {
		t.Fatalf("search = %q: %v", out, err)
	}
	out, errs, code := run(t, home, "", "reply", hit.ID, "--draft", "1")
	if code != 0 || !strings.Contains(out, "queued for the Drafts folder of account work") {
		t.Fatalf("reply --draft: exit %d: %q %q", code, out, errs)
	}
	draftPath := strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	local, err := os.ReadFile(draftPath)
	if err != nil {
		t.Fatal(err)
	}
	if r := statusOf(t, home); len(r.Accounts) != 1 || r.Accounts[0].Drafts != 1 {
		t.Errorf("pam status accounts = %+v, want work with 1 queued draft", r.Accounts)
	}
	if _, errs, code := run(t, home, "", "fetch", "--no-ai"); code != 0 {
		t.Fatalf("fetch: exit %d: %s", code, errs)
	}
	if r := statusOf(t, home); len(r.Accounts) != 1 || r.Accounts[0].Drafts != 0 {
		t.Errorf("pam status after the fetch: accounts = %+v, want no draft left", r.Accounts)
	}
	got, err := s.Doveadm("fetch", "-u", s.User, "text", "mailbox", "Drafts", "header", "in-reply-to", "<ask1@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	body := string(local[strings.Index(string(local), "\r\n\r\n")+4:])
	firstLine := strings.SplitN(body, "\r\n", 2)[0]
	if !strings.Contains(got, "In-Reply-To: <ask1@example.org>") || firstLine == "" || !strings.Contains(got, firstLine) {
		t.Errorf("server Drafts folder holds %q; want the draft written locally (first line %q)", got, firstLine)
	}
	inbox, _ := s.Doveadm("search", "-u", s.User, "mailbox", "INBOX", "header", "in-reply-to", "<ask1@example.org>")
	if strings.TrimSpace(inbox) != "" {
		t.Error("the draft landed in INBOX")
	}
}

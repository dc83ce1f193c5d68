package imap

import (
	"context"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/testserver/dovecot"
)

func draftMsg(id string) []byte {
	return []byte("From: PAM User <pam@example.org>\r\nTo: Sender 1 <sender1@example.org>\r\nSubject: Re: test message 1\r\n" +
		"Message-ID: <" + id + ">\r\nIn-Reply-To: <m1@example.org>\r\nX-PAM-Draft: reply\r\n\r\nThanks, will do.\r\n")
}

// A queued draft is uploaded to the Drafts folder (made when the server
// has none) flagged \Draft \Seen, leaves the queue, and comes back with
// the next sync as a message labelled Drafts.
func TestDraftUpload(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{})
	deliver(t, s, "INBOX", 0, 2, "")
	st := openStore(t)
	ctx := context.Background()
	if _, err := st.DB().Exec("INSERT INTO accounts (name, kind, settings, created_at) VALUES ('test', 'imap', '{}', 0)"); err != nil {
		t.Fatal(err)
	}
	sy := NewSyncer(st, cfgFor(s), Options{})
	mustSync(t, sy)
	if err := QueueDraft(ctx, st.DB(), "test", draftMsg("d1@pam.draft")); err != nil {
		t.Fatal(err)
	}
	if err := QueueDraft(ctx, st.DB(), "nobody", draftMsg("d2@pam.draft")); err == nil {
		t.Error("QueueDraft for an unknown account succeeded")
	}
	sum := mustSync(t, sy)
	if sum.Drafts != 1 {
		t.Fatalf("Sync with a queued draft: %+v, want 1 draft uploaded", sum)
	}
	if !folderHas(t, s, "Drafts", "d1@pam.draft") {
		t.Fatal("the draft is not in the server's Drafts folder")
	}
	if got := serverFlags(t, s, "Drafts", "d1@pam.draft"); !strings.Contains(got, `\Draft`) || !strings.Contains(got, `\Seen`) {
		t.Errorf("server flags of the draft = %q, want \\Draft and \\Seen", got)
	}
	if n := count(t, st, "SELECT count(*) FROM imap_drafts"); n != 0 {
		t.Errorf("%d drafts left in the queue", n)
	}
	mustSync(t, sy)
	if !hasLabel(t, st, "d1@pam.draft", "Drafts") || !msgFlags(t, st, "d1@pam.draft").Has(pam.FlagDraft) {
		t.Errorf("the uploaded draft is not in PAM as a Drafts message with the Draft flag")
	}
	if sum := mustSync(t, sy); sum.Drafts != 0 {
		t.Errorf("a later sync uploaded %d drafts again", sum.Drafts)
	}
}

// A server whose drafts folder has another name, marked \Drafts, gets the
// draft there.
func TestDraftUploadSpecialUse(t *testing.T) {
	s := dovecot.Start(t, dovecot.Options{SpecialUse: map[string]string{"Entwürfe": `\Drafts`}})
	st := openStore(t)
	if _, err := st.DB().Exec("INSERT INTO accounts (name, kind, settings, created_at) VALUES ('test', 'imap', '{}', 0)"); err != nil {
		t.Fatal(err)
	}
	if err := QueueDraft(context.Background(), st.DB(), "test", draftMsg("d3@pam.draft")); err != nil {
		t.Fatal(err)
	}
	sy := NewSyncer(st, cfgFor(s), Options{})
	if sum := mustSync(t, sy); sum.Drafts != 1 {
		t.Fatalf("Sync: %+v, want 1 draft", sum)
	}
	if !folderHas(t, s, "Entwürfe", "d3@pam.draft") {
		t.Error("the draft is not in the \\Drafts folder Entwürfe")
	}
	if folderHas(t, s, "INBOX", "d3@pam.draft") {
		t.Error("the draft landed in INBOX")
	}
}

// Package demo holds PAM's built-in demo data: the mailbox and calendar of an
// invented user, Alex Morgan, written by the project.
//
// Everything is generated deterministically relative to a reference time
// now, so that "by Friday" in a message received two days ago still means
// something on whatever day the demo runs. Each message carries its ground
// truth (Kind, NeedsReply), which makes the mailbox a labelled sample for the
// classifiers as well as demo material.
//
// All people, companies and addresses are invented; domains are the reserved
// example.org, example.com and example.net (and their subdomains).
package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The demo user.
const (
	UserName  = "Alex Morgan"
	UserEmail = "alex@example.org"
)

// UserZone is the IANA time zone the demo user lives in.
const UserZone = "Europe/Berlin"

// Kinds of message, as the classifier of issue 4 names them.
const (
	KindPerson       = "person"
	KindForum        = "forum"
	KindNewsletter   = "newsletter"
	KindPromotion    = "promotion"
	KindNotification = "notification"
	KindSocial       = "social"
	KindSpam         = "spam"
)

// Message is one demo message with its ground truth.
type Message struct {
	Folder     string // Maildir folder: "INBOX", "Sent", "Archive", "Lists/golang-nuts", "Receipts"...
	Flags      string // Maildir info flags in ASCII order, e.g. "S", "RS", "" (unread), "FS"
	Raw        []byte // the full RFC 5322 message, CRLF or LF line endings
	Kind       string // ground truth: person|forum|newsletter|promotion|notification|social|spam
	NeedsReply bool   // ground truth: the user is expected to answer or act
	Malformed  string // "" or what is deliberately wrong with it

	// Key is the message's stable name inside the demo data set; it does
	// not depend on now and names the Maildir file.
	Key string
}

// Messages returns the demo mailbox, oldest first. The result depends only
// on now: two calls with the same instant return equal messages. Dates lie
// within the 30 days before now, denser towards now.
func Messages(now time.Time) []Message {
	return newBuilder(now).build(allSpecs())
}

// allSpecs lists every message of the demo mailbox.
func allSpecs() []*spec {
	var all []*spec
	for _, group := range [][]*spec{
		personSpecs(), meetingSpecs(), sentSpecs(),
		newsletterSpecs(), promotionSpecs(), forumSpecs(),
		notificationSpecs(), socialSpecs(), spamSpecs(), malformedSpecs(),
	} {
		all = append(all, group...)
	}
	return all
}

// WriteMaildir writes the demo mailbox as a Maildir++ tree rooted at dir:
// INBOX in dir/{cur,new,tmp}, folder "A/B" in dir/.A.B/{cur,new,tmp}.
// Unread INBOX messages go to new/ without an info suffix; every other
// message goes to cur/ with ":2,FLAGS". File names are unique and depend
// only on the message and now. Directories are created with mode 0700.
func WriteMaildir(dir string, now time.Time) error {
	msgs := Messages(now)
	made := map[string]bool{}
	for _, m := range msgs {
		folder := maildirFolder(dir, m.Folder)
		if !made[folder] {
			for _, sub := range []string{"cur", "new", "tmp"} {
				if err := os.MkdirAll(filepath.Join(folder, sub), 0o700); err != nil {
					return fmt.Errorf("demo: create maildir: %w", err)
				}
			}
			if folder != dir {
				// Maildir++ marks subfolders with an empty maildirfolder file.
				if err := os.WriteFile(filepath.Join(folder, "maildirfolder"), nil, 0o600); err != nil {
					return fmt.Errorf("demo: create maildir: %w", err)
				}
			}
			made[folder] = true
		}
		date := messageTime(m.Raw)
		if date.IsZero() { // a malformed Date: name it by delivery time
			date = now
		}
		base := fmt.Sprintf("%d.M%sP0Q1.pam-demo", date.Unix(), shortHash(m.Key, 10))
		sub, name := "cur", base+":2,"+m.Flags
		if m.Folder == "INBOX" && !strings.Contains(m.Flags, "S") {
			sub, name = "new", base
		}
		tmp := filepath.Join(folder, "tmp", base)
		if err := os.WriteFile(tmp, m.Raw, 0o600); err != nil {
			return fmt.Errorf("demo: write message: %w", err)
		}
		if err := os.Rename(tmp, filepath.Join(folder, sub, name)); err != nil {
			return fmt.Errorf("demo: deliver message: %w", err)
		}
	}
	return nil
}

// maildirFolder maps a folder name to its Maildir++ directory.
func maildirFolder(root, folder string) string {
	if folder == "" || strings.EqualFold(folder, "INBOX") {
		return root
	}
	return filepath.Join(root, "."+strings.ReplaceAll(folder, "/", "."))
}

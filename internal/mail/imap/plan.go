package imap

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// capGmail is Gmail's extension capability (X-GM-LABELS, X-GM-MSGID).
const capGmail imap.Cap = "X-GM-EXT-1"

// plan says which folders a sync downloads and where moves go.
type plan struct {
	// Bodies are the folders whose messages are downloaded.
	Bodies []folderInfo
	// Gmail is set when the server is Gmail (X-GM-EXT-1) with an All Mail
	// folder: every message is downloaded once, from All Mail (plus Spam
	// and Trash, which All Mail leaves out), and the other folders are
	// Gmail labels, applied to the messages by Message-ID.
	Gmail  bool
	Labels []folderInfo
	// Archive and Trash are the folders for archive and delete, Drafts
	// the one PAM's drafts are uploaded to ("" when the server has none).
	Archive, Trash, Drafts string
}

// planFolders decides what to sync from the capabilities and folder list.
func planFolders(caps imap.CapSet, folders []folderInfo) plan {
	var p plan
	var all string
	for _, f := range folders {
		switch {
		case f.has(imap.MailboxAttrAll):
			all = f.Name
		case f.has(imap.MailboxAttrArchive) && p.Archive == "":
			p.Archive = f.Name
		case f.has(imap.MailboxAttrTrash) && p.Trash == "":
			p.Trash = f.Name
		case f.has(imap.MailboxAttrDrafts) && p.Drafts == "":
			p.Drafts = f.Name
		}
	}
	if p.Drafts == "" {
		p.Drafts = byName(folders, "Drafts", "Draft", "[Gmail]/Drafts")
	}
	if p.Archive == "" {
		p.Archive = byName(folders, "Archive", "Archives")
	}
	if p.Trash == "" {
		p.Trash = byName(folders, "Trash", "Deleted Items", "Deleted Messages")
	}
	if caps.Has(capGmail) && all != "" {
		p.Gmail = true
		// Gmail archives by removing the Inbox label: the message stays
		// in All Mail.
		p.Archive = all
		for _, f := range folders {
			switch {
			case f.Name == all, f.has(imap.MailboxAttrJunk), f.has(imap.MailboxAttrTrash):
				p.Bodies = append(p.Bodies, f)
			default:
				p.Labels = append(p.Labels, f)
			}
		}
		return p
	}
	p.Bodies = folders
	return p
}

func byName(folders []folderInfo, names ...string) string {
	for _, n := range names {
		for _, f := range folders {
			if strings.EqualFold(f.Name, n) {
				return f.Name
			}
		}
	}
	return ""
}

// gmailLabels applies Gmail's labels: each label folder's messages are
// matched by Message-ID to the messages downloaded from All Mail, without
// downloading their bodies again.
func (s *Syncer) gmailLabels(ctx context.Context, ss *session, p plan, sum *Summary) error {
	db := s.st.DB()
	for _, f := range p.Labels {
		if _, err := ss.c.Select(f.Name, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			sum.Errors = append(sum.Errors, "label "+f.Name+": "+err.Error())
			continue
		}
		section := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-Id"}}
		cmd := ss.c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}})
		var ids []string
		for {
			m := cmd.Next()
			if m == nil {
				break
			}
			buf, err := collect(m)
			if err != nil {
				// See collect: the connection, not the command, is closed.
				ss.c.Close()
				return fmt.Errorf("label %s: %w", f.Name, err)
			}
			if id := headerMessageID(buf.Body); id != "" {
				ids = append(ids, id)
			}
		}
		if err := cmd.Close(); err != nil {
			if mb := ss.c.Mailbox(); mb != nil && mb.NumMessages == 0 {
				continue // FETCH 1:* on an empty folder
			}
			sum.Errors = append(sum.Errors, "label "+f.Name+": "+err.Error())
			continue
		}
		if err := setLabel(ctx, db, f.Name, ids); err != nil {
			return err
		}
	}
	return nil
}

// headerMessageID extracts the Message-ID from a "Message-ID: <x>" header
// block, without angle brackets.
func headerMessageID(h []byte) string {
	for _, line := range strings.Split(string(h), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "message-id") {
			continue
		}
		v = strings.TrimSpace(v)
		v = strings.TrimPrefix(v, "<")
		if i := strings.IndexByte(v, '>'); i >= 0 {
			v = v[:i]
		}
		return strings.TrimSpace(v)
	}
	return ""
}

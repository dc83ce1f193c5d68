package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/search"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "search", Summary: "search mail (from: to: subject: label: is: has: date: AND OR NOT)", Run: runSearch})
	register(&command{Name: "show", Summary: "print a message", Run: runShow})
	register(&command{Name: "thread", Summary: "print a whole thread", Run: runThread})
	register(&command{Name: "inbox", Summary: "list the latest threads", Run: runInbox})
}

func runSearch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "search", "[--json] [--limit N] QUERY")
	asJSON := fs.Bool("json", false, "print JSON Lines")
	limit := fs.Int("limit", 50, "at most this many results")
	offset := fs.Int("offset", 0, "skip this many results")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	q, err := search.Parse(strings.Join(rest, " "))
	if err != nil {
		return usageError{err.Error()}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Search(ctx, q, *limit, *offset)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, r := range res {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range res {
		printSummaryLine(env.Stdout, r)
	}
	if len(res) == 0 {
		fmt.Fprintln(env.Stderr, "no messages match")
	}
	return nil
}

func printSummaryLine(w io.Writer, r store.Summary) {
	mark := " "
	if r.Unread {
		mark = "*"
	}
	if r.Flagged {
		mark = "!"
	}
	from := r.FromName
	if from == "" {
		from = r.FromEmail
	}
	fmt.Fprintf(w, "%s %s  %s  %-22s  %s\n", mark, r.ID, fmtDate(r.Date), clipRunes(from, 22), clipRunes(r.Subject, 70))
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "????-??-?? ??:??"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// shownMessage is pam show --json.
type shownMessage struct {
	store.Summary
	To          []pam.Address    `json:"to_list"`
	Cc          []pam.Address    `json:"cc_list"`
	Text        string           `json:"text"`
	Attachments []pam.Attachment `json:"attachments"`
	MessageID   string           `json:"message_id"`
}

func runShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "show", "[--json] [--raw] ID")
	asJSON := fs.Bool("json", false, "print JSON")
	raw := fs.Bool("raw", false, "print the message as received")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	st, row, err := openMessage(ctx, env, "show", rest)
	if err != nil {
		return err
	}
	defer st.Close()
	data, err := st.Raw(ctx, row)
	if err != nil {
		return err
	}
	if *raw {
		_, err := env.Stdout.Write(data)
		return err
	}
	sum, err := st.SummaryByRow(ctx, row)
	if err != nil {
		return err
	}
	m, err := mail.Parse(data)
	if err != nil {
		return fmt.Errorf("message %s: %w", sum.ID, err)
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(shownMessage{Summary: sum, To: m.To, Cc: m.Cc, Text: m.Text, Attachments: m.Attachments, MessageID: m.MessageID})
	}
	printMessage(env.Stdout, sum, m)
	return nil
}

func printMessage(w io.Writer, sum store.Summary, m *pam.Message) {
	addrs := func(l []pam.Address) string {
		s := make([]string, len(l))
		for i, a := range l {
			s[i] = mail.FormatAddress(a)
		}
		return strings.Join(s, ", ")
	}
	fmt.Fprintf(w, "ID:      %s\n", sum.ID)
	fmt.Fprintf(w, "From:    %s\n", addrs(m.From))
	if len(m.To) > 0 {
		fmt.Fprintf(w, "To:      %s\n", addrs(m.To))
	}
	if len(m.Cc) > 0 {
		fmt.Fprintf(w, "Cc:      %s\n", addrs(m.Cc))
	}
	fmt.Fprintf(w, "Date:    %s\n", fmtDate(sum.Date))
	fmt.Fprintf(w, "Subject: %s\n", m.Subject)
	if len(sum.Labels) > 0 {
		fmt.Fprintf(w, "Labels:  %s\n", strings.Join(sum.Labels, ", "))
	}
	if sum.Problems != "" {
		fmt.Fprintf(w, "Problems: %s\n", sum.Problems)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, m.Text)
	if len(m.Attachments) > 0 {
		fmt.Fprintln(w, "\nAttachments:")
		for _, a := range m.Attachments {
			name := a.Filename
			if name == "" {
				name = "(unnamed)"
			}
			fmt.Fprintf(w, "  %s  %s  %d bytes\n", name, a.ContentType, a.Size)
		}
	}
}

func runThread(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "thread", "[--json] ID")
	asJSON := fs.Bool("json", false, "print JSON Lines")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	st, row, err := openMessage(ctx, env, "thread", rest)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := st.SummaryByRow(ctx, row)
	if err != nil {
		return err
	}
	msgs, err := st.Thread(ctx, sum.Thread)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	for i, s := range msgs {
		if *asJSON {
			if err := enc.Encode(s); err != nil {
				return err
			}
			continue
		}
		data, err := st.Raw(ctx, s.Row)
		if err != nil {
			return err
		}
		m, err := mail.Parse(data)
		if err != nil {
			fmt.Fprintf(env.Stdout, "message %s: %v\n", s.ID, err)
			continue
		}
		if i > 0 {
			fmt.Fprintln(env.Stdout, strings.Repeat("─", 72))
		}
		printMessage(env.Stdout, s, m)
	}
	return nil
}

// notInbox are labels whose messages do not make a thread show in the inbox.
var notInbox = []string{"Sent", "Sent Items", "Sent Messages", "Drafts", "Trash", "Spam", "Junk", "Deleted Items"}

func runInbox(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "inbox", "[--json] [--limit N]")
	asJSON := fs.Bool("json", false, "print JSON Lines")
	limit := fs.Int("limit", 30, "at most this many threads")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Inbox(ctx, *limit, notInbox)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	for _, t := range list {
		if *asJSON {
			if err := enc.Encode(t); err != nil {
				return err
			}
			continue
		}
		n := ""
		if t.Count > 1 {
			n = fmt.Sprintf(" (%d)", t.Count)
		}
		s := t.Latest
		s.Subject += n
		s.Unread = t.Unread > 0
		printSummaryLine(env.Stdout, s)
	}
	return nil
}

package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/demo"
)

func init() {
	registerDemoStep(demoStep{Order: 50, Title: "Agenda", Run: demoAgenda})
}

// demoAgenda imports the demo calendar, links the invitations in the demo
// mail, shows the week's agenda, and answers one invitation.
func demoAgenda(ctx context.Context, d *demoRun) error {
	loc, err := calendar.LoadZone(demo.UserZone)
	if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "$ pam calendar import alex.ics")
	cal, err := calendar.Parse(bytes.NewReader(demo.Calendar(d.Now)))
	if err != nil {
		return err
	}
	res, err := storeCalendar(ctx, d.Store, cal, "Alex Morgan")
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "alex.ics: calendar %q: %d new, %d updated, %d unchanged, %d problem(s)\n", res.Calendar, res.New, res.Updated, res.Unchanged, len(res.Problems))
	if err := d.Store.LinkInvites(ctx, d.Import.New); err != nil {
		return err
	}
	invs, err := d.Store.Invites(ctx)
	if err != nil {
		return err
	}
	methods := map[string]int{}
	for _, iv := range invs {
		methods[iv.Method]++
	}
	fmt.Fprintf(d.Out, "invitations found in the mail: %d (REQUEST %d, CANCEL %d, REPLY %d)\n", len(invs), methods["REQUEST"], methods["CANCEL"], methods["REPLY"])

	now := d.Now.In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 7)
	fmt.Fprintf(d.Out, "\n$ pam agenda --tz %s        (today and the next 7 days)\n", demo.UserZone)
	items, _, err := collectAgenda(ctx, d.Store, from, to, loc, true)
	if err != nil {
		return err
	}
	printAgenda(d.Out, items, from, to, loc)

	for _, it := range items {
		if it.Invitation == "" {
			continue
		}
		fmt.Fprintf(d.Out, "\n$ pam invite %s accept\n", shortID(it.Invitation))
		ans, err := answerInvite(ctx, d.Env, d.Store, shortID(it.Invitation), "ACCEPTED", "", d.Now)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "accepted %q: iTIP REPLY to %s written to outbox/%s (not sent)\n", ans.Summary, ans.To, filepath.Base(ans.Path))
		fmt.Fprintf(d.Out, "calendar %q now holds the event with your status ACCEPTED\n", ans.Calendar)
		break
	}
	return nil
}

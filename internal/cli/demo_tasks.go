package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/extract"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/tasks"
)

func init() {
	registerDemoStep(demoStep{Order: 60, Title: "Tasks from mail", Run: demoTasks})
	registerDemoStep(demoStep{Order: 70, Title: "Quick replies", Run: demoReplies})
}

func demoUserContext() (userContext, error) {
	loc, err := calendar.LoadZone(demo.UserZone)
	if err != nil {
		return userContext{}, err
	}
	return userContext{addr: extract.Address{Name: demo.UserName, Email: demo.UserEmail}, loc: loc}, nil
}

// demoTasks extracts tasks from the demo mailbox and lists them.
func demoTasks(ctx context.Context, d *demoRun) error {
	u, err := demoUserContext()
	if err != nil {
		return err
	}
	sc, err := newActionModel(d.Env)
	if err != nil {
		return err
	}
	defer sc.Close()
	rep, err := syncTasks(ctx, d.Store, sc, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "%d threads read: %d tasks found, %d already completed by a later message\n", rep.Threads, rep.Added, rep.Completed)
	id, err := tasks.Add(ctx, d.Store, "call the bike shop tomorrow 3pm", d.Now, u.loc)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "\n$ pam task add \"call the bike shop tomorrow 3pm\"\n%d\n", id.ID)
	fmt.Fprintf(d.Out, "\n$ pam tasks --tz %s\n", demo.UserZone)
	list, err := tasks.List(ctx, d.Store, tasks.Query{}, d.Now, u.loc)
	if err != nil {
		return err
	}
	printTasks(d.Out, list, d.Now, u.loc)
	// Show one thread's story: asked, promised, moved.
	for _, t := range list {
		if strings.HasPrefix(t.Title, "Send the Q3 numbers") {
			links, err := d.Store.TaskMessages(ctx, t.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(d.Out, "\ntask %d \"%s\": asked and promised in %d messages, due date moved by %d (\"%s\")\n", t.ID, t.Title, len(links["source"]), len(links["moved"]), t.DueText)
		}
	}
	return nil
}

// demoReplies shows quick replies for a few messages of the demo.
func demoReplies(ctx context.Context, d *demoRun) error {
	u, err := demoUserContext()
	if err != nil {
		return err
	}
	sc, err := newActionModel(d.Env)
	if err != nil {
		return err
	}
	defer sc.Close()
	rc, err := newReplyContext(ctx, d.Store, sc, u, d.Now)
	if err != nil {
		return err
	}
	want := []string{"30 min on the retention job?", "Swap on-call weeks?", "Favour? Plants", "Re: Notes from the Paris workshop"}
	shown := 0
	for _, subj := range want {
		row, id, ok, err := findBySubject(ctx, d.Store, subj)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		sug, pm, _, err := rc.suggestFor(ctx, d.Store, row, false)
		if err != nil || len(sug) == 0 {
			continue
		}
		from := ""
		if len(pm.From) > 0 {
			from = pm.From[0].Name
		}
		fmt.Fprintf(d.Out, "\n$ pam reply %s        (%s: %q)\n", shortID(id), from, pm.Subject)
		for i, s := range sug {
			fmt.Fprintf(d.Out, "%d. %s\n", i+1, s.Text)
		}
		shown++
		if shown == 1 {
			path, err := writeDraft(d.Env.Home, pm, u.addr, sug[0].Text, d.Now)
			if err != nil {
				return err
			}
			fmt.Fprintf(d.Out, "$ pam reply %s --draft 1\n%s\n", shortID(id), path)
		}
	}
	return nil
}

// findBySubject returns the newest message whose subject starts with s.
func findBySubject(ctx context.Context, st *store.Store, s string) (int64, string, bool, error) {
	var row int64
	var id string
	err := st.DB().QueryRowContext(ctx, "SELECT id, pid FROM messages WHERE subject LIKE ? ORDER BY date DESC LIMIT 1", s+"%").Scan(&row, &id)
	if err != nil {
		if strings.Contains(err.Error(), "no rows") {
			return 0, "", false, nil
		}
		return 0, "", false, err
	}
	return row, id, true, nil
}

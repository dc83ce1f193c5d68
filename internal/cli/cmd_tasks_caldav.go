package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pam-ai/pam/internal/calendar/caldav"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
	"github.com/pam-ai/pam/internal/tasks"
)

// The task list: one CalDAV calendar whose VTODOs are PAM's tasks, kept in
// step both ways (Thunderbird, Tasks.org, todoman and other clients see
// and change the same tasks). "pam tasks link CALENDAR" chooses it;
// "pam tasks sync" runs the bridge and the CalDAV sync of that calendar.

// taskListFile holds the link in the data directory.
const taskListFile = "tasklist.json"

// taskListLink names the calendar by account and collection URL, which
// survive the calendar's row being made anew.
type taskListLink struct {
	Account string `json:"account"`
	Href    string `json:"href"`
	Name    string `json:"name"`
}

func readTaskList(home string) (taskListLink, bool, error) {
	var l taskListLink
	b, err := os.ReadFile(filepath.Join(home, taskListFile))
	if errors.Is(err, os.ErrNotExist) {
		return l, false, nil
	}
	if err != nil {
		return l, false, err
	}
	if err := json.Unmarshal(b, &l); err != nil || l.Href == "" {
		return l, false, fmt.Errorf("%s: not a task list link", taskListFile)
	}
	return l, true, nil
}

// findCalendar returns the CalDAV calendar a user named: its display name,
// or ACCOUNT/NAME when several accounts have one by that name.
func findCalendar(ctx context.Context, st *store.Store, name string) (store.Calendar, error) {
	cals, err := st.Calendars(ctx)
	if err != nil {
		return store.Calendar{}, err
	}
	var match []store.Calendar
	for _, c := range cals {
		if c.Local() {
			continue
		}
		if strings.EqualFold(c.Name, name) || strings.EqualFold(c.AccountName+"/"+c.Name, name) || c.Href == name {
			match = append(match, c)
		}
	}
	switch len(match) {
	case 0:
		return store.Calendar{}, fmt.Errorf("no CalDAV calendar %q (pam calendar list; pam calendar sync discovers them): %w", name, pam.ErrNotFound)
	case 1:
		return match[0], nil
	}
	return store.Calendar{}, usageError{fmt.Sprintf("tasks link: %d calendars are called %q: give ACCOUNT/NAME", len(match), name)}
}

// linkedCalendar returns the task list's calendar.
func linkedCalendar(ctx context.Context, env *Env, st *store.Store) (store.Calendar, error) {
	l, ok, err := readTaskList(env.Home)
	if err != nil {
		return store.Calendar{}, err
	}
	if !ok {
		return store.Calendar{}, fmt.Errorf("no task list (pam tasks link CALENDAR): %w", pam.ErrNotFound)
	}
	cals, err := st.Calendars(ctx)
	if err != nil {
		return store.Calendar{}, err
	}
	for _, c := range cals {
		if !c.Local() && c.AccountName == l.Account && c.Href == l.Href {
			return c, nil
		}
	}
	return store.Calendar{}, fmt.Errorf("task list %s/%s is no longer among the calendars: %w", l.Account, l.Name, pam.ErrNotFound)
}

func runTasksLink(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "tasks link", "CALENDAR | --off")
	off := fs.Bool("off", false, "stop syncing tasks with a task list")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	path := filepath.Join(env.Home, taskListFile)
	if *off {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		fmt.Fprintln(env.Stdout, "tasks are no longer synced with a task list")
		return nil
	}
	if len(rest) != 1 {
		return usageError{"tasks link: give one calendar (pam calendar list shows them)"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := findCalendar(ctx, st, rest[0])
	if err != nil {
		return err
	}
	if c.Components != "" && !strings.Contains(strings.ToUpper(c.Components), "VTODO") {
		return usageError{fmt.Sprintf("tasks link: calendar %q does not hold tasks (it supports %s)", c.Name, c.Components)}
	}
	b, _ := json.Marshal(taskListLink{Account: c.AccountName, Href: c.Href, Name: c.Name})
	if err := writeFileAtomic(path, append(b, '\n'), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "tasks sync with %s / %s (pam tasks sync)\n", c.AccountName, c.Name)
	return nil
}

// taskListReport says what one task list sync did.
type taskListReport struct {
	Calendar string `json:"calendar"`
	// FromList counts tasks created or changed from the task list; ToList
	// VTODOs written for the upload; Conflicts fields changed on both
	// sides (the task list's value kept).
	FromList  int           `json:"from_list"`
	ToList    int           `json:"to_list"`
	Conflicts int           `json:"conflicts"`
	CalDAV    caldav.Report `json:"caldav"`
}

// syncTaskList brings the tasks and the linked CalDAV task list in step:
// the CalDAV sync pulls the server's changes first, the bridge merges them
// into the tasks and writes PAM's changes as objects, and a second CalDAV
// sync uploads those. Pulling before the bridge writes keeps the CalDAV
// layer from seeing both sides changed (it would keep a "Conflict:" copy);
// the bridge merges field by field instead.
func syncTaskList(ctx context.Context, env *Env, st *store.Store) (taskListReport, error) {
	cal, err := linkedCalendar(ctx, env, st)
	if err != nil {
		return taskListReport{}, err
	}
	rep := taskListReport{Calendar: cal.AccountName + " / " + cal.Name}
	accts, err := st.CalDAVAccounts(ctx)
	if err != nil {
		return rep, err
	}
	var acct store.CalDAVAccount
	for _, a := range accts {
		if a.ID == cal.Account {
			acct = a
		}
	}
	pw, err := calSecrets{secretsFor(env)}.Password(ctx, acct)
	if err != nil {
		return rep, err
	}
	var client *caldav.Client
	if env.Offline {
		client, err = offlineCalDAVClient(acct, pw)
	} else {
		client, err = caldav.NewClient(acct.URL, acct.Username, pw, nil)
	}
	if err != nil {
		return rep, err
	}
	s := &caldav.Syncer{Store: st, Client: client, Account: acct, Logger: discardLogger()}
	davSync := func() error {
		col, err := client.Collection(ctx, cal.Href)
		if err != nil {
			return err
		}
		if cal, err = findByID(ctx, st, cal.ID); err != nil { // the sync token moved
			return err
		}
		r, err := s.SyncCalendar(ctx, cal, col)
		rep.CalDAV.Mode = r.Mode
		rep.CalDAV.Pulled += r.Pulled
		rep.CalDAV.Pushed += r.Pushed
		rep.CalDAV.RemovedLocal += r.RemovedLocal
		rep.CalDAV.RemovedRemote += r.RemovedRemote
		rep.CalDAV.Conflicts += r.Conflicts
		rep.CalDAV.Skipped += r.Skipped
		return err
	}
	if err := davSync(); err != nil {
		return rep, err
	}
	r, err := tasks.SyncCalendar(ctx, st, cal.ID)
	if err != nil {
		return rep, err
	}
	rep.FromList, rep.ToList, rep.Conflicts = r.Pulled, r.Pushed, r.Conflicts
	if r.Pushed > 0 {
		if err := davSync(); err != nil {
			return rep, err
		}
	}
	rep.CalDAV.Calendar = cal.Name
	return rep, nil
}

func findByID(ctx context.Context, st *store.Store, id int64) (store.Calendar, error) {
	cals, err := st.Calendars(ctx)
	if err != nil {
		return store.Calendar{}, err
	}
	for _, c := range cals {
		if c.ID == id {
			return c, nil
		}
	}
	return store.Calendar{}, fmt.Errorf("calendar %d: %w", id, pam.ErrNotFound)
}

func runTasksSync(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "tasks sync", "[--json]")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := syncTaskList(ctx, env, st)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	fmt.Fprintf(env.Stdout, "tasks ↔ %s: %d taken from the list, %d written to it (server: pulled %d, pushed %d), %d conflicts\n",
		rep.Calendar, rep.FromList, rep.ToList, rep.CalDAV.Pulled, rep.CalDAV.Pushed, rep.Conflicts+rep.CalDAV.Conflicts)
	return nil
}

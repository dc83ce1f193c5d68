package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/pam-ai/pam/internal/account"
	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/calendar/caldav"
	"github.com/pam-ai/pam/internal/daemon"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "calendar", Summary: "calendars: add caldav, sync, import FILE.ics, list", Usage: calendarUsage, Run: runCalendar})
	register(&command{Name: "freebusy", Summary: "busy (or --free) intervals over all calendars", Run: runFreeBusy})
}

const calendarUsage = "add caldav --url URL --user U [--password-file F] [--name N] | sync [--json] | import [--name N] FILE.ics... | list [--json]"

func runCalendar(ctx context.Context, env *Env, args []string) error {
	use := calendarUsage
	if len(args) == 0 {
		return usageError{"calendar: " + use}
	}
	switch args[0] {
	case "add":
		if len(args) < 2 || args[1] != "caldav" {
			return usageError{"calendar add: only caldav is supported: pam calendar add caldav --url URL --user U"}
		}
		return runCalendarAddCalDAV(ctx, env, args[2:])
	case "sync":
		return runCalendarSync(ctx, env, args[1:])
	case "import":
		return runCalendarImport(ctx, env, args[1:])
	case "list":
		return runCalendarList(ctx, env, args[1:])
	}
	return usageError{fmt.Sprintf("calendar: unknown subcommand %q: %s", args[0], use)}
}

// ---- secrets ----

// calSecrets gives the poller CalDAV passwords from the account secret
// store (secretsFor: the OS keyring when supported, else the 0600 file in
// the data directory), under the key "caldav:NAME".
type calSecrets struct{ s account.Secrets }

var _ caldav.Passwords = calSecrets{}

func calSecretKey(name string) string { return "caldav:" + name }

func (c calSecrets) Password(ctx context.Context, a store.CalDAVAccount) (string, error) {
	pw, err := c.s.Get(calSecretKey(a.Name))
	if errors.Is(err, pam.ErrNotFound) {
		return "", fmt.Errorf("no password stored for caldav account %q (pam calendar add caldav again): %w", a.Name, pam.ErrNotFound)
	}
	return pw, err
}

func init() {
	registerServeServices(caldavServices)
}

// caldavService is the CalDAV poller as a pam serve service.
type caldavService struct{ *caldav.Poller }

func (caldavService) Name() string { return "caldav" }

// caldavServices gives pam serve one poller for all CalDAV accounts, when
// there are any.
func caldavServices(ctx context.Context, d serveDeps) ([]daemon.Service, error) {
	accts, err := d.Store.CalDAVAccounts(ctx)
	if err != nil || len(accts) == 0 {
		return nil, err
	}
	p := caldav.NewPoller(d.Store, calSecrets{secretsFor(d.Env)}, d.Poll, d.Logger)
	if d.Env.Offline {
		p.NewClient = offlineCalDAVClient
	}
	p.AfterSync = func(ctx context.Context) {
		if _, linked, err := readTaskList(d.Env.Home); err != nil || !linked {
			return
		}
		if _, err := syncTaskList(ctx, d.Env, d.Store); err != nil && d.Logger != nil {
			d.Logger.Warn("task list sync failed", "err", err)
		}
	}
	return []daemon.Service{caldavService{p}}, nil
}

func offlineCalDAVClient(a store.CalDAVAccount, pw string) (*caldav.Client, error) {
	u, err := url.Parse(a.URL)
	if err != nil || !caldav.IsLoopback(u) {
		return nil, fmt.Errorf("offline mode: %s is not on a loopback address: %w", a.Name, pam.ErrInvalid)
	}
	return caldav.NewClient(a.URL, a.Username, pw, nil)
}

// writeFileAtomic writes data to path through a temporary file, fsync and
// rename, then syncs the directory.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// readPassword takes the password from --password-file, else
// $PAM_CALDAV_PASSWORD, else stdin (without echo on a terminal).
func readPassword(env *Env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if pw := os.Getenv("PAM_CALDAV_PASSWORD"); pw != "" {
		return pw, nil
	}
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "CalDAV password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// ---- add caldav ----

func runCalendarAddCalDAV(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "calendar add caldav", "--url URL --user U [--password-file F] [--name N]")
	rawURL := fs.String("url", "", "CalDAV server, principal or calendar URL (https, or http to loopback)")
	user := fs.String("user", "", "user name")
	pwFile := fs.String("password-file", "", "file holding the password (else $PAM_CALDAV_PASSWORD, else stdin)")
	name := fs.String("name", "", "account name (default: the server's host)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rawURL == "" || *user == "" {
		return usageError{"calendar add caldav: --url and --user are required"}
	}
	u, err := url.Parse(*rawURL)
	if err != nil || u.Host == "" {
		return usageError{fmt.Sprintf("--url %q is not an absolute URL", *rawURL)}
	}
	if env.Offline && !caldav.IsLoopback(u) {
		return fmt.Errorf("offline mode: %s is not a loopback address: %w", u.Host, pam.ErrInvalid)
	}
	if *name == "" {
		*name = u.Hostname()
	}
	pw, err := readPassword(env, *pwFile)
	if err != nil {
		return err
	}
	c, err := caldav.NewClient(*rawURL, *user, pw, nil)
	if err != nil {
		return err
	}
	home, cols, err := c.Discover(ctx)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.AddCalDAVAccount(ctx, store.CalDAVAccount{Name: *name, URL: *rawURL, Username: *user, HomeSet: home})
	if err != nil {
		return err
	}
	sec := secretsFor(env)
	if err := sec.Set(calSecretKey(*name), pw); err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	for _, col := range cols {
		if _, err := st.EnsureRemoteCalendar(ctx, id, col.Href, col.Name, strings.Join(col.Components, ",")); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "added caldav account %q with %d calendar(s); the password is kept in %s\n", *name, len(cols), sec.Where())
	for _, col := range cols {
		fmt.Fprintf(env.Stdout, "  %s\n", col.Name)
	}
	fmt.Fprintln(env.Stdout, "run: pam calendar sync")
	return nil
}

// ---- sync ----

func runCalendarSync(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "calendar sync", "[--json]")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	accts, err := st.CalDAVAccounts(ctx)
	if err != nil {
		return err
	}
	if len(accts) == 0 {
		return fmt.Errorf("no caldav account (pam calendar add caldav --url URL --user U): %w", pam.ErrNotFound)
	}
	p := caldav.NewPoller(st, calSecrets{secretsFor(env)}, 0, discardLogger())
	if env.Offline {
		p.NewClient = offlineCalDAVClient
	}
	results := p.SyncAll(ctx)
	// The linked task list (pam tasks link) follows the calendars.
	var tasksRep *taskListReport
	if _, linked, err := readTaskList(env.Home); err == nil && linked {
		rep, err := syncTaskList(ctx, env, st)
		if err != nil {
			return fmt.Errorf("task list: %w", err)
		}
		tasksRep = &rep
	}
	failed := 0
	for _, r := range results {
		if r.Error != "" {
			failed++
		}
	}
	if *asJSON {
		if err := json.NewEncoder(env.Stdout).Encode(results); err != nil {
			return err
		}
	} else {
		if tasksRep != nil {
			fmt.Fprintf(env.Stdout, "tasks ↔ %s: %d taken from the list, %d written to it, %d conflicts\n",
				tasksRep.Calendar, tasksRep.FromList, tasksRep.ToList, tasksRep.Conflicts)
		}
		for _, a := range results {
			if a.Error != "" {
				fmt.Fprintf(env.Stdout, "%s: failed: %s\n", a.Account, a.Error)
			}
			for _, r := range a.Reports {
				fmt.Fprintf(env.Stdout, "%s / %s (%s): pulled %d, removed here %d, pushed %d, removed there %d, conflicts %d\n",
					a.Account, r.Calendar, r.Mode, r.Pulled, r.RemovedLocal, r.Pushed, r.RemovedRemote, r.Conflicts)
				if r.Skipped > 0 {
					fmt.Fprintf(env.Stdout, "  %d server object(s) could not be read and were left alone\n", r.Skipped)
				}
			}
		}
	}
	switch {
	case failed == len(results):
		return fmt.Errorf("calendar sync failed")
	case failed > 0:
		return partialError{fmt.Sprintf("%d of %d account(s) failed", failed, len(results))}
	}
	return nil
}

// ---- list ----

func runCalendarList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "calendar list", "[--json]")
	asJSON := fs.Bool("json", false, "one JSON object per calendar")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	cals, err := st.Calendars(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	for _, c := range cals {
		n, err := st.CountCalendar(ctx, c.ID)
		if err != nil {
			return err
		}
		kind := "local"
		if !c.Local() {
			kind = "caldav:" + c.AccountName
		}
		if *asJSON {
			enc.Encode(map[string]any{"name": c.Name, "kind": kind, "events": n.Events, "todos": n.Todos, "unsynced": n.Dirty})
			continue
		}
		fmt.Fprintf(env.Stdout, "%-30s %-20s %4d events %4d to-dos", clipRunes(c.Name, 30), clipRunes(kind, 20), n.Events, n.Todos)
		if n.Dirty > 0 {
			fmt.Fprintf(env.Stdout, "  (%d not yet synced)", n.Dirty)
		}
		fmt.Fprintln(env.Stdout)
	}
	return nil
}

// ---- import ----

func runCalendarImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "calendar import", "[--name N] FILE.ics...")
	name := fs.String("name", "", "local calendar to import into (default: the file's X-WR-CALNAME, else its name)")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError{"calendar import: give one or more .ics files"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	var firstErr error
	for _, p := range paths {
		_, err := importICS(ctx, env, st, p, *name)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// importCalendarFile imports an .ics file into a local calendar named by
// its X-WR-CALNAME, else by the file name. It prints a summary to
// env.Stdout and the problems found to env.Stderr, and returns how many
// events and to-dos were stored. Bad lines and components are skipped and
// reported; when whole components had to be skipped the error is a
// partialError (exit code 4) and the rest is imported anyway.
func importCalendarFile(ctx context.Context, env *Env, st *store.Store, path string) (int, error) {
	return importICS(ctx, env, st, path, "")
}

// icsImport counts what an import did.
type icsImport struct {
	Calendar  string
	New       int
	Updated   int
	Unchanged int
	Skipped   int
	Problems  []string
}

func importICS(ctx context.Context, env *Env, st *store.Store, path, calName string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cal, err := calendar.Parse(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if calName == "" {
		for _, p := range cal.Props {
			if p.Name == "X-WR-CALNAME" && strings.TrimSpace(p.Value) != "" {
				calName = calendar.UnescapeText(p.Value)
				break
			}
		}
	}
	if calName == "" {
		calName = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	res, err := storeCalendar(ctx, st, cal, calName)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	n := res.New + res.Updated + res.Unchanged
	fmt.Fprintf(env.Stdout, "%s: calendar %q: %d new, %d updated, %d unchanged", filepath.Base(path), res.Calendar, res.New, res.Updated, res.Unchanged)
	if res.Skipped > 0 {
		fmt.Fprintf(env.Stdout, ", %d skipped", res.Skipped)
	}
	fmt.Fprintln(env.Stdout)
	for i, p := range res.Problems {
		if i == 10 {
			fmt.Fprintf(env.Stderr, "  … and %d more problem(s)\n", len(res.Problems)-10)
			break
		}
		fmt.Fprintf(env.Stderr, "  %s: %s\n", filepath.Base(path), p)
	}
	if res.Skipped > 0 {
		return n, partialError{fmt.Sprintf("%s: %d component(s) could not be imported (see above); the other %d were", filepath.Base(path), res.Skipped, n)}
	}
	return n, nil
}

// storeCalendar splits cal into one object per UID (with the VTIMEZONEs
// each uses) and stores them in the local calendar calName.
func storeCalendar(ctx context.Context, st *store.Store, cal *calendar.Calendar, calName string) (icsImport, error) {
	res := icsImport{Calendar: calName}
	for _, p := range cal.Problems {
		res.Problems = append(res.Problems, p.String())
	}
	if cal.ProblemsDropped > 0 {
		res.Problems = append(res.Problems, fmt.Sprintf("%d more problem(s) not listed", cal.ProblemsDropped))
	}
	calID, err := st.LocalCalendar(ctx, calName)
	if err != nil {
		return res, err
	}
	type group struct {
		events []*calendar.Event
		todos  []*calendar.Todo
	}
	groups := map[string]*group{}
	var order []string
	get := func(uid string) *group {
		g, ok := groups[uid]
		if !ok {
			g = &group{}
			groups[uid] = g
			order = append(order, uid)
		}
		return g
	}
	for _, ev := range cal.Events {
		if ev.Start.IsZero() {
			res.Skipped++
			res.Problems = append(res.Problems, fmt.Sprintf("line %d: VEVENT %q without a usable DTSTART skipped", ev.Raw.Line, clipRunes(ev.Summary, 40)))
			continue
		}
		if ev.UID == "" {
			ev.UID = contentUID(ev.Raw)
		}
		g := get(ev.UID)
		g.events = append(g.events, ev)
	}
	for _, t := range cal.Todos {
		if t.UID == "" {
			t.UID = contentUID(t.Raw)
		}
		g := get(t.UID)
		g.todos = append(g.todos, t)
	}
	for _, o := range cal.Other {
		res.Problems = append(res.Problems, fmt.Sprintf("line %d: %s not imported (PAM keeps events and to-dos)", o.Line, o.Name))
	}
	var props []*calendar.Property
	for _, p := range cal.Props {
		if p.Name != "METHOD" {
			props = append(props, p)
		}
	}
	for _, uid := range order {
		g := groups[uid]
		one := &calendar.Calendar{Props: props, ProdID: cal.ProdID, Events: g.events, Todos: g.todos}
		used := map[string]bool{}
		for _, ev := range g.events {
			collectTZIDs(ev.Raw, used)
		}
		for _, t := range g.todos {
			collectTZIDs(t.Raw, used)
		}
		for _, tz := range cal.Timezones {
			if id := tz.Prop("TZID"); id != nil && used[id.Value] {
				one.Timezones = append(one.Timezones, tz)
			}
		}
		var b bytes.Buffer
		if err := one.Encode(&b); err != nil {
			res.Skipped++
			res.Problems = append(res.Problems, fmt.Sprintf("UID %s: %v", clipRunes(uid, 40), err))
			continue
		}
		old, err := st.CalObjectByUID(ctx, calID, uid)
		isNew := errors.Is(err, pam.ErrNotFound)
		if err != nil && !isNew {
			return res, err
		}
		if !isNew && !old.Deleted && bytes.Equal(old.Raw, b.Bytes()) {
			res.Unchanged++
			continue
		}
		if _, err := st.PutCalObject(ctx, store.CalObject{Calendar: calID, UID: uid, Raw: b.Bytes()}); err != nil {
			if ctx.Err() != nil {
				return res, err
			}
			res.Skipped++
			res.Problems = append(res.Problems, fmt.Sprintf("UID %s: %v", clipRunes(uid, 40), err))
			continue
		}
		if isNew {
			res.New++
		} else {
			res.Updated++
		}
	}
	return res, nil
}

func collectTZIDs(c *calendar.Component, used map[string]bool) {
	if c == nil {
		return
	}
	for _, p := range c.Props {
		if tz := p.Param("TZID"); tz != "" {
			used[tz] = true
		}
	}
	for _, ch := range c.Children {
		collectTZIDs(ch, used)
	}
}

// contentUID gives a component without UID a stable one, so that importing
// the same file again updates rather than duplicates.
func contentUID(c *calendar.Component) string {
	var b bytes.Buffer
	calendar.EncodeComponents(&b, c)
	sum := sha256.Sum256(b.Bytes())
	return "pam-" + hex.EncodeToString(sum[:12])
}

// ---- freebusy ----

func runFreeBusy(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "freebusy", "[--from D] [--to D] [--tz ZONE] [--free MINUTES] [--json]")
	var w windowFlags
	w.add(fs)
	asJSON := fs.Bool("json", false, "one JSON object per interval")
	free := fs.Int("free", 0, "print free slots of at least this many minutes in working hours (Mon-Fri 09:00-17:00) instead")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	from, to, loc, err := w.resolve(time.Now())
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	items, _, err := collectAgenda(ctx, st, from, to, loc, false)
	if err != nil {
		return err
	}
	busy := busyIntervals(items, from, to)
	out := busy
	kind := "busy"
	if *free > 0 {
		kind = "free"
		wh := calendar.WorkHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
			Start: 9 * time.Hour, End: 17 * time.Hour, Loc: loc}
		out = calendar.Free(busy, from, to, wh, time.Duration(*free)*time.Minute)
	}
	enc := json.NewEncoder(env.Stdout)
	for _, iv := range out {
		if *asJSON {
			enc.Encode(map[string]string{"type": kind, "start": iv.Start.In(loc).Format(time.RFC3339), "end": iv.End.In(loc).Format(time.RFC3339)})
			continue
		}
		s, e := iv.Start.In(loc), iv.End.In(loc)
		end := e.Format("15:04")
		if !sameDay(s, e) {
			end = e.Format("Mon 2 Jan 15:04")
		}
		fmt.Fprintf(env.Stdout, "%s  %s – %s\n", kind, s.Format("Mon 2 Jan 15:04"), end)
	}
	if !*asJSON && len(out) == 0 {
		fmt.Fprintf(env.Stdout, "no %s time between %s and %s\n", kind, from.In(loc).Format("Mon 2 Jan 15:04"), to.In(loc).Format("Mon 2 Jan 15:04"))
	}
	return nil
}

// busyIntervals merges the occurrences that make one busy: not
// transparent, not cancelled, not an unanswered invitation.
func busyIntervals(items []agendaItem, from, to time.Time) []calendar.Interval {
	var iv []calendar.Interval
	for _, it := range items {
		if it.Transp == "TRANSPARENT" || it.Status == "CANCELLED" || it.CancelledBy != "" || it.Invitation != "" {
			continue
		}
		s, e := it.Start, it.End
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		if e.After(s) {
			iv = append(iv, calendar.Interval{Start: s, End: e})
		}
	}
	slices.SortFunc(iv, func(a, b calendar.Interval) int { return a.Start.Compare(b.Start) })
	var out []calendar.Interval
	for _, x := range iv {
		if n := len(out); n > 0 && !x.Start.After(out[n-1].End) {
			if x.End.After(out[n-1].End) {
				out[n-1].End = x.End
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

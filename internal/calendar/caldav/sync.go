package caldav

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

// Report says what one calendar's sync did.
type Report struct {
	Calendar string `json:"calendar"`
	// Mode is "sync-collection" or "etags" (full listing compared by ETag).
	Mode          string `json:"mode"`
	Pulled        int    `json:"pulled"`         // new or changed objects taken from the server
	RemovedLocal  int    `json:"removed_local"`  // objects deleted locally because the server deleted them
	Pushed        int    `json:"pushed"`         // local creations and changes written to the server
	RemovedRemote int    `json:"removed_remote"` // local deletions applied on the server
	Conflicts     int    `json:"conflicts"`      // both sides changed: conflict copies made
	Skipped       int    `json:"skipped"`        // server objects PAM could not read (no UID, not iCalendar)
}

// Syncer synchronises the calendars of one CalDAV account with the store.
type Syncer struct {
	Store   *store.Store
	Client  *Client
	Account store.CalDAVAccount
	Logger  *slog.Logger // nil: slog.Default()
}

func (s *Syncer) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Sync discovers the account's calendars (recording new ones) and
// synchronises each. It stops at the first calendar that fails; the
// reports of the ones before are returned with the error.
func (s *Syncer) Sync(ctx context.Context) ([]Report, error) {
	home, cols, err := s.Client.Discover(ctx)
	if err != nil {
		return nil, err
	}
	if home != "" && home != s.Account.HomeSet {
		if err := s.Store.SetCalDAVHomeSet(ctx, s.Account.ID, home); err != nil {
			return nil, err
		}
	}
	var reports []Report
	for _, col := range cols {
		id, err := s.Store.EnsureRemoteCalendar(ctx, s.Account.ID, col.Href, col.Name, strings.Join(col.Components, ","))
		if err != nil {
			return reports, err
		}
		cal, err := s.calendar(ctx, id)
		if err != nil {
			return reports, err
		}
		r, err := s.SyncCalendar(ctx, cal, col)
		reports = append(reports, r)
		if err != nil {
			return reports, fmt.Errorf("sync calendar %q: %w", col.Name, err)
		}
	}
	return reports, nil
}

func (s *Syncer) calendar(ctx context.Context, id int64) (store.Calendar, error) {
	cals, err := s.Store.Calendars(ctx)
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

// SyncCalendar brings one stored calendar and its collection in step:
// pull the server's changes (resolving conflicts), push the local ones,
// then record the sync token. col comes from Discover or Collection.
func (s *Syncer) SyncCalendar(ctx context.Context, cal store.Calendar, col Collection) (Report, error) {
	r := Report{Calendar: cal.Name}
	if cal.Local() {
		return r, fmt.Errorf("calendar %q is local: %w", cal.Name, pam.ErrInvalid)
	}
	token, err := s.pull(ctx, cal, col, &r)
	if err != nil {
		return r, err
	}
	// Conflict copies made while pushing are pushed by the next pass.
	for pass := 0; pass < 3; pass++ {
		n, err := s.push(ctx, cal, col, &r)
		if err != nil {
			return r, err
		}
		if n == 0 {
			break
		}
	}
	if err := s.Store.SetCalendarSync(ctx, cal.ID, token, col.CTag); err != nil {
		return r, err
	}
	s.log().Info("caldav sync", "calendar", cal.ID, "mode", r.Mode, "pulled", r.Pulled, "pushed", r.Pushed,
		"removed_local", r.RemovedLocal, "removed_remote", r.RemovedRemote, "conflicts", r.Conflicts)
	return r, nil
}

// pull applies the server's changes and returns the sync token to record
// once the push is done ("" when the server has none).
func (s *Syncer) pull(ctx context.Context, cal store.Calendar, col Collection, r *Report) (string, error) {
	objs, err := s.Store.CalObjects(ctx, cal.ID)
	if err != nil {
		return "", err
	}
	byHref := map[string]store.CalObject{}
	for _, o := range objs {
		if o.Href != "" {
			byHref[o.Href] = o
		}
	}
	var changed map[string]string
	var removed []string
	token := ""
	if col.SyncCollection {
		r.Mode = "sync-collection"
		ch, err := s.Client.SyncCollection(ctx, col.Href, cal.SyncToken)
		if errors.Is(err, ErrSyncToken) {
			s.log().Info("caldav sync token rejected; full resync", "calendar", cal.ID)
			ch, err = s.Client.SyncCollection(ctx, col.Href, "")
			if err == nil {
				// A full listing: whatever we hold that it lacks is gone.
				for h := range byHref {
					if _, ok := ch.Changed[h]; !ok {
						ch.Removed = append(ch.Removed, h)
					}
				}
			}
		}
		if err != nil {
			return "", err
		}
		changed, removed, token = ch.Changed, ch.Removed, ch.Token
		if cal.SyncToken == "" {
			for h := range byHref {
				if _, ok := changed[h]; !ok {
					removed = append(removed, h)
				}
			}
		}
	} else {
		r.Mode = "etags"
		all, err := s.Client.ETags(ctx, col.Href)
		if err != nil {
			return "", err
		}
		changed = all
		for h := range byHref {
			if _, ok := all[h]; !ok {
				removed = append(removed, h)
			}
		}
	}
	var fetch []string
	for h, etag := range changed {
		if o, ok := byHref[h]; ok && etag != "" && o.ETag == etag {
			continue // our own write, or unchanged
		}
		fetch = append(fetch, h)
	}
	got, err := s.Client.MultiGet(ctx, col.Href, fetch)
	if err != nil {
		return "", err
	}
	for _, obj := range got {
		if err := s.applyRemote(ctx, cal, obj, byHref, r); err != nil {
			return "", err
		}
	}
	for _, h := range removed {
		o, ok := byHref[h]
		if !ok {
			continue
		}
		delete(byHref, h)
		if o.Dirty && !o.Deleted {
			// Changed here, deleted there: the change wins; it is
			// created again on the server by the push.
			o.Href, o.ETag = "", ""
			if _, err := s.Store.PutCalObject(ctx, o); err != nil {
				return "", err
			}
			r.Conflicts++
			continue
		}
		if err := s.Store.DeleteCalObject(ctx, o.ID); err != nil {
			return "", err
		}
		r.RemovedLocal++
	}
	return token, nil
}

// objectUID returns the UID of the first VEVENT or VTODO in data.
func objectUID(data []byte) (string, error) {
	cal, err := calendar.Parse(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	for _, ev := range cal.Events {
		if ev.UID != "" {
			return ev.UID, nil
		}
	}
	for _, t := range cal.Todos {
		if t.UID != "" {
			return t.UID, nil
		}
	}
	return "", fmt.Errorf("no UID: %w", pam.ErrInvalid)
}

// applyRemote stores a server object, resolving a conflict with a local
// change: the server's version wins in place, the local one is kept as a
// conflict copy (new UID, "Conflict: " summary) to be uploaded.
func (s *Syncer) applyRemote(ctx context.Context, cal store.Calendar, obj Object, byHref map[string]store.CalObject, r *Report) error {
	uid, err := objectUID(obj.Data)
	if err != nil {
		s.log().Warn("caldav object skipped", "calendar", cal.ID, "error", err.Error())
		r.Skipped++
		return nil
	}
	local, ok := byHref[obj.Href]
	if ok && local.UID != uid {
		// The resource now holds another UID. Our object stays (as a
		// local one to be created again when it has changes).
		if local.Dirty && !local.Deleted {
			local.Href, local.ETag = "", ""
			_, err = s.Store.PutCalObject(ctx, local)
		} else {
			err = s.Store.DeleteCalObject(ctx, local.ID)
		}
		if err != nil {
			return err
		}
		ok = false
	}
	if !ok {
		o, err := s.Store.CalObjectByUID(ctx, cal.ID, uid)
		switch {
		case err == nil:
			local, ok = o, true
		case !errors.Is(err, pam.ErrNotFound):
			return err
		}
	}
	server := store.CalObject{Calendar: cal.ID, UID: uid, Href: obj.Href, ETag: obj.ETag, Raw: obj.Data}
	if ok && local.Dirty && !local.Deleted && !bytes.Equal(local.Raw, obj.Data) {
		cp, err := ConflictCopy(local.Raw)
		if err != nil {
			return fmt.Errorf("conflict copy of %s: %w", uid, err)
		}
		if _, err := s.Store.PutCalObject(ctx, store.CalObject{Calendar: cal.ID, UID: cp.UID, Raw: cp.Data, Dirty: true, ConflictOf: uid}); err != nil {
			return err
		}
		r.Conflicts++
	} else if ok && local.Deleted {
		// Deleted here, changed there: the change wins.
		r.Conflicts++
	}
	if _, err := s.Store.PutCalObject(ctx, server); err != nil {
		return err
	}
	r.Pulled++
	return nil
}

// Copy is a conflict copy of an object.
type Copy struct {
	UID  string
	Data []byte
}

// ConflictCopy returns data with every VEVENT/VTODO given one new UID and
// its SUMMARY prefixed with "Conflict: ". Everything else is kept.
func ConflictCopy(data []byte) (Copy, error) {
	cal, err := calendar.Parse(bytes.NewReader(data))
	if err != nil {
		return Copy{}, err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	uid := "conflict-" + hex.EncodeToString(rnd[:])
	for _, ev := range cal.Events {
		if ev.UID != "" {
			uid += "-" + ev.UID
			break
		}
	}
	if len(cal.Events) == 0 {
		for _, t := range cal.Todos {
			if t.UID != "" {
				uid += "-" + t.UID
				break
			}
		}
	}
	if len(uid) > 200 {
		uid = uid[:200]
	}
	for _, ev := range cal.Events {
		ev.UID = uid
		ev.Summary = "Conflict: " + ev.Summary
	}
	for _, t := range cal.Todos {
		t.UID = uid
		t.Summary = "Conflict: " + t.Summary
	}
	var b bytes.Buffer
	if err := cal.Encode(&b); err != nil {
		return Copy{}, err
	}
	return Copy{UID: uid, Data: b.Bytes()}, nil
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,120}$`)

// ResourceName is the file name PAM gives a new resource with uid: the UID
// when it is made of safe characters, else a digest of it.
func ResourceName(uid string) string {
	if safeName.MatchString(uid) && !strings.HasPrefix(uid, ".") {
		return uid + ".ics"
	}
	sum := sha256.Sum256([]byte(uid))
	return hex.EncodeToString(sum[:16]) + ".ics"
}

// push writes the calendar's local changes to the server and returns how
// many objects it handled.
func (s *Syncer) push(ctx context.Context, cal store.Calendar, col Collection, r *Report) (int, error) {
	dirty, err := s.Store.CalObjectsToPush(ctx, cal.ID)
	if err != nil {
		return 0, err
	}
	for _, o := range dirty {
		if o.Deleted {
			if err := s.pushDelete(ctx, cal, o, r); err != nil {
				return 0, err
			}
			continue
		}
		href := o.Href
		if href == "" {
			href = col.Href + ResourceName(o.UID)
		}
		etag, err := s.Client.Put(ctx, href, o.Raw, o.ETag)
		if errors.Is(err, ErrPrecondition) && o.Href == "" {
			// The name is taken. By this object (created on both sides)?
			obj, gerr := s.Client.Get(ctx, href)
			if gerr != nil {
				return 0, fmt.Errorf("after a failed conditional PUT: %w", gerr)
			}
			if uid, _ := objectUID(obj.Data); uid != o.UID {
				var rnd [6]byte
				rand.Read(rnd[:])
				href = col.Href + hex.EncodeToString(rnd[:]) + "-" + ResourceName(o.UID)
				etag, err = s.Client.Put(ctx, href, o.Raw, "")
			}
		}
		if errors.Is(err, ErrPrecondition) {
			// Changed on the server since we looked (or, for a new
			// object, the name is taken): take the server's version and
			// keep ours as a conflict copy.
			obj, gerr := s.Client.Get(ctx, href)
			if gerr != nil {
				return 0, fmt.Errorf("after a failed conditional PUT: %w", gerr)
			}
			if err := s.applyRemote(ctx, cal, obj, map[string]store.CalObject{href: o}, r); err != nil {
				return 0, err
			}
			continue
		}
		if err != nil {
			return 0, err
		}
		// Servers may re-serialise what they store (Radicale sorts the
		// properties), so keep the server's bytes and ETag.
		obj, err := s.Client.Get(ctx, href)
		if err != nil {
			return 0, fmt.Errorf("read back after PUT: %w", err)
		}
		var raw []byte
		if etag == "" || obj.ETag == etag {
			raw, etag = obj.Data, obj.ETag
		}
		if _, err := s.Store.MarkCalObjectSynced(ctx, o.ID, o.Version, href, etag, raw); err != nil {
			return 0, err
		}
		r.Pushed++
	}
	return len(dirty), nil
}

func (s *Syncer) pushDelete(ctx context.Context, cal store.Calendar, o store.CalObject, r *Report) error {
	if o.Href == "" {
		return s.Store.DeleteCalObject(ctx, o.ID)
	}
	err := s.Client.Delete(ctx, o.Href, o.ETag)
	switch {
	case err == nil, errors.Is(err, pam.ErrNotFound):
		r.RemovedRemote++
		return s.Store.DeleteCalObject(ctx, o.ID)
	case errors.Is(err, ErrPrecondition):
		// Changed on the server after we deleted it here: the change wins.
		obj, gerr := s.Client.Get(ctx, o.Href)
		if errors.Is(gerr, pam.ErrNotFound) {
			return s.Store.DeleteCalObject(ctx, o.ID)
		}
		if gerr != nil {
			return gerr
		}
		return s.applyRemote(ctx, cal, obj, map[string]store.CalObject{o.Href: o}, r)
	default:
		return err
	}
}

// Passwords gives the password of a CalDAV account. It is called once per
// account and sync; a missing password is pam.ErrNotFound.
type Passwords interface {
	Password(ctx context.Context, account store.CalDAVAccount) (string, error)
}

// Poller is the CalDAV loop of pam serve: it syncs every CalDAV account of
// the store at Interval, and at once when Kick is called.
type Poller struct {
	Store     *store.Store
	Passwords Passwords
	// NewClient makes the HTTP side; nil means NewClient(url, user, pw, nil).
	NewClient func(a store.CalDAVAccount, password string) (*Client, error)
	Interval  time.Duration // <= 0: 15 minutes
	Logger    *slog.Logger
	// AfterSync, when set, runs after each round of Serve (the task-list
	// bridge hooks in here).
	AfterSync func(ctx context.Context)

	kick chan struct{}
}

// NewPoller returns a poller; use it rather than a bare Poller so Kick works
// before Serve starts.
func NewPoller(st *store.Store, pw Passwords, interval time.Duration, logger *slog.Logger) *Poller {
	return &Poller{Store: st, Passwords: pw, Interval: interval, Logger: logger, kick: make(chan struct{}, 1)}
}

// Kick asks for a sync now; it never blocks.
func (p *Poller) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// Serve syncs at once, then every Interval and on Kick, until ctx ends
// (it then returns nil). A failing account is logged and recorded in the
// store (caldav_accounts.last_error) and retried at the next round; it
// does not stop the loop.
func (p *Poller) Serve(ctx context.Context) error {
	if p.kick == nil {
		p.kick = make(chan struct{}, 1)
	}
	iv := p.Interval
	if iv <= 0 {
		iv = 15 * time.Minute
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-p.kick:
		}
		p.SyncAll(ctx)
		if p.AfterSync != nil {
			p.AfterSync(ctx)
		}
		t.Reset(iv)
	}
}

// AccountResult is one account's outcome in SyncAll.
type AccountResult struct {
	Account string   `json:"account"`
	Reports []Report `json:"calendars"`
	Error   string   `json:"error,omitempty"`
}

// SyncAll syncs every account once and records each outcome in the store.
func (p *Poller) SyncAll(ctx context.Context) []AccountResult {
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	accts, err := p.Store.CalDAVAccounts(ctx)
	if err != nil {
		log.Error("caldav: list accounts", "error", err.Error())
		return []AccountResult{{Error: err.Error()}}
	}
	var out []AccountResult
	for _, a := range accts {
		res := AccountResult{Account: a.Name}
		reports, err := p.syncAccount(ctx, a)
		res.Reports = reports
		now := time.Now()
		if err != nil {
			res.Error = err.Error()
			log.Warn("caldav sync failed", "account", a.ID, "error", err.Error())
			now = time.Time{}
		}
		if serr := p.Store.SetCalDAVAccountStatus(ctx, a.ID, now, res.Error); serr != nil && ctx.Err() == nil {
			log.Error("caldav: record status", "account", a.ID, "error", serr.Error())
		}
		out = append(out, res)
	}
	return out
}

func (p *Poller) syncAccount(ctx context.Context, a store.CalDAVAccount) ([]Report, error) {
	pw, err := p.Passwords.Password(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	mk := p.NewClient
	if mk == nil {
		mk = func(a store.CalDAVAccount, pw string) (*Client, error) { return NewClient(a.URL, a.Username, pw, nil) }
	}
	c, err := mk(a, pw)
	if err != nil {
		return nil, err
	}
	s := &Syncer{Store: p.Store, Client: c, Account: a, Logger: p.Logger}
	return s.Sync(ctx)
}

package imap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/store"
)

// Options tune a Syncer.
type Options struct {
	BatchSize int // messages per store transaction; default 500
	Workers   int // parsers; default GOMAXPROCS
	// OnBatch, when set, is called after each committed batch with the
	// row ids of the new messages (the AI pipeline hooks in here).
	OnBatch func(ctx context.Context, newRows []int64)
	// Progress, when set, is called after each batch and at most every
	// 100 ms in between.
	Progress func(Progress)
	Logger   *slog.Logger
	// Attempts is how many times a sync is tried when the connection
	// fails (dropped, refused, server restarting); default 5.
	Attempts int
	// Backoff is the first wait between attempts; it doubles up to 30 s.
	// Default 1 s.
	Backoff time.Duration
}

// Progress is a snapshot of a running sync.
type Progress struct {
	Folder                       string
	Done, Total                  int // messages of this run's downloads
	Imported, Duplicates, Failed int
	Elapsed                      time.Duration
}

// Summary is the result of a sync.
type Summary struct {
	Account     string   `json:"account"`
	Folders     int      `json:"folders"`
	Imported    int      `json:"imported"`
	Duplicates  int      `json:"duplicates"`
	Failed      int      `json:"failed"`
	FlagsPulled int      `json:"flags_pulled"`
	FlagsPushed int      `json:"flags_pushed"`
	Applied     int      `json:"applied"` // moves, archives and deletes done on the server
	Drafts      int      `json:"drafts"`  // PAM's drafts uploaded to the Drafts folder
	Removed     int      `json:"removed"` // messages that left a folder on the server
	Trashed     int      `json:"trashed"` // messages no longer anywhere on the server
	Resynced    []string `json:"resynced,omitempty"`
	Attempts    int      `json:"attempts"`
	Seconds     float64  `json:"seconds"`
	Errors      []string `json:"errors,omitempty"`
	New         []int64  `json:"-"`
}

// Syncer syncs one account into the store. Its methods are safe for
// concurrent use; syncs of one Syncer run one at a time.
type Syncer struct {
	st  *store.Store
	cfg Config
	opt Options
	mu  sync.Mutex

	// During one Sync (under mu): per folder, the UID at which the
	// connection last dropped during a download, and the UIDs given up on
	// because it dropped there twice.
	suspect map[string]imap.UID
	skip    map[string]map[imap.UID]bool
}

// NewSyncer returns a Syncer for the account cfg.
func NewSyncer(st *store.Store, cfg Config, opt Options) *Syncer {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Attempts <= 0 {
		opt.Attempts = 5
	}
	if opt.Backoff <= 0 {
		opt.Backoff = time.Second
	}
	return &Syncer{st: st, cfg: cfg, opt: opt}
}

// Config returns the account's settings.
func (s *Syncer) Config() Config { return s.cfg }

// Sync pushes PAM's changes to the server and fetches what is new in every
// folder. A dropped connection is retried with backoff; batches already
// committed stay, and the next attempt goes on from them. Messages the
// server cannot deliver are recorded as failures and retried by the next
// sync; the others go on.
func (s *Syncer) Sync(ctx context.Context) (Summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.suspect, s.skip = map[string]imap.UID{}, map[string]map[imap.UID]bool{}
	start := time.Now()
	sum := Summary{Account: s.cfg.Account}
	wait := s.opt.Backoff
	var err error
	for attempt := 1; attempt <= s.opt.Attempts; attempt++ {
		sum.Attempts = attempt
		err = s.syncOnce(ctx, &sum)
		if err == nil || !transient(err) || attempt == s.opt.Attempts {
			break
		}
		s.opt.Logger.Warn("imap sync interrupted; retrying", "account", s.cfg.Account, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			err = ctx.Err()
			attempt = s.opt.Attempts
		case <-time.After(wait):
		}
		wait = min(wait*2, 30*time.Second)
	}
	sum.Seconds = time.Since(start).Seconds()
	if err != nil {
		return sum, fmt.Errorf("sync %s: %w", s.cfg.Account, err)
	}
	return sum, nil
}

// session is one connection's view of the server.
type session struct {
	c       *imapclient.Client
	caps    imap.CapSet
	folders []folderInfo
}

type folderInfo struct {
	Name  string
	Attrs []imap.MailboxAttr
}

func (f folderInfo) has(a imap.MailboxAttr) bool {
	for _, x := range f.Attrs {
		if strings.EqualFold(string(x), string(a)) {
			return true
		}
	}
	return false
}

func (s *Syncer) connect(ctx context.Context) (*session, error) {
	c, err := dial(ctx, s.cfg, nil)
	if err != nil {
		return nil, err
	}
	ss := &session{c: c, caps: c.Caps()}
	opts := &imap.ListOptions{}
	if ss.caps.Has(imap.CapSpecialUse) {
		opts.ReturnSpecialUse = true
	}
	list, err := c.List("", "*", opts).Collect()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("list folders: %w", err)
	}
	for _, l := range list {
		fi := folderInfo{Name: l.Mailbox, Attrs: l.Attrs}
		if fi.has(imap.MailboxAttrNoSelect) || fi.has(imap.MailboxAttrNonExistent) {
			continue
		}
		ss.folders = append(ss.folders, fi)
	}
	sort.Slice(ss.folders, func(i, j int) bool { return folderOrder(ss.folders[i]) < folderOrder(ss.folders[j]) })
	return ss, nil
}

// folderOrder syncs INBOX first, then the others by name.
func folderOrder(f folderInfo) string {
	if strings.EqualFold(f.Name, "INBOX") {
		return ""
	}
	return "1" + f.Name
}

func (s *Syncer) syncOnce(ctx context.Context, sum *Summary) error {
	ss, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer ss.c.Close()
	p := planFolders(ss.caps, ss.folders)
	sum.Folders = len(p.Bodies)
	var touched []int64
	n, t, err := s.pushOutbox(ctx, ss, p)
	sum.Applied += n
	touched = append(touched, t...)
	if err != nil {
		return err
	}
	d, err := s.pushDrafts(ctx, ss, p)
	sum.Drafts += d
	if err != nil {
		return err
	}
	for _, f := range p.Bodies {
		t, err := s.syncFolder(ctx, ss, f, sum)
		touched = append(touched, t...)
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
				// One folder the server refuses (no rights, gone since
				// LIST) does not stop the others.
				sum.Errors = append(sum.Errors, fmt.Sprintf("folder %s: %v", f.Name, err))
				continue
			}
			return err
		}
	}
	if p.Gmail {
		if err := s.gmailLabels(ctx, ss, p, sum); err != nil {
			return err
		}
	}
	k, err := trashOrphans(ctx, s.st.DB(), touched)
	sum.Trashed += k
	if err != nil {
		return err
	}
	ss.c.Logout().Wait()
	return nil
}

// syncFolder brings one folder up to date: PAM's flag changes pushed,
// new messages fetched, the server's flag changes and removals pulled.
func (s *Syncer) syncFolder(ctx context.Context, ss *session, f folderInfo, sum *Summary) ([]int64, error) {
	db := s.st.DB()
	condstore := ss.caps.Has(imap.CapCondStore)
	sel, err := ss.c.Select(f.Name, &imap.SelectOptions{CondStore: condstore}).Wait()
	if err != nil {
		return nil, fmt.Errorf("select %s: %w", f.Name, err)
	}
	if sel.UIDValidity == 0 {
		return nil, fmt.Errorf("select %s: server gave no UIDVALIDITY", f.Name)
	}
	cur, have, err := loadCursor(ctx, db, s.cfg.Account, f.Name)
	if err != nil {
		return nil, err
	}
	resync := have && cur.Validity != sel.UIDValidity
	if resync {
		s.opt.Logger.Info("imap folder UIDVALIDITY changed; resyncing", "account", s.cfg.Account, "old", cur.Validity, "new", sel.UIDValidity)
		sum.Resynced = append(sum.Resynced, f.Name)
		cur, have = cursor{}, false
	}
	known, err := knownUIDs(ctx, db, s.cfg.Account, f.Name, sel.UIDValidity)
	if err != nil {
		return nil, err
	}

	// 1. PAM's flag changes go to the server first: the user's latest
	// action wins over an older server state.
	pushed, err := s.pushFlags(ctx, ss, f.Name, sel.UIDValidity)
	sum.FlagsPushed += pushed
	if err != nil {
		return nil, err
	}

	// 2. New messages.
	var serverUIDs []imap.UID
	var all bool
	switch {
	case !have || uint32(len(known)) != sel.NumMessages:
		serverUIDs, err = uidSearch(ss.c, 1)
		all = true
	case sel.UIDNext > cur.UIDNext:
		serverUIDs, err = uidSearch(ss.c, cur.UIDNext)
	}
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", f.Name, err)
	}
	var todo []imap.UID
	for _, u := range serverUIDs {
		if _, ok := known[u]; !ok && !s.skip[f.Name][u] {
			todo = append(todo, u)
		}
	}
	next := sel.UIDNext
	for u := range s.skip[f.Name] {
		if u < next {
			next = u
		}
	}
	if len(todo) > 0 {
		missing, err := s.fetchNew(ctx, ss.c, f.Name, sel.UIDValidity, todo, sum)
		if err != nil {
			return nil, err
		}
		if missing != 0 && missing < next {
			next = missing
		}
		known, err = knownUIDs(ctx, db, s.cfg.Account, f.Name, sel.UIDValidity)
		if err != nil {
			return nil, err
		}
	}

	// 3. The server's flag changes (only CHANGEDSINCE the last sync with
	// CONDSTORE; else all flags).
	if len(known) > 0 {
		var since uint64
		if condstore && !resync && have {
			since = cur.HighestModSeq
		}
		if condstore && since == sel.HighestModSeq && since != 0 {
			// nothing changed
		} else {
			n, err := s.pullFlags(ctx, ss.c, f.Name, sel.UIDValidity, known, since)
			sum.FlagsPulled += n
			if err != nil {
				return nil, err
			}
		}
	}

	// 4. Removals: messages PAM knows that the folder no longer has.
	var touched []int64
	// The live count when the client has recorded the mailbox (EXISTS and
	// EXPUNGE keep it current), else the SELECT's answer: the client sets
	// its mailbox after the SELECT's Wait returns, so it can still be nil.
	count := sel.NumMessages
	if mb := ss.c.Mailbox(); mb != nil {
		count = mb.NumMessages
	}
	if uint32(len(known)) != count {
		if !all {
			serverUIDs, err = uidSearch(ss.c, 1)
			if err != nil {
				return nil, fmt.Errorf("search %s: %w", f.Name, err)
			}
		}
		on := make(map[imap.UID]bool, len(serverUIDs))
		for _, u := range serverUIDs {
			on[u] = true
		}
		var gone []string
		for u := range known {
			if !on[u] {
				gone = append(gone, SourceKey(s.cfg.Account, f.Name, sel.UIDValidity, u))
			}
		}
		t, err := removeSources(ctx, db, gone)
		if err != nil {
			return nil, err
		}
		sum.Removed += len(t)
		touched = append(touched, t...)
	}

	// 5. After a UIDVALIDITY change, the old keys go once every message
	// was fetched again under the new one (each kept its stable id).
	if next == sel.UIDNext {
		stale, err := staleKeys(ctx, db, s.cfg.Account, f.Name, sel.UIDValidity)
		if err != nil {
			return nil, err
		}
		t, err := removeSources(ctx, db, stale)
		if err != nil {
			return nil, err
		}
		touched = append(touched, t...)
	}
	if err := saveCursor(ctx, db, s.cfg.Account, f.Name, cursor{Validity: sel.UIDValidity, UIDNext: next, HighestModSeq: sel.HighestModSeq}); err != nil {
		return nil, err
	}
	return touched, nil
}

// uidSearch returns the UIDs from from on, in ascending order.
func uidSearch(c *imapclient.Client, from imap.UID) ([]imap.UID, error) {
	if from == 0 {
		from = 1
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: from, Stop: 0}}}}, nil).Wait()
	if err != nil {
		return nil, err
	}
	var out []imap.UID
	for _, u := range data.AllUIDs() {
		// "n:*" matches the last message even when its UID is below n.
		if u >= from {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (s *Syncer) pushFlags(ctx context.Context, ss *session, folder string, validity uint32) (int, error) {
	changes, err := localFlagChanges(ctx, s.st.DB(), s.cfg.Account, folder, validity)
	if err != nil || len(changes) == 0 {
		return 0, err
	}
	type op struct {
		add  bool
		flag pam.Flags
	}
	sets := map[op]*imap.UIDSet{}
	for _, c := range changes {
		diff := (c.server ^ c.local) & syncedFlags
		for _, fl := range []pam.Flags{pam.FlagSeen, pam.FlagFlagged, pam.FlagReplied} {
			if !diff.Has(fl) {
				continue
			}
			k := op{add: c.local.Has(fl), flag: fl}
			if sets[k] == nil {
				sets[k] = &imap.UIDSet{}
			}
			sets[k].AddNum(c.uid)
		}
	}
	for k, set := range sets {
		o := imap.StoreFlagsDel
		if k.add {
			o = imap.StoreFlagsAdd
		}
		if err := ss.c.Store(*set, &imap.StoreFlags{Op: o, Silent: true, Flags: flagsToIMAP(k.flag)}, nil).Close(); err != nil {
			return 0, fmt.Errorf("store flags in %s: %w", folder, err)
		}
	}
	// The server has PAM's flags now: record them as last seen.
	tx, err := s.st.DB().BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, c := range changes {
		f := c.server&^syncedFlags | c.local&syncedFlags
		if _, err := tx.ExecContext(ctx, "UPDATE sources SET flags = ? WHERE key = ?", int(f), c.key); err != nil {
			return 0, fmt.Errorf("store flags: %w", err)
		}
	}
	return len(changes), tx.Commit()
}

func (s *Syncer) pullFlags(ctx context.Context, c *imapclient.Client, folder string, validity uint32, known map[imap.UID]pam.Flags, since uint64) (int, error) {
	cmd := c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true, ChangedSince: since})
	changes := map[string]pam.Flags{}
	for {
		m := cmd.Next()
		if m == nil {
			break
		}
		buf, err := m.Collect()
		if err != nil {
			cmd.Close()
			return 0, fmt.Errorf("fetch flags in %s: %w", folder, err)
		}
		old, ok := known[buf.UID]
		if !ok {
			continue
		}
		f := flagsFromIMAP(buf.Flags)
		if f != old {
			changes[SourceKey(s.cfg.Account, folder, validity, buf.UID)] = f
		}
	}
	if err := cmd.Close(); err != nil {
		return 0, fmt.Errorf("fetch flags in %s: %w", folder, err)
	}
	return len(changes), applyServerFlags(ctx, s.st.DB(), changes)
}

// fetched is one message as the server sent it.
type fetched struct {
	uid   imap.UID
	flags pam.Flags
	raw   []byte
	err   error
}

// fetchNew downloads uids of folder (open), parses them in parallel and
// writes them in batches. It returns the lowest UID neither stored nor
// recorded as failed (0 when none), where the next sync starts.
func (s *Syncer) fetchNew(ctx context.Context, c *imapclient.Client, folder string, validity uint32, uids []imap.UID, sum *Summary) (imap.UID, error) {
	raws := make(chan fetched, 4*s.opt.Workers)
	results := make(chan store.Incoming, 4*s.opt.Workers)
	var wg sync.WaitGroup
	for i := 0; i < s.opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range raws {
				results <- s.incoming(folder, validity, r)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	got := map[imap.UID]bool{}
	var gotMu sync.Mutex
	writeErr := make(chan error, 1)
	go func() {
		writeErr <- s.writeAll(ctx, folder, len(uids), results, sum, func(keys []string) {
			gotMu.Lock()
			for _, k := range keys {
				if _, _, _, u, ok := ParseSourceKey(k); ok {
					got[u] = true
				}
			}
			gotMu.Unlock()
		})
	}()
	ferr := s.fetchUIDs(ctx, c, folder, uids, raws)
	close(raws)
	werr := <-writeErr
	if werr != nil {
		return 0, werr
	}
	var missing imap.UID
	for _, u := range uids {
		if !got[u] {
			missing = u
			break
		}
	}
	return missing, ferr
}

const fetchChunk = 1000

// fetchUIDs sends each message of uids to out. When the server answers NO
// to a chunk, the messages it did not send are asked for one by one, and
// each one it still refuses is sent as a failure.
func (s *Syncer) fetchUIDs(ctx context.Context, c *imapclient.Client, folder string, uids []imap.UID, out chan<- fetched) error {
	section := &imap.FetchItemBodySection{Peek: true}
	opts := &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{section}}
	var fetchSet func(set []imap.UID, single bool) error
	fetchSet = func(set []imap.UID, single bool) error {
		var us imap.UIDSet
		for _, u := range set {
			us.AddNum(u)
		}
		cmd := c.Fetch(us, opts)
		seen := map[imap.UID]bool{}
		for {
			m := cmd.Next()
			if m == nil {
				break
			}
			buf, err := collect(m)
			if err != nil {
				// Not cmd.Close(): it would read the broken literal again
				// (see collect). The connection is done for; Sync retries
				// on a new one.
				c.Close()
				return fmt.Errorf("fetch in %s: %w", folder, err)
			}
			body := buf.Body
			if buf.UID == 0 || body == nil {
				continue // a flags update for another message
			}
			seen[buf.UID] = true
			select {
			case out <- fetched{uid: buf.UID, flags: flagsFromIMAP(buf.Flags), raw: body}:
			case <-ctx.Done():
				cmd.Close()
				return ctx.Err()
			}
		}
		err := cmd.Close()
		if err == nil {
			return nil
		}
		var ie *imap.Error
		if !errors.As(err, &ie) || ie.Type != imap.StatusResponseTypeNo {
			// The connection broke. When it breaks twice at the same
			// message (a server that drops the connection on a message it
			// cannot read), that message is recorded as failed and skipped
			// for the rest of this sync.
			for _, u := range set {
				if seen[u] {
					continue
				}
				if s.suspect[folder] == u {
					if s.skip[folder] == nil {
						s.skip[folder] = map[imap.UID]bool{}
					}
					s.skip[folder][u] = true
					s.opt.Logger.Warn("imap connection dropped twice at one message; skipping it", "account", s.cfg.Account, "uid", u)
					out <- fetched{uid: u, err: errors.New("the server could not deliver it: the connection dropped twice while sending it")}
				}
				s.suspect[folder] = u
				break
			}
			return fmt.Errorf("fetch in %s: %w", folder, err)
		}
		if single {
			if !seen[set[0]] {
				out <- fetched{uid: set[0], err: fmt.Errorf("the server could not deliver it: %s", ie.Text)}
			}
			return nil
		}
		s.opt.Logger.Warn("imap fetch refused; retrying one by one", "account", s.cfg.Account, "messages", len(set)-len(seen))
		for _, u := range set {
			if seen[u] {
				continue
			}
			if err := fetchSet([]imap.UID{u}, true); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < len(uids); i += fetchChunk {
		if err := fetchSet(uids[i:min(i+fetchChunk, len(uids))], false); err != nil {
			return err
		}
	}
	return nil
}

func (s *Syncer) incoming(folder string, validity uint32, r fetched) store.Incoming {
	in := store.Incoming{Source: SourceKey(s.cfg.Account, folder, validity, r.uid), Label: folder, Flags: r.flags}
	if r.err != nil {
		in.Err = r.err
		return in
	}
	m, err := mail.Parse(r.raw)
	if err != nil {
		in.Err = err
		return in
	}
	in.Msg = m
	in.Raw = store.Compress(r.raw)
	in.Codec = store.CodecZstd
	return in
}

// writeAll writes results in batches; stored is called with the source
// keys of each committed batch's messages (not its failures).
func (s *Syncer) writeAll(ctx context.Context, folder string, total int, results <-chan store.Incoming, sum *Summary, stored func([]string)) error {
	start := time.Now()
	batch := make([]store.Incoming, 0, s.opt.BatchSize)
	done := 0
	var werr error
	last := time.Time{}
	report := func(force bool) {
		if s.opt.Progress == nil || (!force && time.Since(last) < 100*time.Millisecond) {
			return
		}
		last = time.Now()
		s.opt.Progress(Progress{Folder: folder, Done: done, Total: total, Imported: sum.Imported, Duplicates: sum.Duplicates, Failed: sum.Failed, Elapsed: time.Since(start)})
	}
	flush := func() {
		if len(batch) == 0 || werr != nil {
			batch = batch[:0]
			return
		}
		// Downloaded already: commit even when the sync is being
		// interrupted, so the work is not lost.
		res, err := s.st.WriteBatch(context.WithoutCancel(ctx), batch)
		if err != nil {
			werr = err
			batch = batch[:0]
			return
		}
		var keys []string
		for _, it := range batch {
			if it.Msg == nil {
				if len(sum.Errors) < 1000 {
					sum.Errors = append(sum.Errors, fmt.Sprintf("%s: %v", it.Source, it.Err))
				}
				s.opt.Logger.Warn("imap message not imported", "source", it.Source, "err", it.Err)
				continue
			}
			keys = append(keys, it.Source)
		}
		stored(keys)
		sum.Imported += res.Imported
		sum.Duplicates += res.Duplicates
		sum.Failed += res.Failed
		sum.New = append(sum.New, res.New...)
		batch = batch[:0]
		if s.opt.OnBatch != nil && len(res.New) > 0 {
			s.opt.OnBatch(ctx, res.New)
		}
		report(true)
	}
	for it := range results {
		if werr != nil {
			continue
		}
		batch = append(batch, it)
		done++
		if len(batch) >= s.opt.BatchSize {
			flush()
		} else {
			report(false)
		}
	}
	flush()
	return werr
}

package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pam-ai/pam/internal/pam"
)

// writeCache keeps, for the writer, the Message-ID → thread map and the
// address ids in memory, so a batch does not query SQLite for every
// reference and address it meets. It is only used under writeMu, filled
// from the database on first use, and dropped whenever a batch rolls back.
// For very large stores the thread map is not loaded (refsOn is false) and
// lookups go to SQLite.
type writeCache struct {
	loaded bool
	refsOn bool
	refs   map[string]int64
	addrs  map[string]addrEntry
}

type addrEntry struct {
	id   int64
	name string
}

// maxCachedRefs bounds the memory of the thread map (~100 bytes an entry).
const maxCachedRefs = 300_000

func (c *writeCache) reset() { *c = writeCache{} }

func (c *writeCache) load(ctx context.Context, tx *sql.Tx) error {
	if c.loaded {
		return nil
	}
	c.refs, c.addrs = map[string]int64{}, map[string]addrEntry{}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM thread_refs").Scan(&n); err != nil {
		return fmt.Errorf("load thread map: %w", err)
	}
	c.refsOn = n <= maxCachedRefs
	if c.refsOn {
		rows, err := tx.QueryContext(ctx, "SELECT msgid, thread_id FROM thread_refs")
		if err != nil {
			return fmt.Errorf("load thread map: %w", err)
		}
		for rows.Next() {
			var k string
			var t int64
			if err := rows.Scan(&k, &t); err != nil {
				rows.Close()
				return err
			}
			c.refs[k] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	c.loaded = true
	return nil
}

// threadOf returns the thread a Message-ID belongs to. With the map off it
// asks SQLite through st (st nil: report unknown).
func (c *writeCache) threadOf(ctx context.Context, st *batchStmts, msgid string) (int64, bool, error) {
	if c.refsOn {
		t, ok := c.refs[msgid]
		return t, ok, nil
	}
	if st == nil {
		return 0, false, nil
	}
	var t int64
	err := st.refs.QueryRowContext(ctx, msgid).Scan(&t)
	if isNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return t, true, nil
}

func (c *writeCache) setRef(msgid string, thread int64) {
	if c.refsOn {
		if _, ok := c.refs[msgid]; !ok {
			c.refs[msgid] = thread
		}
	}
}

// mergeThreads records that thread from was merged into into.
func (c *writeCache) mergeThreads(from, into int64) {
	if !c.refsOn {
		return
	}
	for k, t := range c.refs {
		if t == from {
			c.refs[k] = into
		}
	}
}

// addrID returns a known address id when the stored name needs no update.
func (c *writeCache) addrID(a pam.Address) (int64, bool) {
	e, ok := c.addrs[a.Email]
	if !ok || (a.Name != "" && a.Name != e.name) {
		return 0, false
	}
	return e.id, true
}

func (c *writeCache) setAddr(a pam.Address, id int64) {
	if len(c.addrs) > 200_000 {
		c.addrs = map[string]addrEntry{}
	}
	name := a.Name
	if e, ok := c.addrs[a.Email]; ok && name == "" {
		name = e.name
	}
	c.addrs[a.Email] = addrEntry{id: id, name: name}
}

//go:build !mattn

package store

import (
	"net/url"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver (see doc/design/storage.md)
)

const driverName = "sqlite"

func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "temp_store(MEMORY)", "cache_size(-4000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

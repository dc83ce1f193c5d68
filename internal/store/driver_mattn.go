//go:build mattn

package store

import (
	"net/url"

	_ "github.com/mattn/go-sqlite3" // cgo SQLite; build with -tags "mattn sqlite_fts5"
)

const driverName = "sqlite3"

func dsn(path string) string {
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-16000")
	return "file:" + path + "?" + q.Encode()
}

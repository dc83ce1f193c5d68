package store

import (
	"context"
	"fmt"

	"github.com/pam-ai/pam/internal/search"
)

// Each calls fn for every message matching q (every message when q is
// nil), in the order they were stored, with their labels. It reads in
// pages, so memory stays flat on a large store; fn may read Raw.
func (s *Store) Each(ctx context.Context, q *search.Node, fn func(Summary) error) error {
	var c compiler
	where := "1"
	if q != nil {
		where = c.node(q)
	}
	const page = 500
	last := int64(0)
	for {
		conn, err := s.searchConn(ctx)
		if err != nil {
			return fmt.Errorf("each: %w", err)
		}
		args := append(append([]any{}, c.args...), last, page)
		list, err := s.summariesOn(ctx, conn, "SELECT "+summaryCols+" FROM messages m WHERE ("+where+") AND m.id > ? ORDER BY m.id LIMIT ?", args...)
		conn.Close()
		if err != nil {
			return fmt.Errorf("each: %w", err)
		}
		for _, m := range list {
			if err := fn(m); err != nil {
				return err
			}
			last = m.Row
		}
		if len(list) < page {
			return nil
		}
	}
}

package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Handler is the model side of a worker process.
type Handler interface {
	// Handle answers one request of the given kind. Serve calls it from
	// one goroutine, one request at a time; the result is encoded as JSON.
	// An error is sent back as the response's Error and does not stop the
	// worker. Handle loads its model on first use.
	Handle(ctx context.Context, kind string, body json.RawMessage) (any, error)
	// Unload drops whatever Handle loaded; Serve calls it after the idle
	// timeout, between requests.
	Unload()
}

// Serve runs the child side of the protocol: it reads request frames from
// r, answers each on w in order, and calls h.Unload when no request came
// for idle (0 means never). It returns nil when r ends cleanly (the
// supervisor closed stdin) or ctx is done, and an error for a broken
// stream; the process should then exit.
func Serve(ctx context.Context, r io.Reader, w io.Writer, h Handler, idle time.Duration) error {
	type in struct {
		req Request
		err error
	}
	reqs := make(chan in)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // owned by Serve: ends at the first read error or when Serve returns
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			var q Request
			err := ReadFrame(br, &q)
			select {
			case reqs <- in{q, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	bw := bufio.NewWriterSize(w, 64<<10)
	var timer *time.Timer
	var idleC <-chan time.Time
	loaded := false
	for {
		if loaded && idle > 0 {
			timer = time.NewTimer(idle)
			idleC = timer.C
		}
		var got in
		select {
		case <-ctx.Done():
			return nil
		case <-idleC:
			h.Unload()
			loaded, idleC = false, nil
			continue
		case got = <-reqs:
		}
		if timer != nil {
			timer.Stop()
			timer, idleC = nil, nil
		}
		if got.err != nil {
			if errors.Is(got.err, io.EOF) {
				return nil
			}
			return fmt.Errorf("worker: read request: %w", got.err)
		}
		resp := Response{ID: got.req.ID}
		out, err := h.Handle(ctx, got.req.Kind, got.req.Body)
		loaded = true
		if err == nil {
			resp.Body, err = json.Marshal(out)
		}
		if err != nil {
			resp.Body, resp.Error = nil, err.Error()
		}
		if err := writeResponse(bw, resp); err != nil {
			return fmt.Errorf("worker: write response: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("worker: write response: %w", err)
		}
	}
}

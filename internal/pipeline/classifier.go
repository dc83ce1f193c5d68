package pipeline

import (
	"context"
	"errors"
	"log/slog"

	"github.com/pam-ai/pam/internal/worker"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// Caller sends one request to a worker and decodes its answer; see
// (*worker.Supervisor).Call for the contract (errors wrapping
// worker.ErrUnavailable, ErrCrashed, ErrTimeout, ErrMemoryLimit, or a
// *worker.RemoteError). It must be safe for concurrent use.
type Caller interface {
	Call(ctx context.Context, kind string, in, out any) error
}

var _ Caller = (*worker.Supervisor)(nil)

// Classifier classifies messages through a worker and falls back to the
// rules tier, marking the results degraded, while the worker cannot
// answer.
type Classifier struct {
	Worker Caller // nil: rules only
	// Models are the worker specs to use (see worker.Registry.ActiveSpecs
	// and worker.BuiltinPrefix); empty: the worker's built-in defaults.
	Models    []string
	BatchSize int // messages per request; default 64
	// OnDegrade, when set, is called with the worker's error each time a
	// batch falls back to rules.
	OnDegrade func(error)
	Logger    *slog.Logger
}

// Classify classifies msgs, one result per message in order; result i has
// the ID of msgs[i]. Worker failures degrade the affected batches to rules;
// the error is non-nil only when ctx ends or the worker rejects the request
// itself (a *worker.RemoteError, such as an unreadable model file), which
// rules would only hide.
func (c *Classifier) Classify(ctx context.Context, msgs []wire.Message) ([]wire.Classification, error) {
	n := c.BatchSize
	if n <= 0 {
		n = 64
	}
	out := make([]wire.Classification, 0, len(msgs))
	for start := 0; start < len(msgs); start += n {
		batch := msgs[start:min(start+n, len(msgs))]
		res, err := c.batch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

func (c *Classifier) batch(ctx context.Context, batch []wire.Message) ([]wire.Classification, error) {
	if c.Worker != nil {
		var resp wire.ClassifyResponse
		err := c.Worker.Call(ctx, worker.KindClassify, wire.ClassifyRequest{Messages: batch, Models: c.Models}, &resp)
		switch {
		case err == nil && len(resp.Results) == len(batch):
			for i := range resp.Results {
				resp.Results[i].ID = batch[i].ID
			}
			return resp.Results, nil
		case err == nil:
			err = errors.New("worker answered the wrong number of results")
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		var re *worker.RemoteError
		if errors.As(err, &re) {
			return nil, err
		}
		if c.Logger != nil {
			c.Logger.Warn("classification degraded to rules", "messages", len(batch), "err", err)
		}
		if c.OnDegrade != nil {
			c.OnDegrade(err)
		}
	}
	out := make([]wire.Classification, len(batch))
	for i, m := range batch {
		out[i] = worker.Rules(m)
	}
	return out, nil
}

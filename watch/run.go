package watch

import (
	"context"

	"github.com/rafka/rafka/pipeline"
)

// Run streams the cluster's changes to w.Emit until w stops it (Emit
// returns pipeline.ErrStop), an error, or ctx ends. maxInFlight bounds the
// reads in flight (the initial view and resyncs read in bulk).
func Run(ctx context.Context, sess pipeline.LiveSource, w *Watcher, maxInFlight int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := pipeline.Events(ctx, sess)
	return pipeline.Run(ctx, sess, pipeline.Options{MaxInFlight: maxInFlight, Events: events}, w, w.Start()...)
}

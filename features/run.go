package features

import (
	"context"
	"errors"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Read describes /feature once, through the same pipeline a watch uses,
// from a live session or a snapshot.
func Read(ctx context.Context, src pipeline.Source) (Description, error) {
	h := &oneRead{}
	err := pipeline.Run(ctx, src, pipeline.Options{MaxInFlight: 1, UntilIdle: true}, h,
		pipeline.Fetch{Op: pipeline.OpGet, Path: zkpaths.Feature})
	return h.d, err
}

type oneRead struct{ d Description }

func (h *oneRead) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	r, ok := msg.(*pipeline.Result)
	switch {
	case !ok:
		return nil, nil
	case errors.Is(r.Err, zk.ErrNoNode):
		h.d = Describe(nil, nil)
		return nil, nil
	case r.Err != nil:
		return nil, r.Err
	}
	h.d = Describe(r.Data, r.Stat)
	return nil, nil
}

// Watch streams /feature's changes to w.Emit until w stops it (returning
// pipeline.ErrStop from Emit), an error, or ctx ends. The session's events
// (watch triggers, connection changes) reach the coordinator as messages.
func Watch(ctx context.Context, sess pipeline.LiveSource, w *Watcher) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := pipeline.Events(ctx, sess)
	return pipeline.Run(ctx, sess, pipeline.Options{MaxInFlight: 2, Events: events}, w, w.Start()...)
}

// WatchUnarmed is Watch on a session whose persistent watch covers
// /feature (zksession.Config.PersistentWatches): its reads arm no one-shot
// watch, and the persistent watch's events drive it.
func WatchUnarmed(ctx context.Context, sess pipeline.LiveSource, w *Watcher) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := pipeline.Events(ctx, sess)
	return pipeline.Run(ctx, sess, pipeline.Options{MaxInFlight: 2, Events: events}, pipeline.Unwatched(w), pipeline.Unwatch(w.Start())...)
}

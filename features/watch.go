package features

import (
	"errors"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// Event kinds of `features watch`.
const (
	EventInitial        = "initial"         // the first read
	EventCreated        = "created"         // the node appeared (or was deleted and recreated)
	EventUpdated        = "updated"         // new data, enabled
	EventDeleted        = "deleted"         // the node is gone; rafka waits for it to come back
	EventDisabled       = "disabled"        // new data, status disabled
	EventMalformed      = "malformed"       // new data a broker cannot decode
	EventEpochRegressed = "epoch-regressed" // the epoch went below one seen before: running brokers exit
	EventDisconnected   = "disconnected"    // connection to ZooKeeper lost; reconnecting
	EventReconnected    = "reconnected"     // the same session is back; watches survive
	EventSessionExpired = "session-expired" // the session is gone; a new one re-arms the watch
	EventResynced       = "resynced"        // /feature re-read after an outage
)

// Event is one line of `features watch -o json`.
type Event struct {
	TS       time.Time                           `json:"ts"`
	Event    string                              `json:"event"`
	State    string                              `json:"state"`
	Epoch    *int32                              `json:"epoch"`
	Version  *int32                              `json:"version,omitempty"`
	Features map[string]zkpaths.FinalizedFeature `json:"features"`
	Warnings []string                            `json:"warnings,omitempty"`
	// SkippedEpochs counts versions that changed faster than one read and
	// were coalesced into this event.
	SkippedEpochs int32 `json:"skipped_epochs,omitempty"`
	// GapSeconds, on resynced, is how long rafka could not see /feature.
	GapSeconds *float64 `json:"gap_seconds,omitempty"`
	Detail     string   `json:"detail,omitempty"`
}

// Watcher is the coordinator's state for `features watch`: the finalized
// feature cache exactly as a broker keeps it (features, epoch = the
// znode's data version), fed by reads that re-arm the watch in the same
// request, so no change falls between a read and its watch. It implements
// pipeline.Handler and runs on the coordinator goroutine only.
type Watcher struct {
	// Emit is called for every event, in order. An error ends the watch.
	Emit func(Event) error
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	known   bool         // read at least once
	last    *Description // nil while the node is absent
	highest int32        // the highest epoch seen, for regressions
	reading bool         // a read is in flight
	dirty   bool         // a trigger arrived during that read
	resync  bool         // the next read follows an outage
	conn    pipeline.Connection
}

// Start is the first fetch.
func (w *Watcher) Start() []pipeline.Fetch {
	w.conn.Start()
	return w.read()
}

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// read asks for /feature, arming a data watch; one read at a time, and a
// trigger during a read causes one more (latest wins).
func (w *Watcher) read() []pipeline.Fetch {
	if w.reading {
		w.dirty = true
		return nil
	}
	w.reading = true
	return []pipeline.Fetch{{Op: pipeline.OpGet, Path: zkpaths.Feature, Watch: true}}
}

// Handle takes one message.
func (w *Watcher) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	switch m := msg.(type) {
	case *pipeline.Result:
		return w.result(m)
	case pipeline.WatchFired:
		if m.Path != zkpaths.Feature || m.Type == zk.EventNotWatching {
			return nil, nil // an expiry: the session events say so
		}
		return w.read(), nil
	case pipeline.SessionChanged:
		return w.session(m)
	}
	return nil, nil
}

func (w *Watcher) result(r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.reading = false
	switch {
	case r.Op == pipeline.OpExists && r.Err == nil:
		if r.Exists || w.dirty {
			w.dirty = false
			return w.read(), nil // created between the read and the exists
		}
		return nil, nil // the creation watch is armed
	case errors.Is(r.Err, zk.ErrNoNode):
		if err := w.absent(); err != nil {
			return nil, err
		}
		// Wait for a creation: an exists watch, the only kind ZooKeeper
		// arms on a missing node.
		w.reading = true
		return []pipeline.Fetch{{Op: pipeline.OpExists, Path: zkpaths.Feature, Watch: true}}, nil
	case r.Err != nil:
		if fatal(r.Err) {
			return nil, r.Err
		}
		// Connection trouble: the session layer has already waited for
		// the session up to its deadline; ask again (no busy loop).
		return w.read(), nil
	}
	if err := w.present(Describe(r.Data, r.Stat)); err != nil {
		return nil, err
	}
	if w.dirty {
		w.dirty = false
		return w.read(), nil
	}
	return nil, nil
}

func fatal(err error) bool {
	return errors.Is(err, zk.ErrClosing) || errors.Is(err, zk.ErrNoAuth) || errors.Is(err, zk.ErrAuthFailed) ||
		errors.Is(err, zksession.ErrClosed)
}

func (w *Watcher) absent() error {
	d := Describe(nil, nil)
	kind := EventDeleted
	switch {
	case !w.known:
		kind = EventInitial
	case w.resync:
		kind = EventResynced
	case w.last == nil:
		return nil // still absent
	}
	w.known, w.last = true, nil
	return w.emit(kind, d, 0)
}

func (w *Watcher) present(d Description) error {
	prev := w.last
	epoch := *d.Epoch
	var kind string
	var skipped int32
	switch {
	case !w.known:
		kind = EventInitial
	case w.resync:
		kind = EventResynced
	case prev == nil || prev.Czxid != d.Czxid:
		kind = EventCreated
	case epoch == *prev.Epoch:
		return nil // nothing new (a re-read of the same version)
	default:
		skipped = epoch - *prev.Epoch - 1
		kind = map[string]string{StateEnabled: EventUpdated, StateDisabled: EventDisabled}[d.State]
		if kind == "" {
			kind = EventMalformed
		}
	}
	regressed := w.known && epoch < w.highest
	w.known, w.last = true, &d
	if err := w.emit(kind, d, skipped); err != nil {
		return err
	}
	if regressed {
		e := w.event(EventEpochRegressed, d, 0)
		e.Warnings = nil
		e.Detail = "the epoch went from " + itoa(w.highest) + " to " + itoa(epoch) +
			": /feature was deleted and recreated; running ZooKeeper-mode brokers that did not see the deletion exit (FeatureCacheUpdateException)"
		w.highest = epoch
		return w.Emit(e)
	}
	w.highest = max(w.highest, epoch)
	return nil
}

func (w *Watcher) event(kind string, d Description, skipped int32) Event {
	return Event{TS: w.now().UTC(), Event: kind, State: d.State, Epoch: d.Epoch, Version: d.Version,
		Features: d.Features, Warnings: d.Warnings, SkippedEpochs: skipped}
}

func (w *Watcher) emit(kind string, d Description, skipped int32) error {
	e := w.event(kind, d, skipped)
	if kind == EventResynced {
		gap := w.now().Sub(w.conn.LostAt()).Seconds()
		e.GapSeconds = &gap
		w.resync = false
	}
	return w.Emit(e)
}

func (w *Watcher) session(m pipeline.SessionChanged) ([]pipeline.Fetch, error) {
	switch w.conn.Change(m, w.now()) {
	case pipeline.ConnDisconnected:
		return nil, w.Emit(w.sessionEvent(EventDisconnected, "connection to ZooKeeper lost; reconnecting"))
	case pipeline.ConnExpired:
		w.resync = true
		return nil, w.Emit(w.sessionEvent(EventSessionExpired, "the ZooKeeper session expired: its watches are gone; a new session re-arms and re-reads"))
	case pipeline.ConnReconnected, pipeline.ConnRenewed:
		if !w.resync {
			w.resync = true
			if err := w.Emit(w.sessionEvent(EventReconnected, "reconnected with the same session")); err != nil {
				return nil, err
			}
		}
		return w.read(), nil
	}
	return nil, nil
}

// sessionEvent reports a connection change with the last known state.
func (w *Watcher) sessionEvent(kind, detail string) Event {
	d := Describe(nil, nil)
	if w.last != nil {
		d = *w.last
	}
	e := w.event(kind, d, 0)
	e.Warnings, e.Detail = nil, detail
	return e
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

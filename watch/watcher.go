package watch

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// Options choose what to watch.
type Options struct {
	Kinds   map[string]bool // nil: all
	Topic   *regexp.Regexp  // limits topics, partitions, deletion markers and topic configs; nil: all
	Initial bool            // report the initial view as initial events
}

// Watcher is the coordinator's state for `rafka watch`: per-path state
// (last decoded value, stat version and czxid) and per-path read dedupe.
// Every read of a watched path arms its own one-shot watch in the same
// request, so nothing falls between a read and its re-arm; a trigger
// during a read causes one more read (latest wins, skipped versions are
// counted). It implements pipeline.Handler and runs on the coordinator
// goroutine only.
type Watcher struct {
	Emit func(Event) error // every event, in order; an error (pipeline.ErrStop) ends the watch
	Now  func() time.Time  // time.Now when nil
	Opts Options
	// Persistent: the session holds persistent recursive watches on
	// PersistentRoots(Opts); reads arm none (persistent.go).
	Persistent bool

	nodes     map[string]*node
	inflight  int     // reads of ours not yet answered
	synced    bool    // the initial view is complete
	initial   []Event // initial events, held until synced to come out in a stable order
	resyncing bool    // re-reading everything after an outage
	quiet     bool    // this resync found the server unchanged (persistent.go)
	resyncHow string  // how a persistent-mode resync found what moved
	// pendingReads: never-read paths a persistent-mode resync reads once
	// the server has said what changed.
	pendingReads []*node
	conn         pipeline.Connection
	diffs        int // differences found by the current resync

	ctrlPending *Event // a controller change waiting for its epoch
	ctrlZxid    int64  // …which must be at least this new

	feat     *features.Watcher
	lastFeat *features.Event
}

// NewWatcher makes a watcher.
func NewWatcher(opts Options, emit func(Event) error) *Watcher {
	return &Watcher{Emit: emit, Opts: opts, nodes: map[string]*node{}}
}

func (w *Watcher) on(kind string) bool { return w.Opts.Kinds == nil || w.Opts.Kinds[kind] }

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Start returns the first reads.
func (w *Watcher) Start() []pipeline.Fetch {
	out := w.start()
	if w.Persistent {
		pipeline.Unwatch(out)
	}
	return out
}

func (w *Watcher) start() []pipeline.Fetch {
	w.conn.Start()
	var out []pipeline.Fetch
	add := func(path string) { out = append(out, w.read(w.track(path))...) }
	if w.on(KindBrokers) {
		add(zkpaths.BrokerIDs)
	}
	if w.on(KindController) {
		add(zkpaths.Controller)
		add(zkpaths.ControllerEpoch)
	}
	if w.on(KindTopics) || w.on(KindPartitions) {
		add(zkpaths.BrokerTopics)
	}
	if w.on(KindAdmin) {
		add(zkpaths.DeleteTopics)
		add(zkpaths.ReassignPartitionsPath)
	}
	if w.on(KindMigration) {
		add(zkpaths.Migration)
	}
	if w.on(KindConfigs) {
		add(zkpaths.ConfigChanges)
		for _, t := range zkpaths.ConfigEntityTypes {
			add(zkpaths.ConfigTypePath(t))
		}
	}
	if w.on(KindACLs) {
		add(zkpaths.LiteralACLChanges)
		add(zkpaths.ExtendedACLChanges)
		add(zkpaths.LiteralACLs)
		add(zkpaths.PrefixedACLs)
	}
	if w.on(KindFeatures) {
		w.feat = &features.Watcher{Emit: w.featureEvent, Now: w.Now}
		out = append(out, w.feat.Start()...)
	}
	if w.inflight == 0 {
		w.synced = true
	}
	return out
}

// track starts following path, as the role the schema's node for it has.
func (w *Watcher) track(path string) *node {
	if n, ok := w.nodes[path]; ok {
		return n
	}
	n := &node{path: path, role: roleOf(path)}
	w.nodes[path] = n
	return n
}

func (w *Watcher) drop(path string) { delete(w.nodes, path) }

// read asks for n, arming its watch; one read per path at a time.
func (w *Watcher) read(n *node) []pipeline.Fetch {
	if n.role == roleNone {
		w.drop(n.path)
		return nil
	}
	if n.reading {
		n.dirty = true
		return nil
	}
	n.reading = true
	w.inflight++
	return []pipeline.Fetch{n.fetch()}
}

// waitCreation arms an exists watch on an absent n.
func (w *Watcher) waitCreation(n *node) []pipeline.Fetch {
	n.reading = true
	w.inflight++
	return []pipeline.Fetch{{Op: pipeline.OpExists, Path: n.path, Watch: true, Tag: n}}
}

// Handle takes one message.
func (w *Watcher) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	out, err := w.handle(msg)
	if w.Persistent {
		pipeline.Unwatch(out)
	}
	return out, err
}

func (w *Watcher) handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	switch m := msg.(type) {
	case *pipeline.Result:
		if d, ok := m.Tag.(diffTag); ok {
			out, err := w.diffed(d, m)
			if err != nil {
				return nil, err
			}
			return out, w.checkSynced()
		}
		if p, ok := m.Tag.(probe); ok {
			out, err := w.probed(p, m)
			if err != nil {
				return nil, err
			}
			return out, w.checkSynced()
		}
		if w.feat != nil && featureFetch(m) {
			return w.feat.Handle(m)
		}
		out, err := w.result(m)
		if err != nil {
			return nil, err
		}
		return out, w.checkSynced()
	case pipeline.WatchFired:
		if m.Type == zk.EventNotWatching {
			return nil, nil // an expiry: the session events say so
		}
		if m.Path == zkpaths.Feature && w.feat != nil {
			return w.feat.Handle(m)
		}
		if w.Persistent {
			return w.persistentEvent(m), nil
		}
		if n, ok := w.nodes[m.Path]; ok {
			return w.read(n), nil
		}
		return nil, nil
	case pipeline.SessionChanged:
		out, err := w.session(m)
		if err != nil || w.feat == nil {
			return out, err
		}
		more, err := w.feat.Handle(m)
		return append(out, more...), err
	}
	return nil, nil
}

func (w *Watcher) result(r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.inflight--
	n, _ := r.Tag.(*node)
	if n == nil || w.nodes[n.path] != n {
		return nil, nil // the path was dropped (a deleted topic) while it was read
	}
	n.reading = false
	switch {
	case r.Op == pipeline.OpExists && r.Err == nil:
		if r.Exists || n.dirty {
			n.dirty = false
			return w.read(n), nil
		}
		return nil, nil // the creation watch is armed
	case errors.Is(r.Err, zk.ErrNoNode):
		n.dirty = false
		if err := w.absent(n); err != nil {
			return nil, err
		}
		if w.nodes[n.path] == n && n.role.waitsForCreation() {
			return w.waitCreation(n), nil
		}
		if w.nodes[n.path] == n && !n.role.waitsForCreation() {
			w.drop(n.path)
		}
		return nil, nil
	case r.Err != nil:
		if fatal(r.Err) {
			return nil, r.Err
		}
		// The session layer already waited for the connection up to its
		// deadline: ask again (no busy loop).
		n.dirty = false
		return w.read(n), nil
	}
	out, err := w.present(n, r)
	if err != nil {
		return nil, err
	}
	if n.dirty && w.nodes[n.path] == n {
		n.dirty = false
		out = append(out, w.read(n)...)
	}
	return out, nil
}

func fatal(err error) bool {
	return errors.Is(err, zk.ErrClosing) || errors.Is(err, zk.ErrNoAuth) || errors.Is(err, zk.ErrAuthFailed) ||
		errors.Is(err, zksession.ErrClosed)
}

// present dispatches a successful read.
func (w *Watcher) present(n *node, r *pipeline.Result) ([]pipeline.Fetch, error) {
	if n.role.list() {
		return w.children(n, r)
	}
	switch n.role {
	case roleBroker:
		return nil, w.broker(n, r)
	case roleController:
		return w.controller(n, r)
	case roleControllerEpoch:
		return nil, w.controllerEpoch(n, r)
	case roleTopic:
		return nil, w.topic(n, r)
	case roleState:
		return nil, w.state(n, r)
	case roleReassign:
		return nil, w.reassign(n, r)
	case roleMigration:
		return nil, w.migration(n, r)
	case roleConfigEntity:
		return nil, w.configEntity(n, r)
	case roleConfigNotice:
		return w.configNotice(n, r)
	case roleACLResource:
		return nil, w.aclResource(n, r)
	case roleACLNotice, roleExtACLNotice:
		return w.aclNotice(n, r)
	}
	n.stamp(r.Stat)
	return nil, nil
}

// absent handles a read that found no znode.
func (w *Watcher) absent(n *node) error {
	existed := n.known && n.exists
	n.known, n.exists = true, false
	switch n.role {
	case roleBroker:
		return w.brokerGone(n, existed)
	case roleController:
		return w.controllerGone(n, existed)
	case roleTopic:
		return w.topicGone(n.topic, existed)
	case roleReassign:
		return w.reassignGone(n, existed)
	case roleMigration:
		return w.migrationGone(n, existed)
	case roleConfigEntity:
		return w.configEntityGone(n, existed)
	case roleACLResource:
		return w.aclResourceGone(n, existed)
	case roleState, rolePartitions, roleBrokerIDs, roleTopics, roleDeleteTopics, roleConfigChanges, roleACLChanges, roleExtACLChanges:
		// A directory that vanished: its children are gone with it.
		if n.role.list() && existed {
			w.childrenGone(n)
		}
		n.value = nil
	}
	return nil
}

// event starts an event of kind at path.
func (w *Watcher) event(kind, name, path string) Event {
	return Event{TS: w.now().UTC(), Kind: kind, Event: name, Path: path, Resync: w.resyncing}
}

func (w *Watcher) emit(e Event) error {
	if e.Kind != KindSession && !w.on(e.Kind) {
		return nil
	}
	if e.Event == EventInitial && !w.Opts.Initial {
		return nil
	}
	if e.Event == EventInitial && !w.synced {
		// Reads answer in any order; the initial view is reported in a
		// stable one (kind, then path) when it is complete.
		w.initial = append(w.initial, e)
		return nil
	}
	if w.resyncing && e.Kind != KindSession {
		w.diffs++
	}
	return w.Emit(e)
}

// firstName is the event for a node read for the first time: initial
// during the initial sync, else created (or a kind's own word).
func (w *Watcher) firstName(created string) string {
	if !w.synced {
		return EventInitial
	}
	return created
}

func (w *Watcher) checkSynced() error {
	if w.inflight > 0 {
		return nil
	}
	switch {
	case !w.synced:
		w.synced = true
		if err := w.emitInitial(); err != nil {
			return err
		}
		e := w.event(KindSession, EventSynced, "")
		e.Znodes, e.Watches = w.counts()
		e.Detail = "initial view read; reporting changes"
		return w.emit(e)
	case w.resyncing:
		w.resyncing = false
		e := w.event(KindSession, EventResynced, "")
		gap := w.now().Sub(w.conn.LostAt()).Seconds()
		e.GapSeconds = &gap
		e.Znodes, e.Watches = w.counts()
		e.Detail = fmt.Sprintf("everything re-read: %d differences reported", w.diffs)
		if w.Persistent {
			e.Detail = fmt.Sprintf("what moved re-read (%s): %d differences reported", w.resyncHow, w.diffs)
		}
		if w.quiet {
			w.quiet = false
			e.Detail = "nothing changed on the server while disconnected (its zxid had not moved): nothing re-read"
		}
		return w.emit(e)
	}
	return nil
}

// counts are the znodes tracked and the watches armed by this watcher's
// reads (one per watched path; /feature not included), or in persistent
// mode the persistent watches.
func (w *Watcher) counts() (znodes, watches int) {
	for _, n := range w.nodes {
		znodes++
		if n.role.watched() {
			watches++
		}
	}
	if w.Persistent {
		watches = len(PersistentRoots(w.Opts))
	}
	return znodes, watches
}

func (w *Watcher) session(m pipeline.SessionChanged) ([]pipeline.Fetch, error) {
	switch w.conn.Change(m, w.now()) {
	case pipeline.ConnDisconnected:
		e := w.event(KindSession, EventDisconnected, "")
		e.Detail = "connection to ZooKeeper lost; reconnecting"
		return nil, w.emit(e)
	case pipeline.ConnExpired:
		e := w.event(KindSession, EventSessionExpired, "")
		e.Detail = "the ZooKeeper session expired: its watches are gone; a new session re-reads everything and re-arms"
		return nil, w.emit(e)
	case pipeline.ConnReconnected:
		e := w.event(KindSession, EventReconnected, "")
		e.Detail = "reconnected with the same session; re-reading everything"
		if err := w.emit(e); err != nil {
			return nil, err
		}
		if w.Persistent && m.Quiet {
			return nil, w.quietResync()
		}
		if w.Persistent && m.SinceZxid > 0 {
			return w.diffResync(m.SinceZxid), nil
		}
		return w.resync(), nil
	case pipeline.ConnRenewed:
		return w.resync(), nil
	}
	return nil, nil
}

// resync re-reads every tracked path (re-arming its watch) and reports
// the differences; resynced follows once all are answered.
func (w *Watcher) resync() []pipeline.Fetch {
	if w.Persistent {
		return w.probeAll()
	}
	w.resyncing, w.diffs = true, 0
	var out []pipeline.Fetch
	for _, n := range w.nodes {
		if n.reading {
			n.dirty = true // the answer may predate the outage
			continue
		}
		out = append(out, w.read(n)...)
	}
	if w.inflight == 0 {
		w.resyncing = false
	}
	return out
}

// emitInitial reports the held initial events by kind (in AllKinds'
// order), then path, then event name.
func (w *Watcher) emitInitial() error {
	rank := func(kind string) int {
		if i := slices.Index(AllKinds, kind); i >= 0 {
			return i
		}
		return len(AllKinds)
	}
	slices.SortStableFunc(w.initial, func(a, b Event) int {
		return cmp.Or(cmp.Compare(rank(a.Kind), rank(b.Kind)), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Event, b.Event))
	})
	held := w.initial
	w.initial = nil
	for _, e := range held {
		if err := w.Emit(e); err != nil {
			return err
		}
	}
	return nil
}

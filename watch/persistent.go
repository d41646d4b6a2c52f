package watch

import (
	"path"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Persistent mode: the session holds one persistent recursive watch per
// watched subtree (PersistentRoots; zksession adds them on every
// connection) instead of a one-shot watch per znode. Reads then arm
// nothing — on ZooKeeper 3.6–3.8 a one-shot watch on a path would demote
// the persistent watch there — and events are routed here:
//
//   - an event on a tracked, watched path re-reads it, as a one-shot
//     trigger would;
//   - a creation or deletion also re-reads the parent when it is a tracked
//     directory: recursive watches never deliver NodeChildrenChanged.
//
// Events on paths the watcher does not follow (config entities and ACL
// resources, read on their notifications as brokers do; znodes of kinds
// not asked for) cost nothing but the event.
//
// After an outage the watches are back, but what changed meanwhile was
// never reported: resync asks only for every tracked path's stat (no data,
// no children) and re-reads the paths whose stat moved — mzxid for data,
// pzxid and cversion for directories, czxid for a re-creation, existence.

// PersistentRoots are the subtrees a watcher with opts needs watched.
func PersistentRoots(opts Options) []string {
	on := func(k string) bool { return opts.Kinds == nil || opts.Kinds[k] }
	var roots []string
	add := func(p string) {
		for _, r := range roots {
			if r == p {
				return
			}
		}
		roots = append(roots, p)
	}
	if on(KindBrokers) || on(KindTopics) || on(KindPartitions) {
		add("/brokers")
	}
	if on(KindController) {
		add(zkpaths.Controller)
		add(zkpaths.ControllerEpoch)
	}
	if on(KindAdmin) {
		add("/admin")
	}
	if on(KindMigration) {
		add(zkpaths.Migration)
	}
	if on(KindConfigs) {
		add(zkpaths.ConfigChanges)
	}
	if on(KindACLs) {
		add(zkpaths.LiteralACLChanges)
		add(zkpaths.ExtendedACLChanges)
	}
	if on(KindFeatures) {
		add(zkpaths.Feature)
	}
	return roots
}

// persistentEvent routes one event of a recursive watch.
func (w *Watcher) persistentEvent(m pipeline.WatchFired) []pipeline.Fetch {
	var out []pipeline.Fetch
	if n, ok := w.nodes[m.Path]; ok && n.role.watched() {
		out = append(out, w.read(n)...)
	}
	if m.Type == zk.EventNodeCreated || m.Type == zk.EventNodeDeleted {
		if parent, ok := w.nodes[path.Dir(m.Path)]; ok && parent.role.list() && parent.role.watched() {
			out = append(out, w.read(parent)...)
		}
	}
	return out
}

// probe is the tag of a resync's stat read.
type probe struct{ n *node }

// probeAll starts a persistent-mode resync: one stat read per tracked,
// watched path not being read already.
func (w *Watcher) probeAll() []pipeline.Fetch {
	w.resyncing, w.diffs, w.resyncHow = true, 0, "stats compared"
	var out []pipeline.Fetch
	for _, n := range w.nodes {
		if !n.role.watched() {
			continue
		}
		if n.reading {
			n.dirty = true // the answer may predate the outage
			continue
		}
		n.reading = true
		w.inflight++
		out = append(out, pipeline.Fetch{Op: pipeline.OpExists, Path: n.path, Tag: probe{n}})
	}
	if w.inflight == 0 {
		w.resyncing = false
	}
	return out
}

// probed takes a stat read: re-read the path if it may have changed.
func (w *Watcher) probed(p probe, r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.inflight--
	n := p.n
	if w.nodes[n.path] != n {
		return nil, nil
	}
	n.reading = false
	if r.Err != nil {
		if fatal(r.Err) {
			return nil, r.Err
		}
		n.dirty = false
		return w.read(n), nil
	}
	if n.dirty || w.moved(n, r.Exists, r.Stat) {
		n.dirty = false
		return w.read(n), nil
	}
	return nil, nil
}

// moved says whether a stat differs from what the last read of n saw.
func (w *Watcher) moved(n *node, exists bool, st *zk.Stat) bool {
	switch {
	case !n.known:
		return true
	case exists != n.exists:
		return true
	case !exists:
		return false
	case st == nil:
		return true
	case st.Czxid != n.czxid:
		return true
	case n.role.list():
		return st.Pzxid != n.pzxid || st.Cversion != n.cversion
	}
	return st.Mzxid != n.mzxid
}

// quietResync ends a resync at once: the session came back and the server
// has not moved since our last reply (pipeline.SessionChanged.Quiet), so
// the persistent watches missed nothing. Reads that were in flight across
// the outage are read again, as in any resync.
func (w *Watcher) quietResync() error {
	w.resyncing, w.diffs, w.quiet = true, 0, true
	for _, n := range w.nodes {
		if n.reading {
			n.dirty = true
		}
	}
	return w.checkSynced()
}

// diffTag is the tag of a resync's OpChangedSince.
type diffTag struct{}

// diffResync starts a persistent-mode resync after a same-session
// reconnect: the server itself names the followed paths that changed after
// since (zksession.Session.ChangedSince), and only those are re-read.
func (w *Watcher) diffResync(since int64) []pipeline.Fetch {
	w.resyncing, w.diffs, w.resyncHow = true, 0, "the server named what changed"
	q := &pipeline.ChangedSince{Zxid: since}
	w.pendingReads = nil
	for _, n := range w.nodes {
		if !n.role.watched() {
			continue
		}
		if n.reading {
			n.dirty = true // the answer may predate the outage
			continue
		}
		switch {
		case !n.known: // never read: read it once the answer is in
			w.pendingReads = append(w.pendingReads, n)
		case !n.exists:
			q.Exist = append(q.Exist, n.path)
		case n.role.list():
			q.Children = append(q.Children, n.path)
		default:
			q.Data = append(q.Data, n.path)
		}
	}
	out := []pipeline.Fetch{{Op: pipeline.OpChangedSince, Path: "/", Since: q, Tag: diffTag{}}}
	w.inflight++
	return out
}

// diffed takes the server's answer: re-read what it named; if it could
// not answer, compare stats instead.
func (w *Watcher) diffed(_ diffTag, r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.inflight--
	if r.Err != nil {
		if fatal(r.Err) {
			return nil, r.Err
		}
		w.pendingReads = nil
		return w.probeAll(), nil
	}
	var out []pipeline.Fetch
	for _, p := range r.Children {
		if n, ok := w.nodes[p]; ok && n.role.watched() {
			out = append(out, w.read(n)...)
		}
	}
	for _, n := range w.pendingReads {
		if w.nodes[n.path] == n {
			out = append(out, w.read(n)...)
		}
	}
	w.pendingReads = nil
	return out, nil
}

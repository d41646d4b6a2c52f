package watch

import (
	"sort"

	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// children diffs a directory listing against the last one and hands the
// additions and removals to the directory's role.
func (w *Watcher) children(n *node, r *pipeline.Result) ([]pipeline.Fetch, error) {
	first := !n.known || !n.exists
	old := n.kids
	n.kids = make(map[string]struct{}, len(r.Children))
	var added []string
	for _, c := range r.Children {
		if !w.keep(n, c) {
			continue
		}
		n.kids[c] = struct{}{}
		if _, ok := old[c]; !ok {
			added = append(added, c)
		}
	}
	var removed []string
	for c := range old {
		if _, ok := n.kids[c]; !ok {
			removed = append(removed, c)
		}
	}
	sort.Strings(added) // notifications in sequence order
	sort.Strings(removed)
	n.stamp(r.Stat)
	var out []pipeline.Fetch
	for _, c := range removed {
		if err := w.childRemoved(n, c); err != nil {
			return nil, err
		}
	}
	for _, c := range added {
		more, err := w.childAdded(n, c, first)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// topicWanted applies --topic.
func (w *Watcher) topicWanted(topic string) bool {
	return w.Opts.Topic == nil || w.Opts.Topic.MatchString(topic)
}

// keep filters children: --topic (topics, deletion markers, topic
// configs), and partition directories that are not numbers.
func (w *Watcher) keep(n *node, child string) bool {
	switch n.role {
	case roleTopics, roleDeleteTopics:
		return w.topicWanted(child)
	case roleConfigDir:
		return n.path != topicConfigs || w.topicWanted(child)
	case rolePartitions:
		_, ok := zkpaths.PartitionOf(child) // as the dump: Kafka reads no other name
		return ok
	}
	return true
}

var topicConfigs = zkpaths.ConfigTypePath("topics")

func (w *Watcher) childAdded(n *node, c string, first bool) ([]pipeline.Fetch, error) {
	p := zkpaths.Join(n.path, c)
	switch n.role {
	case roleBrokerIDs:
		return w.read(w.track(p)), nil
	case roleTopics:
		var out []pipeline.Fetch
		if w.on(KindTopics) {
			t := w.track(p)
			t.topic = c
			out = append(out, w.read(t)...)
		}
		if w.on(KindPartitions) {
			d := w.track(zkpaths.PartitionsPath(c))
			d.topic = c
			out = append(out, w.read(d)...)
		}
		return out, nil
	case rolePartitions:
		id, _ := zkpaths.PartitionOf(c)
		s := w.track(zkpaths.PartitionStatePath(n.topic, id))
		s.topic, s.part = n.topic, id
		return w.read(s), nil
	case roleDeleteTopics:
		e := w.event(KindAdmin, w.firstOr(first, EventMarkedForDeletion), p)
		e.Topic = c
		return nil, w.emit(e)
	case roleConfigChanges, roleACLChanges, roleExtACLChanges:
		if first && !w.resyncing {
			return nil, nil // notifications older than the watch were applied before it
		}
		return w.read(w.track(p)), nil
	case roleConfigDir:
		if _, ok := w.nodes[p]; ok {
			return nil, nil
		}
		out := w.read(w.track(p))
		if m, _ := zkpaths.Lookup(p); m.Pattern == zkpaths.PatternUserConfig {
			// A user's node holds its quotas; its clients below it theirs.
			out = append(out, w.read(w.track(zkpaths.UserClientsPath(c)))...)
		}
		return out, nil
	case roleACLDir:
		if _, ok := w.nodes[p]; ok {
			return nil, nil
		}
		return w.read(w.track(p)), nil // a resource type's directory, or a resource
	}
	return nil, nil
}

// firstOr is initial during the initial sync and for a directory's first
// listing, else name.
func (w *Watcher) firstOr(first bool, name string) string {
	if first && !w.synced {
		return EventInitial
	}
	return name
}

func (w *Watcher) childRemoved(n *node, c string) error {
	p := zkpaths.Join(n.path, c)
	switch n.role {
	case roleBrokerIDs:
		if b, ok := w.nodes[p]; ok {
			return w.brokerGone(b, b.known && b.exists)
		}
	case roleTopics:
		existed := true
		if t, ok := w.nodes[p]; ok {
			existed = t.exists || !t.known
		}
		return w.topicGone(c, existed)
	case rolePartitions:
		w.drop(zkpaths.Join(p, "state"))
	case roleDeleteTopics:
		e := w.event(KindAdmin, EventDeletionMarkerRemoved, p)
		e.Topic = c
		e.Detail = "the controller finished (or gave up) deleting the topic"
		return w.emit(e)
	}
	return nil
}

// childrenGone handles a watched directory that disappeared.
func (w *Watcher) childrenGone(n *node) {
	for c := range n.kids {
		_ = w.childRemoved(n, c)
	}
	n.kids = nil
}

// dropTopic forgets everything under a topic.
func (w *Watcher) dropTopic(topic string) {
	parts := zkpaths.PartitionsPath(topic)
	if d, ok := w.nodes[parts]; ok {
		for c := range d.kids {
			w.drop(zkpaths.Join(zkpaths.Join(parts, c), "state"))
		}
	}
	w.drop(parts)
	w.drop(zkpaths.TopicPath(topic))
}

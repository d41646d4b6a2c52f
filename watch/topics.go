package watch

import (
	"maps"
	"slices"
	"sort"

	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Topic, partition and admin events.
const (
	EventPartitionsAdded       = "partitions-added"
	EventReassignmentStarted   = "reassignment-started"
	EventReassignmentUpdated   = "reassignment-updated"
	EventReassignmentFinished  = "reassignment-finished"
	EventAssignmentChanged     = "assignment-changed"
	EventLeaderChanged         = "leader-changed"
	EventISRShrank             = "isr-shrank"
	EventISRExpanded           = "isr-expanded"
	EventISRChanged            = "isr-changed" // members both added and removed
	EventStateChanged          = "state-changed"
	EventMarkedForDeletion     = "marked-for-deletion"
	EventDeletionMarkerRemoved = "deletion-marker-removed"
)

func (w *Watcher) topic(n *node, r *pipeline.Result) error {
	v, derr := decode(n, r.Data)
	a, _ := v.(*zkpaths.TopicAssignment)
	prev, _ := n.value.(*zkpaths.TopicAssignment)
	first, changed, skipped := n.advance(r.Stat)
	if !changed {
		return nil
	}
	if a != nil {
		a.Warnings = nil
	}
	n.value = a
	base := func(name string) Event {
		e := w.event(KindTopics, name, n.path)
		e.Topic, e.Version, e.SkippedVersions = n.topic, &r.Stat.Version, skipped
		return e
	}
	if derr != nil {
		e := base(EventMalformed)
		e.Detail = derr.Error()
		return w.emit(e)
	}
	if first || prev == nil {
		e := base(w.firstName(EventCreated))
		e.After = a
		return w.emit(e)
	}
	var events []Event
	var added []int32
	for p := range a.Partitions {
		if _, ok := prev.Partitions[p]; !ok {
			added = append(added, p)
		}
	}
	if len(added) > 0 {
		slices.Sort(added)
		e := base(EventPartitionsAdded)
		e.Added = added
		e.Before, e.After = len(prev.Partitions), len(a.Partitions)
		events = append(events, e)
	}
	was, is := reassigning(prev), reassigning(a)
	switch {
	case !was && is:
		e := base(EventReassignmentStarted)
		e.After = reassignView(a)
		events = append(events, e)
	case was && !is:
		e := base(EventReassignmentFinished)
		e.Before = reassignView(prev)
		e.After = pick(a.Partitions, slices.Collect(maps.Keys(prev.AddingReplicas)), slices.Collect(maps.Keys(prev.RemovingReplicas)))
		events = append(events, e)
	case was && is:
		e := base(EventReassignmentUpdated)
		e.Before, e.After = reassignView(prev), reassignView(a)
		events = append(events, e)
	default:
		if changed := changedReplicas(prev.Partitions, a.Partitions); len(changed) > 0 {
			e := base(EventAssignmentChanged)
			e.Before, e.After = pick(prev.Partitions, changed), pick(a.Partitions, changed)
			events = append(events, e)
		}
	}
	if len(events) == 0 {
		e := base(EventUpdated)
		e.After = a
		events = append(events, e)
	}
	for _, e := range events {
		if err := w.emit(e); err != nil {
			return err
		}
	}
	return nil
}

func reassigning(a *zkpaths.TopicAssignment) bool {
	return len(a.AddingReplicas) > 0 || len(a.RemovingReplicas) > 0
}

// ReassignView is a topic's in-progress reassignment (KIP-455).
type ReassignView struct {
	Replicas         map[int32][]int32 `json:"replicas"`
	AddingReplicas   map[int32][]int32 `json:"adding_replicas"`
	RemovingReplicas map[int32][]int32 `json:"removing_replicas"`
}

func reassignView(a *zkpaths.TopicAssignment) ReassignView {
	parts := slices.Collect(maps.Keys(a.AddingReplicas))
	parts = append(parts, slices.Collect(maps.Keys(a.RemovingReplicas))...)
	return ReassignView{Replicas: pick(a.Partitions, parts), AddingReplicas: a.AddingReplicas, RemovingReplicas: a.RemovingReplicas}
}

func pick(m map[int32][]int32, parts ...[]int32) map[int32][]int32 {
	out := map[int32][]int32{}
	for _, ps := range parts {
		for _, p := range ps {
			if r, ok := m[p]; ok {
				out[p] = r
			}
		}
	}
	return out
}

func changedReplicas(before, after map[int32][]int32) []int32 {
	var out []int32
	for p, r := range after {
		if b, ok := before[p]; ok && !slices.Equal(b, r) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (w *Watcher) topicGone(topic string, existed bool) error {
	path := zkpaths.TopicPath(topic)
	var prev *zkpaths.TopicAssignment
	n, tracked := w.nodes[path]
	if tracked {
		prev, _ = n.value.(*zkpaths.TopicAssignment)
	}
	_, listed := w.nodes[zkpaths.PartitionsPath(topic)]
	w.dropTopic(topic)
	if !existed || (!tracked && !listed) {
		return nil
	}
	e := w.event(KindTopics, EventDeleted, path)
	e.Topic = topic
	if prev != nil {
		e.Before = prev
	}
	return w.emit(e)
}

func (w *Watcher) state(n *node, r *pipeline.Result) error {
	decoded, derr := decode(n, r.Data)
	st, _ := decoded.(*zkpaths.PartitionState)
	prev, _ := n.value.(*PartitionView)
	first, changed, skipped := n.advance(r.Stat)
	if !changed {
		return nil
	}
	base := func(name string) Event {
		e := w.event(KindPartitions, name, n.path)
		e.Topic, e.Partition, e.Version, e.SkippedVersions = n.topic, &n.part, &r.Stat.Version, skipped
		return e
	}
	if derr != nil {
		n.value = nil
		e := base(EventMalformed)
		e.Detail = derr.Error()
		return w.emit(e)
	}
	v := &PartitionView{Leader: st.Leader, LeaderEpoch: st.LeaderEpoch, ISR: st.ISR, ControllerEpoch: st.ControllerEpoch,
		PartitionEpoch: r.Stat.Version, LeaderRecoveryState: st.LeaderRecoveryState}
	if v.LeaderRecoveryState == "recovered" {
		v.LeaderRecoveryState = ""
	}
	v.Status, v.Problems = w.verdict(n.topic, n.part, v)
	n.value = v
	if first || prev == nil {
		if first && !w.synced && !w.Opts.Initial {
			return nil // the common case at scale: no event to build
		}
		e := base(w.firstName(EventCreated))
		e.After = v
		return w.emit(e)
	}
	var events []Event
	if prev.Leader != v.Leader {
		events = append(events, base(EventLeaderChanged))
	}
	added, removed := diffIDs(prev.ISR, v.ISR)
	switch {
	case len(added) > 0 && len(removed) > 0:
		events = append(events, base(EventISRChanged))
	case len(removed) > 0:
		events = append(events, base(EventISRShrank))
	case len(added) > 0:
		events = append(events, base(EventISRExpanded))
	}
	if len(events) == 0 {
		events = append(events, base(EventStateChanged))
	}
	for _, e := range events {
		e.Before, e.After = prev, v
		if len(added) > 0 {
			e.Added = added
		}
		if len(removed) > 0 {
			e.Removed = removed
		}
		if err := w.emit(e); err != nil {
			return err
		}
	}
	return nil
}

func diffIDs(before, after []int32) (added, removed []int32) {
	for _, a := range after {
		if !slices.Contains(before, a) {
			added = append(added, a)
		}
	}
	for _, b := range before {
		if !slices.Contains(after, b) {
			removed = append(removed, b)
		}
	}
	return added, removed
}

// reassign follows /admin/reassign_partitions (the pre-2.4 way, still
// honoured by the ZK controller, which rewrites it as partitions finish).
func (w *Watcher) reassign(n *node, r *pipeline.Result) error {
	v, derr := decode(n, r.Data)
	ra, _ := v.(*zkpaths.ReassignPartitions)
	var value any
	if derr == nil {
		sort.Slice(ra.Partitions, func(i, j int) bool {
			a, b := ra.Partitions[i], ra.Partitions[j]
			return a.Topic < b.Topic || a.Topic == b.Topic && a.Partition < b.Partition
		})
		value = ra.Partitions
	}
	return w.singleton(n, r, KindAdmin, EventReassignmentStarted, EventReassignmentUpdated, value, derr)
}

// singleton reports a new version of a znode that holds one value
// (/admin/reassign_partitions, /migration): first seen, changed, or
// malformed, with the value before and after.
func (w *Watcher) singleton(n *node, r *pipeline.Result, kind, created, updated string, value any, derr error) error {
	prev := n.value
	first, changed, skipped := n.advance(r.Stat)
	if !changed {
		return nil
	}
	name := updated
	if first {
		name = w.firstName(created)
	}
	e := w.event(kind, name, n.path)
	e.Version, e.SkippedVersions = &r.Stat.Version, skipped
	if !first {
		e.Before = prev
	}
	if derr != nil {
		n.value = nil
		e.Event, e.Detail = EventMalformed, derr.Error()
		return w.emit(e)
	}
	n.value = value
	e.After = value
	return w.emit(e)
}

func (w *Watcher) reassignGone(n *node, existed bool) error {
	prev := n.value
	n.value = nil
	if !existed {
		return nil
	}
	e := w.event(KindAdmin, EventReassignmentFinished, n.path)
	e.Before = prev
	e.Detail = "the controller deleted /admin/reassign_partitions: every requested partition is done"
	return w.emit(e)
}

func (w *Watcher) migration(n *node, r *pipeline.Result) error {
	v, derr := decode(n, r.Data)
	m, _ := v.(*zkpaths.MigrationState)
	var value any
	if derr == nil {
		value = m
	}
	return w.singleton(n, r, KindMigration, EventCreated, EventUpdated, value, derr)
}

func (w *Watcher) migrationGone(n *node, existed bool) error {
	prev := n.value
	n.value = nil
	if !existed {
		return nil
	}
	e := w.event(KindMigration, EventDeleted, n.path)
	e.Before = prev
	return w.emit(e)
}

package diff

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// topicValue is a topic in Before/After of topic-created and -deleted.
type topicValue struct {
	TopicID           *string `json:"topic_id"`
	Partitions        int     `json:"partitions"`
	ReplicationFactor int     `json:"replication_factor"`
}

// partitionValue is a partition in Before/After of partition-added and -removed.
type partitionValue struct {
	Replicas []int32 `json:"replicas"`
	Leader   *int32  `json:"leader"`
	ISR      []int32 `json:"isr"`
}

// replicasValue is Before/After of replicas-reassigned.
type replicasValue struct {
	Replicas         []int32 `json:"replicas"`
	AddingReplicas   []int32 `json:"adding_replicas,omitempty"`
	RemovingReplicas []int32 `json:"removing_replicas,omitempty"`
}

var (
	topicPath = zkpaths.TopicPath
	statePath = zkpaths.PartitionStatePath
)

// partitionName is Kafka's TopicPartition string: "orders-0".
func partitionName(topic string, p int32) string { return topic + "-" + strconv.Itoa(int(p)) }

// compareTopics reports topics created, deleted or recreated (a new topic
// id), deletion markers, and, per partition, partitions added or removed,
// a new leader, ISR changes and reassignments. Leader epoch, partition
// epoch (the state znode's version) and controller epoch bumps are not
// differences on their own: they change with every leader or ISR write.
func compareTopics(a, b []cluster.Topic) []Difference {
	ma, mb := map[string]*cluster.Topic{}, map[string]*cluster.Topic{}
	for i := range a {
		ma[a[i].Name] = &a[i]
	}
	for i := range b {
		mb[b[i].Name] = &b[i]
	}
	var out []Difference
	for _, name := range unionKeys(ma, mb) {
		out = append(out, compareTopic(name, ma[name], mb[name])...)
	}
	return out
}

func compareTopic(name string, a, b *cluster.Topic) []Difference {
	d := Difference{Section: string(cluster.SectionTopics), Subject: name, Path: topicPath(name)}
	switch {
	case a == nil:
		v := summarizeTopic(b)
		d.Kind, d.After = TopicCreated, v
		d.Message = fmt.Sprintf("topic %s created: %d partitions, replication factor %d", name, v.Partitions, v.ReplicationFactor)
		return []Difference{d}
	case b == nil:
		v := summarizeTopic(a)
		d.Kind, d.Before = TopicDeleted, v
		d.Message = fmt.Sprintf("topic %s deleted (had %d partitions)", name, v.Partitions)
		return []Difference{d}
	}
	var out []Difference
	if a.TopicID != nil && b.TopicID != nil && *a.TopicID != *b.TopicID {
		r := d
		r.Kind, r.Before, r.After = TopicRecreated, *a.TopicID, *b.TopicID
		r.Message = fmt.Sprintf("topic %s was deleted and created again: topic id %s → %s", name, *a.TopicID, *b.TopicID)
		out = append(out, r)
	}
	if a.MarkedForDeletion != b.MarkedForDeletion {
		m := d
		m.Path, m.Before, m.After = zkpaths.DeleteTopicPath(name), a.MarkedForDeletion, b.MarkedForDeletion
		m.Kind, m.Message = TopicMarkedForDeletion, "topic "+name+" marked for deletion"
		if a.MarkedForDeletion {
			m.Kind, m.Message = TopicDeletionCancelled, "topic "+name+" no longer marked for deletion, and not deleted"
		}
		out = append(out, m)
	}
	return append(out, comparePartitions(name, a.Partitions, b.Partitions)...)
}

func summarizeTopic(t *cluster.Topic) topicValue {
	v := topicValue{TopicID: t.TopicID, Partitions: len(t.Partitions)}
	for _, p := range t.Partitions {
		v.ReplicationFactor = max(v.ReplicationFactor, len(p.Replicas))
	}
	return v
}

func comparePartitions(topic string, a, b []cluster.Partition) []Difference {
	ma, mb := map[int32]*cluster.Partition{}, map[int32]*cluster.Partition{}
	var all []int32
	for i := range a {
		ma[a[i].Partition] = &a[i]
		all = append(all, a[i].Partition)
	}
	for i := range b {
		mb[b[i].Partition] = &b[i]
		if ma[b[i].Partition] == nil {
			all = append(all, b[i].Partition)
		}
	}
	slices.Sort(all)
	var out []Difference
	for _, p := range all {
		out = append(out, comparePartition(topic, p, ma[p], mb[p])...)
	}
	return out
}

func comparePartition(topic string, n int32, a, b *cluster.Partition) []Difference {
	name := partitionName(topic, n)
	at := func(kind Kind, path string, before, after any, format string, args ...any) Difference {
		return Difference{Kind: kind, Section: string(cluster.SectionTopics), Subject: name, Path: path,
			Before: before, After: after, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case a == nil:
		return []Difference{at(PartitionAdded, topicPath(topic), nil, summarizePartition(b),
			"partition %s added: replicas %s", name, replicasText(b.Replicas))}
	case b == nil:
		return []Difference{at(PartitionRemoved, topicPath(topic), summarizePartition(a), nil,
			"partition %s removed (replicas were %s)", name, replicasText(a.Replicas))}
	}
	var out []Difference
	if !equalPtr(a.Leader, b.Leader) {
		out = append(out, at(LeaderChanged, statePath(topic, n), orNil(a.Leader), orNil(b.Leader),
			"leader of %s: %s → %s", name, leaderText(a.Leader), leaderText(b.Leader)))
	}
	if a.Leader != nil && b.Leader != nil && !sameSet(a.ISR, b.ISR) {
		left, joined := minus(a.ISR, b.ISR), minus(b.ISR, a.ISR)
		kind, how := ISRChanged, fmt.Sprintf("changed (%s left, %s joined)", formatIDs(left), formatIDs(joined))
		switch {
		case len(joined) == 0:
			kind, how = ISRShrank, "shrank ("+formatIDs(left)+" left)"
		case len(left) == 0:
			kind, how = ISRExpanded, "expanded ("+formatIDs(joined)+" joined)"
		}
		out = append(out, at(kind, statePath(topic, n), nonNullIDs(a.ISR), nonNullIDs(b.ISR),
			"ISR of %s %s: %s → %s", name, how, formatIDs(a.ISR), formatIDs(b.ISR)))
	}
	if !slices.Equal(a.Replicas, b.Replicas) || !sameSet(a.AddingReplicas, b.AddingReplicas) || !sameSet(a.RemovingReplicas, b.RemovingReplicas) {
		va, vb := replicasOf(a), replicasOf(b)
		out = append(out, at(ReplicasReassigned, topicPath(topic), va, vb,
			"replicas of %s: %s → %s", name, va, vb))
	}
	return out
}

func summarizePartition(p *cluster.Partition) partitionValue {
	return partitionValue{Replicas: p.Replicas, Leader: p.Leader, ISR: p.ISR}
}

func replicasOf(p *cluster.Partition) replicasValue {
	return replicasValue{Replicas: p.Replicas, AddingReplicas: p.AddingReplicas, RemovingReplicas: p.RemovingReplicas}
}

func (r replicasValue) String() string {
	s := replicasText(r.Replicas)
	if len(r.AddingReplicas) > 0 || len(r.RemovingReplicas) > 0 {
		s += fmt.Sprintf(" (adding %s, removing %s)", formatIDs(r.AddingReplicas), formatIDs(r.RemovingReplicas))
	}
	return s
}

func replicasText(r []int32) string {
	if r == nil {
		return "none (not in the assignment)"
	}
	return formatIDs(r)
}

// leaderText says who leads: null is no readable state znode, -1 no leader.
func leaderText(l *int32) string {
	switch {
	case l == nil:
		return "unknown (no readable state)"
	case *l < 0:
		return "none (offline)"
	}
	return "broker " + strconv.Itoa(int(*l))
}

// unionKeys is the keys of both maps, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

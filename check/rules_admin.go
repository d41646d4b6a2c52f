package check

import (
	"fmt"

	"github.com/rafka/rafka/zkpaths"
)

const (
	reassignPath          = zkpaths.ReassignPartitionsPath
	preferredElectionPath = zkpaths.PreferredReplicaElectionPath
)

var adminRules = []Rule{
	{
		Name: "pending-reassignment", Family: FamilyAdmin, Severity: Warning, Severities: []Severity{Error, Warning},
		Summary: "/admin/reassign_partitions exists, or an assignment still lists adding/removing replicas (error when a target broker is not registered)",
		Explanation: "A reassignment in flight moves data and holds throttles; one whose target broker is not " +
			"registered can never finish. The legacy znode is deleted by the controller once every partition in " +
			"it is done.",
		eval: checkPendingReassignments,
	},
	{
		Name: "pending-topic-deletion", Family: FamilyAdmin, Severity: Warning,
		Summary: "a topic is marked for deletion under /admin/delete_topics",
		Explanation: "The controller deletes the topic once every replica's broker is online, then removes the " +
			"marker; a marker that stays means a replica's broker is down or the controller is not processing " +
			"deletions. Re-creating a topic of that name fails meanwhile.",
		eval: checkPendingTopicDeletions,
	},
	{
		Name: "pending-preferred-election", Family: FamilyAdmin, Severity: Warning,
		Summary: "/admin/preferred_replica_election exists",
		Explanation: "The controller handles this znode as soon as it appears and then deletes it: if it is " +
			"there, no controller has processed it.",
		eval: checkPendingPreferredElection,
	},
	{
		Name: "consumer-offsets-for-missing-topic", Family: FamilyAdmin, Severity: Info,
		Summary: "an old consumer group under /consumers has offsets for a topic that does not exist",
		Explanation: "Offsets committed to ZooKeeper (the old Scala consumer, or OffsetCommit v0 on a ZooKeeper-mode " +
			"broker) outlive their topic: brokers answer a fetch for them with UNKNOWN_PARTITION and otherwise " +
			"ignore them. Only a topic re-created under the same name matters: a v0 client of that group would " +
			"resume from the old topic's offsets.",
		eval: checkConsumerOffsetsForMissingTopics,
	},
}

func checkPendingReassignments(v *view) []Finding {
	var out []Finding
	if r := v.m.Admin.ReassignPartitions; r != nil {
		var parts []string
		var missing []int32
		seen := map[int32]bool{} // linear however many ids a hostile request names
		for _, p := range r.Partitions {
			parts = append(parts, fmt.Sprintf("%s → %s", topicPartition(p.Topic, p.Partition), ids(p.Replicas)))
			for _, id := range v.unregistered(p.Replicas) {
				if !seen[id] {
					seen[id] = true
					missing = append(missing, id)
				}
			}
		}
		f := Finding{Subject: reassignPath, Path: reassignPath, Severity: Warning,
			Message: fmt.Sprintf("legacy reassignment request for %s", plural(len(parts), "partition", "partitions")),
			Hint:    "The controller rewrites this znode as partitions finish and deletes it when none remain; kafka-reassign-partitions --verify shows progress."}
		if len(parts) > 0 {
			f.Message += ": " + examples(parts, 5)
		} else {
			f.Message += ": it is empty, which the controller deletes on sight, so none has processed it"
		}
		if len(missing) > 0 {
			f.Severity = Error
			f.Message += fmt.Sprintf("; target broker %s is not registered, so it cannot finish", ids(missing))
			f.Hint = "Bring the target brokers back, or abandon the request by deleting the znode (partitions already moved stay moved)."
		}
		out = append(out, f)
	}
	for _, t := range v.m.Topics {
		for _, p := range t.Partitions {
			if len(p.AddingReplicas) == 0 && len(p.RemovingReplicas) == 0 {
				continue
			}
			f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: topicPath(t.Name), Severity: Warning,
				Message: fmt.Sprintf("reassignment in progress: adding %s, removing %s (replicas %s, ISR %s)",
					ids(p.AddingReplicas), ids(p.RemovingReplicas), ids(p.Replicas), ids(p.ISR)),
				Hint: "It finishes once every adding replica has joined the ISR; kafka-reassign-partitions --verify shows progress and --cancel reverts it (Kafka 2.4+)."}
			if missing := v.unregistered(p.AddingReplicas); len(missing) > 0 {
				f.Severity = Error
				f.Message += fmt.Sprintf("; adding replica %s is not registered, so it cannot finish", ids(missing))
				f.Hint = fmt.Sprintf("Bring broker %s back, or cancel the reassignment (kafka-reassign-partitions --cancel).", ids(missing))
			}
			out = append(out, f)
		}
	}
	return out
}

func checkPendingTopicDeletions(v *view) []Finding {
	if len(v.m.Admin.DeleteTopics) == 0 {
		return nil
	}
	topics := map[string]int{}
	for i, t := range v.m.Topics {
		topics[t.Name] = i
	}
	var out []Finding
	for _, name := range v.m.Admin.DeleteTopics {
		f := Finding{Subject: name, Path: zkpaths.DeleteTopicPath(name),
			Hint: "Deletion finishes once every replica's broker is online; if the marker stays, bring them back and check the controller's log (with delete.topic.enable=false it removes markers without deleting)."}
		i, ok := topics[name]
		if !ok {
			f.Message = "marked for deletion, but the topic does not exist: the controller removes such markers, so none is processing them"
			f.Hint = "Check that there is a working controller; the marker itself is harmless to delete."
			out = append(out, f)
			continue
		}
		var down []int32
		seen := map[int32]bool{}
		for _, p := range v.m.Topics[i].Partitions {
			for _, id := range v.unregistered(p.Replicas) {
				if !seen[id] {
					seen[id] = true
					down = append(down, id)
				}
			}
		}
		f.Message = "marked for deletion"
		if len(down) > 0 {
			f.Message += fmt.Sprintf("; it waits for unregistered replica broker %s", ids(down))
		}
		out = append(out, f)
	}
	return out
}

func checkPendingPreferredElection(v *view) []Finding {
	e := v.m.Admin.PreferredReplicaElection
	if e == nil {
		return nil
	}
	var parts []string
	for _, p := range e.Partitions {
		parts = append(parts, topicPartition(p.Topic, p.Partition))
	}
	msg := fmt.Sprintf("preferred leader election requested for %s", plural(len(parts), "partition", "partitions"))
	if len(parts) > 0 {
		msg += ": " + examples(parts, 5)
	}
	return []Finding{{
		Subject: preferredElectionPath, Path: preferredElectionPath,
		Message: msg + "; the controller deletes it once handled",
		Hint:    "Check that there is a working controller; then delete the znode and use kafka-leader-election --election-type preferred instead.",
	}}
}

// checkConsumerOffsetsForMissingTopics gives one finding per group and
// topic, not per partition.
func checkConsumerOffsetsForMissingTopics(v *view) []Finding {
	if len(v.m.Admin.ConsumerOffsets) == 0 {
		return nil
	}
	topics := map[string]bool{}
	for _, t := range v.m.Topics {
		topics[t.Name] = true
	}
	var out []Finding
	for i := 0; i < len(v.m.Admin.ConsumerOffsets); {
		o := v.m.Admin.ConsumerOffsets[i]
		n := 1 // offsets are sorted by group, topic, partition
		for i+n < len(v.m.Admin.ConsumerOffsets) {
			next := v.m.Admin.ConsumerOffsets[i+n]
			if next.Group != o.Group || next.Topic != o.Topic {
				break
			}
			n++
		}
		i += n
		if topics[o.Topic] || v.errored(zkpaths.TopicPath(o.Topic)) {
			continue
		}
		out = append(out, Finding{Subject: o.Group + "/" + o.Topic, Path: zkpaths.ConsumerOffsetsTopicPath(o.Group, o.Topic),
			Message: fmt.Sprintf("old consumer group %s has offsets for %s of topic %s, which does not exist",
				o.Group, plural(n, "partition", "partitions"), o.Topic),
			Hint: "If the group is gone, delete the topic's offsets znode (deleteall in zkCli); keep it only if the topic is to be re-created for the same group."})
	}
	return out
}

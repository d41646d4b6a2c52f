package check

import (
	"fmt"

	"github.com/rafka/rafka/zkpaths"
)

const (
	reassignPath          = "/admin/reassign_partitions"
	preferredElectionPath = "/admin/preferred_replica_election"
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
}

func checkPendingReassignments(v *view) []Finding {
	var out []Finding
	if r := v.m.Admin.ReassignPartitions; r != nil {
		var parts []string
		var missing []int32
		for _, p := range r.Partitions {
			parts = append(parts, fmt.Sprintf("%s → %s", topicPartition(p.Topic, p.Partition), ids(p.Replicas)))
			for _, id := range v.unregistered(p.Replicas) {
				if !contains(missing, id) {
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
		f := Finding{Subject: name, Path: zkpaths.DeleteTopics + "/" + name,
			Hint: "Deletion finishes once every replica's broker is online; if the marker stays, bring them back and check the controller's log (with delete.topic.enable=false it removes markers without deleting)."}
		i, ok := topics[name]
		if !ok {
			f.Message = "marked for deletion, but the topic does not exist: the controller removes such markers, so none is processing them"
			f.Hint = "Check that there is a working controller; the marker itself is harmless to delete."
			out = append(out, f)
			continue
		}
		var down []int32
		for _, p := range v.m.Topics[i].Partitions {
			for _, id := range v.unregistered(p.Replicas) {
				if !contains(down, id) {
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

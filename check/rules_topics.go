package check

import (
	"fmt"
	"strconv"

	"github.com/rafka/rafka/cluster"
)

var topicRules = []Rule{
	{
		Name: "missing-partition-state", Family: FamilyTopics, Severity: Error,
		Summary: "a topic's assignment names a partition that has no state znode",
		Explanation: "Without .../partitions/<p>/state no broker leads or follows the partition, and brokers do " +
			"not know it exists. The controller creates the state of partitions it considers new, which a " +
			"controller election brings about.",
		eval: checkMissingPartitionState,
	},
	{
		Name: "orphan-partition-state", Family: FamilyTopics, Severity: Warning,
		Summary: "a partition znode exists for a partition number the topic's assignment does not name",
		Explanation: "Kafka never reads it, but it is in the way: when partitions are added to the topic, the " +
			"controller tries to create that partition's state znode and fails on the one already there " +
			"[inferred from the controller's code].",
		eval: checkOrphanPartitionState,
	},
	{
		Name: "topic-without-partitions", Family: FamilyTopics, Severity: Error,
		Summary: "a topic's assignment decodes but names no partition",
		Explanation: "Clients see a topic with no partitions that they can neither produce to nor consume from. " +
			"An assignment Kafka cannot decode is malformed-znode's finding (Kafka reads it the same way).",
		eval: checkTopicWithoutPartitions,
	},
}

func checkMissingPartitionState(v *view) []Finding {
	var out []Finding
	v.forEachWith(cluster.RuleMissingPartitionState, func(t *cluster.Topic, p *cluster.Partition, _ cluster.Condition) {
		{
			hint := "The controller creates the state of a partition it finds without one at its election: delete /controller (never during a ZK→KRaft migration)"
			if live := without(p.Replicas, v.unregistered(p.Replicas)); len(live) == 0 {
				hint += fmt.Sprintf(", once one of its replicas %s is registered.", ids(p.Replicas))
			} else {
				hint += "."
			}
			out = append(out, Finding{
				Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition),
				Message: fmt.Sprintf("the assignment names partition %d (replicas %s) but it has no state znode: no broker serves it", p.Partition, ids(p.Replicas)),
				Hint:    hint,
			})
		}
	})
	return out
}

func checkOrphanPartitionState(v *view) []Finding {
	var out []Finding
	// Counted once per topic: counting inside the partition loop made the
	// rule quadratic in a topic's orphan partitions (issue 17 §4). An
	// unreadable assignment is not an orphan verdict (every partition would
	// look unassigned): the health computation says so.
	assigned := map[*cluster.Topic]int{}
	v.forEachWith(cluster.RuleOrphanPartitionState, func(t *cluster.Topic, p *cluster.Partition, _ cluster.Condition) {
		n, ok := assigned[t]
		if !ok {
			n = assignedCount(t)
			assigned[t] = n
		}
		{
			f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: partitionPath(t.Name, p.Partition)}
			what := "a partition znode without state"
			if p.Leader != nil || !p.StateMissing {
				f.Path, what = statePath(t.Name, p.Partition), "a state znode"
			}
			f.Message = fmt.Sprintf("%s for partition %d, which the assignment does not name (it has %s); Kafka ignores it",
				what, p.Partition, plural(n, "partition", "partitions"))
			f.Hint = "Delete " + partitionPath(t.Name, p.Partition) + " with its state: adding partitions to the topic would trip over it."
			out = append(out, f)
		}
	})
	return out
}

func assignedCount(t *cluster.Topic) int {
	n := 0
	for _, p := range t.Partitions {
		if !p.Unassigned {
			n++
		}
	}
	return n
}

func hasAssigned(t *cluster.Topic) bool {
	for _, p := range t.Partitions {
		if !p.Unassigned {
			return true
		}
	}
	return false
}

func checkTopicWithoutPartitions(v *view) []Finding {
	var out []Finding
	for _, t := range v.m.Topics {
		if v.errored(topicPath(t.Name)) || hasAssigned(&t) {
			continue
		}
		out = append(out, Finding{
			Subject: t.Name, Path: topicPath(t.Name),
			Message: "the topic's assignment names no partition: clients cannot use it",
			Hint:    "Restore " + topicPath(t.Name) + " from a snapshot, or delete the topic through Kafka and create it again (" + strconv.Quote(t.Name) + ").",
		})
	}
	return out
}

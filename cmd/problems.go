package cmd

import "github.com/rafka/rafka/cluster"

// onlyProblems keeps, for dump --problems, the partitions that have a
// problem (and the topics holding one), like kafka-topics'
// --under-replicated-partitions and --unavailable-partitions together.
// Health is judged on the whole model, before any other filter, so that
// hiding rows never changes a verdict. It is the one place --problems
// decides: when the domain has its "row has a problem" predicate, the
// body of partitionHasProblem becomes a call to it.
func onlyProblems(m *cluster.Model) {
	registered := map[int32]bool{}
	for _, b := range m.Brokers {
		registered[b.BrokerID] = true
	}
	var topics []cluster.Topic
	for _, t := range m.Topics {
		var keep []cluster.Partition
		for _, p := range t.Partitions {
			if partitionHasProblem(t, p, registered) {
				keep = append(keep, p)
			}
		}
		if len(keep) > 0 {
			t.Partitions = keep
			topics = append(topics, t)
		}
	}
	m.Topics = topics
}

// partitionHasProblem is what dump's STATUS column calls anything but
// "ok": no or unreadable state, offline, under-replicated, not in the
// assignment, reassigning, marked for deletion, or a decoding warning.
func partitionHasProblem(t cluster.Topic, p cluster.Partition, registered map[int32]bool) bool {
	switch {
	case p.StateMissing, p.Leader == nil, *p.Leader < 0, !registered[*p.Leader]:
		return true
	case len(p.ISR) < len(p.Replicas), p.Unassigned, len(p.AddingReplicas) > 0, len(p.RemovingReplicas) > 0:
		return true
	}
	return t.MarkedForDeletion || len(p.Warnings) > 0 || len(t.Warnings) > 0
}

package fakecluster

import (
	"math/rand/v2"
	"slices"
)

// plantFaults applies Spec.Faults to distinct, randomly chosen topics and
// partitions. Topics marked for deletion are taken first and get no other
// fault, so each fault shows on its own.
func (c *Cluster) plantFaults(rng *rand.Rand) {
	f := c.Spec.Faults
	order := rng.Perm(len(c.Topics))
	marked := min(f.TopicsMarkedForDeletion, len(order))
	for _, ti := range order[:marked] {
		t := &c.Topics[ti]
		t.MarkedForDeletion = true
		c.Faults = append(c.Faults, Fault{Kind: FaultMarkedForDeletion, Topic: t.Name, Partition: -1, Path: deleteTopicPath(t.Name)})
	}
	rest := order[marked:]

	// Partition faults draw from one shuffled pool, so none overlap.
	type ref struct{ topic, partition int }
	var pool []ref
	if f.OfflinePartitions+f.UnderReplicatedPartitions+f.ReplicasOnUnregisteredBroker+f.PendingReassignments+f.PartitionsWithoutState > 0 {
		for _, ti := range rest {
			for pi := range c.Topics[ti].Partitions {
				pool = append(pool, ref{ti, pi})
			}
		}
		rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	}
	plant := func(count int, kind FaultKind, apply func(t *Topic, p *Partition) (path string, ok bool)) {
		for count > 0 && len(pool) > 0 {
			r := pool[0]
			pool = pool[1:]
			t := &c.Topics[r.topic]
			p := &t.Partitions[r.partition]
			if path, ok := apply(t, p); ok {
				c.Faults = append(c.Faults, Fault{Kind: kind, Topic: t.Name, Partition: p.Number, Path: path})
				count--
			}
		}
	}
	rf := c.Spec.ReplicationFactor
	plant(f.OfflinePartitions, FaultOfflinePartition, func(t *Topic, p *Partition) (string, bool) {
		p.State.Leader = -1
		p.State.LeaderEpoch++
		p.State.ISR = []int{p.Replicas[0]}
		return statePath(t.Name, p.Number), true
	})
	plant(f.UnderReplicatedPartitions, FaultUnderReplicated, func(t *Topic, p *Partition) (string, bool) {
		if rf < 2 {
			return "", false
		}
		p.State.Leader = p.Replicas[0]
		p.State.ISR = slices.Clone(p.Replicas[:rf-1])
		return statePath(t.Name, p.Number), true
	})
	plant(f.ReplicasOnUnregisteredBroker, FaultReplicaOnUnregisteredBroker, func(t *Topic, p *Partition) (string, bool) {
		if rf < 2 {
			return "", false
		}
		p.Replicas[rf-1] = c.UnregisteredBroker
		p.State.Leader = p.Replicas[0]
		p.State.ISR = slices.Clone(p.Replicas[:rf-1])
		return topicPath(t.Name), true
	})
	plant(f.PendingReassignments, FaultPendingReassignment, func(t *Topic, p *Partition) (string, bool) {
		origin := p.Replicas
		spare := -1
		for _, i := range rng.Perm(len(c.Brokers)) {
			if !slices.Contains(origin, c.Brokers[i].ID) {
				spare = c.Brokers[i].ID
				break
			}
		}
		if spare < 0 {
			return "", false
		}
		target := slices.Clone(origin)
		target[len(target)-1] = spare
		p.Replicas = append(target, origin[len(origin)-1]) // target, then the origin replicas not in it
		p.Adding = []int{spare}
		p.Removing = []int{origin[len(origin)-1]}
		p.State.ISR = slices.Clone(origin) // the new replica is still catching up
		return topicPath(t.Name), true
	})
	plant(f.PartitionsWithoutState, FaultPartitionWithoutState, func(t *Topic, p *Partition) (string, bool) {
		p.State = nil
		return statePath(t.Name, p.Number), true
	})

	if f.StrayConfigChange {
		c.Faults = append(c.Faults, Fault{Kind: FaultStrayConfigChange, Partition: -1, Path: strayConfigChangePath})
	}

	for _, ti := range rest[:min(f.OrphanPartitionStates, len(rest))] {
		t := &c.Topics[ti]
		number := len(t.Partitions) // one past the assignment
		leader := c.Brokers[rng.IntN(len(c.Brokers))].ID
		t.OrphanStates = append(t.OrphanStates, OrphanState{Partition: number, State: State{
			Leader: leader, LeaderEpoch: rng.IntN(8), ControllerEpoch: 1 + rng.IntN(c.ControllerEpoch), ISR: []int{leader},
		}})
		c.Faults = append(c.Faults, Fault{Kind: FaultOrphanPartitionState, Topic: t.Name, Partition: number, Path: statePath(t.Name, number)})
	}
}

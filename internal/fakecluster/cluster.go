package fakecluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Cluster is the model a tree is generated from.
type Cluster struct {
	Spec            Spec
	ID              string // /cluster/id
	ControllerID    int    // /controller brokerid
	ControllerEpoch int    // /controller_epoch
	Brokers         []Broker
	Topics          []Topic
	// UnregisteredBroker is the broker id that ReplicasOnUnregisteredBroker
	// faults use: one above the highest registered id.
	UnregisteredBroker int
	// ProducerIDBlock is the block start in /latest_producer_id_block, and
	// ProducerIDBroker the broker it went to.
	ProducerIDBlock, ProducerIDBroker int
	// Faults lists what was planted, grouped by kind.
	Faults []Fault
}

// Broker is a registered broker.
type Broker struct {
	ID        int
	Rack      string // "" without racks
	Host      string
	Timestamp int64 // registration time, ms
}

// Topic is a topic with its assignment and partition states.
type Topic struct {
	Name              string
	ID                string // topic_id, 22-char base64url
	Partitions        []Partition
	Config            map[string]string // /config/topics/<name>; empty for no overrides
	MarkedForDeletion bool
	OrphanStates      []OrphanState // states of partitions the assignment lacks
}

// Partition is one entry of a topic's assignment.
type Partition struct {
	Number int
	// Replicas is the assignment's list; during a reassignment, target
	// replicas then origin replicas (duplicates removed), as Kafka writes it.
	Replicas         []int
	Adding, Removing []int  // non-empty only during a reassignment
	State            *State // nil when the state znode is missing
}

// State is a partition's leader and ISR (its state znode).
type State struct {
	Leader          int // -1: no leader
	LeaderEpoch     int
	ControllerEpoch int
	ISR             []int
}

// OrphanState is a state znode for a partition the assignment does not name.
type OrphanState struct {
	Partition int
	State     State
}

// FaultKind names a planted fault.
type FaultKind string

// The faults Spec.Faults can plant.
const (
	FaultOfflinePartition            FaultKind = "offline-partition"
	FaultUnderReplicated             FaultKind = "under-replicated"
	FaultReplicaOnUnregisteredBroker FaultKind = "replica-on-unregistered-broker"
	FaultMarkedForDeletion           FaultKind = "marked-for-deletion"
	FaultPendingReassignment         FaultKind = "pending-reassignment"
	FaultStrayConfigChange           FaultKind = "stray-config-change"
	FaultPartitionWithoutState       FaultKind = "partition-without-state"
	FaultOrphanPartitionState        FaultKind = "orphan-partition-state"
)

// Fault is one planted fault: where it is and which znode shows it.
type Fault struct {
	Kind      FaultKind
	Topic     string // "" for the stray config change
	Partition int    // -1 for topic-wide faults
	Path      string // the znode that shows it (for a missing state, the missing path)
}

// baseTimestamp is the clock of generated clusters: 2025-01-01T00:00:00Z.
const baseTimestamp int64 = 1735689600000

// Validate reports a spec Build cannot generate.
func (s Spec) Validate() error {
	switch {
	case s.Brokers < 1:
		return fmt.Errorf("fakecluster: Brokers is %d, need at least 1", s.Brokers)
	case s.Racks < 0 || s.Racks > 26:
		return fmt.Errorf("fakecluster: Racks is %d, want 0 to 26", s.Racks)
	case s.topicCount() < 1:
		return fmt.Errorf("fakecluster: no topics")
	case len(s.TopicNames) > 0 && len(s.TopicNames) != s.topicCount():
		return fmt.Errorf("fakecluster: %d TopicNames for %d topics", len(s.TopicNames), s.Topics)
	case s.PartitionsPerTopic < 1:
		return fmt.Errorf("fakecluster: PartitionsPerTopic is %d, need at least 1", s.PartitionsPerTopic)
	case s.ReplicationFactor < 1 || s.ReplicationFactor > s.Brokers:
		return fmt.Errorf("fakecluster: ReplicationFactor %d with %d brokers", s.ReplicationFactor, s.Brokers)
	}
	return nil
}

// Build makes the cluster model of spec. It panics if spec is invalid
// (see Spec.Validate): specs are written by programmers, in code.
func Build(spec Spec) *Cluster {
	if err := spec.Validate(); err != nil {
		panic(err)
	}
	rng := newRand(spec.Seed)
	c := &Cluster{Spec: spec, UnregisteredBroker: spec.Brokers + 1}
	c.ID = newUUID(rng)
	for id := 1; id <= spec.Brokers; id++ {
		b := Broker{ID: id, Host: fmt.Sprintf("kafka-%d.kafka.example.internal", id)}
		if spec.Racks > 0 {
			b.Rack = "rack-" + string(rune('a'+(id-1)%spec.Racks))
		}
		b.Timestamp = baseTimestamp + int64(rng.IntN(3_600_000))
		c.Brokers = append(c.Brokers, b)
	}
	c.ControllerEpoch = 3 + rng.IntN(20)
	c.ControllerID = c.Brokers[rng.IntN(len(c.Brokers))].ID
	c.ProducerIDBlock = 1000 * rng.IntN(50)
	c.ProducerIDBroker = c.Brokers[rng.IntN(len(c.Brokers))].ID

	names := spec.TopicNames
	if len(names) == 0 {
		names = topicNames(rng, spec.topicCount())
	}
	for _, name := range names {
		c.Topics = append(c.Topics, c.newTopic(rng, name))
	}
	c.plantFaults(rng)
	return c
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// newTopic assigns replicas as Kafka's AdminUtils does (brokers are listed
// in an order that already alternates racks), and gives each partition a
// healthy state: the preferred replica leads, except after an occasional
// failover, and every replica is in sync.
func (c *Cluster) newTopic(rng *rand.Rand, name string) Topic {
	spec := c.Spec
	n := len(c.Brokers)
	start, shift := rng.IntN(n), rng.IntN(n)
	t := Topic{Name: name, ID: newUUID(rng), Config: topicConfig(rng, name)}
	for p := 0; p < spec.PartitionsPerTopic; p++ {
		if p > 0 && p%n == 0 {
			shift++
		}
		first := (p + start) % n
		replicas := []int{c.Brokers[first].ID}
		for j := 0; j < spec.ReplicationFactor-1; j++ {
			// RF > 1 implies n > 1.
			replicas = append(replicas, c.Brokers[(first+1+(shift+j)%(n-1))%n].ID)
		}
		leader := replicas[0]
		if len(replicas) > 1 && rng.IntN(20) == 0 {
			leader = replicas[1]
		}
		t.Partitions = append(t.Partitions, Partition{
			Number:   p,
			Replicas: replicas,
			State: &State{
				Leader:          leader,
				LeaderEpoch:     rng.IntN(8),
				ControllerEpoch: 1 + rng.IntN(c.ControllerEpoch),
				ISR:             slices.Clone(replicas),
			},
		})
	}
	return t
}

// Package fakecluster generates the ZooKeeper tree of a synthetic Kafka
// cluster (ZooKeeper mode, Kafka 3.9): every znode a real cluster has, with
// the payloads Kafka writes, deterministically from a seed. It can plant the
// faults rafka is meant to find, and it loads a tree into ZooKeeper quickly.
//
// Generate(spec) gives the nodes; Build(spec) gives the model behind them
// (brokers, topics, assignments, where each fault went) for tests that need
// to know what to expect. Bench and Demo are the two ready-made specs.
package fakecluster

// Spec describes a cluster to generate. The zero value of every knob but
// the counts means "Kafka's usual".
type Spec struct {
	// Seed makes everything random reproducible: equal specs give equal trees.
	Seed uint64
	// Brokers is how many brokers are registered (/brokers/ids/1..Brokers).
	Brokers int
	// Racks spreads brokers round-robin over rack-a, rack-b, …; 0 means no
	// broker.rack (no "rack" key in the registration).
	Racks int
	// Topics is the number of topics. TopicNames, when set, names them
	// (and its length is the topic count if Topics is 0).
	Topics     int
	TopicNames []string
	// PartitionsPerTopic and ReplicationFactor apply to every topic;
	// ReplicationFactor must not exceed Brokers.
	PartitionsPerTopic int
	ReplicationFactor  int
	// FeatureVersion is the /feature payload version, 1 (default) or 2.
	FeatureVersion int
	// Faults to plant; the zero value gives a healthy cluster.
	Faults Faults
}

// Faults are the problems a generated cluster can carry. Each count is a
// number of partitions (or topics); no partition gets two faults, and a
// topic marked for deletion gets no other. Faults that cannot be placed
// (too few partitions or brokers) are left out: Cluster.Faults lists what
// was planted.
type Faults struct {
	// OfflinePartitions have no leader (leader -1, the last leader alone in
	// the ISR), as after their last in-sync replica died.
	OfflinePartitions int
	// UnderReplicatedPartitions have an ISR shorter than their replicas.
	UnderReplicatedPartitions int
	// ReplicasOnUnregisteredBroker have their last replica on a broker id
	// that is not registered (UnregisteredBrokerID), out of the ISR.
	ReplicasOnUnregisteredBroker int
	// TopicsMarkedForDeletion get an /admin/delete_topics/<topic> marker;
	// the topic itself stays, as when a deletion is stuck.
	TopicsMarkedForDeletion int
	// PendingReassignments move one replica of a partition to another broker:
	// the assignment lists target then origin replicas, with
	// adding_replicas/removing_replicas set (KIP-455). Needs Brokers > RF.
	PendingReassignments int
	// StrayConfigChange adds /config/changes/config_change_manual, a child
	// whose suffix is not a sequence number (it stalls Kafka's listener).
	StrayConfigChange bool
	// PartitionsWithoutState are named by the topic's assignment (and have
	// their /partitions/<p> directory) but lack the state znode.
	PartitionsWithoutState int
	// OrphanPartitionStates add a /partitions/<p>/state for a partition
	// number the topic's assignment does not have, one per chosen topic.
	OrphanPartitionStates int
}

// Bench is the benchmark cluster: topics × 10 partitions × RF 3 on 6
// brokers in 3 racks, healthy. Each topic is 23 znodes (the assignment, the
// partitions directory, 10 partition directories, 10 states, its config),
// 12 of them with data: 10 000 topics give about 230 000 znodes, about
// 120 000 with data.
func Bench(topics int) Spec {
	return Spec{
		Seed:               20260101,
		Brokers:            6,
		Racks:              3,
		Topics:             topics,
		PartitionsPerTopic: 10,
		ReplicationFactor:  3,
	}
}

// Demo is a small cluster to show rafka with: 4 brokers in 2 racks, 6 topics
// of 3 partitions, RF 3, configs (a SCRAM user among them), literal and
// prefixed ACLs, and one of every fault.
func Demo() Spec {
	return Spec{
		Seed:               94, // spreads the faults over five topics, at most two each
		Brokers:            4,
		Racks:              2,
		TopicNames:         []string{"orders", "payments", "clickstream", "inventory", "audit-log", "__consumer_offsets"},
		PartitionsPerTopic: 3,
		ReplicationFactor:  3,
		Faults: Faults{
			OfflinePartitions:            1,
			UnderReplicatedPartitions:    2,
			ReplicasOnUnregisteredBroker: 1,
			TopicsMarkedForDeletion:      1,
			PendingReassignments:         1,
			StrayConfigChange:            true,
			PartitionsWithoutState:       1,
			OrphanPartitionStates:        1,
		},
	}
}

// topicCount is the number of topics the spec asks for.
func (s Spec) topicCount() int {
	if s.Topics == 0 {
		return len(s.TopicNames)
	}
	return s.Topics
}

func (s Spec) featureVersion() int {
	if s.FeatureVersion == 2 {
		return 2
	}
	return 1
}

package diff

import (
	"fmt"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

// The hand-built cluster the comparison tests change: brokers 1–3,
// controller 1, topic orders (partitions 0 and 1) and payments (0), a few
// configs and ACLs, /feature enabled, no /migration.

func i32(v int32) *int32   { return &v }
func str(s string) *string { return &s }

func testBroker(id int32, host, rack string) *cluster.Broker {
	b := &cluster.Broker{BrokerID: id, Version: 5, BrokerEpoch: 100 + int64(id),
		Endpoints: []zkpaths.Endpoint{{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: host, Port: 9092}}}
	if rack != "" {
		b.Rack = str(rack)
	}
	return b
}

func testPartition(n int32, replicas []int32, leader int32, isr []int32) cluster.Partition {
	return cluster.Partition{Partition: n, Replicas: replicas, Leader: i32(leader), LeaderEpoch: i32(7),
		ISR: isr, ControllerEpoch: i32(5), PartitionEpoch: i32(12)}
}

func testModel() *cluster.Model {
	return &cluster.Model{
		SchemaVersion: 1,
		Cluster:       &zkpaths.ClusterIDZNode{ID: "abcdefghijklmnopqrstuv"},
		Controller: &cluster.Controller{ControllerZNode: &zkpaths.ControllerZNode{BrokerID: 1, KRaftControllerEpoch: i32(-1)},
			Elected: true, Ephemeral: true, Epoch: i32(5), EpochZkVersion: i32(4)},
		Brokers: []*cluster.Broker{testBroker(1, "kafka-1", "rack-a"), testBroker(2, "kafka-2", "rack-b"), testBroker(3, "kafka-3", "rack-a")},
		Topics: []cluster.Topic{
			{Name: "orders", TopicID: str("AAAAAAAAAAAAAAAAAAAAAA"), Partitions: []cluster.Partition{
				testPartition(0, []int32{1, 2, 3}, 1, []int32{1, 2, 3}),
				testPartition(1, []int32{2, 3, 1}, 2, []int32{2, 3}),
			}},
			{Name: "payments", TopicID: str("BBBBBBBBBBBBBBBBBBBBBB"), Partitions: []cluster.Partition{
				testPartition(0, []int32{3, 1, 2}, 3, []int32{3, 1, 2}),
			}},
		},
		Configs: cluster.Configs{
			Topics:      map[string]map[string]string{"orders": {"retention.ms": "604800000", "cleanup.policy": "delete"}},
			Brokers:     map[string]map[string]string{"<default>": {"log.cleaner.threads": "2"}},
			Users:       map[string]map[string]string{"alice": {"SCRAM-SHA-256": "salt=c2FsdA==,stored_key=a,server_key=b,iterations=4096"}},
			Clients:     map[string]map[string]string{},
			IPs:         map[string]map[string]string{},
			UserClients: map[string]map[string]string{"bob/batch loader": {"producer_byte_rate": "524288"}},
		},
		ACLs: []cluster.ACLResource{
			testACL("LITERAL", "Topic", "orders", zkpaths.ACLEntry{Principal: "User:alice", PermissionType: "Allow", Operation: "Read", Host: "*"}),
			testACL("PREFIXED", "Group", "app-", zkpaths.ACLEntry{Principal: "User:alice", PermissionType: "Allow", Operation: "Read", Host: "*"}),
		},
		Features: &cluster.Features{State: features.StateEnabled, Epoch: i32(3), Version: i32(2),
			Features: map[string]zkpaths.FinalizedFeature{"metadata.version": {MaxVersionLevel: 21}}},
		Errors: []cluster.ZnodeError{},
	}
}

func testACL(pattern, typ, name string, entries ...zkpaths.ACLEntry) cluster.ACLResource {
	res := zkpaths.ACLResource{PatternType: pattern, ResourceType: typ, ResourceName: name}
	return cluster.ACLResource{ACLResource: res, ACLNode: &zkpaths.ACLNode{ACLResource: res, Version: 1, ACLs: entries}}
}

func (m *testModelEdit) topic(name string) *cluster.Topic {
	for i := range m.Topics {
		if m.Topics[i].Name == name {
			return &m.Topics[i]
		}
	}
	panic("no topic " + name)
}

func (m *testModelEdit) partition(topic string, n int32) *cluster.Partition {
	t := m.topic(topic)
	for i := range t.Partitions {
		if t.Partitions[i].Partition == n {
			return &t.Partitions[i]
		}
	}
	panic(fmt.Sprintf("no partition %s-%d", topic, n))
}

func (m *testModelEdit) broker(id int32) *cluster.Broker {
	for _, b := range m.Brokers {
		if b.BrokerID == id {
			return b
		}
	}
	panic(fmt.Sprintf("no broker %d", id))
}

// testModelEdit gives the tests short ways to reach into a model.
type testModelEdit struct{ *cluster.Model }

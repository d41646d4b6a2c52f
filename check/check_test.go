package check

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

func i32(v int32) *int32   { return &v }
func str(s string) *string { return &s }

var now = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func part(p int32, replicas []int32, leader int32, isr []int32) cluster.Partition {
	return cluster.Partition{Partition: p, Replicas: replicas, Leader: i32(leader), LeaderEpoch: i32(1), ISR: isr,
		ControllerEpoch: i32(3), PartitionEpoch: i32(1)}
}

// healthyModel is a small healthy cluster: 3 brokers in 3 racks, a ZooKeeper
// controller, two topics whose preferred replicas lead, secure ACLs.
func healthyModel() (*cluster.Model, map[string][]zk.ACL) {
	m := &cluster.Model{
		SchemaVersion: 1,
		Cluster:       &zkpaths.ClusterIDZNode{ID: "fJG0HAblNQjrK0cGmq1XiA"},
		Controller: &cluster.Controller{ControllerZNode: &zkpaths.ControllerZNode{BrokerID: 1, KRaftControllerEpoch: i32(-1)},
			Elected: true, Ephemeral: true, Epoch: i32(5), EpochZkVersion: i32(5)},
		Configs: cluster.Configs{Topics: map[string]map[string]string{"orders": {"min.insync.replicas": "2"}},
			Brokers: map[string]map[string]string{"<default>": {"log.cleaner.threads": "2"}}},
		Features:      &features.Description{State: features.StateEnabled, Features: map[string]zkpaths.FinalizedFeature{}},
		Admin:         cluster.Admin{DeleteTopics: []string{}},
		MissingPaths:  []string{},
		UnknownZnodes: []string{},
		Errors:        []cluster.ZnodeError{},
	}
	for id := int32(1); id <= 3; id++ {
		m.Brokers = append(m.Brokers, &cluster.Broker{BrokerID: id, Version: 5, Rack: str(fmt.Sprintf("rack-%d", id)),
			Endpoints: []zkpaths.Endpoint{{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: fmt.Sprintf("kafka-%d", id), Port: 9092}}})
	}
	m.Topics = []cluster.Topic{
		{Name: "orders", Partitions: []cluster.Partition{
			part(0, []int32{1, 2, 3}, 1, []int32{1, 2, 3}),
			part(1, []int32{2, 3, 1}, 2, []int32{2, 3, 1}),
			part(2, []int32{3, 1, 2}, 3, []int32{3, 1, 2}),
		}},
		{Name: "payments", Partitions: []cluster.Partition{
			part(0, []int32{2, 1}, 2, []int32{2, 1}),
		}},
	}
	secure := []zk.ACL{{Perms: zk.PermAll, Scheme: "digest", ID: "kafka:x"}, {Perms: zk.PermRead, Scheme: "world", ID: "anyone"}}
	private := []zk.ACL{{Perms: zk.PermAll, Scheme: "digest", ID: "kafka:x"}}
	acls := map[string][]zk.ACL{
		"/":                  secure,
		"/consumers":         {{Perms: zk.PermAll, Scheme: "world", ID: "anyone"}},
		"/brokers/topics":    secure,
		"/config/users":      private,
		"/config/users/bob":  private,
		"/config/brokers/1":  private,
		"/brokers/ids/1":     secure,
		"/delegation_token":  secure,
		"/delegation_tokens": secure, // not sensitive: the prefix is /delegation_token/tokens
	}
	return m, acls
}

func findingKeys(fs []Finding) []string {
	keys := []string{}
	for _, f := range fs {
		keys = append(keys, f.Rule+"|"+f.Severity.String()+"|"+f.Subject)
	}
	return keys
}

func TestRulesOnModels(t *testing.T) {
	topic := func(m *cluster.Model, name string) *cluster.Topic {
		for i := range m.Topics {
			if m.Topics[i].Name == name {
				return &m.Topics[i]
			}
		}
		panic(name)
	}
	tests := []struct {
		name   string
		change func(m *cluster.Model, acls map[string][]zk.ACL, s *Settings)
		want   []string
	}{
		{"healthy", func(*cluster.Model, map[string][]zk.ACL, *Settings) {}, []string{}},
		{"no controller", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Controller.Elected, m.Controller.ControllerZNode = false, nil
		},
			[]string{"no-controller|error|controller"}},
		{"undecodable controller", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Controller = nil
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/controller", Error: "bad", KafkaBehavior: "reads-as-empty"})
		}, []string{"no-controller|error|controller"}},
		{"unreadable controller is not a finding", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Controller = nil
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/controller", Error: "not authenticated"})
		}, []string{}},
		{"controller not registered", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Controller.BrokerID = 9 },
			[]string{"controller-not-registered|error|broker 9"}},
		{"KRaft controller during migration", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Controller.BrokerID, m.Controller.KRaftControllerEpoch, m.Controller.Ephemeral = 3000, i32(7), false
			m.Migration = &cluster.Migration{MigrationState: &zkpaths.MigrationState{KRaftControllerID: 3000, KRaftControllerEpoch: 7, KRaftMetadataOffset: 100, KRaftMetadataEpoch: 7}}
			m.Topics[0].Partitions[0].ControllerEpoch = i32(7) // the KRaft epoch: no regression
		}, []string{"controller-not-registered|info|broker 3000", "migration-in-progress|info|/migration"}},
		{"persistent controller", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Controller.Ephemeral = false },
			[]string{"controller-not-ephemeral|error|controller"}},
		{"controller epoch regressed", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Controller.Epoch = i32(2) },
			[]string{"controller-epoch-regressed|error|controller epoch"}},
		{"mixed racks", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Brokers[2].Rack = nil },
			[]string{"mixed-rack-registration|error|brokers"}},
		{"no racks at all", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			for _, b := range m.Brokers {
				b.Rack = nil
			}
		}, []string{}},
		{"duplicate endpoint", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Brokers[2].Endpoints[0].Host = "KAFKA-1" },
			[]string{"duplicate-advertised-endpoint|warning|kafka-1:9092"}},
		{"offline: leader -1", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := &m.Topics[0].Partitions[1]
			p.Leader, p.ISR = i32(-1), []int32{2}
		}, []string{"offline-partition|error|orders-1"}},
		{"offline: leader unregistered", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := &m.Topics[1].Partitions[0]
			p.Replicas, p.Leader, p.ISR = []int32{7, 1}, i32(7), []int32{7}
		}, []string{"offline-partition|error|payments-0", "replica-on-unregistered-broker|warning|broker 7"}},
		{"offline topic being deleted is pending deletion only", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			t := topic(m, "payments")
			t.MarkedForDeletion = true
			m.Admin.DeleteTopics = []string{"payments"}
			t.Partitions[0].Leader, t.Partitions[0].ISR = i32(-1), []int32{2}
		}, []string{"pending-topic-deletion|warning|payments"}},
		{"under-replicated and under min ISR", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Topics[0].Partitions[2].ISR = []int32{3}
		}, []string{"under-min-isr|error|orders-2", "under-replicated-partition|warning|orders-2"}},
		{"under-replicated at min ISR", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Topics[0].Partitions[2].ISR = []int32{3, 1}
		}, []string{"under-replicated-partition|warning|orders-2"}},
		{"min ISR from the cluster default", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Configs.Brokers["<default>"]["min.insync.replicas"] = "2"
			m.Topics[1].Partitions[0].ISR = []int32{2}
		}, []string{"under-min-isr|error|payments-0", "under-replicated-partition|warning|payments-0"}},
		{"min ISR from the leader's config wins over the default", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Configs.Brokers["<default>"]["min.insync.replicas"] = "2"
			m.Configs.Brokers["2"] = map[string]string{"min.insync.replicas": "1"}
			m.Topics[1].Partitions[0].ISR = []int32{2}
		}, []string{"under-replicated-partition|warning|payments-0"}},
		{"min ISR from the static default", func(m *cluster.Model, _ map[string][]zk.ACL, s *Settings) {
			s.MinInsyncReplicas = 3
		}, []string{"under-min-isr|error|payments-0"}}, // RF 2 < 3: can never succeed
		{"reassignment: adding replicas are not under-replication", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := &m.Topics[1].Partitions[0]
			p.Replicas, p.AddingReplicas, p.RemovingReplicas = []int32{2, 3, 1}, []int32{3}, []int32{1}
		}, []string{"pending-reassignment|warning|payments-0"}},
		{"reassignment to an unregistered broker", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := &m.Topics[1].Partitions[0]
			p.Replicas, p.AddingReplicas, p.RemovingReplicas = []int32{2, 8, 1}, []int32{8}, []int32{1}
		}, []string{"pending-reassignment|error|payments-0", "replica-on-unregistered-broker|warning|broker 8"}},
		{"legacy reassignment znode", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Admin.ReassignPartitions = &zkpaths.ReassignPartitions{Version: 1, Partitions: []zkpaths.ReassignPartition{{Topic: "orders", Partition: 0, Replicas: []int32{2, 3}}}}
		}, []string{"pending-reassignment|warning|/admin/reassign_partitions"}},
		{"leader not in ISR", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Topics[0].Partitions[0].ISR = []int32{2, 3}
		}, []string{"leader-not-in-isr|error|orders-0", "under-replicated-partition|warning|orders-0"}},
		{"leader imbalance above the threshold", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Topics[0].Partitions[0].Leader = i32(2)
		}, []string{"preferred-leader-imbalance|info|broker 1"}},
		{"leader imbalance within a raised threshold", func(m *cluster.Model, _ map[string][]zk.ACL, s *Settings) {
			m.Topics[0].Partitions[0].Leader = i32(2)
			s.LeaderImbalancePercent = 100
		}, []string{}},
		{"missing partition state", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := &m.Topics[0].Partitions[1]
			*p = cluster.Partition{Partition: 1, Replicas: p.Replicas, StateMissing: true}
		}, []string{"missing-partition-state|error|orders-1"}},
		{"orphan partition state", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			p := part(5, nil, 1, []int32{1})
			p.Unassigned = true
			m.Topics[0].Partitions = append(m.Topics[0].Partitions, p)
		}, []string{"orphan-partition-state|warning|orders-5"}},
		{"unreadable assignment: no orphan states, no empty topic", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			for i := range m.Topics[0].Partitions {
				m.Topics[0].Partitions[i].Unassigned, m.Topics[0].Partitions[i].Replicas = true, nil
			}
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/brokers/topics/orders", Error: "bad json", KafkaBehavior: "reads-as-empty"})
		}, []string{"malformed-znode|error|/brokers/topics/orders"}},
		{"topic without partitions", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Topics = append(m.Topics, cluster.Topic{Name: "empty", Partitions: []cluster.Partition{}})
		}, []string{"topic-without-partitions|error|empty"}},
		{"deletion marker without topic", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Admin.DeleteTopics = []string{"gone"}
		}, []string{"pending-topic-deletion|warning|gone"}},
		{"preferred election znode", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Admin.PreferredReplicaElection = &zkpaths.PreferredReplicaElection{Partitions: []zkpaths.TopicPartition{{Topic: "orders", Partition: 1}}}
		}, []string{"pending-preferred-election|warning|/admin/preferred_replica_election"}},
		{"old consumer offsets for a missing topic", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			off := int64(7)
			m.Admin.ConsumerOffsets = []cluster.ConsumerOffset{{Group: "app", Topic: "gone", Partition: 0, Offset: &off},
				{Group: "app", Topic: "gone", Partition: 1}, {Group: "app", Topic: "orders", Partition: 0, Offset: &off},
				{Group: "old", Topic: "gone", Partition: 0, Offset: &off}}
		}, []string{"consumer-offsets-for-missing-topic|info|app/gone", "consumer-offsets-for-missing-topic|info|old/gone"}},
		{"config change backlog by count and age", func(m *cluster.Model, _ map[string][]zk.ACL, s *Settings) {
			base := now.Add(-2 * time.Hour).UnixMilli()
			for i := range 5 {
				m.Notifications.ConfigChanges = append(m.Notifications.ConfigChanges,
					cluster.Notification{Name: fmt.Sprintf("config_change_%010d", i), Ctime: base + int64(i)*int64(10*time.Minute/time.Millisecond)})
			}
			s.ConfigChangeMaxCount = 4
		}, []string{"config-change-backlog|warning|/config/changes"}},
		{"old config changes of a quiet cluster are normal", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			base := now.Add(-48 * time.Hour).UnixMilli()
			for i := range 3 {
				m.Notifications.ConfigChanges = append(m.Notifications.ConfigChanges,
					cluster.Notification{Name: fmt.Sprintf("config_change_%010d", i), Ctime: base + int64(i)})
			}
		}, []string{}},
		{"stray config changes", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Notifications.ConfigChanges = []cluster.Notification{{Name: "config_change_manual"}, {Name: "config_change_12"}, {Name: "config_change_0000000001"}}
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/config/changes/config_change_manual", KafkaBehavior: "rejects",
				Error: `"config_change_manual" has no numeric suffix after config_change_: every broker's /config/changes listener stops at it, so later changes are not applied and nothing is purged`})
		}, []string{"stray-config-change|error|/config/changes/config_change_manual", "stray-config-change|warning|/config/changes/config_change_12"}},
		{"ISR change backlog", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Notifications.ISRChanges = []cluster.Notification{{Name: "isr_change_0000000001", Ctime: now.Add(-time.Hour).UnixMilli()}}
		}, []string{"isr-change-backlog|warning|/isr_change_notification"}},
		{"fresh ISR change", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Notifications.ISRChanges = []cluster.Notification{{Name: "isr_change_0000000001", Ctime: now.Add(-time.Second).UnixMilli()}}
		}, []string{}},
		{"log dir event", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Notifications.LogDirEvents = []cluster.Notification{{Name: "log_dir_event_0000000002", Ctime: now.UnixMilli(), Content: &zkpaths.LogDirEvent{BrokerID: 3}}}
		}, []string{"log-dir-event-pending|warning|broker 3"}},
		{"malformed znodes by Kafka's behaviour", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Errors = append(m.Errors,
				cluster.ZnodeError{Path: "/brokers/ids/4", Error: "version 0", KafkaBehavior: "rejects"},
				cluster.ZnodeError{Path: "/config/topics/orders", Error: "bad", KafkaBehavior: "reads-as-empty"},
				cluster.ZnodeError{Path: "/isr_change_notification/isr_change_0000000001", Error: "bad", KafkaBehavior: "ignores"},
				cluster.ZnodeError{Path: "/config/users/locked", Error: "not authenticated"})
		}, []string{"malformed-znode|error|/brokers/ids/4", "malformed-znode|error|/config/topics/orders", "malformed-znode|warning|/isr_change_notification/isr_change_0000000001"}},
		{"missing cluster id", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.Cluster = nil },
			[]string{"missing-cluster-id|error|/cluster/id"}},
		{"missing persistent paths by Kafka version", func(m *cluster.Model, _ map[string][]zk.ACL, s *Settings) {
			m.MissingPaths = []string{"/config/changes", "/config/ips"}
			s.KafkaVersion = zkpaths.Version{Major: 2, Minor: 7}
		}, []string{"missing-persistent-path|warning|/config/changes"}},
		{"unknown znode", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) { m.UnknownZnodes = []string{"/my-app"} },
			[]string{"unknown-znode|info|/my-app"}},
		{"feature enabled with features", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Features.Features = map[string]zkpaths.FinalizedFeature{"metadata.version": {MaxVersionLevel: 1}}
		}, []string{"feature-enabled-with-features|error|/feature"}},
		{"feature znode malformed", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Features = &features.Description{State: features.StateMalformed, Warnings: []string{"no data"}}
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/feature", Error: "no data", KafkaBehavior: "rejects"})
		}, []string{"feature-znode-malformed|error|/feature"}},
		{"empty migration znode", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			m.Migration = &cluster.Migration{MigrationState: &zkpaths.MigrationState{NullData: true}}
			// Kafka's decode throws on it too: the error is empty-migration-znode's.
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/migration", Error: "no data: MigrationZNode.decode throws NullPointerException", KafkaBehavior: "rejects"})
		}, []string{"empty-migration-znode|error|/migration"}},
		{"short stray ISR-change name", func(m *cluster.Model, _ map[string][]zk.ACL, _ *Settings) {
			_, err := zkpaths.CheckSequenceName(zkpaths.ISRChangeNotification, "x")
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/isr_change_notification/x", Error: err.(*zkpaths.DecodeError).Reason, KafkaBehavior: "rejects"})
		}, []string{"malformed-znode|error|/isr_change_notification/x"}},
		{"world-writable znodes", func(_ *cluster.Model, acls map[string][]zk.ACL, _ *Settings) {
			acls["/brokers/topics"] = zk.WorldACL(zk.PermAll)
			acls["/brokers/ids/1"] = []zk.ACL{{Perms: zk.PermRead | zk.PermWrite, Scheme: "world", ID: "anyone"}}
		}, []string{"world-writable-znode|error|/brokers/ids/1", "world-writable-znode|error|/brokers/topics"}},
		{"sensitive znodes world-readable", func(_ *cluster.Model, acls map[string][]zk.ACL, _ *Settings) {
			acls["/config/users/bob"] = append(acls["/config/users/bob"], zk.ACL{Perms: zk.PermRead, Scheme: "world", ID: "anyone"})
			acls["/delegation_token/tokens/abc"] = zk.WorldACL(zk.PermAll)
		}, []string{"world-writable-znode|error|/delegation_token/tokens/abc",
			"sensitive-path-world-readable|error|/config/users/bob", "sensitive-path-world-readable|error|/delegation_token/tokens/abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, acls := healthyModel()
			s := DefaultSettings()
			s.Now = now
			tt.change(m, acls, &s)
			got := findingKeys(Evaluate(Input{Model: m, ACLs: acls, Settings: s}, Catalogue()))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Every finding is complete, on one line, and every rule explains itself.
func TestFindingsAndCatalogueAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, r := range Catalogue() {
		if names[r.Name] {
			t.Errorf("rule %s twice", r.Name)
		}
		names[r.Name] = true
		if r.Summary == "" || r.Explanation == "" || r.Family == "" || len(r.Severities) == 0 || r.eval == nil {
			t.Errorf("rule %s is incomplete: %+v", r.Name, r)
		}
		if !contains32(r.Severities, r.Severity) {
			t.Errorf("rule %s: severity %s not among %v", r.Name, r.Severity, r.Severities)
		}
	}
	for _, want := range []string{"no-controller", "controller-not-registered", "offline-partition", "under-replicated-partition",
		"under-min-isr", "replica-on-unregistered-broker", "leader-not-in-isr", "preferred-leader-imbalance",
		"missing-partition-state", "orphan-partition-state", "topic-without-partitions", "pending-reassignment",
		"pending-topic-deletion", "pending-preferred-election", "consumer-offsets-for-missing-topic", "config-change-backlog", "stray-config-change",
		"isr-change-backlog", "log-dir-event-pending", "malformed-znode", "feature-enabled-with-features",
		"feature-znode-malformed", "empty-migration-znode", "migration-in-progress", "missing-cluster-id",
		"missing-persistent-path", "world-writable-znode", "sensitive-path-world-readable", "mixed-rack-registration"} {
		if !names[want] {
			t.Errorf("the catalogue lacks %s", want)
		}
	}
	// A model where every rule fires at least once gives complete findings.
	m, acls := healthyModel()
	m.Controller.BrokerID, m.Brokers[2].Rack = 9, nil
	m.Topics[0].Partitions[0].Leader, m.Topics[0].Partitions[0].ISR = i32(-1), []int32{1}
	m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/x\ny", Error: "multi\nline", KafkaBehavior: "rejects"})
	m.Admin.ConsumerOffsets = []cluster.ConsumerOffset{{Group: "g", Topic: "gone"}}
	acls["/config/users"] = zk.WorldACL(zk.PermAll)
	s := DefaultSettings()
	for _, f := range Evaluate(Input{Model: m, ACLs: acls, Settings: s}, Catalogue()) {
		if f.Rule == "" || f.Severity == 0 || f.Subject == "" || f.Path == "" || f.Message == "" || f.Hint == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		if strings.ContainsAny(f.Message+f.Hint, "\n\r") && f.Rule != "malformed-znode" {
			t.Errorf("finding on more than one line: %+v", f)
		}
	}
}

func contains32(v []Severity, s Severity) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

func TestSelect(t *testing.T) {
	all, err := Select(nil, nil, false)
	if err != nil || !ACLScopeFor(all, false).Empty() || len(all) != len(Catalogue())-2 {
		t.Errorf("default selection: %d rules, ACLs %v, %v", len(all), !ACLScopeFor(all, false).Empty(), err)
	}
	secure, _ := Select(nil, []string{"unknown-znode"}, true)
	if ACLScopeFor(secure, false).Empty() || len(secure) != len(Catalogue())-1 {
		t.Errorf("--secure --skip-rule unknown-znode: %d rules", len(secure))
	}
	named, _ := Select([]string{"world-writable-znode", "offline-partition"}, nil, false)
	if got := []string{named[0].Name, named[1].Name}; !reflect.DeepEqual(got, []string{"offline-partition", "world-writable-znode"}) {
		t.Errorf("named rules run in catalogue order, security ones too: %v", got)
	}
	if _, err := Select([]string{"offline-partitions"}, nil, false); err == nil || !strings.Contains(err.Error(), `"offline-partitions"`) {
		t.Errorf("unknown rule: %v", err)
	}
	if _, err := Select(nil, []string{"nope"}, false); err == nil {
		t.Error("unknown skipped rule accepted")
	}
}

package diff

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

// summary is "kind subject path" per difference, in order.
func summary(diffs []Difference) []string {
	out := []string{}
	for _, d := range diffs {
		out = append(out, string(d.Kind)+" "+d.Subject+" "+d.Path)
	}
	return out
}

// jsonOf renders a value as compact JSON, to compare Before/After.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCompare(t *testing.T) {
	alice := zkpaths.ACLEntry{Principal: "User:alice", PermissionType: "Allow", Operation: "Read", Host: "*"}
	carol := zkpaths.ACLEntry{Principal: "User:carol", PermissionType: "Allow", Operation: "Write", Host: "*"}
	for _, tc := range []struct {
		name   string
		change func(b testModelEdit)
		want   []string
		// before and after of the first difference, as JSON ("" to skip)
		before, after string
		// oneWay: B→A differs in number (an epoch going back is one way only)
		oneWay bool
	}{
		{name: "identical", change: func(testModelEdit) {}, want: []string{}},
		{name: "cluster id", change: func(b testModelEdit) { b.Cluster.ID = "zzz" },
			want: []string{"cluster-id-changed cluster /cluster/id"}, before: `"abcdefghijklmnopqrstuv"`, after: `"zzz"`},

		// controller
		{name: "controller moved", change: func(b testModelEdit) { b.Controller.BrokerID, b.Controller.Epoch = 2, i32(6) },
			want:   []string{"controller-moved controller /controller"},
			before: `{"broker_id":1,"epoch":5}`, after: `{"broker_id":2,"epoch":6}`},
		{name: "controller gone", change: func(b testModelEdit) { b.Controller.ControllerZNode, b.Controller.Elected = nil, false },
			want: []string{"controller-moved controller /controller"}, before: `{"broker_id":1,"epoch":5}`, after: `null`},
		{name: "controller reelected", change: func(b testModelEdit) { b.Controller.Epoch = i32(6) },
			want: []string{"controller-reelected controller /controller"}, after: `{"broker_id":1,"epoch":6}`},
		{name: "kraft controller takes over", change: func(b testModelEdit) {
			b.Controller.BrokerID, b.Controller.KRaftControllerEpoch, b.Controller.Ephemeral = 3000, i32(1), false
		}, want: []string{"controller-moved controller /controller"}, after: `{"broker_id":3000,"epoch":5,"kraft_controller_epoch":1}`},
		{name: "controller epoch version bump alone", change: func(b testModelEdit) { b.Controller.EpochZkVersion = i32(9) }, want: []string{}},

		// brokers
		{name: "broker joined", change: func(b testModelEdit) { b.Brokers = append(b.Brokers, testBroker(4, "kafka-4", "")) },
			want: []string{"broker-joined broker 4 /brokers/ids/4"}, before: `null`,
			after: `{"endpoints":["PLAINTEXT://kafka-4:9092"],"rack":null,"broker_epoch":104}`},
		{name: "broker left", change: func(b testModelEdit) { b.Brokers = b.Brokers[:2] },
			want: []string{"broker-left broker 3 /brokers/ids/3"}, after: `null`},
		{name: "broker reregistered", change: func(b testModelEdit) { b.broker(2).BrokerEpoch = 999 },
			want: []string{"broker-reregistered broker 2 /brokers/ids/2"}, before: `102`, after: `999`},
		{name: "broker endpoint", change: func(b testModelEdit) { b.broker(2).Endpoints[0].Host = "kafka-2.new" },
			want:   []string{"broker-endpoint-changed broker 2 /brokers/ids/2"},
			before: `["PLAINTEXT://kafka-2:9092"]`, after: `["PLAINTEXT://kafka-2.new:9092"]`},
		{name: "broker restarted elsewhere", change: func(b testModelEdit) {
			b.broker(2).BrokerEpoch, b.broker(2).Endpoints[0].Port, b.broker(2).Rack = 999, 9093, nil
		}, want: []string{"broker-reregistered broker 2 /brokers/ids/2", "broker-endpoint-changed broker 2 /brokers/ids/2",
			"broker-rack-changed broker 2 /brokers/ids/2"}},
		{name: "broker timestamp alone", change: func(b testModelEdit) { b.broker(1).Timestamp, b.broker(1).JMXPort = "1", 9999 }, want: []string{}},

		// topics and partitions
		{name: "topic created", change: func(b testModelEdit) {
			b.Topics = append(b.Topics, cluster.Topic{Name: "zeta", Partitions: []cluster.Partition{testPartition(0, []int32{1, 2}, 1, []int32{1, 2})}})
		}, want: []string{"topic-created zeta /brokers/topics/zeta"}, after: `{"topic_id":null,"partitions":1,"replication_factor":2}`},
		{name: "topic deleted", change: func(b testModelEdit) { b.Topics = b.Topics[:1] },
			want: []string{"topic-deleted payments /brokers/topics/payments"}},
		{name: "topic recreated", change: func(b testModelEdit) { b.topic("payments").TopicID = str("CCCCCCCCCCCCCCCCCCCCCC") },
			want: []string{"topic-recreated payments /brokers/topics/payments"}, before: `"BBBBBBBBBBBBBBBBBBBBBB"`, after: `"CCCCCCCCCCCCCCCCCCCCCC"`},
		{name: "topic marked for deletion", change: func(b testModelEdit) { b.topic("payments").MarkedForDeletion = true },
			want: []string{"topic-marked-for-deletion payments /admin/delete_topics/payments"}},
		{name: "partition added", change: func(b testModelEdit) {
			b.topic("payments").Partitions = append(b.topic("payments").Partitions, testPartition(1, []int32{1, 2, 3}, 1, []int32{1, 2, 3}))
		}, want: []string{"partition-added payments-1 /brokers/topics/payments"}, after: `{"replicas":[1,2,3],"leader":1,"isr":[1,2,3]}`},
		{name: "partition removed", change: func(b testModelEdit) { b.topic("orders").Partitions = b.topic("orders").Partitions[:1] },
			want: []string{"partition-removed orders-1 /brokers/topics/orders"}},
		{name: "leader changed", change: func(b testModelEdit) {
			b.partition("orders", 0).Leader, b.partition("orders", 0).LeaderEpoch = i32(2), i32(8)
		},
			want: []string{"leader-changed orders-0 /brokers/topics/orders/partitions/0/state"}, before: `1`, after: `2`},
		{name: "partition offline", change: func(b testModelEdit) {
			p := b.partition("orders", 1)
			p.Leader, p.ISR = i32(-1), []int32{2}
		}, want: []string{"leader-changed orders-1 /brokers/topics/orders/partitions/1/state", "isr-shrank orders-1 /brokers/topics/orders/partitions/1/state"},
			before: `2`, after: `-1`},
		{name: "state znode gone", change: func(b testModelEdit) {
			p := b.partition("orders", 1)
			p.Leader, p.LeaderEpoch, p.ISR, p.StateMissing = nil, nil, nil, true
		}, want: []string{"leader-changed orders-1 /brokers/topics/orders/partitions/1/state"}, after: `null`},
		{name: "epochs alone", change: func(b testModelEdit) {
			p := b.partition("orders", 0)
			p.LeaderEpoch, p.PartitionEpoch, p.ControllerEpoch = i32(8), i32(13), i32(6)
		}, want: []string{}},
		{name: "isr shrank", change: func(b testModelEdit) { b.partition("orders", 0).ISR = []int32{1, 2} },
			want: []string{"isr-shrank orders-0 /brokers/topics/orders/partitions/0/state"}, before: `[1,2,3]`, after: `[1,2]`},
		{name: "isr expanded", change: func(b testModelEdit) { b.partition("orders", 1).ISR = []int32{2, 3, 1} },
			want: []string{"isr-expanded orders-1 /brokers/topics/orders/partitions/1/state"}},
		{name: "isr swapped a member", change: func(b testModelEdit) { b.partition("orders", 1).ISR = []int32{2, 1} },
			want: []string{"isr-changed orders-1 /brokers/topics/orders/partitions/1/state"}},
		{name: "isr order alone", change: func(b testModelEdit) { b.partition("orders", 0).ISR = []int32{3, 2, 1} }, want: []string{}},
		{name: "replicas reordered", change: func(b testModelEdit) { b.partition("orders", 0).Replicas = []int32{2, 1, 3} },
			want: []string{"replicas-reassigned orders-0 /brokers/topics/orders"}, before: `{"replicas":[1,2,3]}`, after: `{"replicas":[2,1,3]}`},
		{name: "reassignment started", change: func(b testModelEdit) {
			p := b.partition("payments", 0)
			p.Replicas, p.AddingReplicas, p.RemovingReplicas = []int32{4, 1, 2, 3}, []int32{4}, []int32{3}
		}, want: []string{"replicas-reassigned payments-0 /brokers/topics/payments"},
			after: `{"replicas":[4,1,2,3],"adding_replicas":[4],"removing_replicas":[3]}`},

		// configs
		{name: "config changed, added, removed", change: func(b testModelEdit) {
			b.Configs.Topics["orders"] = map[string]string{"retention.ms": "86400000", "min.insync.replicas": "2"}
		}, want: []string{"config-removed topics/orders: cleanup.policy /config/topics/orders",
			"config-added topics/orders: min.insync.replicas /config/topics/orders",
			"config-changed topics/orders: retention.ms /config/topics/orders"}, before: `"delete"`, after: `null`},
		{name: "new entity", change: func(b testModelEdit) {
			b.Configs.Clients["reporting app"] = map[string]string{"request_percentage": "50"}
		},
			want: []string{"config-added clients/reporting app: request_percentage /config/clients/reporting%20app"}, after: `"50"`},
		{name: "user-client quota", change: func(b testModelEdit) { b.Configs.UserClients["bob/batch loader"]["producer_byte_rate"] = "1" },
			want: []string{"config-changed users/bob/clients/batch loader: producer_byte_rate /config/users/bob/clients/batch%20loader"}},
		{name: "SCRAM credential changed", change: func(b testModelEdit) {
			b.Configs.Users["alice"]["SCRAM-SHA-256"] = "salt=bmV3,stored_key=c,server_key=d,iterations=8192"
		}, want: []string{"config-changed users/alice: SCRAM-SHA-256 /config/users/alice"}, before: `"[redacted]"`, after: `"[redacted]"`},
		{name: "password added", change: func(b testModelEdit) {
			b.Configs.Brokers["<default>"]["listener.name.internal.ssl.key.password"] = "hunter2"
		}, want: []string{"config-added brokers/<default>: listener.name.internal.ssl.key.password /config/brokers/<default>"}, after: `"[redacted]"`},
		{name: "empty entity appears", change: func(b testModelEdit) { b.Configs.IPs["10.0.0.1"] = map[string]string{} }, want: []string{}},

		// ACLs
		{name: "acl added and removed", change: func(b testModelEdit) {
			b.ACLs[0] = testACL("LITERAL", "Topic", "orders", carol)
		}, want: []string{"acl-added Topic:orders /kafka-acl/Topic/orders", "acl-removed Topic:orders /kafka-acl/Topic/orders"},
			before: `null`, after: `{"principal":"User:carol","permission_type":"Allow","operation":"Write","host":"*"}`},
		{name: "acl resource gone", change: func(b testModelEdit) { b.ACLs = b.ACLs[:1] },
			want: []string{"acl-removed Group:app- (prefixed) /kafka-acl-extended/prefixed/Group/app-"}},
		{name: "acl order alone", change: func(b testModelEdit) {
			b.ACLs[0] = testACL("LITERAL", "Topic", "orders", alice, alice)
		}, want: []string{}},

		// features and migration
		{name: "features disabled", change: func(b testModelEdit) {
			b.Features.State, b.Features.Epoch, b.Features.Features = features.StateDisabled, i32(4), map[string]zkpaths.FinalizedFeature{}
		}, want: []string{"feature-state-changed /feature /feature", "feature-level-changed metadata.version /feature"},
			before: `{"state":"enabled","version":2}`, after: `{"state":"disabled","version":2}`, oneWay: true},
		{name: "feature level", change: func(b testModelEdit) {
			b.Features.Features["metadata.version"] = zkpaths.FinalizedFeature{MaxVersionLevel: 22}
			b.Features.Features["kraft.version"] = zkpaths.FinalizedFeature{MaxVersionLevel: 1}
		}, want: []string{"feature-level-changed kraft.version /feature", "feature-level-changed metadata.version /feature"},
			before: `null`, after: `{"max_version_level":1}`},
		{name: "feature epoch forward alone", change: func(b testModelEdit) { b.Features.Epoch = i32(9) }, want: []string{}, oneWay: true},
		{name: "feature epoch regressed", change: func(b testModelEdit) { b.Features.Epoch = i32(0) },
			want: []string{"feature-epoch-regressed /feature /feature"}, before: `3`, after: `0`, oneWay: true},
		{name: "migration started", change: func(b testModelEdit) {
			b.Migration = &cluster.Migration{MigrationState: &zkpaths.MigrationState{KRaftControllerID: 3000, KRaftControllerEpoch: 1,
				KRaftMetadataOffset: -1, KRaftMetadataEpoch: -1}, ZkVersion: 0}
		}, want: []string{"migration-state-changed /migration /migration"}, before: `null`,
			after: `{"null_data":false,"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":1,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := testModel()
			tc.change(testModelEdit{b})
			got := Compare(NewSide(testModel(), nil), NewSide(b, nil))
			if s := summary(got); !reflect.DeepEqual(s, tc.want) {
				t.Fatalf("differences\n got %q\nwant %q", s, tc.want)
			}
			if len(got) > 0 && tc.before != "" {
				if s := jsonOf(t, got[0].Before); s != tc.before {
					t.Errorf("before = %s; want %s", s, tc.before)
				}
			}
			if len(got) > 0 && tc.after != "" {
				if s := jsonOf(t, got[0].After); s != tc.after {
					t.Errorf("after = %s; want %s", s, tc.after)
				}
			}
			for _, d := range got {
				if d.Message == "" || d.Section == "" {
					t.Errorf("%s: empty message or section: %+v", d.Kind, d)
				}
			}
			// The other way round, the same subjects change.
			back := Compare(NewSide(b, nil), NewSide(testModel(), nil))
			if len(back) != len(got) && !tc.oneWay {
				t.Errorf("B→A gives %q", summary(back))
			}
		})
	}
}

// Secrets never reach the output, whatever changed.
func TestCompareNeverShowsSecrets(t *testing.T) {
	b := testModel()
	b.Configs.Users["alice"]["SCRAM-SHA-256"] = "salt=bmV3,stored_key=SECRET2,server_key=d,iterations=8192"
	b.Configs.Users["alice"]["SCRAM-SHA-512"] = "salt=bmV3,stored_key=SECRET3,server_key=d,iterations=8192"
	delete(b.Configs.Users, "bob")
	a := testModel()
	a.Configs.Users["carol"] = map[string]string{"SCRAM-SHA-512": "salt=x,stored_key=SECRET4"}
	out, err := json.Marshal(Compare(NewSide(a, nil), NewSide(b, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"stored_key", "SECRET", "salt="} {
		if strings.Contains(string(out), secret) {
			t.Errorf("output shows %q: %s", secret, out)
		}
	}
	if !strings.Contains(string(out), "SCRAM-SHA-256 changed ([redacted])") {
		t.Errorf("a changed credential does not say so: %s", out)
	}
}

// Differences come by section, then subject (numbers numerically), then kind.
func TestCompareOrder(t *testing.T) {
	b := testModel()
	e := testModelEdit{b}
	b.Brokers = append(b.Brokers, testBroker(10, "kafka-10", ""))
	b.Topics = append(b.Topics, cluster.Topic{Name: "alpha"})
	p := e.topic("orders")
	for n := int32(2); n <= 10; n++ {
		p.Partitions = append(p.Partitions, testPartition(n, []int32{1}, 1, []int32{1}))
	}
	e.partition("orders", 1).Leader = i32(3)
	e.partition("orders", 1).ISR = []int32{3}
	b.Configs.Topics["orders"]["a.key"] = "1"
	b.Controller.BrokerID = 2
	b.Features.State = features.StateDisabled
	got := summary(Compare(NewSide(testModel(), nil), NewSide(b, nil)))
	want := []string{
		"controller-moved controller /controller",
		"broker-joined broker 10 /brokers/ids/10",
		"topic-created alpha /brokers/topics/alpha",
		"leader-changed orders-1 /brokers/topics/orders/partitions/1/state",
		"isr-shrank orders-1 /brokers/topics/orders/partitions/1/state",
	}
	for n := 2; n <= 10; n++ {
		want = append(want, "partition-added orders-"+strconv.Itoa(n)+" /brokers/topics/orders")
	}
	want = append(want, "config-added topics/orders: a.key /config/topics/orders", "feature-state-changed /feature /feature")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
}

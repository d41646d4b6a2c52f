package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// memSource is a tree in memory: the reader's Source for tests that need
// no server.
type memSource map[string][]byte

func (s memSource) put(path string, data []byte) {
	for _, a := range zkpaths.Ancestors(path) {
		if _, ok := s[a]; !ok {
			s[a] = nil
		}
	}
	s[path] = data
}

func (s memSource) children(path string) []string {
	var out []string
	prefix := strings.TrimSuffix(path, "/") + "/"
	for p := range s {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			out = append(out, rest)
		}
	}
	sort.Strings(out)
	return out
}

func (s memSource) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	data, ok := s[path]
	if !ok && path != "/" {
		return nil, nil, zk.ErrNoNode
	}
	return data, &zk.Stat{NumChildren: int32(len(s.children(path)))}, nil
}

func (s memSource) Children(_ context.Context, path string) ([]string, *zk.Stat, error) {
	if _, ok := s[path]; !ok && path != "/" {
		return nil, nil, zk.ErrNoNode
	}
	c := s.children(path)
	return c, &zk.Stat{NumChildren: int32(len(c))}, nil
}

func (s memSource) GetACL(context.Context, string) ([]zk.ACL, *zk.Stat, error) {
	return nil, nil, zk.ErrNoAuth
}

// goldenRecord is a file of zkpaths/testdata/golden: a payload at its path
// and what zkpaths.DecodeAt (with secrets redacted) makes of it.
type goldenRecord struct {
	Path    string               `json:"path"`
	Kind    zkpaths.Kind         `json:"kind"`
	Data    *string              `json:"data"`
	Decoded json.RawMessage      `json:"decoded"`
	Error   *zkpaths.DecodeError `json:"error"`
}

// The golden files and fuzzers exercise exactly the code `rafka dump`
// runs: each golden payload, put at its path in a tree and dumped, shows
// up in the dump as its golden decode (or as its golden verdict in
// errors[]). Fields the dump does not show are left out of the comparison,
// by name, below.
func TestDumpOfEveryGoldenPayloadIsItsGoldenDecode(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "zkpaths", "testdata", "golden", "*", "*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("golden files: %d, %v", len(files), err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var g goldenRecord
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		t.Run(strings.TrimSuffix(filepath.ToSlash(file[len("../zkpaths/testdata/golden/"):]), ".json"), func(t *testing.T) {
			src := memSource{}
			var data []byte
			if g.Data != nil {
				data = []byte(*g.Data)
			}
			src.put(g.Path, data)
			m, err := Read(context.Background(), src, Options{MaxInFlight: 4})
			if err != nil {
				t.Fatal(err)
			}
			m.Redact()
			if got := zkpaths.KindOf(g.Path); got != g.Kind {
				t.Errorf("kind %s, golden %s", got, g.Kind)
			}
			var verdict *ZnodeError
			for i, e := range m.Errors {
				if e.Path == g.Path {
					verdict = &m.Errors[i]
				}
			}
			switch {
			case g.Error != nil && verdict == nil:
				t.Fatalf("the dump has no error for %s; golden: %s", g.Path, g.Error)
			case g.Error != nil:
				if verdict.KafkaBehavior != string(g.Error.KafkaBehavior) || verdict.Error != g.Error.Reason {
					t.Errorf("dump error %+v, golden %+v", *verdict, *g.Error)
				}
				return
			case verdict != nil:
				t.Fatalf("the dump has error %+v for a payload that decodes", *verdict)
			}
			got, ok := dumped(m, g)
			if !ok {
				return // nothing of it in the dump, as checked by dumped
			}
			if want := comparable(t, g.Decoded, g.Kind); !reflect.DeepEqual(comparable(t, got, g.Kind), want) {
				t.Errorf("dump shows\n%s\ngolden decode\n%s", got, g.Decoded)
			}
		})
	}
}

// notShown are the fields of a decoded value a dump does not show.
var notShown = map[zkpaths.Kind][]string{
	zkpaths.KindControllerEpoch:   {"warnings"},
	zkpaths.KindPartitionState:    {"version"},
	zkpaths.KindDeleteTopicMarker: {"warnings"},
	zkpaths.KindEntityConfig:      {"entity_type", "entity_name", "client_id", "null_data", "version", "warnings"},
	zkpaths.KindFeature:           {"warnings"},
}

func comparable(t *testing.T, raw json.RawMessage, kind zkpaths.Kind) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	for _, k := range notShown[kind] {
		delete(v, k)
	}
	return v
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// dumped finds what the dump shows of the golden znode, in the decoded
// value's JSON shape; false when the dump rightly shows nothing of it.
func dumped(m *Model, g goldenRecord) (json.RawMessage, bool) {
	name := g.Path[strings.LastIndexByte(g.Path, '/')+1:]
	switch g.Kind {
	case zkpaths.KindBrokerRegistration:
		return mustJSON(m.Brokers[0]), true
	case zkpaths.KindController:
		return mustJSON(m.Controller.ControllerZNode), true
	case zkpaths.KindControllerEpoch:
		return mustJSON(zkpaths.ControllerEpochZNode{ControllerEpoch: *m.Controller.Epoch}), true
	case zkpaths.KindClusterID:
		return mustJSON(m.Cluster), true
	case zkpaths.KindTopicAssignment:
		top := m.Topics[0]
		a := zkpaths.TopicAssignment{Topic: top.Name, Version: top.Version, TopicID: top.TopicID, Warnings: top.Warnings,
			Partitions: map[int32][]int32{}, AddingReplicas: map[int32][]int32{}, RemovingReplicas: map[int32][]int32{}}
		for _, p := range top.Partitions {
			if !p.Unassigned {
				a.Partitions[p.Partition] = p.Replicas
			}
			if p.AddingReplicas != nil {
				a.AddingReplicas[p.Partition] = p.AddingReplicas
			}
			if p.RemovingReplicas != nil {
				a.RemovingReplicas[p.Partition] = p.RemovingReplicas
			}
		}
		return mustJSON(a), true
	case zkpaths.KindPartitionState:
		p := m.Topics[0].Partitions[0]
		s := zkpaths.PartitionState{Leader: *p.Leader, LeaderEpoch: *p.LeaderEpoch, ControllerEpoch: *p.ControllerEpoch,
			ISR: p.ISR, LeaderRecoveryState: p.LeaderRecoveryState, PartitionEpoch: *p.PartitionEpoch, Warnings: p.Warnings}
		return mustJSON(s), true
	case zkpaths.KindDeleteTopicMarker:
		return mustJSON(zkpaths.DeleteTopicMarker{Topic: m.Admin.DeleteTopics[0]}), true
	case zkpaths.KindReassignPartitions:
		return mustJSON(m.Admin.ReassignPartitions), true
	case zkpaths.KindPreferredReplicaElection:
		return mustJSON(m.Admin.PreferredReplicaElection), true
	case zkpaths.KindEntityConfig:
		for _, byName := range []map[string]map[string]string{m.Configs.Topics, m.Configs.Brokers, m.Configs.Users,
			m.Configs.Clients, m.Configs.IPs, m.Configs.UserClients} {
			for _, c := range byName {
				return mustJSON(map[string]any{"config": c}), true
			}
		}
		// A user's null node is only the parent of its clients' quotas.
		if g.Path != "/config/users/<default>" {
			panic("no config in the dump for " + g.Path)
		}
		return nil, false
	case zkpaths.KindConfigChange, zkpaths.KindISRChange, zkpaths.KindLogDirEvent, zkpaths.KindACLChange,
		zkpaths.KindExtendedACLChange, zkpaths.KindTokenChange:
		n := m.Notifications
		for _, q := range [][]Notification{n.ConfigChanges, n.ISRChanges, n.LogDirEvents, n.ACLChanges, n.ExtendedACLChanges, n.TokenChanges} {
			for _, e := range q {
				if e.Name == name {
					return mustJSON(e.Content), true
				}
			}
		}
	case zkpaths.KindProducerIDBlock:
		return mustJSON(m.ProducerIDBlock), true
	case zkpaths.KindBrokerSequenceID:
		return mustJSON(m.BrokerSequence), true
	case zkpaths.KindACL:
		return mustJSON(m.ACLs[0].ACLNode), true
	case zkpaths.KindDelegationToken:
		return mustJSON(m.DelegationTokens[0]), true
	case zkpaths.KindFeature:
		f := m.Features
		return mustJSON(zkpaths.FeatureZNode{Version: *f.Version, Status: f.State, Features: f.Features}), true
	case zkpaths.KindMigration:
		return mustJSON(m.Migration.MigrationState), true
	case zkpaths.KindConsumerOffset:
		o := m.Admin.ConsumerOffsets[0]
		return mustJSON(zkpaths.ConsumerOffset{Offset: o.Offset, Warnings: o.Warnings}), true
	case zkpaths.KindDirectory:
		if contains(m.UnknownZnodes, g.Path) {
			panic(g.Path + " is unknown to the dump")
		}
		return nil, false
	case zkpaths.KindUnknown:
		return nil, false // the dump does not read ZooKeeper's own tree
	}
	panic("the dump does not show " + string(g.Kind) + " " + g.Path)
}

// Malformed content gets the same verdict in the dump as from DecodeAt,
// which the zkpaths case tests pin down.
func TestDumpVerdictsAreDecodeAtVerdicts(t *testing.T) {
	for _, c := range []struct{ path, data string }{
		{"/brokers/ids/١", `{"version":4,"host":"h","port":1,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:1"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"}}`},
		{"/brokers/ids/x", `{}`},
		{"/brokers/topics/t/partitions/x/state", `{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":1,"isr":[1]}`},
		{"/brokers/topics/t", `garbage`},
		{"/consumers/app/offsets/orders/0", `abc`},
		{"/consumers/app/offsets/orders/x", `1`},
		{"/config/changes/config_change_x", `{"version":2,"entity_path":"topics/t"}`},
		{"/isr_change_notification/isr_change_0000000001", `{"version":1}`},
		{"/controller_epoch", `x`},
		{"/kafka-acl/Topic/t", `{"version":2,"acls":[]}`},
	} {
		t.Run(c.path, func(t *testing.T) {
			src := memSource{}
			src.put(c.path, []byte(c.data))
			m, err := Read(context.Background(), src, Options{MaxInFlight: 4})
			if err != nil {
				t.Fatal(err)
			}
			_, _, want := zkpaths.DecodeAt(c.path, []byte(c.data))
			var de *zkpaths.DecodeError
			var got []ZnodeError
			for _, e := range m.Errors {
				if e.Path == c.path {
					got = append(got, e)
				}
			}
			switch {
			case want == nil && len(got) > 0:
				t.Errorf("dump errors %+v; DecodeAt decodes it", got)
			case want != nil && !errors.As(want, &de):
				t.Fatalf("not a DecodeError: %v", want)
			case want != nil && (len(got) != 1 || got[0].Error != de.Reason || got[0].KafkaBehavior != string(de.KafkaBehavior)):
				t.Errorf("dump errors %+v; DecodeAt: %v", got, want)
			}
		})
	}
}

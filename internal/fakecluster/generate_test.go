package fakecluster

import (
	"encoding/base64"
	"encoding/json"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rafka/rafka/snapshot"
)

func nodeMap(nodes []snapshot.Node) map[string]snapshot.Node {
	m := make(map[string]snapshot.Node, len(nodes))
	for _, n := range nodes {
		m[n.Path] = n
	}
	return m
}

func countData(nodes []snapshot.Node) int {
	n := 0
	for _, node := range nodes {
		if node.Data != nil {
			n++
		}
	}
	return n
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, spec := range []Spec{Demo(), Bench(50)} {
		a, b := Generate(spec), Generate(spec)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("two Generate calls of the same spec differ")
		}
	}
	other := Demo()
	other.Seed++
	if reflect.DeepEqual(Generate(Demo()), Generate(other)) {
		t.Fatalf("another seed gave the same tree")
	}
}

func TestGenerateIsParentFirstWithoutDuplicates(t *testing.T) {
	seen := map[string]bool{"/": true}
	for _, n := range Generate(Demo()) {
		if seen[n.Path] {
			t.Fatalf("%s appears twice", n.Path)
		}
		if !seen[path.Dir(n.Path)] {
			t.Fatalf("%s comes before its parent", n.Path)
		}
		seen[n.Path] = true
	}
}

func TestBenchCounts(t *testing.T) {
	for _, topics := range []int{100, 1000, 10000} {
		nodes := Generate(Bench(topics))
		data := countData(nodes)
		topicData := 0
		for _, n := range nodes {
			if strings.HasPrefix(n.Path, "/brokers/topics/") && n.Data != nil || strings.HasPrefix(n.Path, "/config/topics/") {
				topicData++
			}
		}
		t.Logf("Bench(%d): %d znodes, %d with data (%d of them topics, partition states, topic configs)", topics, len(nodes), data, topicData)
		if topicData != topics*12 {
			t.Errorf("Bench(%d): %d topic data znodes, want %d", topics, topicData, topics*12)
		}
		if want := topics * 23; len(nodes) < want || len(nodes) > want+100 {
			t.Errorf("Bench(%d): %d znodes, want %d plus the cluster's few dozen", topics, len(nodes), want)
		}
	}
}

// TestPayloadShapes checks the payloads against kafka-zk-model.md §2.
func TestPayloadShapes(t *testing.T) {
	nodes := nodeMap(Generate(Demo()))
	get := func(p string) map[string]any {
		t.Helper()
		n, ok := nodes[p]
		if !ok {
			t.Fatalf("%s missing", p)
		}
		var v map[string]any
		if err := json.Unmarshal(n.Data, &v); err != nil {
			t.Fatalf("%s: %v: %s", p, err, n.Data)
		}
		return v
	}
	keys := func(v map[string]any) []string {
		var k []string
		for key := range v {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}

	b := get("/brokers/ids/1")
	if got, want := keys(b), []string{"endpoints", "features", "host", "jmx_port", "listener_security_protocol_map", "port", "rack", "timestamp", "version"}; !slices.Equal(got, want) {
		t.Errorf("broker registration keys %v, want %v", got, want)
	}
	if b["version"] != 5.0 || b["rack"] != "rack-a" || !reflect.DeepEqual(b["features"], map[string]any{}) {
		t.Errorf("broker registration %v", b)
	}
	if _, ok := b["timestamp"].(string); !ok {
		t.Errorf("broker timestamp is not a string: %v", b["timestamp"])
	}
	if !nodes["/brokers/ids/1"].Ephemeral || !nodes["/controller"].Ephemeral {
		t.Errorf("broker registrations and /controller must be marked ephemeral")
	}
	if c := get("/controller"); c["version"] != 2.0 || c["kraftControllerEpoch"] != -1.0 {
		t.Errorf("/controller %v", c)
	}
	if id := get("/cluster/id"); id["version"] != "1" || len(id["id"].(string)) != 22 {
		t.Errorf("/cluster/id %v", id)
	}
	if f := string(nodes["/feature"].Data); f != `{"version":1,"status":1,"features":{}}` {
		t.Errorf("/feature %s", f)
	}
	if p := get("/latest_producer_id_block"); p["version"] != 1.0 || reflect.TypeOf(p["block_start"]).Kind() != reflect.String {
		t.Errorf("/latest_producer_id_block %v", p)
	}

	a := get("/brokers/topics/orders")
	if got, want := keys(a), []string{"adding_replicas", "partitions", "removing_replicas", "topic_id", "version"}; !slices.Equal(got, want) {
		t.Errorf("assignment keys %v, want %v", got, want)
	}
	id, err := base64.RawURLEncoding.DecodeString(a["topic_id"].(string))
	if err != nil || len(id) != 16 || len(a["topic_id"].(string)) != 22 {
		t.Errorf("topic_id %q: %d bytes, %v", a["topic_id"], len(id), err)
	}
	s := get("/brokers/topics/orders/partitions/0/state")
	if got, want := keys(s), []string{"controller_epoch", "isr", "leader", "leader_epoch", "version"}; !slices.Equal(got, want) {
		t.Errorf("state keys %v, want %v", got, want)
	}
	for _, p := range []string{"/config/topics/orders", "/config/users/alice", "/config/clients/<default>", "/config/brokers/<default>"} {
		c := get(p)
		if c["version"] != 1.0 {
			t.Errorf("%s version %v", p, c["version"])
		}
		for k, v := range c["config"].(map[string]any) {
			if _, ok := v.(string); !ok {
				t.Errorf("%s: %s is not a string", p, k)
			}
		}
	}
	if c := get("/config/changes/config_change_0000000040"); c["version"] != 2.0 || c["entity_path"] != "topics/orders" {
		t.Errorf("config change %v", c)
	}
	acl := get("/kafka-acl/Topic/orders")
	entry := acl["acls"].([]any)[0].(map[string]any)
	if got, want := keys(entry), []string{"host", "operation", "permissionType", "principal"}; acl["version"] != 1.0 || !slices.Equal(got, want) {
		t.Errorf("ACL %v", acl)
	}
	if _, ok := nodes["/kafka-acl-extended/prefixed/Topic/analytics."]; !ok {
		t.Errorf("no prefixed ACL")
	}
	for _, p := range []string{"/consumers", "/brokers/seqid", "/admin/delete_topics", "/isr_change_notification", "/log_dir_event_notification", "/config/ips"} {
		if n, ok := nodes[p]; !ok || n.Data != nil {
			t.Errorf("persistent path %s: present %v, data %q", p, ok, n.Data)
		}
	}
	for _, p := range []string{"/migration", "/delegation_token"} {
		if _, ok := nodes[p]; ok {
			t.Errorf("%s should not exist", p)
		}
	}
}

func TestSCRAMCredentialsMatchPasswords(t *testing.T) {
	nodes := nodeMap(Generate(Demo()))
	var cfg struct{ Config map[string]string }
	if err := json.Unmarshal(nodes["/config/users/alice"].Data, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, m := range scramMechanisms {
		stored := cfg.Config[m.name]
		fields := map[string]string{}
		for _, kv := range strings.Split(stored, ",") {
			k, v, _ := strings.Cut(kv, "=")
			fields[k] = v
		}
		salt, err := base64.StdEncoding.DecodeString(fields["salt"])
		if err != nil || fields["iterations"] != "4096" {
			t.Fatalf("%s: %q", m.name, stored)
		}
		if again := scramCredential(m.newHash, "alice-secret", salt, 4096); again != stored {
			t.Errorf("%s: stored %q, recomputed %q", m.name, stored, again)
		}
	}
}

func TestDemoFaults(t *testing.T) {
	c := Build(Demo())
	nodes := nodeMap(c.Nodes())
	kinds := map[FaultKind]int{}
	for _, f := range c.Faults {
		kinds[f.Kind]++
		t.Logf("%-31s %-18s %2d %s", f.Kind, f.Topic, f.Partition, f.Path)
		_, exists := nodes[f.Path]
		if exists == (f.Kind == FaultPartitionWithoutState) {
			t.Errorf("%s: %s exists: %v", f.Kind, f.Path, exists)
		}
		var state map[string]any
		if f.Kind == FaultOfflinePartition || f.Kind == FaultUnderReplicated {
			json.Unmarshal(nodes[f.Path].Data, &state)
		}
		switch f.Kind {
		case FaultOfflinePartition:
			if state["leader"] != -1.0 {
				t.Errorf("offline partition %s: %v", f.Path, state)
			}
		case FaultUnderReplicated:
			if len(state["isr"].([]any)) >= Demo().ReplicationFactor {
				t.Errorf("under-replicated partition %s: %v", f.Path, state)
			}
		case FaultPendingReassignment:
			if !strings.Contains(string(nodes[f.Path].Data), `"adding_replicas":{"`) {
				t.Errorf("reassignment %s: %s", f.Path, nodes[f.Path].Data)
			}
		case FaultPartitionWithoutState:
			if _, ok := nodes[path.Dir(f.Path)]; !ok {
				t.Errorf("%s: its partition directory should exist", f.Path)
			}
		}
	}
	want := map[FaultKind]int{
		FaultOfflinePartition: 1, FaultUnderReplicated: 2, FaultReplicaOnUnregisteredBroker: 1,
		FaultMarkedForDeletion: 1, FaultPendingReassignment: 1, FaultStrayConfigChange: 1,
		FaultPartitionWithoutState: 1, FaultOrphanPartitionState: 1,
	}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("faults %v, want %v", kinds, want)
	}
	if c.UnregisteredBroker != 5 {
		t.Errorf("unregistered broker %d", c.UnregisteredBroker)
	}
	if got := len(Build(Bench(20)).Faults); got != 0 {
		t.Errorf("Bench has %d faults", got)
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

// loadSpec puts a generated cluster under a fresh chroot and returns the
// connect string with that chroot.
func loadSpec(t *testing.T, zc *zktest.Cluster, spec fakecluster.Spec) string {
	t.Helper()
	connect := zc.Connect() + zktest.FreshChroot(t)
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := fakecluster.Load(context.Background(), sess, fakecluster.Generate(spec)); err != nil {
		t.Fatal(err)
	}
	return connect
}

func dumpJSON(t *testing.T, wantCode int, args ...string) *cluster.Model {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json", "dump"}, args...)...)
	if code != wantCode {
		t.Fatalf("dump %v: exit %d, want %d: %s", args, code, wantCode, stderr)
	}
	var m cluster.Model
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("dump %v: bad JSON: %v\n%s", args, err, out)
	}
	return &m
}

func findTopic(m *cluster.Model, name string) *cluster.Topic {
	for i := range m.Topics {
		if m.Topics[i].Name == name {
			return &m.Topics[i]
		}
	}
	return nil
}

func TestDumpDemoCluster(t *testing.T) {
	zc := zktest.Standalone(t)
	built := fakecluster.Build(fakecluster.Demo())
	connect := loadSpec(t, zc, fakecluster.Demo())
	// The demo's malformed znode was read: listed in errors[] (kind
	// malformed), not a partial read.
	m := dumpJSON(t, ExitOK, "-z", connect)

	if m.SchemaVersion != 1 || m.Cluster == nil || m.Cluster.ID == "" || m.Controller == nil || !m.Controller.Elected {
		t.Errorf("cluster %+v controller %+v", m.Cluster, m.Controller)
	}
	if len(m.Brokers) != len(built.Brokers) {
		t.Errorf("%d brokers; want %d", len(m.Brokers), len(built.Brokers))
	}
	if len(m.Topics) != len(built.Topics) {
		t.Errorf("%d topics; want %d", len(m.Topics), len(built.Topics))
	}
	// Each planted fault shows up where the dump puts it.
	for _, f := range built.Faults {
		switch f.Kind {
		case "stray-config-change":
			if len(m.Errors) == 0 || m.Errors[0].Path != f.Path || m.Errors[0].KafkaBehavior != "rejects" ||
				m.Errors[0].Kind != cluster.ErrorMalformed {
				t.Errorf("stray config change not in errors: %+v", m.Errors)
			}
		case "partition-without-state":
			if !partitionFlag(m, f.Path, func(p cluster.Partition) bool { return p.StateMissing }) {
				t.Errorf("%s: not reported as state_missing", f.Path)
			}
		case "orphan-partition-state":
			if !partitionFlag(m, f.Path, func(p cluster.Partition) bool { return p.Unassigned }) {
				t.Errorf("%s: not reported as unassigned", f.Path)
			}
		case "topic-marked-for-deletion":
			topic := f.Path[strings.LastIndex(f.Path, "/")+1:]
			if tp := findTopic(m, topic); tp == nil || !tp.MarkedForDeletion {
				t.Errorf("%s not marked for deletion", topic)
			}
		}
	}
	if len(m.UnknownZnodes) != 0 {
		t.Errorf("unknown znodes %v", m.UnknownZnodes)
	}
	if m.Features == nil || m.Features.State != "enabled" {
		t.Errorf("features %+v", m.Features)
	}
	// Secrets are redacted unless asked for.
	for user, cfg := range m.Configs.Users {
		for k, v := range cfg {
			if strings.HasPrefix(k, "SCRAM-") && v != "[redacted]" {
				t.Errorf("%s %s shown: %q", user, k, v)
			}
		}
	}
	shown := dumpJSON(t, ExitOK, "-z", connect, "--show-secrets", "--section", "configs")
	if v := shown.Configs.Users["alice"]["SCRAM-SHA-256"]; !strings.HasPrefix(v, "salt=") {
		t.Errorf("--show-secrets: alice's SCRAM-SHA-256 = %q", v)
	}

	// The table for people says the same, and the exit code does not depend on the format.
	table, _, code := run(t, "dump", "-z", connect, "--no-color")
	if code != ExitOK {
		t.Errorf("table exit %d; want %d", code, ExitOK)
	}
	for _, want := range []string{"offline", "under-replicated", "no state znode", "not in assignment", "marked for deletion", "config_change_manual", "[redacted]"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func partitionFlag(m *cluster.Model, statePath string, flag func(cluster.Partition) bool) bool {
	var topic string
	var part int32
	if _, err := fmt.Sscanf(strings.ReplaceAll(statePath, "/", " "), " brokers topics %s partitions %d state", &topic, &part); err != nil {
		return false
	}
	t := findTopic(m, topic)
	if t == nil {
		return false
	}
	for _, p := range t.Partitions {
		if p.Partition == part {
			return flag(p)
		}
	}
	return false
}

func TestDumpHealthyClusterExitsZeroAndFilters(t *testing.T) {
	zc := zktest.Standalone(t)
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	connect := loadSpec(t, zc, spec)
	all := dumpJSON(t, ExitOK, "-z", connect)
	if len(all.Errors) != 0 || len(all.Topics) == 0 {
		t.Fatalf("healthy dump: %d errors, %d topics", len(all.Errors), len(all.Topics))
	}

	brokers := dumpJSON(t, ExitOK, "-z", connect, "--section", "brokers")
	if len(brokers.Brokers) != len(all.Brokers) || len(brokers.Topics) != 0 || brokers.Cluster != nil {
		t.Errorf("--section brokers: %d brokers, %d topics, cluster %v", len(brokers.Brokers), len(brokers.Topics), brokers.Cluster)
	}
	first := all.Topics[0].Name
	one := dumpJSON(t, ExitOK, "-z", connect, "--topic", "^"+first+"$")
	if len(one.Topics) != 1 || one.Topics[0].Name != first || len(one.Configs.Topics) > 1 {
		t.Errorf("--topic: %d topics, %d topic configs", len(one.Topics), len(one.Configs.Topics))
	}
	b := all.Brokers[0].BrokerID
	mine := dumpJSON(t, ExitOK, "-z", connect, "--broker", fmt.Sprint(b))
	if len(mine.Brokers) != 1 || mine.Brokers[0].BrokerID != b {
		t.Errorf("--broker %d: brokers %+v", b, mine.Brokers)
	}
	for _, tp := range mine.Topics {
		for _, p := range tp.Partitions {
			if !containsID(p.Replicas, b) && !containsID(p.ISR, b) {
				t.Errorf("--broker %d kept %s-%d %v", b, tp.Name, p.Partition, p.Replicas)
			}
		}
	}
	for _, bad := range [][]string{{"--section", "nope"}, {"--topic", "("}, {"--broker", "x"}, {"--max-in-flight", "5000"}, {"extra-arg"}} {
		if _, _, code := run(t, append([]string{"dump", "-z", connect}, bad...)...); code != ExitUsage {
			t.Errorf("dump %v: exit %d; want %d", bad, code, ExitUsage)
		}
	}
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Garbage where Kafka expects JSON is reported with what Kafka does with it,
// and unreadable znodes are errors too: exit 5 (for the unreadable one
// only: malformed znodes alone exit 0, as TestDumpDemoCluster shows).
func TestDumpReportsWhatKafkaWouldDo(t *testing.T) {
	zc := zktest.Digest(t)
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	connect := loadSpec(t, zc, spec)
	chroot := connect[strings.Index(connect, "/"):]
	root := rootSession(t, zc, "owner:pw")
	ctx := context.Background()
	topic := fakecluster.Build(spec).Topics[0].Name
	if _, err := root.Set(ctx, chroot+"/brokers/topics/"+topic, []byte("{not json"), -1); err != nil {
		t.Fatal(err)
	}
	if _, err := root.Create(ctx, chroot+"/config/users/locked", []byte(`{"version":1,"config":{}}`), 0, zk.DigestACL(zk.PermAll, "owner", "pw")); err != nil {
		t.Fatal(err)
	}
	// The old consumer's offsets: ConsumerOffset.decode is Long.parseLong.
	for _, n := range [][2]string{{"/consumers/legacy", ""}, {"/consumers/legacy/offsets", ""},
		{"/consumers/legacy/offsets/" + topic, ""}, {"/consumers/legacy/offsets/" + topic + "/0", "42"},
		{"/consumers/legacy/offsets/" + topic + "/1", "abc"}} {
		if _, err := root.Create(ctx, chroot+n[0], []byte(n[1]), 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	m := dumpJSON(t, ExitPartial, "-z", connect)
	byPath := map[string]cluster.ZnodeError{}
	for _, e := range m.Errors {
		byPath[e.Path] = e
	}
	if e := byPath["/brokers/topics/"+topic]; e.KafkaBehavior != "reads-as-empty" || e.Kind != cluster.ErrorMalformed {
		t.Errorf("garbage topic: %+v", e)
	}
	if e := byPath["/consumers/legacy/offsets/"+topic+"/1"]; e.KafkaBehavior != "rejects" {
		t.Errorf("offset abc: %+v", e)
	}
	if o := m.Admin.ConsumerOffsets; len(o) != 1 || o[0].Group != "legacy" || o[0].Topic != topic || o[0].Partition != 0 || *o[0].Offset != 42 {
		t.Errorf("consumer offsets %+v", o)
	}
	if e := byPath["/config/users/locked"]; !strings.Contains(e.Error, "not authenticated") || e.Kind != cluster.ErrorUnreadable {
		t.Errorf("unreadable znode: %+v", e)
	}
}

// A dump read offline from a snapshot equals the live one.
func TestDumpFromSnapshotEqualsLive(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Demo())
	file := t.TempDir() + "/demo.snapshot.gz"
	if _, stderr, code := run(t, "-z", connect, "snapshot", "save", file); code != ExitOK {
		t.Fatalf("snapshot save: exit %d: %s", code, stderr)
	}
	live := dumpJSON(t, ExitOK, "-z", connect)
	offline := dumpJSON(t, ExitOK, "--snapshot", file)
	live.Source, offline.Source = cluster.Origin{}, cluster.Origin{}
	if !reflect.DeepEqual(live, offline) {
		a, _ := json.Marshal(live)
		b, _ := json.Marshal(offline)
		t.Errorf("offline dump differs from live:\n%s\n%s", a, b)
	}
}

func TestDumpRaw(t *testing.T) {
	zc := zktest.Digest(t)
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	connect := loadSpec(t, zc, spec)
	table, stderr, code := run(t, "-z", connect, "dump", "--raw", "/brokers/ids", "--acl")
	if code != ExitOK || !strings.Contains(table, "/brokers/ids/1") || !strings.Contains(table, `{"version":5`) || !strings.Contains(table, "world:anyone:cdrwa") {
		t.Errorf("raw table: exit %d %s\n%s", code, stderr, table)
	}
	out, _, code := run(t, "-z", connect, "-o", "json", "dump", "--raw", "/cluster")
	if code != ExitOK || !strings.HasPrefix(out, `{"format":"rafka-snapshot"`) || !strings.Contains(out, `"path":"/cluster/id"`) {
		t.Errorf("raw JSON is the snapshot format: exit %d\n%s", code, out)
	}
	// The JSON is a snapshot rafka can read back.
	file := t.TempDir() + "/cluster.snapshot"
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "--snapshot", file, "dump", "--raw", "/cluster/id"); code != ExitOK {
		t.Errorf("reading the raw dump back: exit %d %s", code, stderr)
	}
	// An unreadable znode: its data is refused, the dump is partial.
	chroot := connect[strings.Index(connect, "/"):]
	owner := rootSession(t, zc, "owner:pw")
	if _, err := owner.Create(context.Background(), chroot+"/cluster/secret", []byte("x"), 0, zk.DigestACL(zk.PermAll, "owner", "pw")); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "json"} {
		if _, _, code := run(t, "-z", connect, "-o", format, "dump", "--raw", "/cluster"); code != ExitPartial {
			t.Errorf("-o %s: raw dump with a refused read: exit %d; want %d", format, code, ExitPartial)
		}
	}
	if _, _, code := run(t, "-z", connect, "dump", "--raw", "relative"); code != ExitUsage {
		t.Errorf("bad --raw path: exit %d", code)
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// healthyDemo is the demo cluster without its planted faults.
func healthyDemo() fakecluster.Spec {
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	return spec
}

// demoBaseline is what check finds on the healthy demo: orders-0 is led by
// its second replica (as after a failover), and broker 4 prefers only 4
// partitions, so that is 25% — above Kafka's 10%, as Kafka's own
// auto-rebalance would see it too.
var demoBaseline = []string{"preferred-leader-imbalance|info|broker 4"}

// loadLive loads spec under a fresh chroot with live ephemeral znodes
// (broker registrations, /controller) owned by a session that lasts as long
// as the test, as running brokers would own them. It returns the connect
// string and that session, for planting problems.
func loadLive(t testing.TB, zc *zktest.Cluster, spec fakecluster.Spec, auth ...string) (string, *zksession.Session) {
	t.Helper()
	connect := zc.Connect() + zktest.FreshChroot(t)
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		t.Fatal(err)
	}
	cfg := zksession.Config{Target: target, Timeout: 30 * time.Second}
	for _, a := range auth {
		cfg.Auth = append(cfg.Auth, zksession.Auth{Scheme: "digest", Credential: []byte(a)})
	}
	sess, err := zksession.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	if err := fakecluster.Load(context.Background(), sess, fakecluster.Generate(spec), fakecluster.CreateEphemerals()); err != nil {
		t.Fatal(err)
	}
	return connect, sess
}

// checkRun runs check with -o json and decodes the report; a negative
// wantCode accepts any exit status.
func checkRun(t testing.TB, wantCode int, args ...string) *check.Report {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json", "check"}, args...)...)
	if code != wantCode && wantCode >= 0 {
		t.Fatalf("check %v: exit %d, want %d: %s\n%s", args, code, wantCode, stderr, out)
	}
	var r check.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("check %v: bad JSON: %v\n%s", args, err, out)
	}
	return &r
}

// findingKeys names each finding rule|severity|subject, in report order.
func findingKeys(r *check.Report) []string {
	keys := []string{}
	for _, f := range r.Findings {
		keys = append(keys, f.Rule+"|"+f.Severity.String()+"|"+f.Subject)
	}
	return keys
}

func sortedCopy(v []string) []string {
	out := append([]string{}, v...)
	sort.Strings(out)
	return out
}

func TestCheckHealthyDemo(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, _ := loadLive(t, zc, healthyDemo())
	r := checkRun(t, ExitOK, "-z", connect)
	if got := findingKeys(r); !reflect.DeepEqual(got, demoBaseline) {
		t.Errorf("healthy demo: findings %q; want %q", got, demoBaseline)
	}
	if r.SchemaVersion != 1 || r.Summary.FailOn != check.Error || r.Summary.Failed || r.Summary.ACLsRead != 0 ||
		len(r.Unreadable) != 0 || len(r.Summary.Rules) != len(check.Catalogue())-2 {
		t.Errorf("summary %+v", r.Summary)
	}
	// The exit status depends on --fail-on, never on the output format.
	for _, format := range []string{"table", "json"} {
		for failOn, want := range map[string]int{"error": ExitOK, "warning": ExitOK, "info": ExitFindings} {
			if _, stderr, code := run(t, "-o", format, "check", "-z", connect, "--fail-on", failOn); code != want {
				t.Errorf("-o %s --fail-on %s: exit %d, want %d: %s", format, failOn, code, want, stderr)
			}
		}
	}
	// Kafka's threshold is a flag; rules can be skipped.
	if r := checkRun(t, ExitOK, "-z", connect, "--leader-imbalance-percentage", "25", "--fail-on", "info"); len(r.Findings) != 0 {
		t.Errorf("--leader-imbalance-percentage 25: %q", findingKeys(r))
	}
	if r := checkRun(t, ExitOK, "-z", connect, "--skip-rule", "preferred-leader-imbalance", "--fail-on", "info"); len(r.Findings) != 0 ||
		slices.Contains(r.Summary.Rules, "preferred-leader-imbalance") {
		t.Errorf("--skip-rule: %q, rules %v", findingKeys(r), r.Summary.Rules)
	}
	table, _, _ := run(t, "check", "-z", connect, "--no-color")
	for _, want := range []string{"Info (1)", "preferred-leader-imbalance", "broker 4", "preferred-leader-imbalance (1)\n", "→ With auto.leader.rebalance.enable=true", "1 info (36 rules): nothing at or above --fail-on error."} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

// The demo's planted faults are found where they were planted, and a
// snapshot of the cluster gives the same findings offline.
func TestCheckDemoFaultsLiveAndFromSnapshot(t *testing.T) {
	zc := zktest.Standalone(t)
	spec := fakecluster.Demo()
	built := fakecluster.Build(spec)
	connect, _ := loadLive(t, zc, spec)

	want := map[string]bool{"preferred-leader-imbalance|info|broker 4": true}
	for _, f := range built.Faults {
		tp := f.Topic + "-" + strconv.Itoa(f.Partition)
		switch f.Kind {
		case fakecluster.FaultOfflinePartition:
			want["offline-partition|error|"+tp] = true
		case fakecluster.FaultUnderReplicated:
			want["under-replicated-partition|warning|"+tp] = true
		case fakecluster.FaultReplicaOnUnregisteredBroker:
			want["under-replicated-partition|warning|"+tp] = true
			want[fmt.Sprintf("replica-on-unregistered-broker|warning|broker %d", built.UnregisteredBroker)] = true
		case fakecluster.FaultMarkedForDeletion:
			want["pending-topic-deletion|warning|"+f.Topic] = true
		case fakecluster.FaultPendingReassignment:
			want["pending-reassignment|warning|"+tp] = true
		case fakecluster.FaultStrayConfigChange:
			want["stray-config-change|error|"+f.Path] = true
		case fakecluster.FaultPartitionWithoutState:
			want["missing-partition-state|error|"+tp] = true
		case fakecluster.FaultOrphanPartitionState:
			want["orphan-partition-state|warning|"+tp] = true
		default:
			t.Fatalf("fault %s has no expected finding", f.Kind)
		}
	}
	var wantKeys []string
	for k := range want {
		wantKeys = append(wantKeys, k)
	}
	live := checkRun(t, ExitFindings, "-z", connect)
	if got := sortedCopy(findingKeys(live)); !reflect.DeepEqual(got, sortedCopy(wantKeys)) {
		t.Errorf("demo faults: findings\n got %q\nwant %q", got, sortedCopy(wantKeys))
	}
	for i := 1; i < len(live.Findings); i++ {
		if live.Findings[i].Severity > live.Findings[i-1].Severity {
			t.Errorf("findings not ordered by severity: %q", findingKeys(live))
			break
		}
	}
	for _, f := range live.Findings {
		if f.Path == "" || f.Message == "" || f.Hint == "" {
			t.Errorf("incomplete finding %+v", f)
		}
	}
	// Errors fail every --fail-on, in both formats; a warning-only selection
	// fails only from warning down.
	for _, format := range []string{"table", "json"} {
		for _, failOn := range []string{"error", "warning", "info"} {
			if _, _, code := run(t, "-o", format, "check", "-z", connect, "--fail-on", failOn); code != ExitFindings {
				t.Errorf("-o %s --fail-on %s: exit %d, want %d", format, failOn, code, ExitFindings)
			}
		}
		for failOn, wantCode := range map[string]int{"error": ExitOK, "warning": ExitFindings} {
			if _, _, code := run(t, "-o", format, "check", "-z", connect, "--rule", "under-replicated-partition", "--fail-on", failOn); code != wantCode {
				t.Errorf("-o %s --rule under-replicated-partition --fail-on %s: exit %d, want %d", format, failOn, code, wantCode)
			}
		}
	}
	table, stderr, _ := run(t, "check", "-z", connect, "--no-color")
	for _, want := range []string{"Errors (", "Warnings (", "Info (1)", "offline-partition", "stray-config-change (1)\n", "→ Delete /config/changes/config_change_manual",
		"failing --fail-on error."} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if !strings.HasPrefix(stderr, "rafka: findings: ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q", stderr)
	}
	limited, _, _ := run(t, "check", "-z", connect, "--no-color", "--limit", "1")
	if !strings.Contains(limited, "and 2 more (--limit 0 or -o json shows all)") || strings.Count(limited, "under-replicated-partition (3)\n") != 1 {
		t.Errorf("--limit 1 table:\n%s", limited)
	}

	file := t.TempDir() + "/demo.snapshot.gz"
	if _, stderr, code := run(t, "-z", connect, "snapshot", "save", file); code != ExitOK {
		t.Fatalf("snapshot save: exit %d: %s", code, stderr)
	}
	offline := checkRun(t, ExitFindings, "--snapshot", file)
	if !reflect.DeepEqual(offline.Findings, live.Findings) {
		t.Errorf("findings from the snapshot differ:\n%q\n%q", findingKeys(offline), findingKeys(live))
	}
	if offline.Source.Snapshot != file {
		t.Errorf("source %+v", offline.Source)
	}
}

// plantCase plants one problem in a fresh healthy demo cluster and lists
// the findings that must appear beyond the baseline (and the baseline
// findings that go away).
type plantCase struct {
	name  string
	plant func(z *zkEdit)
	args  []string
	want  []string
	gone  []string
}

// zkEdit changes a loaded cluster, failing the test on any error.
type zkEdit struct {
	t     *testing.T
	s     *zksession.Session
	built *fakecluster.Cluster
	want  []string // findings known only once planted
}

func (z *zkEdit) expect(key string) { z.want = append(z.want, key) }

func (z *zkEdit) get(path string) []byte {
	data, _, err := z.s.Get(context.Background(), path)
	if err != nil {
		z.t.Fatal(err)
	}
	return data
}

func (z *zkEdit) set(path, data string) {
	if _, err := z.s.Set(context.Background(), path, []byte(data), -1); err != nil {
		z.t.Fatal(err)
	}
}

func (z *zkEdit) create(path string, data []byte, flags int32) string {
	created, err := z.s.Create(context.Background(), path, data, flags, zk.WorldACL(zk.PermAll))
	if err != nil {
		z.t.Fatal(err)
	}
	return created
}

func (z *zkEdit) remove(path string) {
	if _, err := z.s.Multi(context.Background(), &zk.DeleteRequest{Path: path, Version: -1}); err != nil {
		z.t.Fatal(err)
	}
}

// edit rewrites a JSON znode.
func (z *zkEdit) edit(path string, change func(map[string]any)) {
	var v map[string]any
	if err := json.Unmarshal(z.get(path), &v); err != nil {
		z.t.Fatal(err)
	}
	change(v)
	b, _ := json.Marshal(v)
	z.set(path, string(b))
}

// partition is the demo's topic and partition.
func (z *zkEdit) partition(topic string, p int) fakecluster.Partition {
	for _, tp := range z.built.Topics {
		if tp.Name == topic {
			return tp.Partitions[p]
		}
	}
	z.t.Fatalf("no topic %s", topic)
	return fakecluster.Partition{}
}

func TestCheckPlantedProblems(t *testing.T) {
	zc := zktest.Standalone(t)
	spec := healthyDemo()
	built := fakecluster.Build(spec)
	state := func(topic string, p int) string {
		return fmt.Sprintf("/brokers/topics/%s/partitions/%d/state", topic, p)
	}
	cases := []plantCase{
		{name: "no controller", plant: func(z *zkEdit) { z.remove("/controller") },
			want: []string{"no-controller|error|controller"}},
		{name: "undecodable controller", plant: func(z *zkEdit) { z.set("/controller", "not json") },
			want: []string{"no-controller|error|controller"}},
		{name: "controller not registered", plant: func(z *zkEdit) { z.edit("/controller", func(v map[string]any) { v["brokerid"] = 9 }) },
			want: []string{"controller-not-registered|error|broker 9"}},
		{name: "KRaft controller during a migration", plant: func(z *zkEdit) {
			z.remove("/controller")
			z.create("/controller", []byte(`{"version":2,"brokerid":3000,"timestamp":"1","kraftControllerEpoch":7}`), 0)
			z.create("/migration", []byte(`{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":7,"kraft_metadata_offset":12345,"kraft_metadata_epoch":7}`), 0)
			z.set("/controller_epoch", "0") // states carry higher epochs: not a regression during a migration
		}, want: []string{"controller-not-registered|info|broker 3000", "migration-in-progress|info|/migration"}},
		{name: "persistent controller", plant: func(z *zkEdit) {
			data := z.get("/controller")
			z.remove("/controller")
			z.create("/controller", data, 0)
		}, want: []string{"controller-not-ephemeral|error|controller"}},
		{name: "controller epoch regressed", plant: func(z *zkEdit) { z.set("/controller_epoch", "0") },
			want: []string{"controller-epoch-regressed|error|controller epoch"}},
		{name: "mixed racks", plant: func(z *zkEdit) { z.edit("/brokers/ids/1", func(v map[string]any) { delete(v, "rack") }) },
			want: []string{"mixed-rack-registration|error|brokers"}},
		{name: "duplicate endpoint", plant: func(z *zkEdit) { z.set("/brokers/ids/3", string(z.get("/brokers/ids/1"))) },
			want: []string{"duplicate-advertised-endpoint|warning|kafka-1.kafka.example.internal:9092",
				"duplicate-advertised-endpoint|warning|kafka-1.kafka.example.internal:9094"}},
		{name: "leader not registered", plant: func(z *zkEdit) {
			z.edit(state("clickstream", 1), func(v map[string]any) { v["leader"], v["isr"] = 9, []int{9} })
		}, want: []string{"offline-partition|error|clickstream-1", "isr-outside-replicas|error|clickstream-1"}},
		{name: "under min ISR", plant: func(z *zkEdit) {
			leader := z.partition("payments", 1).State.Leader
			z.edit(state("payments", 1), func(v map[string]any) { v["leader"], v["isr"] = leader, []int{leader} })
		}, want: []string{"under-min-isr|error|payments-1", "under-replicated-partition|warning|payments-1"}},
		{name: "leader not in ISR", plant: func(z *zkEdit) {
			p := z.partition("inventory", 0)
			z.edit(state("inventory", 0), func(v map[string]any) { v["leader"], v["isr"] = p.Replicas[0], p.Replicas[1:] })
		}, want: []string{"leader-not-in-isr|error|inventory-0", "under-replicated-partition|warning|inventory-0"}},
		// Issue 17 §1: state Kafka would never write.
		{name: "ISR outside replicas", plant: func(z *zkEdit) {
			p := z.partition("inventory", 1)
			z.edit(state("inventory", 1), func(v map[string]any) { v["isr"] = []int{p.Replicas[0], p.Replicas[1], 7} })
		}, want: []string{"isr-outside-replicas|error|inventory-1", "under-replicated-partition|warning|inventory-1"}},
		{name: "leader not a replica", plant: func(z *zkEdit) {
			p := z.partition("inventory", 1)
			other := 0
			for id := 1; id <= 4 && other == 0; id++ {
				if !slices.Contains(p.Replicas, id) {
					other = id
				}
			}
			z.edit(state("inventory", 1), func(v map[string]any) { v["leader"], v["isr"] = other, []int{other, p.Replicas[0], p.Replicas[1]} })
		}, want: []string{"leader-not-in-isr|error|inventory-1", "isr-outside-replicas|error|inventory-1", "under-replicated-partition|warning|inventory-1",
			"preferred-leader-imbalance|info|broker 3"}}, // inventory-1's preferred leader
		{name: "ISR names a broker that is not registered", plant: func(z *zkEdit) {
			// The controller takes a dead broker out of every ISR when it sees it
			// go; until then it is no in-sync replica.
			p := z.partition("inventory", 1)
			z.edit("/brokers/topics/inventory", func(v map[string]any) {
				v["partitions"].(map[string]any)["1"] = []int{p.Replicas[0], p.Replicas[1], 7}
			})
			z.edit(state("inventory", 1), func(v map[string]any) { v["isr"] = []int{p.Replicas[0], p.Replicas[1], 7} })
		}, want: []string{"under-replicated-partition|warning|inventory-1", "replica-on-unregistered-broker|warning|broker 7"}},
		{name: "negative leader epoch", plant: func(z *zkEdit) {
			z.edit(state("inventory", 1), func(v map[string]any) { v["leader_epoch"] = -5 })
		}, want: []string{"invalid-partition-epoch|error|inventory-1"}},
		{name: "adding replica outside replicas", plant: func(z *zkEdit) {
			z.edit("/brokers/topics/inventory", func(v map[string]any) { v["adding_replicas"] = map[string]any{"1": []int{9}} })
		}, want: []string{"invalid-replica-list|error|inventory-1", "pending-reassignment|error|inventory-1"}},
		{name: "partition numbered beyond the partition count", plant: func(z *zkEdit) {
			z.edit("/brokers/topics/inventory", func(v map[string]any) {
				parts := v["partitions"].(map[string]any)
				parts["7"] = parts["2"]
				delete(parts, "2")
			})
		}, want: []string{"partition-number-gap|error|inventory-7", "missing-partition-state|error|inventory-7",
			"orphan-partition-state|warning|inventory-2"}},
		{name: "replica listed twice", plant: func(z *zkEdit) {
			p := z.partition("inventory", 1)
			z.edit("/brokers/topics/inventory", func(v map[string]any) {
				v["partitions"].(map[string]any)["1"] = []int{p.Replicas[0], p.Replicas[1], p.Replicas[1]}
			})
		}, want: []string{"invalid-replica-list|error|inventory-1", "isr-outside-replicas|error|inventory-1"}},
		{name: "topic without partitions", plant: func(z *zkEdit) {
			z.create("/brokers/topics/empty", []byte(`{"version":3,"partitions":{},"adding_replicas":{},"removing_replicas":{}}`), 0)
		}, want: []string{"topic-without-partitions|error|empty"}},
		{name: "legacy reassignment", plant: func(z *zkEdit) {
			z.create("/admin/reassign_partitions", []byte(`{"version":1,"partitions":[{"topic":"orders","partition":1,"replicas":[1,2,7]}]}`), 0)
		}, want: []string{"pending-reassignment|error|/admin/reassign_partitions"}},
		{name: "old consumer offsets", plant: func(z *zkEdit) {
			for _, p := range []string{"/consumers/legacy", "/consumers/legacy/offsets", "/consumers/legacy/offsets/gone",
				"/consumers/legacy/offsets/orders"} {
				z.create(p, nil, 0)
			}
			z.create("/consumers/legacy/offsets/gone/0", []byte("42"), 0)
			z.create("/consumers/legacy/offsets/orders/0", []byte("abc"), 0) // OffsetFetch v0 fails on it
		}, want: []string{"consumer-offsets-for-missing-topic|info|legacy/gone", "malformed-znode|error|/consumers/legacy/offsets/orders/0"}},
		{name: "preferred election", plant: func(z *zkEdit) {
			z.create("/admin/preferred_replica_election", []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0}]}`), 0)
		}, want: []string{"pending-preferred-election|warning|/admin/preferred_replica_election"}},
		{name: "config change backlog by count", plant: func(*zkEdit) {}, args: []string{"--config-change-max-count", "4"},
			want: []string{"config-change-backlog|warning|/config/changes"}},
		{name: "config change backlog by age", plant: func(z *zkEdit) {
			time.Sleep(50 * time.Millisecond)
			z.create("/config/changes/config_change_", []byte(`{"version":2,"entity_path":"topics/orders"}`), zk.FlagSequence)
		}, args: []string{"--config-change-max-age", "20ms"}, want: []string{"config-change-backlog|warning|/config/changes"}},
		{name: "stray config change that brokers misread", plant: func(z *zkEdit) {
			z.create("/config/changes/config_change_99", []byte(`{"version":2,"entity_path":"topics/orders"}`), 0)
		}, want: []string{"stray-config-change|warning|/config/changes/config_change_99"}},
		{name: "ISR change backlog", plant: func(z *zkEdit) {
			for range 3 {
				z.create("/isr_change_notification/isr_change_", []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0}]}`), zk.FlagSequence)
			}
		}, args: []string{"--isr-change-max-count", "2"}, want: []string{"isr-change-backlog|warning|/isr_change_notification"}},
		{name: "old ISR change", plant: func(z *zkEdit) {
			z.create("/isr_change_notification/isr_change_", []byte(`{"version":1,"partitions":[]}`), zk.FlagSequence)
			time.Sleep(30 * time.Millisecond)
		}, args: []string{"--isr-change-max-age", "10ms"}, want: []string{"isr-change-backlog|warning|/isr_change_notification"}},
		{name: "log dir event", plant: func(z *zkEdit) {
			z.create("/log_dir_event_notification/log_dir_event_", []byte(`{"version":1,"broker":2,"event":1}`), zk.FlagSequence)
		}, want: []string{"log-dir-event-pending|warning|broker 2"}},
		{name: "malformed znodes", plant: func(z *zkEdit) {
			z.set("/config/topics/payments", "{oops")                                                  // Kafka reads no overrides
			z.set("/brokers/ids/2", `{"version":0}`)                                                   // Kafka rejects it
			skipped := z.create("/config/changes/config_change_", []byte("not json"), zk.FlagSequence) // brokers skip it
			z.expect("malformed-znode|warning|" + skipped)
			// Broker 2 still holds its registration: the partitions it leads
			// are not offline, but no controller can load the brokers.
			for _, tp := range z.built.Topics {
				for _, p := range tp.Partitions {
					if p.State != nil && p.State.Leader == 2 {
						z.expect(fmt.Sprintf("leader-registration-malformed|error|%s-%d", tp.Name, p.Number))
					}
				}
			}
		}, want: []string{"malformed-znode|error|/brokers/ids/2", "malformed-znode|error|/config/topics/payments"}},
		{name: "missing cluster id", plant: func(z *zkEdit) { z.remove("/cluster/id") },
			want: []string{"missing-cluster-id|error|/cluster/id"}},
		{name: "missing persistent path", plant: func(z *zkEdit) { z.remove("/config/ips") },
			want: []string{"missing-persistent-path|warning|/config/ips"}},
		{name: "a 2.7 cluster has no /config/ips", plant: func(z *zkEdit) { z.remove("/config/ips") },
			args: []string{"--kafka-version", "2.7"}},
		{name: "unknown znode", plant: func(z *zkEdit) { z.create("/my-app-lock", nil, 0) },
			want: []string{"unknown-znode|info|/my-app-lock"}},
		{name: "feature enabled with features", plant: func(z *zkEdit) {
			z.set("/feature", `{"version":2,"status":1,"features":{"metadata.version":{"max_version_level":1}}}`)
		}, want: []string{"feature-enabled-with-features|error|/feature"}},
		{name: "feature znode malformed", plant: func(z *zkEdit) { z.set("/feature", "") },
			want: []string{"feature-znode-malformed|error|/feature"}},
		{name: "empty migration znode", plant: func(z *zkEdit) { z.create("/migration", nil, 0) },
			want: []string{"empty-migration-znode|error|/migration"}},
	}
	// Every rule has a real-ZooKeeper case: here, or in the tests named.
	covered := map[string]bool{
		"offline-partition": true, "under-replicated-partition": true, "replica-on-unregistered-broker": true, // the demo's faults
		"pending-topic-deletion": true, "stray-config-change": true, "missing-partition-state": true, "orphan-partition-state": true,
		"preferred-leader-imbalance": true,                                        // the healthy demo
		"world-writable-znode":       true, "sensitive-path-world-readable": true, // TestCheckSecurity
		"leader-registration-malformed": true, // "malformed znodes" below (z.expect)
	}
	for _, tc := range cases {
		for _, k := range tc.want {
			covered[strings.SplitN(k, "|", 2)[0]] = true
		}
	}
	for _, r := range check.Catalogue() {
		if !covered[r.Name] {
			t.Errorf("rule %s has no case on real ZooKeeper", r.Name)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			connect, sess := loadLive(t, zc, spec)
			z := &zkEdit{t: t, s: sess, built: built}
			tc.plant(z)
			r := checkRun(t, -1, append([]string{"-z", connect}, tc.args...)...)
			want := map[string]bool{}
			for _, k := range demoBaseline {
				want[k] = !slices.Contains(tc.gone, k)
			}
			for _, k := range append(tc.want, z.want...) {
				want[k] = true
			}
			var wantKeys []string
			for k, ok := range want {
				if ok {
					wantKeys = append(wantKeys, k)
				}
			}
			if got := sortedCopy(findingKeys(r)); !reflect.DeepEqual(got, sortedCopy(wantKeys)) {
				t.Errorf("findings\n got %q\nwant %q", got, sortedCopy(wantKeys))
			}
		})
	}
}

// In secure mode the security rules read ACLs; what cannot be read gives
// exit 5 unless findings at or above --fail-on give 1.
func TestCheckSecurity(t *testing.T) {
	zc := zktest.Digest(t)
	const owner = "kafka:kafka-secret"
	creator := zk.DigestACL(zk.PermAll, "kafka", "kafka-secret")
	kafkaACL := func(path string) []zk.ACL {
		switch {
		case path == zkpaths.Consumers:
			return zk.WorldACL(zk.PermAll)
		case zkpaths.IsSensitive(path):
			return creator
		}
		return append(slices.Clone(creator), zk.WorldACL(zk.PermRead)...)
	}
	chroot := zktest.FreshChroot(t)
	root := rootSession(t, zc, owner)
	if _, err := root.Create(context.Background(), chroot, nil, 0, kafkaACL(chroot)); err != nil {
		t.Fatal(err)
	}
	target, _ := zksession.ParseConnect(zc.Connect() + chroot)
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 30 * time.Second,
		Auth: []zksession.Auth{{Scheme: "digest", Credential: []byte(owner)}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	nodes := fakecluster.Generate(healthyDemo())
	for i := range nodes {
		nodes[i].ACL = kafkaACL(nodes[i].Path)
	}
	if err := fakecluster.Load(context.Background(), sess, nodes, fakecluster.CreateEphemerals()); err != nil {
		t.Fatal(err)
	}
	connect := zc.Connect() + chroot
	auth := writeFile(t, "auth", owner+"\n")

	// Kafka's own ACLs: nothing to report, in either scope.
	secure := checkRun(t, ExitOK, "-z", connect, "--auth-file", auth, "--secure")
	if got := findingKeys(secure); !reflect.DeepEqual(got, demoBaseline) || secure.Summary.ACLsRead == 0 {
		t.Errorf("secure healthy cluster: %q, %d ACLs read", got, secure.Summary.ACLsRead)
	}
	all := checkRun(t, ExitOK, "-z", connect, "--auth-file", auth, "--secure", "--all-acls")
	if got := findingKeys(all); !reflect.DeepEqual(got, demoBaseline) || all.Summary.ACLsRead <= secure.Summary.ACLsRead {
		t.Errorf("--all-acls: %q, %d ACLs read (default scope %d)", got, all.Summary.ACLsRead, secure.Summary.ACLsRead)
	}
	// zookeeper.set.acl=true in --config turns them on too.
	props := writeFile(t, "server.properties", "zookeeper.connect="+connect+"\nzookeeper.set.acl=true\n")
	if r := checkRun(t, ExitOK, "--config", props, "--auth-file", auth); r.Summary.ACLsRead != secure.Summary.ACLsRead {
		t.Errorf("zookeeper.set.acl=true: %d ACLs read", r.Summary.ACLsRead)
	}

	ctx := context.Background()
	for path, acl := range map[string][]zk.ACL{
		"/brokers/topics/orders":                    zk.WorldACL(zk.PermAll),
		"/config/users/alice":                       kafkaACL("/config/topics/x"), // creator-all plus world-read
		"/brokers/topics/orders/partitions/0/state": append(slices.Clone(creator), zk.ACL{Perms: zk.PermRead | zk.PermWrite, Scheme: "world", ID: "anyone"}),
	} {
		if _, err := sess.SetACL(ctx, path, acl, -1); err != nil {
			t.Fatal(err)
		}
	}
	planted := []string{"world-writable-znode|error|/brokers/topics/orders", "sensitive-path-world-readable|error|/config/users/alice"}
	r := checkRun(t, ExitFindings, "-z", connect, "--auth-file", auth, "--secure")
	if got, want := sortedCopy(findingKeys(r)), sortedCopy(append(planted, demoBaseline...)); !reflect.DeepEqual(got, want) {
		t.Errorf("planted ACLs: %q; want %q", got, want)
	}
	r = checkRun(t, ExitFindings, "-z", connect, "--auth-file", auth, "--secure", "--all-acls")
	want := sortedCopy(append(append(planted, demoBaseline...), "world-writable-znode|error|/brokers/topics/orders/partitions/0/state"))
	if got := sortedCopy(findingKeys(r)); !reflect.DeepEqual(got, want) {
		t.Errorf("planted ACLs with --all-acls: %q; want %q", got, want)
	}
	// Naming a security rule runs it without --secure; the others do not read ACLs.
	if r := checkRun(t, ExitFindings, "-z", connect, "--auth-file", auth, "--rule", "sensitive-path-world-readable"); !reflect.DeepEqual(findingKeys(r), planted[1:]) {
		t.Errorf("--rule sensitive-path-world-readable: %q", findingKeys(r))
	}
	if r := checkRun(t, ExitOK, "-z", connect, "--auth-file", auth, "--skip-rule", "preferred-leader-imbalance"); len(r.Findings) != 0 || r.Summary.ACLsRead != 0 {
		t.Errorf("without --secure: %q, %d ACLs read", findingKeys(r), r.Summary.ACLsRead)
	}

	// Without credentials the creator-only znodes cannot be read: exit 5,
	// unless a finding at or above --fail-on gives 1.
	// (Anonymous sessions cannot even list /config/users: alice's open ACL
	// stays unseen.)
	anon := checkRun(t, ExitPartial, "-z", connect, "--rule", "sensitive-path-world-readable,offline-partition,world-writable-znode",
		"--skip-rule", "world-writable-znode")
	var unreadable []string
	for _, u := range anon.Unreadable {
		unreadable = append(unreadable, u.Read+" "+u.Path)
	}
	if want := []string{"znode /config/brokers", "znode /config/users", "acl /config/brokers", "acl /config/users"}; len(anon.Findings) != 0 ||
		!reflect.DeepEqual(unreadable, want) || anon.Summary.Unreadable != len(want) {
		t.Errorf("anonymous: %q, unreadable %q, want %q", findingKeys(anon), unreadable, want)
	}
	for _, format := range []string{"table", "json"} {
		if _, stderr, code := run(t, "-o", format, "check", "-z", connect, "--skip-rule", "preferred-leader-imbalance"); code != ExitPartial ||
			!strings.Contains(stderr, "could not be read") {
			t.Errorf("-o %s anonymous: exit %d (%s), want %d", format, code, stderr, ExitPartial)
		}
		if _, _, code := run(t, "-o", format, "check", "-z", connect, "--fail-on", "info"); code != ExitFindings {
			t.Errorf("-o %s anonymous --fail-on info: exit %d, want %d", format, code, ExitFindings)
		}
	}

	// Snapshots carry ACLs: the same findings offline.
	file := t.TempDir() + "/secure.snapshot"
	if _, stderr, code := run(t, "-z", connect, "--auth-file", auth, "snapshot", "save", file); code != ExitOK {
		t.Fatalf("snapshot save: exit %d: %s", code, stderr)
	}
	offline := checkRun(t, ExitFindings, "--snapshot", file, "--secure", "--all-acls")
	if !reflect.DeepEqual(findingKeys(offline), findingKeys(r)) || offline.Summary.ACLsRead != r.Summary.ACLsRead {
		t.Errorf("from the snapshot: %q (%d ACLs); live %q (%d ACLs)", findingKeys(offline), offline.Summary.ACLsRead, findingKeys(r), r.Summary.ACLsRead)
	}
}

func TestCheckUsageAndListRules(t *testing.T) {
	for _, args := range [][]string{
		{"check", "extra"}, {"check", "--rule", "offline-partitions"}, {"check", "--skip-rule", "nope"},
		{"check", "--fail-on", "fatal"}, {"check", "--kafka-version", "4.0"}, {"check", "--leader-imbalance-percentage", "150"},
		{"check", "--max-in-flight", "0"}, {"check"}, // no ZooKeeper given
	} {
		if _, stderr, code := run(t, args...); code != ExitUsage || !strings.HasPrefix(stderr, "rafka: ") {
			t.Errorf("rafka %v: exit %d (%s), want %d", args, code, stderr, ExitUsage)
		}
	}
	out, stderr, code := run(t, "-o", "json", "check", "--list-rules")
	if code != ExitOK {
		t.Fatalf("--list-rules: exit %d: %s", code, stderr)
	}
	var doc struct {
		SchemaVersion int          `json:"schema_version"`
		Rules         []check.Rule `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.SchemaVersion != 1 || len(doc.Rules) != len(check.Catalogue()) {
		t.Fatalf("--list-rules JSON: %v\n%s", err, out)
	}
	table, _, code := run(t, "check", "--list-rules", "--no-color")
	if code != ExitOK {
		t.Errorf("--list-rules table: exit %d", code)
	}
	for _, r := range doc.Rules {
		if r.Summary == "" || r.Explanation == "" || !strings.Contains(table, "  "+r.Name+"  ") {
			t.Errorf("rule %s: not explained (%+v)", r.Name, r)
		}
	}
	help, _, _ := run(t, "check", "--help")
	for _, want := range []string{"--fail-on", "5  otherwise, when some znodes", "--secure", "--all-acls"} {
		if !strings.Contains(help, want) {
			t.Errorf("check --help lacks %q", want)
		}
	}
}

// check reads what dump reads and its rules are linear: on the benchmark
// cluster it costs no more than dump (the bar is 1.1 × dump at 10 000
// topics). Both run as processes of the real binary, alternating; the best
// of five runs counts. The security rules' ACL reads are measured too.
// BenchmarkCheckVsDump times the real binary on fakecluster.Bench(2000):
// check must cost at most 1.1 × dump (metric check/dump); the ACL reads of
// --secure are reported too.
//
//	go test ./cmd -run '^$' -bench CheckVsDump -benchtime 1x
func BenchmarkCheckVsDump(b *testing.B) {
	t := b
	zc := zktest.Standalone(t)
	start := time.Now()
	connect, _ := loadLive(t, zc, fakecluster.Bench(2000))
	t.Logf("loaded fakecluster.Bench(2000) in %s", time.Since(start).Round(time.Millisecond))
	if r := checkRun(t, ExitOK, "-z", connect, "--fail-on", "info"); len(r.Findings) != 0 {
		t.Fatalf("the benchmark cluster is healthy, but: %q", findingKeys(r))
	}
	timeIt := func(args ...string) time.Duration {
		cmd := exec.Command(rafkaBin, append([]string{"-z", connect, "-o", "json"}, args...)...)
		start := time.Now()
		out, err := cmd.Output()
		elapsed := time.Since(start)
		// The tree's ACLs are open: the security rules find every znode (exit 1).
		if code := cmd.ProcessState.ExitCode(); len(out) == 0 || code != ExitOK && code != ExitFindings {
			t.Fatalf("rafka %v: %v", args, err)
		}
		return elapsed
	}
	contenders := [][]string{{"dump"}, {"check"}, {"check", "--secure"}, {"check", "--secure", "--all-acls"}}
	best := make([]time.Duration, len(contenders))
	for run := 0; run < 5*b.N; run++ {
		for i, args := range contenders {
			if i >= 2 && run >= 3 {
				continue // the ACL reads are reported, not judged: three runs do
			}
			if d := timeIt(args...); run == 0 || d < best[i] {
				best[i] = d
			}
		}
	}
	ratio := float64(best[1]) / float64(best[0])
	t.Logf("Bench(2000), best of 5: dump %s, check %s (%.2f × dump); best of 3: check --secure %s (%.2f ×), check --secure --all-acls %s (%.2f ×)",
		best[0].Round(time.Millisecond), best[1].Round(time.Millisecond), ratio,
		best[2].Round(time.Millisecond), float64(best[2])/float64(best[0]), best[3].Round(time.Millisecond), float64(best[3])/float64(best[0]))
	b.ReportMetric(ratio, "check/dump")
}

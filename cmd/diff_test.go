package cmd

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/diff"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// treeEditor changes a live Kafka tree the way brokers and admins would.
type treeEditor struct {
	t    *testing.T
	ctx  context.Context
	sess *zksession.Session
}

func editTree(t *testing.T, connect string) *treeEditor {
	t.Helper()
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	return &treeEditor{t: t, ctx: context.Background(), sess: sess}
}

func (e *treeEditor) create(path, data string) {
	e.t.Helper()
	if _, err := e.sess.Create(e.ctx, path, []byte(data), 0, zk.WorldACL(zk.PermAll)); err != nil {
		e.t.Fatalf("create %s: %v", path, err)
	}
}

func (e *treeEditor) get(path string) string {
	e.t.Helper()
	data, _, err := e.sess.Get(e.ctx, path)
	if err != nil {
		e.t.Fatalf("get %s: %v", path, err)
	}
	return string(data)
}

func (e *treeEditor) set(path, data string) {
	e.t.Helper()
	if _, err := e.sess.Set(e.ctx, path, []byte(data), -1); err != nil {
		e.t.Fatalf("set %s: %v", path, err)
	}
}

// replace rewrites a znode's data, replacing old with new, which must be there.
func (e *treeEditor) replace(path, old, new string) {
	e.t.Helper()
	data := e.get(path)
	if !strings.Contains(data, old) {
		e.t.Fatalf("%s: %q not in %s", path, old, data)
	}
	e.set(path, strings.ReplaceAll(data, old, new))
}

// remove deletes a znode and everything under it, in one transaction.
func (e *treeEditor) remove(path string) {
	e.t.Helper()
	var ops []any
	var walk func(p string)
	walk = func(p string) {
		children, _, err := e.sess.Children(e.ctx, p)
		if err != nil {
			e.t.Fatalf("list %s: %v", p, err)
		}
		for _, c := range children {
			walk(p + "/" + c)
		}
		ops = append(ops, &zk.DeleteRequest{Path: p, Version: -1})
	}
	walk(path)
	if _, err := e.sess.Multi(e.ctx, ops...); err != nil {
		e.t.Fatalf("delete %s: %v", path, err)
	}
}

// recreate deletes and creates a znode with the same data: a new czxid, as
// when a broker registers again.
func (e *treeEditor) recreate(path string) {
	e.t.Helper()
	data := e.get(path)
	if _, err := e.sess.Multi(e.ctx, &zk.DeleteRequest{Path: path, Version: -1},
		&zk.CreateRequest{Path: path, Data: []byte(data), Acl: zk.WorldACL(zk.PermAll)}); err != nil {
		e.t.Fatalf("recreate %s: %v", path, err)
	}
}

func saveSnapshot(t *testing.T, connect, file string) {
	t.Helper()
	if _, stderr, code := run(t, "-z", connect, "snapshot", "save", file); code != ExitOK {
		t.Fatalf("snapshot save: exit %d: %s", code, stderr)
	}
}

func diffJSON(t *testing.T, wantCode int, args ...string) *diff.Report {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json", "diff"}, args...)...)
	if code != wantCode {
		t.Fatalf("diff %v: exit %d, want %d: %s\n%s", args, code, wantCode, stderr, out)
	}
	var r diff.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("diff %v: bad JSON: %v\n%s", args, err, out)
	}
	return &r
}

// kindsAndSubjects is "kind subject" per difference, in order.
func kindsAndSubjects(r *diff.Report) []string {
	out := []string{}
	for _, d := range r.Differences {
		out = append(out, string(d.Kind)+" "+d.Subject)
	}
	return out
}

func byKind(r *diff.Report, kind diff.Kind, subject string) diff.Difference {
	for _, d := range r.Differences {
		if d.Kind == kind && d.Subject == subject {
			return d
		}
	}
	return diff.Difference{}
}

// changeDemoCluster makes one change of every kind to the demo cluster (see
// fakecluster.Demo: brokers 1–4, broker 4 the controller at epoch 8), and
// one change Kafka does not see (an ACL on /brokers/seqid). demoChanges is
// what rafka diff reports for them, in its order.
func changeDemoCluster(e *treeEditor) {
	e.replace("/cluster/id", `"id":"`, `"id":"new-`)
	// Broker 4, the controller, leaves; 2 takes over.
	e.remove("/brokers/ids/4")
	e.replace("/controller", `"brokerid":4`, `"brokerid":2`)
	e.replace("/controller_epoch", "8", "9")
	e.replace("/brokers/ids/2", "kafka-2.kafka", "kafka-2.moved")
	e.recreate("/brokers/ids/3")
	e.create("/brokers/ids/5", strings.ReplaceAll(strings.ReplaceAll(e.get("/brokers/ids/1"), "kafka-1.", "kafka-5."), "rack-a", "rack-c"))

	e.replace("/brokers/topics/__consumer_offsets/partitions/0/state", `"isr":[4,3,1]`, `"isr":[4,3]`)
	e.replace("/brokers/topics/__consumer_offsets/partitions/1/state", `"leader":1,"leader_epoch":6`, `"leader":4,"leader_epoch":7`)
	e.replace("/brokers/topics/__consumer_offsets", `"2":[2,1,3]`, `"2":[1,2,3]`)
	e.create("/admin/delete_topics/audit-log", "")
	e.replace("/brokers/topics/audit-log/partitions/0/state", `"isr":[1,4]`, `"isr":[1,4,2]`)
	e.remove("/admin/delete_topics/clickstream")
	e.remove("/brokers/topics/inventory")
	e.remove("/config/topics/inventory")
	e.replace("/brokers/topics/payments", `"2":[4,1,2]`, `"2":[4,1,2],"3":[1,2,3]`)
	e.create("/brokers/topics/payments/partitions/3", "")
	e.create("/brokers/topics/payments/partitions/3/state", `{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":9,"isr":[1,2,3]}`)
	e.create("/brokers/topics/shipments", `{"version":3,"partitions":{"0":[1,2,3],"1":[2,3,5]},"adding_replicas":{},"removing_replicas":{},"topic_id":"c2hpcG1lbnRzLXRvcGljMQ"}`)
	e.create("/brokers/topics/shipments/partitions", "")
	e.create("/brokers/topics/shipments/partitions/0", "")
	e.create("/brokers/topics/shipments/partitions/0/state", `{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":9,"isr":[1,2,3]}`)

	e.set("/config/topics/payments", `{"version":1,"config":{"min.insync.replicas":"3","cleanup.policy":"compact"}}`)
	e.replace("/config/users/alice", `"SCRAM-SHA-256":"salt=`, `"SCRAM-SHA-256":"salt=AAAA`)
	e.set("/config/clients/reporting-app", "garbage")

	e.replace("/kafka-acl/Topic/orders", `"principal":"User:mallory"`, `"principal":"User:carol"`)
	e.remove("/kafka-acl/Group/orders-consumers")
	e.create("/kafka-acl-extended/prefixed/Topic/shipments-", `{"version":1,"acls":[{"principal":"User:bob","permissionType":"Allow","operation":"Write","host":"*"}]}`)

	e.set("/feature", `{"version":1,"status":0,"features":{}}`)
	e.create("/migration", `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":1,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`)

	if _, err := e.sess.SetACL(e.ctx, "/brokers/seqid", zk.WorldACL(zk.PermRead|zk.PermWrite), -1); err != nil {
		e.t.Fatal(err)
	}
}

var demoChanges = []string{
	"cluster-id-changed cluster",
	"controller-moved controller",
	"broker-endpoint-changed broker 2",
	"broker-reregistered broker 3",
	"broker-left broker 4",
	"broker-joined broker 5",
	"isr-shrank __consumer_offsets-0",
	"leader-changed __consumer_offsets-1",
	"replicas-reassigned __consumer_offsets-2",
	"topic-marked-for-deletion audit-log",
	"isr-expanded audit-log-0",
	"topic-deletion-cancelled clickstream",
	"topic-deleted inventory",
	"partition-added payments-3",
	"topic-created shipments",
	"config-removed topics/inventory: compression.type",
	"config-removed topics/inventory: max.message.bytes",
	"config-added topics/payments: cleanup.policy",
	"config-changed topics/payments: min.insync.replicas",
	"config-removed topics/payments: retention.bytes",
	"config-changed users/alice: SCRAM-SHA-256",
	"config-removed clients/reporting-app: request_percentage", // garbage reads as no overrides
	"acl-removed Group:orders-consumers",
	"acl-added Topic:orders",
	"acl-removed Topic:orders",
	"acl-added Topic:shipments- (prefixed)",
	"feature-state-changed /feature",
	"migration-state-changed /migration",
	"decode-error-appeared /config/clients/reporting-app",
}

// demoRawChanges is what rafka diff --raw reports for changeDemoCluster, as
// "kind path", in tree order.
var demoRawChanges = []string{
	"znode-added /admin/delete_topics/audit-log",
	"znode-removed /admin/delete_topics/clickstream",
	"znode-data-changed /brokers/ids/2",
	"znode-removed /brokers/ids/4",
	"znode-added /brokers/ids/5",
	"znode-acl-changed /brokers/seqid",
	"znode-data-changed /brokers/topics/__consumer_offsets",
	"znode-data-changed /brokers/topics/__consumer_offsets/partitions/0/state",
	"znode-data-changed /brokers/topics/__consumer_offsets/partitions/1/state",
	"znode-data-changed /brokers/topics/audit-log/partitions/0/state",
	"znode-removed /brokers/topics/inventory",
	"znode-removed /brokers/topics/inventory/partitions",
	"znode-removed /brokers/topics/inventory/partitions/0",
	"znode-removed /brokers/topics/inventory/partitions/0/state",
	"znode-removed /brokers/topics/inventory/partitions/1",
	"znode-removed /brokers/topics/inventory/partitions/1/state",
	"znode-removed /brokers/topics/inventory/partitions/2",
	"znode-removed /brokers/topics/inventory/partitions/2/state",
	"znode-data-changed /brokers/topics/payments",
	"znode-added /brokers/topics/payments/partitions/3",
	"znode-added /brokers/topics/payments/partitions/3/state",
	"znode-added /brokers/topics/shipments",
	"znode-added /brokers/topics/shipments/partitions",
	"znode-added /brokers/topics/shipments/partitions/0",
	"znode-added /brokers/topics/shipments/partitions/0/state",
	"znode-data-changed /cluster/id",
	"znode-data-changed /config/clients/reporting-app",
	"znode-removed /config/topics/inventory",
	"znode-data-changed /config/topics/payments",
	"znode-data-changed /config/users/alice",
	"znode-data-changed /controller",
	"znode-data-changed /controller_epoch",
	"znode-data-changed /feature",
	"znode-removed /kafka-acl/Group/orders-consumers",
	"znode-data-changed /kafka-acl/Topic/orders",
	"znode-added /kafka-acl-extended/prefixed/Topic/shipments-",
	"znode-added /migration",
}

// normalJSON renders v as JSON with object keys sorted.
func normalJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(generic)
	return string(b)
}

func rawKindsAndPaths(r *diff.Report) []string {
	out := []string{}
	for _, d := range r.Differences {
		out = append(out, string(d.Kind)+" "+d.Path)
	}
	return out
}

// One change of every kind, made on a live cluster after a snapshot, is
// reported exactly — snapshot against live and against a second snapshot,
// in JSON and as a table — with exit 1; equal inputs give exit 0.
func TestDiffReportsEachKind(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Demo())
	dir := t.TempDir()
	before, after := filepath.Join(dir, "before.snapshot.gz"), filepath.Join(dir, "after.snapshot")
	saveSnapshot(t, connect, before)

	same := diffJSON(t, ExitOK, "-z", connect, before, "live")
	if len(same.Differences) != 0 || len(same.Summary) != 0 || same.Partial || same.Mode != "kafka" || same.A.Kind != "snapshot" || same.B.Kind != "live" {
		t.Fatalf("before any change: %+v", same)
	}
	if out, _, code := run(t, "diff", "-z", connect, before, "live"); code != ExitOK || !strings.Contains(out, "no differences") {
		t.Errorf("table before any change: exit %d\n%s", code, out)
	}

	changeDemoCluster(editTree(t, connect))
	live := diffJSON(t, ExitFindings, "-z", connect, before, "live")
	if got := kindsAndSubjects(live); !reflect.DeepEqual(got, demoChanges) {
		t.Fatalf("snapshot → live\n got %q\nwant %q", got, demoChanges)
	}
	checkDemoValues(t, live)

	saveSnapshot(t, connect, after)
	offline := diffJSON(t, ExitFindings, before, after)
	if !reflect.DeepEqual(offline.Differences, live.Differences) || !reflect.DeepEqual(offline.Summary, live.Summary) {
		t.Errorf("snapshot → snapshot differs from snapshot → live:\n%q", kindsAndSubjects(offline))
	}
	diffJSON(t, ExitOK, "-z", connect, "live", after)
	diffJSON(t, ExitOK, before, before)
	// Backwards, each change is undone, and /feature's epoch goes back.
	back := diffJSON(t, ExitFindings, after, before)
	if len(back.Differences) != len(demoChanges)+1 || byKind(back, diff.BrokerJoined, "broker 4").Kind == "" ||
		byKind(back, diff.FeatureEpochRegressed, "/feature").Kind == "" {
		t.Errorf("after → before: %q", kindsAndSubjects(back))
	}

	// The table says the same, with the same exit code, and shows no secret.
	table, stderr, code := run(t, "diff", "--no-color", before, after)
	if code != ExitFindings || !strings.Contains(stderr, "29 differences") {
		t.Errorf("table: exit %d, stderr %q", code, stderr)
	}
	for _, d := range live.Differences {
		if !strings.Contains(table, string(d.Kind)) || !strings.Contains(table, d.Message) {
			t.Errorf("table lacks %s %q", d.Kind, d.Message)
		}
	}
	for _, want := range []string{"KIND", "SUBJECT", "CHANGE", "29 differences: 1 cluster-id-changed, 1 controller-moved", "snapshot " + before} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "salt=") || strings.Contains(table, "stored_key") {
		t.Errorf("table shows a SCRAM credential:\n%s", table)
	}
}

// checkDemoValues checks Before and After of some of demoChanges.
func checkDemoValues(t *testing.T, r *diff.Report) {
	t.Helper()
	for _, c := range []struct {
		kind          diff.Kind
		subject       string
		before, after string
		path          string
	}{
		{diff.ControllerMoved, "controller", `{"broker_id":4,"epoch":8}`, `{"broker_id":2,"epoch":9}`, "/controller"},
		{diff.BrokerEndpointChanged, "broker 2", `["PLAINTEXT://kafka-2.kafka.example.internal:9092","SASL_SSL://kafka-2.kafka.example.internal:9094"]`,
			`["PLAINTEXT://kafka-2.moved.example.internal:9092","SASL_SSL://kafka-2.moved.example.internal:9094"]`, "/brokers/ids/2"},
		{diff.LeaderChanged, "__consumer_offsets-1", `1`, `4`, "/brokers/topics/__consumer_offsets/partitions/1/state"},
		{diff.ISRShrank, "__consumer_offsets-0", `[4,3,1]`, `[4,3]`, "/brokers/topics/__consumer_offsets/partitions/0/state"},
		{diff.ReplicasReassigned, "__consumer_offsets-2", `{"replicas":[2,1,3]}`, `{"replicas":[1,2,3]}`, "/brokers/topics/__consumer_offsets"},
		{diff.ConfigChanged, "topics/payments: min.insync.replicas", `"2"`, `"3"`, "/config/topics/payments"},
		{diff.ConfigChanged, "users/alice: SCRAM-SHA-256", `"[redacted]"`, `"[redacted]"`, "/config/users/alice"},
		{diff.ACLAdded, "Topic:orders", `null`, `{"principal":"User:carol","permission_type":"Deny","operation":"All","host":"10.0.0.66"}`, "/kafka-acl/Topic/orders"},
		{diff.FeatureStateChanged, "/feature", `{"state":"enabled","version":1}`, `{"state":"disabled","version":1}`, "/feature"},
		{diff.TopicDeletionCancelled, "clickstream", `true`, `false`, "/admin/delete_topics/clickstream"},
	} {
		d := byKind(r, c.kind, c.subject)
		before, after := normalJSON(t, d.Before), normalJSON(t, d.After)
		if before != normalJSON(t, json.RawMessage(c.before)) || after != normalJSON(t, json.RawMessage(c.after)) || d.Path != c.path {
			t.Errorf("%s %s: before %s after %s path %s; want %s %s %s", c.kind, c.subject, before, after, d.Path, c.before, c.after, c.path)
		}
	}
	if n := r.Summary[diff.ConfigRemoved]; n != 4 || len(r.Summary) != 23 {
		t.Errorf("summary %v", r.Summary)
	}
}

// --raw reports znode churn, in tree order, from two snapshots or a
// snapshot and a live capture; --section and --topic narrow a Kafka-terms
// diff.
func TestDiffRawAndFilters(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Demo())
	dir := t.TempDir()
	before, after := filepath.Join(dir, "before.snapshot"), filepath.Join(dir, "after.snapshot.gz")
	saveSnapshot(t, connect, before)
	if r := diffJSON(t, ExitOK, "--raw", "-z", connect, "live", before); r.Mode != "raw" || len(r.Differences) != 0 {
		t.Fatalf("raw, before any change: %+v", r)
	}
	changeDemoCluster(editTree(t, connect))
	saveSnapshot(t, connect, after)

	raw := diffJSON(t, ExitFindings, "--raw", before, after)
	if got := rawKindsAndPaths(raw); !reflect.DeepEqual(got, demoRawChanges) {
		t.Errorf("raw\n got %q\nwant %q", got, demoRawChanges)
	}
	if !slices.IsSortedFunc(raw.Differences, func(a, b diff.Difference) int {
		if snapshot.Less(a.Path, b.Path) {
			return -1
		}
		return 1
	}) {
		t.Error("raw differences are not in tree order")
	}
	liveRaw := diffJSON(t, ExitFindings, "--raw", "-z", connect, before, "live")
	if !reflect.DeepEqual(liveRaw.Differences, raw.Differences) {
		t.Errorf("raw against live differs from raw against a snapshot:\n%q", rawKindsAndPaths(liveRaw))
	}
	alice := byKind(raw, diff.ZnodeDataChanged, "/config/users/alice")
	if b, _ := json.Marshal(alice); strings.Contains(string(b), "salt") || !strings.Contains(string(b), `[redacted]`) {
		t.Errorf("a SCRAM credential is shown: %s", b)
	}
	if seqid := byKind(raw, diff.ZnodeACLChanged, "/brokers/seqid"); !strings.Contains(seqid.Message, "world:anyone:cdrwa → world:anyone:rw") {
		t.Errorf("ACL change: %+v", seqid)
	}
	table, _, code := run(t, "diff", "--raw", before, after)
	if code != ExitFindings || !strings.Contains(table, "znode-added") || !strings.Contains(table, "/brokers/topics/shipments/partitions/0/state added") {
		t.Errorf("raw table: exit %d\n%s", code, table)
	}

	brokers := diffJSON(t, ExitFindings, "--section", "brokers", before, after)
	if got, want := kindsAndSubjects(brokers), demoChanges[2:6]; !reflect.DeepEqual(got, want) || !reflect.DeepEqual(brokers.Sections, []string{"brokers"}) {
		t.Errorf("--section brokers: %q (sections %v); want %q", got, brokers.Sections, want)
	}
	payments := diffJSON(t, ExitFindings, "--topic", "^payments$", before, after)
	var want []string
	for _, c := range demoChanges {
		otherTopic := strings.HasPrefix(c, "config-") && strings.Contains(c, "topics/") && !strings.Contains(c, "topics/payments") ||
			strings.Contains(c, "-") && (strings.Contains(c, "__consumer_offsets") || strings.Contains(c, "audit-log") ||
				strings.HasSuffix(c, "clickstream") || strings.HasSuffix(c, " inventory") || strings.HasSuffix(c, " shipments"))
		if !otherTopic {
			want = append(want, c)
		}
	}
	if got := kindsAndSubjects(payments); !reflect.DeepEqual(got, want) || payments.Topic != "^payments$" {
		t.Errorf("--topic ^payments$\n got %q\nwant %q", got, want)
	}
}

// Inputs that cannot be compared are usage errors; a znode rafka may not
// read makes the comparison partial (exit 5), even with differences.
func TestDiffBadInputsAndPartial(t *testing.T) {
	zc := zktest.Standalone(t)
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	connect := loadSpec(t, zc, spec)
	file := filepath.Join(t.TempDir(), "demo.snapshot")
	saveSnapshot(t, connect, file)
	for _, args := range [][]string{
		{"diff", "-z", connect, "live", "live"},
		{"diff", "-z", connect, file, "/nonexistent/snapshot"},
		{"diff", "-z", connect, "/nonexistent/snapshot", "live"},
		{"diff", "-z", connect, file},
		{"diff", "-z", connect, file, "live", "extra"},
		{"diff", file, "live"}, // live without -z
		{"diff", "--raw", "--section", "topics", file, file},
		{"diff", "--raw", "--topic", "x", file, file},
		{"diff", "--section", "nope", file, file},
		{"diff", "--topic", "(", file, file},
		{"diff", "-o", "yaml", file, file},
	} {
		if _, stderr, code := run(t, args...); code != ExitUsage || !strings.HasPrefix(stderr, "rafka: ") {
			t.Errorf("rafka %v: exit %d (want %d): %s", args[1:], code, ExitUsage, stderr)
		}
	}
	if _, stderr, _ := run(t, "diff", "live", "live"); !strings.Contains(stderr, "at most one side can be live") {
		t.Errorf("two live sides: %s", stderr)
	}

	root := rootSession(t, zc, "owner:pw")
	chroot := connect[strings.Index(connect, "/"):]
	if _, err := root.Create(context.Background(), chroot+"/config/users/locked", []byte(`{"version":1,"config":{}}`), 0, zk.DigestACL(zk.PermAll, "owner", "pw")); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []bool{false, true} {
		args := []string{"-z", connect, file, "live"}
		if raw {
			args = append([]string{"--raw"}, args...)
		}
		r := diffJSON(t, ExitPartial, args...)
		if !r.Partial || len(r.Unreadable) != 1 || r.Unreadable[0].Side != "b" || r.Unreadable[0].Path != "/config/users/locked" ||
			!strings.Contains(r.Unreadable[0].Error, "not authenticated") {
			t.Errorf("raw %v: unreadable %+v", raw, r.Unreadable)
		}
		if raw && len(r.Differences) != 1 {
			t.Errorf("raw: %q", rawKindsAndPaths(r)) // the locked znode itself is added
		}
	}
	if out, _, code := run(t, "diff", "-z", connect, file, "live"); code != ExitPartial || !strings.Contains(out, "could not be read (1)") {
		t.Errorf("partial table: exit %d\n%s", code, out)
	}
}

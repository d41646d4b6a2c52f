package cmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zksession"
)

// streamRun runs `rafka watch -o json` in-process and hands each event to
// the test as it is printed.
type streamRun struct {
	events chan watch.Event
	done   chan struct{}
	code   int
	stderr string
}

func startStream(t *testing.T, args ...string) *streamRun {
	t.Helper()
	pr, pw := io.Pipe()
	s := &streamRun{events: make(chan watch.Event, 1000), done: make(chan struct{})}
	var errOut strings.Builder
	go func() {
		defer close(s.done)
		s.code = Main(context.Background(), append([]string{"rafka", "-o", "json", "watch"}, args...), Streams{Out: pw, Err: &errOut})
		s.stderr = errOut.String()
		pw.Close()
	}()
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var e watch.Event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Errorf("not an NDJSON event: %q", sc.Text())
				continue
			}
			s.events <- e
		}
	}()
	return s
}

// next waits for the next event.
func (s *streamRun) next(t *testing.T, waitingFor string) watch.Event {
	t.Helper()
	select {
	case e, ok := <-s.events:
		if !ok {
			<-s.done
			t.Fatalf("watch ended (exit %d: %s) while waiting for %s", s.code, s.stderr, waitingFor)
		}
		if testing.Verbose() {
			t.Logf("event %s/%s %s", e.Kind, e.Event, e.Summary())
		}
		return e
	case <-time.After(20 * time.Second):
		t.Fatalf("no %s within 20s", waitingFor)
	}
	return watch.Event{}
}

// expect reads events until kind/name arrives, failing on any other not
// in allowed ("kind/event" or "kind/*").
func (s *streamRun) expect(t *testing.T, kind, name string, allowed ...string) watch.Event {
	t.Helper()
	return s.expectAll(t, []string{kind + "/" + name}, allowed...)[kind+"/"+name]
}

// expectAll reads events until each of want ("kind/event") has come, in
// any order, failing on any other not in allowed; it returns them by
// "kind/event". A wanted event is matched before allowed ones, so an
// allowed pattern never swallows it.
func (s *streamRun) expectAll(t *testing.T, want []string, allowed ...string) map[string]watch.Event {
	t.Helper()
	got := make(map[string]watch.Event, len(want))
	for len(want) > 0 {
		e := s.next(t, strings.Join(want, ", "))
		name := e.Kind + "/" + e.Event
		if i := slices.Index(want, name); i >= 0 {
			want = slices.Delete(want, i, i+1)
			got[name] = e
			continue
		}
		if !slices.Contains(allowed, name) && !slices.Contains(allowed, e.Kind+"/*") {
			t.Fatalf("event %s (%s) while waiting for %s", name, e.Summary(), strings.Join(want, ", "))
		}
	}
	return got
}

func (s *streamRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not end")
	}
	return s.code
}

// get reads a field of a decoded before/after value: get(v, "isr").
func get(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

// clusterWriter plays Kafka and operators on the tree with a plain session.
type clusterWriter struct {
	t *testing.T
	s *zksession.Session
}

func (w clusterWriter) create(path, data string, flags int32) {
	w.t.Helper()
	if _, err := w.s.Create(context.Background(), path, []byte(data), flags, zk.WorldACL(zk.PermAll)); err != nil {
		w.t.Fatalf("create %s: %v", path, err)
	}
}

func (w clusterWriter) mkdirs(path string) {
	w.t.Helper()
	if _, err := w.s.CreatePath(context.Background(), path, func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) }); err != nil {
		w.t.Fatalf("create %s: %v", path, err)
	}
}

func (w clusterWriter) set(path, data string) *zk.Stat {
	w.t.Helper()
	st, err := w.s.Set(context.Background(), path, []byte(data), -1)
	if err != nil {
		w.t.Fatalf("set %s: %v", path, err)
	}
	return st
}

func (w clusterWriter) multi(ops ...any) {
	w.t.Helper()
	if _, err := w.s.Multi(context.Background(), ops...); err != nil {
		w.t.Fatalf("multi: %v", err)
	}
}

func (w clusterWriter) del(paths ...string) {
	w.t.Helper()
	var ops []any
	for _, p := range paths {
		ops = append(ops, &zk.DeleteRequest{Path: p, Version: -1})
	}
	w.multi(ops...)
}

func state(leader int, isr ...int) string {
	b, _ := json.Marshal(isr)
	return fmt.Sprintf(`{"version":1,"leader":%d,"leader_epoch":%d,"controller_epoch":20,"isr":%s}`, leader, leader+len(isr), b)
}

const brokerJSON = `{"version":5,"host":"k100","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://k100:9092","SSL://k100:9093"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","SSL":"SSL"},"rack":"r1","features":{}}`

// Every kind of event, each from the change a broker, the controller or an
// operator makes.
// Every kind, with persistent recursive watches (one per subtree) and
// with one-shot watches (one per znode): the same events either way.
func TestWatchEveryKind(t *testing.T)        { testWatchEveryKind(t, "persistent") }
func TestWatchEveryKindOneShot(t *testing.T) { testWatchEveryKind(t, "oneshot") }

func testWatchEveryKind(t *testing.T, mode string) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Bench(2))
	w := clusterWriter{t, featureSession(t, connect)}
	// The ACL change queue exists before the watch starts, as on a cluster
	// with an authorizer: a queue created later is listed when its exists
	// watch fires, and notifications already in that first listing count as
	// applied, which would race with the test's first notification.
	w.mkdirs("/kafka-acl/Topic")
	w.mkdirs("/kafka-acl-changes")
	s := startStream(t, "-z", connect, "--timeout", "60s", "--count", "100", "--watch-mode", mode)
	ready := s.expect(t, watch.KindSession, watch.EventSynced)
	switch {
	case mode == "oneshot" && (ready.Watches < 2*12 || ready.Znodes < ready.Watches):
		t.Errorf("synced %+v: want a watch per state, per topic, per partitions directory", ready)
	case mode == "persistent" && (ready.Watches < 1 || ready.Watches > 10 || ready.Znodes < 2*12):
		t.Errorf("synced %+v: want at most 10 persistent watches over every znode", ready)
	}
	if mode == "persistent" {
		if out, err := zktest.FourLetter(zc.Servers[0], "wchs"); err != nil || !strings.Contains(out, "Total watches:") {
			t.Errorf("wchs: %q %v", out, err)
		} else {
			t.Logf("server: %s", strings.TrimSpace(out))
		}
	}

	// Brokers.
	w.create("/brokers/ids/100", brokerJSON, zk.FlagEphemeral)
	e := s.expect(t, watch.KindBrokers, watch.EventRegistered)
	if *e.Broker != 100 || get(e.After, "broker_epoch") == float64(0) || len(get(e.After, "endpoints").([]any)) != 2 {
		t.Errorf("registered: %+v", e)
	}
	w.del("/brokers/ids/100")
	if e := s.expect(t, watch.KindBrokers, watch.EventUnregistered); *e.Broker != 100 || e.Before == nil {
		t.Errorf("unregistered: %+v", e)
	}

	// The controller moves as Kafka moves it: one transaction.
	w.multi(&zk.DeleteRequest{Path: "/controller", Version: -1},
		&zk.CreateRequest{Path: "/controller", Data: []byte(`{"version":2,"brokerid":2,"timestamp":"2","kraftControllerEpoch":-1}`), Acl: zk.WorldACL(zk.PermAll)},
		&zk.SetDataRequest{Path: "/controller_epoch", Data: []byte("21"), Version: -1})
	e = s.expect(t, watch.KindController, watch.EventMoved)
	if get(e.After, "broker_id") != float64(2) || get(e.After, "epoch") != float64(21) || get(e.Before, "broker_id") != float64(6) {
		t.Errorf("moved: before %v after %v", e.Before, e.After)
	}

	// A topic: created, a partition added, leader and ISR changes.
	topic := "/brokers/topics/orders"
	w.multi(&zk.CreateRequest{Path: topic, Data: []byte(`{"version":3,"topic_id":"k8hG0VvDQ2mVkd3yY5C-Ng","partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{}}`), Acl: zk.WorldACL(zk.PermAll)},
		&zk.CreateRequest{Path: topic + "/partitions", Acl: zk.WorldACL(zk.PermAll)},
		&zk.CreateRequest{Path: topic + "/partitions/0", Acl: zk.WorldACL(zk.PermAll)},
		&zk.CreateRequest{Path: topic + "/partitions/0/state", Data: []byte(state(1, 1, 2, 3)), Acl: zk.WorldACL(zk.PermAll)})
	// The topic's read and its partitions' reads race: either event may come first.
	created := s.expectAll(t, []string{"topics/" + watch.EventCreated, "partitions/" + watch.EventCreated})
	if e := created["topics/"+watch.EventCreated]; e.Topic != "orders" {
		t.Errorf("created: %+v", e)
	}
	e = created["partitions/"+watch.EventCreated]
	if e.Topic != "orders" || *e.Partition != 0 || get(e.After, "leader") != float64(1) {
		t.Errorf("partition created: %+v", e)
	}
	w.set(topic, `{"version":3,"topic_id":"k8hG0VvDQ2mVkd3yY5C-Ng","partitions":{"0":[1,2,3],"1":[2,3,4]},"adding_replicas":{},"removing_replicas":{}}`)
	if e := s.expect(t, watch.KindTopics, watch.EventPartitionsAdded); fmt.Sprint(e.Added) != "[1]" {
		t.Errorf("partitions-added: %+v", e)
	}
	w.set(topic+"/partitions/0/state", state(2, 1, 2, 3))
	if e := s.expect(t, watch.KindPartitions, watch.EventLeaderChanged); get(e.Before, "leader") != float64(1) || get(e.After, "leader") != float64(2) {
		t.Errorf("leader-changed: %+v", e)
	}
	w.set(topic+"/partitions/0/state", state(2, 2, 3))
	if e := s.expect(t, watch.KindPartitions, watch.EventISRShrank); fmt.Sprint(e.Removed) != "[1]" {
		t.Errorf("isr-shrank: %+v", e)
	}
	w.set(topic+"/partitions/0/state", state(2, 2, 3, 1))
	if e := s.expect(t, watch.KindPartitions, watch.EventISRExpanded); fmt.Sprint(e.Added) != "[1]" {
		t.Errorf("isr-expanded: %+v", e)
	}
	// Two writes faster than one read: coalesced, the skip is counted.
	w.set(topic+"/partitions/0/state", state(3, 2, 3, 1))
	w.set(topic+"/partitions/0/state", state(3, 3, 1))
	e = s.expect(t, watch.KindPartitions, watch.EventLeaderChanged)
	if e.SkippedVersions == 0 {
		last := s.expect(t, watch.KindPartitions, watch.EventISRShrank, "partitions/*")
		t.Logf("not coalesced this time (%s, then %s)", e.Summary(), last.Summary())
	} else {
		s.expect(t, watch.KindPartitions, watch.EventISRShrank)
	}

	// A KIP-455 reassignment in the topic znode.
	w.set(topic, `{"version":3,"topic_id":"k8hG0VvDQ2mVkd3yY5C-Ng","partitions":{"0":[1,2,3,5],"1":[2,3,4]},"adding_replicas":{"0":[5]},"removing_replicas":{"0":[1]}}`)
	s.expect(t, watch.KindTopics, watch.EventReassignmentStarted)
	w.set(topic, `{"version":3,"topic_id":"k8hG0VvDQ2mVkd3yY5C-Ng","partitions":{"0":[2,3,5],"1":[2,3,4]},"adding_replicas":{},"removing_replicas":{}}`)
	if e := s.expect(t, watch.KindTopics, watch.EventReassignmentFinished); e.After == nil {
		t.Errorf("reassignment-finished: %+v", e)
	}
	// The legacy admin node.
	w.create("/admin/reassign_partitions", `{"version":1,"partitions":[{"topic":"orders","partition":1,"replicas":[4,5,6]}]}`, 0)
	s.expect(t, watch.KindAdmin, watch.EventReassignmentStarted)
	w.del("/admin/reassign_partitions")
	s.expect(t, watch.KindAdmin, watch.EventReassignmentFinished)

	// Deletion: marked, then the controller removes the topic and the marker.
	w.create("/admin/delete_topics/orders", "", 0)
	if e := s.expect(t, watch.KindAdmin, watch.EventMarkedForDeletion); e.Topic != "orders" {
		t.Errorf("marked: %+v", e)
	}
	w.del(topic+"/partitions/0/state", topic+"/partitions/0", topic+"/partitions", topic, "/admin/delete_topics/orders")
	s.expectAll(t, []string{"topics/" + watch.EventDeleted, "admin/" + watch.EventDeletionMarkerRemoved})

	// Configs: the entity, then the notification; secrets redacted.
	w.set("/config/brokers/1", `{"version":1,"config":{"follower.replication.throttled.rate":"1","listener.name.ssl.ssl.keystore.password":"hunter2"}}`)
	w.create("/config/changes/config_change_", `{"version":2,"entity_path":"brokers/1"}`, zk.FlagSequence)
	e = s.expect(t, watch.KindConfigs, watch.EventChanged)
	if e.Entity == nil || e.Entity.Type != "brokers" || e.Entity.Name != "1" || len(e.Changes) != 3 {
		t.Fatalf("config changed: %+v", e)
	}
	for _, c := range e.Changes {
		if strings.Contains(c.Key, "password") && (c.After == nil || *c.After != "[redacted]") {
			t.Errorf("secret shown: %+v", c)
		}
	}

	// ACLs: the resource, then the change notification.
	w.create("/kafka-acl/Topic/orders", `{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}`, 0)
	w.create("/kafka-acl-changes/acl_changes_", "Topic:orders", zk.FlagSequence)
	if e := s.expect(t, watch.KindACLs, watch.EventCreated); e.Resource == nil || e.Resource.ResourceName != "orders" || e.Added == nil {
		t.Errorf("acl created: %+v", e)
	}

	// /feature and /migration.
	w.set("/feature", `{"version":1,"status":1,"features":{}}`)
	s.expect(t, watch.KindFeatures, watch.EventUpdated)
	w.create("/migration", `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":1,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`, 0)
	if e := s.expect(t, watch.KindMigration, watch.EventCreated); get(e.After, "kraft_controller_id") != float64(3000) {
		t.Errorf("migration: %+v", e)
	}
	w.set("/migration", `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":2,"kraft_metadata_offset":10,"kraft_metadata_epoch":2}`)
	s.expect(t, watch.KindMigration, watch.EventUpdated)
}

// --topic limits topics, partitions, deletion markers and topic configs;
// what it filters out never becomes an event.
func TestWatchTopicFilter(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Demo())
	w := clusterWriter{t, featureSession(t, connect)}
	for _, topic := range []string{"orders", "payments"} {
		w.mkdirs("/config/topics/" + topic)
	}
	s := startStream(t, "-z", connect, "--timeout", "60s", "--kinds", "configs,topics,admin", "--topic", "^orders")
	s.expect(t, watch.KindSession, watch.EventSynced)
	config := `{"version":1,"config":{"retention.ms":"1000"}}`
	for _, topic := range []string{"payments", "orders"} {
		w.set("/config/topics/"+topic, config)
		w.create("/config/changes/config_change_", `{"version":2,"entity_path":"topics/`+topic+`"}`, zk.FlagSequence)
	}
	if e := s.expect(t, watch.KindConfigs, watch.EventChanged); e.Entity == nil || e.Entity.Name != "orders" {
		t.Errorf("first config event: %+v", e)
	}
	assignment := `{"version":3,"topic_id":"k8hG0VvDQ2mVkd3yY5C-Ng","partitions":{"0":[1]},"adding_replicas":{},"removing_replicas":{}}`
	w.create("/brokers/topics/payments-2", assignment, 0)
	w.create("/admin/delete_topics/payments", "", 0)
	w.create("/brokers/topics/orders-2", assignment, 0)
	if e := s.expect(t, watch.KindTopics, watch.EventCreated); e.Topic != "orders-2" {
		t.Errorf("first topic event: %+v", e)
	}
}

// watchThroughOutage starts a watch through a proxy on a small cluster,
// waits for it to sync, then cuts the connection and refuses new ones,
// and returns once the watch says it is disconnected.
func watchThroughOutage(t *testing.T, sessionTimeout, count string) (clusterWriter, *zktest.Proxy, *streamRun) {
	t.Helper()
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, fakecluster.Bench(2))
	chroot := connect[len(zc.Connect()):]
	w := clusterWriter{t, featureSession(t, connect)}
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := startStream(t, "-z", proxy.Addr+chroot, "--session-timeout", sessionTimeout, "--timeout", "60s", "--count", count)
	s.expect(t, watch.KindSession, watch.EventSynced)
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	s.expect(t, watch.KindSession, watch.EventDisconnected)
	return w, proxy, s
}

// The connection is cut and refused for a while (shorter than the session
// timeout): disconnected, reconnected, the changes made meanwhile found by
// the resync, then changes again.
func TestWatchConnectionLoss(t *testing.T) {
	w, proxy, s := watchThroughOutage(t, "10s", "3")
	w.create("/brokers/ids/100", brokerJSON, zk.FlagEphemeral)
	w.set("/feature", `{"version":1,"status":1,"features":{}}`)
	time.Sleep(1500 * time.Millisecond)
	proxy.SetMode(zktest.ModePass)
	s.expect(t, watch.KindSession, watch.EventReconnected)
	s.expectAll(t, []string{"brokers/" + watch.EventRegistered, "features/" + watch.EventUpdated, "session/" + watch.EventResynced})
	w.del("/brokers/ids/100")
	s.expect(t, watch.KindBrokers, watch.EventUnregistered)
	if code := s.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, s.stderr)
	}
}

// The session expires (the proxy refuses for longer than the session
// timeout): session-expired, then a resync on the new session that reports
// what changed, then the re-armed watches report again.
func TestWatchSurvivesSessionExpiry(t *testing.T) {
	w, proxy, s := watchThroughOutage(t, "2s", "4")
	st := "/brokers/topics/" + firstTopic(t, w) + "/partitions/0/state"
	w.set(st, state(1, 1))
	w.create("/brokers/ids/100", brokerJSON, zk.FlagEphemeral)
	time.Sleep(4 * time.Second) // past the session timeout
	proxy.SetMode(zktest.ModePass)
	s.expect(t, watch.KindSession, watch.EventSessionExpired)
	s.expectAll(t, []string{"partitions/" + watch.EventLeaderChanged, "brokers/" + watch.EventRegistered, "session/" + watch.EventResynced}, "partitions/*")
	w.set(st, state(2, 1, 2))
	if e := s.expect(t, watch.KindPartitions, watch.EventLeaderChanged, "partitions/*"); e.Resync {
		t.Errorf("a change after the resync is marked resync: %+v", e)
	}
	if code := s.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, s.stderr)
	}
}

func firstTopic(t *testing.T, w clusterWriter) string {
	t.Helper()
	topics, _, err := w.s.Children(context.Background(), "/brokers/topics")
	if err != nil || len(topics) == 0 {
		t.Fatalf("topics: %v %v", topics, err)
	}
	slices.Sort(topics)
	return topics[0]
}

// Killing the member the watch is connected to: it moves to another
// member, resyncs and keeps reporting.
func TestWatchSurvivesKilledMember(t *testing.T) {
	if testing.Short() {
		t.Skip("ensemble")
	}
	zc := zktest.NewEnsemble(t)
	connect := loadSpec(t, zc, fakecluster.Bench(2))
	chroot := connect[len(zc.Connect()):]
	w := clusterWriter{t, featureSession(t, connect)}
	a, b := zktest.NewProxy(t, zc.Servers[0]), zktest.NewProxy(t, zc.Servers[1])
	s := startStream(t, "-z", a.Addr+","+b.Addr+chroot, "--session-timeout", "6s", "--timeout", "60s", "--count", "1")
	s.expect(t, watch.KindSession, watch.EventSynced)
	member := 0
	if b.Conns() > 0 {
		member = 1
	}
	if err := zc.Kill(member); err != nil {
		t.Fatal(err)
	}
	s.expect(t, watch.KindSession, watch.EventDisconnected)
	s.expect(t, watch.KindSession, watch.EventReconnected)
	s.expect(t, watch.KindSession, watch.EventResynced)
	w.set("/brokers/topics/"+firstTopic(t, w)+"/partitions/0/state", state(1, 1))
	s.expect(t, watch.KindPartitions, watch.EventLeaderChanged)
	if code := s.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, s.stderr)
	}
}

// bareKafkaTree is a fresh chroot holding only /brokers: a Kafka tree
// (streams wait only on one) where nothing happens.
func bareKafkaTree(t *testing.T, zc *zktest.Cluster) string {
	t.Helper()
	chroot := zktest.FreshChroot(t)
	root := rootSession(t, zc)
	for _, p := range []string{chroot, chroot + "/brokers"} {
		if _, err := root.Create(context.Background(), p, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	return chroot
}

func TestWatchTimeoutAndUsage(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := zc.Connect() + bareKafkaTree(t, zc)
	for _, format := range []string{"json", "table"} {
		if _, stderr, code := run(t, "-o", format, "watch", "--for", "1s", "-z", connect, "--count", "1"); code != ExitUnavailable ||
			!strings.Contains(stderr, "--for 1s passed before 1 event") || strings.Contains(stderr, "ZooKeeper operation timed out") {
			// exit 3, but ZooKeeper answered all along: the message must not blame it
			t.Errorf("-o %s: --count not met by --for: exit %d (%s)", format, code, stderr)
		}
		out, stderr, code := run(t, "-o", format, "watch", "--for", "1s", "-z", connect)
		if code != ExitOK || !strings.Contains(out, "synced") {
			t.Errorf("-o %s: no condition: exit %d (%s) %q", format, code, stderr, out)
		}
		// The table says what it watches; JSON lines are events only.
		if source := "Source: ZooKeeper " + strings.Split(connect, "/")[0] + ", chroot /"; (format == "table") != strings.HasPrefix(out, source) {
			t.Errorf("-o %s: source line: %q", format, out)
		}
	}
	if _, _, code := run(t, "watch", "-z", connect, "--kinds", "brokers,nope"); code != ExitUsage {
		t.Errorf("unknown kind: exit %d", code)
	}
	if _, _, code := run(t, "watch", "-z", connect, "--topic", "("); code != ExitUsage {
		t.Errorf("bad regex: exit %d", code)
	}
}

// TestTimeoutDoesNotEndStreams: RAFKA_TIMEOUT bounds connecting and each
// read; a watch with it runs on until stopped (it ended after the timeout
// with exit 0).
func TestTimeoutDoesNotEndStreams(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := zc.Connect() + zktest.FreshChroot(t)
	if _, stderr, code := run(t, "init-paths", "-z", connect); code != ExitOK { // a Kafka tree to watch
		t.Fatalf("init-paths: exit %d %s", code, stderr)
	}
	t.Setenv("RAFKA_TIMEOUT", "1s")
	for _, args := range [][]string{{"watch"}, {"features", "watch"}} {
		ctx, cancel := context.WithCancel(context.Background())
		stop := time.AfterFunc(2500*time.Millisecond, cancel)
		start := time.Now()
		var out, errOut bytes.Buffer
		code := Main(ctx, append([]string{"rafka", "-z", connect, "-o", "json"}, args...), Streams{Out: &out, Err: &errOut})
		stop.Stop()
		cancel()
		if code != ExitInterrupted || time.Since(start) < 2*time.Second || errOut.String() != `{"error":"interrupted","exit_code":130,"path":""}`+"\n" {
			t.Errorf("%v: exit %d after %s (%s); want the stream to run until stopped", args, code, time.Since(start), errOut.String())
		}
	}
}

// The outage tests above run in the default mode (persistent watches on
// ZooKeeper 3.8); these hold one-shot watches to the same behaviour.
func TestWatchConnectionLossOneShot(t *testing.T) {
	t.Setenv("RAFKA_WATCH_MODE", "oneshot")
	TestWatchConnectionLoss(t)
}

func TestWatchSurvivesSessionExpiryOneShot(t *testing.T) {
	t.Setenv("RAFKA_WATCH_MODE", "oneshot")
	TestWatchSurvivesSessionExpiry(t)
}

package fakecluster

import (
	"bytes"
	"context"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

// session opens a session on the shared server under a chroot named after
// the test.
func session(t *testing.T) *zksession.Session {
	t.Helper()
	c := zktest.Standalone(t)
	chroot := "/fakecluster-" + strings.ReplaceAll(t.Name(), "/", "-")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sess, err := zksession.Open(ctx, zksession.Config{Target: zksession.Target{Servers: c.Servers, Chroot: chroot}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	return sess
}

// walk lists every znode under the session's chroot (not the chroot itself).
func walk(ctx context.Context, t *testing.T, sess *zksession.Session) []string {
	t.Helper()
	var all []string
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		children, _, err := sess.Children(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range children {
			child := path.Join(p, c)
			all = append(all, child)
			queue = append(queue, child)
		}
	}
	return all
}

func load(t *testing.T, sess *zksession.Session, nodes []snapshot.Node, opts ...LoadOption) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	if err := Load(ctx, sess, nodes, opts...); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("loaded %d znodes in %v (%.0f znodes/s)", len(nodes), d.Round(time.Millisecond), float64(len(nodes))/d.Seconds())
}

func TestLoadDemoReadsBack(t *testing.T) {
	sess := session(t)
	nodes := Generate(Demo())
	load(t, sess, nodes)
	ctx := context.Background()
	if got := walk(ctx, t, sess); len(got) != len(nodes) {
		t.Fatalf("%d znodes in ZooKeeper, generated %d", len(got), len(nodes))
	}
	for _, n := range nodes {
		data, stat, err := sess.Get(ctx, n.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, n.Data) {
			t.Errorf("%s: read %q, generated %q", n.Path, data, n.Data)
		}
		if stat.EphemeralOwner != 0 {
			t.Errorf("%s is ephemeral; Load creates persistent nodes by default", n.Path)
		}
	}
	// Loading again is harmless: the nodes are there already.
	load(t, sess, nodes)
}

func TestLoadCreatesEphemeralsOnRequest(t *testing.T) {
	sess := session(t)
	load(t, sess, Generate(Demo()), CreateEphemerals())
	ctx := context.Background()
	for _, p := range []string{"/brokers/ids/1", "/brokers/ids/4", "/controller"} {
		_, stat, err := sess.Get(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if stat.EphemeralOwner != sess.SessionID() {
			t.Errorf("%s: ephemeral owner %#x, want the loading session %#x", p, stat.EphemeralOwner, sess.SessionID())
		}
	}
	if _, stat, err := sess.Get(ctx, "/brokers/topics/orders"); err != nil || stat.EphemeralOwner != 0 {
		t.Errorf("/brokers/topics/orders: %v, owner %#x", err, stat.EphemeralOwner)
	}
}

func TestLoadBench100(t *testing.T) {
	sess := session(t)
	nodes := Generate(Bench(100))
	load(t, sess, nodes)
	ctx := context.Background()
	got := walk(ctx, t, sess)
	if len(got) != len(nodes) {
		t.Fatalf("%d znodes in ZooKeeper, generated %d", len(got), len(nodes))
	}
	topics, _, err := sess.Children(ctx, "/brokers/topics")
	if err != nil {
		t.Fatal(err)
	}
	states := 0
	for _, p := range got {
		if strings.HasSuffix(p, "/state") {
			states++
		}
	}
	t.Logf("Bench(100) in ZooKeeper: %d znodes, %d topics, %d partition states", len(got), len(topics), states)
	if len(topics) != 100 || states != 1000 {
		t.Errorf("%d topics and %d partition states, want 100 and 1000", len(topics), states)
	}
	// Spot-check data.
	for _, n := range nodes[len(nodes)/2 : len(nodes)/2+50] {
		data, _, err := sess.Get(ctx, n.Path)
		if err != nil || !bytes.Equal(data, n.Data) {
			t.Errorf("%s: %q, %v; generated %q", n.Path, data, err, n.Data)
		}
	}
}

func TestLoadRefusesChildrenOfEphemerals(t *testing.T) {
	nodes := []snapshot.Node{{Path: "/a", Ephemeral: true}, {Path: "/a/b"}}
	if err := checkEphemeralLeaves(nodes); err == nil {
		t.Fatal("no error for a child of an ephemeral node")
	}
}

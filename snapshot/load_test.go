package snapshot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

// saved captures sess's tree and opens the file.
func saved(t *testing.T, sess *zksession.Session) *Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.ndjson")
	if _, err := Save(context.Background(), sess, path, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadRefusesNonEmptyTarget(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	src := open(t, zc, freshChroot(t))
	mustCreate(t, open(t, zc, ""), src.Chroot(), nil, 0, nil)
	mustCreate(t, src, "/a", []byte("a"), 0, nil)
	snap := saved(t, src)

	busy := freshChroot(t)
	root := open(t, zc, "")
	mustCreate(t, root, busy, nil, 0, nil)
	mustCreate(t, root, busy+"/brokers", nil, 0, nil)
	emptyExisting := freshChroot(t)
	mustCreate(t, root, emptyExisting, []byte("keep"), 0, nil)
	tests := []struct {
		name, chroot string
		wantErr      string
		wantAction   string
	}{
		{"chroot with children", busy, busy + " has 1 children (/brokers)", ""},
		{"root of a shared server", "", "the root (no chroot) has", ""},
		{"empty existing chroot", emptyExisting, "", ChrootExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dry := range []bool{true, false} {
				rep, err := Load(ctx, open(t, zc, tt.chroot), snap, LoadOptions{DryRun: dry})
				if tt.wantErr != "" {
					if !errors.Is(err, ErrTargetNotEmpty) || !strings.Contains(err.Error(), tt.wantErr) {
						t.Errorf("dry %v: %v; want ErrTargetNotEmpty saying %q", dry, err, tt.wantErr)
					}
					continue
				}
				if err != nil || rep.ChrootAction != tt.wantAction {
					t.Errorf("dry %v: %+v, %v", dry, rep, err)
				}
			}
		})
	}
	// The busy chroot is as it was.
	if kids, _, _ := root.Children(ctx, busy); !slices.Equal(kids, []string{"brokers"}) {
		t.Errorf("busy chroot now has %v", kids)
	}
}

func TestLoadDryRunWritesNothing(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	_, srcSess := buildSource(t, zc)
	snap := saved(t, srcSess)
	dst := freshChroot(t) + "/lab"
	dstSess := open(t, zc, dst, alice)
	dry, err := Load(ctx, dstSess, snap, LoadOptions{DryRun: true, Create: CreateOptions{MaxBatchBytes: 300}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := dstSess.Root().Exists(ctx, parent(dst)); ok {
		t.Fatal("a dry run created the chroot's parent")
	}
	if !dry.DryRun || dry.ChrootAction != ChrootWouldCreate || dry.Created != len(snap.Nodes())-1 || dry.ACLsSet != 1 {
		t.Errorf("dry run report %+v", dry)
	}
	real, err := Load(ctx, dstSess, snap, LoadOptions{Create: CreateOptions{MaxBatchBytes: 300}})
	if err != nil {
		t.Fatal(err)
	}
	if real.Created != dry.Created || real.Batches != dry.Batches || real.ACLsSet != dry.ACLsSet ||
		!slices.Equal(real.Ephemeral, dry.Ephemeral) || !slices.Equal(real.Notes, dry.Notes) {
		t.Errorf("the dry run said\n%+v\nthe load did\n%+v", dry, real)
	}
	if real.Batches < 5 {
		t.Errorf("%d batches of at most 300 bytes; want more", real.Batches)
	}
}

func TestPartialSnapshot(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	chroot, s := buildSource(t, zc)
	bobOnly := zk.DigestACL(zk.PermAll, "bob", "pw")
	bob := open(t, zc, chroot, "bob:pw")
	mustCreate(t, bob, "/secret", []byte("s"), 0, bobOnly)
	mustCreate(t, bob, "/secret/inner", []byte("i"), 0, nil)

	snap := saved(t, s) // as alice
	tr := snap.Trailer()
	var ops []string
	for _, e := range tr.Errors {
		if e.Path != "/secret" || !strings.Contains(e.Error, "not authenticated") {
			t.Errorf("error %+v", e)
		}
		ops = append(ops, e.Op)
	}
	if !tr.Partial() || !slices.Equal(ops, []string{OpGet, OpGetACL, OpList}) {
		t.Errorf("trailer %+v", tr)
	}
	if n, ok := snap.Node("/secret"); !ok || n.Stat.Czxid != 0 {
		t.Errorf("/secret: %+v; want it present, stat unknown", n)
	}
	if _, _, err := snap.Get(ctx, "/secret"); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("Get(/secret) on the snapshot: %v; want NoAuth as live", err)
	}

	rep, err := Load(ctx, open(t, zc, freshChroot(t), alice), snap, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Skipped, []string{"/secret"}) || rep.Created != len(snap.Nodes())-2 {
		t.Errorf("load of a partial snapshot: %+v", rep)
	}
}

func TestLoadIntoRootWithoutChroot(t *testing.T) {
	zc := zktest.NewStandalone(t)
	ctx := context.Background()
	src := open(t, zktest.Standalone(t), freshChroot(t))
	mustCreate(t, open(t, zktest.Standalone(t), ""), src.Chroot(), []byte("not applied"), 0, nil)
	mustCreate(t, src, "/brokers", nil, 0, nil)
	mustCreate(t, src, "/brokers/topics", []byte("t"), 0, nil)
	snap := saved(t, src)

	root := open(t, zc, "")
	rep, err := Load(ctx, root, snap, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ChrootAction != ChrootNone || rep.Root != RootSkipped || rep.Created != 2 {
		t.Errorf("report %+v", rep)
	}
	back := saved(t, root)
	var paths []string
	for _, n := range back.Nodes() {
		paths = append(paths, n.Path)
	}
	if !slices.Equal(paths, []string{"/", "/brokers", "/brokers/topics"}) {
		t.Errorf("saved without a chroot: %v; want /zookeeper left out", paths)
	}
	if _, err := Load(ctx, root, snap, LoadOptions{}); !errors.Is(err, ErrTargetNotEmpty) {
		t.Errorf("second load: %v", err)
	}
}

func TestCreateErrors(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	sess := open(t, zc, freshChroot(t))
	mustCreate(t, sess.Root(), sess.Chroot(), nil, 0, nil)
	big := make([]byte, 1<<20)
	tests := []struct {
		name  string
		nodes []Node
		want  string
		is    error
	}{
		{"missing parent", []Node{{Path: "/a"}, {Path: "/b/c"}}, "create " + sess.Chroot() + "/b/c: its parent does not exist", zk.ErrNoNode},
		{"missing parent after good ops in a batch", []Node{{Path: "/p"}, {Path: "/p/1"}, {Path: "/p/2"}, {Path: "/q/bad"}, {Path: "/r"}},
			"create " + sess.Chroot() + "/q/bad: its parent does not exist", zk.ErrNoNode},
		{"too big", []Node{{Path: "/big", Data: big}}, "more than ZooKeeper takes in one request", nil},
		{"bad path", []Node{{Path: "/a/"}}, "must not end with /", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Create(ctx, sess, tt.nodes, CreateOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got %v; want %q", err, tt.want)
			}
		})
	}
	// An ACL scheme this server has no provider for: the node is created
	// open and the refusal reported.
	rep, err := Create(ctx, sess, []Node{{Path: "/odd", ACL: []zk.ACL{{Perms: zk.PermAll, Scheme: "nosuch", ID: "x"}}}}, CreateOptions{})
	if err != nil || rep.Created != 1 || len(rep.ACLErrors) != 1 || rep.ACLErrors[0].Path != "/odd" {
		t.Errorf("odd scheme: %+v, %v", rep, err)
	}
	// A retried batch that had landed: the nodes exist and are counted so.
	rep, err = Create(ctx, sess, []Node{{Path: "/odd"}, {Path: "/new"}}, CreateOptions{})
	if err != nil || rep.Created != 1 || rep.Existed != 1 {
		t.Errorf("existing node: %+v, %v", rep, err)
	}
}

// kafkaLike generates a Kafka-shaped tree: topics with partitions and
// their state znodes, about 52 nodes per topic.
func kafkaLike(topics, partitions int) []Node {
	nodes := []Node{{Path: "/brokers"}, {Path: "/brokers/topics"}}
	for i := range topics {
		tp := fmt.Sprintf("/brokers/topics/topic-%05d", i)
		nodes = append(nodes,
			Node{Path: tp, Data: []byte(fmt.Sprintf(`{"version":3,"topic_id":"AAAAAAAAAAAAAAAAAAA%03d","partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{}}`, i%1000))},
			Node{Path: tp + "/partitions"})
		for p := range partitions {
			pp := fmt.Sprintf("%s/partitions/%d", tp, p)
			nodes = append(nodes, Node{Path: pp},
				Node{Path: pp + "/state", Data: []byte(`{"controller_epoch":7,"leader":1,"version":1,"leader_epoch":12,"isr":[1,2,3]}`)})
		}
	}
	return nodes
}

// TestCreateSpeed logs how fast Create and Save are on the standalone test
// server, for 20 000 Kafka-shaped nodes.
func TestCreateSpeed(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	nodes := kafkaLike(384, 25)
	sess := open(t, zc, freshChroot(t))
	mustCreate(t, sess.Root(), sess.Chroot(), nil, 0, nil)
	rep, err := Create(ctx, sess, nodes, CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != len(nodes) {
		t.Errorf("created %d of %d", rep.Created, len(nodes))
	}
	t.Logf("Create: %d nodes in %v (%d multi requests): %.0f nodes/s", rep.Created, rep.Duration.Round(time.Millisecond),
		rep.Batches, float64(rep.Created)/rep.Duration.Seconds())

	path := filepath.Join(t.TempDir(), "s.ndjson.gz")
	srep, err := Save(ctx, sess, path, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if srep.Trailer.Nodes != len(nodes)+1 {
		t.Errorf("saved %d nodes; want %d", srep.Trailer.Nodes, len(nodes)+1)
	}
	t.Logf("Save: %d nodes in %v: %.0f nodes/s, %d bytes gzipped", srep.Trailer.Nodes, srep.Duration.Round(time.Millisecond),
		float64(srep.Trailer.Nodes)/srep.Duration.Seconds(), srep.Bytes)
}

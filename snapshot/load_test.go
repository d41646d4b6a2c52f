package snapshot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
)

func TestCreateErrors(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	sess := zktest.Open(t, zc, zktest.FreshChroot(t))
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
	sess := zktest.Open(t, zc, zktest.FreshChroot(t))
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

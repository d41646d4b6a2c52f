package diff

import (
	"context"
	"crypto/sha256"
	"reflect"
	"slices"
	"testing"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/snapshot"
)

// snapshotOf makes an in-memory snapshot of generated nodes.
func snapshotOf(t *testing.T, nodes []snapshot.Node) *snapshot.Snapshot {
	t.Helper()
	s, err := fakecluster.Snapshot(nodes)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readSide(t *testing.T, s *snapshot.Snapshot) *Side {
	t.Helper()
	side, err := Read(context.Background(), s, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return side
}

// The demo cluster's planted faults include a znode Kafka cannot decode: it
// is compared by its data, not counted as unreadable.
func TestReadDemoCluster(t *testing.T) {
	nodes := fakecluster.Generate(fakecluster.Demo())
	a := readSide(t, snapshotOf(t, nodes))
	if len(a.Model.Errors) == 0 || len(a.undecodable) != len(a.Model.Errors) || len(a.Unreadable) != 0 {
		t.Fatalf("errors %+v, undecodable %d, unreadable %+v", a.Model.Errors, len(a.undecodable), a.Unreadable)
	}
	if d := Compare(a, readSide(t, snapshotOf(t, nodes))); len(d) != 0 {
		t.Errorf("the demo cluster differs from itself: %q", summary(d))
	}

	changed := slices.Clone(nodes)
	for i, n := range changed {
		if n.Path == "/config/changes/config_change_manual" {
			changed[i].Data = []byte("garbage")
		}
	}
	changed = append(changed, snapshot.Node{Path: "/brokers/ids/9", Data: []byte(`{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"features":{}}`)})
	want := []string{"broker-joined broker 9 /brokers/ids/9",
		"undecodable-data-changed /config/changes/config_change_manual /config/changes/config_change_manual"}
	if got := summary(Compare(a, readSide(t, snapshotOf(t, changed)))); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

// Take of a tree (here, a snapshot read as a live source) holds the same
// znodes.
func TestTake(t *testing.T) {
	src := snapshotOf(t, fakecluster.Generate(fakecluster.Demo()))
	got, err := snapshot.Take(context.Background(), src, snapshot.SaveOptions{MaxInFlight: 8})
	if err != nil {
		t.Fatal(err)
	}
	if d := CompareNodes(src.Nodes(), got.Nodes(), false); len(d) != 0 || len(got.Nodes()) != len(src.Nodes()) {
		t.Errorf("capture differs: %d nodes for %d: %q", len(got.Nodes()), len(src.Nodes()), summary(d))
	}
	if got.Servers()[0] != "zk:2181" {
		t.Errorf("source %v", got.Servers())
	}
}

// NewSide makes a side of a model built by hand. raw holds the data of the
// znodes in m.Errors that were read but failed to decode; the other errors
// count as unreadable.
func NewSide(m *cluster.Model, raw map[string][]byte) *Side {
	digests := map[string][sha256.Size]byte{}
	for path, data := range raw {
		digests[path] = sha256.Sum256(data)
	}
	return newSide(m, digests)
}

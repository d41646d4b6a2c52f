package cluster

import (
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// /migration without data: Kafka's decode throws (an error with rejects),
// and the model still has the node for check's empty-migration-znode.
func TestBuildMigrationWithoutData(t *testing.T) {
	for _, data := range [][]byte{nil, {}} {
		b := newBuilder()
		b.Node(zkpaths.Migration, data, &zk.Stat{Version: 3})
		if g := b.m.Migration; g == nil || g.MigrationState == nil || !g.NullData || g.ZkVersion != 3 {
			t.Errorf("%q: migration %+v, want NullData", data, g)
		}
		if len(b.m.Errors) != 1 || b.m.Errors[0].Path != zkpaths.Migration || b.m.Errors[0].KafkaBehavior != string(zkpaths.KafkaRejects) {
			t.Errorf("%q: errors %+v, want one rejects entry for /migration", data, b.m.Errors)
		}
	}
}

package features

import (
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
)

// describe shows the level Kafka uses (maxValue.toShort), and for a node
// FeatureZNode.decode throws on, both what brokers do and that the
// controller resigns.
func TestDescribeAsKafkaReadsIt(t *testing.T) {
	d := Describe([]byte(`{"version":2,"status":1,"features":{"f":{"max_version_level":70000}}}`), &zk.Stat{Version: 4})
	f := d.Features["f"]
	if d.State != StateEnabled || f.MaxVersionLevel != 4464 || f.WrittenMaxVersionLevel == nil || *f.WrittenMaxVersionLevel != 70000 {
		t.Errorf("got %+v, want level 4464 written as 70000", d)
	}
	for _, data := range []string{`{"version":0,"status":1,"features":{}}`, `{"version":1,"status":1,"features":{"f":{"min_version_level":0,"max_version_level":1}}}`, `{"version":1,"status":"1","features":{}}`} {
		d := Describe([]byte(data), &zk.Stat{Version: 1})
		all := strings.Join(d.Warnings, "; ")
		if d.State != StateMalformed || !strings.Contains(all, "Kafka rejects it") || !strings.Contains(all, "every newly elected controller resigns") || !strings.Contains(all, "brokers") {
			t.Errorf("%s: %+v", data, d)
		}
	}
}

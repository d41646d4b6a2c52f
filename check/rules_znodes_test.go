package check

import (
	"strings"
	"testing"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// A child of /isr_change_notification or /log_dir_event_notification too
// short for Kafka's sequenceNumber is an error that says controller
// failover fails, and the hint is to delete it.
func TestShortControllerNotificationName(t *testing.T) {
	for _, p := range []string{"/isr_change_notification/x", "/log_dir_event_notification/0000000001"} {
		i := strings.LastIndexByte(p, '/')
		_, err := zkpaths.CheckSequenceName(p[:i], p[i+1:])
		de, ok := err.(*zkpaths.DecodeError)
		if !ok || de.KafkaBehavior != zkpaths.KafkaRejects {
			t.Fatalf("%s: %v, want rejects", p, err)
		}
		m, acls := healthyModel()
		m.Errors = append(m.Errors, cluster.ZnodeError{Path: p, Error: de.Reason, KafkaBehavior: string(de.KafkaBehavior)})
		s := DefaultSettings()
		s.Now = now
		var found bool
		for _, f := range Evaluate(Input{Model: m, ACLs: acls, Settings: s}, Catalogue()) {
			if f.Rule != "malformed-znode" || f.Path != p {
				continue
			}
			found = true
			if f.Severity != Error || !strings.Contains(f.Message, "controller failover fails") || !strings.HasPrefix(f.Hint, "Delete "+p) {
				t.Errorf("%s: %+v", p, f)
			}
		}
		if !found {
			t.Errorf("%s: no malformed-znode finding", p)
		}
	}
}

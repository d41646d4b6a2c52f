package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

// Issue 17 §1 and §2 end to end on a real ZooKeeper: on the demo with
// every kind of state Kafka never writes planted (fakecluster.Hostile),
// no such partition is "ok" in dump, and dump's problems for each
// partition are exactly check's partition findings.
func TestDumpAndCheckAgreeOnHostileClusterLive(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := zc.Connect() + zktest.FreshChroot(t)
	target, _ := zksession.ParseConnect(connect)
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	if err := fakecluster.Load(context.Background(), sess, fakecluster.Hostile(fakecluster.Generate(healthyDemo())), fakecluster.CreateEphemerals()); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "-o", "json", "-z", connect, "dump")
	if code != ExitOK {
		t.Fatalf("dump: exit %d %s", code, stderr)
	}
	var m cluster.Model
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	r := checkRun(t, ExitFindings, "-z", connect)
	partitionRules := []string{"offline-partition", "under-replicated-partition", "under-min-isr", "leader-not-in-isr",
		"missing-partition-state", "orphan-partition-state", "invalid-replica-list", "isr-outside-replicas",
		"invalid-partition-epoch", "leader-registration-malformed", "partition-number-gap"}
	found := map[string][]string{}
	for _, f := range r.Findings {
		if slices.Contains(partitionRules, f.Rule) {
			found[f.Subject] = append(found[f.Subject], f.Rule)
		}
	}
	bad := 0
	for _, tp := range m.Topics {
		for _, p := range tp.Partitions {
			subject := fmt.Sprintf("%s-%d", tp.Name, p.Partition)
			var want []string
			for _, rule := range p.Problems {
				if slices.Contains(partitionRules, rule) {
					want = append(want, rule)
				}
			}
			got := found[subject]
			sort.Strings(want)
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: dump %q (%q), check %q", subject, p.Status, want, got)
			}
			if len(p.Problems) > 0 {
				bad++
			}
		}
	}
	if bad < 8 {
		t.Errorf("only %d partitions with problems on the hostile demo", bad)
	}
}

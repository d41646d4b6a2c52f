package check

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
)

// partitionSubjectRules report one finding per partition, with the
// partition as subject.
var partitionSubjectRules = []string{
	cluster.RuleOfflinePartition, cluster.RuleUnderReplicated, cluster.RuleUnderMinISR, cluster.RuleLeaderNotInISR,
	cluster.RuleMissingPartitionState, cluster.RuleOrphanPartitionState, cluster.RuleInvalidReplicaList,
	cluster.RuleISROutsideReplicas, cluster.RuleInvalidPartitionEpoch, cluster.RuleLeaderRegistrationBroke,
	cluster.RulePartitionNumbering,
}

// Issue 17 §2: dump's status (the model's Status/Problems, as dump prints
// them) and check's findings come from one health computation and agree on
// every partition of every generated and hostile cluster.
func TestDumpAndCheckAgreeOnHealth(t *testing.T) {
	rules, _ := Select(nil, nil, false)
	for name, nodes := range fakecluster.Variants() {
		t.Run(name, func(t *testing.T) {
			snap, err := fakecluster.Snapshot(nodes)
			if err != nil {
				t.Fatal(err)
			}
			m, err := cluster.Read(context.Background(), snap, cluster.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := DefaultSettings()
			s.Now = snap.Created()
			findings := Evaluate(Input{Model: m, Settings: s}, rules)
			byRule := map[string]bool{}
			bySubject := map[string][]string{}
			for _, f := range findings {
				byRule[f.Rule] = true
				if slices.Contains(partitionSubjectRules, f.Rule) {
					bySubject[f.Subject] = append(bySubject[f.Subject], f.Rule)
				}
			}
			problems := 0
			for _, tp := range m.Topics {
				for _, p := range tp.Partitions {
					subject := topicPartition(tp.Name, p.Partition)
					var want []string
					for _, r := range p.Problems {
						switch {
						case slices.Contains(partitionSubjectRules, r):
							want = append(want, r)
						case r == cluster.RuleUnreadableZnode:
						case !byRule[r]:
							t.Errorf("%s: dump says %s (%s), check has no %s finding", subject, p.Status, r, r)
						}
					}
					got := bySubject[subject]
					sort.Strings(want)
					sort.Strings(got)
					if !slices.Equal(got, want) {
						t.Errorf("%s: dump says %q (problems %q), check says %q", subject, p.Status, want, got)
					}
					if len(p.Problems) > 0 && p.Status == "ok" || p.Status == "" || p.Severe && len(p.Problems) == 0 {
						t.Errorf("%s: status %q with problems %q", subject, p.Status, p.Problems)
					}
					if len(p.Problems) > 0 {
						problems++
					}
				}
			}
			t.Logf("%d partitions, %d with problems, by rule %v", m.Health.Partitions, problems, m.Health.ByRule)
			if m.Health == nil || m.Health.WithProblems != problems {
				t.Errorf("health summary %+v; %d partitions with problems", m.Health, problems)
			}
			if name == "demo-healthy" && problems != 0 {
				t.Errorf("the healthy demo has %d partitions with problems", problems)
			}
			if len(name) > 8 && name[len(name)-8:] == "-hostile" && problems == 0 {
				t.Errorf("no problem found on a hostile cluster")
			}
		})
	}
}

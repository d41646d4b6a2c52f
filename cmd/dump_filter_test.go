package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rafka/rafka/cluster"
)

// Issue 13 §2, as the README's tour runs it on the demo: --section,
// --topic and --broker hide rows, never change a partition's status, and
// say what they hid; an unregistered --broker is said to be.
func TestDumpFiltersNeverChangeVerdicts(t *testing.T) {
	const demo = "../testdata/demo/cluster.snapshot.gz"
	decode := func(args ...string) *cluster.Model {
		t.Helper()
		out, stderr, code := run(t, append([]string{"--snapshot", demo, "-o", "json", "dump"}, args...)...)
		if code != ExitOK {
			t.Fatalf("dump %v: exit %d %s", args, code, stderr)
		}
		var m cluster.Model
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	whole := decode()
	status := map[string]string{}
	for _, tp := range whole.Topics {
		for _, p := range tp.Partitions {
			status[fmt.Sprintf("%s-%d", tp.Name, p.Partition)] = p.Status
		}
	}
	for _, args := range [][]string{
		{"--section", "topics"}, {"--section", "topics", "--topic", "^orders$"}, {"--broker", "1"},
		{"--broker", "5"}, {"--section", "topics", "--broker", "2", "--topic", "s"},
	} {
		m := decode(args...)
		for _, tp := range m.Topics {
			for _, p := range tp.Partitions {
				key := fmt.Sprintf("%s-%d", tp.Name, p.Partition)
				if p.Status != status[key] {
					t.Errorf("dump %v: %s is %q; unfiltered %q", args, key, p.Status, status[key])
				}
			}
		}
		if m.Health == nil || m.Health.Partitions != whole.Health.Partitions || m.Health.WithProblems != whole.Health.WithProblems {
			t.Errorf("dump %v: counts %+v; the cluster's %+v", args, m.Health, whole.Health)
		}
	}
	if m := decode("--broker", "5"); m.Hidden == nil || !m.Hidden.BrokerNotRegistered {
		t.Errorf("--broker 5: hidden %+v", m.Hidden)
	}
	table, _, _ := run(t, "--snapshot", demo, "dump", "--broker", "5", "--no-color")
	if !strings.Contains(table, "broker 5 (--broker) is not registered") || !strings.Contains(table, "hidden") {
		t.Errorf("--broker 5 table does not say the broker is not registered, or what it hid:\n%s", table)
	}
	table, _, _ = run(t, "--snapshot", demo, "dump", "--section", "topics", "--topic", "^orders$", "--no-color")
	if strings.Contains(table, "offline") || !strings.Contains(table, "5 topics, 15 partitions (5 with problems) hidden by the filters") {
		t.Errorf("--topic ^orders$:\n%s", table)
	}
}

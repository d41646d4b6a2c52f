package check

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/snapshot"
)

// Hostile shapes of issue 17 §4, each on top of the healthy demo: n is the
// size of the hostile part.
var hostileShapes = []struct {
	name  string
	nodes func(n int) []snapshot.Node
}{
	{"one-topic-n-partitions", func(n int) []snapshot.Node {
		parts := map[string][]int{}
		out := []snapshot.Node{}
		for p := range n {
			parts[fmt.Sprint(p)] = []int{p%4 + 1, (p+1)%4 + 1, (p+2)%4 + 1}
		}
		a, _ := json.Marshal(map[string]any{"version": 3, "topic_id": "AAAAAAAAAAAAAAAAAAAAAQ", "partitions": parts, "adding_replicas": map[string]any{}, "removing_replicas": map[string]any{}})
		out = append(out, snapshot.Node{Path: "/brokers/topics/big", Data: a}, snapshot.Node{Path: "/brokers/topics/big/partitions"})
		for p := range n {
			r := parts[fmt.Sprint(p)]
			s, _ := json.Marshal(map[string]any{"controller_epoch": 1, "leader": r[0], "version": 1, "leader_epoch": 0, "isr": r})
			out = append(out, snapshot.Node{Path: fmt.Sprintf("/brokers/topics/big/partitions/%d", p)},
				snapshot.Node{Path: fmt.Sprintf("/brokers/topics/big/partitions/%d/state", p), Data: s})
		}
		return out
	}},
	{"n-config-change-notifications", func(n int) []snapshot.Node {
		out := []snapshot.Node{}
		for i := range n {
			out = append(out, snapshot.Node{Path: fmt.Sprintf("/config/changes/config_change_%010d", 1000+i),
				Data: []byte(`{"version":2,"entity_path":"topics/orders"}`)})
		}
		return out
	}},
	{"n-acls-on-one-resource", func(n int) []snapshot.Node {
		acls := make([]map[string]string, n)
		for i := range acls {
			acls[i] = map[string]string{"principal": fmt.Sprintf("User:u%d", i), "permissionType": "Allow", "operation": "Read", "host": "*"}
		}
		data, _ := json.Marshal(map[string]any{"version": 1, "acls": acls})
		return []snapshot.Node{{Path: "/kafka-acl/Topic/hostile", Data: data}}
	}},
	{"n-orphan-partitions", func(n int) []snapshot.Node {
		out := []snapshot.Node{
			{Path: "/brokers/topics/ghost", Data: []byte(`{"version":3,"partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{}}`)},
			{Path: "/brokers/topics/ghost/partitions"},
		}
		for p := range n + 1 {
			out = append(out, snapshot.Node{Path: fmt.Sprintf("/brokers/topics/ghost/partitions/%d", p)},
				snapshot.Node{Path: fmt.Sprintf("/brokers/topics/ghost/partitions/%d/state", p),
					Data: []byte(`{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2,3]}`)})
		}
		return out
	}},
}

func hostileSnapshot(tb testing.TB, extra []snapshot.Node) *snapshot.Snapshot {
	tb.Helper()
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	s, err := fakecluster.Snapshot(append(fakecluster.Generate(spec), extra...))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// best runs f a few times and returns its fastest run.
func best(runs int, f func()) time.Duration {
	d := time.Duration(1 << 62)
	for range runs {
		start := time.Now()
		f()
		d = min(d, time.Since(start))
	}
	return d
}

// BenchmarkHostileShapes reports, for each hostile shape at 100 000 (10 000
// ACLs), what check costs over what dump costs, in memory: dump is the
// read (cluster.Read from a snapshot, the model the printer prints); check
// is the same read plus every rule but the security ones (Evaluate).
// growth-4x is the rules' cost at n over n/4: about 4 when linear.
//
//	go test ./check -run '^$' -bench HostileShapes -benchtime 1x
func BenchmarkHostileShapes(b *testing.B) {
	rules, _ := Select(nil, nil, false)
	ctx := context.Background()
	for _, shape := range hostileShapes {
		n := 100_000
		if shape.name == "n-acls-on-one-resource" {
			n = 10_000
		}
		b.Run(shape.name, func(b *testing.B) {
			cost := func(n int) (read, eval time.Duration) {
				src := hostileSnapshot(b, shape.nodes(n))
				var m *cluster.Model
				read = best(3, func() {
					var err error
					if m, err = cluster.Read(ctx, src, cluster.Options{}); err != nil {
						b.Fatal(err)
					}
				})
				s := DefaultSettings()
				s.Now = src.Created()
				eval = best(3, func() { Evaluate(Input{Model: m, Settings: s}, rules) })
				return read, eval
			}
			for range b.N {
				read, eval := cost(n)
				_, small := cost(n / 4)
				b.ReportMetric(float64(read+eval)/float64(read), "check/dump")
				b.ReportMetric(float64(eval)/float64(small), "growth-4x")
				b.ReportMetric(float64(read.Milliseconds()), "dump-ms")
				b.ReportMetric(float64(eval.Milliseconds()), "rules-ms")
				b.Logf("%s (n=%d): dump (read) %s, rules %s, check/dump %.2f; rules at n/4 %s (growth %.1f×)",
					shape.name, n, read.Round(time.Millisecond), eval.Round(time.Millisecond),
					float64(read+eval)/float64(read), small.Round(time.Millisecond), float64(eval)/float64(small))
			}
		})
	}
}

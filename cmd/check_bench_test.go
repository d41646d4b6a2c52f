package cmd

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// BenchmarkCheckOverDumpOnRealZooKeeper runs `rafka check` and `rafka dump`
// (-o json) on a real ZooKeeper holding the demo plus 20 000 partition
// znodes no assignment names (the shape that made check quadratic, issue
// 17 §4), and reports check's time over dump's.
//
//	go test ./cmd -run '^$' -bench CheckOverDump -benchtime 1x
func BenchmarkCheckOverDumpOnRealZooKeeper(b *testing.B) {
	const n = 20_000
	zc := zktest.Standalone(b)
	spec := healthyDemo()
	nodes := fakecluster.Generate(spec)
	nodes = append(nodes,
		snapshot.Node{Path: "/brokers/topics/ghost", Data: []byte(`{"version":3,"partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{}}`)},
		snapshot.Node{Path: "/brokers/topics/ghost/partitions"})
	for p := range n + 1 {
		nodes = append(nodes, snapshot.Node{Path: fmt.Sprintf("/brokers/topics/ghost/partitions/%d", p)},
			snapshot.Node{Path: fmt.Sprintf("/brokers/topics/ghost/partitions/%d/state", p),
				Data: []byte(`{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2,3]}`)})
	}
	connect := zc.Connect() + zktest.FreshChroot(b)
	target, _ := zksession.ParseConnect(connect)
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 60 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	if err := fakecluster.Load(context.Background(), sess, nodes, fakecluster.CreateEphemerals()); err != nil {
		b.Fatal(err)
	}
	timed := func(args ...string) time.Duration {
		d := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			if _, stderr, code := run(b, append([]string{"-o", "json", "-z", connect}, args...)...); code > ExitFindings {
				b.Fatalf("%v: exit %d %s", args, code, stderr)
			}
			d = min(d, time.Since(start))
		}
		return d
	}
	b.ResetTimer()
	for range b.N {
		dump, check := timed("dump"), timed("check")
		b.ReportMetric(float64(check)/float64(dump), "check/dump")
		b.Logf("%d orphan partitions on real ZooKeeper: dump %s, check %s (%.2f×)", n, dump.Round(time.Millisecond), check.Round(time.Millisecond), float64(check)/float64(dump))
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// The ensemble's leader dies while dump reads: the session moves to a
// surviving member and the result is the same as without the failure.
func TestDumpSurvivesLeaderKilledMidRead(t *testing.T) {
	if testing.Short() {
		t.Skip("ensemble")
	}
	zc := zktest.NewEnsemble(t)
	connect := loadSpec(t, zc, fakecluster.Bench(300)) // ~7 000 znodes
	before := dumpJSON(t, ExitOK, "-z", connect)

	leader := -1
	for i, s := range zc.Servers {
		if mode, err := zktest.ServerMode(s); err == nil && strings.Contains(mode, "leader") {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatal("no leader found")
	}
	done := make(chan struct{})
	var out, stderr string
	var code int
	go func() {
		defer close(done)
		// A small in-flight bound keeps the read going while the leader dies.
		out, stderr, code = run(t, "-o", "json", "--timeout", "30s", "dump", "-z", connect, "--max-in-flight", "4")
	}()
	time.Sleep(150 * time.Millisecond)
	if err := zc.Kill(leader); err != nil {
		t.Fatal(err)
	}
	<-done
	if code != ExitOK {
		t.Fatalf("dump across the leader's death: exit %d: %s", code, stderr)
	}
	var after cluster.Model
	if err := json.Unmarshal([]byte(out), &after); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, &after) {
		t.Error("the dump read across the leader's death differs from the one before")
	}
}

// Listing a parent whose children take more than 1 MB (50 000 topics) works:
// ZooKeeper's Java client would need jute.maxbuffer raised for it.
func TestDumpFiftyThousandTopics(t *testing.T) {
	if testing.Short() {
		t.Skip("50 000 topics")
	}
	zc := zktest.Standalone(t)
	connect := zc.Connect() + zktest.FreshChroot(t)
	target, _ := zksession.ParseConnect(connect)
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	const topics = 50000
	nodes := []snapshot.Node{{Path: "/brokers"}, {Path: "/brokers/topics"}}
	for i := range topics {
		// 24-character names: 50 000 of them are about 1.4 MB in one reply.
		nodes = append(nodes, snapshot.Node{Path: fmt.Sprintf("/brokers/topics/topic-with-long-name-%05d", i), Data: []byte(`{"version":3,"partitions":{}}`)})
	}
	start := time.Now()
	if err := fakecluster.Load(context.Background(), sess, nodes); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d topics in %s", topics, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	m := dumpJSON(t, ExitOK, "-z", connect, "--section", "topics", "--timeout", "60s")
	t.Logf("dumped them in %s", time.Since(start).Round(time.Millisecond))
	if len(m.Topics) != topics {
		t.Errorf("%d topics; want %d", len(m.Topics), topics)
	}
}

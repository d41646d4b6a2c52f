package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/snapshot"
)

func treeOf(t *testing.T, paths ...string) *snapshot.Snapshot {
	t.Helper()
	seen := map[string]bool{}
	var nodes []snapshot.Node
	for _, p := range paths {
		parts := strings.Split(p[1:], "/")
		for i := range parts {
			q := "/" + strings.Join(parts[:i+1], "/")
			if !seen[q] {
				seen[q] = true
				nodes = append(nodes, snapshot.Node{Path: q})
			}
		}
	}
	s, err := fakecluster.Snapshot(nodes)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFindKafkaTreesIsBounded(t *testing.T) {
	s := treeOf(t, "/zookeeper/quota", "/kafka/brokers/ids", "/b/brokers", "/team/prod/controller_epoch",
		"/deep/a/b/brokers", "/app/config/x")
	found, truncated, ok := FindKafkaTrees(context.Background(), s)
	if !ok || truncated || !slices.Equal(found, []string{"/b", "/kafka", "/team/prod"}) {
		t.Errorf("found %q truncated %v ok %v", found, truncated, ok)
	}
	// A root with more children than the bound: the scan stops and says so.
	var many []string
	for i := range ScanMaxListings + 10 {
		many = append(many, fmt.Sprintf("/c%04d/x", i))
	}
	if _, truncated, ok := FindKafkaTrees(context.Background(), treeOf(t, many...)); !ok || !truncated {
		t.Errorf("the scan of %d chroots was not bounded: truncated %v", len(many), truncated)
	}
}

func TestRequireKafkaTree(t *testing.T) {
	s := treeOf(t, "/kafka/brokers/ids", "/empty")
	ctx := context.Background()
	for _, tc := range []struct {
		chroot  string
		src     *snapshot.Snapshot
		missing bool
	}{
		{"/kafak", treeOf(t, "/x"), false}, // a snapshot of a tree that is not Kafka's
	} {
		err := RequireKafkaTree(ctx, tc.src, tc.chroot, s, "zk:2181")
		var nk *NoKafkaTreeError
		if !errors.As(err, &nk) || !errors.Is(err, ErrNoKafkaTree) || nk.Missing != tc.missing ||
			!strings.Contains(err.Error(), "did you mean /kafka?") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", tc.chroot, err)
		}
	}
	if err := RequireKafkaTree(ctx, treeOf(t, "/brokers/ids"), "/kafka", nil, ""); err != nil {
		t.Errorf("a Kafka tree: %v", err)
	}
}

// TestDidYouMeanIsOneShortLine: a server with many Kafka chroots gets the
// nearest three suggested, not hundreds.
func TestDidYouMeanIsOneShortLine(t *testing.T) {
	var many []string
	for i := range 200 {
		many = append(many, fmt.Sprintf("/team-%03d", i))
	}
	many = append(many, "/kafka")
	e := &NoKafkaTreeError{Chroot: "/kafak", Missing: true, Candidates: many, Scanned: true}
	msg := e.Error()
	if !strings.Contains(msg, "did you mean /kafka or ") || !strings.Contains(msg, "(198 more chroots hold one)") || len(msg) > 200 {
		t.Errorf("message %q", msg)
	}
}

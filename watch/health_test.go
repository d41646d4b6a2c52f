package watch

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
)

// still is a snapshot as a live source where nothing ever changes.
type still struct{ *snapshot.Snapshot }

func (s still) Exists(ctx context.Context, path string) (bool, *zk.Stat, error) {
	_, st, err := s.Get(ctx, path)
	if errors.Is(err, zk.ErrNoNode) {
		return false, nil, nil
	}
	return err == nil, st, err
}
func (s still) GetAndWatch(ctx context.Context, path string) ([]byte, *zk.Stat, error) {
	return s.Get(ctx, path)
}
func (s still) ChildrenAndWatch(ctx context.Context, path string) ([]string, *zk.Stat, error) {
	return s.Children(ctx, path)
}
func (s still) ExistsAndWatch(ctx context.Context, path string) (bool, *zk.Stat, error) {
	return s.Exists(ctx, path)
}
func (s still) OnEvent(func(zk.Event)) {}
func (s still) SessionID() int64       { return 1 }

// Issue 17 §2: watch judges partitions with the health computation dump
// and check use: on its synced view of every generated and hostile
// cluster, its verdict on each partition is dump's (check's agreement with
// dump is check.TestDumpAndCheckAgreeOnHealth). min.insync.replicas comes
// from configs the watch has read: the generated clusters set none that
// changes a verdict.
func TestWatchAgreesWithDumpOnHealth(t *testing.T) {
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
			w := NewWatcher(Options{}, func(e Event) error {
				if e.Event == EventSynced {
					return pipeline.ErrStop
				}
				return nil
			})
			if err := Run(context.Background(), still{snap}, w, 16); err != nil && !errors.Is(err, pipeline.ErrStop) {
				t.Fatal(err)
			}
			judged, bad := 0, 0
			for _, tp := range m.Topics {
				for _, p := range tp.Partitions {
					n := w.nodes[fmt.Sprintf("/brokers/topics/%s/partitions/%d/state", tp.Name, p.Partition)]
					v, ok := (*PartitionView)(nil), false
					if n != nil {
						v, ok = n.value.(*PartitionView)
					}
					if !ok || v == nil {
						continue // no readable state: no partition event to judge
					}
					status, _ := w.verdict(tp.Name, p.Partition, v)
					judged++
					if status != "ok" {
						bad++
					}
					if status != p.Status {
						t.Errorf("%s-%d: watch says %q, dump says %q", tp.Name, p.Partition, status, p.Status)
					}
				}
			}
			t.Logf("%d partitions judged, %d not ok", judged, bad)
			if judged == 0 {
				t.Error("no partition judged")
			}
		})
	}
}

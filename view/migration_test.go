package view

import (
	"context"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/migration"
	"github.com/rafka/rafka/zkpaths"
)

// memTree is a tree for migration.ReadState: path → data; "" children
// lists come from the paths.
type memTree map[string]string

func (m memTree) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	d, ok := m[path]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	st := &zk.Stat{Czxid: 0x100, Mzxid: 0x100, Mtime: ts.UnixMilli(), Version: 3}
	if path == zkpaths.Controller && strings.Contains(d, `"kraftControllerEpoch":-1`) {
		st.EphemeralOwner = 0x77
	}
	return []byte(d), st, nil
}

func (m memTree) Children(_ context.Context, path string) ([]string, *zk.Stat, error) {
	var out []string
	for p := range m {
		if strings.HasPrefix(p, path+"/") && !strings.Contains(p[len(path)+1:], "/") {
			out = append(out, p[len(path)+1:])
		}
	}
	return out, &zk.Stat{}, nil
}

func migrationState(t *testing.T, tree memTree) *migration.State {
	s, err := migration.ReadState(context.Background(), tree)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var hybridTree = memTree{
	zkpaths.Controller:      `{"version":2,"brokerid":3000,"timestamp":"1733300000000","kraftControllerEpoch":5}`,
	zkpaths.ControllerEpoch: "8",
	zkpaths.Migration:       `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":4211,"kraft_metadata_epoch":5}`,
	"/brokers/ids/1":        "{}",
	"/brokers/ids/2":        "{}",
}

func TestGoldenMigrationStatus(t *testing.T) {
	s := migrationState(t, hybridTree)
	golden(t, "migration-status", func(p Printer) error { return p.MigrationStatus(migration.Classify(s, s)) })
}

func TestGoldenMigrationRollback(t *testing.T) {
	s := migrationState(t, hybridTree)
	mig := hybridTree[zkpaths.Migration]
	r := &migration.RollbackResult{SchemaVersion: 1, Source: "zk1:2181/kafka", Plan: migration.PlanRollback(s, s), MigrationBefore: &mig}
	golden(t, "migration-rollback", func(p Printer) error { return p.MigrationRollback(r) })
}

func TestGoldenMigrationPreflight(t *testing.T) {
	tree := memTree{
		zkpaths.Controller:      `{"version":2,"brokerid":1,"timestamp":"1733300000000","kraftControllerEpoch":-1}`,
		zkpaths.ControllerEpoch: "7",
		zkpaths.Migration:       `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":4211,"kraft_metadata_epoch":5}`,
		"/brokers/ids/1":        "{}",
		"/brokers/ids/1001":     "{}",
	}
	id := "Xk2PxGm8T5aZ0FkUvC9hQw"
	leader := int32(1)
	m := &cluster.Model{
		Cluster: &zkpaths.ClusterIDZNode{ID: "AbCdEfGhIjKlMnOpQrStUv"},
		Brokers: []*cluster.Broker{{BrokerID: 1, Version: 5}, {BrokerID: 1001, Version: 5}},
		Topics: []cluster.Topic{{Name: "orders\x1b[31m", TopicID: &id, Partitions: []cluster.Partition{
			{Partition: 0, Replicas: []int32{1, 1001, 7}, Leader: &leader, ISR: []int32{1}},
		}}},
		Configs: cluster.Configs{Users: map[string]map[string]string{"alice": {"SCRAM-SHA-512": "[redacted]"}}},
	}
	r := migration.Preflight(m, migrationState(t, tree), migration.PreflightOptions{Target: migration.Version{Minor: 9, Patch: migration.LatestPatch}, ControllerIDs: []int32{1001, 3000}, Chroot: "/kafka"})
	r.Source = "zk1:2181/kafka"
	golden(t, "migration-preflight", func(p Printer) error { return p.MigrationPreflight(r) })
}

func TestGoldenMigrationStatusEvents(t *testing.T) {
	s := migrationState(t, hybridTree)
	st := migration.Classify(s, nil)
	golden(t, "migration-status-events", func(p Printer) error {
		for _, e := range []migration.StatusEvent{
			{TS: ts, Event: "initial", Phase: migration.PhaseCopying},
			{TS: ts.Add(2e9), Event: "phase-changed", Phase: st.Phase, Before: migration.PhaseCopying, Status: st},
		} {
			if err := p.MigrationStatusEvent(e); err != nil {
				return err
			}
		}
		return nil
	})
}

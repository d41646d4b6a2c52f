package view

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden prints with both printers and compares each output with its file.
func golden(t *testing.T, name string, print func(Printer) error) {
	t.Helper()
	for _, format := range render.Formats {
		var out bytes.Buffer
		if err := print(New(&out, io.Discard, format, true)); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join("testdata", "golden", name+"."+string(format))
		if *update {
			if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if out.String() != string(want) {
			t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", file, out.String(), want)
		}
	}
}

var ts = time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func TestGoldenWatchEvents(t *testing.T) {
	events := []watch.Event{
		{TS: ts, Kind: watch.KindSession, Event: watch.EventSynced, Znodes: 120, Watches: 40, Detail: "initial view read"},
		{TS: ts.Add(time.Second), Kind: watch.KindBrokers, Event: watch.EventUnregistered, Path: "/brokers/ids/3", Broker: ptr(int32(3))},
		{TS: ts.Add(2 * time.Second), Kind: watch.KindPartitions, Event: watch.EventISRShrank, Path: "/brokers/topics/orders/partitions/0/state",
			Topic: "orders", Partition: ptr(int32(0)), Before: []int32{1, 2, 3}, After: []int32{1, 2}, Removed: []int32{3}, Version: ptr(int32(4))},
		{TS: ts.Add(3 * time.Second), Kind: watch.KindSession, Event: watch.EventDisconnected, Detail: "connection to ZooKeeper lost; reconnecting"},
		{TS: ts.Add(4 * time.Second), Kind: watch.KindSession, Event: watch.EventResynced, GapSeconds: ptr(1.5), Znodes: 120, Watches: 40},
	}
	golden(t, "watch-events", func(p Printer) error {
		for _, e := range events {
			if err := p.WatchEvent(e); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestGoldenFeatureEvents(t *testing.T) {
	feats := map[string]zkpaths.FinalizedFeature{"metadata.version": {MaxVersionLevel: 21}}
	events := []features.Event{
		{TS: ts, Event: features.EventInitial, State: features.StateEnabled, Epoch: ptr(int32(3)), Version: ptr(int32(2)), Features: feats},
		{TS: ts.Add(time.Second), Event: features.EventUpdated, State: features.StateEnabled, Epoch: ptr(int32(6)), Features: feats, SkippedEpochs: 2},
		{TS: ts.Add(2 * time.Second), Event: features.EventEpochRegressed, State: features.StateEnabled, Epoch: ptr(int32(1)), Features: feats,
			Warnings: []string{"the epoch went back from 6 to 1: running brokers exit"}},
		{TS: ts.Add(3 * time.Second), Event: features.EventResynced, State: features.StateAbsent, GapSeconds: ptr(2.25), Detail: "re-read after an outage"},
	}
	golden(t, "feature-events", func(p Printer) error {
		for _, e := range events {
			if err := p.FeatureEvent(e); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestGoldenSnapshotSave(t *testing.T) {
	src := snapshot.Origin{Servers: []string{"zk1:2181", "zk2:2181"}, Chroot: "/kafka"}
	golden(t, "snapshot-save", func(p Printer) error {
		return p.SnapshotSave(&SnapshotSave{File: "prod.snapshot.gz", Source: src, Nodes: 1234, Vanished: 2, Bytes: 3 << 20, Seconds: 1.234,
			Partial: true, Errors: []snapshot.NodeError{{Path: "/config/users/alice", Op: snapshot.OpGet, Error: "zk: not authenticated"}}})
	})
}

func TestGoldenSnapshotLoad(t *testing.T) {
	res := &SnapshotLoad{
		Snapshot: SnapshotInfo{File: "prod.snapshot.gz", Created: ts, Source: snapshot.Origin{Servers: []string{"zk1:2181"}, Chroot: "/kafka"}, Nodes: 126},
		Target:   "127.0.0.1:2181/lab",
		LoadReport: snapshot.LoadReport{Chroot: "/lab", ChrootAction: snapshot.ChrootCreated, Root: snapshot.RootRestored,
			CreateReport: snapshot.CreateReport{Created: 124, Existed: 1, Batches: 3, ACLsSet: 2,
				Ephemeral: []string{"/brokers/ids/1", "/controller"}, Skipped: []string{"/config/users/alice"},
				ACLErrors: []snapshot.NodeError{{Path: "/x", Op: "set-acl", Error: "zk: invalid ACL specified"}}},
			SequenceParents: []snapshot.SequenceParent{}, Notes: []string{"sequence counters cannot be restored"}},
		Seconds: 0.5,
		Owners:  map[string]int64{"/brokers/ids/1": 0x1000, "/controller": 0x1000},
	}
	golden(t, "snapshot-load", func(p Printer) error { return p.SnapshotLoad(res) })
	dry := *res
	dry.DryRun, dry.ChrootAction, dry.Ephemeral, dry.Skipped, dry.ACLErrors = true, snapshot.ChrootWouldCreate, nil, nil, nil
	golden(t, "snapshot-load-dry-run", func(p Printer) error { return p.SnapshotLoad(&dry) })
}

func TestFailure(t *testing.T) {
	for _, format := range render.Formats {
		var errOut bytes.Buffer
		f := Failure{Error: `get /brokers/ids/1: zk: not authenticated`, ExitCode: 4, Path: "/kafka/brokers/ids/1"}
		if err := New(io.Discard, &errOut, format, true).Failure(f); err != nil {
			t.Fatal(err)
		}
		want := map[render.Format]string{
			render.Table: "rafka: get /brokers/ids/1: zk: not authenticated\n",
			render.JSON:  `{"error":"get /brokers/ids/1: zk: not authenticated","exit_code":4,"path":"/kafka/brokers/ids/1"}` + "\n",
		}[format]
		if errOut.String() != want {
			t.Errorf("%s: %q, want %q", format, errOut.String(), want)
		}
	}
}

func TestGoldenSnapshotUndo(t *testing.T) {
	plan := &zkwrite.Plan{
		Steps: []zkwrite.Step{
			{Title: "undo step 2: create /brokers", Ops: []zkwrite.Op{{Kind: zkwrite.OpDelete, Path: "/brokers/ids/\x1b[2J1", Version: 0}}},
			{Title: "undo step 1: set /config", Ops: []zkwrite.Op{{Kind: zkwrite.OpDelete, Path: "/config", Version: 3}}},
		},
		Notes: []string{"/controller was an ephemeral node of session 0x1000: not re-created, its owner registers it again"},
	}
	golden(t, "snapshot-undo-plan", func(p Printer) error { return p.SnapshotUndo(NewSnapshotUndo("b.snap", plan, false)) })
	res := NewSnapshotUndo("b.snap", plan, true)
	res.Write = &zkwrite.Report{Backup: "b.snap.undo-20261126T130000Z.snap", Journal: "b.snap.undo-20261126T130000Z.snap.journal",
		SessionID: "0x1000", Steps: 2, Applied: []int{1, 2}, Skipped: []zkwrite.Skip{}, Audit: []zkwrite.Audit{}, Verified: true}
	golden(t, "snapshot-undo", func(p Printer) error { return p.SnapshotUndo(res) })
	golden(t, "snapshot-undo-empty", func(p Printer) error { return p.SnapshotUndo(NewSnapshotUndo("b.snap", &zkwrite.Plan{}, true)) })
}

package cmd

import (
	"context"
	"encoding/json"
	"github.com/rafka/rafka/factory"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zksession"
)

// kafkaTree creates a small Kafka tree under a new chroot: an ephemeral
// broker, sequential config changes, text, binary and null data.
func kafkaTree(t *testing.T, zc *zktest.Cluster) string {
	t.Helper()
	chroot := zktest.FreshChroot(t)
	root := rootSession(t, zc)
	ctx := context.Background()
	open := zk.WorldACL(zk.PermAll)
	for _, n := range []struct {
		path  string
		data  string
		flags int32
	}{
		{"", "", 0}, {"/brokers", "", 0}, {"/brokers/ids", "", 0},
		{"/brokers/ids/1", `{"version":5,"host":"b1","port":9092}`, zk.FlagEphemeral},
		{"/brokers/topics", "", 0}, {"/brokers/topics/orders", `{"version":3,"partitions":{"0":[1]}}`, 0},
		{"/config", "", 0}, {"/config/changes", "", 0},
		{"/config/changes/config_change_", `{"version":2,"entity_path":"topics/orders"}`, zk.FlagSequence},
		{"/binary", "\x00\x01\xff", 0},
	} {
		var data []byte
		if n.data != "" {
			data = []byte(n.data)
		}
		if _, err := root.Create(ctx, chroot+n.path, data, n.flags, open); err != nil {
			t.Fatalf("create %s: %v", chroot+n.path, err)
		}
	}
	// A broker has applied and purged one notification: /config/changes'
	// counter (3) is ahead of its children (1), which a load cannot restore.
	first := chroot + "/config/changes/config_change_0000000000"
	if _, err := root.Create(ctx, chroot+"/config/changes/config_change_", []byte(`{"version":2,"entity_path":"brokers/1"}`), zk.FlagSequence, open); err != nil {
		t.Fatal(err)
	}
	if _, err := root.Multi(ctx, &zk.DeleteRequest{Path: first, Version: -1}); err != nil {
		t.Fatalf("delete %s: %v", first, err)
	}
	return chroot
}

func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("rafka %v: exit %d: %s", args, code, stderr)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
}

// treeOf reads a snapshot file as paths, data and ACLs.
func treeOf(t *testing.T, file string) map[string]string {
	t.Helper()
	s, err := snapshot.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range s.Nodes() {
		data := "<null>"
		if n.Data != nil {
			data = string(n.Data)
		}
		out[n.Path] = data + " " + initpaths.FormatACL(initpaths.ACLEntries(n.ACL))
	}
	return out
}

func TestSnapshotSaveAndLoad(t *testing.T) {
	zc := zktest.Standalone(t)
	src := kafkaTree(t, zc)
	for _, name := range []string{"kafka.ndjson", "kafka.ndjson.gz"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, name)
			var saved view.SnapshotSave
			runJSON(t, &saved, "-z", zc.Connect()+src, "snapshot", "save", file, "--max-in-flight", "3")
			if saved.Nodes != 10 || saved.Partial || saved.Source.Chroot != src || saved.Bytes == 0 {
				t.Errorf("save result %+v", saved)
			}

			dst := zktest.FreshChroot(t)
			var dry view.SnapshotLoad
			runJSON(t, &dry, "-z", zc.Connect()+dst, "snapshot", "load", file, "--dry-run")
			if !dry.DryRun || dry.ChrootAction != snapshot.ChrootWouldCreate || dry.Created != 9 {
				t.Errorf("dry run %+v", dry)
			}
			if ok, _, _ := rootSession(t, zc).Exists(context.Background(), dst); ok {
				t.Fatal("the dry run created the chroot")
			}

			out, stderr, code := run(t, "-z", zc.Connect()+dst, "snapshot", "load", file)
			if code != ExitOK {
				t.Fatalf("load: exit %d: %s", code, stderr)
			}
			for _, want := range []string{"chroot " + dst + ": created", "created 9 znodes", "/brokers/ids/1",
				"note: sequence counters cannot be restored: the next sequential child of /config/changes will be numbered 0000000001, not 0000000003 as at the source"} {
				if !strings.Contains(out, want) {
					t.Errorf("load output lacks %q:\n%s", want, out)
				}
			}

			again := filepath.Join(dir, "again-"+name)
			if _, stderr, code := run(t, "-z", zc.Connect()+dst, "snapshot", "save", again); code != ExitOK {
				t.Fatalf("second save: exit %d: %s", code, stderr)
			}
			if got, want := treeOf(t, again), treeOf(t, file); !reflect.DeepEqual(got, want) {
				t.Errorf("loaded tree\n got %v\nwant %v", got, want)
			}

			_, stderr, code = run(t, "-z", zc.Connect()+dst, "snapshot", "load", file)
			if code != ExitUsage || !strings.Contains(stderr, "target is not empty: "+dst+" has 3 children") {
				t.Errorf("load into a full chroot: exit %d, %s", code, stderr)
			}
		})
	}
}

func TestSnapshotLoadJSONListsEphemerals(t *testing.T) {
	zc := zktest.Standalone(t)
	file := filepath.Join(t.TempDir(), "s.ndjson")
	if _, stderr, code := run(t, "-z", zc.Connect()+kafkaTree(t, zc), "snapshot", "save", file); code != ExitOK {
		t.Fatal(stderr)
	}
	var res view.SnapshotLoad
	runJSON(t, &res, "-z", zc.Connect()+zktest.FreshChroot(t)+"/lab", "snapshot", "load", file)
	if !reflect.DeepEqual(res.Ephemeral, []string{"/brokers/ids/1"}) || res.Snapshot.Nodes != 10 ||
		len(res.SequenceParents) != 1 || res.SequenceParents[0].Path != "/config/changes" {
		t.Errorf("load JSON %+v", res)
	}
	var raw map[string]any
	out, _, _ := run(t, "-o", "json", "-z", zc.Connect()+zktest.FreshChroot(t), "snapshot", "load", file, "--dry-run")
	json.Unmarshal([]byte(out), &raw)
	for _, key := range []string{"snapshot", "target", "chroot", "chroot_action", "dry_run", "created", "batches",
		"acls_set", "ephemeral", "skipped", "acl_errors", "sequence_parents", "notes"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("load JSON lacks %q: %s", key, out)
		}
	}
}

func TestSnapshotPartialExitsFive(t *testing.T) {
	zc := zktest.Digest(t)
	chroot := kafkaTree(t, zc)
	bob := rootSession(t, zc, "bob:pw")
	if _, err := bob.Create(context.Background(), chroot+"/config/users", []byte("scram"), 0, zk.DigestACL(zk.PermAll, "bob", "pw")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RAFKA_ZK_AUTH", "alice:pw")
	file := filepath.Join(t.TempDir(), "partial.ndjson.gz")
	out, stderr, code := run(t, "-z", zc.Connect()+chroot, "snapshot", "save", file)
	if code != ExitPartial || !strings.Contains(stderr, "partial result: 3 reads refused") || !strings.Contains(out, "/config/users") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	s, err := snapshot.Open(file)
	if err != nil || !s.Trailer().Partial() {
		t.Fatalf("the partial snapshot: %v", err)
	}
	out, stderr, code = run(t, "-z", zc.Connect()+zktest.FreshChroot(t), "snapshot", "load", file)
	if code != ExitPartial || !strings.Contains(out, "/config/users  not restored") {
		t.Errorf("loading a partial snapshot: exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestSnapshotUsageErrors(t *testing.T) {
	zc := zktest.Standalone(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ndjson")
	if _, stderr, code := run(t, "-z", zc.Connect()+kafkaTree(t, zc), "snapshot", "save", good); code != ExitOK {
		t.Fatal(stderr)
	}
	content, _ := os.ReadFile(good)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	truncated := write("truncated.ndjson", string(content[:len(content)-30]))
	future := write("future.ndjson", strings.Replace(string(content), `"version":1`, `"version":9`, 1))
	garbage := write("garbage.ndjson", "PK\x03\x04 not a snapshot\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"save without file", []string{"-z", zc.Connect(), "snapshot", "save"}, "snapshot save takes one argument"},
		{"load two files", []string{"-z", zc.Connect(), "snapshot", "load", "a", "b"}, "snapshot load takes one argument"},
		{"save into a missing directory", []string{"-z", zc.Connect() + kafkaTree(t, zc), "snapshot", "save", "/nonexistent/dir/s.ndjson"}, "/nonexistent/dir"},
		{"bad max in flight", []string{"-z", zc.Connect(), "snapshot", "save", "x", "--max-in-flight", "0"}, "--max-in-flight"},
		{"load a missing file", []string{"-z", zc.Connect(), "snapshot", "load", filepath.Join(dir, "missing")}, "no such file"},
		{"load a truncated file", []string{"-z", zc.Connect() + zktest.FreshChroot(t), "snapshot", "load", truncated}, "snapshot " + truncated + ": corrupt snapshot: truncated"},
		{"load a future version", []string{"-z", zc.Connect() + zktest.FreshChroot(t), "snapshot", "load", future}, "unsupported snapshot format version 9"},
		{"load garbage", []string{"-z", zc.Connect() + zktest.FreshChroot(t), "snapshot", "load", garbage}, "not a rafka snapshot"},
		{"load without zookeeper", []string{"snapshot", "load", good}, "no ZooKeeper given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", code, stderr, ExitUsage, tt.want)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
		t.Errorf("failed saves left %v", left)
	}
}

// resolvedEnv is an env whose globals are g.
func resolvedEnv(g *factory.Globals) *factory.Env {
	return factory.WithGlobals(g, io.Discard, io.Discard)
}

func TestEnvSource(t *testing.T) {
	zc := zktest.Standalone(t)
	file := filepath.Join(t.TempDir(), "s.ndjson.gz")
	chroot := kafkaTree(t, zc)
	if _, stderr, code := run(t, "-z", zc.Connect()+chroot, "snapshot", "save", file); code != ExitOK {
		t.Fatal(stderr)
	}
	ctx := context.Background()
	target, _ := zksession.ParseConnect(zc.Connect() + chroot)
	live := &factory.Globals{Connect: target.String(), Target: target, Session: zksession.Config{Target: target}}
	// A snapshot wins over -z, and needs no ZooKeeper at all.
	for name, g := range map[string]*factory.Globals{
		"live":                  live,
		"snapshot":              {Snapshot: file},
		"snapshot wins over -z": {Snapshot: file, Connect: "127.0.0.1:1", Session: zksession.Config{Target: zksession.Target{Servers: []string{"127.0.0.1:1"}}}},
	} {
		e := resolvedEnv(g)
		r, err := e.Source(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, _, err := r.Get(ctx, "/brokers/topics/orders")
		kids, _, err2 := r.Children(ctx, "/brokers")
		if err != nil || err2 != nil || !strings.Contains(string(data), `"partitions"`) || len(kids) != 2 {
			t.Errorf("%s: data %q, children %v, %v, %v", name, data, kids, err, err2)
		}
		e.Close()
	}
	_, err := resolvedEnv(&factory.Globals{Snapshot: filepath.Join(t.TempDir(), "missing")}).Source(ctx)
	if ExitCode(err) != ExitUsage {
		t.Errorf("missing snapshot: %v, exit %d", err, ExitCode(err))
	}
	if _, err := resolvedEnv(&factory.Globals{}).Source(ctx); ExitCode(err) != ExitUsage {
		t.Errorf("neither snapshot nor ZooKeeper: %v", err)
	}
}

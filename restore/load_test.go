package restore

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

// load runs Load with a backup in a temporary directory.
func load(t *testing.T, ctx context.Context, sess Target, snap *snapshot.Snapshot, opts Options) (snapshot.LoadReport, error) {
	t.Helper()
	if opts.Write.Backup == "" {
		opts.Write.Backup = filepath.Join(t.TempDir(), "backup.snap")
	}
	rep, _, err := Load(ctx, sess, snap, opts)
	return rep, err
}

func mustCreate(t *testing.T, s *zksession.Session, path string, data []byte, flags int32, acl []zk.ACL) string {
	t.Helper()
	if acl == nil {
		acl = zk.WorldACL(zk.PermAll)
	}
	p, err := s.Create(context.Background(), path, data, flags, acl)
	if err != nil {
		t.Fatalf("create %s: %v", path, err)
	}
	return p
}

const alice = "alice:pw"

// buildSource makes a tree under a new chroot as alice: every kind of
// data, an ephemeral, sequential nodes, and ACLs that only alice passes,
// one of them on a parent that alice may not create children of.
func buildSource(t *testing.T, zc *zktest.Cluster) (chroot string, sess *zksession.Session) {
	chroot = zktest.FreshChroot(t)
	mustCreate(t, zktest.Open(t, zc, ""), chroot, []byte("chroot data"), 0, nil)
	s := zktest.Open(t, zc, chroot, alice)
	aliceAll := zk.DigestACL(zk.PermAll, "alice", "pw")
	aliceRead := append(zk.DigestACL(zk.PermRead|zk.PermAdmin, "alice", "pw"), zk.WorldACL(zk.PermRead)...)
	for _, n := range []struct {
		path  string
		data  []byte
		flags int32
		acl   []zk.ACL
	}{
		{"/brokers", nil, 0, nil},
		{"/brokers/ids", nil, 0, nil},
		{"/brokers/ids/1", []byte(`{"version":5,"host":"b1","port":9092}`), zk.FlagEphemeral, nil},
		{"/config", nil, 0, nil},
		{"/config/changes", nil, 0, nil},
		{"/config/changes/config_change_", []byte(`{"version":2,"entity_path":"topics/a"}`), zk.FlagSequence, nil},
		{"/config/changes/config_change_", []byte(`{"version":2,"entity_path":"topics/b"}`), zk.FlagSequence, nil},
		{"/data", []byte("é ✓ \"quoted\"\n\ttab"), 0, nil},
		{"/data/empty", []byte{}, 0, nil},
		{"/data/binary", []byte{0, 1, 2, 0xfe, 0xff}, 0, nil},
		{"/data/invalid-utf8", []byte("ab\xc3"), 0, nil},
		{"/locked", []byte("r/o"), 0, aliceAll},
		{"/locked/a", nil, 0, nil},
		{"/locked/a/deep", []byte("x"), 0, aliceAll},
		{"/locked/b", nil, 0, aliceRead},
	} {
		mustCreate(t, s, n.path, n.data, n.flags, n.acl)
	}
	// Now /locked takes no new children, not even from alice.
	if _, err := s.SetACL(context.Background(), "/locked", aliceRead, -1); err != nil {
		t.Fatal(err)
	}
	return chroot, s
}

// tree is what a load must reproduce: paths, data, ACLs.
func tree(t *testing.T, s *snapshot.Snapshot) []snapshot.Node {
	t.Helper()
	var out []snapshot.Node
	for _, n := range s.Nodes() {
		out = append(out, snapshot.Node{Path: n.Path, Data: n.Data, ACL: n.ACL, Refused: n.Refused})
	}
	return out
}

// saved captures sess's tree and opens the file.
func saved(t *testing.T, sess *zksession.Session) *snapshot.Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.ndjson")
	if _, err := snapshot.Save(context.Background(), sess, path, snapshot.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadRefusesNonEmptyTarget(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	src := zktest.Open(t, zc, zktest.FreshChroot(t))
	mustCreate(t, zktest.Open(t, zc, ""), src.Chroot(), nil, 0, nil)
	mustCreate(t, src, "/a", []byte("a"), 0, nil)
	snap := saved(t, src)

	busy := zktest.FreshChroot(t)
	root := zktest.Open(t, zc, "")
	mustCreate(t, root, busy, nil, 0, nil)
	mustCreate(t, root, busy+"/brokers", nil, 0, nil)
	emptyExisting := zktest.FreshChroot(t)
	mustCreate(t, root, emptyExisting, []byte("keep"), 0, nil)
	tests := []struct {
		name, chroot string
		wantErr      string
		wantAction   string
	}{
		{"chroot with children", busy, busy + " has 1 children (/brokers)", ""},
		{"root of a shared server", "", "the root (no chroot) has", ""},
		{"empty existing chroot", emptyExisting, "", snapshot.ChrootExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dry := range []bool{true, false} {
				rep, err := load(t, ctx, zktest.Open(t, zc, tt.chroot), snap, Options{DryRun: dry})
				if tt.wantErr != "" {
					if !errors.Is(err, snapshot.ErrTargetNotEmpty) || !strings.Contains(err.Error(), tt.wantErr) {
						t.Errorf("dry %v: %v; want snapshot.ErrTargetNotEmpty saying %q", dry, err, tt.wantErr)
					}
					continue
				}
				if err != nil || rep.ChrootAction != tt.wantAction {
					t.Errorf("dry %v: %+v, %v", dry, rep, err)
				}
			}
		})
	}
	// The busy chroot is as it was.
	if kids, _, _ := root.Children(ctx, busy); !slices.Equal(kids, []string{"brokers"}) {
		t.Errorf("busy chroot now has %v", kids)
	}
}

func TestLoadDryRunWritesNothing(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	_, srcSess := buildSource(t, zc)
	snap := saved(t, srcSess)
	dst := zktest.FreshChroot(t) + "/lab"
	dstSess := zktest.Open(t, zc, dst, alice)
	dry, err := load(t, ctx, dstSess, snap, Options{DryRun: true, Create: snapshot.CreateOptions{MaxBatchBytes: 300}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := dstSess.Root().Exists(ctx, path.Dir(dst)); ok {
		t.Fatal("a dry run created the chroot's parent")
	}
	if !dry.DryRun || dry.ChrootAction != snapshot.ChrootWouldCreate || dry.Created != len(snap.Nodes())-1 || dry.ACLsSet != 1 {
		t.Errorf("dry run report %+v", dry)
	}
	real, err := load(t, ctx, dstSess, snap, Options{Create: snapshot.CreateOptions{MaxBatchBytes: 300}})
	if err != nil {
		t.Fatal(err)
	}
	if real.Created != dry.Created || real.Batches != dry.Batches || real.ACLsSet != dry.ACLsSet ||
		!slices.Equal(real.Ephemeral, dry.Ephemeral) || !slices.Equal(real.Notes, dry.Notes) {
		t.Errorf("the dry run said\n%+v\nthe load did\n%+v", dry, real)
	}
	if real.Batches < 5 {
		t.Errorf("%d batches of at most 300 bytes; want more", real.Batches)
	}
}

func TestPartialSnapshot(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	chroot, s := buildSource(t, zc)
	bobOnly := zk.DigestACL(zk.PermAll, "bob", "pw")
	bob := zktest.Open(t, zc, chroot, "bob:pw")
	mustCreate(t, bob, "/secret", []byte("s"), 0, bobOnly)
	mustCreate(t, bob, "/secret/inner", []byte("i"), 0, nil)

	snap := saved(t, s) // as alice
	tr := snap.Trailer()
	var ops []string
	for _, e := range tr.Errors {
		if e.Path != "/secret" || !strings.Contains(e.Error, "not authenticated") {
			t.Errorf("error %+v", e)
		}
		ops = append(ops, e.Op)
	}
	if !tr.Partial() || !slices.Equal(ops, []string{snapshot.OpGet, snapshot.OpGetACL, snapshot.OpList}) {
		t.Errorf("trailer %+v", tr)
	}
	if n, ok := snap.Node("/secret"); !ok || n.Stat.Czxid != 0 {
		t.Errorf("/secret: %+v; want it present, stat unknown", n)
	}
	if _, _, err := snap.Get(ctx, "/secret"); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("Get(/secret) on the snapshot: %v; want NoAuth as live", err)
	}

	rep, err := load(t, ctx, zktest.Open(t, zc, zktest.FreshChroot(t), alice), snap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Skipped, []string{"/secret"}) || rep.Created != len(snap.Nodes())-2 {
		t.Errorf("load of a partial snapshot: %+v", rep)
	}
}

func TestLoadIntoRootWithoutChroot(t *testing.T) {
	zc := zktest.NewStandalone(t)
	ctx := context.Background()
	src := zktest.Open(t, zktest.Standalone(t), zktest.FreshChroot(t))
	mustCreate(t, zktest.Open(t, zktest.Standalone(t), ""), src.Chroot(), []byte("not applied"), 0, nil)
	mustCreate(t, src, "/brokers", nil, 0, nil)
	mustCreate(t, src, "/brokers/topics", []byte("t"), 0, nil)
	snap := saved(t, src)

	root := zktest.Open(t, zc, "")
	rep, err := load(t, ctx, root, snap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ChrootAction != snapshot.ChrootNone || rep.Root != snapshot.RootSkipped || rep.Created != 2 {
		t.Errorf("report %+v", rep)
	}
	back := saved(t, root)
	var paths []string
	for _, n := range back.Nodes() {
		paths = append(paths, n.Path)
	}
	if !slices.Equal(paths, []string{"/", "/brokers", "/brokers/topics"}) {
		t.Errorf("saved without a chroot: %v; want /zookeeper left out", paths)
	}
	if _, err := load(t, ctx, root, snap, Options{}); !errors.Is(err, snapshot.ErrTargetNotEmpty) {
		t.Errorf("second load: %v", err)
	}
}

func TestSaveLoadSave(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	src, srcSess := buildSource(t, zc)
	for _, name := range []string{"plain.ndjson", "gzipped.ndjson.gz"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			first := filepath.Join(dir, name)
			rep, err := snapshot.Save(ctx, srcSess, first, snapshot.SaveOptions{Header: snapshot.Header{Source: snapshot.Origin{Servers: zc.Servers, Chroot: src}}})
			if err != nil || rep.Trailer.Partial() {
				t.Fatalf("save: %+v, %v", rep, err)
			}
			raw, _ := os.ReadFile(first)
			if gz := len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b; gz != strings.HasSuffix(name, ".gz") {
				t.Errorf("gzip %v for %s", gz, name)
			}
			snap, err := snapshot.Open(first)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := snap.Node("/brokers/ids/1"); n == nil || !n.Ephemeral {
				t.Errorf("/brokers/ids/1 captured as %+v; want ephemeral", n)
			}

			dst := zktest.FreshChroot(t) + "/nested"
			dstSess := zktest.Open(t, zc, dst, alice)
			lrep, err := load(t, ctx, dstSess, snap, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if lrep.ChrootAction != snapshot.ChrootCreated || lrep.Created != len(snap.Nodes())-1 || lrep.Root != snapshot.RootRestored {
				t.Errorf("load report %+v", lrep)
			}
			if !slices.Equal(lrep.Ephemeral, []string{"/brokers/ids/1"}) {
				t.Errorf("ephemeral %v", lrep.Ephemeral)
			}
			if len(lrep.SequenceParents) != 1 || lrep.SequenceParents[0] != (snapshot.SequenceParent{Path: "/config/changes", SourceCversion: 2, LoadedCversion: 2}) {
				t.Errorf("sequence parents %+v", lrep.SequenceParents)
			}
			// Only /locked waits: it has children and an ACL that is not open.
			if lrep.ACLsSet != 1 || len(lrep.ACLErrors) != 0 {
				t.Errorf("ACLs set after the children: %d, errors %v; want 1", lrep.ACLsSet, lrep.ACLErrors)
			}

			second := filepath.Join(dir, "again-"+name)
			if _, err := snapshot.Save(ctx, dstSess, second, snapshot.SaveOptions{}); err != nil {
				t.Fatal(err)
			}
			again, err := snapshot.Open(second)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tree(t, again), tree(t, snap); !reflect.DeepEqual(got, want) {
				t.Errorf("the loaded tree differs\n got %+v\nwant %+v", got, want)
			}
			if n, _ := again.Node("/brokers/ids/1"); n.Ephemeral {
				t.Error("the loaded /brokers/ids/1 is ephemeral")
			}
		})
	}
}

// TestSuperUserRestoresEveryACL: the superuser reads what nobody else may,
// so its snapshot is whole, and its load gives each node its ACL back.
func TestSuperUserRestoresEveryACL(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	src, _ := buildSource(t, zc)
	bob := zktest.Open(t, zc, src, "bob:pw")
	mustCreate(t, bob, "/config/users", []byte("scram"), 0, zk.DigestACL(zk.PermAll, "bob", "pw"))
	mustCreate(t, bob, "/config/users/alice", []byte("hash"), 0, zk.DigestACL(zk.PermRead, "bob", "pw"))

	snap := saved(t, zktest.Open(t, zc, src, zc.SuperAuth))
	if snap.Trailer().Partial() {
		t.Fatalf("the superuser's snapshot is partial: %+v", snap.Trailer())
	}
	dst := zktest.Open(t, zc, zktest.FreshChroot(t), zc.SuperAuth)
	if _, err := load(t, ctx, dst, snap, Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, saved(t, dst)), tree(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("the loaded tree differs\n got %+v\nwant %+v", got, want)
	}
	asAlice := zktest.Open(t, zc, dst.Chroot(), alice)
	if _, _, err := asAlice.Get(ctx, "/config/users"); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("alice reads bob's restored node: %v", err)
	}
	if data, _, err := zktest.Open(t, zc, dst.Chroot(), "bob:pw").Get(ctx, "/config/users/alice"); err != nil || string(data) != "hash" {
		t.Errorf("bob reads his restored node: %q, %v", data, err)
	}
}

// TestInterruptedLoadSaysWhatWasWrittenAndUndoes: a load stopped after its
// second batch says so, names the undo, and the undo leaves the chroot
// empty again.
func TestInterruptedLoadSaysWhatWasWrittenAndUndoes(t *testing.T) {
	zc := zktest.Digest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, srcSess := buildSource(t, zc)
	snap := saved(t, srcSess)
	dst := zktest.Open(t, zc, zktest.FreshChroot(t), alice)
	backup := filepath.Join(t.TempDir(), "load.snap")
	rep, wrep, err := Load(ctx, dst, snap, Options{Create: snapshot.CreateOptions{MaxBatchBytes: 300},
		Write: zkwrite.Options{Backup: backup, Undo: "rafka snapshot undo", AfterStep: func(step int) {
			if step == 2 {
				cancel()
			}
		}}})
	var ie *zkwrite.IncompleteError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "(steps 1–2)") || !strings.Contains(err.Error(), "to undo: rafka snapshot undo "+backup) {
		t.Errorf("message %q", err)
	}
	if len(wrep.Applied) != 2 || rep.Created == 0 {
		t.Errorf("report %+v / %+v", rep, wrep)
	}
	undo, err := zkwrite.PlanUndo(backup, dst.Chroot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zkwrite.Apply(context.Background(), dst, undo, zkwrite.Options{Backup: backup + ".undo"}); err != nil {
		t.Fatal(err)
	}
	if kids, _, err := dst.Children(context.Background(), "/"); err != nil || len(kids) != 0 {
		t.Fatalf("after undo the chroot holds %v (%v)", kids, err)
	}
}

// TestUnknownACLSchemeIsReportedAndLoadGoesOn: a scheme the lab server
// has no provider for leaves the node open, reported; the load finishes.
func TestUnknownACLSchemeIsReportedAndLoadGoesOn(t *testing.T) {
	zc := zktest.Standalone(t)
	ctx := context.Background()
	src := zktest.Open(t, zc, zktest.FreshChroot(t))
	mustCreate(t, zktest.Open(t, zc, ""), src.Chroot(), nil, 0, nil)
	mustCreate(t, src, "/odd", nil, 0, nil)
	mustCreate(t, src, "/odd/child", []byte("c"), 0, nil)
	mustCreate(t, src, "/after", []byte("a"), 0, nil)
	snap := saved(t, src)
	// Pretend the source had a sasl ACL on /odd.
	n, _ := snap.Node("/odd")
	n.ACL = []zk.ACL{{Perms: zk.PermAll, Scheme: "nosuch", ID: "x"}}
	dst := zktest.Open(t, zc, zktest.FreshChroot(t))
	rep, err := load(t, ctx, dst, snap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ACLErrors) != 1 || rep.ACLErrors[0].Path != "/odd" || rep.Created != 3 {
		t.Errorf("report %+v", rep)
	}
}

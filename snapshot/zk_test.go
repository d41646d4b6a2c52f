package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

var chrootSeq atomic.Int64

// freshChroot names a chroot no other test uses.
func freshChroot(t *testing.T) string {
	return fmt.Sprintf("/%s-%d-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")),
		time.Now().UnixNano()%1e6, chrootSeq.Add(1))
}

// open opens a session under chroot, with digest credentials if given.
func open(t testing.TB, zc *zktest.Cluster, chroot string, auth ...string) *zksession.Session {
	t.Helper()
	cfg := zksession.Config{Target: zksession.Target{Servers: zc.Servers, Chroot: chroot}, Timeout: 20 * time.Second}
	for _, a := range auth {
		cfg.Auth = append(cfg.Auth, zksession.Auth{Scheme: "digest", Credential: []byte(a)})
	}
	s, err := zksession.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
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
	chroot = freshChroot(t)
	mustCreate(t, open(t, zc, ""), chroot, []byte("chroot data"), 0, nil)
	s := open(t, zc, chroot, alice)
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
func tree(t *testing.T, s *Snapshot) []Node {
	t.Helper()
	var out []Node
	for _, n := range s.Nodes() {
		out = append(out, Node{Path: n.Path, Data: n.Data, ACL: n.ACL, Refused: n.Refused})
	}
	return out
}

func TestSaveLoadSave(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	src, srcSess := buildSource(t, zc)
	for _, name := range []string{"plain.ndjson", "gzipped.ndjson.gz"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			first := filepath.Join(dir, name)
			rep, err := Save(ctx, srcSess, first, SaveOptions{Header: Header{Source: Origin{Servers: zc.Servers, Chroot: src}}})
			if err != nil || rep.Trailer.Partial() {
				t.Fatalf("save: %+v, %v", rep, err)
			}
			raw, _ := os.ReadFile(first)
			if gz := len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b; gz != strings.HasSuffix(name, ".gz") {
				t.Errorf("gzip %v for %s", gz, name)
			}
			snap, err := Open(first)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := snap.Node("/brokers/ids/1"); n == nil || !n.Ephemeral {
				t.Errorf("/brokers/ids/1 captured as %+v; want ephemeral", n)
			}

			dst := freshChroot(t) + "/nested"
			dstSess := open(t, zc, dst, alice)
			lrep, err := Load(ctx, dstSess, snap, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if lrep.ChrootAction != ChrootCreated || lrep.Created != len(snap.Nodes())-1 || lrep.Root != RootRestored {
				t.Errorf("load report %+v", lrep)
			}
			if !slices.Equal(lrep.Ephemeral, []string{"/brokers/ids/1"}) {
				t.Errorf("ephemeral %v", lrep.Ephemeral)
			}
			if len(lrep.SequenceParents) != 1 || lrep.SequenceParents[0] != (SequenceParent{"/config/changes", 2, 2}) {
				t.Errorf("sequence parents %+v", lrep.SequenceParents)
			}
			// Only /locked waits: it has children and an ACL that is not open.
			if lrep.ACLsSet != 1 || len(lrep.ACLErrors) != 0 {
				t.Errorf("ACLs set after the children: %d, errors %v; want 1", lrep.ACLsSet, lrep.ACLErrors)
			}

			second := filepath.Join(dir, "again-"+name)
			if _, err := Save(ctx, dstSess, second, SaveOptions{}); err != nil {
				t.Fatal(err)
			}
			again, err := Open(second)
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
	bob := open(t, zc, src, "bob:pw")
	mustCreate(t, bob, "/config/users", []byte("scram"), 0, zk.DigestACL(zk.PermAll, "bob", "pw"))
	mustCreate(t, bob, "/config/users/alice", []byte("hash"), 0, zk.DigestACL(zk.PermRead, "bob", "pw"))

	snap := saved(t, open(t, zc, src, zc.SuperAuth))
	if snap.Trailer().Partial() {
		t.Fatalf("the superuser's snapshot is partial: %+v", snap.Trailer())
	}
	dst := open(t, zc, freshChroot(t), zc.SuperAuth)
	if _, err := Load(ctx, dst, snap, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, saved(t, dst)), tree(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("the loaded tree differs\n got %+v\nwant %+v", got, want)
	}
	asAlice := open(t, zc, dst.Chroot(), alice)
	if _, _, err := asAlice.Get(ctx, "/config/users"); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("alice reads bob's restored node: %v", err)
	}
	if data, _, err := open(t, zc, dst.Chroot(), "bob:pw").Get(ctx, "/config/users/alice"); err != nil || string(data) != "hash" {
		t.Errorf("bob reads his restored node: %q, %v", data, err)
	}
}

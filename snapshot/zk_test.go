package snapshot

import (
	"context"
	"os"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

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
func tree(t *testing.T, s *Snapshot) []Node {
	t.Helper()
	var out []Node
	for _, n := range s.Nodes() {
		out = append(out, Node{Path: n.Path, Data: n.Data, ACL: n.ACL, Refused: n.Refused})
	}
	return out
}

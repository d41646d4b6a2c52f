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

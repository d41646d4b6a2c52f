package zksession

import (
	"context"

	"github.com/go-zookeeper/zk"
)

// Reader is what read-only commands need. A live Session and a snapshot
// file both provide it, so every read-only command also works offline.
// A missing znode is an error that matches zk.ErrNoNode.
type Reader interface {
	Get(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	Children(ctx context.Context, path string) ([]string, *zk.Stat, error)
	GetACL(ctx context.Context, path string) ([]zk.ACL, *zk.Stat, error)
}

var _ Reader = (*Session)(nil)

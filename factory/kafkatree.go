package factory

import (
	"context"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// KafkaSource is Source for the commands that judge Kafka's metadata
// (dump, check, features describe): it first establishes that the chroot
// holds a Kafka tree. One that does not is cluster.ErrNoKafkaTree, naming
// the chroots on that server (or in that snapshot) that do.
func (e *Env) KafkaSource(ctx context.Context) (pipeline.Source, error) {
	src, err := e.Source(ctx)
	if err != nil {
		return nil, err
	}
	return src, requireKafkaTree(ctx, src)
}

// KafkaSession is Session for reading commands that need ZooKeeper itself
// (diff's live side, snapshot save, streams): the chroot must hold a
// Kafka tree. init-paths and snapshot load, which create one, use Session.
func (e *Env) KafkaSession(ctx context.Context) (*zksession.Session, error) {
	sess, err := e.Session(ctx)
	if err != nil {
		return nil, err
	}
	return sess, requireKafkaTree(ctx, sess)
}

func requireKafkaTree(ctx context.Context, src pipeline.Source) error {
	switch s := src.(type) {
	case *snapshot.Snapshot:
		where := "snapshot " + s.File()
		if s.File() == "" {
			where = "the snapshot"
		}
		return cluster.RequireKafkaTree(ctx, s, s.Chroot(), s, where)
	case *zksession.Session:
		return cluster.RequireKafkaTree(ctx, s, s.Chroot(), s.Root(), strings.Join(s.Servers(), ","))
	}
	return cluster.RequireKafkaTree(ctx, src, "", nil, "")
}

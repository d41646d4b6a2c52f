package cmd

import (
	"context"

	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// openReader gives a read-only command its tree: the --snapshot file when
// one is given (it wins over -z), else a live session. close releases it.
// A snapshot that cannot be read is a usage error (exit 2).
func openReader(ctx context.Context, g *globalOptions) (r zksession.Reader, close func(), err error) {
	if g.Snapshot != "" {
		s, err := snapshot.Open(g.Snapshot)
		if err != nil {
			return nil, nil, usageError{err}
		}
		return s, func() {}, nil
	}
	if err := g.needTarget(); err != nil {
		return nil, nil, err
	}
	sess, err := zksession.Open(ctx, g.Session)
	if err != nil {
		return nil, nil, err
	}
	return sess, sess.Close, nil
}

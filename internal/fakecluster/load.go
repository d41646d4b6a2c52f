package fakecluster

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/go-zookeeper/zk"

	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// LoadOption changes how Load creates nodes.
type LoadOption func(*loadConfig)

type loadConfig struct {
	ephemerals bool
}

// CreateEphemerals makes Load create the nodes marked Ephemeral (broker
// registrations, /controller) as ephemeral nodes of the loading session, as
// live brokers would own them: they vanish when that session ends. Without
// it they are created persistent.
func CreateEphemerals() LoadOption { return func(c *loadConfig) { c.ephemerals = true } }

// Load creates nodes (parents first, as Generate gives them) under sess's
// chroot, creating the chroot if it is missing. Nodes that exist already
// are left as they are, so an interrupted load can be run again. The root
// "/" is skipped. Loading is snapshot.Create's: depth by depth, in batched
// multi requests, several in flight.
func Load(ctx context.Context, sess *zksession.Session, nodes []snapshot.Node, opts ...LoadOption) error {
	var cfg loadConfig
	for _, o := range opts {
		o(&cfg)
	}
	if err := ensureChroot(ctx, sess); err != nil {
		return err
	}
	persistent, ephemeral := nodes, []snapshot.Node(nil)
	if cfg.ephemerals {
		persistent, ephemeral = splitEphemerals(nodes)
		if err := checkEphemeralLeaves(nodes); err != nil {
			return err
		}
	}
	if _, err := snapshot.Create(ctx, sess, persistent, snapshot.CreateOptions{}); err != nil {
		return fmt.Errorf("loading %d znodes: %w", len(persistent), err)
	}
	return createEphemerals(ctx, sess, ephemeral)
}

// ensureChroot creates the session's chroot and its ancestors, null data,
// open ACL, where missing.
func ensureChroot(ctx context.Context, sess *zksession.Session) error {
	chroot := sess.Chroot()
	if chroot == "" {
		return nil
	}
	if ok, _, err := sess.Root().Exists(ctx, chroot); err != nil || ok {
		return err
	}
	if _, err := sess.Root().CreatePath(ctx, chroot, func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) }); err != nil {
		return fmt.Errorf("creating the chroot: %w", err)
	}
	return nil
}

func splitEphemerals(nodes []snapshot.Node) (persistent, ephemeral []snapshot.Node) {
	persistent = make([]snapshot.Node, 0, len(nodes))
	for _, n := range nodes {
		if n.Ephemeral {
			ephemeral = append(ephemeral, n)
		} else {
			persistent = append(persistent, n)
		}
	}
	return persistent, ephemeral
}

// checkEphemeralLeaves refuses an ephemeral node with children: ZooKeeper
// would not create them (NoChildrenForEphemerals).
func checkEphemeralLeaves(nodes []snapshot.Node) error {
	eph := map[string]bool{}
	for _, n := range nodes {
		if n.Ephemeral {
			eph[n.Path] = true
		}
	}
	for _, n := range nodes {
		if eph[path.Dir(n.Path)] {
			return fmt.Errorf("fakecluster: %s is under ephemeral node %s", n.Path, path.Dir(n.Path))
		}
	}
	return nil
}

// createEphemerals creates the ephemeral nodes, a few at a time; nodes
// that exist already (from an earlier load) are left alone.
func createEphemerals(ctx context.Context, sess *zksession.Session, nodes []snapshot.Node) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	limit := make(chan struct{}, 16)
	for _, n := range nodes {
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			acl := n.ACL
			if len(acl) == 0 {
				acl = zk.WorldACL(zk.PermAll)
			}
			_, err := sess.Create(ctx, n.Path, n.Data, zk.FlagEphemeral, acl)
			if err != nil && !errors.Is(err, zk.ErrNodeExists) {
				mu.Lock()
				errs = append(errs, err.Error())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("creating ephemeral znodes: %s", strings.Join(errs, "; "))
	}
	return nil
}

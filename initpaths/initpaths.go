// Package initpaths creates Kafka's persistent znodes as a broker does at
// startup (KafkaZkClient.createTopLevelPaths), or plans it in a dry run.
package initpaths

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// Actions reported for a znode.
const (
	ActionCreated     = "created"
	ActionExists      = "exists"
	ActionWouldCreate = "would-create"
	ActionNone        = "none" // no chroot
)

// Options say what to create.
type Options struct {
	KafkaVersion zkpaths.Version
	Secure       bool // zookeeper.set.acl: Kafka's secure ACLs on what is created
	ACLPaths     bool // the ZooKeeper authorizer's tree
	TokenPaths   bool // the delegation-token tree
	DryRun       bool
}

// ACLEntry is one ZooKeeper ACL entry in JSON output.
type ACLEntry struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
	Perms  string `json:"perms"` // as zkCli prints them: subset of "cdrwa"
}

// PathResult is what happened to one znode.
type PathResult struct {
	Path   string     `json:"path"`
	Action string     `json:"action"` // created | exists | would-create
	ACL    []ACLEntry `json:"acl"`    // read back; Kafka's rule for would-create; null if not readable
	// ACLMatchesKafka is false when an existing node's ACL is not what Kafka
	// would have set (Kafka never changes ACLs of existing nodes), and null
	// when the ACL cannot be read without other credentials.
	ACLMatchesKafka *bool      `json:"acl_matches_kafka"`
	KafkaACL        []ACLEntry `json:"kafka_acl"`
}

// Result is a whole run.
type Result struct {
	Chroot       string       `json:"chroot"`
	ChrootAction string       `json:"chroot_action"` // none | created | exists | would-create
	KafkaVersion string       `json:"kafka_version"`
	Secure       bool         `json:"secure"`
	DryRun       bool         `json:"dry_run"`
	Paths        []PathResult `json:"paths"`
}

// Run does what KafkaZkClient does at broker startup: the chroot
// first (checked, then created from the root), then each persistent path
// with its parents, null data and Kafka's ACL.
func Run(ctx context.Context, opts Options, sess *zksession.Session) (*Result, error) {
	res := &Result{
		Chroot:       sess.Chroot(),
		KafkaVersion: opts.KafkaVersion.String(),
		Secure:       opts.Secure,
		DryRun:       opts.DryRun,
	}
	policy := zksession.ChrootCreate
	if opts.DryRun {
		policy = zksession.ChrootPlan
	}
	// Each missing ancestor gets its own full path's ACL, as Kafka sets.
	var err error
	res.ChrootAction, err = sess.EnsureChroot(ctx, policy, func(p string) []zk.ACL { return zkpaths.DefaultACL(opts.Secure, p) })
	if err != nil {
		return nil, err
	}

	wanted := zkpaths.PersistentPaths(opts.KafkaVersion)
	if opts.ACLPaths {
		wanted = append(wanted, zkpaths.ACLPaths(opts.KafkaVersion)...)
	}
	if opts.TokenPaths {
		wanted = append(wanted, zkpaths.DelegationTokenPaths()...)
	}
	nodes := zkpaths.WithParents(wanted)
	actions := make([]string, len(nodes))

	// Under a chroot that a dry run would create, nothing exists yet.
	if res.ChrootAction == ActionWouldCreate {
		for i := range actions {
			actions[i] = ActionWouldCreate
		}
	} else if err := parallel(len(nodes), 16, func(i int) error {
		ok, _, err := sess.Exists(ctx, nodes[i])
		actions[i] = map[bool]string{true: ActionExists, false: ActionWouldCreate}[ok]
		return err
	}); err != nil {
		return nil, err
	}

	if !opts.DryRun {
		if err := createByDepth(ctx, sess, opts.Secure, nodes, actions); err != nil {
			return nil, err
		}
	}

	// ZooKeeper 3.6+ wants READ or ADMIN to show an ACL: a node rafka may
	// not read keeps an unknown ACL rather than failing the run.
	acls := make([][]zk.ACL, len(nodes))
	readable := make([]bool, len(nodes))
	if err := parallel(len(nodes), 16, func(i int) error {
		if actions[i] == ActionWouldCreate {
			return nil
		}
		var err error
		acls[i], _, err = sess.GetACL(ctx, nodes[i])
		if errors.Is(err, zk.ErrNoAuth) {
			return nil
		}
		readable[i] = err == nil
		return err
	}); err != nil {
		return nil, err
	}
	for i, node := range nodes {
		kafka := zkpaths.DefaultACL(opts.Secure, node)
		r := PathResult{Path: node, Action: actions[i], KafkaACL: ACLEntries(kafka)}
		switch {
		case actions[i] == ActionWouldCreate:
			r.ACL, r.ACLMatchesKafka = r.KafkaACL, ptr(true)
		case readable[i]:
			r.ACL = ACLEntries(acls[i])
			r.ACLMatchesKafka = ptr(zkpaths.MatchesDefaultACL(opts.Secure, node, acls[i]))
		}
		res.Paths = append(res.Paths, r)
	}
	return res, nil
}

// createByDepth creates the missing nodes, parents before children and
// each depth's nodes in parallel. A node another process made meanwhile is
// reported as existing.
func createByDepth(ctx context.Context, sess *zksession.Session, secure bool, nodes, actions []string) error {
	byDepth := map[int][]int{}
	var depths []int
	for i, n := range nodes {
		if actions[i] != ActionWouldCreate {
			continue
		}
		d := zkpaths.Depth(n)
		if _, seen := byDepth[d]; !seen {
			depths = append(depths, d)
		}
		byDepth[d] = append(byDepth[d], i)
	}
	sort.Ints(depths)
	for _, d := range depths {
		idx := byDepth[d]
		if err := parallel(len(idx), 16, func(j int) error {
			i := idx[j]
			_, err := sess.Create(ctx, nodes[i], nil, zk.FlagPersistent, zkpaths.DefaultACL(secure, nodes[i]))
			switch {
			case err == nil:
				actions[i] = ActionCreated
			case errors.Is(err, zk.ErrNodeExists):
				actions[i] = ActionExists
			default:
				return err
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// ACLEntries gives acl as JSON entries.
func ACLEntries(acl []zk.ACL) []ACLEntry {
	out := make([]ACLEntry, len(acl))
	for i, a := range acl {
		out[i] = ACLEntry{Scheme: a.Scheme, ID: a.ID, Perms: zkpaths.FormatPerms(a.Perms)}
	}
	return out
}

// FormatACL shows an ACL as zkCli does, the creator for auth entries.
func FormatACL(acl []ACLEntry) string {
	parts := make([]string, len(acl))
	for i, a := range acl {
		if a.Scheme == "auth" && a.ID == "" {
			parts[i] = "creator:" + a.Perms
			continue
		}
		parts[i] = a.Scheme + ":" + a.ID + ":" + a.Perms
	}
	return strings.Join(parts, ",")
}

// parallel runs f(0..n-1) on at most width goroutines and returns the
// first error by index, so results do not depend on scheduling.
func parallel(n, width int, f func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(width, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

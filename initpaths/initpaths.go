// Package initpaths creates Kafka's persistent znodes as a broker does at
// startup (KafkaZkClient.createTopLevelPaths), or plans it in a dry run.
package initpaths

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
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

// Tree is where init-paths works: a live session, or a stand-in for
// tests and dry runs. Reads go through the pipeline; writes and the chroot
// check go to the tree itself.
type Tree interface {
	pipeline.Source
	Chroot() string
	EnsureChroot(ctx context.Context, policy zksession.ChrootPolicy, acl func(path string) []zk.ACL) (string, error)
	Create(ctx context.Context, path string, data []byte, flags int32, acl []zk.ACL) (string, error)
}

// maxInFlight bounds init-paths' reads: a few dozen znodes.
const maxInFlight = 16

// Run does what KafkaZkClient does at broker startup: the chroot
// first (checked, then created from the root), then each persistent path
// with its parents, null data and Kafka's ACL.
func Run(ctx context.Context, opts Options, tree Tree) (*Result, error) {
	res := &Result{
		Chroot:       tree.Chroot(),
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
	res.ChrootAction, err = tree.EnsureChroot(ctx, policy, func(p string) []zk.ACL { return zkpaths.DefaultACL(opts.Secure, p) })
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
	for i := range actions {
		actions[i] = ActionWouldCreate
	}

	// Under a chroot that a dry run would create, nothing exists yet.
	if res.ChrootAction != ActionWouldCreate {
		exists, err := read(ctx, tree, pipeline.OpExists, nodes, nil)
		if err != nil {
			return nil, err
		}
		for i, r := range exists {
			if r.Exists {
				actions[i] = ActionExists
			}
		}
	}

	if !opts.DryRun {
		if err := create(ctx, tree, opts.Secure, nodes, actions); err != nil {
			return nil, err
		}
	}

	// ZooKeeper 3.6+ wants READ or ADMIN to show an ACL: a node rafka may
	// not read keeps an unknown ACL rather than failing the run.
	acls, err := read(ctx, tree, pipeline.OpGetACL, nodes, func(i int) bool { return actions[i] != ActionWouldCreate })
	if err != nil {
		return nil, err
	}
	for i, node := range nodes {
		kafka := zkpaths.DefaultACL(opts.Secure, node)
		r := PathResult{Path: node, Action: actions[i], KafkaACL: ACLEntries(kafka)}
		switch {
		case actions[i] == ActionWouldCreate:
			r.ACL, r.ACLMatchesKafka = r.KafkaACL, ptr(true)
		case acls[i] != nil && acls[i].Err == nil:
			r.ACL = ACLEntries(acls[i].ACL)
			r.ACLMatchesKafka = ptr(zkpaths.MatchesDefaultACL(opts.Secure, node, acls[i].ACL))
		}
		res.Paths = append(res.Paths, r)
	}
	return res, nil
}

// read runs op on the nodes that want (all when want is nil) through the
// pipeline, and returns the results by index. NoAuth is a result (the
// caller decides); any other error fails the read, the first by index so
// that the outcome does not depend on timing.
func read(ctx context.Context, src pipeline.Source, op pipeline.Op, nodes []string, want func(int) bool) ([]*pipeline.Result, error) {
	h := &collect{results: make([]*pipeline.Result, len(nodes))}
	var fetches []pipeline.Fetch
	for i, n := range nodes {
		if want == nil || want(i) {
			fetches = append(fetches, pipeline.Fetch{Op: op, Path: n, Tag: i})
		}
	}
	if err := pipeline.Run(ctx, src, pipeline.Options{MaxInFlight: maxInFlight, UntilIdle: true}, h, fetches...); err != nil {
		return nil, err
	}
	for _, r := range h.results {
		if r != nil && r.Err != nil && !errors.Is(r.Err, zk.ErrNoAuth) {
			return nil, r.Err
		}
	}
	return h.results, nil
}

// collect keeps each result at its fetch's index.
type collect struct{ results []*pipeline.Result }

func (c *collect) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	if r, ok := msg.(*pipeline.Result); ok {
		c.results[r.Tag.(int)] = r
	}
	return nil, nil
}

// create creates the missing nodes, parents before children. A node
// another process made meanwhile is reported as existing.
func create(ctx context.Context, tree Tree, secure bool, nodes, actions []string) error {
	order := make([]int, 0, len(nodes))
	for i := range nodes {
		if actions[i] == ActionWouldCreate {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return zkpaths.Depth(nodes[order[a]]) < zkpaths.Depth(nodes[order[b]]) })
	var created []string
	for _, i := range order {
		if ctx.Err() != nil {
			return stopped(context.Cause(ctx), created, len(order))
		}
		_, err := tree.Create(ctx, nodes[i], nil, zk.FlagPersistent, zkpaths.DefaultACL(secure, nodes[i]))
		switch {
		case err == nil:
			actions[i] = ActionCreated
			created = append(created, nodes[i])
		case errors.Is(err, zk.ErrNodeExists):
			actions[i] = ActionExists
		default:
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			return stopped(err, created, len(order))
		}
	}
	return nil
}

// stopped says what a run stopped part way had created. Each create is
// one znode, empty, with Kafka's ACL, and a run skips what exists: running
// init-paths again finishes it.
func stopped(err error, created []string, planned int) error {
	if len(created) == 0 {
		return fmt.Errorf("%w; nothing was created", err)
	}
	return fmt.Errorf("%w; created %d of %d znodes before stopping (%s); run init-paths again to finish",
		err, len(created), planned, strings.Join(created, ", "))
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

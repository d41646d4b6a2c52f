package cmd

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

// Actions init-paths reports for a znode.
const (
	actionCreated     = "created"
	actionExists      = "exists"
	actionWouldCreate = "would-create"
	actionNone        = "none" // no chroot
)

type initPathsOptions struct {
	KafkaVersion zkpaths.Version
	Secure       bool // zookeeper.set.acl: Kafka's secure ACLs on what is created
	ACLPaths     bool // the ZooKeeper authorizer's tree
	TokenPaths   bool // the delegation-token tree
	DryRun       bool
}

// aclEntry is one ZooKeeper ACL entry in JSON output.
type aclEntry struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
	Perms  string `json:"perms"` // as zkCli prints them: subset of "cdrwa"
}

type initPathResult struct {
	Path   string     `json:"path"`
	Action string     `json:"action"` // created | exists | would-create
	ACL    []aclEntry `json:"acl"`    // read back; Kafka's rule for would-create; null if not readable
	// ACLMatchesKafka is false when an existing node's ACL is not what Kafka
	// would have set (Kafka never changes ACLs of existing nodes), and null
	// when the ACL cannot be read without other credentials.
	ACLMatchesKafka *bool      `json:"acl_matches_kafka"`
	KafkaACL        []aclEntry `json:"kafka_acl"`
}

type initPathsResult struct {
	Chroot       string           `json:"chroot"`
	ChrootAction string           `json:"chroot_action"` // none | created | exists | would-create
	KafkaVersion string           `json:"kafka_version"`
	Secure       bool             `json:"secure"`
	DryRun       bool             `json:"dry_run"`
	Paths        []initPathResult `json:"paths"`
}

func initPathsCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:  "init-paths",
		Usage: "create Kafka's persistent znodes exactly as a broker does at startup",
		Description: "Creates the chroot if missing, then Kafka's persistent paths in Kafka's order with null data.\n" +
			"Existing nodes keep their data and ACLs. Never creates /controller, /controller_epoch,\n" +
			"/feature, /migration or /cluster/id.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kafka-version", Value: zkpaths.Latest.String(),
				Usage: "Kafka `VERSION` whose paths to create (2.0–3.9; 2.0–2.7 have no /config/ips)"},
			&cli.BoolFlag{Name: "secure",
				Usage: "Kafka's secure ACLs (creator-all plus world-read; creator-only on sensitive paths); also zookeeper.set.acl=true; needs authentication"},
			&cli.BoolFlag{Name: "with-acl-paths", Usage: "also create the ZooKeeper authorizer's ACL tree"},
			&cli.BoolFlag{Name: "with-delegation-token-paths", Usage: "also create the delegation-token tree"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan and write nothing"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("init-paths takes no arguments (got %q)", c.Args().First())
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			if err := g.needTarget(); err != nil {
				return err
			}
			opts := initPathsOptions{
				ACLPaths:   c.Bool("with-acl-paths"),
				TokenPaths: c.Bool("with-delegation-token-paths"),
				DryRun:     c.Bool("dry-run"),
				Secure:     c.Bool("secure"),
			}
			if !c.IsSet("secure") && g.SetACL != nil {
				opts.Secure = *g.SetACL
			}
			if opts.KafkaVersion, err = zkpaths.ParseVersion(c.String("kafka-version")); err != nil {
				return usageError{err}
			}
			if opts.Secure && len(g.Session.Auth) == 0 && (g.Session.TLS == nil || len(g.Session.TLS.Certificates) == 0) {
				return usagef("--secure (zookeeper.set.acl=true) needs an authenticated session, as Kafka does: " +
					"give digest credentials (--auth-file or " + envAuth + ") or a TLS client certificate")
			}
			sess, err := zksession.Open(c.Context, g.Session)
			if err != nil {
				return err
			}
			defer sess.Close()
			res, err := runInitPaths(c.Context, opts, sess)
			if err != nil {
				return err
			}
			return printInitPaths(render.New(streams.Out, g.Output, g.NoColor), res)
		},
	}
}

// runInitPaths does what KafkaZkClient does at broker startup: the chroot
// first (checked, then created from the root), then each persistent path
// with its parents, null data and Kafka's ACL.
func runInitPaths(ctx context.Context, opts initPathsOptions, sess *zksession.Session) (*initPathsResult, error) {
	res := &initPathsResult{
		Chroot:       sess.Chroot(),
		ChrootAction: actionNone,
		KafkaVersion: opts.KafkaVersion.String(),
		Secure:       opts.Secure,
		DryRun:       opts.DryRun,
	}
	if res.Chroot != "" {
		action, err := ensureChroot(ctx, opts, sess.Root(), res.Chroot)
		if err != nil {
			return nil, err
		}
		res.ChrootAction = action
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
	if res.ChrootAction == actionWouldCreate {
		for i := range actions {
			actions[i] = actionWouldCreate
		}
	} else if err := parallel(len(nodes), 16, func(i int) error {
		ok, _, err := sess.Exists(ctx, nodes[i])
		actions[i] = map[bool]string{true: actionExists, false: actionWouldCreate}[ok]
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
		if actions[i] == actionWouldCreate {
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
		r := initPathResult{Path: node, Action: actions[i], KafkaACL: aclEntries(kafka)}
		switch {
		case actions[i] == actionWouldCreate:
			r.ACL, r.ACLMatchesKafka = r.KafkaACL, ptr(true)
		case readable[i]:
			r.ACL = aclEntries(acls[i])
			r.ACLMatchesKafka = ptr(zkpaths.MatchesDefaultACL(opts.Secure, node, acls[i]))
		}
		res.Paths = append(res.Paths, r)
	}
	return res, nil
}

// ensureChroot creates the chroot's missing ancestors and itself, each
// with its own full path's ACL. It checks first, so a chroot that exists
// under a root rafka may not write to is fine (KAFKA-12866).
func ensureChroot(ctx context.Context, opts initPathsOptions, root *zksession.Session, chroot string) (string, error) {
	ok, _, err := root.Exists(ctx, chroot)
	if err != nil || ok {
		return actionExists, err
	}
	if opts.DryRun {
		return actionWouldCreate, nil
	}
	if _, err := root.CreatePath(ctx, chroot, func(p string) []zk.ACL { return zkpaths.DefaultACL(opts.Secure, p) }); err != nil {
		return "", err
	}
	return actionCreated, nil
}

// createByDepth creates the missing nodes, parents before children and
// each depth's nodes in parallel. A node another process made meanwhile is
// reported as existing.
func createByDepth(ctx context.Context, sess *zksession.Session, secure bool, nodes, actions []string) error {
	byDepth := map[int][]int{}
	var depths []int
	for i, n := range nodes {
		if actions[i] != actionWouldCreate {
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
				actions[i] = actionCreated
			case errors.Is(err, zk.ErrNodeExists):
				actions[i] = actionExists
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

func aclEntries(acl []zk.ACL) []aclEntry {
	out := make([]aclEntry, len(acl))
	for i, a := range acl {
		out[i] = aclEntry{Scheme: a.Scheme, ID: a.ID, Perms: zkpaths.FormatPerms(a.Perms)}
	}
	return out
}

func formatACL(acl []aclEntry) string {
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

func printInitPaths(p *render.Printer, res *initPathsResult) error {
	if p.Format == render.JSON {
		return p.JSON(res)
	}
	if res.Chroot != "" {
		fmt.Fprintf(p.Out, "chroot %s: %s\n", res.Chroot, res.ChrootAction)
	}
	rows := make([][]string, 0, len(res.Paths))
	for _, r := range res.Paths {
		action := r.Action
		switch action {
		case actionCreated:
			action = p.Paint(render.Good, action)
		case actionWouldCreate:
			action = p.Paint(render.Warn, action)
		}
		acl, note := formatACL(r.ACL), ""
		switch {
		case r.ACLMatchesKafka == nil:
			acl = p.Paint(render.Faint, "(not readable)")
		case !*r.ACLMatchesKafka:
			note = p.Paint(render.Warn, "ACL differs from Kafka's: "+formatACL(r.KafkaACL))
		}
		rows = append(rows, []string{r.Path, action, acl, note})
	}
	return p.Table([]string{"PATH", "ACTION", "ACL", "NOTE"}, rows)
}

package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

type checkOptions struct {
	Rules       []check.Rule
	Settings    check.Settings
	FailOn      check.Severity
	AllACLs     bool // --all-acls: the partition subtrees' ACLs too
	MaxInFlight int
	Limit       int // table: findings shown per rule, 0 for all
	Progress    bool
}

const checkDescription = `Reads the cluster once (live, or --snapshot FILE) and runs a catalogue of rules
(rafka check --list-rules explains each). Every finding has a rule, a severity (info, warning,
error), a subject, the znode path, a message and a hint.

The security rules (world-writable-znode, sensitive-path-world-readable) read ACLs too; they run
with --secure or zookeeper.set.acl=true in --config, or when named with --rule. They read the ACL
of every znode under the chroot except what lies below each topic's znode (partitions and
their states: nine znodes in ten), which --all-acls adds.

Exit status, whatever the output format:
   1  a finding at or above --fail-on (default error)
   5  otherwise, when some znodes (or ACLs) could not be read (NoAuth): the rules did not see
      them. Content that cannot be decoded is a malformed-znode finding, not a 5.
   0  otherwise; 2, 3, 4 as for every command.`

func checkCommand(streams Streams) *cli.Command {
	d := check.DefaultSettings()
	return &cli.Command{
		Name:        "check",
		Usage:       "find problems in Kafka's metadata: offline partitions, stuck operations, bad znodes, open ACLs",
		Description: checkDescription,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rule", Usage: "run only rule `NAME` (repeat or comma-separate)"},
			&cli.StringSliceFlag{Name: "skip-rule", Usage: "do not run rule `NAME` (repeat or comma-separate)"},
			&cli.StringFlag{Name: "fail-on", Value: check.Error.String(), Usage: "exit 1 when a finding is at or above `SEVERITY`: info, warning or error"},
			&cli.BoolFlag{Name: "list-rules", Usage: "print the rule catalogue with explanations and exit (needs no ZooKeeper)"},
			&cli.BoolFlag{Name: "secure", Usage: "run the security rules (also zookeeper.set.acl=true in --config)"},
			&cli.BoolFlag{Name: "all-acls", Usage: "security rules: also read the ACLs of the partition subtrees (about twice the reads)"},
			&cli.StringFlag{Name: "kafka-version", Value: zkpaths.Latest.String(), Usage: "Kafka `VERSION` whose persistent paths must exist (2.0–3.9; /config/ips from 2.8)"},
			&cli.IntFlag{Name: "leader-imbalance-percentage", Value: d.LeaderImbalancePercent, Usage: "preferred-leader-imbalance above this `PERCENT` per broker (Kafka's leader.imbalance.per.broker.percentage)"},
			&cli.IntFlag{Name: "min-insync-replicas", Value: d.MinInsyncReplicas, Usage: "the brokers' static min.insync.replicas `N` (server.properties), used where no topic or dynamic config sets it"},
			&cli.IntFlag{Name: "config-change-max-count", Value: d.ConfigChangeMaxCount, Usage: "config-change-backlog above `N` notifications"},
			&cli.DurationFlag{Name: "config-change-max-age", Value: d.ConfigChangeMaxAge, Usage: "config-change-backlog when the oldest notification is `D` older than the newest (brokers purge after 15m)"},
			&cli.IntFlag{Name: "isr-change-max-count", Value: d.ISRChangeMaxCount, Usage: "isr-change-backlog above `N` notifications"},
			&cli.DurationFlag{Name: "isr-change-max-age", Value: d.ISRChangeMaxAge, Usage: "isr-change-backlog when a notification is older than `D`"},
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "table output: at most `N` findings per rule (0: all; JSON always has all)"},
			&cli.IntFlag{Name: "max-in-flight", Value: cluster.DefaultMaxInFlight, Usage: "`N` requests outstanding on ZooKeeper at once (its server-wide limit is 1000)"},
			&cli.BoolFlag{Name: "progress", Usage: "show progress on stderr even when it is not a terminal"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("check takes no arguments (got %q); use --rule NAME to pick rules", c.Args().First())
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			opts, err := checkOptionsFrom(c, g)
			if err != nil {
				return err
			}
			p := render.New(streams.Out, g.Output, g.NoColor)
			if c.Bool("list-rules") {
				return printRules(p, check.Catalogue())
			}
			src, closeSrc, err := openReader(c.Context, g)
			if err != nil {
				return err
			}
			defer closeSrc()
			progress := render.NewProgress(streams.Err, opts.Progress)
			defer progress.Done()
			report, err := runCheck(c.Context, opts, src, progress)
			if err != nil {
				return err
			}
			progress.Done()
			report.Source = describeSource(g, nil)
			if err := printCheck(p, report, opts.Limit); err != nil {
				return err
			}
			return checkResult(report)
		},
	}
}

func checkOptionsFrom(c *cli.Context, g *globalOptions) (checkOptions, error) {
	opts := checkOptions{
		Settings:    check.DefaultSettings(),
		AllACLs:     c.Bool("all-acls"),
		MaxInFlight: c.Int("max-in-flight"),
		Limit:       c.Int("limit"),
		Progress:    c.Bool("progress"),
	}
	var err error
	if opts.FailOn, err = check.ParseSeverity(c.String("fail-on")); err != nil {
		return opts, usagef("--fail-on: %v", err)
	}
	secure := c.Bool("secure")
	if !c.IsSet("secure") && g.SetACL != nil {
		secure = *g.SetACL
	}
	if opts.Rules, err = check.Select(splitList(c.StringSlice("rule")), splitList(c.StringSlice("skip-rule")), secure); err != nil {
		return opts, usageError{err}
	}
	s := &opts.Settings
	if s.KafkaVersion, err = zkpaths.ParseVersion(c.String("kafka-version")); err != nil {
		return opts, usageError{err}
	}
	s.LeaderImbalancePercent = c.Int("leader-imbalance-percentage")
	s.MinInsyncReplicas = c.Int("min-insync-replicas")
	s.ConfigChangeMaxCount, s.ConfigChangeMaxAge = c.Int("config-change-max-count"), c.Duration("config-change-max-age")
	s.ISRChangeMaxCount, s.ISRChangeMaxAge = c.Int("isr-change-max-count"), c.Duration("isr-change-max-age")
	switch {
	case s.LeaderImbalancePercent < 0 || s.LeaderImbalancePercent > 100:
		return opts, usagef("--leader-imbalance-percentage must be from 0 to 100")
	case s.MinInsyncReplicas < 1:
		return opts, usagef("--min-insync-replicas must be at least 1")
	case s.ConfigChangeMaxCount < 0 || s.ISRChangeMaxCount < 0 || s.ConfigChangeMaxAge < 0 || s.ISRChangeMaxAge < 0:
		return opts, usagef("the --*-max-count and --*-max-age thresholds cannot be negative")
	case opts.Limit < 0:
		return opts, usagef("--limit cannot be negative")
	case opts.MaxInFlight < 1 || opts.MaxInFlight > 1000:
		return opts, usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	}
	return opts, nil
}

// splitList splits repeated, comma-separated flag values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// runCheck reads the cluster (and the ACLs the rules need) and evaluates
// the rules.
func runCheck(ctx context.Context, opts checkOptions, src zksession.Reader, progress *render.Progress) (*check.Report, error) {
	read := cluster.Options{MaxInFlight: opts.MaxInFlight, Progress: func(pr cluster.Progress) {
		progress.Update("read %d znodes, %d in flight", pr.Znodes, pr.InFlight)
	}}
	m, err := cluster.Read(ctx, src, read)
	if err != nil {
		return nil, err
	}
	opts.Settings.Now = time.Now()
	if snap, ok := src.(*snapshot.Snapshot); ok {
		opts.Settings.Now = snap.Created()
	}
	in := check.Input{Model: m, Settings: opts.Settings}
	var unreadable []check.Unreadable
	if scope := check.ACLScopeFor(opts.Rules, opts.AllACLs); !scope.Empty() {
		progress.Update("reading ACLs")
		if in.ACLs, unreadable, err = check.ReadACLs(ctx, src, scope, opts.MaxInFlight); err != nil {
			return nil, err
		}
	}
	return check.NewReport(in, opts.Rules, opts.FailOn, unreadable), nil
}

// checkResult is the exit status: findings at or above --fail-on first,
// then unreadable znodes.
func checkResult(r *check.Report) error {
	s := r.Summary
	if s.Failed {
		n := 0
		for _, f := range r.Findings {
			if f.Severity >= s.FailOn {
				n++
			}
		}
		return fmt.Errorf("%w: %d at or above --fail-on %s", ErrFindings, n, s.FailOn)
	}
	if len(r.Unreadable) > 0 {
		return fmt.Errorf("%w: %d znode(s) could not be read, the first at %s; the rules did not see them",
			ErrPartial, len(r.Unreadable), r.Unreadable[0].Path)
	}
	return nil
}

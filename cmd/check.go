package cmd

import (
	"context"
	"fmt"
	"github.com/rafka/rafka/factory"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zkpaths"
	"github.com/urfave/cli/v2"
)

type checkOptions struct {
	Rule, SkipRule  cli.StringSlice
	FailOn          string
	ListRules       bool
	Secure, AllACLs bool
	SecureSet       bool
	KafkaVersion    string
	Settings        check.Settings // the thresholds, bound to their flags
	Limit           int            // table: findings shown per rule, 0 for all
	MaxInFlight     int
	Progress        bool

	run check.RunOptions
}

func checkCommand(e *factory.Env, run func(context.Context, *factory.Env, *checkOptions) error) *cli.Command {
	o := &checkOptions{Settings: check.DefaultSettings()}
	s := &o.Settings
	return &cli.Command{
		Name:        "check",
		Usage:       "find problems in Kafka's metadata: offline partitions, stuck operations, bad znodes, open ACLs",
		Description: help("check"),
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rule", Destination: &o.Rule, Usage: "run only rule `NAME` (repeat or comma-separate)"},
			&cli.StringSliceFlag{Name: "skip-rule", Destination: &o.SkipRule, Usage: "do not run rule `NAME` (repeat or comma-separate)"},
			&cli.StringFlag{Name: "fail-on", Value: check.Error.String(), Destination: &o.FailOn, Usage: "exit 1 when a finding is at or above `SEVERITY`: info, warning or error"},
			&cli.BoolFlag{Name: "list-rules", Destination: &o.ListRules, Usage: "print the rule catalogue with explanations and exit (needs no ZooKeeper)"},
			&cli.BoolFlag{Name: "secure", Destination: &o.Secure, Action: func(*cli.Context, bool) error { o.SecureSet = true; return nil },
				Usage: "run the security rules (also zookeeper.set.acl=true in --config)"},
			&cli.BoolFlag{Name: "all-acls", Destination: &o.AllACLs, Usage: "security rules: also read the ACLs of the partition subtrees (about twice the reads)"},
			&cli.StringFlag{Name: "kafka-version", Value: zkpaths.Latest.String(), Destination: &o.KafkaVersion, Usage: "Kafka `VERSION` whose persistent paths must exist (2.0–3.9; /config/ips from 2.8)"},
			&cli.IntFlag{Name: "leader-imbalance-percentage", Value: s.LeaderImbalancePercent, Destination: &s.LeaderImbalancePercent, Usage: "preferred-leader-imbalance above this `PERCENT` per broker (Kafka's leader.imbalance.per.broker.percentage)"},
			&cli.IntFlag{Name: "min-insync-replicas", Value: s.MinInsyncReplicas, Destination: &s.MinInsyncReplicas, Usage: "the brokers' static min.insync.replicas `N` (server.properties), used where no topic or dynamic config sets it"},
			&cli.IntFlag{Name: "config-change-max-count", Value: s.ConfigChangeMaxCount, Destination: &s.ConfigChangeMaxCount, Usage: "config-change-backlog above `N` notifications"},
			&cli.DurationFlag{Name: "config-change-max-age", Value: s.ConfigChangeMaxAge, Destination: &s.ConfigChangeMaxAge, Usage: "config-change-backlog when the oldest notification is `D` older than the newest (brokers purge after 15m)"},
			&cli.IntFlag{Name: "isr-change-max-count", Value: s.ISRChangeMaxCount, Destination: &s.ISRChangeMaxCount, Usage: "isr-change-backlog above `N` notifications"},
			&cli.DurationFlag{Name: "isr-change-max-age", Value: s.ISRChangeMaxAge, Destination: &s.ISRChangeMaxAge, Usage: "isr-change-backlog when a notification is older than `D`"},
			&cli.IntFlag{Name: "limit", Value: 20, Destination: &o.Limit, Usage: "table output: at most `N` findings per rule (0: all; JSON always has all)"},
			factory.MaxInFlightFlag(&o.MaxInFlight, cluster.DefaultMaxInFlight, "`N` requests outstanding on ZooKeeper at once (its server-wide limit is 1000)"),
			&cli.BoolFlag{Name: "progress", Destination: &o.Progress, Usage: "show progress on stderr even when it is not a terminal"},
		},
		Action: func(c *cli.Context) error {
			if err := factory.NoArgs(c, "check", "; use --rule NAME to pick rules"); err != nil {
				return err
			}
			g, err := e.Globals()
			if err != nil {
				return err
			}
			if err := o.complete(g.SetACL); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

// complete checks the flags and settles the run's options; setACL is
// zookeeper.set.acl from --config, the default of --secure.
func (o *checkOptions) complete(setACL *bool) error {
	r := &o.run
	r.Settings, r.AllACLs, r.MaxInFlight = o.Settings, o.AllACLs, o.MaxInFlight
	var err error
	if r.FailOn, err = check.ParseSeverity(o.FailOn); err != nil {
		return factory.Usagef("--fail-on: %v", err)
	}
	secure := o.Secure
	if !o.SecureSet && setACL != nil {
		secure = *setACL
	}
	if r.Rules, err = check.Select(factory.SplitList(o.Rule.Value()), factory.SplitList(o.SkipRule.Value()), secure); err != nil {
		return factory.Usage(err)
	}
	s := &r.Settings
	if s.KafkaVersion, err = zkpaths.ParseVersion(o.KafkaVersion); err != nil {
		return factory.Usage(err)
	}
	switch {
	case s.LeaderImbalancePercent < 0 || s.LeaderImbalancePercent > 100:
		return factory.Usagef("--leader-imbalance-percentage must be from 0 to 100")
	case s.MinInsyncReplicas < 1:
		return factory.Usagef("--min-insync-replicas must be at least 1")
	case s.ConfigChangeMaxCount < 0 || s.ISRChangeMaxCount < 0 || s.ConfigChangeMaxAge < 0 || s.ISRChangeMaxAge < 0:
		return factory.Usagef("the --*-max-count and --*-max-age thresholds cannot be negative")
	case o.Limit < 0:
		return factory.Usagef("--limit cannot be negative")
	}
	return factory.CheckMaxInFlight(o.MaxInFlight)
}

func runCheck(ctx context.Context, e *factory.Env, o *checkOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	if o.ListRules {
		return p.Rules(check.Catalogue())
	}
	src, err := e.KafkaSource(ctx)
	if err != nil {
		return err
	}
	progress := render.NewProgress(e.Err, o.Progress)
	defer progress.Done()
	o.run.Progress = func(what string, znodes, inFlight int) {
		if what == "ACLs" {
			progress.Update("reading ACLs")
			return
		}
		progress.Update("read %d znodes, %d in flight", znodes, inFlight)
	}
	report, err := check.Run(ctx, src, o.run)
	if err != nil {
		return err
	}
	progress.Done()
	report.Source = e.Describe(nil)
	if err := p.Check(report, o.Limit); err != nil {
		return err
	}
	return checkResult(report)
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
		first := r.Unreadable[0].Path
		return partialf(first, "%s could not be read, the first at %s; the rules did not see them", render.Count(len(r.Unreadable), "znode"), first)
	}
	return nil
}

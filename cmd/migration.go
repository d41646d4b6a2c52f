package cmd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/migration"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
	"github.com/urfave/cli/v2"
)

type migrationPreflightOptions struct {
	TargetVersion       string
	ControllerIDs       string
	ControllerPrincipal string
	ReservedBrokerMaxID int
	MinInsyncReplicas   int
	FailOn              string
	MaxInFlight         int

	failOn migration.Severity
	run    migration.PreflightOptions
}

type migrationStatusOptions struct {
	Watch  bool
	Settle time.Duration
	Count  int
	For    time.Duration // --watch: end the stream after this long
}

type migrationRollbackOptions struct {
	Apply  bool
	Yes    bool
	Settle time.Duration
	Backup string
	Undo   string
}

func migrationCommand(e *factory.Env,
	preflight func(context.Context, *factory.Env, *migrationPreflightOptions) error,
	status func(context.Context, *factory.Env, *migrationStatusOptions) error,
	rollback func(context.Context, *factory.Env, *migrationRollbackOptions) error) *cli.Command {
	po := &migrationPreflightOptions{}
	so := &migrationStatusOptions{}
	ro := &migrationRollbackOptions{}
	return &cli.Command{
		Name:  "migration",
		Usage: "ZooKeeper → KRaft migration: readiness, phase and rollback, from ZooKeeper alone",
		Subcommands: []*cli.Command{
			{
				Name:        "preflight",
				Usage:       "check that the cluster is ready to migrate to KRaft, with a verdict per Kafka version",
				Description: help("migration-preflight"),
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "target-version", Value: "3.9", Destination: &po.TargetVersion, Usage: "the Kafka `VERSION` the migration will run on (3.4–3.9, or with a patch: 3.6.2)"},
					&cli.StringFlag{Name: "controller-ids", Destination: &po.ControllerIDs, Usage: "the KRaft controllers' node.id `IDS`, comma-separated (checked against broker ids)"},
					&cli.StringFlag{Name: "controller-principal", Destination: &po.ControllerPrincipal, Usage: "the KRaft controllers' ZooKeeper identity `ID`: sasl:NAME or an x509 subject DN (checked against the ACLs)"},
					&cli.IntFlag{Name: "reserved-broker-max-id", Value: 1000, Destination: &po.ReservedBrokerMaxID, Usage: "the brokers' reserved.broker.max.id `N`: ids above it were generated"},
					&cli.IntFlag{Name: "min-insync-replicas", Value: 1, Destination: &po.MinInsyncReplicas, Usage: "the brokers' static min.insync.replicas `N`"},
					&cli.StringFlag{Name: "fail-on", Value: migration.Blocker.String(), Destination: &po.FailOn, Usage: "exit 1 when a finding is at or above `SEVERITY`: info, warning or blocker"},
					factory.MaxInFlightFlag(&po.MaxInFlight, cluster.DefaultMaxInFlight, "`N` requests outstanding on ZooKeeper at once"),
				},
				Action: func(c *cli.Context) error {
					if err := factory.NoArgs(c, "migration preflight", ""); err != nil {
						return err
					}
					if _, err := e.Globals(); err != nil {
						return err
					}
					if err := po.complete(); err != nil {
						return err
					}
					return preflight(c.Context, e, po)
				},
			},
			{
				Name:        "status",
				Usage:       "show the migration phase as ZooKeeper shows it; --watch streams phase changes (NDJSON with -o json)",
				Description: help("migration-status"),
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "watch", Destination: &so.Watch, Usage: "stream phase changes through the watch pipeline"},
					&cli.DurationFlag{Name: "settle", Value: 3 * time.Second, Destination: &so.Settle, Usage: "when a KRaft controller holds /controller, read again after `D` to tell a writing controller from a stopped one (0: one read)"},
					&cli.IntFlag{Name: "count", Destination: &so.Count, Usage: "--watch: exit 0 after `N` phase changes"},
					factory.ForFlag(&so.For),
				},
				Action: func(c *cli.Context) error {
					if err := factory.NoArgs(c, "migration status", ""); err != nil {
						return err
					}
					if so.Watch {
						if err := e.LiveOnly("migration status --watch"); err != nil {
							return err
						}
					} else if _, err := e.Globals(); err != nil {
						return err
					}
					if so.Settle < 0 {
						return factory.Usagef("--settle cannot be negative")
					}
					if err := factory.CheckCount(so.Count); err != nil {
						return err
					}
					if err := factory.CheckFor(so.For); err != nil {
						return err
					}
					return status(c.Context, e, so)
				},
			},
			{
				Name:        "rollback",
				Usage:       "plan the documented rollback to ZooKeeper mode for the phase found; --apply writes it",
				Description: help("migration-rollback"),
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "apply", Destination: &ro.Apply, Usage: "apply the plan (asks for confirmation on a terminal)"},
					&cli.BoolFlag{Name: "yes", Destination: &ro.Yes, Usage: "with --apply: do not ask"},
					&cli.DurationFlag{Name: "settle", Value: 5 * time.Second, Destination: &ro.Settle, Usage: "read the tree twice `D` apart: a KRaft controller still running shows as /migration changing"},
					&cli.StringFlag{Name: "backup", Destination: &ro.Backup, Usage: "with --apply or --undo: write the backup to `FILE` and its journal to FILE.journal (default rafka-migration-rollback[-undo]-backup-CLUSTERID-TIME.snap here)"},
					&cli.StringFlag{Name: "undo", Destination: &ro.Undo, Usage: "put back what a rollback changed, from its backup `FILE` and journal (conditioned on the state it left)"},
				},
				Action: func(c *cli.Context) error {
					if err := factory.NoArgs(c, "migration rollback", ""); err != nil {
						return err
					}
					if err := e.LiveOnly("migration rollback"); err != nil {
						return err
					}
					switch {
					case ro.Settle < time.Second && ro.Undo == "":
						return factory.Usagef("--settle must be at least 1s: a live KRaft controller rewrites /migration about twice a second")
					case ro.Yes && !ro.Apply:
						return factory.Usagef("--yes only makes sense with --apply")
					case ro.Undo != "" && ro.Apply:
						return factory.Usagef("--undo and --apply cannot be combined (--undo applies at once, through the same guarded write)")
					}
					return rollback(c.Context, e, ro)
				},
			},
		},
	}
}

func (o *migrationPreflightOptions) complete() error {
	var err error
	if o.run.Target, err = migration.ParseVersion(o.TargetVersion); err != nil {
		return factory.Usage(fmt.Errorf("--target-version: %w", err))
	}
	if o.failOn, err = migration.ParseSeverity(o.FailOn); err != nil {
		return factory.Usagef("--fail-on: %v", err)
	}
	for _, s := range factory.SplitList([]string{o.ControllerIDs}) {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil || n < 0 {
			return factory.Usagef("--controller-ids: %q is not a node id", s)
		}
		o.run.ControllerIDs = append(o.run.ControllerIDs, int32(n))
	}
	if o.ControllerPrincipal != "" {
		if _, err := migration.ParsePrincipal(o.ControllerPrincipal); err != nil {
			return factory.Usagef("--controller-principal: %v", err)
		}
	}
	if o.ReservedBrokerMaxID < 0 || o.MinInsyncReplicas < 1 {
		return factory.Usagef("--reserved-broker-max-id cannot be negative and --min-insync-replicas must be at least 1")
	}
	o.run.ControllerPrincipal = o.ControllerPrincipal
	o.run.ReservedBrokerMaxID = int32(o.ReservedBrokerMaxID)
	o.run.MinInsyncReplicas = o.MinInsyncReplicas
	return factory.CheckMaxInFlight(o.MaxInFlight)
}

// sourceName says where the tree was read, for the reports' first line.
func sourceName(g *factory.Globals) string {
	if g.Snapshot != "" {
		return "snapshot " + g.Snapshot
	}
	return g.Target.String()
}

func runMigrationPreflight(ctx context.Context, e *factory.Env, o *migrationPreflightOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	g, _ := e.Globals()
	src, err := e.KafkaSource(ctx)
	if err != nil {
		return err
	}
	m, err := cluster.Read(ctx, src, cluster.Options{MaxInFlight: o.MaxInFlight})
	if err != nil {
		return err
	}
	st, err := migration.ReadState(ctx, src)
	if err != nil {
		return err
	}
	o.run.Chroot = g.Target.Chroot
	if s, ok := src.(*snapshot.Snapshot); ok {
		o.run.Chroot = s.Chroot()
	}
	if sess, ok := src.(*zksession.Session); ok && g.Target.Chroot != "" {
		root := sess.Root()
		if ok, _, err := root.Exists(ctx, zkpaths.Migration); err == nil && ok {
			o.run.OutsideChroot = append(o.run.OutsideChroot, zkpaths.Migration)
		}
		if ok, st, err := root.Exists(ctx, zkpaths.Controller); err == nil && ok && st.EphemeralOwner == 0 {
			o.run.OutsideChroot = append(o.run.OutsideChroot, zkpaths.Controller)
		}
	}
	if o.run.ControllerPrincipal != "" {
		o.run.ACLs = map[string][]zk.ACL{}
		for _, path := range []string{"/", zkpaths.Controller, zkpaths.ControllerEpoch, zkpaths.Migration} {
			acl, _, err := src.GetACL(ctx, path)
			switch {
			case err == nil:
				o.run.ACLs[path] = acl
			case !errors.Is(err, zk.ErrNoNode):
				o.run.ACLsUnread = append(o.run.ACLsUnread, path)
			}
		}
	}
	r := migration.Preflight(m, st, o.run)
	r.Source = sourceName(g)
	if err := p.MigrationPreflight(r); err != nil {
		return err
	}
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= o.failOn {
			n++
		}
	}
	if n > 0 {
		return fmt.Errorf("%w: %d at or above --fail-on %s", ErrFindings, n, o.failOn)
	}
	if len(r.Unreadable) > 0 {
		return partialf(r.Unreadable[0], "%d znode(s) could not be read, the first at %s; the rules did not see them", len(r.Unreadable), r.Unreadable[0])
	}
	return nil
}

func runMigrationStatus(ctx context.Context, e *factory.Env, o *migrationStatusOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	if o.Watch {
		awaiting := ""
		if o.Count > 0 {
			awaiting = fmt.Sprintf("%d phase changes", o.Count)
		}
		return e.Stream(ctx, o.For, awaiting, func(ctx context.Context, sess pipeline.LiveSource) error {
			t := migration.NewTracker()
			seen := 0
			w := watch.NewWatcher(watch.Options{Kinds: migration.WatchKinds, Initial: true}, func(ev watch.Event) error {
				for _, se := range t.Handle(ev) {
					if err := p.MigrationStatusEvent(se); err != nil {
						return err
					}
					if se.Event == "phase-changed" || se.Event == "controller-changed" {
						seen++
						if o.Count > 0 && seen >= o.Count {
							return pipeline.ErrStop
						}
					}
				}
				return nil
			})
			return watch.Run(ctx, sess, w, cluster.DefaultMaxInFlight)
		})
	}
	src, err := e.KafkaSource(ctx)
	if err != nil {
		return err
	}
	settle := o.Settle
	if _, ok := src.(*snapshot.Snapshot); ok {
		settle = 0 // a snapshot does not move
	}
	first, second, err := migration.ReadTwice(ctx, src, settle, false)
	if err != nil {
		return err
	}
	return p.MigrationStatus(migration.Classify(first, second))
}

func runMigrationRollback(ctx context.Context, e *factory.Env, o *migrationRollbackOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	g, _ := e.Globals()
	sess, err := e.KafkaSession(ctx)
	if err != nil {
		return err
	}
	run := migration.RollbackOptions{
		Source: sourceName(g), Apply: o.Apply, Settle: o.Settle, Backup: o.Backup,
		Header: snapshot.Header{RafkaVersion: versionString()},
		Audit:  func(a zkwrite.Audit) { fmt.Fprintln(e.Err, a.String()) },
	}
	var res *migration.RollbackResult
	if o.Undo != "" {
		up, perr := zkwrite.PlanUndo(o.Undo, sess.Chroot())
		if perr != nil {
			return factory.Usage(fmt.Errorf("--undo: %w", perr))
		}
		res, err = migration.Undo(ctx, sess, up, run)
	} else {
		if !o.Yes {
			run.Confirm = func(q string) (bool, error) {
				return e.Confirm(factory.Question{Prompt: q, Accept: func(a string) bool { return a == "yes" },
					OffTerminal: "--apply asks for confirmation on a terminal; give --yes to apply without asking"})
			}
		}
		res, err = migration.Rollback(ctx, sess, run)
	}
	if res == nil {
		return err
	}
	if perr := p.MigrationRollback(res); perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	if len(res.Plan.Refusals) > 0 {
		return fmt.Errorf("%w: rollback refused: %s", ErrFindings, res.Plan.Refusals[0].Reason)
	}
	return nil
}

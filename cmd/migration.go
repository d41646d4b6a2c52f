package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/mattn/go-isatty"
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

	// confirm asks the operator; nil: a prompt on the terminal.
	confirm func(question string) (bool, error)
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

// readTwice reads the state, and again after settle when a KRaft
// controller may be writing (settle 0: once).
func readTwice(ctx context.Context, r migration.Reader, settle time.Duration, always bool) (first, second *migration.State, err error) {
	if first, err = migration.ReadState(ctx, r); err != nil {
		return nil, nil, err
	}
	if settle <= 0 || !always && !first.KRaftHolds() {
		return first, nil, nil
	}
	select {
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	case <-time.After(settle):
	}
	second, err = migration.ReadState(ctx, r)
	return first, second, err
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
	first, second, err := readTwice(ctx, src, settle, false)
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
	if o.Undo != "" {
		return undoRollback(ctx, e, sess, o)
	}
	first, second, err := readTwice(ctx, sess, o.Settle, true)
	if err != nil {
		return err
	}
	plan := migration.PlanRollback(first, second)
	res := &migration.RollbackResult{SchemaVersion: migration.SchemaVersion, Source: sourceName(g), Plan: plan}
	if second.Migration.Exists {
		s := string(second.Migration.Data)
		res.MigrationBefore = &s
	}
	if !o.Apply || !plan.Applicable() {
		if err := p.MigrationRollback(res); err != nil {
			return err
		}
		if len(plan.Refusals) > 0 {
			return fmt.Errorf("%w: rollback refused: %s", ErrFindings, plan.Refusals[0].Reason)
		}
		return nil
	}
	if !o.Yes {
		ok, err := o.ask(e, plan)
		if err != nil {
			return err
		}
		if !ok {
			return p.MigrationRollback(res)
		}
	}
	for i := range plan.Before {
		if acl, _, err := sess.GetACL(ctx, plan.Before[i].Path); err == nil {
			plan.Before[i].ACL = acl
		}
	}
	path := o.Backup
	if path == "" {
		path = zkwrite.DefaultBackupName("migration-rollback", clusterID(ctx, sess), time.Now())
	}
	rep, err := zkwrite.Apply(ctx, sess, plan.WritePlan(), zkwrite.Options{
		Backup: path,
		Header: snapshot.Header{RafkaVersion: versionString()},
		Audit:  func(a zkwrite.Audit) { fmt.Fprintln(e.Err, a.String()) },
		Undo:   "rafka migration rollback --undo",
	})
	var verifyErr *zkwrite.VerifyError
	switch {
	case errors.As(err, &verifyErr):
		// zkwrite wants /controller gone; a ZooKeeper-mode broker taking it
		// over at once is the rollback working: migration.Verify decides.
	case err != nil: // zkwrite.ErrChanged is exit 6, as for every guarded write
		return err
	}
	res.Applied, res.Backup, res.Audit = true, rep.Backup, rep.Audit
	after, verr := migration.Verify(ctx, sess, plan)
	if after != nil {
		res.After = migration.Classify(after, nil)
	}
	if err := p.MigrationRollback(res); err != nil {
		return err
	}
	if verr != nil { // changed after the write: exit 6
		return fmt.Errorf("%w: %w", zkwrite.ErrChanged, verr)
	}
	return nil
}

// clusterID names the backup file; "" when /cluster/id cannot be read.
func clusterID(ctx context.Context, r migration.Reader) string {
	data, _, err := r.Get(ctx, zkpaths.ClusterID)
	if err != nil {
		return ""
	}
	c, err := zkpaths.DecodeClusterID(data)
	if err != nil {
		return ""
	}
	return c.ID
}

// ask confirms --apply on the terminal.
func (o *migrationRollbackOptions) ask(e *factory.Env, plan *migration.Plan) (bool, error) {
	var deletes []string
	for _, s := range plan.Steps {
		if s.Op == "delete" {
			deletes = append(deletes, s.Path)
		}
	}
	q := fmt.Sprintf("Delete %s? Type yes to apply: ", strings.Join(deletes, " and "))
	if o.confirm != nil {
		return o.confirm(q)
	}
	if !isatty.IsTerminal(os.Stdin.Fd()) {
		return false, factory.Usagef("--apply asks for confirmation on a terminal; give --yes to apply without asking")
	}
	fmt.Fprint(e.Err, q)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return strings.TrimSpace(line) == "yes", nil
}

func undoRollback(ctx context.Context, e *factory.Env, sess *zksession.Session, o *migrationRollbackOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	g, _ := e.Globals()
	up, err := zkwrite.PlanUndo(o.Undo, sess.Chroot())
	if err != nil {
		return factory.Usage(fmt.Errorf("--undo: %w", err))
	}
	res := &migration.RollbackResult{SchemaVersion: migration.SchemaVersion, Source: sourceName(g), Undone: []string{}}
	if len(up.Steps) > 0 {
		path := o.Backup
		if path == "" {
			path = zkwrite.DefaultBackupName("migration-rollback-undo", clusterID(ctx, sess), time.Now())
		}
		rep, err := zkwrite.Apply(ctx, sess, up, zkwrite.Options{
			Backup: path,
			Header: snapshot.Header{RafkaVersion: versionString()},
			Audit:  func(a zkwrite.Audit) { fmt.Fprintln(e.Err, a.String()) },
		})
		if err != nil {
			return err
		}
		res.Backup, res.Audit = rep.Backup, rep.Audit
		for _, a := range rep.Audit {
			res.Undone = append(res.Undone, string(a.Op)+" "+a.Path)
		}
	}
	st, err := migration.ReadState(ctx, sess)
	if err != nil {
		return err
	}
	res.Plan = &migration.Plan{Status: migration.Classify(st, nil), Refusals: []migration.Refusal{}, Notes: append([]string{}, up.Notes...), Operator: []string{}}
	if len(up.Steps) == 0 {
		res.Plan.Notes = append(res.Plan.Notes, "the backup's journal records no applied write to undo")
	}
	return p.MigrationRollback(res)
}

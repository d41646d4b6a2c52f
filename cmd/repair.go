package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/repair"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
	"github.com/urfave/cli/v2"
)

// writeFlags are the flags of every command that writes: nothing is
// written without --apply; a terminal asks unless --yes.
type writeFlags struct {
	Apply, Yes bool
	Backup     string
}

func (w *writeFlags) flags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "apply", Destination: &w.Apply, Usage: "write the plan (default: print it and write nothing)"},
		&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Destination: &w.Yes, Usage: "with --apply: do not ask for confirmation (needed when stdin is not a terminal)"},
		&cli.StringFlag{Name: "backup", Destination: &w.Backup, Usage: "write the backup of every znode touched to `FILE` (default: rafka-repair[-undo]-backup-CLUSTERID-TIME.snap here); never overwritten"},
	}
}

type repairOptions struct {
	writeFlags
	Rule, SkipRule cli.StringSlice
	KafkaVersion   string
	Secure         bool
	SecureSet      bool
	Wait           time.Duration

	run repair.Options
}

func repairCommand(e *factory.Env, run func(context.Context, *factory.Env, *repairOptions) error, undo func(context.Context, *factory.Env, *repairUndoOptions) error) *cli.Command {
	o := &repairOptions{run: repair.Options{Settings: check.DefaultSettings()}}
	flags := append(o.writeFlags.flags(),
		&cli.StringSliceFlag{Name: "rule", Destination: &o.Rule, Usage: "repair only what rule `NAME` finds (repeat or comma-separate)"},
		&cli.StringSliceFlag{Name: "skip-rule", Destination: &o.SkipRule, Usage: "leave what rule `NAME` finds alone (repeat or comma-separate)"},
		&cli.StringFlag{Name: "kafka-version", Value: zkpaths.Latest.String(), Destination: &o.KafkaVersion, Usage: "Kafka `VERSION` whose persistent paths must exist (2.0–3.9)"},
		&cli.BoolFlag{Name: "secure", Destination: &o.Secure, Action: func(*cli.Context, bool) error { o.SecureSet = true; return nil },
			Usage: "znodes created get Kafka's secure ACLs, as init-paths --secure (also zookeeper.set.acl=true in --config)"},
		&cli.StringFlag{Name: "cluster-id", Destination: &o.run.ClusterID, Usage: "missing-cluster-id: re-create /cluster/id with `ID`, the cluster.id of a broker's meta.properties"},
		&cli.BoolFlag{Name: "remove-throttles", Destination: &o.run.RemoveThrottles, Usage: "pending-reassignment: also remove the replication throttles it left (topic and broker configs, with a change notification)"},
		&cli.DurationFlag{Name: "election-wait", Value: 30 * time.Second, Destination: &o.Wait, Usage: "after deleting /controller, wait at most `D` for a new controller"},
		factory.MaxInFlightFlag(&o.run.MaxInFlight, cluster.DefaultMaxInFlight, "`N` requests outstanding on ZooKeeper at once"),
	)
	action := func(c *cli.Context, elect bool) error {
		if err := factory.NoArgs(c, c.Command.FullName(), "; use --rule NAME to pick rules"); err != nil {
			return err
		}
		g, err := e.Globals()
		if err != nil {
			return err
		}
		if err := o.complete(g, elect); err != nil {
			return err
		}
		return run(c.Context, e, o)
	}
	return &cli.Command{
		Name:        "repair",
		Usage:       "fix what check finds, guarded: plan, backup, conditioned writes, verify, undo",
		Description: help("repair"),
		Flags:       flags,
		Action:      func(c *cli.Context) error { return action(c, false) },
		Subcommands: []*cli.Command{
			{
				Name:        "elect-controller",
				Usage:       "delete /controller (conditioned on its version and owner) and wait for a new controller",
				Description: help("repair"),
				Flags: append(o.writeFlags.flags(),
					&cli.DurationFlag{Name: "election-wait", Value: 30 * time.Second, Destination: &o.Wait, Usage: "wait at most `D` for a new controller"},
					factory.MaxInFlightFlag(&o.run.MaxInFlight, cluster.DefaultMaxInFlight, "`N` requests outstanding on ZooKeeper at once")),
				Action: func(c *cli.Context) error { return action(c, true) },
			},
			repairUndoCommand(e, undo),
		},
	}
}

func (o *repairOptions) complete(g *factory.Globals, elect bool) error {
	r := &o.run
	var err error
	r.ElectController = elect
	if !elect {
		if r.Rules, err = check.Select(factory.SplitList(o.Rule.Value()), factory.SplitList(o.SkipRule.Value()), false); err != nil {
			return factory.Usage(err)
		}
	}
	if r.Settings.KafkaVersion, err = zkpaths.ParseVersion(o.KafkaVersion); err != nil {
		return factory.Usage(err)
	}
	r.Secure = o.Secure
	if !o.SecureSet && g.SetACL != nil {
		r.Secure = *g.SetACL
	}
	if r.Secure && o.Apply && len(g.Session.Auth) == 0 && (g.Session.TLS == nil || len(g.Session.TLS.Certificates) == 0) {
		return factory.Usagef("--secure (zookeeper.set.acl=true) needs an authenticated session to create znodes with Kafka's ACLs, as Kafka does: " +
			"give digest credentials (--auth-file or " + factory.EnvAuth + ") or a TLS client certificate")
	}
	if r.ClusterID != "" {
		if err := repair.ValidClusterID(r.ClusterID); err != nil {
			return factory.Usagef("--cluster-id: %v", err)
		}
	}
	if o.Wait <= 0 {
		return factory.Usagef("--election-wait must be positive")
	}
	if o.Apply && g.Snapshot != "" {
		return factory.Usagef("--snapshot plans only: --apply writes to a live ZooKeeper, give -z instead")
	}
	return factory.CheckMaxInFlight(r.MaxInFlight)
}

func runRepair(ctx context.Context, e *factory.Env, o *repairOptions) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	command := "repair"
	if o.run.ElectController {
		command = "repair elect-controller"
	}
	var src repair.Source
	var sess *zksession.Session
	// Like every command that judges Kafka's metadata, repair first
	// establishes that the chroot holds a Kafka tree (exit 7, naming the
	// chroots that do): a mistyped chroot is not a tree to plan repairs on.
	if g.Snapshot != "" {
		s, err := e.KafkaSource(ctx)
		if err != nil {
			return err
		}
		snap, ok := s.(*snapshot.Snapshot)
		if !ok {
			return fmt.Errorf("repair: --snapshot gave a %T source", s)
		}
		src = snap
		o.run.Settings.Now = snap.Created()
	} else {
		if sess, err = e.KafkaSession(ctx); err != nil {
			return err
		}
		src = sess
		o.run.Settings.Now = time.Now()
	}
	plan, err := repair.Make(ctx, src, o.run)
	if err != nil {
		return err
	}
	target := g.Describe(nil)
	doc := view.NewRepair(command, targetString(target), o.Apply, plan.Remedies, plan.Writes())
	doc.Source = &target
	doc.Unremedied = plan.Unremedied
	return writeRepair(e, doc, o.writeFlags, repairWrite{
		empty:  plan.Empty(),
		backup: func() string { return zkwrite.DefaultBackupName("repair", plan.ClusterID, time.Now()) },
		question: func(backup string) string {
			return fmt.Sprintf("Apply %d step(s) to %s? The backup goes to %s first.", len(plan.Writes().Steps), doc.Target, backup)
		},
		apply: func(opts repair.ApplyOptions) (*repair.Outcome, error) {
			opts.Wait = o.Wait
			return plan.Apply(ctx, sess, opts)
		},
	})
}

// repairWrite is one guarded write of repair or repair undo.
type repairWrite struct {
	empty    bool          // nothing to write
	backup   func() string // the default backup file
	question func(backup string) string
	apply    func(repair.ApplyOptions) (*repair.Outcome, error)
}

// writeRepair shows doc's plan and, with --apply, asks, writes and shows
// the outcome.
func writeRepair(e *factory.Env, doc *view.Repair, f writeFlags, w repairWrite) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	if err := p.RepairPlan(doc); err != nil {
		return err
	}
	if !f.Apply || w.empty {
		if f.Apply {
			return p.RepairOutcome(doc)
		}
		return nil
	}
	backup := f.Backup
	if backup == "" {
		backup = w.backup()
	}
	if err := e.ConfirmApply(w.question(backup), f.Yes); err != nil {
		return err
	}
	out, err := w.apply(repair.ApplyOptions{
		Backup: backup,
		Header: snapshot.Header{RafkaVersion: versionString()},
		Audit:  func(a zkwrite.Audit) { fmt.Fprintln(e.Err, a.String()) },
	})
	return finishWrite(p, doc, out, backup, err)
}

// finishWrite shows the outcome and turns a remedy the rules still find
// into exit 1.
func finishWrite(p view.Printer, doc *view.Repair, out *repair.Outcome, backup string, err error) error {
	doc.Outcome = out
	if out != nil && out.Apply != nil && len(out.Apply.Applied) > 0 {
		doc.Undo = &view.RepairUndoReference{Backup: backup, Command: "rafka repair undo --apply"}
	}
	if out != nil && out.Apply != nil {
		if perr := p.RepairOutcome(doc); perr != nil && err == nil {
			return perr
		}
	}
	if errors.Is(err, repair.ErrNotFixed) {
		return fmt.Errorf("%w: %w", ErrFindings, err)
	}
	return err
}

// ---------------------------------------------------------------------------------------------
// undo

type repairUndoOptions struct {
	writeFlags
	File string
}

func repairUndoCommand(e *factory.Env, run func(context.Context, *factory.Env, *repairUndoOptions) error) *cli.Command {
	o := &repairUndoOptions{}
	return &cli.Command{
		Name:        "undo",
		Usage:       "put back what a repair changed, from its backup, unless someone changed it since",
		ArgsUsage:   "BACKUP",
		Description: help("repair"),
		Flags:       o.writeFlags.flags(),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 || c.Args().First() == "" {
				return factory.Usagef("repair undo takes one argument, the BACKUP file a repair wrote (got %d)", c.NArg())
			}
			o.File = c.Args().First()
			g, err := e.Globals()
			if err != nil {
				return err
			}
			if g.Snapshot != "" {
				return factory.Usagef("repair undo writes to a live ZooKeeper: give -z, not --snapshot")
			}
			return run(c.Context, e, o)
		},
	}
}

func runRepairUndo(ctx context.Context, e *factory.Env, o *repairUndoOptions) error {
	sess, err := e.Session(ctx)
	if err != nil {
		return err
	}
	plan, err := repair.Undo(ctx, sess, o.File, sess.Chroot())
	if errors.Is(err, zkwrite.ErrBackup) {
		return factory.Usage(err)
	}
	if err != nil {
		return err
	}
	target := zksession.Target{Servers: sess.Servers(), Chroot: sess.Chroot()}.String()
	doc := view.NewRepair("repair undo", target, o.Apply, nil, plan)
	return writeRepair(e, doc, o.writeFlags, repairWrite{
		empty: len(plan.Steps) == 0,
		backup: func() string {
			return zkwrite.DefaultBackupName("repair-undo", zkwrite.ClusterID(ctx, sess), time.Now())
		},
		question: func(backup string) string {
			return fmt.Sprintf("Undo %d step(s) on %s? The backup goes to %s first.", len(plan.Steps), target, backup)
		},
		apply: func(opts repair.ApplyOptions) (*repair.Outcome, error) {
			return repair.ApplyUndo(ctx, sess, plan, opts)
		},
	})
}

func targetString(o cluster.Origin) string {
	if o.Snapshot != "" {
		return "snapshot " + o.Snapshot
	}
	return zksession.Target{Servers: o.Servers, Chroot: o.Chroot}.String()
}

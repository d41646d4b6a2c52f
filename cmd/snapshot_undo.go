package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/restore"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zkwrite"
	"github.com/urfave/cli/v2"
)

// ---------------------------------------------------------------------------------------------
// undo: puts back what a guarded write (snapshot load, and any command writing through
// zkwrite) changed, from its backup and journal.

type snapshotUndoOptions struct {
	Backup string
	Apply  bool
}

func snapshotUndoCommand(e *factory.Env, run func(context.Context, *factory.Env, *snapshotUndoOptions) error) *cli.Command {
	o := &snapshotUndoOptions{}
	return &cli.Command{
		Name:      "undo",
		Usage:     "put back what a load (or another guarded write) changed, from its BACKUP and journal",
		ArgsUsage: "BACKUP",
		Description: "Shows the plan: each step applied, newest first, turned back (created znodes deleted, old data and ACLs\n" +
			"set back, deleted znodes created again), each conditioned on the version the write left, so nothing\n" +
			"someone changed since is overwritten (exit 6, nothing written). Writes only with --apply, after\n" +
			"writing its own backup, BACKUP.undo-TIME.snap.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "apply", Destination: &o.Apply, Usage: "write; without it the plan is shown and nothing written"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 || c.Args().First() == "" {
				return factory.Usagef("snapshot undo takes one argument, the BACKUP file (got %d)", c.NArg())
			}
			o.Backup = c.Args().First()
			if _, err := e.Globals(); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

func runSnapshotUndo(ctx context.Context, e *factory.Env, o *snapshotUndoOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	sess, err := e.Session(ctx)
	if err != nil {
		return err
	}
	plan, rep, err := restore.Undo(ctx, sess, o.Backup, o.Apply, zkwrite.Options{
		Header: snapshot.Header{RafkaVersion: versionString()},
		Audit:  func(a zkwrite.Audit) { fmt.Fprintln(e.Err, auditLine(a)) },
	})
	if plan == nil {
		return err
	}
	res := view.NewSnapshotUndo(o.Backup, plan, o.Apply)
	res.Write = rep
	if perr := p.SnapshotUndo(res); perr != nil && err == nil {
		err = perr
	}
	return err
}

// stepAudit logs each step of a bulk write (snapshot load) as one line on
// w, with its first znode and how many it wrote; the journal next to the
// backup lists every znode with its version. Set both returned functions
// (Options.Audit, Options.AfterStep).
func stepAudit(w io.Writer) (audit func(zkwrite.Audit), after func(int)) {
	var ops []zkwrite.Audit
	audit = func(a zkwrite.Audit) { ops = append(ops, a) }
	after = func(int) {
		if len(ops) == 0 {
			return
		}
		a := ops[0]
		line := auditLine(a)
		if len(ops) > 1 {
			line += fmt.Sprintf(" and %d more %s (see the journal)", len(ops)-1, a.Op)
		}
		fmt.Fprintln(w, line)
		ops = ops[:0]
	}
	return audit, after
}

// auditLine is one write's audit line for stderr, its path escaped as
// every table escapes what it read.
func auditLine(a zkwrite.Audit) string {
	a.Path = render.Escape(a.Path, false, false)
	return "rafka: " + a.String()
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode"

	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
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

// undoResult is what snapshot undo prints with -o json.
type undoResult struct {
	Backup string             `json:"backup"`
	Steps  []zkwrite.StepView `json:"steps"`
	Notes  []string           `json:"notes"`
	Apply  bool               `json:"apply"`
	Write  *zkwrite.Report    `json:"write"`
}

func runSnapshotUndo(ctx context.Context, e *factory.Env, o *snapshotUndoOptions) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	sess, err := e.Session(ctx)
	if err != nil {
		return err
	}
	plan, err := zkwrite.PlanUndo(o.Backup, sess.Chroot())
	if err != nil {
		return err
	}
	res := undoResult{Backup: o.Backup, Steps: plan.View(showData), Notes: append([]string{}, plan.Notes...), Apply: o.Apply}
	if o.Apply && len(plan.Steps) > 0 {
		res.Write, err = zkwrite.Apply(ctx, sess, plan, zkwrite.Options{
			Backup: o.Backup + ".undo-" + time.Now().UTC().Format("20060102T150405Z") + ".snap",
			Header: snapshot.Header{RafkaVersion: versionString()},
			Undo:   "rafka snapshot undo",
			Audit: func(a zkwrite.Audit) {
				a.Path = printable(a.Path)
				fmt.Fprintln(e.Err, "rafka: "+a.String())
			},
		})
	}
	if g.Output == render.JSON {
		enc := json.NewEncoder(e.Out)
		enc.SetIndent("", "  ")
		if perr := enc.Encode(res); perr != nil && err == nil {
			err = perr
		}
		return err
	}
	printUndo(e.Out, &res)
	return err
}

func printUndo(w io.Writer, res *undoResult) {
	if len(res.Steps) == 0 {
		fmt.Fprintf(w, "%s: nothing to undo (no step was applied)\n", res.Backup)
	}
	for _, s := range res.Steps {
		fmt.Fprintf(w, "step %d: %s\n", s.Step, printable(s.Title))
		for _, op := range s.Ops {
			fmt.Fprintf(w, "  %-7s %s (if %s)\n", op.Op, printable(op.Path), op.Condition)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", printable(n))
	}
	switch {
	case res.Write != nil:
		fmt.Fprintf(w, "undone: %d of %d steps; backup of this undo %s\n", len(res.Write.Applied), res.Write.Steps, res.Write.Backup)
	case len(res.Steps) > 0:
		fmt.Fprintln(w, "nothing written: run again with --apply to undo")
	}
}

// showData renders a znode's data for a plan, secrets redacted.
func showData(path string, data []byte) string {
	if data == nil {
		return "null"
	}
	return string(zkpaths.RedactData(path, data))
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
		a.Path = printable(a.Path)
		line := "rafka: " + a.String()
		if len(ops) > 1 {
			line += fmt.Sprintf(" and %d more %s (see the journal)", len(ops)-1, a.Op)
		}
		fmt.Fprintln(w, line)
		ops = ops[:0]
	}
	return audit, after
}

// printable quotes text holding control or bidi characters, so a path
// read from a file cannot drive the terminal.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsGraphic(r) || unicode.Is(unicode.Bidi_Control, r) {
			return strconv.QuoteToASCII(s)
		}
	}
	return s
}

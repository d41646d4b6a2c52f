package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/restore"
	"github.com/rafka/rafka/zkwrite"

	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

func snapshotCommand(e *factory.Env, save func(context.Context, *factory.Env, *snapshotSaveOptions) error, load func(context.Context, *factory.Env, *snapshotLoadOptions) error) *cli.Command {
	return &cli.Command{
		Name:        "snapshot",
		Usage:       "save Kafka's whole tree to a file, or load one into an empty lab ZooKeeper",
		Description: help("snapshot"),
		Subcommands: []*cli.Command{snapshotSaveCommand(e, save), snapshotLoadCommand(e, load), snapshotUndoCommand(e, runSnapshotUndo)},
	}
}

// fileArg is a subcommand's one FILE argument.
func fileArg(c *cli.Context) (string, error) {
	if c.NArg() != 1 || c.Args().First() == "" {
		return "", factory.Usagef("%s takes one argument, the snapshot FILE (got %d)", "snapshot "+c.Command.Name, c.NArg())
	}
	return c.Args().First(), nil
}

// ---------------------------------------------------------------------------------------------
// save

type snapshotSaveOptions struct {
	File        string
	MaxInFlight int
	Force       bool
}

func snapshotSaveCommand(e *factory.Env, run func(context.Context, *factory.Env, *snapshotSaveOptions) error) *cli.Command {
	o := &snapshotSaveOptions{}
	return &cli.Command{
		Name:        "save",
		Usage:       "write every znode under the chroot (data, stat, ACL) to FILE",
		ArgsUsage:   "FILE",
		Description: help("snapshot-save"),
		Flags: []cli.Flag{
			factory.MaxInFlightFlag(&o.MaxInFlight, snapshot.DefaultMaxInFlight, "requests in flight at once on the session (`N`)"),
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Destination: &o.Force, Usage: "replace FILE if it exists (only ever a regular file)"},
		},
		Action: func(c *cli.Context) error {
			var err error
			if o.File, err = fileArg(c); err != nil {
				return err
			}
			if _, err := e.Globals(); err != nil {
				return err
			}
			if o.MaxInFlight < 1 {
				return factory.Usagef("--max-in-flight must be at least 1")
			}
			return run(c.Context, e, o)
		},
	}
}

func runSnapshotSave(ctx context.Context, e *factory.Env, o *snapshotSaveOptions) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	if g.Snapshot != "" {
		g.Logger.Warn("snapshot save reads ZooKeeper; --snapshot is ignored", "snapshot", g.Snapshot)
	}
	sess, err := e.KafkaSession(ctx)
	if err != nil {
		return err
	}
	if _, err := sess.EnsureChroot(ctx, zksession.ChrootMustExist, nil); err != nil {
		if errors.Is(err, zksession.ErrNoChroot) {
			return factory.Usagef("%w: nothing to save", err)
		}
		return err
	}
	rep, err := snapshot.Save(ctx, sess, o.File, snapshot.SaveOptions{
		Header:      snapshot.Header{RafkaVersion: versionString()},
		MaxInFlight: o.MaxInFlight,
		Overwrite:   o.Force,
		Stdout:      e.Out,
	})
	if err != nil {
		return factory.FileError(err)
	}
	res := view.NewSnapshotSave(o.File, snapshot.Origin{Servers: sess.Servers(), Chroot: sess.Chroot()}, rep)
	if o.File == fileio.Stdout {
		// The snapshot is stdout: the summary goes to stderr.
		fmt.Fprintf(e.Err, "rafka: wrote a snapshot of %d znodes to standard output\n", res.Nodes)
	} else {
		p, err := e.Printer()
		if err != nil {
			return err
		}
		if err := p.SnapshotSave(res); err != nil {
			return err
		}
	}
	if res.Partial {
		return fmt.Errorf("%w: %s refused (NoAuth); %s marks those znodes", ErrPartial, render.Count(len(res.Errors), "read"), res.File)
	}
	return nil
}

// ---------------------------------------------------------------------------------------------
// load

type snapshotLoadOptions struct {
	File   string
	DryRun bool
	Backup string
	Create snapshot.CreateOptions
}

func snapshotLoadCommand(e *factory.Env, run func(context.Context, *factory.Env, *snapshotLoadOptions) error) *cli.Command {
	o := &snapshotLoadOptions{}
	return &cli.Command{
		Name:        "load",
		Usage:       "recreate a snapshot's tree under an empty chroot of a lab ZooKeeper",
		ArgsUsage:   "FILE",
		Description: help("snapshot-load"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Destination: &o.DryRun, Usage: "check the target and print the plan; write nothing"},
			&cli.StringFlag{Name: "backup", Destination: &o.Backup, Usage: "write the backup and journal (for rafka snapshot undo) to `FILE` " +
				"(default: next to the snapshot, rafka-snapshot-load-backup-CLUSTERID-TIME.snap)"},
			factory.MaxInFlightFlag(&o.Create.MaxInFlight, snapshot.DefaultCreateInFlight, "multi requests in flight at once (`N`)"),
			&cli.IntFlag{Name: "batch-bytes", Value: snapshot.DefaultMaxBatchBytes, Destination: &o.Create.MaxBatchBytes,
				Usage: "size bound of one multi request in `BYTES` (ZooKeeper takes at most 1 MiB by default)"},
		},
		Action: func(c *cli.Context) error {
			var err error
			if o.File, err = fileArg(c); err != nil {
				return err
			}
			if _, err := e.Globals(); err != nil {
				return err
			}
			if o.Create.MaxInFlight < 1 || o.Create.MaxBatchBytes < 1024 || o.Create.MaxBatchBytes > snapshot.MaxRequestBytes {
				return factory.Usagef("--max-in-flight must be at least 1 and --batch-bytes from 1024 to %d", snapshot.MaxRequestBytes)
			}
			return run(c.Context, e, o)
		},
	}
}

func runSnapshotLoad(ctx context.Context, e *factory.Env, o *snapshotLoadOptions) error {
	snap, err := e.SnapshotFile(o.File)
	if err != nil {
		return err
	}
	if root := snap.Header().Root; root != "/" {
		return factory.Usagef("%s holds the subtree %s: load takes snapshots of a whole tree (root /)", o.File, root)
	}
	sess, err := e.Session(ctx)
	if err != nil {
		return err
	}
	backup := o.Backup
	if backup == "" {
		backup = filepath.Join(filepath.Dir(o.File), zkwrite.DefaultBackupName("snapshot-load", snapshotClusterID(snap), time.Now()))
	}
	audit, afterStep := stepAudit(e.Err)
	rep, wrep, err := restore.Load(ctx, sess, snap, restore.Options{DryRun: o.DryRun, Create: o.Create,
		Write: zkwrite.Options{Backup: backup, Undo: "rafka snapshot undo", Header: snapshot.Header{RafkaVersion: versionString()},
			Audit: audit, AfterStep: afterStep}})
	if errors.Is(err, snapshot.ErrTargetNotEmpty) {
		return factory.Usage(err)
	}
	if err != nil {
		return err
	}
	res := view.NewSnapshotLoad(o.File, snap, zksession.Target{Servers: sess.Servers(), Chroot: sess.Chroot()}.String(), rep)
	res.Write = wrep
	p, err := e.Printer()
	if err != nil {
		return err
	}
	if err := p.SnapshotLoad(res); err != nil {
		return err
	}
	if n := len(res.Skipped) + len(res.ACLErrors); n > 0 {
		return fmt.Errorf("%w: %s not restored as captured (see above)", ErrPartial, render.Count(n, "znode"))
	}
	return nil
}

// snapshotClusterID is the cluster id a snapshot holds in /cluster/id,
// for the backup's name; "" when it holds none.
func snapshotClusterID(snap *snapshot.Snapshot) string {
	n, ok := snap.Node("/cluster/id")
	if !ok {
		return ""
	}
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(n.Data, &v) != nil {
		return ""
	}
	return v.ID
}

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

func snapshotCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:  "snapshot",
		Usage: "save Kafka's whole tree to a file, or load one into an empty lab ZooKeeper",
		Description: "A snapshot holds every znode under the chroot (data, stat, ACL) in a versioned NDJSON\n" +
			"file, gzipped when its name ends in .gz. Read-only commands read one instead of ZooKeeper\n" +
			"with --snapshot FILE. The format is described in snapshot/FORMAT.md.",
		Subcommands: []*cli.Command{snapshotSaveCommand(streams), snapshotLoadCommand(streams)},
	}
}

// fileArg is a subcommand's one FILE argument.
func fileArg(c *cli.Context) (string, error) {
	if c.NArg() != 1 || c.Args().First() == "" {
		return "", usagef("%s takes one argument, the snapshot FILE (got %d)", "snapshot "+c.Command.Name, c.NArg())
	}
	return c.Args().First(), nil
}

// openSession opens the live session a snapshot subcommand works on.
func openSession(c *cli.Context, g *globalOptions) (*zksession.Session, error) {
	if err := g.needTarget(); err != nil {
		return nil, err
	}
	return zksession.Open(c.Context, g.Session)
}

// ---------------------------------------------------------------------------------------------
// save

type snapshotSaveOptions struct {
	File        string
	MaxInFlight int
}

type snapshotSaveResult struct {
	File     string               `json:"file"`
	Source   snapshot.Source      `json:"source"`
	Nodes    int                  `json:"nodes"`
	Vanished int                  `json:"vanished"` // deleted during the walk
	Bytes    int64                `json:"bytes"`
	Seconds  float64              `json:"seconds"`
	Partial  bool                 `json:"partial"`
	Errors   []snapshot.NodeError `json:"errors"` // reads refused (NoAuth)
}

func snapshotSaveCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:      "save",
		Usage:     "write every znode under the chroot (data, stat, ACL) to FILE",
		ArgsUsage: "FILE",
		Description: "Walks the tree under the chroot (without a chroot: all but /zookeeper) with many reads in\n" +
			"flight on one session, and writes FILE atomically: a failed run leaves nothing behind. FILE is\n" +
			"gzipped when its name ends in .gz, and is created with mode 0600 (Kafka's tree holds\n" +
			"credentials). Znodes deleted during the walk are left out. Znodes rafka may not read (NoAuth)\n" +
			"are written marked as such and listed; the command then exits 5 (partial), after writing FILE.\n" +
			"Always reads ZooKeeper: --snapshot does not apply.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "max-in-flight", Value: snapshot.DefaultMaxInFlight,
				Usage: "requests in flight at once on the session (`N`)"},
		},
		Action: func(c *cli.Context) error {
			file, err := fileArg(c)
			if err != nil {
				return err
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			opts := snapshotSaveOptions{File: file, MaxInFlight: c.Int("max-in-flight")}
			if opts.MaxInFlight < 1 {
				return usagef("--max-in-flight must be at least 1")
			}
			if g.Snapshot != "" {
				g.Logger.Warn("snapshot save reads ZooKeeper; --snapshot is ignored", "snapshot", g.Snapshot)
			}
			sess, err := openSession(c, g)
			if err != nil {
				return err
			}
			defer sess.Close()
			res, err := runSnapshotSave(c.Context, opts, sess)
			if err != nil {
				return err
			}
			if err := printSnapshotSave(render.New(streams.Out, g.Output, g.NoColor), res); err != nil {
				return err
			}
			if res.Partial {
				return fmt.Errorf("%w: %d reads refused (NoAuth); %s marks those znodes", ErrPartial, len(res.Errors), res.File)
			}
			return nil
		},
	}
}

func runSnapshotSave(ctx context.Context, opts snapshotSaveOptions, sess *zksession.Session) (*snapshotSaveResult, error) {
	if chroot := sess.Chroot(); chroot != "" {
		ok, _, err := sess.Root().Exists(ctx, chroot)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, usagef("chroot %s does not exist on %s: nothing to save", chroot, strings.Join(sess.Servers(), ","))
		}
	}
	rep, err := snapshot.Save(ctx, sess, opts.File, snapshot.SaveOptions{
		Header:      snapshot.Header{RafkaVersion: versionString()},
		MaxInFlight: opts.MaxInFlight,
	})
	if err != nil {
		return nil, fileError(err)
	}
	return &snapshotSaveResult{
		File:     opts.File,
		Source:   snapshot.Source{Servers: sess.Servers(), Chroot: sess.Chroot()},
		Nodes:    rep.Trailer.Nodes,
		Vanished: rep.Trailer.Vanished,
		Bytes:    rep.Bytes,
		Seconds:  rep.Duration.Seconds(),
		Partial:  rep.Trailer.Partial(),
		Errors:   append([]snapshot.NodeError{}, rep.Trailer.Errors...),
	}, nil
}

// fileError makes a local file that cannot be written a usage error: the
// path given is wrong, or its file system is full or read-only.
func fileError(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) || errors.As(err, &le) {
		return usageError{err}
	}
	return err
}

func printSnapshotSave(p *render.Printer, res *snapshotSaveResult) error {
	if p.Format == render.JSON {
		return p.JSON(res)
	}
	fmt.Fprintf(p.Out, "saved %d znodes from %s to %s (%s) in %s\n", res.Nodes, connectString(res.Source),
		res.File, byteSize(res.Bytes), seconds(res.Seconds))
	if res.Vanished > 0 {
		fmt.Fprintf(p.Out, "%d znodes were deleted while rafka read the tree: not in the snapshot\n", res.Vanished)
	}
	if len(res.Errors) == 0 {
		return nil
	}
	fmt.Fprintln(p.Out, p.Paint(render.Warn, fmt.Sprintf("%d reads refused (NoAuth): the snapshot is partial", len(res.Errors))))
	rows := make([][]string, len(res.Errors))
	for i, e := range res.Errors {
		rows[i] = []string{e.Path, e.Op, e.Error}
	}
	return p.Table([]string{"PATH", "READ", "ERROR"}, rows)
}

// ---------------------------------------------------------------------------------------------
// load

type snapshotLoadOptions struct {
	File   string
	DryRun bool
	Create snapshot.CreateOptions
}

type snapshotInfo struct {
	File    string          `json:"file"`
	Created time.Time       `json:"created"`
	Source  snapshot.Source `json:"source"`
	Nodes   int             `json:"nodes"`
	Partial bool            `json:"partial"`
}

type snapshotLoadResult struct {
	Snapshot snapshotInfo `json:"snapshot"`
	Target   string       `json:"target"` // connect string, with the chroot
	snapshot.LoadReport
	Seconds float64 `json:"seconds"`
}

func snapshotLoadCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:      "load",
		Usage:     "recreate a snapshot's tree under an empty chroot of a lab ZooKeeper",
		ArgsUsage: "FILE",
		Description: "Refuses (exit 2) when the chroot has children, or, without a chroot, when the root holds\n" +
			"anything but /zookeeper. Creates the chroot when missing, then every znode with its data and\n" +
			"ACL, parents first, in multi requests. Ephemeral znodes become persistent (and are listed);\n" +
			"stats and sequence counters (the cversion of /config/changes and the other notification\n" +
			"parents) cannot be restored. Znodes the snapshot could not read are skipped (exit 5).\n" +
			"For labs: it writes into ZooKeeper as fast as it can.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Usage: "check the target and print the plan; write nothing"},
			&cli.IntFlag{Name: "max-in-flight", Value: snapshot.DefaultCreateInFlight,
				Usage: "multi requests in flight at once (`N`)"},
			&cli.IntFlag{Name: "batch-bytes", Value: snapshot.DefaultMaxBatchBytes,
				Usage: "size bound of one multi request in `BYTES` (ZooKeeper takes at most 1 MiB by default)"},
		},
		Action: func(c *cli.Context) error {
			file, err := fileArg(c)
			if err != nil {
				return err
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			opts := snapshotLoadOptions{File: file, DryRun: c.Bool("dry-run"), Create: snapshot.CreateOptions{
				MaxInFlight: c.Int("max-in-flight"), MaxBatchBytes: c.Int("batch-bytes")}}
			if opts.Create.MaxInFlight < 1 || opts.Create.MaxBatchBytes < 1024 || opts.Create.MaxBatchBytes > snapshot.MaxRequestBytes {
				return usagef("--max-in-flight must be at least 1 and --batch-bytes from 1024 to %d", snapshot.MaxRequestBytes)
			}
			snap, err := snapshot.Open(file)
			if err != nil {
				return usageError{err}
			}
			if root := snap.Header().Root; root != "/" {
				return usagef("%s holds the subtree %s: load takes snapshots of a whole tree (root /)", file, root)
			}
			sess, err := openSession(c, g)
			if err != nil {
				return err
			}
			defer sess.Close()
			res, err := runSnapshotLoad(c.Context, opts, sess, snap)
			if err != nil {
				return err
			}
			if err := printSnapshotLoad(render.New(streams.Out, g.Output, g.NoColor), res, snap); err != nil {
				return err
			}
			if n := len(res.Skipped) + len(res.ACLErrors); n > 0 {
				return fmt.Errorf("%w: %d znodes not restored as captured (see above)", ErrPartial, n)
			}
			return nil
		},
	}
}

func runSnapshotLoad(ctx context.Context, opts snapshotLoadOptions, sess *zksession.Session, snap *snapshot.Snapshot) (*snapshotLoadResult, error) {
	rep, err := snapshot.Load(ctx, sess, snap, snapshot.LoadOptions{DryRun: opts.DryRun, Create: opts.Create})
	if errors.Is(err, snapshot.ErrTargetNotEmpty) {
		return nil, usageError{err}
	}
	if err != nil {
		return nil, err
	}
	return &snapshotLoadResult{
		Snapshot: snapshotInfo{File: opts.File, Created: snap.Created(), Source: snap.Header().Source,
			Nodes: len(snap.Nodes()), Partial: snap.Trailer().Partial()},
		Target:     connectString(snapshot.Source{Servers: sess.Servers(), Chroot: sess.Chroot()}),
		LoadReport: rep,
		Seconds:    rep.Duration.Seconds(),
	}, nil
}

func printSnapshotLoad(p *render.Printer, res *snapshotLoadResult, snap *snapshot.Snapshot) error {
	if p.Format == render.JSON {
		return p.JSON(res)
	}
	s := res.Snapshot
	fmt.Fprintf(p.Out, "snapshot %s: %d znodes from %s, taken %s\n", s.File, s.Nodes, connectString(s.Source),
		s.Created.Format(time.RFC3339))
	if res.Chroot != "" {
		fmt.Fprintf(p.Out, "chroot %s: %s\n", res.Chroot, res.ChrootAction)
	}
	var extra []string
	if res.Existed > 0 {
		extra = append(extra, fmt.Sprintf("%d existed already", res.Existed))
	}
	if res.ACLsSet > 0 {
		extra = append(extra, fmt.Sprintf("%d ACLs set afterwards", res.ACLsSet))
	}
	if res.Root == snapshot.RootRestored {
		extra = append(extra, "the root's data and ACL set on the chroot")
	}
	summary := fmt.Sprintf("%d znodes into %s in %d multi requests", res.Created, res.Target, res.Batches)
	if len(extra) > 0 {
		summary += " (" + strings.Join(extra, ", ") + ")"
	}
	if res.DryRun {
		fmt.Fprintf(p.Out, "%s %s; nothing written (dry run)\n", p.Paint(render.Warn, "would create"), summary)
	} else {
		fmt.Fprintf(p.Out, "%s %s in %s\n", p.Paint(render.Good, "created"), summary, seconds(res.Seconds))
	}
	if len(res.Ephemeral) > 0 {
		rows := make([][]string, len(res.Ephemeral))
		for i, path := range res.Ephemeral {
			owner := ""
			if n, ok := snap.Node(path); ok {
				owner = "0x" + strconv.FormatInt(n.Stat.EphemeralOwner, 16)
			}
			rows[i] = []string{path, owner}
		}
		fmt.Fprintln(p.Out)
		if err := p.Table([]string{"EPHEMERAL ZNODE (NOW PERSISTENT)", "OWNER SESSION AT THE SOURCE"}, rows); err != nil {
			return err
		}
	}
	var rows [][]string
	for _, path := range res.Skipped {
		rows = append(rows, []string{path, "not restored: not readable when the snapshot was taken"})
	}
	for _, e := range res.ACLErrors {
		rows = append(rows, []string{e.Path, "left open: ACL refused: " + e.Error})
	}
	if len(rows) > 0 {
		fmt.Fprintln(p.Out)
		if err := p.Table([]string{"ZNODE", "PROBLEM"}, rows); err != nil {
			return err
		}
	}
	fmt.Fprintln(p.Out)
	for _, n := range res.Notes {
		fmt.Fprintln(p.Out, p.Paint(render.Faint, "note: "+n))
	}
	return nil
}

// ---------------------------------------------------------------------------------------------
// helpers

func connectString(s snapshot.Source) string {
	return zksession.Target{Servers: s.Servers, Chroot: s.Chroot}.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Millisecond).String()
}

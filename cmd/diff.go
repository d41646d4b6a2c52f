package cmd

import (
	"context"
	"fmt"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/diff"
	"github.com/urfave/cli/v2"
)

// liveInput is the argument that stands for the cluster given by -z,
// --config or the environment.
const liveInput = "live"

type diffOptions struct {
	Filters     factory.ReadFilters
	Raw         bool
	ShowSecrets bool
	MaxInFlight int

	a, b string // snapshot files, or liveInput
	read cluster.Options
}

func diffCommand(e *factory.Env, run func(context.Context, *factory.Env, *diffOptions) error) *cli.Command {
	o := &diffOptions{}
	return &cli.Command{
		Name:        "diff",
		Usage:       "compare two snapshots, or a snapshot and the live cluster, in Kafka's terms",
		ArgsUsage:   "A B",
		Description: help("diff"),
		Flags: []cli.Flag{
			o.Filters.SectionFlag("only read and compare these sections (repeat or comma-separate): "),
			o.Filters.TopicFlag("only topics (and topic configs) whose name matches `REGEX`"),
			&cli.BoolFlag{Name: "raw", Destination: &o.Raw, Usage: "compare znodes (added, removed, data, ACL) instead of Kafka's metadata"},
			&cli.BoolFlag{Name: "show-secrets", Destination: &o.ShowSecrets, Usage: "with --raw: show secrets in znode data instead of [redacted]"},
			factory.MaxInFlightFlag(&o.MaxInFlight, cluster.DefaultMaxInFlight, "requests outstanding on ZooKeeper at once, for a live side"),
		},
		Action: func(c *cli.Context) error {
			if err := o.complete(c.Args().Slice()); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

func (o *diffOptions) complete(args []string) error {
	if len(args) != 2 {
		return factory.Usagef("diff takes two arguments, A and B: snapshot files or %q (got %d)", liveInput, len(args))
	}
	o.a, o.b = args[0], args[1]
	o.read = cluster.Options{MaxInFlight: o.MaxInFlight}
	switch {
	case o.a == liveInput && o.b == liveInput:
		return factory.Usagef("diff live live: at most one side can be live (compare a snapshot with it)")
	case o.a == "" || o.b == "":
		return factory.Usagef("diff: an empty argument is not a snapshot file")
	case o.MaxInFlight < 1 || o.MaxInFlight > 1000:
		return factory.CheckMaxInFlight(o.MaxInFlight)
	case o.Raw && o.Filters.Given():
		return factory.Usagef("--raw compares whole trees: --section and --topic do not apply")
	}
	return o.Filters.Apply(&o.read)
}

func runDiff(ctx context.Context, e *factory.Env, o *diffOptions) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	if g.Snapshot != "" {
		g.Logger.Warn("diff takes its snapshots as arguments; --snapshot is ignored", "snapshot", g.Snapshot)
	}
	var in [2]diff.Input
	for i, arg := range []string{o.a, o.b} {
		if in[i], err = diffInput(ctx, e, arg, o.Raw); err != nil {
			return err
		}
	}
	var r *diff.Report
	if o.Raw {
		r, err = diff.RunRaw(ctx, in[0], in[1], o.MaxInFlight, o.ShowSecrets)
	} else {
		r, err = diff.Run(ctx, in[0], in[1], o.read)
	}
	if err != nil {
		return err
	}
	if !o.Raw {
		r.Sections = g.Describe(o.read.Sections).Sections
		if o.read.Topic != nil {
			r.Topic = o.read.Topic.String()
		}
	}
	p, err := e.Printer()
	if err != nil {
		return err
	}
	if err := p.Diff(r); err != nil {
		return err
	}
	return diffOutcome(r, o)
}

// diffInput opens one side: a snapshot file, or the live cluster (which
// must hold a Kafka tree unless raw: --raw compares any znodes).
func diffInput(ctx context.Context, e *factory.Env, arg string, raw bool) (diff.Input, error) {
	if arg != liveInput {
		s, err := e.SnapshotFile(arg)
		if err != nil {
			return diff.Input{}, err
		}
		src := snapshot.Origin{Kind: "snapshot", File: arg, Servers: s.Servers(), Chroot: s.Chroot(), Time: s.Created()}
		return diff.Input{Origin: src, Reader: s, Snap: s}, nil
	}
	session := e.KafkaSession
	if raw {
		session = e.Session
	}
	sess, err := session(ctx)
	if err != nil {
		return diff.Input{}, err
	}
	src := snapshot.Origin{Kind: liveInput, Servers: sess.Servers(), Chroot: sess.Chroot(), Time: time.Now().UTC().Truncate(time.Second)}
	return diff.Input{Origin: src, Reader: sess}, nil
}

// diffOutcome maps the report to the exit code: partial (5) over
// differences (1).
func diffOutcome(r *diff.Report, o *diffOptions) error {
	switch {
	case r.Partial:
		first := r.Unreadable[0]
		return partialf(first.Path, "%s could not be read, the first at %s (side %s): the comparison is partial",
			render.Count(len(r.Unreadable), "znode"), first.Path, first.Side)
	case len(r.Differences) > 0:
		return fmt.Errorf("%w: %s between %s and %s", ErrFindings, render.Count(len(r.Differences), "difference"), o.a, o.b)
	}
	return nil
}

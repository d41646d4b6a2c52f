package cmd

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

type dumpOptions struct {
	Filters     factory.ReadFilters
	Broker      string // --broker: only this broker and the partitions it hosts
	Problems    bool   // --problems: only partitions with a problem
	ShowSecrets bool
	MaxInFlight int
	Thorough    bool
	Progress    bool // --progress: show progress on stderr even when it is not a terminal
	Raw         string
	RawSet      bool
	ACL         bool

	read   cluster.Options
	filter cluster.Filter
}

func dumpCommand(e *factory.Env, run func(context.Context, *factory.Env, *dumpOptions) error) *cli.Command {
	o := &dumpOptions{}
	return &cli.Command{
		Name:        "dump",
		Usage:       "read and decode all of Kafka's metadata, by section",
		Description: help("dump"),
		Flags: []cli.Flag{
			o.Filters.SectionFlag("only these sections (repeat or comma-separate): "),
			o.Filters.TopicFlag("only topics whose name matches `REGEX`"),
			&cli.StringFlag{Name: "broker", Destination: &o.Broker, Usage: "only broker `ID` and the partitions it hosts"},
			&cli.BoolFlag{Name: "problems", Destination: &o.Problems,
				Usage: "only partitions with a problem: offline, under-replicated, no state, not in the assignment, … (like kafka-topics --under-replicated-partitions --unavailable-partitions; a reassignment or a pending deletion alone is not a problem)"},
			&cli.BoolFlag{Name: "show-secrets", Destination: &o.ShowSecrets, Usage: "show SCRAM credentials and other secrets instead of [redacted]"},
			factory.MaxInFlightFlag(&o.MaxInFlight, cluster.DefaultMaxInFlight, "requests outstanding on ZooKeeper at once (its server-wide limit is 1000)"),
			&cli.BoolFlag{Name: "thorough", Destination: &o.Thorough, Usage: "also list every partition directory, to find unknown znodes there (one more request per partition)"},
			&cli.BoolFlag{Name: "progress", Destination: &o.Progress, Usage: "show progress on stderr even when it is not a terminal"},
			&cli.StringFlag{Name: "raw", Destination: &o.Raw, Action: func(*cli.Context, string) error { o.RawSet = true; return nil },
				Usage: "dump the subtree at `PATH` generically: data, stat (and ACLs with --acl)"},
			&cli.BoolFlag{Name: "acl", Destination: &o.ACL, Usage: "with --raw: show each znode's ACL in the table (-o json prints the snapshot format, ACLs included)"},
		},
		Action: func(c *cli.Context) error {
			if err := factory.NoArgs(c, "dump", "; use --raw PATH for a subtree"); err != nil {
				return err
			}
			if _, err := e.Globals(); err != nil { // global mistakes first, as every command reports them
				return err
			}
			if err := o.complete(); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

func (o *dumpOptions) complete() error {
	o.read = cluster.Options{MaxInFlight: o.MaxInFlight, Thorough: o.Thorough}
	if err := factory.CheckMaxInFlight(o.MaxInFlight); err != nil {
		return err
	}
	if err := o.Filters.Apply(&o.read); err != nil {
		return err
	}
	if o.Problems && o.RawSet {
		return factory.Usagef("--problems applies to the decoded dump, not --raw")
	}
	// --topic selects rows after the read, so that counts are the whole
	// cluster's (diff still filters while reading).
	o.filter.Topic, o.read.Topic = o.read.Topic, nil
	o.filter.Problems = o.Problems
	if o.Broker != "" {
		id, err := strconv.ParseInt(o.Broker, 10, 32)
		if err != nil {
			return factory.Usagef("--broker %q: want a broker id (an integer)", o.Broker)
		}
		v := int32(id)
		o.filter.Broker = &v
	}
	return nil
}

func runDump(ctx context.Context, e *factory.Env, o *dumpOptions) error {
	// dump --raw reads any subtree; the decoded dump needs a Kafka tree.
	source := e.KafkaSource
	if o.RawSet {
		source = e.Source
	}
	src, err := source(ctx)
	if err != nil {
		return err
	}
	p, err := e.Printer()
	if err != nil {
		return err
	}
	progress := render.NewProgress(e.Err, o.Progress)
	defer progress.Done()
	if o.RawSet {
		return runRawDump(ctx, e, o, src, progress)
	}
	o.read.Progress = func(pr cluster.Progress) {
		progress.Update("%s", readProgress(pr))
	}
	// cluster.Read reads what the verdicts need (brokers, controller,
	// configs, admin) whatever sections are shown.
	m, err := cluster.Read(ctx, src, o.read)
	if err != nil {
		return err
	}
	progress.Done()
	m.Source = e.Describe(o.read.Sections)
	if !o.ShowSecrets {
		m.Redact()
	}
	// Verdicts were judged on the whole cluster (cluster.Read); the
	// filters (--topic, --broker, --problems) only hide rows, and say how
	// many.
	m.Apply(o.filter)
	if err := p.Dump(m); err != nil {
		return err
	}
	// Znodes Kafka cannot decode were read: they are listed and are
	// check's findings. Only reads that failed make the result partial.
	if bad := m.Unreadable(); len(bad) > 0 {
		first := bad[0].Path
		return partialf(first, "%d znode(s) could not be read, the first at %s (see the errors section)", len(bad), first)
	}
	return nil
}

// runRawDump dumps a subtree generically. JSON output is the snapshot
// format (snapshot/FORMAT.md), so it can be loaded or read with --snapshot.
func runRawDump(ctx context.Context, e *factory.Env, o *dumpOptions, src pipeline.Source, progress *render.Progress) error {
	if err := zksession.ValidatePath(o.Raw); err != nil {
		return factory.Usagef("--raw: %v", err)
	}
	g, _ := e.Globals()
	p, _ := e.Printer()
	save := snapshot.SaveOptions{MaxInFlight: o.MaxInFlight, Redact: zkpaths.RedactData, Header: snapshot.Header{
		Root: o.Raw, Created: time.Now().Truncate(time.Second), RafkaVersion: versionString(),
		Source: snapshot.Origin{Servers: g.Target.Servers, Chroot: g.Target.Chroot}}}
	if o.ShowSecrets {
		save.Redact = nil
	}
	progress.Update("reading %s", o.Raw)
	trailer, err := p.RawDump(ctx, src, save, o.ACL, progress.Done)
	if err != nil {
		return rawRootError(err, o.Raw, g.Target.Chroot, g.Snapshot)
	}
	if trailer.Partial() {
		first := trailer.Errors[0].Path
		return partialf(first, "%s refused, the first at %s", render.Count(len(trailer.Errors), "read"), first)
	}
	return nil
}

// rawRootError makes a --raw PATH that does not exist a usage error (exit
// 2, it names where rafka looked), not a bug; other errors are unchanged.
func rawRootError(err error, root, chroot, snapshotFile string) error {
	var pe *zksession.PathError
	if !errors.Is(err, zk.ErrNoNode) || !errors.As(err, &pe) || pe.Path != root {
		return err
	}
	where := "in ZooKeeper"
	switch {
	case snapshotFile != "":
		where = "in snapshot " + snapshotFile
	case chroot != "":
		where = "under chroot " + chroot
	}
	return factory.Usagef("--raw %s: no such znode %s", root, where)
}

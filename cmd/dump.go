package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/urfave/cli/v2"
)

type dumpOptions struct {
	Read        cluster.Options
	Broker      *int32 // --broker: only this broker and the partitions it hosts
	ShowSecrets bool
	Progress    bool // --progress: show progress on stderr even when it is not a terminal
}

func dumpCommand(streams Streams) *cli.Command {
	sections := make([]string, len(cluster.Sections))
	for i, s := range cluster.Sections {
		sections[i] = string(s)
	}
	return &cli.Command{
		Name:  "dump",
		Usage: "read and decode all of Kafka's metadata, by section",
		Description: "Reads the cluster once, Kafka-aware and pipelined, decodes every znode as Kafka would,\n" +
			"and reports what Kafka would reject or silently read as empty. Exit 5 when any znode\n" +
			"could not be read or decoded. --raw dumps any subtree generically instead.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "section", Usage: "only these sections (repeat or comma-separate): " + strings.Join(sections, ", ")},
			&cli.StringFlag{Name: "topic", Usage: "only topics whose name matches `REGEX`"},
			&cli.StringFlag{Name: "broker", Usage: "only broker `ID` and the partitions it hosts"},
			&cli.BoolFlag{Name: "show-secrets", Usage: "show SCRAM credentials and other secrets instead of [redacted]"},
			&cli.IntFlag{Name: "max-in-flight", Value: cluster.DefaultMaxInFlight, Usage: "requests outstanding on ZooKeeper at once (its server-wide limit is 1000)"},
			&cli.BoolFlag{Name: "thorough", Usage: "also list every partition directory, to find unknown znodes there (one more request per partition)"},
			&cli.BoolFlag{Name: "progress", Usage: "show progress on stderr even when it is not a terminal"},
			&cli.StringFlag{Name: "raw", Usage: "dump the subtree at `PATH` generically: data, stat (and ACLs with --acl)"},
			&cli.BoolFlag{Name: "acl", Usage: "with --raw: show each znode's ACL in the table (-o json prints the snapshot format, ACLs included)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("dump takes no arguments (got %q); use --raw PATH for a subtree", c.Args().First())
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			opts, err := dumpOptionsFrom(c)
			if err != nil {
				return err
			}
			src, closeSrc, err := openReader(c.Context, g)
			if err != nil {
				return err
			}
			defer closeSrc()
			p := render.New(streams.Out, g.Output, g.NoColor)
			progress := render.NewProgress(streams.Err, opts.Progress)
			defer progress.Done()
			if c.IsSet("raw") {
				raw := rawOptions{Root: c.String("raw"), ACL: c.Bool("acl"), MaxInFlight: opts.Read.MaxInFlight,
					Source: snapshot.Source{Servers: g.Target.Servers, Chroot: g.Target.Chroot}}
				return runRawDump(c.Context, raw, src, p, progress)
			}
			opts.Read.Progress = func(pr cluster.Progress) {
				progress.Update("read %d znodes, %d in flight", pr.Znodes, pr.InFlight)
			}
			m, err := cluster.Read(c.Context, src, opts.Read)
			if err != nil {
				return err
			}
			progress.Done()
			m.Source = describeSource(g, opts.Read.Sections)
			if !opts.ShowSecrets {
				m.Redact()
			}
			if opts.Broker != nil {
				m.OnlyBroker(*opts.Broker)
			}
			if err := printDump(p, m); err != nil {
				return err
			}
			if len(m.Errors) > 0 {
				return fmt.Errorf("%w: %d znode(s) could not be read or decoded, the first at %s (see the errors section)",
					ErrPartial, len(m.Errors), m.Errors[0].Path)
			}
			return nil
		},
	}
}

func dumpOptionsFrom(c *cli.Context) (dumpOptions, error) {
	opts := dumpOptions{
		ShowSecrets: c.Bool("show-secrets"),
		Progress:    c.Bool("progress"),
		Read:        cluster.Options{MaxInFlight: c.Int("max-in-flight"), Thorough: c.Bool("thorough")},
	}
	if opts.Read.MaxInFlight < 1 || opts.Read.MaxInFlight > 1000 {
		return opts, usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	}
	if err := readFilters(c, &opts.Read); err != nil {
		return opts, err
	}
	if b := c.String("broker"); b != "" {
		id, err := strconv.ParseInt(b, 10, 32)
		if err != nil {
			return opts, usagef("--broker %q: want a broker id (an integer)", b)
		}
		v := int32(id)
		opts.Broker = &v
	}
	return opts, nil
}

// readFilters fills --section and --topic, which every command that reads
// the cluster model takes.
func readFilters(c *cli.Context, opts *cluster.Options) error {
	for _, arg := range c.StringSlice("section") {
		for _, name := range strings.Split(arg, ",") {
			s, ok := parseSection(strings.TrimSpace(name))
			if !ok {
				return usagef("unknown section %q (want one of: %s)", name, sectionNames())
			}
			opts.Sections = append(opts.Sections, s)
		}
	}
	var err error
	opts.Topic, err = topicFilter(c)
	return err
}

// topicFilter compiles --topic; nil when it is not given.
func topicFilter(c *cli.Context) (*regexp.Regexp, error) {
	expr := c.String("topic")
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, usagef("--topic: %v", err)
	}
	return re, nil
}

func parseSection(name string) (cluster.Section, bool) {
	for _, s := range cluster.Sections {
		if string(s) == name {
			return s, true
		}
	}
	return "", false
}

func sectionNames() string {
	names := make([]string, len(cluster.Sections))
	for i, s := range cluster.Sections {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func describeSource(g *globalOptions, sections []cluster.Section) cluster.Source {
	src := cluster.Source{Servers: g.Target.Servers, Chroot: g.Target.Chroot, Sections: []string{}}
	if g.Snapshot != "" {
		src = cluster.Source{Snapshot: g.Snapshot, Sections: []string{}}
	}
	if len(sections) == 0 {
		sections = cluster.Sections
	}
	for _, s := range sections {
		src.Sections = append(src.Sections, string(s))
	}
	return src
}

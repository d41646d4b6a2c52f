package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/diff"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

// liveInput is the argument that stands for the cluster given by -z,
// --config or the environment.
const liveInput = "live"

const diffDescription = `A and B are snapshot files (from rafka snapshot save) or "live", the cluster given by -z,
--config or RAFKA_ZOOKEEPER; not both live (a file named live is ./live). Differences are
reported in Kafka's terms: broker-joined, broker-left, broker-reregistered (a new broker epoch:
restarted, or its session expired), broker-endpoint-changed, broker-rack-changed,
controller-moved, controller-reelected (same broker, new epoch), cluster-id-changed,
topic-created, topic-deleted, topic-recreated (new topic id), topic-marked-for-deletion,
topic-deletion-cancelled, partition-added, partition-removed, leader-changed, isr-shrank,
isr-expanded, isr-changed (members both left and joined), replicas-reassigned (the replica
list, its order, or adding/removing replicas), config-added, config-changed, config-removed,
acl-added, acl-removed, feature-state-changed, feature-level-changed, feature-epoch-regressed,
migration-state-changed, and decode-error-appeared, decode-error-cleared,
undecodable-data-changed for znodes Kafka cannot decode (compared byte for byte).

Not differences on their own: leader epoch, partition epoch and controller epoch bumps
with the same leader and ISR; ISR order; /feature epoch moving forward; znode versions
and other stats. Not compared: notification queues, the producer id block, the broker
id sequence, delegation tokens, pending admin znodes other than deletion markers, and
znodes Kafka does not use (see them with --raw). Secrets (SCRAM credentials, passwords)
are compared but always shown as [redacted].

--raw compares znodes instead: znode-added, znode-removed, znode-data-changed (bytes
differ), znode-acl-changed (as sets); data under /config/users, /config/brokers and
/delegation_token/tokens shows as [redacted].

Order: by section (cluster, controller, brokers, topics, configs, acls, features,
migration, errors), then subject (ids and partitions numerically), then kind; with --raw,
tree order. JSON: {"schema_version":1, "mode":"kafka"|"raw", "a":{"kind","file","servers",
"chroot","time"}, "b":{…}, "sections", "topic", "differences":[{"kind","section","subject",
"path","before","after","message"}], "summary":{kind: count}, "unreadable":[{"side","path",
"error"}], "partial"}.

Exit 0 when A and B do not differ, 1 when they do (in every format); 5 when a znode could
not be read on either side (the comparison is partial), even if differences were found.`

type diffOptions struct {
	A, B string // snapshot files, or liveInput
	Raw  bool
	Read cluster.Options
}

func diffCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:        "diff",
		Usage:       "compare two snapshots, or a snapshot and the live cluster, in Kafka's terms",
		ArgsUsage:   "A B",
		Description: diffDescription,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "section", Usage: "only read and compare these sections (repeat or comma-separate): " + sectionNames()},
			&cli.StringFlag{Name: "topic", Usage: "only topics (and topic configs) whose name matches `REGEX`"},
			&cli.BoolFlag{Name: "raw", Usage: "compare znodes (added, removed, data, ACL) instead of Kafka's metadata"},
			&cli.IntFlag{Name: "max-in-flight", Value: cluster.DefaultMaxInFlight, Usage: "requests outstanding on ZooKeeper at once, for a live side"},
		},
		Action: func(c *cli.Context) error {
			opts, err := diffOptionsFrom(c)
			if err != nil {
				return err
			}
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			if g.Snapshot != "" {
				g.Logger.Warn("diff takes its snapshots as arguments; --snapshot is ignored", "snapshot", g.Snapshot)
			}
			report, err := runDiff(c.Context, opts, g)
			if err != nil {
				return err
			}
			if err := printDiff(render.New(streams.Out, g.Output, g.NoColor), report); err != nil {
				return err
			}
			return diffOutcome(report, opts)
		},
	}
}

func diffOptionsFrom(c *cli.Context) (diffOptions, error) {
	if c.NArg() != 2 {
		return diffOptions{}, usagef("diff takes two arguments, A and B: snapshot files or %q (got %d)", liveInput, c.NArg())
	}
	opts := diffOptions{A: c.Args().Get(0), B: c.Args().Get(1), Raw: c.Bool("raw"),
		Read: cluster.Options{MaxInFlight: c.Int("max-in-flight")}}
	switch {
	case opts.A == liveInput && opts.B == liveInput:
		return opts, usagef("diff live live: at most one side can be live (compare a snapshot with it)")
	case opts.A == "" || opts.B == "":
		return opts, usagef("diff: an empty argument is not a snapshot file")
	case opts.Read.MaxInFlight < 1 || opts.Read.MaxInFlight > 1000:
		return opts, usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	case opts.Raw && (c.IsSet("section") || c.IsSet("topic")):
		return opts, usagef("--raw compares whole trees: --section and --topic do not apply")
	}
	if err := readFilters(c, &opts.Read); err != nil {
		return opts, err
	}
	return opts, nil
}

// diffInput is one side, opened.
type diffInput struct {
	source diff.Source
	reader zksession.Reader
	snap   *snapshot.Snapshot // nil when live
}

func openDiffInput(ctx context.Context, arg string, g *globalOptions) (*diffInput, func(), error) {
	if arg != liveInput {
		s, err := snapshot.Open(arg)
		if err != nil {
			return nil, nil, usageError{err}
		}
		src := diff.Source{Kind: "snapshot", File: arg, Servers: s.Servers(), Chroot: s.Chroot(), Time: s.Created()}
		return &diffInput{source: src, reader: s, snap: s}, func() {}, nil
	}
	if err := g.needTarget(); err != nil {
		return nil, nil, err
	}
	sess, err := zksession.Open(ctx, g.Session)
	if err != nil {
		return nil, nil, err
	}
	src := diff.Source{Kind: liveInput, Servers: sess.Servers(), Chroot: sess.Chroot(), Time: time.Now().UTC().Truncate(time.Second)}
	return &diffInput{source: src, reader: sess}, sess.Close, nil
}

func runDiff(ctx context.Context, opts diffOptions, g *globalOptions) (*diff.Report, error) {
	var inputs [2]*diffInput
	for i, arg := range []string{opts.A, opts.B} {
		in, closeInput, err := openDiffInput(ctx, arg, g)
		if err != nil {
			return nil, err
		}
		defer closeInput()
		inputs[i] = in
	}
	a, b := inputs[0], inputs[1]
	if opts.Raw {
		return runRawDiff(ctx, inputs, opts.Read.MaxInFlight)
	}
	var sides [2]*diff.Side
	err := parallel(2, 2, func(i int) (err error) {
		sides[i], err = diff.Read(ctx, inputs[i].reader, opts.Read)
		return err
	})
	if err != nil {
		return nil, err
	}
	r := diff.NewReport(diff.ModeKafka, a.source, b.source, diff.Compare(sides[0], sides[1]), diff.Unreadables(sides[0], sides[1]))
	r.Sections = describeSource(g, opts.Read.Sections).Sections
	if opts.Read.Topic != nil {
		r.Topic = opts.Read.Topic.String()
	}
	return r, nil
}

func runRawDiff(ctx context.Context, inputs [2]*diffInput, maxInFlight int) (*diff.Report, error) {
	var unreadable []diff.Unreadable
	for i, in := range inputs {
		if in.snap == nil {
			s, err := snapshot.Take(ctx, in.reader, snapshot.SaveOptions{MaxInFlight: maxInFlight})
			if err != nil {
				return nil, err
			}
			in.snap = s
		}
		unreadable = append(unreadable, diff.RefusedReads([]string{"a", "b"}[i], in.snap)...)
	}
	a, b := inputs[0], inputs[1]
	return diff.NewReport(diff.ModeRaw, a.source, b.source, diff.CompareNodes(a.snap.Nodes(), b.snap.Nodes()), unreadable), nil
}

// diffOutcome maps the report to the exit code: partial (5) over
// differences (1).
func diffOutcome(r *diff.Report, opts diffOptions) error {
	switch {
	case r.Partial:
		return fmt.Errorf("%w: %d znode(s) could not be read, the first at %s (side %s): the comparison is partial",
			ErrPartial, len(r.Unreadable), r.Unreadable[0].Path, r.Unreadable[0].Side)
	case len(r.Differences) > 0:
		return fmt.Errorf("%w: %d difference(s) between %s and %s", ErrFindings, len(r.Differences), opts.A, opts.B)
	}
	return nil
}

func printDiff(p *render.Printer, r *diff.Report) error {
	if p.Format == render.JSON {
		return p.JSON(r)
	}
	fmt.Fprintf(p.Out, "%s %s\n%s %s\n\n", p.Paint(render.Bold, "A"), describeDiffSource(r.A), p.Paint(render.Bold, "B"), describeDiffSource(r.B))
	if len(r.Differences) == 0 {
		fmt.Fprintln(p.Out, p.Paint(render.Good, "no differences"))
	} else {
		rows := make([][]string, len(r.Differences))
		for i, d := range r.Differences {
			rows[i] = []string{string(d.Kind), d.Subject, d.Message}
		}
		if err := p.Table([]string{"KIND", "SUBJECT", "CHANGE"}, rows); err != nil {
			return err
		}
		var counts []string
		for _, k := range diff.SortedKinds(r.Summary) {
			counts = append(counts, fmt.Sprintf("%d %s", r.Summary[k], k))
		}
		fmt.Fprintf(p.Out, "\n%s: %s\n", p.Paint(render.Warn, fmt.Sprintf("%d differences", len(r.Differences))), strings.Join(counts, ", "))
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprintf(p.Out, "\n%s\n", p.Paint(render.Bad, fmt.Sprintf("Znodes that could not be read (%d): the comparison is partial", len(r.Unreadable))))
		rows := make([][]string, len(r.Unreadable))
		for i, u := range r.Unreadable {
			rows[i] = []string{strings.ToUpper(u.Side), u.Path, u.Error}
		}
		return p.Table([]string{"SIDE", "PATH", "ERROR"}, rows)
	}
	return nil
}

func describeDiffSource(s diff.Source) string {
	where := connectString(snapshot.Source{Servers: s.Servers, Chroot: s.Chroot})
	if s.Kind == liveInput {
		return fmt.Sprintf("live %s (read %s)", where, s.Time.Format(time.RFC3339))
	}
	return fmt.Sprintf("snapshot %s (of %s, taken %s)", s.File, where, s.Time.Format(time.RFC3339))
}

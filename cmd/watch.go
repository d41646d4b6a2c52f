package cmd

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

func watchCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:  "watch",
		Usage: "stream what happens in the cluster, in Kafka's terms (NDJSON with -o json)",
		Description: "Reads the cluster once (initial events only with --initial), then reports every change:\n" +
			"brokers registered/unregistered, controller moved, topics created/deleted, partitions added,\n" +
			"leader and ISR changes, reassignments, deletion markers, config and ACL changes (from their\n" +
			"notification queues), /feature and /migration. Connection loss and session expiry are\n" +
			"reported, then everything is re-read and the differences reported. With --count it exits 0\n" +
			"after N change events (session events do not count) and 3 if --timeout passes first;\n" +
			"without it --timeout just ends the stream (exit 0).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kinds", Usage: "comma-separated `KINDS` to report: " + strings.Join(watch.AllKinds, ",") + " (default: all)"},
			&cli.StringFlag{Name: "topic", Usage: "watch only topics (and their partitions, deletion markers and configs) matching `REGEX`"},
			&cli.BoolFlag{Name: "initial", Usage: "report the initial view as initial events"},
			&cli.IntFlag{Name: "count", Usage: "exit 0 after `N` change events"},
			&cli.IntFlag{Name: "max-in-flight", Value: cluster.DefaultMaxInFlight, Usage: "`N` reads outstanding on ZooKeeper at once (initial view, resyncs)"},
		},
		Action: func(c *cli.Context) error {
			g, err := resolveGlobals(c, streams.Err)
			if err != nil {
				return err
			}
			if g.Snapshot != "" {
				return usagef("watch needs a live ZooKeeper, not --snapshot")
			}
			if err := g.needTarget(); err != nil {
				return err
			}
			opts, err := streamOptionsFrom(c)
			if err != nil {
				return err
			}
			if c.IsSet("timeout") {
				opts.For = g.Session.Timeout
			}
			return runWatch(c.Context, g.Session, opts, render.New(streams.Out, g.Output, g.NoColor))
		},
	}
}

type streamOptions struct {
	Watch       watch.Options
	Count       int
	For         time.Duration
	MaxInFlight int
}

func streamOptionsFrom(c *cli.Context) (streamOptions, error) {
	o := streamOptions{Count: c.Int("count"), MaxInFlight: c.Int("max-in-flight")}
	o.Watch.Initial = c.Bool("initial")
	if o.Count < 0 {
		return o, usagef("--count must be positive")
	}
	if o.MaxInFlight < 1 || o.MaxInFlight > 1000 {
		return o, usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	}
	if k := c.String("kinds"); k != "" {
		o.Watch.Kinds = map[string]bool{}
		for _, kind := range strings.Split(k, ",") {
			kind = strings.TrimSpace(kind)
			if !slices.Contains(watch.AllKinds, kind) {
				return o, usagef("--kinds: unknown kind %q (want %s)", kind, strings.Join(watch.AllKinds, ","))
			}
			o.Watch.Kinds[kind] = true
		}
	}
	var err error
	o.Watch.Topic, err = topicFilter(c)
	return o, err
}

func runWatch(ctx context.Context, cfg zksession.Config, opts streamOptions, p *render.Printer) error {
	awaiting := ""
	if opts.Count > 0 {
		awaiting = fmt.Sprintf("%d events", opts.Count)
	}
	return streamSession(ctx, cfg, opts.For, awaiting, func(ctx context.Context, sess *zksession.Session) error {
		seen := 0
		w := watch.NewWatcher(opts.Watch, func(e watch.Event) error {
			if err := printWatchEvent(p, e); err != nil {
				return err
			}
			if e.Kind == watch.KindSession {
				return nil
			}
			seen++
			if opts.Count > 0 && seen >= opts.Count {
				return pipeline.ErrStop
			}
			return nil
		})
		return watch.Run(ctx, sess, w, opts.MaxInFlight)
	})
}

func printWatchEvent(p *render.Printer, e watch.Event) error {
	if p.Format == render.JSON {
		return p.Line(e)
	}
	style := render.Plain
	switch e.Event {
	case watch.EventUnregistered, watch.EventResigned, watch.EventDeleted, watch.EventMalformed, watch.EventISRShrank,
		watch.EventSessionExpired, watch.EventMarkedForDeletion:
		style = render.Bad
	case watch.EventDisconnected, watch.EventLeaderChanged, watch.EventMoved, watch.EventReassignmentStarted, watch.EventISRChanged:
		style = render.Warn
	case watch.EventRegistered, watch.EventCreated, watch.EventISRExpanded, watch.EventReconnected, watch.EventResynced,
		watch.EventSynced, watch.EventReassignmentFinished, watch.EventElected:
		style = render.Good
	}
	_, err := fmt.Fprintf(p.Out, "%s %-10s %s %s\n", e.TS.Format(time.RFC3339Nano), e.Kind,
		p.Paint(style, fmt.Sprintf("%-22s", e.Event)), e.Summary())
	return err
}

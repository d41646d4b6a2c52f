package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

func featuresCommand(streams Streams) *cli.Command {
	return &cli.Command{
		Name:  "features",
		Usage: "show and follow /feature (finalized features) as a ZooKeeper-mode broker sees it",
		Subcommands: []*cli.Command{
			{
				Name:  "describe",
				Usage: "show /feature: state, epoch, format version, finalized features, and what brokers would do with it",
				Action: func(c *cli.Context) error {
					g, err := resolveGlobals(c, streams.Err)
					if err != nil {
						return err
					}
					src, closeSrc, err := openReader(c.Context, g)
					if err != nil {
						return err
					}
					defer closeSrc()
					d, err := features.Read(c.Context, src)
					if err != nil {
						return err
					}
					p := render.New(streams.Out, g.Output, g.NoColor)
					if p.Format == render.JSON {
						return p.JSON(d)
					}
					printFeatures(p, d)
					return nil
				},
			},
			{
				Name:  "watch",
				Usage: "stream every change of /feature (NDJSON with -o json)",
				Description: "Streams initial, created, updated, deleted, disabled, malformed, epoch-regressed,\n" +
					"disconnected, reconnected, session-expired and resynced events. With --count or\n" +
					"--until-epoch it exits 0 once the condition is met, and 3 if --timeout passes first;\n" +
					"without them --timeout just ends the stream (exit 0).",
				Flags: []cli.Flag{
					&cli.IntFlag{Name: "count", Usage: "exit 0 after `N` events"},
					&cli.IntFlag{Name: "until-epoch", Value: -1, Usage: "exit 0 once the epoch reaches `E`"},
				},
				Action: func(c *cli.Context) error {
					g, err := resolveGlobals(c, streams.Err)
					if err != nil {
						return err
					}
					if g.Snapshot != "" {
						return usagef("features watch needs a live ZooKeeper, not --snapshot")
					}
					if err := g.needTarget(); err != nil {
						return err
					}
					opts := watchOptions{Count: c.Int("count"), UntilEpoch: c.Int("until-epoch")}
					if c.IsSet("timeout") {
						opts.For = g.Session.Timeout
					}
					if opts.Count < 0 {
						return usagef("--count must be positive")
					}
					return runFeaturesWatch(c.Context, g.Session, opts, render.New(streams.Out, g.Output, g.NoColor))
				},
			},
		},
	}
}

type watchOptions struct {
	Count      int           // stop after this many events (0: no limit)
	UntilEpoch int           // stop once the epoch reaches this (-1: no condition)
	For        time.Duration // stop after this long (0: no limit)
}

func (o watchOptions) hasCondition() bool { return o.Count > 0 || o.UntilEpoch >= 0 }

func runFeaturesWatch(ctx context.Context, cfg zksession.Config, opts watchOptions, p *render.Printer) error {
	awaiting := ""
	if opts.hasCondition() {
		awaiting = "the condition was met"
	}
	return streamSession(ctx, cfg, opts.For, awaiting, func(ctx context.Context, sess *zksession.Session) error {
		seen := 0
		w := &features.Watcher{Emit: func(e features.Event) error {
			if err := printFeatureEvent(p, e); err != nil {
				return err
			}
			seen++
			if opts.Count > 0 && seen >= opts.Count {
				return pipeline.ErrStop
			}
			if opts.UntilEpoch >= 0 && e.Epoch != nil && int(*e.Epoch) >= opts.UntilEpoch && e.State != features.StateAbsent {
				return pipeline.ErrStop
			}
			return nil
		}}
		return features.Watch(ctx, sess, w)
	})
}

// streamSession opens a session and runs a stream on it for at most limit
// (0: until the stream ends). The deadline passing while the command waits
// for something (awaiting says what) is a timeout, exit 3; otherwise it
// just ends the stream.
func streamSession(ctx context.Context, cfg zksession.Config, limit time.Duration, awaiting string,
	stream func(context.Context, *zksession.Session) error) error {
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	sess, err := zksession.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer sess.Close()
	err = stream(ctx, sess)
	if errors.Is(err, context.DeadlineExceeded) {
		if awaiting != "" {
			return fmt.Errorf("%w: --timeout %s passed before %s", zksession.ErrTimeout, limit, awaiting)
		}
		return nil
	}
	return err
}

func printFeatureEvent(p *render.Printer, e features.Event) error {
	if p.Format == render.JSON {
		return p.Line(e)
	}
	style := render.Plain
	switch e.Event {
	case features.EventEpochRegressed, features.EventMalformed, features.EventDeleted, features.EventSessionExpired:
		style = render.Bad
	case features.EventDisconnected, features.EventDisabled:
		style = render.Warn
	case features.EventCreated, features.EventUpdated, features.EventResynced, features.EventReconnected:
		style = render.Good
	}
	epoch := "-"
	if e.Epoch != nil {
		epoch = fmt.Sprint(*e.Epoch)
	}
	var names []string
	for n, f := range e.Features {
		names = append(names, fmt.Sprintf("%s=%d", n, f.MaxVersionLevel))
	}
	line := fmt.Sprintf("%s %-15s state=%s epoch=%s features=[%s]", e.TS.Format(time.RFC3339Nano), p.Paint(style, e.Event), e.State, epoch, strings.Join(names, ","))
	if e.SkippedEpochs > 0 {
		line += fmt.Sprintf(" (coalesced %d versions)", e.SkippedEpochs)
	}
	if e.GapSeconds != nil {
		line += fmt.Sprintf(" gap=%.3fs", *e.GapSeconds)
	}
	if e.Detail != "" {
		line += " — " + e.Detail
	}
	_, err := fmt.Fprintln(p.Out, line)
	for _, w := range e.Warnings {
		fmt.Fprintln(p.Out, "  "+p.Paint(render.Warn, "warning: "+w))
	}
	return err
}

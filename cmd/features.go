package cmd

import (
	"context"
	"github.com/rafka/rafka/factory"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
	"github.com/urfave/cli/v2"
)

type featuresWatchOptions struct {
	Count      int // stop after this many events (0: no limit)
	UntilEpoch int // stop once the epoch reaches this (-1: no condition)
	For        time.Duration
	WatchMode  string
}

func featuresCommand(e *factory.Env, describe func(context.Context, *factory.Env) error, watch func(context.Context, *factory.Env, *featuresWatchOptions) error) *cli.Command {
	o := &featuresWatchOptions{}
	return &cli.Command{
		Name:  "features",
		Usage: "show and follow /feature (finalized features) as a ZooKeeper-mode broker sees it",
		Subcommands: []*cli.Command{
			{
				Name:   "describe",
				Usage:  "show /feature: state, epoch, format version, finalized features, and what brokers would do with it",
				Action: func(c *cli.Context) error { return describe(c.Context, e) },
			},
			{
				Name:        "watch",
				Usage:       "stream every change of /feature (NDJSON with -o json)",
				Description: help("features-watch"),
				Flags: []cli.Flag{
					&cli.IntFlag{Name: "count", Destination: &o.Count, Usage: "exit 0 after `N` events"},
					&cli.IntFlag{Name: "until-epoch", Value: -1, Destination: &o.UntilEpoch, Usage: "exit 0 once the epoch reaches `E`"},
					factory.ForFlag(&o.For),
					factory.WatchModeFlag(&o.WatchMode),
				},
				Action: func(c *cli.Context) error {
					if err := e.LiveOnly("features watch"); err != nil {
						return err
					}
					if err := factory.CheckCount(o.Count); err != nil {
						return err
					}
					if err := factory.CheckFor(o.For); err != nil {
						return err
					}
					if err := factory.CheckWatchMode(o.WatchMode); err != nil {
						return err
					}
					return watch(c.Context, e, o)
				},
			},
		},
	}
}

func runFeaturesDescribe(ctx context.Context, e *factory.Env) error {
	src, err := e.KafkaSource(ctx)
	if err != nil {
		return err
	}
	d, err := features.Read(ctx, src)
	if err != nil {
		return err
	}
	p, err := e.Printer()
	if err != nil {
		return err
	}
	return p.Features(e.Describe([]cluster.Section{cluster.SectionFeatures}), d)
}

func runFeaturesWatch(ctx context.Context, e *factory.Env, o *featuresWatchOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	awaiting := ""
	if o.Count > 0 || o.UntilEpoch >= 0 {
		awaiting = "the condition was met"
	}
	return e.WatchStream(ctx, o.For, awaiting, o.WatchMode, []string{zkpaths.Feature}, func(ctx context.Context, sess pipeline.LiveSource, persistent bool) error {
		if err := p.StreamStart(e.Describe([]cluster.Section{cluster.SectionFeatures})); err != nil {
			return err
		}
		seen := 0
		w := &features.Watcher{Emit: func(ev features.Event) error {
			if err := p.FeatureEvent(ev); err != nil {
				return err
			}
			seen++
			if o.Count > 0 && seen >= o.Count {
				return pipeline.ErrStop
			}
			if o.UntilEpoch >= 0 && ev.Epoch != nil && int(*ev.Epoch) >= o.UntilEpoch && ev.State != features.StateAbsent {
				return pipeline.ErrStop
			}
			return nil
		}}
		if persistent {
			return features.WatchUnarmed(ctx, sess, w)
		}
		return features.Watch(ctx, sess, w)
	})
}

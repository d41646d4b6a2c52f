package cmd

import (
	"context"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/render"
	"slices"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/watch"
	"github.com/urfave/cli/v2"
)

type watchOptions struct {
	Kinds       string
	Topic       string
	Initial     bool
	Count       int
	For         time.Duration
	MaxInFlight int
	WatchMode   string

	watch watch.Options
}

func watchCommand(e *factory.Env, run func(context.Context, *factory.Env, *watchOptions) error) *cli.Command {
	o := &watchOptions{}
	return &cli.Command{
		Name:        "watch",
		Usage:       "stream what happens in the cluster, in Kafka's terms (NDJSON with -o json)",
		Description: help("watch"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kinds", Destination: &o.Kinds, Usage: "comma-separated `KINDS` to report: " + strings.Join(watch.AllKinds, ",") + " (default: all)"},
			&cli.StringFlag{Name: "topic", Destination: &o.Topic, Usage: "watch only topics (and their partitions, deletion markers and configs) matching `REGEX`"},
			&cli.BoolFlag{Name: "initial", Destination: &o.Initial, Usage: "report the initial view as initial events"},
			&cli.IntFlag{Name: "count", Destination: &o.Count, Usage: "exit 0 after `N` change events"},
			factory.ForFlag(&o.For),
			factory.MaxInFlightFlag(&o.MaxInFlight, cluster.DefaultMaxInFlight, "`N` reads outstanding on ZooKeeper at once (initial view, resyncs)"),
			factory.WatchModeFlag(&o.WatchMode),
		},
		Action: func(c *cli.Context) error {
			if err := e.LiveOnly("watch"); err != nil {
				return err
			}
			if err := o.complete(); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

func (o *watchOptions) complete() error {
	o.watch.Initial = o.Initial
	if err := factory.CheckCount(o.Count); err != nil {
		return err
	}
	if err := factory.CheckFor(o.For); err != nil {
		return err
	}
	if err := factory.CheckMaxInFlight(o.MaxInFlight); err != nil {
		return err
	}
	if err := factory.CheckWatchMode(o.WatchMode); err != nil {
		return err
	}
	if o.Kinds != "" {
		o.watch.Kinds = map[string]bool{}
		for _, kind := range strings.Split(o.Kinds, ",") {
			kind = strings.TrimSpace(kind)
			if !slices.Contains(watch.AllKinds, kind) {
				return factory.Usagef("--kinds: unknown kind %q (want %s)", kind, strings.Join(watch.AllKinds, ","))
			}
			o.watch.Kinds[kind] = true
		}
	}
	var err error
	o.watch.Topic, err = factory.TopicFilter(o.Topic)
	return err
}

func runWatch(ctx context.Context, e *factory.Env, o *watchOptions) error {
	p, err := e.Printer()
	if err != nil {
		return err
	}
	awaiting := ""
	if o.Count > 0 {
		awaiting = render.Count(o.Count, "event")
	}
	return e.WatchStream(ctx, o.For, awaiting, o.WatchMode, watch.PersistentRoots(o.watch), func(ctx context.Context, sess pipeline.LiveSource, persistent bool) error {
		if err := p.StreamStart(e.Describe(nil)); err != nil {
			return err
		}
		seen := 0
		w := watch.NewWatcher(o.watch, func(ev watch.Event) error {
			if err := p.WatchEvent(ev); err != nil {
				return err
			}
			if ev.Kind == watch.KindSession {
				return nil
			}
			seen++
			if o.Count > 0 && seen >= o.Count {
				return pipeline.ErrStop
			}
			return nil
		})
		w.Persistent = persistent
		return watch.Run(ctx, sess, w, o.MaxInFlight)
	})
}

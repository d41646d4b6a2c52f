package factory

import (
	"context"
	"time"

	"github.com/rafka/rafka/pipeline"
	"github.com/urfave/cli/v2"
)

// Watch modes: persistent recursive watches (ZooKeeper 3.6+, one per
// watched subtree), one-shot watches (one per znode, any version), or
// persistent when the server answers addWatch, else one-shot.
const (
	WatchAuto       = "auto"
	WatchPersistent = "persistent"
	WatchOneShot    = "oneshot"
)

// WatchModeFlag binds --watch-mode.
func WatchModeFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "watch-mode", EnvVars: []string{"RAFKA_WATCH_MODE"}, Value: WatchAuto, Destination: dest,
		Usage: "`MODE`: persistent (one recursive watch per subtree, ZooKeeper 3.6+), oneshot (one watch per znode), or auto (persistent when the server has it)"}
}

// CheckWatchMode refuses an unknown --watch-mode.
func CheckWatchMode(mode string) error {
	switch mode {
	case WatchAuto, WatchPersistent, WatchOneShot:
		return nil
	}
	return Usagef("--watch-mode must be auto, persistent or oneshot (not %q)", mode)
}

// WatchStream is Stream for a watcher: unless mode is oneshot, the session
// holds a persistent recursive watch on each of roots (re-added on every
// connection), and stream learns whether it got them. Forced persistent
// on a server without them is a usage error; auto falls back, with a
// warning.
func (e *Env) WatchStream(ctx context.Context, limit time.Duration, awaiting, mode string, roots []string,
	stream func(ctx context.Context, sess pipeline.LiveSource, persistent bool) error) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	if mode != WatchOneShot {
		g.Session.PersistentWatches = roots
	}
	return e.Stream(ctx, limit, awaiting, func(ctx context.Context, sess pipeline.LiveSource) error {
		persistent := false
		if p, ok := sess.(interface{ PersistentWatches() bool }); ok && mode != WatchOneShot {
			persistent = p.PersistentWatches()
		}
		switch {
		case mode == WatchPersistent && !persistent:
			return Usagef("--watch-mode persistent: this ZooKeeper has no persistent watches (addWatch needs 3.6+); use --watch-mode oneshot")
		case mode == WatchAuto && !persistent:
			g.Logger.Warn("ZooKeeper has no persistent watches (needs 3.6+): falling back to one-shot watches")
		}
		return stream(ctx, sess, persistent)
	})
}

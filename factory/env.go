// Package factory is what every command runs in, gh's Factory: the global
// flags bound and resolved once (flag, environment, config file, default),
// and the source, sessions and printer they lead to, opened on first use
// and closed when the command ends. It is the one place that opens
// sessions and sources, and the one place shared flags are checked.
package factory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

// Env is one command's environment.
type Env struct {
	Out, Err io.Writer // the command's standard streams
	// In and InIsTerminal are where confirmations are read (Confirm);
	// nil: os.Stdin.
	In           io.Reader
	InIsTerminal func() bool

	flags    globalFlags
	once     sync.Once
	globals  *Globals
	resolved error

	closers []func()
	// snapshot is the header of the --snapshot file once it is open, for
	// the source line every table starts with.
	snapshot *snapshot.Header
}

// New makes the environment of a command writing to out and errOut.
func New(out, errOut io.Writer) *Env { return &Env{Out: out, Err: errOut} }

// WithGlobals is an environment whose globals are already resolved, for
// tests.
func WithGlobals(g *Globals, out, errOut io.Writer) *Env {
	e := New(out, errOut)
	e.once.Do(func() { e.globals = g })
	return e
}

// Flags are the global flags, bound to this environment.
func (e *Env) Flags() []cli.Flag { return e.flags.flags() }

// Globals resolves the global flags, the environment and the config file,
// the first time it is called.
func (e *Env) Globals() (*Globals, error) {
	e.once.Do(func() { e.globals, e.resolved = e.flags.resolve(e.Err) })
	return e.globals, e.resolved
}

// Printer shows results in the --output format.
func (e *Env) Printer() (view.Printer, error) {
	g, err := e.Globals()
	if err != nil {
		return nil, err
	}
	return view.New(e.Out, e.Err, g.Output, g.NoColor), nil
}

// FailurePrinter reports a failure in the --output format when it is
// known, else as a table (one line).
func (e *Env) FailurePrinter() view.Printer {
	format := render.Table
	if f, err := render.ParseFormat(e.flags.Output); err == nil {
		format = f
	}
	return view.New(e.Out, e.Err, format, true)
}

// Source gives a read-only command its tree: the --snapshot file when one
// is given (it wins over -z), else a live session. A snapshot that cannot
// be read is a usage error (exit 2).
func (e *Env) Source(ctx context.Context) (pipeline.Source, error) {
	g, err := e.Globals()
	if err != nil {
		return nil, err
	}
	if g.Snapshot != "" {
		s, err := e.SnapshotFile(g.Snapshot)
		if err != nil {
			return nil, err
		}
		h := s.Header()
		e.snapshot = &h
		return s, nil
	}
	return e.Session(ctx)
}

// Describe says where the model a command read came from: the ensemble
// and chroot, or the snapshot file, when it was taken and of what.
func (e *Env) Describe(sections []cluster.Section) cluster.Origin {
	g, err := e.Globals()
	if err != nil {
		return cluster.Origin{Sections: []string{}}
	}
	o := g.Describe(sections)
	if h := e.snapshot; h != nil && o.Snapshot != "" {
		taken := h.Created.UTC()
		o.SnapshotTaken = &taken
		o.SnapshotOf = h.Source.String()
	}
	return o
}

// SnapshotFile reads a snapshot file; one that cannot be read is a usage
// error (exit 2).
func (e *Env) SnapshotFile(path string) (*snapshot.Snapshot, error) {
	s, err := snapshot.Open(path)
	if err != nil {
		return nil, Usage(err)
	}
	return s, nil
}

// Session opens a live session, for writes and streams, and for reads
// when no snapshot is given.
func (e *Env) Session(ctx context.Context) (*zksession.Session, error) {
	g, err := e.Globals()
	if err != nil {
		return nil, err
	}
	if err := g.NeedTarget(); err != nil {
		return nil, err
	}
	sess, err := zksession.Open(ctx, g.Session)
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, sess.Close)
	return sess, nil
}

// LiveOnly refuses --snapshot for a command that needs ZooKeeper itself.
func (e *Env) LiveOnly(command string) error {
	g, err := e.Globals()
	if err != nil {
		return err
	}
	if g.Snapshot != "" {
		return Usagef("%s needs a live ZooKeeper, not --snapshot", command)
	}
	return g.NeedTarget()
}

// Stream runs a stream on a live session until it ends, is stopped, or
// --for (limit, 0 for none) passes. --timeout bounds connecting and each
// read, never the stream: RAFKA_TIMEOUT in the environment must not end a
// watch. The limit passing while the command waits for something
// (awaiting says what) is a timeout, exit 3; otherwise it just ends the
// stream, exit 0.
func (e *Env) Stream(ctx context.Context, limit time.Duration, awaiting string, stream func(context.Context, pipeline.LiveSource) error) error {
	if _, err := e.Globals(); err != nil {
		return err
	}
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	sess, err := e.KafkaSession(ctx) // a stream waits only on a Kafka tree that exists
	if err != nil {
		return err
	}
	err = stream(ctx, sess)
	if limit > 0 && errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		if awaiting != "" {
			return &forElapsed{fmt.Sprintf("--for %s passed before %s", limit, awaiting)}
		}
		return nil
	}
	return err
}

// forElapsed is --for running out while a stream waited for --count or
// a condition: exit 3 as a timeout, but its message does not blame
// ZooKeeper, which answered all along.
type forElapsed struct{ msg string }

func (e *forElapsed) Error() string { return e.msg }
func (e *forElapsed) Unwrap() error { return zksession.ErrTimeout }

// Close releases what the command opened, last first.
func (e *Env) Close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
	e.closers = nil
}

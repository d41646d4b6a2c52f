// Command rafka sees, checks and repairs the metadata Kafka keeps in ZooKeeper.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/rafka/rafka/cmd"
)

// memoryLimit is a soft heap limit: the garbage collector works harder as
// the heap nears it, which keeps a dump of a 10 000-topic cluster under
// 150 MB. GOMEMLIMIT, when set, wins.
const memoryLimit = 128 << 20

// gcPercent lets the heap grow to three times what is live before a
// collection (Go's default is twice): a bulk read allocates fast and keeps
// little, and the memory limit still bounds the total. GOGC, when set, wins.
const gcPercent = 200

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	// A reader that stops early (rafka dump | head) is not an error: with
	// SIGPIPE noted, a write to the closed pipe fails with EPIPE instead
	// of killing rafka (exit 141), and Main ends the command quietly.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signalContext()
	code := cmd.Main(ctx, os.Args, cmd.Streams{Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

// signalContext ends on SIGINT or SIGTERM with cmd.SignalError as its
// cause (exit 130 or 143). A second signal gets the default action.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		if s, ok := <-sigs; ok {
			signal.Stop(sigs)
			cancel(cmd.SignalError{Signal: s})
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

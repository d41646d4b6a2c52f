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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Main(ctx, os.Args, cmd.Streams{Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

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

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Main(ctx, os.Args, cmd.Streams{Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

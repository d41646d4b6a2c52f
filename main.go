// Command rafka sees, checks and repairs the metadata Kafka keeps in ZooKeeper.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rafka/rafka/cmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Main(ctx, os.Args, cmd.Streams{Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

// Command gendemo loads fakecluster.Demo() — a small Kafka cluster with one
// of every fault rafka finds — into a ZooKeeper, for demos and for saving
// the testdata/demo snapshot:
//
//	go run ./internal/fakecluster/cmd/gendemo -zk 127.0.0.1:2181 -chroot /demo
//
// With -ephemeral the broker registrations and /controller are ephemeral
// nodes of gendemo's session, as live brokers' would be, and gendemo holds
// the session (the cluster looks alive) until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/zksession"
)

func main() {
	server := flag.String("zk", "127.0.0.1:2181", "ZooKeeper server(s), host:port[,host:port…]")
	chroot := flag.String("chroot", "/demo", "where to put the cluster (created if missing; must be empty)")
	ephemeral := flag.Bool("ephemeral", false, "create broker registrations and /controller as ephemeral nodes and hold the session until interrupted")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *server+*chroot, *ephemeral); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, connect string, ephemeral bool) error {
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		return err
	}
	if target.Chroot == "" {
		return fmt.Errorf("give a chroot (-chroot /demo): the demo cluster does not go at the root")
	}
	sess, err := zksession.Open(ctx, zksession.Config{Target: target, Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	defer sess.Close()
	if ok, _, err := sess.Root().Exists(ctx, target.Chroot); err != nil {
		return err
	} else if ok {
		children, _, err := sess.Children(ctx, "/")
		if err != nil {
			return err
		}
		if len(children) > 0 {
			return fmt.Errorf("%s is not empty (%d children); pick another -chroot", target.Chroot, len(children))
		}
	}

	cluster := fakecluster.Build(fakecluster.Demo())
	nodes := cluster.Nodes()
	var opts []fakecluster.LoadOption
	if ephemeral {
		opts = append(opts, fakecluster.CreateEphemerals())
	}
	if err := fakecluster.Load(ctx, sess, nodes, opts...); err != nil {
		return err
	}
	fmt.Printf("loaded the demo cluster: %d znodes under %s\n", len(nodes), target)
	for _, f := range cluster.Faults {
		fmt.Printf("  %-31s %s\n", f.Kind, f.Path)
	}
	if !ephemeral {
		return nil
	}
	fmt.Println("holding the brokers' session; Ctrl-C to end it (the ephemeral nodes go with it)")
	<-ctx.Done()
	return nil
}

// Command dumpbench times `rafka dump` against a reference reader and
// ZooKeeper's own zkCli.sh on a generated Kafka cluster, and prints the
// figures: medians, ratios, rafka's peak RSS, and time per topic at two
// sizes (-topics and -topics/10) to show how it grows.
//
//	go run ./bench/dumpbench [-topics 10000] [-runs 5] [-zk host:port] [-keep]
//
// Without -zk it starts a standalone ZooKeeper on loopback with
// scripts/zk.sh (ZK_HEAP=-zk-heap) and stops it at the end, unless -keep.
// Each size is loaded once under <-chroot>/t<topics>; a marker next to the
// chroot lets later runs against the same server (-zk) skip the load.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// zkCli is the Debian package's ZooKeeper shell.
const zkCli = "/usr/share/zookeeper/bin/zkCli.sh"

type options struct {
	topics, smallTopics int
	runs, zkCliRuns     int
	zk, heap, chroot    string
	keep                bool
	inFlight            int
	rafka               string // a prebuilt binary; "" to build one
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == measureFlag {
		measureChild(os.Args[2:])
		return
	}
	var o options
	flag.IntVar(&o.topics, "topics", 10000, "topics of the benchmark cluster (× 10 partitions × RF 3, 6 brokers)")
	flag.IntVar(&o.smallTopics, "small-topics", -1, "topics of the second, smaller cluster for the linearity line (default -topics/10; 0: none)")
	flag.IntVar(&o.runs, "runs", 5, "timed runs of each contender")
	flag.IntVar(&o.zkCliRuns, "zkcli-runs", -1, "timed runs of zkCli.sh ls -R, which is slow (default -runs; 0: skip it)")
	flag.StringVar(&o.zk, "zk", "", "use this ZooKeeper (host:port) instead of starting one")
	flag.StringVar(&o.heap, "zk-heap", "1g", "JVM heap of the ZooKeeper started here (ZK_HEAP of scripts/zk.sh)")
	flag.StringVar(&o.chroot, "chroot", "/bench", "where the trees go: <chroot>/t<topics>")
	flag.BoolVar(&o.keep, "keep", false, "leave the ZooKeeper started here running (reuse it with -zk)")
	flag.IntVar(&o.inFlight, "inflight", 128, "the reference reader's requests in flight (rafka's default is 128)")
	flag.StringVar(&o.rafka, "rafka", "", "time this rafka binary instead of building one from the working tree")
	flag.Parse()
	if o.smallTopics < 0 {
		o.smallTopics = o.topics / 10
	}
	if o.zkCliRuns < 0 {
		o.zkCliRuns = o.runs
	}
	if o.topics < 1 || o.runs < 1 || o.inFlight < 1 {
		fmt.Fprintln(os.Stderr, "dumpbench: -topics, -runs and -inflight must be at least 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "dumpbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dumpbench: "+format+"\n", args...)
}

func run(ctx context.Context, o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "dumpbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	addr := o.zk
	if addr == "" {
		logf("starting ZooKeeper (heap %s)", o.heap)
		srv, err := startServer(ctx, root, o.heap, o.keep)
		if err != nil {
			return err
		}
		addr = srv.addr
		if o.keep {
			defer logf("ZooKeeper left running at %s: reuse it with -zk %s; stop it with scripts/zk.sh stop %s", addr, addr, srv.dir)
		} else {
			defer srv.stop()
		}
	}
	logf("ZooKeeper at %s", addr)

	r := &results{opts: o, addr: addr}
	for _, topics := range []int{o.topics, o.smallTopics} {
		if topics == 0 {
			continue
		}
		t, err := prepareTree(ctx, addr, o.chroot, topics, tmp)
		if err != nil {
			return fmt.Errorf("loading %d topics: %w", topics, err)
		}
		if t.loadTime > 0 {
			logf("loaded %d topics: %d znodes in %v (%.0f znodes/s) under %s", topics, t.nodes, t.loadTime.Round(time.Millisecond), t.loadRate, t.chroot)
		} else {
			logf("%d topics already loaded under %s", topics, t.chroot)
		}
		r.trees = append(r.trees, t)
	}

	rafka, ref, err := buildBinaries(ctx, root, tmp, o.rafka == "")
	if err != nil {
		return err
	}
	if o.rafka != "" {
		rafka = o.rafka
	}
	r.dumpAvailable = exec.CommandContext(ctx, rafka, "dump", "--help").Run() == nil
	if !r.dumpAvailable {
		logf("rafka dump not available: timing `rafka init-paths --dry-run` instead, to test the plumbing")
	}
	r.zkCliAvailable = o.zkCliRuns > 0 && fileExists(zkCli)
	if o.zkCliRuns > 0 && !r.zkCliAvailable {
		logf("%s not found (apt-get install zookeeper): skipping zkCli", zkCli)
	}

	for _, t := range r.trees {
		s := &sizeResults{tree: t}
		s.dump = &series{contender: dumpContender(rafka, addr, t, r.dumpAvailable), topics: t.topics}
		s.ref = &series{contender: refContender(ref, addr, t, o.inFlight, true), topics: t.topics}
		if t == r.trees[0] {
			s.refDiscover = &series{contender: refContender(ref, addr, t, o.inFlight, false), topics: t.topics}
			if r.zkCliAvailable {
				s.zkCli = &series{contender: zkCliContender(addr, t), topics: t.topics}
			}
		}
		r.sizes = append(r.sizes, s)
	}

	if err := verify(ctx, r); err != nil {
		return err
	}
	r.loadAvg[0] = loadAverage()
	for _, s := range r.sizes {
		logf("timing %d topics, %d runs each", s.tree.topics, o.runs)
		want := map[*series]int{s.dump: o.runs, s.ref: o.runs}
		all := []*series{s.dump, s.ref}
		if s.refDiscover != nil {
			want[s.refDiscover] = o.runs
			all = append(all, s.refDiscover)
		}
		if s.zkCli != nil {
			want[s.zkCli] = o.zkCliRuns
			all = append(all, s.zkCli)
		}
		for _, x := range []*series{s.dump, s.ref, s.refDiscover} { // warm-up, untimed
			if x != nil {
				if _, err := x.run(ctx, nil); err != nil {
					return err
				}
			}
		}
		if err := alternate(ctx, max(o.runs, o.zkCliRuns), want, all...); err != nil {
			return err
		}
	}
	r.loadAvg[1] = loadAverage()
	r.print(os.Stdout)
	return nil
}

// buildBinaries builds the reference reader, and rafka if asked, into dir.
func buildBinaries(ctx context.Context, root, dir string, withRafka bool) (rafka, ref string, err error) {
	rafka, ref = filepath.Join(dir, "rafka"), filepath.Join(dir, "refreader")
	builds := [][2]string{{ref, "./bench/refreader"}}
	if withRafka {
		builds = append(builds, [2]string{rafka, "."})
	}
	for _, b := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %v\n%s", b[1], err, out)
		}
	}
	return rafka, ref, nil
}

func dumpContender(rafka, addr string, t *benchTree, available bool) contender {
	if !available {
		return contender{name: "rafka init-paths --dry-run (stand-in)", args: []string{rafka, "-z", addr + t.chroot, "init-paths", "--dry-run"}}
	}
	return contender{name: "rafka dump -o json", args: []string{rafka, "-z", addr + t.chroot, "dump", "-o", "json"}}
}

func refContender(ref, addr string, t *benchTree, inFlight int, withPaths bool) contender {
	args := []string{ref, "-zk", addr, "-chroot", t.chroot, "-inflight", strconv.Itoa(inFlight)}
	if withPaths {
		return contender{name: fmt.Sprintf("reference reader (path list, %d in flight)", inFlight), args: append(args, "-paths", t.pathsFile)}
	}
	return contender{name: fmt.Sprintf("reference reader (discovering, %d in flight)", inFlight), args: args}
}

// zkCliContender lists the topics' subtree with the Debian package's
// zkCli.sh. Its client defaults suffice at 10 000 topics: the biggest
// answer, /brokers/topics' children, is about 350 KB, under the 1 MB
// jute.maxbuffer, and the default heap (a quarter of RAM) holds the
// 220 000 paths it collects before printing.
func zkCliContender(addr string, t *benchTree) contender {
	return contender{
		name: "zkCli.sh ls -R <chroot>/brokers/topics",
		args: []string{zkCli, "-server", addr, "ls", "-R", t.chroot + "/brokers/topics"},
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

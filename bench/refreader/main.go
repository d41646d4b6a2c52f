// Command refreader is the benchmark's reference reader: the least a tool
// must do to read a Kafka cluster's topic metadata, written directly on
// go-zookeeper. It Gets every data znode of the topics (assignments,
// partition states, topic configs) with a pool of goroutines sharing one
// connection, so at most -inflight requests are outstanding.
//
// With -paths FILE it reads exactly the paths in FILE (one chroot-relative
// path a line) and discovers nothing. Without it, it lists /brokers/topics
// and each topic's partitions first, as a dump must.
//
// It prints one JSON line: {"znodes":N,"bytes":B,"listed":L,"missing":M}.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zookeeper/zk"
)

type counts struct {
	znodes, bytes, listed, missing atomic.Int64
	errMu                          sync.Mutex
	firstErr                       error
}

func (c *counts) got(data []byte) {
	c.znodes.Add(1)
	c.bytes.Add(int64(len(data)))
}

// fail records an error; a missing znode is only counted.
func (c *counts) fail(path string, err error) {
	if errors.Is(err, zk.ErrNoNode) {
		c.missing.Add(1)
		return
	}
	c.errMu.Lock()
	if c.firstErr == nil {
		c.firstErr = fmt.Errorf("%s: %w", path, err)
	}
	c.errMu.Unlock()
}

func main() {
	server := flag.String("zk", "127.0.0.1:2181", "ZooKeeper server host:port")
	chroot := flag.String("chroot", "", "chroot the paths are relative to")
	pathsFile := flag.String("paths", "", "read exactly these paths (one a line) instead of discovering them")
	inFlight := flag.Int("inflight", 128, "requests in flight (goroutines in the pool)")
	flag.Parse()
	if *inFlight < 1 {
		fmt.Fprintln(os.Stderr, "refreader: -inflight must be at least 1")
		os.Exit(2)
	}
	conn, err := connect(*server, 10*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refreader:", err)
		os.Exit(3)
	}
	defer conn.Close()
	root := strings.TrimSuffix(*chroot, "/")

	var c counts
	if *pathsFile != "" {
		paths, err := readLines(*pathsFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "refreader:", err)
			os.Exit(2)
		}
		getAll(conn, root, paths, *inFlight, &c)
	} else {
		discoverAndGet(conn, root, *inFlight, &c)
	}
	if c.firstErr != nil {
		fmt.Fprintln(os.Stderr, "refreader:", c.firstErr)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]int64{
		"znodes": c.znodes.Load(), "bytes": c.bytes.Load(), "listed": c.listed.Load(), "missing": c.missing.Load(),
	})
}

// getAll Gets every path with a pool of inFlight goroutines.
func getAll(conn *zk.Conn, root string, paths []string, inFlight int, c *counts) {
	next := make(chan string, inFlight)
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for p := range next {
				data, _, err := conn.Get(root + p)
				if err != nil {
					c.fail(p, err)
					continue
				}
				c.got(data)
			}
		})
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
}

// discoverAndGet lists the topics, then each goroutine of the pool takes a
// topic: its assignment, its config, its partitions' list and states.
func discoverAndGet(conn *zk.Conn, root string, inFlight int, c *counts) {
	topics, _, err := conn.Children(root + "/brokers/topics")
	if err != nil {
		c.fail("/brokers/topics", err)
		return
	}
	c.listed.Add(1)
	next := make(chan string, inFlight)
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for t := range next {
				readTopic(conn, root, t, c)
			}
		})
	}
	for _, t := range topics {
		next <- t
	}
	close(next)
	wg.Wait()
}

func readTopic(conn *zk.Conn, root, topic string, c *counts) {
	get := func(p string) {
		data, _, err := conn.Get(root + p)
		if err != nil {
			c.fail(p, err)
			return
		}
		c.got(data)
	}
	get("/brokers/topics/" + topic)
	get("/config/topics/" + topic)
	dir := "/brokers/topics/" + topic + "/partitions"
	partitions, _, err := conn.Children(root + dir)
	if err != nil {
		c.fail(dir, err)
		return
	}
	c.listed.Add(1)
	for _, p := range partitions {
		get(dir + "/" + p + "/state")
	}
}

func readLines(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if l := strings.TrimSpace(s.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, s.Err()
}

type silent struct{}

func (silent) Printf(string, ...any) {}

// connect opens a session and waits until it is usable.
func connect(server string, timeout time.Duration) (*zk.Conn, error) {
	ready := make(chan struct{})
	var once sync.Once
	conn, _, err := zk.Connect([]string{server}, timeout, func(c *zk.Conn) {
		zk.WithLogger(silent{})(c)
		zk.WithLogInfo(false)(c)
		zk.WithEventCallback(func(e zk.Event) {
			if e.Type == zk.EventSession && e.State == zk.StateHasSession {
				once.Do(func() { close(ready) })
			}
		})(c)
	})
	if err != nil {
		return nil, err
	}
	select {
	case <-ready:
		return conn, nil
	case <-time.After(timeout):
		conn.Close()
		return nil, fmt.Errorf("no session with %s within %v", server, timeout)
	}
}

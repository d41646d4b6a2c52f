package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-zookeeper/zk"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// benchTree is one generated cluster, loaded under its own chroot.
type benchTree struct {
	topics    int
	chroot    string // e.g. /bench/t10000
	nodes     int
	dataNodes int
	pathsFile string        // the data znodes' paths, for the reference reader
	loadTime  time.Duration // 0 when it was loaded already
	loadRate  float64       // znodes/s
}

// marker is what a finished load leaves next to the chroot, so a later run
// (-zk, -keep) knows the tree is there and is this generator's.
type marker struct {
	Topics int    `json:"topics"`
	Nodes  int    `json:"nodes"`
	Digest string `json:"digest"`
}

func digest(nodes []snapshot.Node) string {
	h := sha256.New()
	for _, n := range nodes {
		h.Write([]byte(n.Path))
		h.Write([]byte{0})
		h.Write(n.Data)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// prepareTree generates Bench(topics), loads it under prefix/t<topics>
// unless a marker says it is there already, and writes its data paths to
// a file in tmp.
func prepareTree(ctx context.Context, addr, prefix string, topics int, tmp string) (*benchTree, error) {
	nodes := fakecluster.Generate(fakecluster.Bench(topics))
	t := &benchTree{topics: topics, chroot: fmt.Sprintf("%s/t%d", prefix, topics), nodes: len(nodes)}
	want := marker{Topics: topics, Nodes: len(nodes), Digest: digest(nodes)}
	markerPath := t.chroot + ".loaded"

	sess, err := zksession.Open(ctx, zksession.Config{
		Target:  zksession.Target{Servers: []string{addr}, Chroot: t.chroot},
		Timeout: time.Minute,
	})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	root := sess.Root()
	data, _, err := root.Get(ctx, markerPath)
	switch {
	case err == nil:
		var got marker
		if json.Unmarshal(data, &got) != nil || got != want {
			return nil, fmt.Errorf("%s holds another tree than this generator's (marker %s); use another -chroot or a fresh server", t.chroot, data)
		}
	case errors.Is(err, zk.ErrNoNode):
		start := time.Now()
		if err := fakecluster.Load(ctx, sess, nodes); err != nil {
			return nil, err
		}
		t.loadTime = time.Since(start)
		t.loadRate = float64(len(nodes)) / t.loadTime.Seconds()
		b, _ := json.Marshal(want)
		if _, err := root.Create(ctx, markerPath, b, 0, zk.WorldACL(zk.PermAll)); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}

	t.pathsFile = filepath.Join(tmp, fmt.Sprintf("paths-t%d.txt", topics))
	f, err := os.Create(t.pathsFile)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	for _, n := range nodes {
		if n.Data != nil {
			t.dataNodes++
			fmt.Fprintln(w, n.Path)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	return t, f.Close()
}

package snapshot

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zksession"
)

// Snapshot is a snapshot file read into memory. It implements
// pipeline.Source, so read-only commands work on it as on a live
// session. It is safe for concurrent use; callers must not modify what it
// returns.
type Snapshot struct {
	file     string
	header   Header
	trailer  Trailer
	nodes    []Node
	index    map[string]int
	children map[string][]string // sorted names, for nodes with children
}

var _ pipeline.Source = (*Snapshot)(nil)

// Limits bound a snapshot file read by Open: a regular file, at most
// 1 GiB once gunzipped, no line (one znode) longer than 8 MiB (ZooKeeper
// holds at most 1 MiB of data per znode, base64 makes it 1.4 MiB), and a
// gzip that expands at most 500 times.
var Limits = fileio.Limits{MaxBytes: 1 << 30, MaxLine: 8 << 20, Gunzip: true, MaxRatio: 500}

// Open reads and checks a whole snapshot file (plain or gzipped), within
// Limits. Errors name the file; a damaged or truncated file gives an error
// matching ErrCorrupt, a newer format one matching ErrVersion, one past a
// bound fileio.ErrTooLarge, a FIFO or device fileio.ErrNotRegular.
func Open(path string) (*Snapshot, error) {
	f, err := fileio.Open(path, Limits)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", path, err)
	}
	s.file = path
	return s, nil
}

// Read reads a whole snapshot from r.
func Read(r io.Reader) (*Snapshot, error) {
	d, err := NewDecoder(r)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{header: d.Header(), index: map[string]int{}, children: map[string][]string{}}
	for {
		n, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n.Path != s.header.Root {
			dir := parent(n.Path)
			s.children[dir] = append(s.children[dir], n.Path[strings.LastIndexByte(n.Path, '/')+1:])
		}
		s.index[n.Path] = len(s.nodes)
		s.nodes = append(s.nodes, n)
	}
	s.trailer = d.Trailer()
	return s, nil
}

// File is the path the snapshot was opened from ("" after Read).
func (s *Snapshot) File() string { return s.file }

// Header is the snapshot's header.
func (s *Snapshot) Header() Header { return s.header }

// Trailer is the snapshot's trailer: counts and the reads refused.
func (s *Snapshot) Trailer() Trailer { return s.trailer }

// Servers are the servers the snapshot was taken from.
func (s *Snapshot) Servers() []string { return s.header.Source.Servers }

// Chroot is the chroot the snapshot was taken under ("" for none).
func (s *Snapshot) Chroot() string { return s.header.Source.Chroot }

// Created is when the capture started.
func (s *Snapshot) Created() time.Time { return s.header.Created }

// Nodes are all nodes in tree order, the root first.
func (s *Snapshot) Nodes() []Node { return s.nodes }

// Node finds one node.
func (s *Snapshot) Node(path string) (*Node, bool) {
	i, ok := s.index[path]
	if !ok {
		return nil, false
	}
	return &s.nodes[i], true
}

// lookup finds a node for op, failing as ZooKeeper would: ErrNoNode when
// absent, ErrNoAuth when the read was refused at capture time.
func (s *Snapshot) lookup(op, path string) (*Node, error) {
	n, ok := s.Node(path)
	switch {
	case !ok:
		return nil, &zksession.PathError{Op: op, Path: path, Chroot: s.Chroot(), Err: zk.ErrNoNode}
	case n.refused(op):
		return nil, &zksession.PathError{Op: op, Path: path, Chroot: s.Chroot(), Err: zk.ErrNoAuth}
	}
	return n, nil
}

func statOf(n *Node) *zk.Stat {
	st := n.Stat
	return &st
}

// Get returns a node's data and stat as captured.
func (s *Snapshot) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	n, err := s.lookup(OpGet, path)
	if err != nil {
		return nil, nil, err
	}
	return n.Data, statOf(n), nil
}

// Children returns a node's children, sorted, and its stat.
func (s *Snapshot) Children(_ context.Context, path string) ([]string, *zk.Stat, error) {
	n, err := s.lookup(OpList, path)
	if err != nil {
		return nil, nil, err
	}
	return append([]string{}, s.children[path]...), statOf(n), nil
}

// GetACL returns a node's ACL and stat.
func (s *Snapshot) GetACL(_ context.Context, path string) ([]zk.ACL, *zk.Stat, error) {
	n, err := s.lookup(OpGetACL, path)
	if err != nil {
		return nil, nil, err
	}
	return n.ACL, statOf(n), nil
}

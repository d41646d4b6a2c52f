package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// DefaultMaxInFlight bounds the reads Save keeps in flight on one session.
const DefaultMaxInFlight = 128

// SaveOptions tune Save and Capture.
type SaveOptions struct {
	// Header says where the capture comes from. Format, Version and Root
	// ("/" when empty) are filled in; Created defaults to now, Source to
	// r's servers and chroot when r has Servers and Chroot methods.
	Header Header
	// MaxInFlight bounds the requests in flight (default DefaultMaxInFlight).
	MaxInFlight int
	// Skip lists subtrees not to capture. ZooKeeper's own /zookeeper is
	// always left out when r has no chroot (see Capture).
	Skip []string
	// Redact, when set, transforms each znode's data as it is captured
	// (zkpaths.RedactData for dump --raw); nil keeps data whole, as a
	// snapshot or backup must.
	Redact func(path string, data []byte) []byte
	// Overwrite lets Save replace an existing regular file (--force).
	Overwrite bool
	// Stdout receives the snapshot when the path is "-".
	Stdout io.Writer
}

// source is a Reader that knows where its tree is: a zksession.Session, or
// a Snapshot.
type source interface {
	Servers() []string
	Chroot() string
}

// SaveReport says what Save wrote.
type SaveReport struct {
	File     string
	Trailer  Trailer
	Bytes    int64
	Duration time.Duration
}

// Save captures the tree below opts.Header.Root of r into a snapshot file,
// atomically, through fileio.Write: nothing is left at path (or in its
// directory) when it fails; an existing file is replaced only with
// opts.Overwrite, and never one that is not a regular file; "-" writes to
// opts.Stdout.
// Reads refused with NoAuth do not fail it: the nodes are written marked
// as refused and listed in the trailer (see Trailer.Partial).
func Save(ctx context.Context, r pipeline.Source, path string, opts SaveOptions) (SaveReport, error) {
	start := time.Now()
	if opts.Header.Created.IsZero() {
		opts.Header.Created = start.Truncate(time.Second)
	}
	if src, ok := r.(source); ok && opts.Header.Source.Servers == nil {
		opts.Header.Source = Origin{Servers: src.Servers(), Chroot: src.Chroot()}
	}
	rep := SaveReport{File: path}
	size, err := writeFile(path, fileio.WriteOptions{Overwrite: opts.Overwrite, Stdout: opts.Stdout}, func(out io.Writer) error {
		w, err := NewWriter(out, opts.Header)
		if err != nil {
			return err
		}
		if rep.Trailer, err = Capture(ctx, r, w, opts); err != nil {
			return err
		}
		return w.Close(rep.Trailer)
	})
	rep.Bytes, rep.Duration = size, time.Since(start)
	return rep, err
}

// Capture walks r below w's root, many reads in flight through the
// coordinator pipeline, and writes every node to w in tree order, holding
// in memory only what has been read but not yet written: waiting reads go
// out in tree order too. It returns the trailer to close w with (counting
// the nodes it wrote). Nodes that vanish during the walk are left out and
// counted; a missing root is an error matching zk.ErrNoNode. Reads refused
// with NoAuth are recorded. Any other error stops it. When r has a Chroot
// method that returns "" (a zksession.Session without chroot), /zookeeper
// is left out: it is ZooKeeper's, not Kafka's.
func Capture(ctx context.Context, r pipeline.Source, w *Writer, opts SaveOptions) (Trailer, error) {
	c := &capture{w: w, skip: opts.Skip, redact: opts.Redact}
	if s, ok := r.(interface{ Chroot() string }); ok {
		if c.chroot = s.Chroot(); c.chroot == "" {
			c.skip = append(slices.Clip(c.skip), zkpaths.ZooKeeperTree)
		}
	}
	width := opts.MaxInFlight
	if width <= 0 {
		width = DefaultMaxInFlight
	}
	root := &entry{path: w.check.root}
	c.stack = []*entry{root}
	err := pipeline.Run(ctx, r, pipeline.Options{MaxInFlight: width, UntilIdle: true, Less: inTreeOrder}, c, c.read(root)...)
	if err == nil && len(c.stack) > 0 {
		err = fmt.Errorf("snapshot: capture ended with %d nodes unwritten", len(c.stack))
	}
	return c.trailer, err
}

// inTreeOrder sends reads for earlier nodes first.
func inTreeOrder(a, b pipeline.Fetch) bool { return Less(a.Path, b.Path) }

// entry is a znode being read.
type entry struct {
	path     string
	node     Node
	pending  int  // reads not answered yet
	statSeen bool // a read gave the stat
	listed   bool // children asked for
	done     bool
	kids     []*entry // sorted
	vanished bool
	errs     []NodeError
}

// capture is the coordinator's state: every node being read, and the
// stack of nodes to write next (the write cursor of a depth-first walk).
type capture struct {
	w       *Writer
	skip    []string
	chroot  string
	stack   []*entry
	trailer Trailer
	redact  func(path string, data []byte) []byte
}

// read asks for a node's data and ACL at once.
func (c *capture) read(e *entry) []pipeline.Fetch {
	e.node.Path = e.path
	e.pending = 2
	return []pipeline.Fetch{{Op: pipeline.OpGet, Path: e.path, Tag: e}, {Op: pipeline.OpGetACL, Path: e.path, Tag: e}}
}

func (c *capture) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	r, ok := msg.(*pipeline.Result)
	if !ok {
		return nil, nil
	}
	e := r.Tag.(*entry)
	e.pending--
	if err := c.record(e, r); err != nil {
		return nil, err
	}
	var next []pipeline.Fetch
	if e.pending == 0 && !e.done {
		// Children only where the stat says there are some (or it is unknown).
		if !e.vanished && !e.listed && (!e.statSeen || e.node.Stat.NumChildren > 0) {
			e.listed, e.pending = true, 1
			return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: e.path, Tag: e}}, nil
		}
		e.done = true
		for _, k := range e.kids {
			next = append(next, c.read(k)...)
		}
	}
	return next, c.flush()
}

// record files one answer into its entry.
func (c *capture) record(e *entry, r *pipeline.Result) error {
	op := map[pipeline.Op]string{pipeline.OpGet: OpGet, pipeline.OpGetACL: OpGetACL, pipeline.OpChildren: OpList}[r.Op]
	switch {
	case errors.Is(r.Err, zk.ErrNoNode):
		e.vanished = true
		return nil
	case errors.Is(r.Err, zk.ErrNoAuth):
		// Answers come in any order; keep get, get-acl, list.
		e.node.Refused = append(e.node.Refused, op)
		slices.Sort(e.node.Refused)
		e.errs = append(e.errs, NodeError{Path: e.path, Op: op, Error: r.Err.Error()})
		slices.SortFunc(e.errs, func(a, b NodeError) int { return strings.Compare(a.Op, b.Op) })
		return nil
	case r.Err != nil:
		return r.Err
	}
	switch r.Op {
	case pipeline.OpGet:
		e.node.Data, e.node.Stat, e.statSeen = r.Data, *r.Stat, true
		if c.redact != nil && r.Data != nil {
			e.node.Data = c.redact(e.path, r.Data)
		}
	case pipeline.OpGetACL:
		e.node.ACL = r.ACL
		if !e.statSeen {
			e.node.Stat, e.statSeen = *r.Stat, true
		}
	case pipeline.OpChildren:
		slices.Sort(r.Children)
		for _, name := range r.Children {
			if p := zkpaths.Join(e.path, name); !slices.Contains(c.skip, p) {
				e.kids = append(e.kids, &entry{path: p})
			}
		}
	}
	e.node.Ephemeral = e.node.Stat.EphemeralOwner != 0
	return nil
}

// flush writes every finished node at the write cursor.
func (c *capture) flush() error {
	for len(c.stack) > 0 && c.stack[len(c.stack)-1].done {
		e := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		switch {
		case e.vanished && e.path == c.w.check.root:
			return &zksession.PathError{Op: OpGet, Path: e.path, Chroot: c.chroot, Err: zk.ErrNoNode}
		case e.vanished:
			c.trailer.Vanished++
			continue
		}
		if err := c.w.Write(&e.node); err != nil {
			return err
		}
		c.trailer.Nodes++
		c.trailer.Errors = append(c.trailer.Errors, e.errs...)
		for i := len(e.kids) - 1; i >= 0; i-- {
			c.stack = append(c.stack, e.kids[i])
		}
		*e = entry{done: true} // let the node go
	}
	return nil
}

package snapshot

import (
	"container/heap"
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
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
// atomically: nothing is left at path (or in its directory) when it fails.
// Reads refused with NoAuth do not fail it: the nodes are written marked
// as refused and listed in the trailer (see Trailer.Partial).
func Save(ctx context.Context, r zksession.Reader, path string, opts SaveOptions) (SaveReport, error) {
	start := time.Now()
	if opts.Header.Created.IsZero() {
		opts.Header.Created = start.Truncate(time.Second)
	}
	if src, ok := r.(source); ok && opts.Header.Source.Servers == nil {
		opts.Header.Source = Source{Servers: src.Servers(), Chroot: src.Chroot()}
	}
	rep := SaveReport{File: path}
	size, err := writeFile(path, func(out io.Writer) error {
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

// Capture walks r below w's root with many reads in flight and writes
// every node to w in tree order, holding in memory only what has been read
// but not yet written. It returns the trailer to close w with (counting
// the nodes it wrote). Nodes that vanish during the walk are left out and
// counted; a missing root is an error matching zk.ErrNoNode. Reads refused
// with NoAuth are recorded. Any other error stops it. When r has a Chroot
// method that returns "" (a zksession.Session without chroot), /zookeeper
// is left out: it is ZooKeeper's, not Kafka's.
func Capture(ctx context.Context, r zksession.Reader, w *Writer, opts SaveOptions) (Trailer, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &crawl{r: r, skip: opts.Skip}
	var chroot string
	if s, ok := r.(interface{ Chroot() string }); ok {
		if chroot = s.Chroot(); chroot == "" {
			c.skip = append(slices.Clip(c.skip), "/zookeeper")
		}
	}
	c.queue.cond = sync.NewCond(&c.queue.mu)
	width := opts.MaxInFlight
	if width <= 0 {
		width = DefaultMaxInFlight
	}
	root := &entry{path: w.check.root, done: make(chan struct{})}
	c.queue.push(root)
	var wg sync.WaitGroup
	for range width {
		wg.Go(func() { c.work(ctx) })
	}
	defer func() {
		c.queue.close()
		cancel()
		wg.Wait()
	}()

	var t Trailer
	stack := []*entry{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		select {
		case <-e.done:
		case <-ctx.Done():
			return t, ctx.Err()
		}
		switch {
		case e.err != nil:
			return t, e.err
		case e.vanished && e == root:
			return t, &zksession.PathError{Op: OpGet, Path: root.path, Chroot: chroot, Err: zk.ErrNoNode}
		case e.vanished:
			t.Vanished++
			continue
		}
		if err := w.Write(&e.node); err != nil {
			return t, err
		}
		t.Nodes++
		t.Errors = append(t.Errors, e.errs...)
		for i := len(e.kids) - 1; i >= 0; i-- {
			stack = append(stack, e.kids[i])
		}
		*e = entry{} // let the node go
	}
	return t, nil
}

// entry is a znode to read; done is closed once it has been.
type entry struct {
	path     string
	done     chan struct{}
	node     Node
	kids     []*entry // sorted
	vanished bool
	errs     []NodeError
	err      error
}

type crawl struct {
	r     zksession.Reader
	skip  []string
	queue queue
}

func (c *crawl) work(ctx context.Context) {
	for {
		e := c.queue.pop()
		if e == nil {
			return
		}
		c.read(ctx, e)
		for _, k := range e.kids {
			c.queue.push(k)
		}
		close(e.done)
	}
}

// read fills in e: data and stat, ACL, then the children when the stat
// says there are any. The first read to find the node gone ends it.
func (c *crawl) read(ctx context.Context, e *entry) {
	n := &e.node
	n.Path = e.path
	// check sorts an error: true to go on; vanished and fatal errors stop.
	check := func(op string, err error) bool {
		switch {
		case err == nil:
			return true
		case errors.Is(err, zk.ErrNoNode):
			e.vanished = true
		case errors.Is(err, zk.ErrNoAuth):
			n.Refused = append(n.Refused, op)
			e.errs = append(e.errs, NodeError{Path: e.path, Op: op, Error: err.Error()})
			return true
		default:
			e.err = err
		}
		return false
	}
	var stat *zk.Stat // nil until a read gives one
	data, st, err := c.r.Get(ctx, e.path)
	if !check(OpGet, err) {
		return
	}
	if err == nil {
		n.Data, n.Stat, stat = data, *st, st
	}
	acl, st, err := c.r.GetACL(ctx, e.path)
	if !check(OpGetACL, err) {
		return
	}
	if err == nil {
		n.ACL = acl
		if stat == nil {
			n.Stat, stat = *st, st
		}
	}
	n.Ephemeral = n.Stat.EphemeralOwner != 0
	if stat != nil && stat.NumChildren == 0 {
		return
	}
	kids, _, err := c.r.Children(ctx, e.path)
	if !check(OpList, err) {
		return
	}
	slices.Sort(kids)
	for _, name := range kids {
		p := join(e.path, name)
		if !slices.Contains(c.skip, p) {
			e.kids = append(e.kids, &entry{path: p, done: make(chan struct{})})
		}
	}
}

// queue hands out the waiting entry that comes first in tree order, so the
// crawl moves through the tree in the order the writer needs it.
type queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  entryHeap
	closed bool
}

func (q *queue) push(e *entry) {
	q.mu.Lock()
	heap.Push(&q.items, e)
	q.mu.Unlock()
	q.cond.Signal()
}

// pop waits for an entry; nil once the queue is closed.
func (q *queue) pop() *entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return nil
	}
	return heap.Pop(&q.items).(*entry)
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

type entryHeap []*entry

func (h entryHeap) Len() int           { return len(h) }
func (h entryHeap) Less(i, j int) bool { return Less(h[i].path, h[j].path) }
func (h entryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *entryHeap) Push(x any)        { *h = append(*h, x.(*entry)) }
func (h *entryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}

package snapshot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

const (
	// DefaultMaxBatchBytes bounds one multi request Create sends.
	DefaultMaxBatchBytes = 256 << 10
	// DefaultCreateInFlight bounds the requests Create keeps in flight.
	DefaultCreateInFlight = 8
	// MaxRequestBytes is ZooKeeper's default jute.maxbuffer: the server
	// drops the connection of a client that sends a larger request.
	MaxRequestBytes = 1<<20 - 1
	// requestOverhead is a multi request's framing: length, xid and
	// opcode, the closing header; opOverhead is one create's header and
	// fixed fields.
	requestOverhead = 4 + 8 + 9
	opOverhead      = 9 + 4 + 4 + 4 + 4
	aclWidthFactor  = 8
)

// CreateOptions tune Create.
type CreateOptions struct {
	// MaxBatchBytes bounds the size of one multi request (default
	// DefaultMaxBatchBytes); a node bigger than that goes alone.
	MaxBatchBytes int
	// MaxInFlight bounds the multi requests in flight (default
	// DefaultCreateInFlight). The SetACLs at the end, one small request
	// each, go aclWidthFactor times as many at once.
	MaxInFlight int
}

// CreateReport says what Create did, or, from Plan, would do.
type CreateReport struct {
	Created int `json:"created"`
	// Existed counts nodes found already there (a batch whose answer was
	// lost with the connection had landed, or another writer).
	Existed int `json:"existed"`
	Batches int `json:"batches"`
	// ACLsSet counts ACLs set after the children were created.
	ACLsSet int `json:"acls_set"`
	// Ephemeral lists nodes captured as ephemeral, created persistent.
	Ephemeral []string `json:"ephemeral"`
	// Skipped lists nodes not created because their data or ACL was not
	// captured (Node.Refused), with their descendants.
	Skipped []string `json:"skipped"`
	// ACLErrors lists ACLs ZooKeeper refused (e.g. a scheme it has no
	// provider for); those nodes keep world:anyone:cdrwa.
	ACLErrors []NodeError   `json:"acl_errors"`
	Duration  time.Duration `json:"-"`
}

// plan is the work Create does: creates by depth, each depth in batches,
// then the ACLs that had to wait for the children.
type plan struct {
	levels   [][][]*zk.CreateRequest // depth → batches → creates
	deferred []Node                  // ACLs to set last
	report   CreateReport
}

// Plan works out what Create would do, and checks sizes, without writing.
func Plan(chroot string, nodes []Node, opts CreateOptions) (CreateReport, error) {
	p, err := newPlan(chroot, nodes, opts)
	if err != nil {
		return CreateReport{}, err
	}
	p.report.Created = 0
	for _, l := range p.levels {
		for _, b := range l {
			p.report.Created += len(b)
		}
	}
	p.report.ACLsSet = len(p.deferred)
	return p.report, nil
}

func newPlan(chroot string, nodes []Node, opts CreateOptions) (*plan, error) {
	if opts.MaxBatchBytes <= 0 {
		opts.MaxBatchBytes = DefaultMaxBatchBytes
	}
	order := make([]*Node, 0, len(nodes))
	skipped := map[string]bool{}
	p := &plan{report: CreateReport{Ephemeral: []string{}, Skipped: []string{}, ACLErrors: []NodeError{}}}
	for i := range nodes {
		if nodes[i].Path != "/" {
			order = append(order, &nodes[i])
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		di, dj := zkpaths.Depth(order[i].Path), zkpaths.Depth(order[j].Path)
		return di < dj || di == dj && Less(order[i].Path, order[j].Path)
	})
	hasKids := map[string]bool{}
	for _, n := range order {
		hasKids[parent(n.Path)] = true
	}
	var batch []*zk.CreateRequest
	size, level := 0, -1
	flush := func() {
		if len(batch) > 0 {
			p.levels[len(p.levels)-1] = append(p.levels[len(p.levels)-1], batch)
			p.report.Batches++
		}
		batch, size = nil, 0
	}
	for _, n := range order {
		if err := zksession.ValidatePath(n.Path); err != nil {
			return nil, err
		}
		if skipped[parent(n.Path)] || n.refused(OpGet) || n.refused(OpGetACL) {
			skipped[n.Path] = true
			p.report.Skipped = append(p.report.Skipped, n.Path)
			continue
		}
		if d := zkpaths.Depth(n.Path); d != level {
			flush()
			p.levels = append(p.levels, nil)
			level = d
		}
		acl := n.ACL
		if isOpen(acl) {
			acl = zk.WorldACL(zk.PermAll)
		} else if hasKids[n.Path] || !inlineACL(acl) {
			p.deferred = append(p.deferred, *n)
			acl = zk.WorldACL(zk.PermAll)
		}
		req := &zk.CreateRequest{Path: n.Path, Data: n.Data, Acl: acl, Flags: zk.FlagPersistent}
		op := opSize(chroot, req)
		if requestOverhead+op > MaxRequestBytes {
			return nil, &zksession.PathError{Op: "create", Path: n.Path, Chroot: chroot, Err: fmt.Errorf(
				"a create of %d bytes is more than ZooKeeper takes in one request (jute.maxbuffer, %d bytes by default)",
				requestOverhead+op, MaxRequestBytes)}
		}
		if len(batch) > 0 && requestOverhead+size+op > opts.MaxBatchBytes {
			flush()
		}
		batch = append(batch, req)
		size += op
		if n.Ephemeral {
			p.report.Ephemeral = append(p.report.Ephemeral, n.Path)
		}
	}
	flush()
	// Deepest first: not needed by ZooKeeper (SetACL checks only the
	// node's own ACL), but it is the order a reader expects.
	sort.SliceStable(p.deferred, func(i, j int) bool {
		return zkpaths.Depth(p.deferred[i].Path) > zkpaths.Depth(p.deferred[j].Path)
	})
	return p, nil
}

// Batched is a load's work: multi requests of creates, in order (parents
// before children), then the ACLs to set once the children exist.
type Batched struct {
	Batches  [][]*zk.CreateRequest
	Deferred []Node
	// Report counts batches and lists ephemeral and skipped nodes;
	// Created and ACLsSet are left to the writer.
	Report CreateReport
}

// Batch plans nodes' creation as Create does, for a guarded writer.
func Batch(chroot string, nodes []Node, opts CreateOptions) (*Batched, error) {
	p, err := newPlan(chroot, nodes, opts)
	if err != nil {
		return nil, err
	}
	b := &Batched{Deferred: p.deferred, Report: p.report}
	for _, l := range p.levels {
		b.Batches = append(b.Batches, l...)
	}
	return b, nil
}

// IsOpenACL is true for world:anyone:cdrwa alone, and for nil.
func IsOpenACL(acl []zk.ACL) bool { return isOpen(acl) }

// opSize is the encoded size of one create inside a multi.
func opSize(chroot string, r *zk.CreateRequest) int {
	n := opOverhead + len(chroot) + len(r.Path) + len(r.Data)
	for _, a := range r.Acl {
		n += 4 + 4 + len(a.Scheme) + 4 + len(a.ID)
	}
	return n
}

// isOpen is true for world:anyone:cdrwa alone, and for nil.
func isOpen(acl []zk.ACL) bool {
	return len(acl) == 0 || len(acl) == 1 && acl[0] == zk.ACL{Perms: zk.PermAll, Scheme: "world", ID: "anyone"}
}

// inlineACL says whether a leaf can be created with its ACL at once: every
// scheme is one each ZooKeeper server knows. Others (sasl, x509, ...) may
// be refused with InvalidACL, which would fail a whole batch, so they are
// set afterwards one by one.
func inlineACL(acl []zk.ACL) bool {
	for _, a := range acl {
		switch a.Scheme {
		case "world", "digest", "ip":
		default:
			return false
		}
	}
	return true
}

// Create makes nodes under sess's chroot, fast: parents before children,
// depth by depth, each depth in multi requests of at most MaxBatchBytes
// with MaxInFlight of them in flight. Nodes are created persistent (also
// the ephemeral ones) with their data and ACL; a node whose ACL might keep
// rafka from creating its children, or that uses a scheme the server may
// not know, is created open and gets its ACL at the end. The root "/" is
// left alone. Each node's parent must be among nodes or exist already.
// Nodes whose data or ACL was not captured are skipped with their subtrees.
func Create(ctx context.Context, sess Target, nodes []Node, opts CreateOptions) (CreateReport, error) {
	start := time.Now()
	p, err := newPlan(sess.Chroot(), nodes, opts)
	if err != nil {
		return CreateReport{}, err
	}
	width := opts.MaxInFlight
	if width <= 0 {
		width = DefaultCreateInFlight
	}
	rep := &p.report
	var mu sync.Mutex
	for _, batches := range p.levels {
		err := forEach(ctx, len(batches), width, func(ctx context.Context, i int) error {
			created, existed, err := createBatch(ctx, sess, batches[i])
			mu.Lock()
			rep.Created += created
			rep.Existed += existed
			mu.Unlock()
			return err
		})
		if err != nil {
			rep.Duration = time.Since(start)
			return *rep, err
		}
	}
	err = forEach(ctx, len(p.deferred), width*aclWidthFactor, func(ctx context.Context, i int) error {
		n := &p.deferred[i]
		_, err := sess.SetACL(ctx, n.Path, n.ACL, -1)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil, errors.Is(err, zk.ErrNoAuth):
			// NoAuth: a retried SetACL whose first try landed and took
			// rafka's own ADMIN permission away.
			rep.ACLsSet++
		case errors.Is(err, zk.ErrInvalidACL):
			rep.ACLErrors = append(rep.ACLErrors, NodeError{Path: n.Path, Op: "set-acl", Error: err.Error()})
		default:
			return err
		}
		return nil
	})
	sort.Slice(rep.ACLErrors, func(i, j int) bool { return Less(rep.ACLErrors[i].Path, rep.ACLErrors[j].Path) })
	rep.Duration = time.Since(start)
	return *rep, err
}

// createBatch sends one multi. When it fails because nodes exist (a batch
// whose answer was lost with the connection had landed, an earlier load was
// interrupted, or another writer made them), it finds them with pipelined
// Exists calls and sends the rest again; the nodes found count as existed.
func createBatch(ctx context.Context, sess Target, batch []*zk.CreateRequest) (created, existed int, err error) {
	for attempt := 1; len(batch) > 0; attempt++ {
		ops := make([]any, len(batch))
		for i, r := range batch {
			ops[i] = r
		}
		res, err := sess.Multi(ctx, ops...)
		if err == nil {
			return created + len(batch), existed, nil
		}
		failed, cause := multiFailure(batch, res, err)
		if failed == "" {
			return created, existed, err
		}
		if !errors.Is(cause, zk.ErrNodeExists) || attempt > 5 {
			if errors.Is(cause, zk.ErrNoNode) {
				cause = fmt.Errorf("its parent does not exist: %w", cause)
			}
			return created, existed, &zksession.PathError{Op: "create", Path: failed, Chroot: sess.Chroot(), Err: cause}
		}
		found := make([]bool, len(batch))
		if err := forEach(ctx, len(batch), 32, func(ctx context.Context, i int) (err error) {
			found[i], _, err = sess.Exists(ctx, batch[i].Path)
			return err
		}); err != nil {
			return created, existed, err
		}
		rest := batch[:0:0]
		for i, r := range batch {
			if !found[i] {
				rest = append(rest, r)
			}
		}
		existed += len(batch) - len(rest)
		batch = rest
	}
	return created, existed, nil
}

// multiFailure finds the operation that failed a multi: the first whose
// error is not ZooKeeper's "rolled back" (RuntimeInconsistency, -2).
func multiFailure(batch []*zk.CreateRequest, res []zk.MultiResponse, err error) (path string, cause error) {
	for i, r := range res {
		if r.Error != nil && i < len(batch) && !strings.HasSuffix(r.Error.Error(), "error: -2") {
			return batch[i].Path, r.Error
		}
	}
	return "", err
}

// forEach runs f(0..n-1) on at most width goroutines; the first error
// stops the rest and is returned.
func forEach(ctx context.Context, n, width int, f func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(width, n) {
		wg.Go(func() {
			for i := range next {
				if err := f(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

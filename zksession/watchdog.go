package zksession

import (
	"context"
	"sync"
	"time"
)

// watchdogTick is how often the watchdog looks at operations in flight:
// deadlines are kept to within this.
const watchdogTick = 100 * time.Millisecond

// watchdog enforces operation deadlines without a goroutine per request.
// go-zookeeper has no request timeouts and no way to abandon one request;
// what unblocks requests is the connection going away. So operations run
// inline, and when one is past its deadline (or its context is done) the
// watchdog cuts the TCP connection: every request in flight returns, the
// late one reports a timeout, the others retry, and go-zookeeper
// reconnects (to another server if there is one).
type watchdog struct {
	cut  func() // cuts the current connection
	stop chan struct{}
	done chan struct{}

	mu   sync.Mutex
	ops  []*watched // in flight, in no order
	free []*watched // finished, for reuse: an operation costs no allocation
}

type watched struct {
	deadline time.Time
	ctx      context.Context
	late     bool // the watchdog cut the connection for it
	index    int  // in ops
}

func newWatchdog(cut func()) *watchdog {
	w := &watchdog{cut: cut, stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// add registers an operation about to run; finish unregisters it.
func (w *watchdog) add(ctx context.Context, deadline time.Time) *watched {
	w.mu.Lock()
	defer w.mu.Unlock()
	var op *watched
	if n := len(w.free); n > 0 {
		op, w.free = w.free[n-1], w.free[:n-1]
	} else {
		op = &watched{}
	}
	*op = watched{deadline: deadline, ctx: ctx, index: len(w.ops)}
	w.ops = append(w.ops, op)
	return op
}

// finish unregisters op and says whether the watchdog gave up on it. op
// must not be used after.
func (w *watchdog) finish(op *watched) (late bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	last := w.ops[len(w.ops)-1]
	w.ops[op.index], last.index = last, op.index
	w.ops[len(w.ops)-1] = nil
	w.ops = w.ops[:len(w.ops)-1]
	late = op.late
	*op = watched{}
	w.free = append(w.free, op)
	return late
}

func (w *watchdog) run() {
	defer close(w.done)
	tick := time.NewTicker(watchdogTick)
	defer tick.Stop()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			if w.overdue(now) {
				w.cut()
			}
		}
	}
}

// overdue marks the operations past their deadline or cancelled, and says
// whether any newly are.
func (w *watchdog) overdue(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	found := false
	for _, op := range w.ops {
		if !op.late && (now.After(op.deadline) || op.ctx.Err() != nil) {
			op.late, found = true, true
		}
	}
	return found
}

func (w *watchdog) close() {
	close(w.stop)
	<-w.done
}

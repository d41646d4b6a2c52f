package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrStop may be returned by a Handler to end a run successfully.
var ErrStop = errors.New("stop")

// Options tune a run.
type Options struct {
	// MaxInFlight bounds requests outstanding on ZooKeeper at once.
	MaxInFlight int
	// UntilIdle ends the run when nothing is queued or in flight: one-shot
	// reads. Watchers leave it false and end through ErrStop or ctx.
	UntilIdle bool
	// Events, when set, delivers watch triggers and session changes; the
	// pipeline forwards them to the handler as messages, never dropping one.
	Events <-chan Message
	// Less, when set, orders the fetches waiting to be sent (lowest first)
	// instead of first come, first served: a tree walk in output order
	// keeps what it must buffer small.
	Less func(a, b Fetch) bool
}

// Run drives h from the initial fetches until it is idle (UntilIdle), the
// handler returns an error (ErrStop for a clean end), or ctx ends. Every
// goroutine it starts has ended when it returns.
func Run(ctx context.Context, src Source, opts Options, h Handler, initial ...Fetch) error {
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	work := make(chan Fetch)
	results := make(chan *Result, opts.MaxInFlight) // workers never wait for the coordinator
	var workers sync.WaitGroup
	for range opts.MaxInFlight {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for f := range work {
				results <- execute(ctx, src, f)
			}
		}()
	}
	// On the way out, cancel first: a request still in flight is abandoned
	// (the session's watchdog unblocks it) instead of waited for.
	defer func() {
		close(work)
		cancel()
		workers.Wait()
	}()

	var (
		queue    = &fetchQueue{less: opts.Less}
		inFlight int
		nextID   uint64
	)
	add := func(fetches []Fetch) {
		for _, f := range fetches {
			nextID++
			f.ID = nextID
			queue.push(f)
		}
	}
	add(initial)
	handle := func(msg Message) error {
		more, err := h.Handle(msg)
		add(more)
		return err
	}
	for {
		if opts.UntilIdle && queue.len() == 0 && inFlight == 0 {
			return nil
		}
		var send chan Fetch
		var next Fetch
		if queue.len() > 0 && inFlight < opts.MaxInFlight {
			send, next = work, queue.peek()
		}
		select {
		case send <- next:
			queue.pop()
			inFlight++
		case r := <-results:
			inFlight--
			if err := handle(r); err != nil {
				return stopped(err)
			}
		case msg, ok := <-opts.Events:
			if !ok {
				opts.Events = nil
				continue
			}
			if err := handle(msg); err != nil {
				return stopped(err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func stopped(err error) error {
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}

// execute runs one fetch on the source.
func execute(ctx context.Context, src Source, f Fetch) *Result {
	r := &Result{Fetch: f}
	if f.Watch {
		ws, ok := src.(WatchSource)
		if !ok {
			r.Err = fmt.Errorf("%s %s: this source cannot watch (a snapshot?)", f.Op, f.Path)
			return r
		}
		switch f.Op {
		case OpGet:
			r.Data, r.Stat, r.Err = ws.GetAndWatch(ctx, f.Path)
		case OpChildren:
			r.Children, r.Stat, r.Err = ws.ChildrenAndWatch(ctx, f.Path)
		case OpExists:
			r.Exists, r.Stat, r.Err = ws.ExistsAndWatch(ctx, f.Path)
		default:
			r.Err = fmt.Errorf("%s %s: cannot watch this operation", f.Op, f.Path)
		}
		return r
	}
	switch f.Op {
	case OpChangedSince:
		cs, ok := src.(interface {
			ChangedSince(ctx context.Context, zxid int64, data, exist, children []string) ([]string, error)
		})
		switch {
		case !ok:
			r.Err = fmt.Errorf("%s: this source cannot tell what changed", f.Op)
		case f.Since == nil:
			r.Err = fmt.Errorf("%s: nothing asked", f.Op)
		default:
			r.Children, r.Err = cs.ChangedSince(ctx, f.Since.Zxid, f.Since.Data, f.Since.Exist, f.Since.Children)
		}
	case OpGet:
		r.Data, r.Stat, r.Err = src.Get(ctx, f.Path)
	case OpChildren:
		r.Children, r.Stat, r.Err = src.Children(ctx, f.Path)
	case OpGetACL:
		r.ACL, r.Stat, r.Err = src.GetACL(ctx, f.Path)
	case OpExists:
		if ws, ok := src.(WatchSource); ok {
			r.Exists, r.Stat, r.Err = ws.Exists(ctx, f.Path)
		} else {
			_, r.Stat, r.Err = src.Get(ctx, f.Path)
			r.Exists = r.Err == nil
			if isNoNode(r.Err) {
				r.Err = nil
			}
		}
	}
	return r
}

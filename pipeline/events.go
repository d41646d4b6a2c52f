package pipeline

import (
	"context"
	"sync"

	"github.com/go-zookeeper/zk"
)

// EventSource is a session that reports its events through a callback,
// as zksession.Session does.
type EventSource interface {
	OnEvent(func(zk.Event))
	SessionID() int64
}

// Events turns a session's events into pipeline messages: WatchFired for
// watch triggers, SessionChanged for session states. go-zookeeper calls the
// callback on its receive goroutine, which must never block, so events go
// into an unbounded queue; nothing is dropped. The channel closes when ctx
// ends.
func Events(ctx context.Context, src EventSource) <-chan Message {
	q := &eventQueue{wake: make(chan struct{}, 1)}
	src.OnEvent(func(ev zk.Event) {
		var m Message
		switch {
		case ev.Type == zk.EventSession:
			sc := SessionChanged{State: ev.State, SessionID: src.SessionID()}
			if q, ok := src.(interface{ QuietReconnect() bool }); ok && ev.State == zk.StateHasSession {
				sc.Quiet = q.QuietReconnect()
			}
			if r, ok := src.(interface{ ResumedFrom() int64 }); ok && ev.State == zk.StateHasSession {
				sc.SinceZxid = r.ResumedFrom()
			}
			m = sc
		case ev.Type == zk.EventNotWatching:
			m = WatchFired{Path: ev.Path, Type: ev.Type, Err: ev.Err}
		case ev.Path != "":
			m = WatchFired{Path: ev.Path, Type: ev.Type}
		default:
			return
		}
		q.push(m)
	})
	out := make(chan Message)
	go func() {
		defer close(out)
		for {
			m, ok := q.pop()
			if !ok {
				select {
				case <-q.wake:
					continue
				case <-ctx.Done():
					q.close()
					return
				}
			}
			select {
			case out <- m:
			case <-ctx.Done():
				q.close()
				return
			}
		}
	}()
	return out
}

type eventQueue struct {
	mu     sync.Mutex
	items  []Message
	closed bool
	wake   chan struct{}
}

func (q *eventQueue) push(m Message) {
	q.mu.Lock()
	if !q.closed {
		q.items = append(q.items, m)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *eventQueue) pop() (Message, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, false
	}
	m := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	return m, true
}

func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed, q.items = true, nil
	q.mu.Unlock()
}

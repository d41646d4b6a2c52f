package zksession

import (
	"bufio"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// batchConn cuts the system calls go-zookeeper makes: it writes every
// request with its own write and reads every reply with two reads, which
// on a bulk read was about a third of the client's CPU. Writes are
// queued and written by one flusher goroutine, so the requests that pile
// up while it is in a write go out together in the next one; reads come
// out of a buffer. Order is kept (one writer, one reader), and a failed
// write closes the connection, as go-zookeeper does.
type batchConn struct {
	net.Conn
	r *bufio.Reader

	mu     sync.Mutex
	cond   sync.Cond // signals queued bytes, room, or close
	queued []byte
	spare  []byte
	err    error // the flusher's write error, or net.ErrClosed

	writeTimeout atomic.Int64 // the last deadline go-zookeeper asked for, as a duration
}

const (
	// batchLimit bounds the queue: a writer waits while this much is unwritten.
	batchLimit = 1 << 20
	// lingerBelow: a smaller queue waits one yield for company.
	lingerBelow = 4 << 10
)

func newBatchConn(c net.Conn) *batchConn {
	b := &batchConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10)}
	b.cond.L = &b.mu
	go b.flush()
	return b
}

func (b *batchConn) Read(p []byte) (int, error) { return b.r.Read(p) }

func (b *batchConn) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.err == nil && len(b.queued) >= batchLimit {
		b.cond.Wait()
	}
	if b.err != nil {
		return 0, b.err
	}
	b.queued = append(b.queued, p...)
	b.cond.Broadcast()
	return len(p), nil
}

// SetWriteDeadline records how long go-zookeeper lets a write take; the
// flusher applies it to each batch.
func (b *batchConn) SetWriteDeadline(t time.Time) error {
	if !t.IsZero() {
		b.writeTimeout.Store(int64(time.Until(t)))
	}
	return nil
}

func (b *batchConn) flush() {
	b.mu.Lock()
	for {
		for b.err == nil && len(b.queued) == 0 {
			b.cond.Wait()
		}
		if len(b.queued) < lingerBelow {
			// A small queue: yield once so the requests being queued
			// right now go in the same write. This cuts writes about 4×
			// on a bulk read (bench/README.md) and adds no timer.
			b.mu.Unlock()
			runtime.Gosched()
			b.mu.Lock()
		}
		if b.err != nil {
			b.mu.Unlock()
			return
		}
		batch := b.queued
		b.queued, b.spare = b.spare[:0], nil
		b.cond.Broadcast() // room for waiting writers
		b.mu.Unlock()

		if d := time.Duration(b.writeTimeout.Load()); d > 0 {
			b.Conn.SetWriteDeadline(time.Now().Add(d))
		}
		_, err := b.Conn.Write(batch)

		b.mu.Lock()
		b.spare = batch[:0]
		if err != nil && b.err == nil {
			b.err = err
			b.Conn.Close()
			b.cond.Broadcast()
		}
	}
}

// Close stops the flusher, dropping what it has not written, and closes
// the connection.
func (b *batchConn) Close() error {
	b.stop()
	return b.Conn.Close()
}

// stop ends the flusher without touching the connection (its TCP
// connection was cut below it).
func (b *batchConn) stop() {
	b.mu.Lock()
	if b.err == nil {
		b.err = net.ErrClosed
	}
	b.cond.Broadcast()
	b.mu.Unlock()
}

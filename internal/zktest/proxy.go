package zktest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Mode is what a Proxy does with new connections.
type Mode int

const (
	// ModePass forwards new connections to the target.
	ModePass Mode = iota
	// ModeRefuse closes the listener, so connecting is refused (ECONNREFUSED). Leaving this mode
	// listens again on the same port.
	ModeRefuse
	// ModeBlackhole accepts TCP connections, reads and discards what they send, never answers and
	// never forwards: a server that hangs.
	ModeBlackhole
)

func (m Mode) String() string {
	switch m {
	case ModePass:
		return "pass"
	case ModeRefuse:
		return "refuse"
	case ModeBlackhole:
		return "blackhole"
	}
	return "Mode(?)"
}

// Proxy is a TCP proxy on 127.0.0.1 for fault injection.
//
// The mode applies to new connections only: connections already forwarded keep flowing when the
// mode changes (call Cut to drop them).
type Proxy struct {
	// Addr is the proxy's address, "127.0.0.1:port". It stays the same for the proxy's lifetime.
	Addr string

	tb     testing.TB
	target string

	mu       sync.Mutex
	mode     Mode
	ln       net.Listener // nil while refusing
	reserved *reservation // the port, while refusing
	links    map[*link]struct{}
	sinks    map[net.Conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

// link is one forwarded connection.
type link struct {
	client, server net.Conn // server is nil while dialing
	cut            bool
}

// NewProxy starts a proxy to target in ModePass. It is closed, with all its connections, in
// tb.Cleanup.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("zktest: proxy: %v", err)
	}
	p := &Proxy{
		Addr:   ln.Addr().String(),
		tb:     tb,
		target: target,
		ln:     ln,
		links:  map[*link]struct{}{},
		sinks:  map[net.Conn]struct{}{},
	}
	p.wg.Add(1)
	go p.accept(ln)
	tb.Cleanup(p.close)
	return p
}

// SetMode switches what happens to new connections.
func (p *Proxy) SetMode(m Mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || m == p.mode {
		return
	}
	old := p.mode
	p.mode = m
	if m == ModeRefuse {
		p.ln.Close()
		p.ln = nil
		r, err := reservePort(p.Addr) // reserve.go
		if err != nil {
			p.tb.Errorf("zktest: proxy %s: %v", p.Addr, err)
			return
		}
		p.reserved = r
		return
	}
	if old == ModeRefuse {
		if p.reserved != nil {
			p.reserved.release()
			p.reserved = nil
		}
		var err error
		for i := 0; i < 50; i++ { // the port is ours, but be patient with the kernel
			var ln net.Listener
			if ln, err = net.Listen("tcp", p.Addr); err == nil {
				p.ln = ln
				p.wg.Add(1)
				go p.accept(ln)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		p.tb.Errorf("zktest: proxy %s: listening again: %v", p.Addr, err)
	}
}

// Cut closes every current connection, both sides, at once (connections cut mid-stream). New
// connections are handled according to the mode as usual.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *Proxy) cutLocked() {
	for l := range p.links {
		l.close()
	}
	for c := range p.sinks {
		c.Close()
	}
}

// Conns returns the number of connections currently forwarded (blackholed ones are not counted).
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for l := range p.links {
		if !l.cut {
			n++
		}
	}
	return n
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	if p.reserved != nil {
		p.reserved.release()
		p.reserved = nil
	}
	p.cutLocked()
	p.mu.Unlock()
	p.wg.Wait()
}

func (l *link) close() {
	l.cut = true
	l.client.Close()
	if l.server != nil {
		l.server.Close()
	}
}

func (p *Proxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return // listener closed (refuse mode or proxy closed)
		}
		p.mu.Lock()
		switch {
		case p.closed || p.mode == ModeRefuse:
			c.Close()
		case p.mode == ModeBlackhole:
			p.sinks[c] = struct{}{}
			p.wg.Add(1)
			go p.sink(c)
		default:
			l := &link{client: c}
			p.links[l] = struct{}{}
			p.wg.Add(1)
			go p.forward(l)
		}
		p.mu.Unlock()
	}
}

func (p *Proxy) sink(c net.Conn) {
	defer p.wg.Done()
	io.Copy(io.Discard, c)
	p.mu.Lock()
	delete(p.sinks, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) forward(l *link) {
	defer p.wg.Done()
	defer func() {
		p.mu.Lock()
		l.close()
		delete(p.links, l)
		p.mu.Unlock()
	}()
	s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	p.mu.Lock()
	if err != nil || l.cut {
		p.mu.Unlock()
		if s != nil {
			s.Close()
		}
		return
	}
	l.server = s
	p.mu.Unlock()

	done := make(chan struct{})
	go func() {
		io.Copy(s, l.client)
		p.mu.Lock()
		l.close()
		p.mu.Unlock()
		close(done)
	}()
	io.Copy(l.client, s)
	p.mu.Lock()
	l.close()
	p.mu.Unlock()
	<-done
}

// ---------------------------------------------------------------------------------------------
// Fake servers.

// HTTPServer starts a loopback listener that answers whatever bytes it receives with an
// "HTTP/1.1 400 Bad Request" response and closes the connection, like an HTTP server on a port
// where ZooKeeper was expected. It returns its address and is closed in tb.Cleanup.
func HTTPServer(tb testing.TB) string {
	tb.Helper()
	return serve(tb, func(c net.Conn) {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		buf := make([]byte, 4096)
		if n, _ := c.Read(buf); n == 0 {
			return
		}
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		const body = "400 Bad Request\n"
		io.WriteString(c, "HTTP/1.1 400 Bad Request\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n"+
			"Content-Length: 16\r\n"+
			"Connection: close\r\n\r\n"+body)
		// Half-close and drain, so unread request bytes do not turn our close into a reset that
		// could destroy the response before the client reads it.
		if tc, ok := c.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		io.Copy(io.Discard, c)
	})
}

// Silent starts a loopback listener that accepts connections, reads and discards what they send
// and never answers (a hung server). It returns its address and is closed in tb.Cleanup.
func Silent(tb testing.TB) string {
	tb.Helper()
	return serve(tb, func(c net.Conn) { io.Copy(io.Discard, c) })
}

// serve runs handle for every connection on a new loopback listener; the handler's connection is
// closed when it returns or when the test's cleanup runs.
func serve(tb testing.TB, handle func(net.Conn)) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("zktest: listen: %v", err)
	}
	var (
		mu     sync.Mutex
		conns  = map[net.Conn]struct{}{}
		closed bool
		wg     sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				mu.Unlock()
				c.Close()
				continue
			}
			conns[c] = struct{}{}
			wg.Add(1)
			mu.Unlock()
			go func() {
				defer wg.Done()
				handle(c)
				c.Close()
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			}()
		}
	}()
	tb.Cleanup(func() {
		mu.Lock()
		closed = true
		ln.Close()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

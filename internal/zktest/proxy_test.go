package zktest_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/zktest"
)

var syscallECONNREFUSED = syscall.ECONNREFUSED

// echoServer echoes lines back and counts accepted connections.
func echoServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	done := make(chan struct{})
	conns := make(chan net.Conn, 100)
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conns <- c
			go io.Copy(c, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(conns)
		for c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String(), &accepted
}

func roundTrip(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != msg+"\n" {
		t.Fatalf("echo = %q, %v", line, err)
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestProxyModes(t *testing.T) {
	t.Parallel()
	target, accepted := echoServer(t)
	p := zktest.NewProxy(t, target)
	if !strings.HasPrefix(p.Addr, "127.0.0.1:") {
		t.Fatalf("Addr %q", p.Addr)
	}

	// Pass forwards.
	c1 := dial(t, p.Addr)
	roundTrip(t, c1, "hello")
	if n := p.Conns(); n != 1 {
		t.Errorf("Conns() = %d, want 1", n)
	}

	// Refuse: the port is closed but kept (no automatic bind gets it, no
	// dial connects to itself); existing connections keep working.
	p.SetMode(zktest.ModeRefuse)
	for i := range 200 {
		if c, err := net.DialTimeout("tcp", p.Addr, time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
			if c != nil {
				c.Close()
			}
			t.Fatalf("dial %d in ModeRefuse: %v, want ECONNREFUSED", i, err)
		}
	}

	roundTrip(t, c1, "still here")

	// Blackhole: accepted, never answered, never forwarded.
	p.SetMode(zktest.ModeBlackhole)
	before := accepted.Load()
	bh := dial(t, p.Addr)
	if _, err := io.WriteString(bh, "anyone there?\n"); err != nil {
		t.Fatal(err)
	}
	bh.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if n, err := bh.Read(make([]byte, 16)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read in ModeBlackhole = %d bytes, %v; want a timeout with no bytes", n, err)
	}
	if got := accepted.Load(); got != before {
		t.Errorf("blackholed connection reached the target (%d accepts, want %d)", got, before)
	}
	if n := p.Conns(); n != 1 {
		t.Errorf("Conns() = %d, want 1 (blackholed connections are not counted)", n)
	}

	// Back to pass, on the same address.
	p.SetMode(zktest.ModePass)
	c2 := dial(t, p.Addr)
	roundTrip(t, c2, "back")
	if n := p.Conns(); n != 2 {
		t.Errorf("Conns() = %d, want 2", n)
	}

	// Cut drops every connection, forwarded and blackholed, at once.
	p.Cut()
	if n := p.Conns(); n != 0 {
		t.Errorf("Conns() after Cut = %d, want 0", n)
	}
	for name, c := range map[string]net.Conn{"c1": c1, "c2": c2, "blackholed": bh} {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("%s after Cut: read err %v, want EOF or reset", name, err)
		}
	}
	c3 := dial(t, p.Addr)
	roundTrip(t, c3, "after cut")

	// Refuse straight to blackhole and back.
	p.SetMode(zktest.ModeRefuse)
	p.SetMode(zktest.ModeBlackhole)
	dial(t, p.Addr)
	p.SetMode(zktest.ModePass)
	roundTrip(t, dial(t, p.Addr), "again")
}

func TestProxyToZooKeeper(t *testing.T) {
	t.Parallel()
	c := zktest.Standalone(t)
	p := zktest.NewProxy(t, c.PlainServers[0])
	if out, err := zktest.FourLetter(p.Addr, "ruok"); err != nil || out != "imok" {
		t.Fatalf("ruok through proxy = %q, %v", out, err)
	}
	conn := connect(t, []string{p.Addr})
	if _, _, err := conn.Get("/"); err != nil {
		t.Fatal(err)
	}
	if n := p.Conns(); n != 1 {
		t.Errorf("Conns() = %d, want 1", n)
	}
	p.Cut()
	// The client reconnects through the proxy within its session.
	eventually(t, 10*time.Second, "Get after Cut", func() error {
		_, _, err := conn.Get("/")
		return err
	})
}

func TestHTTPServer(t *testing.T) {
	t.Parallel()
	addr := zktest.HTTPServer(t)
	for range 2 {
		c := dial(t, addr)
		// Something like a ZooKeeper connect request.
		if _, err := c.Write(append([]byte{0, 0, 0, 44}, make([]byte, 44)...)); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := io.ReadAll(c)
		if err != nil || !strings.HasPrefix(string(resp), "HTTP/1.1 400 Bad Request\r\n") {
			t.Fatalf("response %q, %v", resp, err)
		}
	}
}

func TestSilent(t *testing.T) {
	t.Parallel()
	addr := zktest.Silent(t)
	c := dial(t, addr)
	if _, err := io.WriteString(c, "ruok"); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if n, err := c.Read(make([]byte, 16)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read = %d bytes, %v; want a timeout", n, err)
	}
}

func TestFreePort(t *testing.T) {
	seen := map[int]bool{}
	for range 20 {
		p := zktest.FreePort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d not free: %v", p, err)
		}
		ln.Close()
	}
}

package zktest

import (
	"context"
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// While a proxy refuses, its port must stay its own: a closed listener
// frees the port, and another listener of the test binary could take it,
// or a dial to it could connect to itself (Linux picks the source port
// from the same range), so "refused" would sometimes connect. A socket
// bound to the port but not listening keeps it: the kernel answers SYNs
// with a reset (ECONNREFUSED) and gives the port to no one else. The
// proxy's sockets set SO_REUSEPORT so the reservation can be bound before
// the listener closes and the listener opened before the reservation
// closes: at no moment is the port free.

func reusePort(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		if serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); serr == nil {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, unix.SO_REUSEPORT, 1)
		}
	})
	if err != nil {
		return err
	}
	return serr
}

// listenShared listens on addr with SO_REUSEPORT.
func listenShared(addr string) (net.Listener, error) {
	lc := net.ListenConfig{Control: reusePort}
	return lc.Listen(context.Background(), "tcp4", addr)
}

// reservation is a socket bound to a port without listening.
type reservation struct{ fd int }

func reservePort(addr string) (*reservation, error) {
	tcp, err := net.ResolveTCPAddr("tcp4", addr)
	if err != nil {
		return nil, err
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("reserve %s: %w", addr, err)
	}
	// SO_REUSEPORT only: without SO_REUSEADDR no ordinary listener (Go's
	// set SO_REUSEADDR) can bind beside it, while the proxy's own sockets,
	// which set both, can.
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("reserve %s: %w", addr, err)
	}
	sa := &syscall.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("reserve %s: %w", addr, err)
	}
	return &reservation{fd: fd}, nil
}

func (r *reservation) release() { syscall.Close(r.fd) }

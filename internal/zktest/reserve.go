package zktest

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// While a proxy refuses, its port must stay its own: with the listener
// closed, another listener of the test binary could be given the port, or
// a dial to it could connect to itself (Linux picks the source port from
// the same range), and "refused" would connect. A socket bound to the port
// but not listening keeps it: the kernel answers SYNs with a reset
// (ECONNREFUSED), picks it for no automatic bind and no outgoing
// connection. It is bound right after the listener closes and released
// right before the next one opens, so the port is free for microseconds,
// not for the whole outage. SO_REUSEADDR lets it share the port with the
// connections the proxy already accepted (Go sets it on listeners).
//
// Binding it also proves the listener is really gone: a process forked
// by the test binary (ZooKeeper's JVMs, rafka) holds a copy of every
// descriptor until its exec, and a listener closed in that window goes on
// accepting. So reservePort retries while the port is still listening.

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
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("reserve %s: %w", addr, err)
	}
	sa := &syscall.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Bind(fd, sa)
		if err == nil {
			return &reservation{fd: fd}, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			syscall.Close(fd)
			return nil, fmt.Errorf("reserve %s: %w", addr, err)
		}
		time.Sleep(time.Millisecond)
	}
}

func (r *reservation) release() { syscall.Close(r.fd) }

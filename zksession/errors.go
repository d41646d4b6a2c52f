package zksession

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

var (
	// ErrUnreachable means no ZooKeeper session could be had in time.
	ErrUnreachable = errors.New("ZooKeeper unreachable")
	// ErrTimeout means an operation did not finish within its deadline.
	ErrTimeout = errors.New("ZooKeeper operation timed out")
	// ErrClosed means the session was closed by rafka.
	ErrClosed = errors.New("session closed")
)

// PathError records a failed operation on a znode.
type PathError struct {
	Op     string
	Path   string // relative to Chroot
	Chroot string
	Err    error
}

// Error names the full server path, which is what an operator can look up.
func (e *PathError) Error() string {
	full := e.Chroot + e.Path
	if e.Path == "/" && e.Chroot != "" {
		full = e.Chroot
	}
	return e.Op + " " + full + ": " + e.Err.Error()
}
func (e *PathError) Unwrap() error { return e.Err }

// UnreachableError says which servers were tried and what each did.
type UnreachableError struct {
	Waited  time.Duration
	Servers []string
	Causes  map[string]string // server -> what happened there
	// AuthFailed is set when every server refused rafka's identity (a
	// client certificate, SASL): the error is then also zk.ErrAuthFailed.
	AuthFailed bool
	// Refused is set when Open gave up early because every server
	// refused the connection (Config.Wait not set).
	Refused bool
}

func (e *UnreachableError) Error() string {
	var b strings.Builder
	if e.Refused {
		fmt.Fprintf(&b, "every server refused the connection, so rafka gave up after %s (--wait keeps trying until --timeout):", e.Waited.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "no ZooKeeper session within %s:", e.Waited.Round(time.Millisecond))
	}
	servers := append([]string(nil), e.Servers...)
	sort.Strings(servers)
	for i, s := range servers {
		if i > 0 {
			b.WriteByte(',')
		}
		cause := e.Causes[s]
		if cause == "" {
			cause = "not tried in time"
		}
		fmt.Fprintf(&b, " %s (%s)", s, cause)
	}
	return b.String()
}

func (e *UnreachableError) Unwrap() []error {
	if e.AuthFailed {
		return []error{ErrUnreachable, zk.ErrAuthFailed}
	}
	return []error{ErrUnreachable}
}

package zksession

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

// retryable errors mean the request may not have reached the server, or its
// answer was lost with the connection; the session may well survive.
func retryable(err error) bool {
	return errors.Is(err, zk.ErrConnectionClosed) || errors.Is(err, zk.ErrNoServer) ||
		errors.Is(err, zk.ErrSessionExpired) || errors.Is(err, zk.ErrSessionMoved)
}

// do runs op with the session's deadline, retrying across connection loss
// until the deadline. op runs on the caller's goroutine; the session's
// watchdog makes it return if it outlives the deadline or ctx.
func (s *Session) do(ctx context.Context, name, path string, op func() error) error {
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var last error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			waitCtx, cancel := context.WithDeadline(ctx, deadline)
			err := s.waitSession(waitCtx)
			cancel()
			if err != nil {
				return s.opError(ctx, name, path, last)
			}
		}
		watched := s.watchdog.add(ctx, deadline)
		err := op()
		late := s.watchdog.finish(watched)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
			return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: ctx.Err()}
		case errors.Is(err, zk.ErrClosing) || errors.Is(err, zk.ErrConnectionClosed) && s.isClosed():
			return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: ErrClosed}
		case !retryable(err):
			return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: err}
		case late || !time.Now().Before(deadline):
			return s.opError(ctx, name, path, err)
		}
		last = err
		s.log.Debug("retrying after connection loss", "op", name, "path", path, "error", err)
	}
}

func (s *Session) opError(ctx context.Context, name, path string, last error) error {
	if err := ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: err}
	}
	if refusal := s.dialer.sasl.current(); refusal != nil { // sasl.go
		return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: refusal}
	}
	msg := fmt.Sprintf("no answer within %s", s.timeout)
	if last != nil {
		msg += " (last error: " + last.Error() + ")"
	}
	if causes := s.dialer.Causes(); len(causes) > 0 {
		for server, cause := range causes {
			if cause != "" {
				msg += "; " + server + ": " + cause
			}
		}
	}
	return &PathError{Op: name, Path: path, Chroot: s.chroot, Err: fmt.Errorf("%w: %s", ErrTimeout, msg)}
}

func (s *core) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// abs turns a chroot-relative path into the server's path.
func (s *Session) abs(p string) string {
	if s.chroot == "" {
		return p
	}
	if p == "/" {
		return s.chroot
	}
	return s.chroot + p
}

// strip turns a server path back into a chroot-relative one.
func (s *Session) strip(p string) string {
	if s.chroot == "" || p == "" {
		return p
	}
	if p == s.chroot {
		return "/"
	}
	if rest, ok := strings.CutPrefix(p, s.chroot); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return p
}

// Get reads a znode's data and stat.
func (s *Session) Get(ctx context.Context, path string) (data []byte, stat *zk.Stat, err error) {
	err = s.do(ctx, "get", path, func() (e error) {
		data, stat, e = s.conn.Get(s.abs(path))
		return e
	})
	return data, stat, err
}

// GetW reads a znode and arms a data watch in the same request.
func (s *Session) GetW(ctx context.Context, path string) (data []byte, stat *zk.Stat, ch <-chan zk.Event, err error) {
	err = s.do(ctx, "get", path, func() (e error) {
		data, stat, ch, e = s.conn.GetW(s.abs(path))
		return e
	})
	return data, stat, s.stripEvents(ch), err
}

// Children lists a znode's children (unordered, as the server sends them).
func (s *Session) Children(ctx context.Context, path string) (children []string, stat *zk.Stat, err error) {
	err = s.do(ctx, "list", path, func() (e error) {
		children, stat, e = s.conn.Children(s.abs(path))
		return e
	})
	return children, stat, err
}

// ChildrenW lists children and arms a child watch in the same request.
func (s *Session) ChildrenW(ctx context.Context, path string) (children []string, stat *zk.Stat, ch <-chan zk.Event, err error) {
	err = s.do(ctx, "list", path, func() (e error) {
		children, stat, ch, e = s.conn.ChildrenW(s.abs(path))
		return e
	})
	return children, stat, s.stripEvents(ch), err
}

// Exists says whether a znode exists; stat is nil when it does not.
func (s *Session) Exists(ctx context.Context, path string) (ok bool, stat *zk.Stat, err error) {
	err = s.do(ctx, "exists", path, func() (e error) {
		ok, stat, e = s.conn.Exists(s.abs(path))
		return e
	})
	if !ok {
		stat = nil
	}
	return ok, stat, err
}

// ExistsW is Exists that arms a watch: a data watch when the node exists,
// a creation watch when it does not.
func (s *Session) ExistsW(ctx context.Context, path string) (ok bool, stat *zk.Stat, ch <-chan zk.Event, err error) {
	err = s.do(ctx, "exists", path, func() (e error) {
		ok, stat, ch, e = s.conn.ExistsW(s.abs(path))
		return e
	})
	if !ok {
		stat = nil
	}
	return ok, stat, s.stripEvents(ch), err
}

// GetACL reads a znode's ACL.
func (s *Session) GetACL(ctx context.Context, path string) (acl []zk.ACL, stat *zk.Stat, err error) {
	err = s.do(ctx, "get-acl", path, func() (e error) {
		acl, stat, e = s.conn.GetACL(s.abs(path))
		return e
	})
	return acl, stat, err
}

// Create makes a znode. A retried create that finds the node may mean the
// first attempt landed: callers treat ErrNodeExists as they see fit.
func (s *Session) Create(ctx context.Context, path string, data []byte, flags int32, acl []zk.ACL) (created string, err error) {
	err = s.do(ctx, "create", path, func() (e error) {
		created, e = s.conn.Create(s.abs(path), data, flags, acl)
		return e
	})
	return s.strip(created), err
}

// Set writes a znode's data if its version matches (-1 for any).
func (s *Session) Set(ctx context.Context, path string, data []byte, version int32) (stat *zk.Stat, err error) {
	err = s.do(ctx, "set", path, func() (e error) {
		stat, e = s.conn.Set(s.abs(path), data, version)
		return e
	})
	return stat, err
}

// SetACL replaces a znode's ACL if its ACL version (aversion) matches (-1 for any).
func (s *Session) SetACL(ctx context.Context, path string, acl []zk.ACL, version int32) (stat *zk.Stat, err error) {
	err = s.do(ctx, "set-acl", path, func() (e error) {
		stat, e = s.conn.SetACL(s.abs(path), acl, version)
		return e
	})
	return stat, err
}

// Multi runs a transaction; paths in the requests are chroot-relative.
func (s *Session) Multi(ctx context.Context, ops ...any) (res []zk.MultiResponse, err error) {
	abs := make([]any, len(ops))
	for i, op := range ops {
		switch o := op.(type) {
		case *zk.CreateRequest:
			c := *o
			c.Path = s.abs(c.Path)
			abs[i] = &c
		case *zk.SetDataRequest:
			c := *o
			c.Path = s.abs(c.Path)
			abs[i] = &c
		case *zk.CheckVersionRequest:
			c := *o
			c.Path = s.abs(c.Path)
			abs[i] = &c
		case *zk.DeleteRequest:
			c := *o
			c.Path = s.abs(c.Path)
			abs[i] = &c
		default:
			return nil, fmt.Errorf("multi: unsupported operation %T", op)
		}
	}
	err = s.do(ctx, "multi", "/", func() (e error) {
		res, e = s.conn.Multi(abs...)
		return e
	})
	for i := range res {
		res[i].String = s.strip(res[i].String)
	}
	return res, err
}

// stripEvents makes watch events' paths chroot-relative.
func (s *Session) stripEvents(in <-chan zk.Event) <-chan zk.Event {
	if in == nil || s.chroot == "" {
		return in
	}
	out := make(chan zk.Event, 1)
	go func() {
		defer close(out)
		for ev := range in {
			ev.Path = s.strip(ev.Path)
			out <- ev
		}
	}()
	return out
}

// GetAndWatch is GetW for callers that take watch events from OnEvent (the
// pipeline): the watch is armed, but no channel or goroutine is kept per
// watch, so a hundred thousand watches cost only go-zookeeper's map entries.
func (s *Session) GetAndWatch(ctx context.Context, path string) (data []byte, stat *zk.Stat, err error) {
	err = s.do(ctx, "get", path, func() (e error) {
		data, stat, _, e = s.conn.GetW(s.abs(path))
		return e
	})
	return data, stat, err
}

// ChildrenAndWatch is ChildrenW without a channel; see GetAndWatch.
func (s *Session) ChildrenAndWatch(ctx context.Context, path string) (children []string, stat *zk.Stat, err error) {
	err = s.do(ctx, "list", path, func() (e error) {
		children, stat, _, e = s.conn.ChildrenW(s.abs(path))
		return e
	})
	return children, stat, err
}

// ExistsAndWatch is ExistsW without a channel; see GetAndWatch.
func (s *Session) ExistsAndWatch(ctx context.Context, path string) (ok bool, stat *zk.Stat, err error) {
	err = s.do(ctx, "exists", path, func() (e error) {
		ok, stat, _, e = s.conn.ExistsW(s.abs(path))
		return e
	})
	if !ok {
		stat = nil
	}
	return ok, stat, err
}

// CreatePath makes path and its missing ancestors with null data, like
// mkdir -p; each node it creates gets acl(thatPath). Existing nodes are
// checked first and left alone: creating a node that exists under a parent
// rafka may not write to fails with NoAuth, not NodeExists. A node made
// meanwhile by someone else counts as existing. It returns what it created.
func (s *Session) CreatePath(ctx context.Context, path string, acl func(string) []zk.ACL) (created []string, err error) {
	var nodes []string
	for i := 1; i <= len(path); i++ {
		if i == len(path) || path[i] == '/' {
			nodes = append(nodes, path[:i])
		}
	}
	for _, p := range nodes {
		ok, _, err := s.Exists(ctx, p)
		if err != nil {
			return created, err
		}
		if ok {
			continue
		}
		switch _, err := s.Create(ctx, p, nil, zk.FlagPersistent, acl(p)); {
		case err == nil:
			created = append(created, p)
		case !errors.Is(err, zk.ErrNodeExists):
			return created, err
		}
	}
	return created, nil
}

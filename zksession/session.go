// Package zksession wraps go-zookeeper with what a command-line tool needs:
// chroot paths, a deadline on every operation, retries across connection
// loss, session state followed through the event callback, and errors that
// say which servers were tried and what each did.
package zksession

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/sasl"
)

// DefaultSessionTimeout is Kafka's zookeeper.session.timeout.ms default.
const DefaultSessionTimeout = 18 * time.Second

// DefaultTimeout bounds connecting and each operation when nothing is set.
const DefaultTimeout = 10 * time.Second

// Auth is one credential sent with AddAuth, e.g. {"digest", "user:pw"}.
type Auth struct {
	Scheme     string
	Credential []byte
}

// Config says where and how to connect.
type Config struct {
	Target         Target
	SessionTimeout time.Duration // asked of the server; it clamps to its own range
	Timeout        time.Duration // to get a session, and for each operation
	TLS            *tls.Config   // nil for plaintext
	Auth           []Auth
	SASL           sasl.Client // nil: no SASL (see sasl.go)
	// PersistentWatches are paths (relative to the chroot) that get a
	// persistent recursive watch on every connection (persistent.go).
	PersistentWatches []string
	Logger            *slog.Logger
	// Wait keeps trying servers that refuse connections until Timeout;
	// otherwise Open fails as soon as every server has refused twice.
	Wait bool
}

// Session is a ZooKeeper session rooted at the target's chroot. It is safe
// for concurrent use; requests from many goroutines are pipelined.
type Session struct {
	*core
	chroot string
}

// core is the connection that views of one session share.
type core struct {
	conn     *zk.Conn
	dialer   *dialer
	watchdog *watchdog
	timeout  time.Duration
	servers  []string
	log      *slog.Logger
	authed   bool

	mu        sync.Mutex
	state     zk.State
	sessionID int64
	changed   chan struct{} // closed and replaced on every state change
	listeners []func(zk.Event)
	closed    bool
}

// Open connects and returns once the session exists (StateHasSession), or
// fails with an *UnreachableError (errors.Is ErrUnreachable) when none is had
// within cfg.Timeout or before ctx ends.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	if len(cfg.Target.Servers) == 0 {
		return nil, fmt.Errorf("%w: no servers", ErrBadConnectString)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = DefaultSessionTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Session{chroot: cfg.Target.Chroot, core: &core{
		timeout: cfg.Timeout,
		servers: cfg.Target.Servers,
		log:     cfg.Logger,
		changed: make(chan struct{}),
		state:   zk.StateDisconnected,
		authed:  len(cfg.Auth) > 0 || cfg.SASL != nil || (cfg.TLS != nil && len(cfg.TLS.Certificates) > 0),
	}}
	// A silent server must not hold the whole deadline: each one gets its
	// share, as the Java client's per-server connect timeout does.
	share := cfg.Timeout / time.Duration(len(cfg.Target.Servers))
	s.dialer = newDialer(cfg.TLS, min(max(share, time.Second), cfg.Timeout))
	if !cfg.Wait {
		s.dialer.refused = newRefusals(cfg.Target.Servers)
	}
	s.dialer.sasl = newSASLAuth(cfg.SASL, cfg.Logger)
	if len(cfg.PersistentWatches) > 0 {
		s.dialer.persist = &persistentWatches{}
		for _, p := range cfg.PersistentWatches {
			s.dialer.persist.paths = append(s.dialer.persist.paths, s.abs(p))
		}
	}

	options := []func(*zk.Conn){
		// Options run inside zk.Connect before its event loop starts, so
		// the callback below never sees a nil conn.
		func(c *zk.Conn) { s.conn = c },
		zk.WithDialer(s.dialer.dial),
		zk.WithHostProvider(&hostList{}),
		zk.WithLogger(zkLogger{cfg.Logger}),
		zk.WithLogInfo(false),
		zk.WithEventCallback(s.onEvent),
	}
	conn, _, err := zk.Connect(cfg.Target.Servers, cfg.SessionTimeout, func(c *zk.Conn) {
		for _, o := range options {
			o(c)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadConnectString, err)
	}
	s.watchdog = newWatchdog(s.dialer.cutAll)

	start := time.Now()
	waitCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if r := s.dialer.refused; r != nil {
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			select {
			case <-r.allChan():
				cancel()
			case <-stop:
			}
		}()
	}
	waitCtx, cancelSASL := s.dialer.sasl.cancelOnRefusal(waitCtx)
	defer cancelSASL()
	if err := s.waitSession(waitCtx); err != nil {
		waited, causes := time.Since(start), s.dialer.Causes()
		s.Close()
		if refusal := s.dialer.sasl.err(); refusal != nil {
			return nil, refusal
		}
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		refusedAll := false
		select {
		case <-s.dialer.refused.allChan():
			refusedAll = true
		default:
		}
		return nil, &UnreachableError{Waited: waited, Servers: cfg.Target.Servers, Causes: causes,
			AuthFailed: s.dialer.AuthFailed(), Refused: refusedAll}
	}
	for _, a := range cfg.Auth {
		if err := s.do(ctx, "auth", "/", func() error { return conn.AddAuth(a.Scheme, a.Credential) }); err != nil {
			s.Close()
			return nil, fmt.Errorf("authenticating with scheme %q: %w", a.Scheme, err)
		}
	}
	s.log.Debug("session established", "session_id", fmt.Sprintf("0x%x", conn.SessionID()), "server", conn.Server())
	return s, nil
}

// Authenticated says whether the session carries an identity other than
// world:anyone (digest credentials or a TLS client certificate).
func (s *Session) Authenticated() bool { return s.authed }

// Root is a view of the same session without the chroot, for work on the
// chroot itself and its ancestors.
func (s *Session) Root() *Session { return &Session{core: s.core} }

// Chroot is the chroot every path is relative to ("" for none).
func (s *Session) Chroot() string { return s.chroot }

// Servers lists the servers of the connect string.
func (s *Session) Servers() []string { return s.servers }

// Server is the server the session is connected to now ("" if none).
func (s *core) Server() string {
	if s.conn.State() != zk.StateHasSession {
		return ""
	}
	return s.conn.Server()
}

// Timeout is the per-operation deadline.
func (s *Session) Timeout() time.Duration { return s.timeout }

// SessionID is the current session's id (it changes after an expiry).
func (s *core) SessionID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionID
}

// OnEvent registers f to be called for every session and watch event, on
// go-zookeeper's receive goroutine: f must not block or call ZooKeeper.
// Watch events' paths are relative to this view's chroot.
func (s *Session) OnEvent(f func(zk.Event)) {
	s.core.onEventRaw(func(ev zk.Event) {
		ev.Path = s.strip(ev.Path)
		f(ev)
	})
}

func (s *core) onEventRaw(f func(zk.Event)) {
	s.mu.Lock()
	s.listeners = append(s.listeners, f)
	s.mu.Unlock()
}

// Close ends the session. It returns promptly even when servers are silent.
func (s *core) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	defer s.watchdog.close()
	if s.conn.State() != zk.StateHasSession {
		// There is no session to end politely, and go-zookeeper's Close
		// would wait a second for an answer that cannot come: cut the
		// sockets and let it finish on its own.
		s.dialer.closeAll()
		go s.conn.Close()
		return
	}
	s.conn.Close()
	s.dialer.closeAll()
}

// onEvent follows the session state. Listeners see server paths.
func (s *core) onEvent(ev zk.Event) {
	s.mu.Lock()
	if ev.Type == zk.EventSession {
		s.state = ev.State
		if ev.State == zk.StateHasSession {
			s.sessionID = s.conn.SessionID()
		}
		close(s.changed)
		s.changed = make(chan struct{})
	}
	listeners := s.listeners
	s.mu.Unlock()
	if ev.Type == zk.EventSession {
		s.log.Debug("zookeeper session state", "state", ev.State.String(), "server", ev.Server)
	}
	for _, f := range listeners {
		f(ev)
	}
}

// waitSession blocks until the session is usable or ctx ends.
func (s *core) waitSession(ctx context.Context) error {
	for {
		s.mu.Lock()
		state, changed, closed := s.state, s.changed, s.closed
		s.mu.Unlock()
		if closed {
			return ErrClosed
		}
		if state == zk.StateHasSession {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// hostList is a HostProvider that resolves nothing up front: each dial
// resolves its host, so one bad name fails only that server.
type hostList struct {
	servers    []string
	curr, last int
}

func (h *hostList) Init(servers []string) error {
	h.servers, h.curr, h.last = servers, -1, -1
	return nil
}
func (h *hostList) Len() int { return len(h.servers) }
func (h *hostList) Next() (string, bool) {
	h.curr = (h.curr + 1) % len(h.servers)
	retryStart := h.curr == h.last
	if h.last == -1 {
		h.last = 0
	}
	return h.servers[h.curr], retryStart
}
func (h *hostList) Connected() { h.last = h.curr }

// zkLogger sends go-zookeeper's log lines to rafka's logger at debug level.
type zkLogger struct{ l *slog.Logger }

func (z zkLogger) Printf(format string, args ...any) {
	z.l.Debug(fmt.Sprintf(format, args...), "component", "go-zookeeper")
}

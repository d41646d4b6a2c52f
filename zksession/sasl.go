package zksession

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/sasl"
)

// SASL runs under go-zookeeper, in the connection the dialer hands it:
// go-zookeeper writes its ConnectRequest and then only reads, waiting for
// the ConnectResponse, until that read returns. saslConn holds that
// response back, runs the SASL exchange (opcode 102) on the bare
// connection, and only then lets go-zookeeper see the response. So SASL
// comes before any other request on every connection — the first one,
// every reconnect within a session, and the first one of a new session
// after an expiry — which is what a server that requires SASL insists on.

const (
	opSASL = 102
	// saslTimeout bounds one exchange (the KDC is asked before it starts).
	saslTimeout = 10 * time.Second
	// maxSASLReply bounds a server token frame; real ones are < 1 KB.
	maxSASLReply = 64 << 10
	// ZooKeeper's codes for a refused exchange.
	errCodeAuthFailed    = -115
	errCodeSASLRequired  = -124
	connectResponseBytes = 36
)

// SASLError is a refused SASL exchange; errors.Is finds zk.ErrAuthFailed
// and sasl.ErrAuth.
type SASLError struct {
	Server string
	Err    error // a *sasl.Error
}

func (e *SASLError) Error() string   { return e.Server + ": " + e.Err.Error() }
func (e *SASLError) Unwrap() []error { return []error{e.Err, zk.ErrAuthFailed} }

// saslAuth is the SASL state a dialer shares among its connections.
type saslAuth struct {
	client sasl.Client
	log    *slog.Logger

	mu     sync.Mutex
	failed error         // the first refusal, kept for Open's error
	fail   chan struct{} // closed at the first refusal
	done   bool          // some connection authenticated
	latest error         // the last connection's refusal; nil once one authenticates
}

func newSASLAuth(c sasl.Client, log *slog.Logger) *saslAuth {
	if c == nil {
		return nil
	}
	return &saslAuth{client: c, log: log, fail: make(chan struct{})}
}

func (a *saslAuth) refused(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.latest = err
	if a.failed == nil {
		a.failed = err
		close(a.fail)
	}
}

func (a *saslAuth) succeeded() {
	a.mu.Lock()
	a.done, a.latest = true, nil
	a.mu.Unlock()
}

// current is the refusal the session is stuck on now (the last connection
// was refused and none has authenticated since), or nil: an operation that
// times out meanwhile reports it instead of a timeout.
func (a *saslAuth) current() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.latest
}

// err is the first refusal, or nil.
func (a *saslAuth) err() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.failed
}

// cancelOnRefusal ends ctx at the first refusal: wrong credentials will
// not get better by waiting for the whole connect timeout.
func (a *saslAuth) cancelOnRefusal(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	if a == nil {
		return ctx, cancel
	}
	go func() {
		select {
		case <-a.fail:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// withSASL wraps a dialed connection when SASL or persistent watches
// (persistent.go) are configured: both run before go-zookeeper's first read.
func (d *dialer) withSASL(c net.Conn, server string) net.Conn {
	if d.sasl == nil && (d.persist == nil || len(d.persist.paths) == 0) {
		return c
	}
	return &saslConn{Conn: c, auth: d.sasl, d: d, server: server}
}

type saslConn struct {
	net.Conn
	auth   *saslAuth
	d      *dialer
	server string

	mu       sync.Mutex
	started  bool
	pending  []byte // the held-back ConnectResponse
	err      error
	deadline time.Time // what go-zookeeper last asked for
	// From go-zookeeper's ConnectRequest (its first write): the session it
	// resumes and the last zxid it saw (persistent.go's quiet reconnects).
	wroteConnect  bool
	lastZxidSeen  int64
	resumeSession int64
}

// Write notes what go-zookeeper's ConnectRequest says (protocolVersion,
// lastZxidSeen, timeOut, sessionId, …), then passes every write on.
func (c *saslConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if !c.wroteConnect {
		c.wroteConnect = true
		if len(p) >= 4+4+8+4+8 {
			c.lastZxidSeen = int64(binary.BigEndian.Uint64(p[8:16]))
			c.resumeSession = int64(binary.BigEndian.Uint64(p[20:28]))
		}
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *saslConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *saslConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *saslConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if !c.started {
		c.started = true
		c.mu.Unlock()
		resp, err := c.handshake()
		c.mu.Lock()
		c.pending, c.err = resp, err
	}
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		c.mu.Unlock()
		return n, nil
	}
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

// handshake reads the ConnectResponse, authenticates, and gives the
// response back for go-zookeeper.
func (c *saslConn) handshake() ([]byte, error) {
	frame, err := readFrame(c.Conn, maxHandshakeReply)
	if err != nil {
		return nil, err
	}
	if len(frame) >= 4+connectResponseBytes && binary.BigEndian.Uint64(frame[12:20]) == 0 {
		// Session expired: go-zookeeper reports it and starts a new
		// session on a new connection, which authenticates then.
		return frame, nil
	}
	c.mu.Lock()
	restore := c.deadline
	c.mu.Unlock()
	c.Conn.SetReadDeadline(time.Now().Add(saslTimeout))
	defer c.Conn.SetReadDeadline(restore)
	var xid int32
	if c.auth != nil {
		xid, err = c.exchange()
	}
	if err != nil {
		var se *sasl.Error
		if errors.As(err, &se) {
			refusal := &SASLError{Server: c.server, Err: se}
			c.auth.refused(refusal)
			c.d.note(c.server, se.Error())
			c.auth.log.Debug("SASL authentication failed", "server", c.server, "error", se.Error())
			return nil, refusal
		}
		c.d.note(c.server, "SASL exchange broke off: "+err.Error())
		return nil, err
	}
	if c.auth != nil {
		c.auth.succeeded()
	}
	events, serverZxid, err := c.d.persist.add(c.Conn, xid)
	if err != nil {
		// An old server closes the connection after refusing addWatch;
		// go-zookeeper dials again and the next connection goes without.
		c.d.note(c.server, err.Error())
		return nil, err
	}
	if c.d.persist != nil {
		c.mu.Lock()
		resumed := c.resumeSession != 0 && c.resumeSession == int64(binary.BigEndian.Uint64(frame[12:20]))
		quiet := resumed && c.lastZxidSeen > 0 && serverZxid == c.lastZxidSeen
		from := int64(0)
		if resumed {
			from = c.lastZxidSeen
		}
		c.mu.Unlock()
		c.d.persist.setResumed(quiet, from)
	}
	return append(frame, events...), nil
}

// exchange runs one SASL conversation. Errors that are a refusal are
// *sasl.Error; others are I/O trouble worth a retry.
func (c *saslConn) exchange() (xid int32, err error) {
	mech, err := c.auth.client.Mechanism(c.server)
	if err != nil {
		return 0, err
	}
	tok, err := mech.Start()
	if err != nil {
		return 0, err
	}
	last := false
	for {
		xid++
		if err := writeSASL(c.Conn, xid, tok); err != nil {
			return xid, err
		}
		code, reply, err := readSASLReply(c.Conn)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xid, &sasl.Error{Mechanism: mech.Name(), Identity: mech.Identity(),
					Reason: "the server closed the connection during SASL (it refused the credentials)"}
			}
			return xid, err
		}
		switch code {
		case 0:
		case errCodeAuthFailed, errCodeSASLRequired:
			return xid, &sasl.Error{Mechanism: mech.Name(), Identity: mech.Identity(), Reason: refusalReason(mech.Name())}
		default:
			return xid, &sasl.Error{Mechanism: mech.Name(), Identity: mech.Identity(), Reason: fmt.Sprintf("the server answered SASL with error %d", code)}
		}
		if last {
			c.auth.log.Debug("SASL authenticated", "server", c.server, "mechanism", mech.Name(), "identity", mech.Identity())
			return xid, nil
		}
		if reply == nil {
			return xid, &sasl.Error{Mechanism: mech.Name(), Identity: mech.Identity(),
				Reason: "the server sent no SASL token: it has no SASL configured (no JAAS Server section)"}
		}
		tok, last, err = mech.Next(reply)
		if err != nil {
			return xid, err
		}
		if last && tok == nil {
			c.auth.log.Debug("SASL authenticated", "server", c.server, "mechanism", mech.Name(), "identity", mech.Identity())
			return xid, nil
		}
	}
}

func refusalReason(mech string) string {
	if mech == "DIGEST-MD5" {
		return "the server refused the credentials: unknown user or wrong password"
	}
	return "the server refused the Kerberos ticket (a wrong service key, clock skew on the server, or an unknown principal)"
}

func writeSASL(w io.Writer, xid int32, tok []byte) error {
	buf := make([]byte, 16+len(tok))
	binary.BigEndian.PutUint32(buf[0:], uint32(12+len(tok)))
	binary.BigEndian.PutUint32(buf[4:], uint32(xid))
	binary.BigEndian.PutUint32(buf[8:], opSASL)
	binary.BigEndian.PutUint32(buf[12:], uint32(len(tok)))
	copy(buf[16:], tok)
	_, err := w.Write(buf)
	return err
}

// readSASLReply reads ReplyHeader{xid, zxid, err} [+ buffer token]; a
// null token (length -1) is nil.
func readSASLReply(r io.Reader) (int32, []byte, error) {
	frame, err := readFrame(r, maxSASLReply)
	if err != nil {
		return 0, nil, err
	}
	body := frame[4:]
	if len(body) < 16 {
		return 0, nil, fmt.Errorf("short SASL reply (%d bytes)", len(body))
	}
	code := int32(binary.BigEndian.Uint32(body[12:16]))
	rest := body[16:]
	if code != 0 || len(rest) < 4 {
		return code, nil, nil
	}
	n := int32(binary.BigEndian.Uint32(rest[:4]))
	if n < 0 {
		return code, nil, nil
	}
	if int(n) > len(rest)-4 {
		return 0, nil, fmt.Errorf("SASL token of %d bytes in a %d-byte reply", n, len(rest))
	}
	return code, rest[4 : 4+n], nil
}

// readFrame reads one length-prefixed packet, prefix included.
func readFrame(r io.Reader, limit int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > uint32(limit) {
		return nil, fmt.Errorf("a %d-byte packet where a SASL step was expected", n)
	}
	frame := make([]byte, 4+n)
	copy(frame, hdr[:])
	if _, err := io.ReadFull(r, frame[4:]); err != nil {
		return nil, err
	}
	return frame, nil
}

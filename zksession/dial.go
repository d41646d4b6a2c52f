package zksession

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxHandshakeReply bounds the first packet a real ZooKeeper sends (a
// connect response is about 40 bytes). Anything bigger is another protocol,
// and go-zookeeper would otherwise allocate whatever length it read.
const maxHandshakeReply = 4096

// dialer dials servers for go-zookeeper, records what went wrong with each,
// and keeps every open connection so Close can cut them at once.
type dialer struct {
	tls              *tls.Config
	handshakeTimeout time.Duration
	refused          *refusals          // nil: never give up early (Config.Wait)
	sasl             *saslAuth          // nil without SASL (sasl.go)
	persist          *persistentWatches // nil without persistent watches (persistent.go)

	mu     sync.Mutex
	causes map[string]string
	auth   map[string]bool // servers whose last failure refused rafka's identity
	open   map[*probeConn]struct{}
	closed bool
}

func newDialer(tlsCfg *tls.Config, handshakeTimeout time.Duration) *dialer {
	return &dialer{
		tls:              tlsCfg,
		handshakeTimeout: handshakeTimeout,
		causes:           map[string]string{},
		auth:             map[string]bool{},
		open:             map[*probeConn]struct{}{},
	}
}

func (d *dialer) note(server, cause string) {
	d.mu.Lock()
	d.causes[server] = cause
	d.auth[server] = false
	d.mu.Unlock()
}

// noteAuth records a failure that refused rafka's identity (a client
// certificate the server rejected, SASL): an authentication failure, not
// an unreachable server.
func (d *dialer) noteAuth(server, cause string) {
	d.mu.Lock()
	d.causes[server] = cause
	d.auth[server] = true
	d.mu.Unlock()
}

// AuthFailed says whether every server's last failure refused rafka's
// identity.
func (d *dialer) AuthFailed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.causes) == 0 {
		return false
	}
	for server := range d.causes {
		if !d.auth[server] {
			return false
		}
	}
	return true
}

// silentAfter is how long a connection waits for its first reply before
// Causes calls the server silent even if an earlier attempt found
// something more telling.
const silentAfter = time.Second

// Causes reports what happened at each server; a server still waiting for
// its first reply is reported as silent. A fresh attempt does not hide what
// an earlier one found (go-zookeeper retries every second, so the deadline
// often falls just as it has connected again to a server that answered
// HTTP the time before).
func (d *dialer) Causes() map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]string, len(d.causes))
	for k, v := range d.causes {
		out[k] = v
	}
	for c := range d.open {
		if !c.answeredAny() && (out[c.server] == "" || time.Since(c.opened) >= silentAfter) {
			out[c.server] = "accepted TCP but never answered"
		}
	}
	return out
}

// dial matches go-zookeeper's Dialer. go-zookeeper always passes 1 s.
func (d *dialer) dial(network, server string, timeout time.Duration) (net.Conn, error) {
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), max(timeout, d.handshakeTimeout))
	defer cancel()
	raw, err := (&net.Dialer{}).DialContext(ctx, network, server)
	d.refused.dialed(server, err)
	if err != nil {
		d.note(server, describeDialError(err))
		return nil, err
	}
	pc := &probeConn{Conn: raw, raw: raw, server: server, d: d, handshakeTimeout: d.handshakeTimeout, opened: time.Now()}
	if !d.track(pc) {
		raw.Close()
		return nil, ErrClosed
	}
	if d.tls == nil {
		pc.useBatching(raw)
		return d.withSASL(pc, server), nil
	}
	cfg := d.tls.Clone()
	if cfg.ServerName == "" {
		host, _, _ := net.SplitHostPort(server)
		cfg.ServerName = host
	}
	tc := tls.Client(raw, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		if cause, auth := describeTLSError(err); auth {
			d.noteAuth(server, cause)
		} else {
			d.note(server, cause)
		}
		pc.Close()
		return nil, err
	}
	// The probe reads ZooKeeper's reply, so it sits above TLS.
	pc.useBatching(tc)
	return d.withSASL(pc, server), nil
}

func (d *dialer) track(c *probeConn) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.open[c] = struct{}{}
	return true
}

func (d *dialer) untrack(c *probeConn) {
	d.mu.Lock()
	delete(d.open, c)
	d.mu.Unlock()
}

// closeAll cuts every connection, which unblocks go-zookeeper at once, and
// refuses new ones.
func (d *dialer) closeAll() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cutAll()
}

// cutAll closes the current connections but lets go-zookeeper dial again.
func (d *dialer) cutAll() {
	d.mu.Lock()
	conns := make([]*probeConn, 0, len(d.open))
	for c := range d.open {
		conns = append(conns, c)
	}
	d.mu.Unlock()
	for _, c := range conns {
		c.cut()
	}
}

// probeConn watches the first bytes a server sends: a server that speaks
// another protocol is named, and a silent one is cut after handshakeTimeout
// so the next server in the list gets its turn.
type probeConn struct {
	net.Conn                    // what go-zookeeper reads: batch
	raw              net.Conn   // the TCP connection
	batch            *batchConn // over raw, or over TLS over raw
	server           string
	opened           time.Time
	d                *dialer
	handshakeTimeout time.Duration

	mu      sync.Mutex
	heard   bool // some reply bytes came
	first   bool // first reply header seen
	pending []byte
	once    sync.Once
}

// useBatching puts the write queue and read buffer over conn (raw, or TLS
// over raw) under the probe. Set before go-zookeeper gets the connection.
func (c *probeConn) useBatching(conn net.Conn) {
	c.batch = newBatchConn(conn)
	c.Conn = c.batch
}

// cut closes the TCP connection under everything (a TLS close would try
// to write) and stops the write queue.
func (c *probeConn) cut() {
	c.raw.Close()
	if c.batch != nil {
		c.batch.stop()
	}
}

// answeredAny says whether the server sent anything at all.
func (c *probeConn) answeredAny() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.heard || c.first
}

func (c *probeConn) answered() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first
}

func (c *probeConn) SetReadDeadline(t time.Time) error {
	if !c.answered() && c.handshakeTimeout > 0 {
		limit := time.Now().Add(c.handshakeTimeout)
		if t.IsZero() || t.After(limit) {
			t = limit
		}
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *probeConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if c.first {
		if len(c.pending) > 0 {
			n := copy(p, c.pending)
			c.pending = c.pending[n:]
			c.mu.Unlock()
			return n, nil
		}
		c.mu.Unlock()
		return c.Conn.Read(p)
	}
	c.mu.Unlock()

	var hdr [4]byte
	n, err := io.ReadFull(c.Conn, hdr[:])
	if err != nil {
		if cause, auth := describeTLSError(err); auth {
			// TLS 1.3: the server refuses a client certificate after
			// the handshake, on the first read.
			c.d.noteAuth(c.server, cause)
		} else {
			c.d.note(c.server, describeHandshakeError(hdr[:n], err))
		}
		return 0, err
	}
	size := binary.BigEndian.Uint32(hdr[:])
	if size > maxHandshakeReply {
		rest := make([]byte, 60)
		c.Conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		m, _ := io.ReadAtLeast(c.Conn, rest, 1)
		cause := describeForeignReply(append(hdr[:], rest[:m]...))
		c.d.note(c.server, cause)
		return 0, errors.New(cause)
	}
	// The whole connect response, checked before go-zookeeper parses it:
	// a reply it cannot parse would otherwise be retried silently.
	c.mu.Lock()
	c.heard = true
	c.mu.Unlock()
	c.d.note(c.server, describeMalformedReply(hdr[:], fmt.Sprintf("it announced %d bytes and sent none yet", size)))
	body := make([]byte, size)
	if m, err := io.ReadFull(c.Conn, body); err != nil {
		cause := describeMalformedReply(append(hdr[:], body[:m]...), fmt.Sprintf("it ended after %d of the %d bytes it announced", m, size))
		c.d.note(c.server, cause)
		return 0, errors.New(cause)
	}
	if problem := checkConnectResponse(body); problem != "" {
		cause := describeMalformedReply(append(hdr[:], body...), problem)
		c.d.note(c.server, cause)
		return 0, errors.New(cause)
	}
	c.mu.Lock()
	c.first = true
	c.pending = append(append([]byte(nil), hdr[:]...), body...)
	c.mu.Unlock()
	c.d.note(c.server, "")
	return c.Read(p)
}

func (c *probeConn) Close() error {
	c.once.Do(func() { c.d.untrack(c) })
	return c.Conn.Close()
}

func describeDialError(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return "host not found: " + dnsErr.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "TCP connect timed out"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to host"
	}
	return err.Error()
}

func describeHandshakeError(got []byte, err error) string {
	switch {
	case isTimeout(err) && len(got) == 0:
		return "accepted TCP but never answered"
	case errors.Is(err, io.EOF) && len(got) == 0:
		return "closed the connection without answering (a TLS-only port, or too many connections?)"
	case errors.Is(err, net.ErrClosed):
		return "accepted TCP but never answered"
	}
	if len(got) > 0 {
		return describeForeignReply(got)
	}
	return "handshake failed: " + err.Error()
}

func describeForeignReply(b []byte) string {
	s := string(b)
	switch {
	case len(s) >= 4 && s[:4] == "HTTP":
		return "that port answered like an HTTP server"
	case len(s) >= 4 && s[:4] == "SSH-":
		return "that port answered like an SSH server"
	case len(b) >= 2 && b[0] == 0x15 && b[1] == 0x03:
		return "that port answered with a TLS alert: it expects TLS (try --tls)"
	case len(b) >= 2 && b[0] == 0x16 && b[1] == 0x03:
		return "that port answered with TLS: it expects TLS (try --tls)"
	}
	return fmt.Sprintf("that port does not speak ZooKeeper (it answered %q)", printable(b))
}

// checkConnectResponse checks a ZooKeeper connect response (after its
// length): protocol version, timeout, session id, password (length and
// bytes), and an optional read-only flag. It says what is wrong, or "".
func checkConnectResponse(b []byte) string {
	const fixed = 4 + 4 + 8 + 4
	if len(b) < fixed {
		return fmt.Sprintf("a connect response of %d bytes, shorter than ZooKeeper's %d", len(b), fixed)
	}
	if v := int32(binary.BigEndian.Uint32(b)); v != 0 {
		return fmt.Sprintf("protocol version %d, not 0", v)
	}
	pw := int32(binary.BigEndian.Uint32(b[16:]))
	if pw < 0 || int(pw) > len(b)-fixed {
		return fmt.Sprintf("a session password of %d bytes in a reply of %d", pw, len(b))
	}
	if extra := len(b) - fixed - int(pw); extra > 1 {
		return fmt.Sprintf("%d bytes after the session password", extra)
	}
	return ""
}

func describeMalformedReply(b []byte, problem string) string {
	return fmt.Sprintf("not ZooKeeper: a malformed handshake reply (%s; it began %q)", problem, printable(b))
}

// describeTLSError names a TLS failure, the certificate problem first; auth
// is true when the server refused rafka's client certificate.
func describeTLSError(err error) (cause string, auth bool) {
	var recErr tls.RecordHeaderError
	var invalid x509.CertificateInvalidError
	var unknownCA x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "TLS: the server's certificate has expired or is not yet valid (" + invalid.Detail + ")", false
	case errors.As(err, &invalid):
		return "TLS: the server's certificate is not valid: " + invalid.Error(), false
	case errors.As(err, &unknownCA):
		issuer := ""
		if unknownCA.Cert != nil {
			issuer = " (issuer " + unknownCA.Cert.Issuer.String() + ")"
		}
		return "TLS: the server's certificate is signed by an unknown CA" + issuer + "; give rafka its CA", false
	case errors.As(err, &host):
		return "TLS: the server's certificate is for another host: " + host.Error(), false
	case refusedClientCert(err):
		return "TLS: the server refused rafka's client certificate (" + err.Error() + ")", true
	case errors.As(err, &recErr):
		if len(recErr.RecordHeader) >= 4 && string(recErr.RecordHeader[:4]) == "HTTP" {
			return "that port answered like an HTTP server", false
		}
		return "TLS handshake failed: the server does not speak TLS (a plaintext port?)", false
	case isTimeout(err), errors.Is(err, context.DeadlineExceeded):
		return "accepted TCP but never completed the TLS handshake", false
	case errors.Is(err, io.EOF):
		return "closed the connection during the TLS handshake (a plaintext port?)", false
	}
	return "TLS handshake failed: " + err.Error(), false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		} else {
			out = append(out, '.')
		}
		if len(out) >= 24 {
			break
		}
	}
	return string(out)
}

// refusedClientCert says whether the server sent an alert refusing rafka's
// client certificate (or its absence): bad_certificate, unsupported,
// revoked, expired or unknown certificate, unknown_ca,
// certificate_required. crypto/tls reports a remote alert only as text.
func refusedClientCert(err error) bool {
	msg := err.Error()
	if !strings.Contains(msg, "remote error: tls: ") {
		return false
	}
	for _, a := range []string{"bad certificate", "unsupported certificate", "revoked certificate", "expired certificate",
		"unknown certificate", "unknown certificate authority", "certificate required"} {
		if strings.HasSuffix(msg, a) {
			return true
		}
	}
	return false
}

package zksession

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"
)

// ChangedSince asks the server which of the given paths changed after
// zxid, without reading them: on a short-lived session of its own it
// sends setWatches with relativeZxid = zxid, and the server answers at
// once, for every path, with an event where its state moved past zxid
// (data: mzxid; children: pzxid; existence) — a server-side diff of any
// number of paths in a few requests. The session is closed again, so its
// watches never fire later, and the caller's own session is not touched
// (a one-shot registration there would demote its persistent watches).
//
// data are paths whose data is followed, children directories whose
// children are, exist paths believed absent. Paths are relative to the
// chroot, and so are the answers.
func (s *Session) ChangedSince(ctx context.Context, zxid int64, data, exist, children []string) ([]string, error) {
	server := s.Server()
	if server == "" {
		return nil, fmt.Errorf("changed-since: %w", ErrUnreachable)
	}
	d := newDialer(s.dialer.tls, s.dialer.handshakeTimeout)
	d.sasl = s.dialer.sasl
	defer d.closeAll()
	conn, err := d.dial("tcp", server, s.timeout)
	if err != nil {
		return nil, fmt.Errorf("changed-since: dial %s: %w", server, err)
	}
	deadline := time.Now().Add(s.timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	changed, err := s.diffOn(conn, zxid, data, exist, children)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("changed-since on %s: %w", server, err)
	}
	return changed, nil
}

// setWatchesBatch bounds the path bytes of one setWatches, as the Java
// client does (128 KB), well under jute.maxbuffer.
const setWatchesBatch = 128 << 10

func (s *Session) diffOn(conn net.Conn, zxid int64, data, exist, children []string) ([]string, error) {
	// A new session: ConnectRequest{protocolVersion 0, lastZxidSeen 0,
	// timeOut, sessionId 0, passwd[16]}.
	req := make([]byte, 4+44)
	binary.BigEndian.PutUint32(req[0:], 44)
	binary.BigEndian.PutUint32(req[16:], uint32(s.timeout.Milliseconds()))
	binary.BigEndian.PutUint32(req[28:], 16)
	if _, err := conn.Write(req); err != nil {
		return nil, err
	}
	resp, err := readFrame(conn, maxHandshakeReply) // SASL runs inside, as for go-zookeeper
	if err != nil {
		return nil, err
	}
	if len(resp) < 4+connectResponseBytes || binary.BigEndian.Uint64(resp[12:20]) == 0 {
		return nil, errors.New("the server gave no session")
	}

	type batch struct{ data, exist, children []string }
	var batches []batch
	cur, size := batch{}, 0
	push := func(which int, p string) {
		if size+len(p)+4 > setWatchesBatch {
			batches = append(batches, cur)
			cur, size = batch{}, 0
		}
		size += len(p) + 4
		switch which {
		case 0:
			cur.data = append(cur.data, s.abs(p))
		case 1:
			cur.exist = append(cur.exist, s.abs(p))
		case 2:
			cur.children = append(cur.children, s.abs(p))
		}
	}
	for _, p := range data {
		push(0, p)
	}
	for _, p := range exist {
		push(1, p)
	}
	for _, p := range children {
		push(2, p)
	}
	if size > 0 {
		batches = append(batches, cur)
	}

	xid := int32(0)
	for _, b := range batches {
		xid++
		if _, err := conn.Write(setWatchesPacket(xid, zxid, b.data, b.exist, b.children)); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	var changed []string
	for answered := int32(0); answered < xid; {
		frame, err := readFrame(conn, 4<<20)
		if err != nil {
			return nil, err
		}
		if len(frame) < 20 {
			return nil, fmt.Errorf("short reply (%d bytes)", len(frame))
		}
		rx := int32(binary.BigEndian.Uint32(frame[4:8]))
		code := int32(binary.BigEndian.Uint32(frame[16:20]))
		switch {
		case rx == xidWatchEvent:
			// WatcherEvent{type int32, state int32, path ustring}
			if len(frame) < 32 {
				return nil, errors.New("short watch event")
			}
			n := int(int32(binary.BigEndian.Uint32(frame[28:32])))
			if n < 0 || 32+n > len(frame) {
				return nil, errors.New("bad path in a watch event")
			}
			p := s.strip(string(frame[32 : 32+n]))
			if !seen[p] {
				seen[p] = true
				changed = append(changed, p)
			}
		case rx > 0 && rx <= xid:
			if code != 0 {
				return nil, fmt.Errorf("setWatches: server error %d", code)
			}
			answered++
		}
	}
	// closeSession; the answer does not matter.
	closeReq := make([]byte, 12)
	binary.BigEndian.PutUint32(closeReq[0:], 8)
	binary.BigEndian.PutUint32(closeReq[4:], uint32(xid+1))
	binary.BigEndian.PutUint32(closeReq[8:], uint32(0xfffffff5)) // -11
	conn.Write(closeReq)
	return changed, nil
}

// setWatchesPacket is SetWatches (opcode 101): relativeZxid, then the
// data, exist and child watch path vectors.
func setWatchesPacket(xid int32, zxid int64, data, exist, children []string) []byte {
	n := 4 + 4 + 8
	for _, l := range [][]string{data, exist, children} {
		n += 4
		for _, p := range l {
			n += 4 + len(p)
		}
	}
	b := make([]byte, 4+n)
	binary.BigEndian.PutUint32(b[0:], uint32(n))
	binary.BigEndian.PutUint32(b[4:], uint32(xid))
	binary.BigEndian.PutUint32(b[8:], 101)
	binary.BigEndian.PutUint64(b[12:], uint64(zxid))
	off := 20
	for _, l := range [][]string{data, exist, children} {
		binary.BigEndian.PutUint32(b[off:], uint32(len(l)))
		off += 4
		for _, p := range l {
			binary.BigEndian.PutUint32(b[off:], uint32(len(p)))
			off += 4
			off += copy(b[off:], p)
		}
	}
	return b
}

// ResumedFrom is the last zxid go-zookeeper had seen when the current
// connection resumed the session (0 for a new session or when unknown):
// what a watcher's view is complete up to.
func (s *core) ResumedFrom() int64 {
	p := s.dialer.persist
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.resumedFrom
}

package zksession

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Persistent recursive watches (ZooKeeper 3.6+, addWatch, opcode 106) are
// added in the same place as SASL: on every new connection, after SASL and
// before go-zookeeper sees the ConnectResponse. ZooKeeper keeps watches per
// connection, so a reconnect within the session and a new session after an
// expiry both need them again; doing it here means nothing can slip in
// between. Their events (xid -1) reach go-zookeeper like any watch event and
// come out of OnEvent. A session that uses them must never arm a one-shot
// watch on a watched path: on 3.6–3.8 that turns the persistent watch into
// a one-shot one (ZOOKEEPER-4466).

const (
	opAddWatch              = 106
	addWatchRecursive       = 1
	errCodeUnimplemented    = -6
	xidWatchEvent           = -1
	maxEventsDuringAddWatch = 1 << 16
)

// errNoPersistentWatches is an old server's answer to addWatch.
var errNoPersistentWatches = errors.New("the server has no persistent watches (ZooKeeper 3.6+ has them)")

// persistentWatches is the addWatch state a dialer shares among its connections.
type persistentWatches struct {
	paths []string // server paths (chroot included)

	mu          sync.Mutex
	unsupported bool
	added       int   // connections that added them
	quiet       bool  // the current connection resumed a session with nothing changed since
	resumedFrom int64 // the zxid go-zookeeper had seen when it resumed (0: a new session)
}

func (p *persistentWatches) setResumed(quiet bool, from int64) {
	p.mu.Lock()
	p.quiet, p.resumedFrom = quiet, from
	p.mu.Unlock()
}

func (p *persistentWatches) isUnsupported() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unsupported
}

// add adds every path's recursive watch on a fresh connection, starting
// at xid. Watch events that arrive meanwhile (from watches added a moment
// earlier) are returned to be handed to go-zookeeper, with the server's
// zxid as its last reply says.
func (p *persistentWatches) add(rw io.ReadWriter, xid int32) (events []byte, serverZxid int64, err error) {
	if p == nil || len(p.paths) == 0 || p.isUnsupported() {
		return nil, 0, nil
	}
	for _, path := range p.paths {
		xid++
		buf := make([]byte, 4+8+4+len(path)+4)
		binary.BigEndian.PutUint32(buf[0:], uint32(len(buf)-4))
		binary.BigEndian.PutUint32(buf[4:], uint32(xid))
		binary.BigEndian.PutUint32(buf[8:], opAddWatch)
		binary.BigEndian.PutUint32(buf[12:], uint32(len(path)))
		copy(buf[16:], path)
		binary.BigEndian.PutUint32(buf[16+len(path):], addWatchRecursive)
		if _, err := rw.Write(buf); err != nil {
			return nil, 0, err
		}
		for {
			frame, err := readFrame(rw, maxSASLReply)
			if err != nil {
				return nil, 0, err
			}
			if len(frame) < 20 {
				return nil, 0, fmt.Errorf("short reply to addWatch (%d bytes)", len(frame))
			}
			if int32(binary.BigEndian.Uint32(frame[4:8])) == xidWatchEvent {
				if len(events) > maxEventsDuringAddWatch {
					return nil, 0, errors.New("too many watch events while adding watches")
				}
				events = append(events, frame...)
				continue
			}
			serverZxid = int64(binary.BigEndian.Uint64(frame[8:16]))
			code := int32(binary.BigEndian.Uint32(frame[16:20]))
			switch code {
			case 0:
			case errCodeUnimplemented:
				p.mu.Lock()
				p.unsupported = true
				p.mu.Unlock()
				return nil, 0, errNoPersistentWatches
			default:
				return nil, 0, fmt.Errorf("addWatch %s: server error %d", path, code)
			}
			break
		}
	}
	p.mu.Lock()
	p.added++
	p.mu.Unlock()
	return events, serverZxid, nil
}

// QuietReconnect reports whether the current connection resumed the
// session with nothing changed anywhere on the server since the last reply
// before the outage (the zxid go-zookeeper last saw equals the server's):
// a watcher with persistent watches then has nothing to resync. Only a
// same-session reconnect can be quiet.
func (s *core) QuietReconnect() bool {
	p := s.dialer.persist
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.quiet && !p.unsupported
}

// PersistentWatches reports whether the session's persistent watches are in
// place: false when none were asked for, or the server does not have them.
func (s *core) PersistentWatches() bool {
	p := s.dialer.persist
	if p == nil || len(p.paths) == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.unsupported && p.added > 0
}

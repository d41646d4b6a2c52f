package zksession_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rafka/rafka/zksession"
)

// oldServer speaks just enough ZooKeeper 3.5 for a session: it answers the
// connect and pings, and answers addWatch (opcode 106) as 3.4/3.5 do, with
// UNIMPLEMENTED and a closed connection. It counts the addWatch requests.
func oldServer(t *testing.T) (addr string, addWatches *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	addWatches = &atomic.Int32{}
	frame := func(c net.Conn) ([]byte, error) {
		var n [4]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return nil, err
		}
		b := make([]byte, binary.BigEndian.Uint32(n[:]))
		_, err := io.ReadFull(c, b)
		return b, err
	}
	reply := func(c net.Conn, xid int32, code int32) {
		b := make([]byte, 20)
		binary.BigEndian.PutUint32(b[0:], 16)
		binary.BigEndian.PutUint32(b[4:], uint32(xid))
		binary.BigEndian.PutUint64(b[8:], 5)
		binary.BigEndian.PutUint32(b[16:], uint32(code))
		c.Write(b)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := frame(c); err != nil { // ConnectRequest
					return
				}
				resp := make([]byte, 4+36)
				binary.BigEndian.PutUint32(resp[0:], 36)
				binary.BigEndian.PutUint32(resp[8:], 4000)    // timeOut
				binary.BigEndian.PutUint64(resp[12:], 0x1234) // sessionId
				binary.BigEndian.PutUint32(resp[20:], 16)     // passwd length
				c.Write(resp)
				for {
					req, err := frame(c)
					if err != nil || len(req) < 8 {
						return
					}
					xid, op := int32(binary.BigEndian.Uint32(req[0:])), int32(binary.BigEndian.Uint32(req[4:]))
					switch op {
					case 106:
						addWatches.Add(1)
						reply(c, xid, -6)
						return
					case 11:
						reply(c, xid, 0)
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), addWatches
}

// On a server without addWatch the session still comes up, once, without
// persistent watches, and does not ask again on every reconnect.
func TestPersistentWatchesFallBackOnOldServers(t *testing.T) {
	addr, asked := oldServer(t)
	target, _ := zksession.ParseConnect(addr)
	s, err := zksession.Open(context.Background(), zksession.Config{
		Target: target, Timeout: 5 * time.Second, SessionTimeout: 4 * time.Second,
		PersistentWatches: []string{"/brokers"},
	})
	if err != nil {
		t.Fatalf("Open on a 3.5-like server: %v", err)
	}
	defer s.Close()
	if s.PersistentWatches() {
		t.Error("PersistentWatches() = true on a server that refused addWatch")
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("addWatch asked %d times; want once", n)
	}
}

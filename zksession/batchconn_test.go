package zksession

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// Many small writes arrive whole and in order;
// replies are read through the buffer; Close ends the flusher.
func TestBatchConnKeepsOrder(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client, server := tcpPair(t)
	b := newBatchConn(client)
	const n = 20000
	go func() {
		var frame [8]byte
		for i := range n {
			binary.BigEndian.PutUint32(frame[:4], 4)
			binary.BigEndian.PutUint32(frame[4:], uint32(i))
			if _, err := b.Write(frame[:]); err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
		}
	}()
	got := make([]byte, 8*n)
	if _, err := io.ReadFull(server, got); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if v := binary.BigEndian.Uint32(got[8*i+4:]); v != uint32(i) {
			t.Fatalf("frame %d holds %d", i, v)
		}
	}
	reply := bytes.Repeat([]byte("r"), 100000)
	go server.Write(reply)
	back := make([]byte, len(reply))
	if _, err := io.ReadFull(b, back); err != nil || !bytes.Equal(back, reply) {
		t.Fatalf("read back: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
}

// A write that fails (the peer is gone) closes the connection: the next
// write and the reader see it, and the flusher ends.
func TestBatchConnWriteFailure(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client, server := tcpPair(t)
	b := newBatchConn(client)
	b.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	server.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := b.Write(make([]byte, 64<<10)); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("writes to a closed peer kept succeeding")
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := b.Read(make([]byte, 1)); err == nil {
		t.Error("read succeeded on a connection whose write failed")
	}
	b.Close()
}

// stop (the TCP connection was cut below) ends the flusher too.
func TestBatchConnStop(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client, _ := tcpPair(t)
	b := newBatchConn(client)
	client.Close()
	b.stop()
}

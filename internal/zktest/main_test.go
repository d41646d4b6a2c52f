package zktest_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"go.uber.org/goleak"

	"github.com/rafka/rafka/internal/zktest"
)

func TestMain(m *testing.M) {
	code := zktest.Main(m)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goroutine leak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}

// connect opens a go-zookeeper session to servers and waits until it has a session.
func connect(t *testing.T, servers []string, opts ...func(*zk.Conn)) *zk.Conn {
	t.Helper()
	hasSession := make(chan struct{}, 1)
	all := append([]func(*zk.Conn){
		zk.WithLogger(nopLogger{}),
		zk.WithLogInfo(false),
		zk.WithEventCallback(func(e zk.Event) {
			if e.State == zk.StateHasSession {
				select {
				case hasSession <- struct{}{}:
				default:
				}
			}
		}),
	}, opts...)
	conn, _, err := zk.Connect(servers, 5*time.Second, func(c *zk.Conn) {
		for _, o := range all {
			o(c)
		}
	})
	if err != nil {
		t.Fatalf("zk.Connect(%v): %v", servers, err)
	}
	t.Cleanup(conn.Close)
	select {
	case <-hasSession:
	case <-time.After(20 * time.Second):
		t.Fatalf("no session with %v after 20s (state %v)", servers, conn.State())
	}
	return conn
}

// eventually retries f until it succeeds or d passes.
func eventually(t *testing.T, d time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %v: %v", what, d, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

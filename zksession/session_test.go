package zksession_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
	"go.uber.org/goleak"
)

func open(t *testing.T, connect string, mutate ...func(*zksession.Config)) *zksession.Session {
	t.Helper()
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		t.Fatal(err)
	}
	cfg := zksession.Config{Target: target, Timeout: 5 * time.Second, SessionTimeout: 4 * time.Second}
	for _, m := range mutate {
		m(&cfg)
	}
	s, err := zksession.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestChrootIsAppliedAndStripped(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := fmt.Sprintf("/chroot-%d", time.Now().UnixNano())
	s := open(t, zc.Connect()+chroot)
	ctx := context.Background()
	if _, err := s.Root().Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	created, err := s.Create(ctx, "/a", []byte("x"), 0, zk.WorldACL(zk.PermAll))
	if err != nil || created != "/a" {
		t.Fatalf("Create = %q, %v; want /a", created, err)
	}
	data, _, err := s.Root().Get(ctx, chroot+"/a")
	if err != nil || string(data) != "x" {
		t.Fatalf("root Get = %q, %v", data, err)
	}
	kids, _, err := s.Children(ctx, "/")
	if err != nil || len(kids) != 1 || kids[0] != "a" {
		t.Fatalf("Children(/) = %v, %v", kids, err)
	}
	_, _, ch, err := s.GetW(ctx, "/a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Set(ctx, "/a", []byte("y"), -1); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-ch:
		if ev.Path != "/a" || ev.Type != zk.EventNodeDataChanged {
			t.Errorf("watch event %+v; want NodeDataChanged on /a", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no watch event")
	}
	_, _, err = s.Get(ctx, "/missing")
	var pe *zksession.PathError
	if !errors.Is(err, zk.ErrNoNode) || !errors.As(err, &pe) || !strings.Contains(err.Error(), chroot+"/missing") {
		t.Errorf("Get(/missing) = %v; want ErrNoNode naming %s/missing", err, chroot)
	}
}

// Each way of being unreachable ends within the timeout plus one second,
// with ErrUnreachable and a message naming every server and what it did.
func TestUnreachableServersFailFastAndSaySo(t *testing.T) {
	// Registered first, so it runs after the test servers' own cleanups.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	refused := fmt.Sprintf("127.0.0.1:%d", zktest.FreePort(t))
	silent := zktest.Silent(t)
	http := zktest.HTTPServer(t)
	tests := []struct {
		name    string
		connect string
		want    []string
	}{
		{"port closed", refused, []string{refused + " (connection refused)"}},
		{"host does not resolve", "no-such-host.invalid:2181", []string{"no-such-host.invalid:2181 (host not found"}},
		{"accepts but never answers", silent, []string{silent + " (accepted TCP but never answered)"}},
		{"speaks HTTP", http, []string{http + " (that port answered like an HTTP server)"}},
		{"all at once", strings.Join([]string{refused, silent, http, "no-such-host.invalid:2181"}, ","),
			[]string{"connection refused", "never answered", "HTTP server", "host not found"}},
	}
	const timeout = 2 * time.Second
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, err := zksession.ParseConnect(tt.connect)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: timeout})
			elapsed := time.Since(start)
			if !errors.Is(err, zksession.ErrUnreachable) {
				t.Fatalf("Open = %v; want ErrUnreachable", err)
			}
			if elapsed > timeout+time.Second {
				t.Errorf("took %s; want at most %s", elapsed, timeout+time.Second)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond) // go-zookeeper's loops wind down after Close
}

// A request made while the connection is down waits for it to come back.
func TestOperationRetriesAcrossConnectionLoss(t *testing.T) {
	zc := zktest.Standalone(t)
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := open(t, proxy.Addr, func(c *zksession.Config) { c.Timeout = 8 * time.Second; c.SessionTimeout = 10 * time.Second })
	ctx := context.Background()
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	go func() {
		time.Sleep(1500 * time.Millisecond)
		proxy.SetMode(zktest.ModePass)
	}()
	before := s.SessionID()
	start := time.Now()
	if _, _, err := s.Exists(ctx, "/"); err != nil {
		t.Fatalf("Exists across an outage: %v", err)
	}
	if time.Since(start) < time.Second {
		t.Errorf("answered in %s, before the outage ended", time.Since(start))
	}
	if s.SessionID() != before {
		t.Errorf("session changed across a short outage")
	}
}

// A server that goes silent mid-session makes operations fail at the
// deadline with ErrTimeout instead of hanging.
func TestOperationDeadlineWhenServerGoesSilent(t *testing.T) {
	zc := zktest.Standalone(t)
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := open(t, proxy.Addr, func(c *zksession.Config) { c.Timeout = 2 * time.Second; c.SessionTimeout = 30 * time.Second })
	proxy.SetMode(zktest.ModeBlackhole)
	proxy.Cut()
	start := time.Now()
	_, _, err := s.Get(context.Background(), "/")
	if !errors.Is(err, zksession.ErrTimeout) {
		t.Fatalf("Get = %v; want ErrTimeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Get took %s; want at most 3s", d)
	}
}

// After an expiry go-zookeeper makes a new session by itself; the session
// layer reports the expiry and carries on.
func TestSessionExpiryIsReportedAndSurvived(t *testing.T) {
	zc := zktest.Standalone(t)
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := open(t, proxy.Addr, func(c *zksession.Config) { c.Timeout = 10 * time.Second; c.SessionTimeout = 2 * time.Second })
	var expired atomic.Bool
	s.OnEvent(func(ev zk.Event) {
		if ev.State == zk.StateExpired {
			expired.Store(true)
		}
	})
	before := s.SessionID()
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	time.Sleep(4 * time.Second) // past the negotiated session timeout
	proxy.SetMode(zktest.ModePass)
	if _, _, err := s.Exists(context.Background(), "/"); err != nil {
		t.Fatalf("Exists after expiry: %v", err)
	}
	if !expired.Load() {
		t.Error("no StateExpired event")
	}
	if s.SessionID() == before {
		t.Error("session id unchanged after expiry")
	}
}

// Killing the member the session is on moves it to another one.
func TestKilledEnsembleMemberIsSurvived(t *testing.T) {
	zc := zktest.NewEnsemble(t)
	s := open(t, zc.Connect(), func(c *zksession.Config) { c.Timeout = 10 * time.Second; c.SessionTimeout = 6 * time.Second })
	ctx := context.Background()
	if _, err := s.Create(ctx, "/survive", []byte("1"), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	on := s.Server()
	member := -1
	for i, srv := range zc.Servers {
		if srv == on {
			member = i
		}
	}
	if member < 0 {
		t.Fatalf("connected to %q, not one of %v", on, zc.Servers)
	}
	before := s.SessionID()
	if err := zc.Kill(member); err != nil {
		t.Fatal(err)
	}
	data, _, err := s.Get(ctx, "/survive")
	if err != nil || string(data) != "1" {
		t.Fatalf("Get after killing member %d: %q, %v", member, data, err)
	}
	if s.Server() == on {
		t.Errorf("still on the killed member %s", on)
	}
	if s.SessionID() != before {
		t.Errorf("session changed; want the same session on another member")
	}
}

func TestDigestAuth(t *testing.T) {
	zc := zktest.Digest(t)
	ctx := context.Background()
	owner := open(t, zc.Connect(), func(c *zksession.Config) {
		c.Auth = []zksession.Auth{{Scheme: "digest", Credential: []byte("alice:secret")}}
	})
	path := fmt.Sprintf("/digest-%d", time.Now().UnixNano())
	if _, err := owner.Create(ctx, path, []byte("x"), 0, zk.DigestACL(zk.PermAll, "alice", "secret")); err != nil {
		t.Fatal(err)
	}
	anon := open(t, zc.Connect())
	if _, _, err := anon.Get(ctx, path); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("anonymous Get = %v; want ErrNoAuth", err)
	}
	super := open(t, zc.Connect(), func(c *zksession.Config) {
		c.Auth = []zksession.Auth{{Scheme: "digest", Credential: []byte(zc.SuperAuth)}}
	})
	if _, _, err := super.Get(ctx, path); err != nil {
		t.Errorf("super Get = %v", err)
	}
	if !super.Authenticated() || anon.Authenticated() {
		t.Error("Authenticated() wrong")
	}
}

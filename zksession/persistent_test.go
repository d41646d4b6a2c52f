package zksession_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

// eventLog collects watch events from OnEvent.
type eventLog struct {
	mu  sync.Mutex
	got []zk.Event
}

func (l *eventLog) add(ev zk.Event) {
	if ev.Type == zk.EventSession {
		return
	}
	l.mu.Lock()
	l.got = append(l.got, ev)
	l.mu.Unlock()
}

// waitFor waits until an event of type typ for path has arrived.
func (l *eventLog) waitFor(t *testing.T, typ zk.EventType, path string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for _, ev := range l.got {
			if ev.Type == typ && ev.Path == path {
				l.mu.Unlock()
				return
			}
		}
		l.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %v event for %s; got %v", typ, path, l.got)
}

// One recursive watch sees creations, changes and deletions anywhere
// below it, in the chroot's terms, and is there again after a reconnect
// (same session) and after a session expiry (new session), with SASL.
func TestPersistentRecursiveWatch(t *testing.T) {
	zc := zktest.NewSASL(t)
	ctx := context.Background()
	setup := open(t, zc.Connect(), withSASL(digest("kafka")))
	if _, err := setup.CreatePath(ctx, "/chroot/brokers", func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) }); err != nil {
		t.Fatal(err)
	}
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := open(t, proxy.Addr+"/chroot", withSASL(digest("kafka")), func(c *zksession.Config) {
		c.PersistentWatches = []string{"/brokers"}
		c.Timeout = 10 * time.Second
		c.SessionTimeout = 2 * time.Second
	})
	if !s.PersistentWatches() {
		t.Fatal("PersistentWatches() = false on ZooKeeper 3.8")
	}
	var log eventLog
	s.OnEvent(log.add)
	w := open(t, zc.Connect()+"/chroot")
	if _, err := w.Create(ctx, "/brokers/a", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, zk.EventNodeCreated, "/brokers/a")
	if _, err := w.Create(ctx, "/brokers/a/b", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, zk.EventNodeCreated, "/brokers/a/b")
	if _, err := w.Set(ctx, "/brokers/a/b", []byte("x"), -1); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, zk.EventNodeDataChanged, "/brokers/a/b")

	if out, err := zktest.FourLetter(zc.Servers[0], "wchs"); err != nil || !strings.Contains(out, "Total watches:1") {
		t.Errorf("wchs = %q, %v; want one watch", out, err)
	}

	// A reconnect with nothing written meanwhile is quiet; one with a write is not.
	if _, _, err := s.Exists(ctx, "/"); err != nil { // s has seen the latest zxid
		t.Fatal(err)
	}
	proxy.Cut()
	if _, _, err := s.Exists(ctx, "/"); err != nil { // waits for the reconnect
		t.Fatal(err)
	}
	if !s.QuietReconnect() {
		t.Error("a reconnect with no write meanwhile is not quiet")
	}
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	if _, err := w.Create(ctx, "/brokers/during-cut", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	proxy.SetMode(zktest.ModePass)
	if _, _, err := s.Exists(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	if s.QuietReconnect() {
		t.Error("a reconnect after a write is quiet")
	}
	if _, err := w.Create(ctx, "/brokers/after-cut", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, zk.EventNodeCreated, "/brokers/after-cut")

	first := s.SessionID()
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	time.Sleep(4 * time.Second)
	proxy.SetMode(zktest.ModePass)
	if _, _, err := s.Exists(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	if s.SessionID() == first {
		t.Fatal("no expiry")
	}
	if _, err := w.Multi(ctx, &zk.DeleteRequest{Path: "/brokers/a/b", Version: -1}); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, zk.EventNodeDeleted, "/brokers/a/b")
}

// The server names what changed after a zxid; nothing else is read.
func TestChangedSince(t *testing.T) {
	zc := zktest.NewSASL(t)
	ctx := context.Background()
	s := open(t, zc.Connect(), withSASL(digest("kafka")))
	all := zk.WorldACL(zk.PermAll)
	for _, p := range []string{"/d", "/d/same", "/d/set", "/d/gone", "/dir"} {
		if _, err := s.Create(ctx, p, nil, 0, all); err != nil {
			t.Fatal(err)
		}
	}
	_, st, err := s.Exists(ctx, "/dir")
	if err != nil {
		t.Fatal(err)
	}
	since := st.Czxid // everything above is at or before it
	if _, err := s.Set(ctx, "/d/set", []byte("x"), -1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Multi(ctx, &zk.DeleteRequest{Path: "/d/gone", Version: -1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "/dir/kid", nil, 0, all); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "/born", nil, 0, all); err != nil {
		t.Fatal(err)
	}
	got, err := s.ChangedSince(ctx, since, []string{"/d/same", "/d/set", "/d/gone"}, []string{"/born", "/never"}, []string{"/dir", "/d"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"/d/set": true, "/d/gone": true, "/born": true, "/dir": true, "/d": true}
	if len(got) != len(want) {
		t.Errorf("changed %v; want %v", got, want)
	}
	for _, p := range got {
		if !want[p] {
			t.Errorf("%s reported changed", p)
		}
	}
	// The server drops a closed session's watches a moment after the close.
	var out string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out, _ = zktest.FourLetter(zc.Servers[0], "wchs")
		if !strings.Contains(out, "watching") || strings.Contains(out, "Total watches:0") || time.Now().After(deadline) {
			break
		}
	}
	if strings.Contains(out, "watching") && !strings.Contains(out, "Total watches:0") {
		t.Errorf("the diff session left watches: %s", out)
	}
}

package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
	"go.uber.org/goleak"
)

// watchRun runs `features watch -o json` in-process and hands each event
// to the test as it is printed.
type watchRun struct {
	events chan features.Event
	done   chan struct{}
	code   int
	stderr string
}

func startWatch(t *testing.T, args ...string) *watchRun {
	t.Helper()
	pr, pw := io.Pipe()
	w := &watchRun{events: make(chan features.Event, 100), done: make(chan struct{})}
	var errOut strings.Builder
	go func() {
		defer close(w.done)
		w.code = Main(context.Background(), append([]string{"rafka", "-o", "json", "features", "watch"}, args...), Streams{Out: pw, Err: &errOut})
		w.stderr = errOut.String()
		pw.Close()
	}()
	go func() {
		defer close(w.events)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var e features.Event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Errorf("not an NDJSON event: %q", sc.Text())
				continue
			}
			w.events <- e
		}
	}()
	return w
}

// next waits for the next event.
func (w *watchRun) next(t *testing.T) features.Event {
	t.Helper()
	select {
	case e, ok := <-w.events:
		if !ok {
			<-w.done
			t.Fatalf("watch ended (exit %d: %s) while an event was expected", w.code, w.stderr)
		}
		return e
	case <-time.After(20 * time.Second):
		t.Fatal("no event within 20s")
	}
	return features.Event{}
}

// expect reads events until one of kind arrives, failing on any other
// kind not in allowed.
func (w *watchRun) expect(t *testing.T, kind string, allowed ...string) features.Event {
	t.Helper()
	for {
		e := w.next(t)
		if e.Event == kind {
			return e
		}
		ok := false
		for _, a := range allowed {
			ok = ok || a == e.Event
		}
		if !ok {
			t.Fatalf("event %q (%+v) while waiting for %q", e.Event, e, kind)
		}
	}
}

func (w *watchRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-w.done:
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not end")
	}
	return w.code
}

func featureSession(t testing.TB, connect string) *zksession.Session {
	t.Helper()
	target, _ := zksession.ParseConnect(connect)
	s, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestFeaturesWatchEveryTransition(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	connect := zc.Connect() + chroot
	// Everything the watch starts must be gone when it returns. The
	// writer's session is closed before the check: go-zookeeper starts its
	// connection's goroutines only after reporting the session, so ones
	// captured while it was open could be missing some.
	ignore := goleak.IgnoreCurrent()
	writer := featureSession(t, zc.Connect())
	ctx := context.Background()
	// A Kafka tree (its /brokers) without /feature yet: a stream waits
	// only on a chroot that holds a Kafka tree.
	for _, p := range []string{chroot, chroot + "/brokers"} {
		if _, err := writer.Create(ctx, p, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	feature := chroot + "/feature"
	set := func(data string) {
		t.Helper()
		if _, err := writer.Set(ctx, feature, []byte(data), -1); err != nil {
			t.Fatal(err)
		}
	}

	w := startWatch(t, "-z", connect, "--count", "9")
	if e := w.next(t); e.Event != features.EventInitial || e.State != features.StateAbsent {
		t.Fatalf("first event %+v; want initial absent", e)
	}
	if _, err := writer.Create(ctx, feature, []byte(`{"version":1,"status":1,"features":{}}`), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if e := w.next(t); e.Event != features.EventCreated || e.State != features.StateEnabled || *e.Epoch != 0 {
		t.Errorf("after create: %+v", e)
	}
	set(`{"version":2,"status":1,"features":{}}`)
	if e := w.next(t); e.Event != features.EventUpdated || *e.Epoch != 1 || *e.Version != 2 {
		t.Errorf("after update: %+v", e)
	}
	set(`{"version":1,"status":0,"features":{}}`)
	if e := w.next(t); e.Event != features.EventDisabled || *e.Epoch != 2 {
		t.Errorf("after disable: %+v", e)
	}
	set(`{"version":1,"status":1,"features":{"metadata.version":{"min_version_level":1,"max_version_level":7}}}`)
	if e := w.next(t); e.Event != features.EventUpdated || len(e.Warnings) == 0 || !strings.Contains(strings.Join(e.Warnings, " "), "exit") {
		t.Errorf("enabled with a feature must warn that brokers exit: %+v", e)
	}
	set(`not json`)
	if e := w.next(t); e.Event != features.EventMalformed || e.State != features.StateMalformed || *e.Epoch != 4 {
		t.Errorf("after garbage: %+v", e)
	}
	if err := writerDelete(writer, feature); err != nil {
		t.Fatal(err)
	}
	if e := w.next(t); e.Event != features.EventDeleted || e.Epoch != nil {
		t.Errorf("after delete: %+v", e)
	}
	if _, err := writer.Create(ctx, feature, []byte(`{"version":1,"status":1,"features":{}}`), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if e := w.next(t); e.Event != features.EventCreated || *e.Epoch != 0 {
		t.Errorf("after recreate: %+v", e)
	}
	if e := w.next(t); e.Event != features.EventEpochRegressed || !strings.Contains(e.Detail, "from 4 to 0") {
		t.Errorf("recreate must say the epoch regressed: %+v", e)
	}
	if code := w.wait(t); code != ExitOK {
		t.Errorf("exit %d after --count: %s", code, w.stderr)
	}
	writer.Close()
	goleak.VerifyNone(t, ignore)
}

func writerDelete(s *zksession.Session, path string) error {
	// rafka never deletes; the test plays an operator with another tool.
	_, err := s.Multi(context.Background(), &zk.DeleteRequest{Path: path, Version: -1})
	return err
}

// A burst of writes: the last epoch is always reported and epochs never go
// backwards (coalesced versions are counted).
func TestFeaturesWatchBurstIsLatestWins(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	writer := featureSession(t, zc.Connect())
	ctx := context.Background()
	if _, err := writer.Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Create(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	const writes = 300
	w := startWatch(t, "-z", zc.Connect()+chroot, "--until-epoch", "300")
	w.expect(t, features.EventInitial)
	var wg sync.WaitGroup
	for i := 0; i < writes; i += 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 30; j++ {
				writer.Set(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), -1)
			}
		}()
	}
	wg.Wait()
	last, reported, skipped := int32(0), 0, int32(0)
	for e := range w.events {
		if *e.Epoch <= last {
			t.Errorf("epoch %d after %d", *e.Epoch, last)
		}
		skipped += e.SkippedEpochs
		last = *e.Epoch
		reported++
	}
	if code := w.wait(t); code != ExitOK || last != writes {
		t.Errorf("exit %d, last epoch %d; want 0 and %d", code, last, writes)
	}
	if int32(reported)+skipped != writes {
		t.Errorf("%d events + %d coalesced = %d; want %d", reported, skipped, int32(reported)+skipped, writes)
	}
	t.Logf("%d writes: %d events, %d versions coalesced", writes, reported, skipped)
}

func TestFeaturesWatchTimeoutExitCodes(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := zc.Connect() + bareKafkaTree(t, zc)
	for _, format := range []string{"json", "table"} {
		start := time.Now()
		_, stderr, code := run(t, "-o", format, "features", "watch", "--for", "1s", "-z", connect, "--until-epoch", "5")
		if code != ExitUnavailable || time.Since(start) > 3*time.Second {
			t.Errorf("-o %s: condition not met by --for: exit %d after %s (%s); want %d", format, code, time.Since(start), stderr, ExitUnavailable)
		}
		_, stderr, code = run(t, "-o", format, "features", "watch", "--for", "1s", "-z", connect)
		if code != ExitOK {
			t.Errorf("-o %s: no condition, --for ends the stream: exit %d (%s)", format, code, stderr)
		}
		_, stderr, code = run(t, "-o", format, "--timeout", "5s", "features", "watch", "-z", connect, "--count", "1")
		if code != ExitOK {
			t.Errorf("-o %s: --count 1: exit %d (%s)", format, code, stderr)
		}
	}
}

// The session expires while watching (a proxy cuts the connection for
// longer than the session timeout): the watch reports it, re-arms on a new
// session and reports the state it finds, changes made meanwhile included.
func TestFeaturesWatchSurvivesSessionExpiry(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	writer := featureSession(t, zc.Connect())
	ctx := context.Background()
	writer.Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll))
	writer.Create(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), 0, zk.WorldACL(zk.PermAll))
	proxy := zktest.NewProxy(t, zc.Servers[0])
	w := startWatch(t, "-z", proxy.Addr+chroot, "--session-timeout", "2s", "--timeout", "60s", "--until-epoch", "2")
	w.expect(t, features.EventInitial)
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	w.expect(t, features.EventDisconnected)
	writer.Set(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), -1)
	time.Sleep(4 * time.Second) // past the session timeout
	proxy.SetMode(zktest.ModePass)
	w.expect(t, features.EventSessionExpired)
	e := w.expect(t, features.EventResynced)
	if *e.Epoch != 1 || e.GapSeconds == nil || *e.GapSeconds < 3 {
		t.Errorf("resynced %+v; want epoch 1 and a gap of 3s or more", e)
	}
	writer.Set(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), -1)
	if e := w.expect(t, features.EventUpdated); *e.Epoch != 2 {
		t.Errorf("after expiry the watch is re-armed: %+v", e)
	}
	if code := w.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, w.stderr)
	}
}

// Killing the member the watch is connected to: it moves to another member
// and keeps reporting.
func TestFeaturesWatchSurvivesKilledMember(t *testing.T) {
	if testing.Short() {
		t.Skip("ensemble")
	}
	zc := zktest.NewEnsemble(t)
	chroot := zktest.FreshChroot(t)
	writer := featureSession(t, zc.Connect())
	ctx := context.Background()
	writer.Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll))
	writer.Create(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), 0, zk.WorldACL(zk.PermAll))
	// Watch through proxies to two members, to see which one it uses.
	a, b := zktest.NewProxy(t, zc.Servers[0]), zktest.NewProxy(t, zc.Servers[1])
	w := startWatch(t, "-z", a.Addr+","+b.Addr+chroot, "--session-timeout", "6s", "--timeout", "60s", "--until-epoch", "1")
	w.expect(t, features.EventInitial)
	member := 0
	if b.Conns() > 0 {
		member = 1
	}
	if err := zc.Kill(member); err != nil {
		t.Fatal(err)
	}
	w.expect(t, features.EventDisconnected)
	w.expect(t, features.EventReconnected)
	if e := w.expect(t, features.EventResynced); *e.Epoch != 0 {
		t.Errorf("resynced %+v", e)
	}
	writer.Set(ctx, chroot+"/feature", []byte(`{"version":1,"status":1,"features":{}}`), -1)
	if e := w.expect(t, features.EventUpdated); *e.Epoch != 1 {
		t.Errorf("updated %+v", e)
	}
	if code := w.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, w.stderr)
	}
}

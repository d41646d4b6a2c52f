package watch

import (
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
)

const brokerReg = `{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"rack":null,"features":{}}`

func newPersistent(t *testing.T, kinds ...string) (*handler, []pipeline.Fetch) {
	h := &handler{t: t}
	opts := Options{Kinds: map[string]bool{}}
	for _, k := range kinds {
		opts.Kinds[k] = true
	}
	h.w = NewWatcher(opts, func(e Event) error { h.events = append(h.events, e); return nil })
	h.w.Persistent = true
	return h, h.w.Start()
}

func noWatch(t *testing.T, fetches []pipeline.Fetch) {
	t.Helper()
	for _, f := range fetches {
		if f.Watch {
			t.Fatalf("persistent mode armed a one-shot watch: %+v", f)
		}
	}
}

// Reads arm nothing; a created child re-reads its directory (recursive
// watches send no NodeChildrenChanged); a data change re-reads the node.
func TestPersistentEventsRouteToReads(t *testing.T) {
	h, start := newPersistent(t, KindBrokers)
	noWatch(t, start)
	ids := h.answer(start[0], "", 0, "1")
	noWatch(t, ids)
	h.answer(ids[0], brokerReg, 0)
	if e := h.last(); e.Event != EventSynced || e.Watches != 1 {
		t.Fatalf("synced: %+v", e)
	}
	if roots := PersistentRoots(h.w.Opts); len(roots) != 1 || roots[0] != "/brokers" {
		t.Fatalf("roots %v", roots)
	}
	list := h.send(pipeline.WatchFired{Path: "/brokers/ids/2", Type: zk.EventNodeCreated})
	if len(list) != 1 || list[0].Path != "/brokers/ids" || list[0].Op != pipeline.OpChildren {
		t.Fatalf("a created child: %+v", list)
	}
	noWatch(t, list)
	reg := h.answer(list[0], "", 1, "1", "2")
	if len(reg) != 1 || reg[0].Path != "/brokers/ids/2" {
		t.Fatalf("new broker read: %+v", reg)
	}
	h.answer(reg[0], brokerReg, 0)
	if e := h.last(); e.Event != EventRegistered {
		t.Fatalf("%+v", e)
	}
	if got := h.send(pipeline.WatchFired{Path: "/brokers/ids/1", Type: zk.EventNodeDataChanged}); len(got) != 1 || got[0].Path != "/brokers/ids/1" {
		t.Fatalf("a data change: %+v", got)
	}
	if got := h.send(pipeline.WatchFired{Path: "/brokers/seqid", Type: zk.EventNodeDataChanged}); len(got) != 0 {
		t.Fatalf("an event on a path not followed: %+v", got)
	}
}

// After a reconnect only stats are read, and only what moved is re-read.
func TestPersistentResyncReadsOnlyWhatMoved(t *testing.T) {
	h, start := newPersistent(t, KindBrokers)
	stat := func(czxid, mzxid, pzxid int64, cversion int32) *zk.Stat {
		return &zk.Stat{Czxid: czxid, Mzxid: mzxid, Pzxid: pzxid, Cversion: cversion}
	}
	ids := h.send(&pipeline.Result{Fetch: start[0], Children: []string{"1", "2"}, Stat: stat(2, 2, 10, 2)})
	for _, f := range ids {
		h.send(&pipeline.Result{Fetch: f, Data: []byte(brokerReg), Stat: stat(5, 5, 5, 0)})
	}
	h.send(pipeline.SessionChanged{State: zk.StateConnected})
	h.send(pipeline.SessionChanged{State: zk.StateHasSession})
	h.send(pipeline.SessionChanged{State: zk.StateDisconnected})
	h.send(pipeline.SessionChanged{State: zk.StateConnecting})
	probes := h.send(pipeline.SessionChanged{State: zk.StateHasSession})
	if len(probes) != 3 {
		t.Fatalf("probes %+v", probes)
	}
	var reread []pipeline.Fetch
	for _, p := range probes {
		if p.Op != pipeline.OpExists || p.Watch {
			t.Fatalf("a probe must be a bare stat read: %+v", p)
		}
		switch p.Path {
		case "/brokers/ids": // unchanged
			reread = append(reread, h.send(&pipeline.Result{Fetch: p, Exists: true, Stat: stat(2, 2, 10, 2)})...)
		case "/brokers/ids/1": // unchanged
			reread = append(reread, h.send(&pipeline.Result{Fetch: p, Exists: true, Stat: stat(5, 5, 5, 0)})...)
		case "/brokers/ids/2": // re-registered while we were away
			reread = append(reread, h.send(&pipeline.Result{Fetch: p, Exists: true, Stat: stat(9, 9, 9, 0)})...)
		}
	}
	if len(reread) != 1 || reread[0].Path != "/brokers/ids/2" || reread[0].Op != pipeline.OpGet {
		t.Fatalf("re-read %+v; want only /brokers/ids/2", reread)
	}
	h.send(&pipeline.Result{Fetch: reread[0], Data: []byte(brokerReg), Stat: stat(9, 9, 9, 0)})
	if e := h.last(); e.Event != EventResynced {
		t.Fatalf("%+v", e)
	}
}

// After a same-session reconnect the server names what changed; only that
// is re-read. If it cannot say, stats are compared instead.
func TestPersistentResyncAsksTheServer(t *testing.T) {
	for _, fails := range []bool{false, true} {
		h, start := newPersistent(t, KindBrokers)
		ids := h.answer(start[0], "", 0, "1", "2")
		for _, f := range ids {
			h.answer(f, brokerReg, 0)
		}
		h.send(pipeline.SessionChanged{State: zk.StateDisconnected})
		asks := h.send(pipeline.SessionChanged{State: zk.StateHasSession, SinceZxid: 42})
		if len(asks) != 1 || asks[0].Op != pipeline.OpChangedSince || asks[0].Since.Zxid != 42 ||
			len(asks[0].Since.Data) != 2 || len(asks[0].Since.Children) != 1 {
			t.Fatalf("ask %+v", asks)
		}
		if fails {
			probes := h.send(&pipeline.Result{Fetch: asks[0], Err: zk.ErrConnectionClosed})
			if len(probes) != 3 || probes[0].Op != pipeline.OpExists {
				t.Fatalf("fallback %+v", probes)
			}
			continue
		}
		reread := h.send(&pipeline.Result{Fetch: asks[0], Children: []string{"/brokers/ids/2", "/brokers/seqid"}})
		if len(reread) != 1 || reread[0].Path != "/brokers/ids/2" {
			t.Fatalf("re-read %+v", reread)
		}
		h.answer(reread[0], brokerReg, 1)
		if e := h.last(); e.Event != EventResynced {
			t.Fatalf("%+v", e)
		}
	}
}

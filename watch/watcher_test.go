package watch

import (
	"slices"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
)

// handler drives a Watcher with fake results and records its events.
type handler struct {
	t      *testing.T
	w      *Watcher
	events []Event
}

func newHandler(t *testing.T, kinds ...string) (*handler, []pipeline.Fetch) {
	h := &handler{t: t}
	opts := Options{Kinds: map[string]bool{}}
	for _, k := range kinds {
		opts.Kinds[k] = true
	}
	h.w = NewWatcher(opts, func(e Event) error { h.events = append(h.events, e); return nil })
	return h, h.w.Start()
}

func (h *handler) send(m pipeline.Message) []pipeline.Fetch {
	h.t.Helper()
	out, err := h.w.Handle(m)
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func (h *handler) answer(f pipeline.Fetch, data string, version int32, children ...string) []pipeline.Fetch {
	h.t.Helper()
	r := &pipeline.Result{Fetch: f, Data: []byte(data), Children: children, Stat: &zk.Stat{Version: version, Czxid: 7, Mzxid: int64(version)}}
	return h.send(r)
}

func (h *handler) last() Event {
	h.t.Helper()
	if len(h.events) == 0 {
		h.t.Fatal("no event")
	}
	return h.events[len(h.events)-1]
}

// A trigger during a read causes exactly one more read, and the version
// jump is reported as coalesced.
func TestStateReadsAreDedupedAndCoalesced(t *testing.T) {
	h, start := newHandler(t, KindPartitions)
	if len(start) != 1 || start[0].Path != "/brokers/topics" || !start[0].Watch || start[0].Op != pipeline.OpChildren {
		t.Fatalf("start %+v", start)
	}
	dirs := h.answer(start[0], "", 0, "t")
	if len(dirs) != 1 || dirs[0].Path != "/brokers/topics/t/partitions" {
		t.Fatalf("after the topic list: %+v", dirs)
	}
	states := h.answer(dirs[0], "", 0, "0")
	if len(states) != 1 || states[0].Path != "/brokers/topics/t/partitions/0/state" || states[0].Op != pipeline.OpGet {
		t.Fatalf("after the partitions list: %+v", states)
	}
	if more := h.answer(states[0], `{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":1,"isr":[1,2]}`, 0); len(more) != 0 {
		t.Fatalf("%+v", more)
	}
	if e := h.last(); e.Event != EventSynced || e.Watches != 3 {
		t.Fatalf("after the initial view: %+v", e)
	}
	fired := pipeline.WatchFired{Path: "/brokers/topics/t/partitions/0/state", Type: zk.EventNodeDataChanged}
	reread := h.send(fired)
	if len(reread) != 1 || h.send(fired) != nil || h.send(fired) != nil {
		t.Fatal("one read in flight per path")
	}
	again := h.answer(reread[0], `{"version":1,"leader":2,"leader_epoch":1,"controller_epoch":1,"isr":[2]}`, 1)
	if len(again) != 1 {
		t.Fatal("a trigger during the read must cause one more read")
	}
	if e := h.last(); e.Event != EventISRShrank || e.SkippedVersions != 0 {
		t.Fatalf("%+v", e)
	}
	h.answer(again[0], `{"version":1,"leader":2,"leader_epoch":1,"controller_epoch":1,"isr":[2,1]}`, 4)
	if e := h.last(); e.Event != EventISRExpanded || e.SkippedVersions != 2 || *e.Version != 4 {
		t.Fatalf("%+v", e)
	}
}

// Expiry: session-expired, then every tracked path is re-read on the new
// session; differences are reported as resync, then resynced.
func TestExpiryResyncsEverything(t *testing.T) {
	h, start := newHandler(t, KindBrokers)
	ids := h.answer(start[0], "", 0, "1")
	reg := `{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"rack":null,"features":{}}`
	h.answer(ids[0], reg, 0)
	h.send(pipeline.SessionChanged{State: zk.StateDisconnected})
	h.send(pipeline.SessionChanged{State: zk.StateExpired})
	if e := h.last(); e.Event != EventSessionExpired {
		t.Fatalf("%+v", e)
	}
	reads := h.send(pipeline.SessionChanged{State: zk.StateHasSession})
	if len(reads) != 2 {
		t.Fatalf("resync reads %+v", reads)
	}
	for _, f := range reads {
		if f.Path == "/brokers/ids" {
			h.answer(f, "", 1, "2") // broker 1 left, 2 came
		} else {
			h.send(&pipeline.Result{Fetch: f, Err: zk.ErrNoNode})
		}
	}
	var got []string
	for _, e := range h.events {
		got = append(got, e.Event)
	}
	if e := h.events[len(h.events)-1]; e.Event == EventResynced {
		t.Fatalf("resynced before broker 2 was read: %v", got)
	}
	unreg := h.events[len(h.events)-1]
	if unreg.Event != EventUnregistered || !unreg.Resync || *unreg.Broker != 1 {
		t.Fatalf("%v: %+v", got, unreg)
	}
}

// Initial events come out in a stable order (kind, then path), whatever
// order the reads answer in, and before synced.
func TestInitialEventsInStableOrder(t *testing.T) {
	reg := `{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"rack":null,"features":{}}`
	var orders [][]string
	for _, reverse := range []bool{false, true} {
		h := &handler{t: t}
		h.w = NewWatcher(Options{Kinds: map[string]bool{KindBrokers: true}, Initial: true}, func(e Event) error { h.events = append(h.events, e); return nil })
		start := h.w.Start()
		reads := h.answer(start[0], "", 0, "3", "1", "2")
		if reverse {
			slices.Reverse(reads)
		}
		for _, f := range reads {
			h.answer(f, reg, 0)
		}
		var got []string
		for _, e := range h.events {
			got = append(got, e.Event+" "+e.Path)
		}
		if len(got) == 0 || got[len(got)-1] != EventSynced+" " {
			t.Fatalf("synced is not last: %q", got)
		}
		orders = append(orders, got)
	}
	if !slices.Equal(orders[0], orders[1]) || !slices.IsSorted(orders[0][:len(orders[0])-1]) {
		t.Errorf("initial events depend on the order reads answer:\n%q\n%q", orders[0], orders[1])
	}
}

// The initial controller event carries the controller epoch whichever of
// /controller and /controller_epoch answers first.
func TestInitialControllerHasEpochInAnyOrder(t *testing.T) {
	for _, epochFirst := range []bool{false, true} {
		h := &handler{t: t}
		h.w = NewWatcher(Options{Kinds: map[string]bool{KindController: true}, Initial: true}, func(e Event) error { h.events = append(h.events, e); return nil })
		reads := h.w.Start()
		if epochFirst {
			slices.Reverse(reads)
		}
		for _, f := range reads {
			switch f.Path {
			case "/controller":
				h.answer(f, `{"version":2,"brokerid":4,"timestamp":"1","kraftControllerEpoch":-1}`, 0)
			case "/controller_epoch":
				h.answer(f, "8", 0)
			default:
				t.Fatalf("unexpected read %s", f.Path)
			}
		}
		var found bool
		for _, e := range h.events {
			if e.Kind == KindController && e.Event == EventInitial {
				found = true
				if v, ok := e.After.(*ControllerView); !ok || v.Epoch == nil || *v.Epoch != 8 {
					t.Errorf("epoch first %v: initial controller event %+v has no epoch 8", epochFirst, e.After)
				}
			}
		}
		if !found {
			t.Errorf("epoch first %v: no initial controller event in %+v", epochFirst, h.events)
		}
	}
}

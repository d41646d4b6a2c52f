package features

import (
	"reflect"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// The coordinator's logic, driven by hand as a fake worker would: each
// step is a message in, the events out, and the fetches asked for.
type step struct {
	name   string
	msg    pipeline.Message
	events []string
	fetch  []pipeline.Op // ops asked for (all on /feature, all watched)
}

func get(version int32, czxid int64, data string) *pipeline.Result {
	return &pipeline.Result{Fetch: pipeline.Fetch{Op: pipeline.OpGet, Path: zkpaths.Feature, Watch: true},
		Data: []byte(data), Stat: &zk.Stat{Version: version, Czxid: czxid}}
}

func noNode() *pipeline.Result {
	return &pipeline.Result{Fetch: pipeline.Fetch{Op: pipeline.OpGet, Path: zkpaths.Feature, Watch: true}, Err: zk.ErrNoNode}
}

func exists(ok bool) *pipeline.Result {
	return &pipeline.Result{Fetch: pipeline.Fetch{Op: pipeline.OpExists, Path: zkpaths.Feature, Watch: true}, Exists: ok}
}

func fired(t zk.EventType) pipeline.WatchFired {
	return pipeline.WatchFired{Path: zkpaths.Feature, Type: t}
}

func session(s zk.State) pipeline.SessionChanged { return pipeline.SessionChanged{State: s} }

const (
	enabled  = `{"version":1,"status":1,"features":{}}`
	disabled = `{"version":1,"status":0,"features":{}}`
)

func runSteps(t *testing.T, steps []step) []Event {
	t.Helper()
	var got []Event
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &Watcher{
		Emit: func(e Event) error { got = append(got, e); return nil },
		Now:  func() time.Time { clock = clock.Add(time.Second); return clock },
	}
	if f := w.Start(); len(f) != 1 || f[0].Op != pipeline.OpGet || !f[0].Watch {
		t.Fatalf("Start = %+v", f)
	}
	for _, s := range steps {
		before := len(got)
		fetches, err := w.Handle(s.msg)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		var kinds []string
		for _, e := range got[before:] {
			kinds = append(kinds, e.Event)
		}
		if !reflect.DeepEqual(kinds, s.events) {
			t.Errorf("%s: events %v; want %v", s.name, kinds, s.events)
		}
		var ops []pipeline.Op
		for _, f := range fetches {
			if f.Path != zkpaths.Feature || !f.Watch {
				t.Errorf("%s: fetch %+v does not re-arm the watch on /feature", s.name, f)
			}
			ops = append(ops, f.Op)
		}
		if !reflect.DeepEqual(ops, s.fetch) {
			t.Errorf("%s: fetches %v; want %v", s.name, ops, s.fetch)
		}
	}
	return got
}

func TestWatcherTransitions(t *testing.T) {
	got := runSteps(t, []step{
		{"absent at start", noNode(), []string{EventInitial}, []pipeline.Op{pipeline.OpExists}},
		{"exists watch armed", exists(false), nil, nil},
		{"created", fired(zk.EventNodeCreated), nil, []pipeline.Op{pipeline.OpGet}},
		{"read after creation", get(0, 100, enabled), []string{EventCreated}, nil},
		{"changed", fired(zk.EventNodeDataChanged), nil, []pipeline.Op{pipeline.OpGet}},
		{"a second trigger while reading coalesces", fired(zk.EventNodeDataChanged), nil, nil},
		{"read finds version 3", get(3, 100, enabled), []string{EventUpdated}, []pipeline.Op{pipeline.OpGet}},
		{"the re-read finds nothing newer", get(3, 100, enabled), nil, nil},
		{"disabled", fired(zk.EventNodeDataChanged), nil, []pipeline.Op{pipeline.OpGet}},
		{"read disabled", get(4, 100, disabled), []string{EventDisabled}, nil},
		{"garbage", fired(zk.EventNodeDataChanged), nil, []pipeline.Op{pipeline.OpGet}},
		{"read garbage", get(5, 100, "{"), []string{EventMalformed}, nil},
		{"deleted", fired(zk.EventNodeDeleted), nil, []pipeline.Op{pipeline.OpGet}},
		{"read finds nothing", noNode(), []string{EventDeleted}, []pipeline.Op{pipeline.OpExists}},
		{"recreated before the exists", exists(true), nil, []pipeline.Op{pipeline.OpGet}},
		{"read the new node", get(0, 200, enabled), []string{EventCreated, EventEpochRegressed}, nil},
	})
	if got[2].SkippedEpochs != 2 {
		t.Errorf("updated from 0 to 3 skipped %d versions; want 2", got[2].SkippedEpochs)
	}
	if e := got[len(got)-1]; e.Detail == "" || *e.Epoch != 0 {
		t.Errorf("epoch-regressed event %+v", e)
	}
}

func TestWatcherOutages(t *testing.T) {
	got := runSteps(t, []step{
		{"initial", get(1, 100, enabled), []string{EventInitial}, nil},
		{"connection lost", session(zk.StateDisconnected), []string{EventDisconnected}, nil},
		{"still connecting", session(zk.StateConnecting), nil, nil},
		{"same session back", session(zk.StateHasSession), []string{EventReconnected}, []pipeline.Op{pipeline.OpGet}},
		{"resync read", get(2, 100, enabled), []string{EventResynced}, nil},
		{"lost again", session(zk.StateDisconnected), []string{EventDisconnected}, nil},
		{"expired", session(zk.StateExpired), []string{EventSessionExpired}, nil},
		{"watch dropped with the session", pipeline.WatchFired{Path: zkpaths.Feature, Type: zk.EventNotWatching, Err: zk.ErrSessionExpired}, nil, nil},
		{"new session", session(zk.StateHasSession), nil, []pipeline.Op{pipeline.OpGet}},
		{"resync read re-arms", get(2, 100, enabled), []string{EventResynced}, nil},
		{"an error read is asked again", &pipeline.Result{Fetch: pipeline.Fetch{Op: pipeline.OpGet, Path: zkpaths.Feature}, Err: zk.ErrConnectionClosed}, nil, []pipeline.Op{pipeline.OpGet}},
	})
	for _, e := range got {
		if e.Event == EventResynced && (e.GapSeconds == nil || *e.GapSeconds <= 0) {
			t.Errorf("resynced without a gap: %+v", e)
		}
	}
}

func TestDescribeStates(t *testing.T) {
	tests := []struct {
		data  string
		stat  *zk.Stat
		state string
		warn  bool
	}{
		{"", nil, StateAbsent, true},
		{enabled, &zk.Stat{Version: 3}, StateEnabled, false},
		{disabled, &zk.Stat{}, StateDisabled, true},
		{`{"version":2,"status":1,"features":{"metadata.version":{"max_version_level":7}}}`, &zk.Stat{}, StateEnabled, true},
		{"garbage", &zk.Stat{}, StateMalformed, true},
		{"", &zk.Stat{}, StateMalformed, true},
		{`{"version":"1","status":1,"features":{}}`, &zk.Stat{}, StateMalformed, true},
	}
	for _, tt := range tests {
		d := Describe([]byte(tt.data), tt.stat)
		if d.State != tt.state || (len(d.Warnings) > 0) != tt.warn {
			t.Errorf("Describe(%q) = %s with warnings %v; want %s, warnings %v", tt.data, d.State, d.Warnings, tt.state, tt.warn)
		}
	}
}

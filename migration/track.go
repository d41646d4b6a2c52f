package migration

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zkpaths"
)

// WatchKinds are the watch kinds the status stream follows.
var WatchKinds = map[string]bool{watch.KindBrokers: true, watch.KindController: true, watch.KindMigration: true}

// Tracker folds the watch pipeline's events (brokers, controller,
// /migration) into the phase, and reports when the phase or the KRaft
// controller changes. It runs on the watch's coordinator goroutine, so it
// never reads ZooKeeper itself.
type Tracker struct {
	s       State
	brokers map[int32]bool
	synced  bool
	last    *Status
}

// NewTracker starts from nothing known.
func NewTracker() *Tracker { return &Tracker{brokers: map[int32]bool{}} }

// Handle takes one watch event and returns the status events it causes.
func (t *Tracker) Handle(e watch.Event) []StatusEvent {
	switch e.Kind {
	case watch.KindSession:
		switch e.Event {
		case watch.EventSynced:
			t.synced = true
			return t.report(e.TS, "initial", "")
		case watch.EventSessionExpired, watch.EventDisconnected, watch.EventReconnected, watch.EventResynced:
			st := t.status()
			return []StatusEvent{{TS: e.TS, Event: "session", Phase: st.Phase, Detail: e.Event}}
		}
		return nil
	case watch.KindBrokers:
		if e.Broker == nil {
			return nil
		}
		if e.Event == watch.EventUnregistered {
			delete(t.brokers, *e.Broker)
		} else {
			t.brokers[*e.Broker] = true
		}
	case watch.KindController:
		t.controller(e)
	case watch.KindMigration:
		t.migration(e)
	}
	if !t.synced {
		return nil
	}
	return t.report(e.TS, "", "")
}

func (t *Tracker) controller(e watch.Event) {
	s := &t.s
	switch e.Event {
	case watch.EventResigned:
		s.Controller, s.ControllerValue, s.ControllerErr = Znode{Path: zkpaths.Controller}, nil, nil
		return
	case watch.EventMalformed:
		s.Controller = Znode{Path: zkpaths.Controller, Exists: true}
		s.ControllerValue, s.ControllerErr = nil, errors.New(e.Detail)
		return
	}
	v, ok := e.After.(*watch.ControllerView)
	if !ok {
		if e.Event == watch.EventInitial { // "no controller"
			s.Controller, s.ControllerValue = Znode{Path: zkpaths.Controller}, nil
		}
		return
	}
	s.Controller = Znode{Path: zkpaths.Controller, Exists: true}
	s.ControllerValue = &zkpaths.ControllerZNode{BrokerID: v.BrokerID, KRaftControllerEpoch: v.KRaftControllerEpoch}
	s.ControllerErr = nil
	if v.KRaftControllerEpoch == nil || *v.KRaftControllerEpoch <= 0 {
		s.Controller.Stat.EphemeralOwner = 1 // a ZooKeeper-mode controller's node is ephemeral
	}
	if v.Epoch != nil {
		ep := *v.Epoch
		s.Epoch, s.EpochErr = &ep, nil
		s.ControllerEpoch = Znode{Path: zkpaths.ControllerEpoch, Exists: true}
	}
}

func (t *Tracker) migration(e watch.Event) {
	s := &t.s
	switch e.Event {
	case watch.EventDeleted:
		s.Migration, s.MigrationValue, s.MigrationErr = Znode{Path: zkpaths.Migration}, nil, nil
	case watch.EventMalformed:
		s.Migration, s.MigrationValue, s.MigrationErr = Znode{Path: zkpaths.Migration, Exists: true}, nil, errors.New(e.Detail)
	default:
		if m, ok := e.After.(*zkpaths.MigrationState); ok {
			s.Migration = Znode{Path: zkpaths.Migration, Exists: true}
			if e.Version != nil {
				s.Migration.Stat.Version = *e.Version
			}
			s.Migration.Stat.Mtime = e.TS.UnixMilli()
			s.MigrationValue, s.MigrationErr = m, nil
		}
	}
}

func (t *Tracker) status() *Status {
	s := t.s
	s.Brokers = make([]int32, 0, len(t.brokers))
	for id := range t.brokers {
		s.Brokers = append(s.Brokers, id)
	}
	slices.Sort(s.Brokers)
	st := Classify(&s, nil)
	st.Findings = []Finding{} // the stat-based rules need reads the stream does not make
	st.EpochZkVersion = nil   // the stream carries the controller epoch, not its znode's version
	return st
}

// report emits when the phase or the KRaft controller changed (or on the
// first report); /migration's offset moving on every dual-write is not a
// change of phase.
func (t *Tracker) report(ts time.Time, event, detail string) []StatusEvent {
	st := t.status()
	prev := t.last
	t.last = st
	if event == "" {
		switch {
		case prev == nil:
			event = "initial"
		case prev.Phase != st.Phase:
			event = "phase-changed"
		case !sameKRaft(prev.KRaftController, st.KRaftController):
			event = "controller-changed"
			if st.KRaftController != nil {
				detail = fmt.Sprintf("KRaft controller %d epoch %d", st.KRaftController.ID, st.KRaftController.Epoch)
			}
		default:
			return nil
		}
	}
	out := StatusEvent{TS: ts, Event: event, Phase: st.Phase, Status: st, Detail: detail}
	if prev != nil && prev.Phase != st.Phase {
		out.Before = prev.Phase
	}
	return []StatusEvent{out}
}

func sameKRaft(a, b *KRaftController) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

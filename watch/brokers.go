package watch

import (
	"strings"

	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Broker and controller events.
const (
	EventRegistered   = "registered"    // a broker registered (/brokers/ids/<id> created)
	EventUnregistered = "unregistered"  // its registration is gone (session ended)
	EventReregistered = "re-registered" // deleted and created again between two reads: a new broker epoch
	EventElected      = "elected"       // /controller created
	EventMoved        = "moved"         // another broker is controller
	EventReelected    = "re-elected"    // the same broker won a new election
	EventResigned     = "resigned"      // /controller deleted: no controller until the next election
)

// brokerID reads a registration's name as Kafka does (zkpaths.BrokerIDOf);
// nil when Kafka cannot.
func brokerID(path string) *int32 {
	id, err := zkpaths.BrokerIDOf(path[strings.LastIndexByte(path, '/')+1:])
	if err != nil {
		return nil
	}
	return &id
}

func (w *Watcher) broker(n *node, r *pipeline.Result) error {
	id := brokerID(n.path)
	v, derr := decode(n, r.Data)
	reg, _ := v.(*zkpaths.BrokerRegistration)
	if reg != nil {
		reg.BrokerEpoch = r.Stat.Czxid
	}
	prev, _ := n.value.(*zkpaths.BrokerRegistration)
	name := EventUpdated
	switch {
	case !n.known || !n.exists:
		name = w.firstName(EventRegistered)
	case r.Stat.Czxid != n.czxid:
		name = EventReregistered
	case r.Stat.Version == n.version:
		n.stamp(r.Stat)
		return nil // a re-read of the same version
	}
	e := w.event(KindBrokers, name, n.path)
	e.Broker, e.Version, e.SkippedVersions = id, &r.Stat.Version, n.skipped(r.Stat)
	if name != EventRegistered && name != EventInitial && prev != nil {
		e.Before = prev
	}
	n.stamp(r.Stat)
	if derr != nil {
		n.value = nil
		e.Event, e.Detail = EventMalformed, derr.Error()
		return w.emit(e)
	}
	n.value = reg
	e.After = reg
	return w.emit(e)
}

func (w *Watcher) brokerGone(n *node, existed bool) error {
	w.drop(n.path)
	if !existed {
		return nil
	}
	e := w.event(KindBrokers, EventUnregistered, n.path)
	e.Broker = brokerID(n.path)
	if prev, ok := n.value.(*zkpaths.BrokerRegistration); ok {
		e.Before = prev
	}
	return w.emit(e)
}

// controller: report elections with the epoch written with them. Kafka
// creates /controller and bumps /controller_epoch in one transaction, so
// the epoch that goes with a /controller read has mzxid ≥ its czxid.
func (w *Watcher) controller(n *node, r *pipeline.Result) ([]pipeline.Fetch, error) {
	decoded, derr := decode(n, r.Data)
	c, _ := decoded.(*zkpaths.ControllerZNode)
	prev, _ := n.value.(*ControllerView)
	var name string
	switch {
	case !n.known || !n.exists:
		name = w.firstName(EventElected)
	case r.Stat.Czxid == n.czxid && r.Stat.Version == n.version:
		n.stamp(r.Stat)
		return nil, nil
	case derr == nil && prev != nil && prev.BrokerID != c.BrokerID:
		name = EventMoved
	case r.Stat.Czxid != n.czxid:
		name = EventReelected
	default:
		name = EventUpdated
	}
	e := w.event(KindController, name, n.path)
	e.Version, e.SkippedVersions = &r.Stat.Version, n.skipped(r.Stat)
	if prev != nil && name != EventElected {
		e.Before = prev
	}
	n.stamp(r.Stat)
	if derr != nil {
		n.value = nil
		e.Event, e.Detail = EventMalformed, derr.Error()
		return nil, w.emit(e)
	}
	v := &ControllerView{BrokerID: c.BrokerID, KRaftControllerEpoch: c.KRaftControllerEpoch}
	n.value = v
	e.After, e.Broker = v, &v.BrokerID
	ep := w.nodes[zkpaths.ControllerEpoch]
	if ep == nil || (ep.known && ep.mzxid >= r.Stat.Czxid) || name == EventInitial {
		w.fillEpoch(v)
		return nil, w.emit(e)
	}
	// Wait for the epoch written with this election.
	if w.ctrlPending != nil {
		if err := w.emit(*w.ctrlPending); err != nil {
			return nil, err
		}
	}
	w.ctrlPending, w.ctrlZxid = &e, r.Stat.Czxid
	return w.read(ep), nil
}

func (w *Watcher) fillEpoch(v *ControllerView) {
	if ep := w.nodes[zkpaths.ControllerEpoch]; ep != nil && ep.exists {
		if e, ok := ep.value.(int32); ok {
			v.Epoch = &e
		}
	}
}

func (w *Watcher) controllerEpoch(n *node, r *pipeline.Result) error {
	n.stamp(r.Stat)
	if v, err := decode(n, r.Data); err == nil {
		c := v.(*zkpaths.ControllerEpochZNode)
		n.value = c.ControllerEpoch
	} else {
		n.value = nil
	}
	if !w.synced {
		// The initial view's reads answer in any order: a /controller read
		// first got no epoch; its initial event, held until the view is
		// complete, shares the view filled here.
		if c := w.nodes[zkpaths.Controller]; c != nil {
			if v, ok := c.value.(*ControllerView); ok && v.Epoch == nil {
				w.fillEpoch(v)
			}
		}
	}
	if w.ctrlPending == nil || (n.mzxid < w.ctrlZxid && n.dirty) {
		return nil
	}
	e := *w.ctrlPending
	w.ctrlPending = nil
	if v, ok := e.After.(*ControllerView); ok {
		w.fillEpoch(v)
	}
	return w.emit(e)
}

func (w *Watcher) controllerGone(n *node, existed bool) error {
	prev, _ := n.value.(*ControllerView)
	n.value = nil
	if !n.known || !existed {
		if !w.synced {
			e := w.event(KindController, EventInitial, n.path)
			e.Detail = "no controller"
			return w.emit(e)
		}
		return nil
	}
	if w.ctrlPending != nil {
		p := *w.ctrlPending
		w.ctrlPending = nil
		if err := w.emit(p); err != nil {
			return err
		}
	}
	e := w.event(KindController, EventResigned, n.path)
	if prev != nil {
		e.Before, e.Broker = prev, &prev.BrokerID
	}
	e.Detail = "no controller until the next election"
	return w.emit(e)
}

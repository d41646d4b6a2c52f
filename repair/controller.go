package repair

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// controllerWait is the election a /controller delete starts.
type controllerWait struct {
	oldBroker int32
	oldOwner  int64
	oldCzxid  int64
}

// electController deletes /controller conditioned on its version and its
// owner session, and on /controller_epoch's version (a new controller
// re-creates /controller at version 0 and bumps the epoch): brokers then
// elect a new controller. Never when a KRaft controller holds it.
func (b *builder) electController(f check.Finding) error {
	action := "delete /controller so that a live broker is elected controller"
	if n, ok := b.stepOf["controller"]; ok {
		b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: conditions(b.lastOps(n))})
		return nil
	}
	data, st, err := b.src.Get(b.ctx, zkpaths.Controller)
	if errors.Is(err, zk.ErrNoNode) {
		b.refuse(f, action, "/controller does not exist: an election is already under way or no broker runs")
		return nil
	}
	if err != nil {
		return err
	}
	if kraftController(data) {
		b.refuse(f, action, "a KRaft controller holds /controller (ZK→KRaft migration): never deleted")
		return nil
	}
	n := b.step(f.Rule + ": delete /controller, wait for the election")
	if err := b.w.DeleteOwned(b.ctx, zkpaths.Controller); err != nil {
		b.abandon(n)
		if gone(err) {
			b.refuse(f, action, "/controller went away while planning: an election is under way")
			return nil
		}
		return err
	}
	pre := conditions(b.lastOps(n))
	more, err := b.noNewController(n)
	if err != nil {
		return err
	}
	pre = append(pre, more...)
	c, _ := decodeController(data)
	w := &controllerWait{oldBroker: -1, oldOwner: st.EphemeralOwner, oldCzxid: st.Czxid}
	if c.BrokerID != nil {
		w.oldBroker = *c.BrokerID
	}
	b.p.controller = w
	b.stepOf["controller"] = n
	details := []string{fmt.Sprintf("controller now: broker %d (%s)", w.oldBroker, ownerOf(st.EphemeralOwner))}
	if f.Rule == "controller-not-registered" {
		details = append(details, b.registrations()...)
	}
	if len(b.m.Brokers) == 0 {
		details = append(details, "no broker is registered: nobody will be elected until one starts")
	}
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: pre, Details: details})
	return nil
}

func ownerOf(owner int64) string {
	if owner == 0 {
		return "a persistent znode"
	}
	return fmt.Sprintf("ephemeral, session 0x%x", owner)
}

// Election is the result of waiting for a new controller.
type Election struct {
	OldBroker int32  `json:"old_broker"`
	NewBroker *int32 `json:"new_broker"` // null when none was elected in time
	Waited    string `json:"waited"`
	TimedOut  bool   `json:"timed_out"`
}

// WaitForController watches /controller through the pipeline until a
// controller other than the deleted one holds it, or wait passes.
func (p *Plan) WaitForController(ctx context.Context, src pipeline.LiveSource, wait time.Duration) (*Election, error) {
	if p.controller == nil {
		return nil, nil
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	h := &electionWatch{old: p.controller}
	err := pipeline.Run(ctx, src, pipeline.Options{MaxInFlight: 1, Events: pipeline.Events(ctx, src)}, h,
		pipeline.Fetch{Op: pipeline.OpExists, Path: zkpaths.Controller, Watch: true})
	e := &Election{OldBroker: p.controller.oldBroker, NewBroker: h.elected, Waited: time.Since(start).Round(time.Millisecond).String()}
	switch {
	case h.elected != nil:
		return e, nil
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.TimedOut = true
		return e, nil
	}
	return e, err
}

// electionWatch is the coordinator's handler: exists-watch /controller,
// read it when it appears, stop at a new owner.
type electionWatch struct {
	old     *controllerWait
	elected *int32
}

func (h *electionWatch) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	switch m := msg.(type) {
	case pipeline.WatchFired:
		if m.Path == zkpaths.Controller {
			return []pipeline.Fetch{{Op: pipeline.OpExists, Path: zkpaths.Controller, Watch: true}}, nil
		}
	case *pipeline.Result:
		if m.Err != nil && !errors.Is(m.Err, zk.ErrNoNode) {
			return nil, m.Err
		}
		switch m.Op {
		case pipeline.OpExists:
			if m.Exists && m.Stat.Czxid != h.old.oldCzxid {
				return []pipeline.Fetch{{Op: pipeline.OpGet, Path: zkpaths.Controller}}, nil
			}
		case pipeline.OpGet:
			if m.Err != nil { // gone again: the exists watch fires
				return nil, nil
			}
			c, ok := decodeController(m.Data)
			if ok && c.BrokerID != nil {
				id := *c.BrokerID
				h.elected = &id
				return nil, pipeline.ErrStop
			}
		}
	}
	return nil, nil
}

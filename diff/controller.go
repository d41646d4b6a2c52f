package diff

import (
	"fmt"
	"strconv"

	"github.com/rafka/rafka/cluster"
)

func compareClusterID(a, b *cluster.Model) []Difference {
	ida, idb := clusterID(a), clusterID(b)
	if ida == nil && idb == nil || ida != nil && idb != nil && *ida == *idb {
		return nil
	}
	return []Difference{{Kind: ClusterIDChanged, Section: string(cluster.SectionCluster), Subject: "cluster",
		Path: "/cluster/id", Before: orNil(ida), After: orNil(idb),
		Message: fmt.Sprintf("cluster id %s → %s", orNone(ida), orNone(idb))}}
}

func clusterID(m *cluster.Model) *string {
	if m.Cluster == nil {
		return nil
	}
	return &m.Cluster.ID
}

// controllerValue is a controller in Before/After.
type controllerValue struct {
	BrokerID int32  `json:"broker_id"`
	Epoch    *int32 `json:"epoch"` // /controller_epoch
	// KRaftControllerEpoch is set when a KRaft controller holds /controller
	// (during a ZK→KRaft migration).
	KRaftControllerEpoch *int32 `json:"kraft_controller_epoch,omitempty"`
}

// who names the controller: "broker 1", or "KRaft controller 3000".
func (c *controllerValue) who() string {
	if c.KRaftControllerEpoch != nil {
		return "KRaft controller " + strconv.Itoa(int(c.BrokerID))
	}
	return "broker " + strconv.Itoa(int(c.BrokerID))
}

func (c *controllerValue) String() string {
	if c == nil {
		return "none"
	}
	s := c.who()
	if c.Epoch != nil {
		s += fmt.Sprintf(" (epoch %d)", *c.Epoch)
	}
	if c.KRaftControllerEpoch != nil {
		s += fmt.Sprintf(" (KRaft epoch %d)", *c.KRaftControllerEpoch)
	}
	return s
}

func electedController(c *cluster.Controller) *controllerValue {
	if c == nil || !c.Elected || c.ControllerZNode == nil {
		return nil
	}
	v := &controllerValue{BrokerID: c.BrokerID, Epoch: c.Epoch}
	if e := c.KRaftControllerEpoch; e != nil && *e != -1 {
		v.KRaftControllerEpoch = e
	}
	return v
}

// compareController reports a new controller (or none), and the same
// broker elected again (a new controller epoch).
func compareController(ca, cb *cluster.Controller) []Difference {
	a, b := electedController(ca), electedController(cb)
	d := Difference{Section: string(cluster.SectionController), Subject: "controller", Path: "/controller"}
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil || a.BrokerID != b.BrokerID || (a.KRaftControllerEpoch == nil) != (b.KRaftControllerEpoch == nil):
		d.Kind, d.Before, d.After = ControllerMoved, orNil(a), orNil(b)
		switch {
		case b == nil:
			d.Message = fmt.Sprintf("no controller elected (was %s)", a)
		case a == nil:
			d.Message = fmt.Sprintf("controller elected: %s (none before)", b)
		default:
			d.Message = fmt.Sprintf("controller moved from %s to %s", a, b)
		}
	case !equalPtr(a.Epoch, b.Epoch) || !equalPtr(a.KRaftControllerEpoch, b.KRaftControllerEpoch):
		d.Kind, d.Before, d.After = ControllerReelected, a, b
		d.Message = fmt.Sprintf("%s elected controller again: %s → %s", a.who(), a, b)
	default:
		return nil
	}
	return []Difference{d}
}

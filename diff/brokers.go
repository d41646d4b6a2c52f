package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// brokerValue is a registration in Before/After of broker-joined and -left.
type brokerValue struct {
	Endpoints   []string `json:"endpoints"`
	Rack        *string  `json:"rack"`
	BrokerEpoch int64    `json:"broker_epoch"`
}

func endpoints(b *cluster.Broker) []string {
	out := make([]string, len(b.Endpoints))
	for i, e := range b.Endpoints {
		out[i] = e.String()
	}
	slices.Sort(out)
	return out
}

var brokerPath = zkpaths.BrokerPath

// compareBrokers reports registrations that appeared or went, were made
// again (a new broker epoch: the znode's czxid), or changed their
// endpoints or rack. Other registration fields (timestamp, jmx port,
// format version, features) are not compared.
func compareBrokers(a, b []*cluster.Broker) []Difference {
	byID := func(list []*cluster.Broker) map[int32]*cluster.Broker {
		m := map[int32]*cluster.Broker{}
		for _, x := range list {
			m[x.BrokerID] = x
		}
		return m
	}
	ma, mb := byID(a), byID(b)
	var all []int32
	for id := range ma {
		all = append(all, id)
	}
	for id := range mb {
		if ma[id] == nil {
			all = append(all, id)
		}
	}
	slices.Sort(all)
	var out []Difference
	for _, id := range all {
		out = append(out, compareBroker(id, ma[id], mb[id])...)
	}
	return out
}

func compareBroker(id int32, a, b *cluster.Broker) []Difference {
	base := Difference{Section: string(cluster.SectionBrokers), Subject: "broker " + strconv.Itoa(int(id)), Path: brokerPath(id)}
	with := func(kind Kind, before, after any, format string, args ...any) Difference {
		d := base
		d.Kind, d.Before, d.After, d.Message = kind, before, after, fmt.Sprintf(format, args...)
		return d
	}
	switch {
	case a == nil:
		v := brokerValue{Endpoints: endpoints(b), Rack: b.Rack, BrokerEpoch: b.BrokerEpoch}
		return []Difference{with(BrokerJoined, nil, v, "broker %d registered: %s%s", id, strings.Join(v.Endpoints, " "), rackNote(b.Rack))}
	case b == nil:
		v := brokerValue{Endpoints: endpoints(a), Rack: a.Rack, BrokerEpoch: a.BrokerEpoch}
		return []Difference{with(BrokerLeft, v, nil, "broker %d is no longer registered (was %s%s)", id, strings.Join(v.Endpoints, " "), rackNote(a.Rack))}
	}
	var out []Difference
	if a.BrokerEpoch != b.BrokerEpoch {
		out = append(out, with(BrokerReregistered, a.BrokerEpoch, b.BrokerEpoch,
			"broker %d registered again (broker epoch %d → %d): it restarted or its ZooKeeper session expired", id, a.BrokerEpoch, b.BrokerEpoch))
	}
	if ea, eb := endpoints(a), endpoints(b); !slices.Equal(ea, eb) {
		out = append(out, with(BrokerEndpointChanged, ea, eb, "broker %d endpoints: %s → %s", id, strings.Join(ea, " "), strings.Join(eb, " ")))
	}
	if !equalPtr(a.Rack, b.Rack) {
		out = append(out, with(BrokerRackChanged, orNil(a.Rack), orNil(b.Rack), "broker %d rack: %s → %s", id, orNone(a.Rack), orNone(b.Rack)))
	}
	return out
}

func rackNote(rack *string) string {
	if rack == nil {
		return ""
	}
	return " in rack " + *rack
}

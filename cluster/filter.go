package cluster

import (
	"regexp"
	"strconv"

	"github.com/rafka/rafka/zkpaths"
)

// Filter selects rows to show. It never changes a verdict: Model.Assess
// runs on the whole cluster first, and Apply only hides rows and counts
// what it hid.
type Filter struct {
	Topic  *regexp.Regexp // nil: every topic
	Broker *int32         // nil: every broker
	// Problems keeps only partitions with a problem (dump --problems, as
	// kafka-topics --under-replicated-partitions/--unavailable-partitions):
	// Partition.HasProblems, the one health computation's verdict.
	Problems bool
}

// HasProblems reports whether the health computation (Model.Assess) found
// anything wrong with the partition: the row --problems keeps.
func (p *Partition) HasProblems() bool { return len(p.Problems) > 0 }

// Hidden is what a filter hid.
type Hidden struct {
	Topics                 int `json:"topics"`
	Partitions             int `json:"partitions"`
	PartitionsWithProblems int `json:"partitions_with_problems"`
	Brokers                int `json:"brokers"`
	TopicConfigs           int `json:"topic_configs"`
	BrokerConfigs          int `json:"broker_configs"`
	// Broker is the id --broker asked for; BrokerNotRegistered says it has
	// no registration (its partitions are still shown).
	Broker              *int32 `json:"broker,omitempty"`
	BrokerNotRegistered bool   `json:"broker_not_registered,omitempty"`
}

// Empty reports whether the filter selects everything.
func (f Filter) Empty() bool { return f.Topic == nil && f.Broker == nil && !f.Problems }

// Apply hides the rows f does not select and records what it hid in
// m.Hidden. Call it after Assess.
func (m *Model) Apply(f Filter) {
	if f.Empty() {
		return
	}
	h := &Hidden{}
	m.Hidden = h
	if f.Broker != nil {
		id := *f.Broker
		h.Broker = &id
		brokers := m.Brokers[:0]
		found := false
		for _, b := range m.Brokers {
			if b.BrokerID == id {
				brokers, found = append(brokers, b), true
			} else {
				h.Brokers++
			}
		}
		m.Brokers = brokers
		if m.health != nil {
			found, _ = m.health.Registered(id)
		}
		if !found && !m.brokerZnodeErrored(id) {
			h.BrokerNotRegistered = true
		}
		for name := range m.Configs.Brokers {
			if name != strconv.Itoa(int(id)) && name != zkpaths.DefaultEntity {
				delete(m.Configs.Brokers, name)
				h.BrokerConfigs++
			}
		}
	}
	topics := m.Topics[:0]
	for _, t := range m.Topics {
		if f.Topic != nil && !f.Topic.MatchString(t.Name) {
			h.hide(t.Partitions)
			h.Topics++
			continue
		}
		parts := t.Partitions
		if f.Broker != nil || f.Problems {
			parts = parts[:0:0]
			for _, p := range t.Partitions {
				if (f.Broker == nil || hosts(p, *f.Broker)) && (!f.Problems || p.HasProblems()) {
					parts = append(parts, p)
				} else {
					h.hide([]Partition{p})
				}
			}
		}
		if (f.Broker != nil || f.Problems) && len(parts) == 0 {
			h.Topics++
			continue
		}
		t.Partitions = parts
		topics = append(topics, t)
	}
	m.Topics = topics
	if f.Topic != nil {
		for name := range m.Configs.Topics {
			if !f.Topic.MatchString(name) {
				delete(m.Configs.Topics, name)
				h.TopicConfigs++
			}
		}
	}
}

func (h *Hidden) hide(parts []Partition) {
	for _, p := range parts {
		h.Partitions++
		if len(p.Problems) > 0 {
			h.PartitionsWithProblems++
		}
	}
}

// brokerZnodeErrored: /brokers/ids/<id> exists but could not be read or
// decoded (errors[] lists it): registered, though not shown.
func (m *Model) brokerZnodeErrored(id int32) bool {
	path := zkpaths.BrokerPath(id)
	for _, e := range m.Errors {
		if e.Path == path {
			return true
		}
	}
	return false
}

// OnlyBroker keeps broker id and the partitions it is a replica of, or
// leads, or is in the ISR of.
func (m *Model) OnlyBroker(id int32) { m.Apply(Filter{Broker: &id}) }

func hosts(p Partition, id int32) bool {
	if p.Leader != nil && *p.Leader == id {
		return true
	}
	for _, list := range [][]int32{p.Replicas, p.ISR, p.AddingReplicas, p.RemovingReplicas} {
		for _, r := range list {
			if r == id {
				return true
			}
		}
	}
	return false
}

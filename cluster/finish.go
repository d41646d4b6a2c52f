package cluster

import (
	"sort"

	"github.com/rafka/rafka/zkpaths"
)

// model assembles what was read, in a stable order.
func (b *builder) model() *Model {
	m := b.m
	if b.controller != nil || b.epoch != nil {
		c := &Controller{ControllerZNode: b.controller, Elected: b.controller != nil}
		if b.ctrlStat != nil {
			c.Ephemeral = b.ctrlStat.EphemeralOwner != 0
		}
		if b.epoch != nil {
			e, v := b.epoch.ControllerEpoch, b.epochStat.Version
			c.Epoch, c.EpochZkVersion = &e, &v
		}
		m.Controller = c
	}
	m.Features = b.feature
	sort.Slice(m.Brokers, func(i, j int) bool { return m.Brokers[i].BrokerID < m.Brokers[j].BrokerID })
	marked := map[string]bool{}
	for _, t := range m.Admin.DeleteTopics {
		marked[t] = true
	}
	sort.Strings(m.Admin.DeleteTopics)
	m.Topics = make([]Topic, 0, len(b.topics))
	for name, parts := range b.topics {
		m.Topics = append(m.Topics, parts.topic(name, marked[name]))
	}
	b.topics = nil
	sort.Slice(m.Topics, func(i, j int) bool { return m.Topics[i].Name < m.Topics[j].Name })
	sort.Slice(m.ACLs, func(i, j int) bool {
		a, c := m.ACLs[i].ACLResource, m.ACLs[j].ACLResource
		if a.PatternType != c.PatternType {
			return a.PatternType < c.PatternType
		}
		if a.ResourceType != c.ResourceType {
			return a.ResourceType < c.ResourceType
		}
		return a.ResourceName < c.ResourceName
	})
	for _, q := range []*[]Notification{&m.Notifications.ConfigChanges, &m.Notifications.ISRChanges,
		&m.Notifications.LogDirEvents, &m.Notifications.ACLChanges, &m.Notifications.ExtendedACLChanges,
		&m.Notifications.TokenChanges} {
		sort.Slice(*q, func(i, j int) bool { return (*q)[i].Name < (*q)[j].Name })
	}
	sort.Slice(m.Admin.ConsumerOffsets, func(i, j int) bool {
		a, c := m.Admin.ConsumerOffsets[i], m.Admin.ConsumerOffsets[j]
		if a.Group != c.Group {
			return a.Group < c.Group
		}
		if a.Topic != c.Topic {
			return a.Topic < c.Topic
		}
		return a.Partition < c.Partition
	})
	sort.Slice(m.DelegationTokens, func(i, j int) bool { return m.DelegationTokens[i].TokenID < m.DelegationTokens[j].TokenID })
	sort.Strings(m.UnknownZnodes)
	sort.Slice(m.Errors, func(i, j int) bool { return m.Errors[i].Path < m.Errors[j].Path })
	return m
}

// topic joins the assignment and the states read for one topic.
func (t *topicParts) topic(name string, marked bool) Topic {
	out := Topic{Name: name, MarkedForDeletion: marked}
	ids := map[int32]bool{}
	if a := t.assignment; a != nil {
		out.TopicID, out.Version, out.Warnings = a.TopicID, a.Version, a.Warnings
		for p := range a.Partitions {
			ids[p] = true
		}
	}
	for p := range t.states {
		ids[p] = true
	}
	for p := range t.missing {
		ids[p] = true
	}
	out.Partitions = make([]Partition, 0, len(ids))
	for p := range ids {
		out.Partitions = append(out.Partitions, t.partition(p))
	}
	sort.Slice(out.Partitions, func(i, j int) bool { return out.Partitions[i].Partition < out.Partitions[j].Partition })
	return out
}

func (t *topicParts) partition(p int32) Partition {
	out := Partition{Partition: p}
	if a := t.assignment; a != nil {
		replicas, assigned := a.Partitions[p]
		out.Replicas, out.Unassigned = replicas, !assigned
		out.AddingReplicas, out.RemovingReplicas = a.AddingReplicas[p], a.RemovingReplicas[p]
	} else {
		out.Unassigned = true
	}
	s := t.states[p]
	switch {
	case s != nil:
		out.Leader, out.LeaderEpoch, out.ISR = &s.Leader, &s.LeaderEpoch, s.ISR
		out.ControllerEpoch, out.PartitionEpoch = &s.ControllerEpoch, &s.PartitionEpoch
		out.LeaderRecoveryState, out.Warnings = s.LeaderRecoveryState, s.Warnings
	case t.missing[p]:
		out.StateMissing = true
	}
	return out
}

// Redact hides secrets: SCRAM credentials and password-like configs, and
// anything secret-looking in delegation tokens.
func (m *Model) Redact() {
	for _, entities := range []map[string]map[string]string{m.Configs.Users, m.Configs.Brokers,
		m.Configs.Clients, m.Configs.Topics, m.Configs.IPs, m.Configs.UserClients} {
		for _, cfg := range entities {
			for k, v := range cfg {
				if zkpaths.IsSecretConfig(k, v) {
					cfg[k] = zkpaths.Redacted
				}
			}
		}
	}
	for _, t := range m.DelegationTokens {
		t.Redact()
	}
}

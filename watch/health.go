package watch

import (
	"strconv"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// verdict judges a partition with the one health computation
// (cluster.Health, shared with dump and check) on what the watch holds:
// the broker registrations, the topic's assignment, the deletion markers,
// /controller_epoch, and the configs it has read. It needs the brokers: ""
// when they are not watched (--kinds without brokers), and before the
// view is complete (initial events, a resync): a verdict on half a view
// would invent outages.
func (w *Watcher) verdict(topic string, part int32, v *PartitionView) (string, []string) {
	if !w.on(KindBrokers) || !w.synced || w.resyncing {
		return "", nil
	}
	m := &cluster.Model{Configs: cluster.Configs{Topics: map[string]map[string]string{}, Brokers: map[string]map[string]string{}}}
	p := cluster.Partition{Partition: part, Unassigned: true}
	assigned := 0
	if n := w.nodes[zkpaths.TopicPath(topic)]; n != nil {
		if a, ok := n.value.(*zkpaths.TopicAssignment); ok && a != nil {
			assigned = len(a.Partitions) // as the dump's model counts them: O(1) per event
			replicas, assigned := a.Partitions[part]
			p.Replicas, p.Unassigned = replicas, !assigned
			p.AddingReplicas, p.RemovingReplicas = a.AddingReplicas[part], a.RemovingReplicas[part]
		} else if n.exists && n.known && w.on(KindTopics) {
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: n.path, Kind: cluster.ErrorMalformed, KafkaBehavior: "rejects", Error: "the assignment cannot be decoded"})
		}
	}
	leader, epoch, cepoch := v.Leader, v.LeaderEpoch, v.ControllerEpoch
	p.Leader, p.LeaderEpoch, p.ControllerEpoch, p.ISR = &leader, &epoch, &cepoch, v.ISR
	ids := append(append([]int32{leader}, p.Replicas...), v.ISR...)
	seen := map[int32]bool{}
	for _, id := range ids {
		if seen[id] || id < 0 {
			continue
		}
		seen[id] = true
		n := w.nodes[zkpaths.BrokerPath(id)]
		switch {
		case n == nil || !n.exists:
		case n.value == nil:
			m.Errors = append(m.Errors, cluster.ZnodeError{Path: n.path, Kind: cluster.ErrorMalformed, KafkaBehavior: "rejects", Error: "the registration cannot be decoded"})
		default:
			if reg, ok := n.value.(*zkpaths.BrokerRegistration); ok {
				m.Brokers = append(m.Brokers, reg)
			}
		}
	}
	t := cluster.Topic{Name: topic, Partitions: []cluster.Partition{p}}
	if n := w.nodes[zkpaths.DeleteTopics]; n != nil {
		if _, marked := n.kids[topic]; marked {
			t.MarkedForDeletion = true
			m.Admin.DeleteTopics = []string{topic}
		}
	}
	if n := w.nodes[zkpaths.ControllerEpoch]; n != nil && n.exists {
		if e, ok := n.value.(int32); ok {
			m.Controller = &cluster.Controller{Epoch: &e}
		}
	}
	for _, path := range []string{zkpaths.ConfigEntityPath("topics", topic), zkpaths.ConfigEntityPath("brokers", zkpaths.DefaultEntity),
		zkpaths.ConfigEntityPath("brokers", strconv.Itoa(int(leader)))} {
		if n := w.nodes[path]; n != nil {
			if cfg, ok := n.value.(map[string]string); ok {
				ent, _ := zkpaths.ParseConfigEntityPath(path)
				if ent.Type == "topics" {
					m.Configs.Topics[ent.Name] = cfg
				} else {
					m.Configs.Brokers[ent.Name] = cfg
				}
			}
		}
	}
	health := cluster.NewHealth(m, cluster.DefaultHealthSettings)
	health.AssignedCount(topic, assigned)
	h := health.Partition(&t, &t.Partitions[0])
	var problems []string
	for _, c := range h.Conditions {
		problems = append(problems, c.Rule)
	}
	return h.Status(), problems
}

package check

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

var partitionRules = []Rule{
	{
		Name: "offline-partition", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition has no leader (leader -1), or its leader is not a registered broker",
		Explanation: "Nobody can produce to or consume from an offline partition. Kafka counts topics queued for " +
			"deletion out (as its OfflinePartitionsCount does), and so does this rule.",
		eval: checkOfflinePartitions,
	},
	{
		Name: "under-replicated-partition", Family: FamilyPartitions, Severity: Warning,
		Summary: "a partition's ISR is smaller than its replicas (not counting replicas being added by a reassignment)",
		Explanation: "A replica out of the ISR is down or lagging; one more failure may take the partition offline " +
			"or below min.insync.replicas. Offline partitions are left to offline-partition.",
		eval: checkUnderReplicated,
	},
	{
		Name: "under-min-isr", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition's ISR is smaller than min.insync.replicas (topic config, else /config/brokers/<leader>, else /config/brokers/<default>, else --min-insync-replicas)",
		Explanation: "Producers using acks=all get NotEnoughReplicas: writes to the partition fail. A " +
			"min.insync.replicas above the replication factor means they can never succeed.",
		eval: checkUnderMinISR,
	},
	{
		Name: "replica-on-unregistered-broker", Family: FamilyPartitions, Severity: Warning,
		Summary: "assignments place replicas on a broker id that is not registered (one finding per broker)",
		Explanation: "The broker is down, or gone for good with its replicas never moved. Its partitions run with " +
			"fewer replicas than assigned until it returns or they are reassigned.",
		eval: checkReplicasOnUnregisteredBrokers,
	},
	{
		Name: "leader-not-in-isr", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition's leader is not in its ISR",
		Explanation: "The controller only ever elects a leader from the ISR, so the state znode was edited or " +
			"restored by hand. Followers and the controller act on an inconsistent state.",
		eval: checkLeaderNotInISR,
	},
	{
		Name: "preferred-leader-imbalance", Family: FamilyPartitions, Severity: Info,
		Summary: "a broker leads too few of the partitions it is the preferred replica of (above --leader-imbalance-percentage, Kafka's leader.imbalance.per.broker.percentage, default 10)",
		Explanation: "Kafka's own measure, per broker: of the partitions whose first replica is the broker (topics " +
			"being deleted left out), the share led by another broker (offline partitions are not counted as " +
			"led elsewhere: offline-partition reports them). Load concentrates on the other " +
			"leaders. With auto.leader.rebalance.enable=true (the default) the controller corrects it every " +
			"leader.imbalance.check.interval.seconds (300), so a single reading may catch it in passing: info.",
		eval: checkLeaderImbalance,
	},
}

// forEachLivePartition calls f for every partition the assignment names
// and that has a readable state.
func (v *view) forEachLivePartition(f func(t *cluster.Topic, p *cluster.Partition)) {
	for i := range v.m.Topics {
		t := &v.m.Topics[i]
		for j := range t.Partitions {
			p := &t.Partitions[j]
			if p.Replicas != nil && p.Leader != nil {
				f(t, p)
			}
		}
	}
}

// offline reports whether a partition has no usable leader.
func (v *view) offline(p *cluster.Partition) bool {
	return *p.Leader < 0 || !v.registered[*p.Leader]
}

func checkOfflinePartitions(v *view) []Finding {
	var out []Finding
	v.forEachLivePartition(func(t *cluster.Topic, p *cluster.Partition) {
		if t.MarkedForDeletion || !v.offline(p) {
			return
		}
		f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition)}
		switch leader := *p.Leader; {
		case leader == -1:
			f.Message = "no leader (leader -1)"
		case leader < 0:
			f.Message = fmt.Sprintf("leader %d (deletion in progress) but the topic is not marked for deletion", leader)
		default:
			f.Message = fmt.Sprintf("leader %d is not a registered broker", leader)
		}
		f.Message += fmt.Sprintf("; replicas %s, ISR %s", ids(p.Replicas), ids(p.ISR))
		liveISR := without(p.ISR, v.unregistered(p.ISR))
		liveReplicas := without(p.Replicas, v.unregistered(p.Replicas))
		switch {
		case len(liveISR) > 0:
			f.Hint = fmt.Sprintf("In-sync replica %s is registered, so the controller should have elected it: check that there is a controller and read its state-change log.", ids(liveISR))
		case len(liveReplicas) > 0:
			f.Hint = fmt.Sprintf("No in-sync replica is registered: bring back broker %s to recover without data loss. As a last resort an unclean election (kafka-leader-election --election-type unclean) makes out-of-sync replica %s leader and loses what it lacks.", ids(p.ISR), ids(liveReplicas))
		default:
			f.Hint = fmt.Sprintf("None of its replicas %s is registered: bring back their brokers, the ISR %s first.", ids(p.Replicas), ids(p.ISR))
		}
		out = append(out, f)
	})
	return out
}

// expectedReplicas are the replicas that should be in the ISR: during a
// reassignment, the adding ones are still catching up (Kafka's
// replicationFactor keeps the original replicas' count).
func expectedReplicas(p *cluster.Partition) []int32 {
	if len(p.AddingReplicas) == 0 {
		return p.Replicas
	}
	return without(p.Replicas, p.AddingReplicas)
}

func checkUnderReplicated(v *view) []Finding {
	var out []Finding
	v.forEachLivePartition(func(t *cluster.Topic, p *cluster.Partition) {
		want := expectedReplicas(p)
		if v.offline(p) || len(p.ISR) >= len(want) {
			return
		}
		out = append(out, Finding{
			Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition),
			Message: fmt.Sprintf("ISR %s is smaller than replicas %s: %s out of sync", ids(p.ISR), ids(want), ids(without(want, p.ISR))),
			Hint:    "A replica leaves the ISR when its broker is down or lags more than replica.lag.time.max.ms: look at the brokers missing from the ISR (down, disk, network).",
		})
	})
	return out
}

// minISR is an effective min.insync.replicas and where it comes from.
type minISR struct {
	value  int
	source string
}

// minISRs resolves min.insync.replicas as a partition's leader does:
// topic override, then the leader's dynamic config, then the cluster-wide
// dynamic default, then the static default.
type minISRs struct {
	byBroker map[int32]minISR
	fallback minISR
}

func (v *view) minISRs() minISRs {
	r := minISRs{byBroker: map[int32]minISR{}, fallback: minISR{v.s.MinInsyncReplicas, "static broker default"}}
	if r.fallback.value < 1 {
		r.fallback.value = 1
	}
	for name, cfg := range v.m.Configs.Brokers {
		n, ok := configInt(cfg, "min.insync.replicas")
		if !ok {
			continue
		}
		if name == zkpaths.DefaultEntity {
			r.fallback = minISR{n, zkpaths.ConfigEntityPath("brokers", name)}
		} else if id, err := strconv.ParseInt(name, 10, 32); err == nil {
			r.byBroker[int32(id)] = minISR{n, zkpaths.ConfigEntityPath("brokers", name)}
		}
	}
	return r
}

func (r minISRs) forLeader(leader int32) minISR {
	if m, ok := r.byBroker[leader]; ok {
		return m
	}
	return r.fallback
}

func configInt(cfg map[string]string, key string) (int, bool) {
	s, ok := cfg[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func checkUnderMinISR(v *view) []Finding {
	var out []Finding
	brokers := v.minISRs()
	var topic string
	var override *minISR
	v.forEachLivePartition(func(t *cluster.Topic, p *cluster.Partition) {
		if t.Name != topic {
			topic, override = t.Name, nil
			if n, ok := configInt(v.m.Configs.Topics[t.Name], "min.insync.replicas"); ok {
				override = &minISR{n, "topic config"}
			}
		}
		if v.offline(p) {
			return
		}
		need := brokers.forLeader(*p.Leader)
		if override != nil {
			need = *override
		}
		if len(p.ISR) >= need.value {
			return
		}
		f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition)}
		want := expectedReplicas(p)
		if need.value > len(want) {
			f.Message = fmt.Sprintf("min.insync.replicas=%d (%s) is above the replication factor %d: acks=all writes can never succeed", need.value, need.source, len(want))
			f.Hint = "Lower min.insync.replicas for this topic or add replicas (kafka-reassign-partitions)."
		} else {
			f.Message = fmt.Sprintf("ISR %s has fewer than min.insync.replicas=%d (%s) replicas: acks=all producers get NotEnoughReplicas", ids(p.ISR), need.value, need.source)
			f.Hint = fmt.Sprintf("Bring replica %s back in sync (see under-replicated-partition); lowering min.insync.replicas trades durability for availability.", ids(without(want, p.ISR)))
		}
		out = append(out, f)
	})
	return out
}

func checkReplicasOnUnregisteredBrokers(v *view) []Finding {
	hosted := map[int32][]string{}
	for _, t := range v.m.Topics {
		for _, p := range t.Partitions {
			for _, r := range p.Replicas {
				if !v.registered[r] {
					hosted[r] = append(hosted[r], topicPartition(t.Name, p.Partition))
				}
			}
		}
	}
	brokers := make([]int32, 0, len(hosted))
	for id := range hosted {
		brokers = append(brokers, id)
	}
	sort.Slice(brokers, func(i, j int) bool { return brokers[i] < brokers[j] })
	var out []Finding
	for _, id := range brokers {
		parts := hosted[id]
		out = append(out, Finding{
			Subject: brokerSubject(id), Path: brokerPath(id),
			Message: fmt.Sprintf("broker %d is not registered but is a replica of %s: %s", id, plural(len(parts), "partition", "partitions"), examples(parts, 5)),
			Hint:    fmt.Sprintf("If broker %d is down, bring it back; if it is gone for good, move its replicas to live brokers with kafka-reassign-partitions.", id),
		})
	}
	return out
}

func checkLeaderNotInISR(v *view) []Finding {
	var out []Finding
	v.forEachLivePartition(func(t *cluster.Topic, p *cluster.Partition) {
		leader := *p.Leader
		if leader < 0 || contains(p.ISR, leader) {
			return
		}
		msg := fmt.Sprintf("leader %d is not in ISR %s", leader, ids(p.ISR))
		if !contains(p.Replicas, leader) {
			msg += fmt.Sprintf(", nor in replicas %s", ids(p.Replicas))
		}
		out = append(out, Finding{
			Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition),
			Message: msg,
			Hint:    "The controller never writes this: restore the state znode from a snapshot, or rewrite it with a leader from the ISR and a higher leader_epoch (setData), then delete /controller so that the new controller reloads it.",
		})
	})
	return out
}

func checkLeaderImbalance(v *view) []Finding {
	type tally struct {
		preferred int
		elsewhere []string
	}
	byBroker := map[int32]*tally{}
	v.forEachLivePartition(func(t *cluster.Topic, p *cluster.Partition) {
		if t.MarkedForDeletion || len(p.Replicas) == 0 {
			return
		}
		b := p.Replicas[0]
		c := byBroker[b]
		if c == nil {
			c = &tally{}
			byBroker[b] = c
		}
		c.preferred++
		// Unlike Kafka's ratio, offline partitions do not count as led
		// elsewhere: offline-partition reports them.
		if *p.Leader != b && !v.offline(p) {
			c.elsewhere = append(c.elsewhere, topicPartition(t.Name, p.Partition))
		}
	})
	brokers := make([]int32, 0, len(byBroker))
	for id := range byBroker {
		brokers = append(brokers, id)
	}
	sort.Slice(brokers, func(i, j int) bool { return brokers[i] < brokers[j] })
	threshold := v.s.LeaderImbalancePercent
	var out []Finding
	for _, id := range brokers {
		c := byBroker[id]
		// Kafka: imbalanceRatio > leader.imbalance.per.broker.percentage / 100.
		if !v.registered[id] || len(c.elsewhere)*100 <= threshold*c.preferred {
			continue
		}
		out = append(out, Finding{
			Subject: brokerSubject(id), Path: brokerPath(id),
			Message: fmt.Sprintf("broker %d is the preferred leader of %s but another broker leads %d of them (%d%%, above %d%%): %s",
				id, plural(c.preferred, "partition", "partitions"), len(c.elsewhere), len(c.elsewhere)*100/c.preferred, threshold, examples(c.elsewhere, 5)),
			Hint: "With auto.leader.rebalance.enable=true the controller moves leaders back within leader.imbalance.check.interval.seconds; if it persists, run kafka-leader-election --election-type preferred --all-topic-partitions.",
		})
	}
	return out
}

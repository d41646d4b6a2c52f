package check

import (
	"fmt"
	"sort"

	"github.com/rafka/rafka/cluster"
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
		Summary: "a partition's leader is not in its ISR, or not one of its replicas",
		Explanation: "The controller only ever elects a leader from assignment ∩ ISR (PartitionStateMachine.scala:533, " +
			"Election.scala:36-42), so the state znode was edited or restored by hand. Followers and the controller " +
			"act on an inconsistent state; a leader that is not one of the replicas ignores the LeaderAndIsr request " +
			"(\"itself is not in assigned replica list\", server/ReplicaManager.scala:1989-1999), so no broker serves " +
			"the partition as leader although the controller counts it online (PartitionStateMachine.scala:91).",
		eval: checkLeaderNotInISR,
	},
	{
		Name: "invalid-replica-list", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition's assignment is one Kafka never writes: no replicas, a replica twice, adding or removing replicas outside the replicas, or a replica both added and removed",
		Explanation: "Kafka writes assignments only through ReplicaAssignment (core/.../controller/ControllerContext.scala:42-55): " +
			"distinct replicas, adding/removing drawn from them (originReplicas = replicas diff adding, :46). With no " +
			"replica the controller's New→Online transition fails (\"No assigned replica is alive\", " +
			"PartitionStateMachine.scala:281-289) and elections find nobody (PartitionStateMachine.scala:533); a " +
			"duplicate counts the broker twice toward the replication factor; a reassignment whose adding/removing " +
			"replicas are outside the replicas never completes as the operator meant.",
		eval: conditionRule(cluster.RuleInvalidReplicaList, func(t string, _ int32) string { return topicPath(t) },
			"Rewrite the topic's assignment with kafka-reassign-partitions (distinct live brokers per partition); never hand-edit /brokers/topics/<topic>."),
	},
	{
		Name: "partition-number-gap", Family: FamilyPartitions, Severity: Error,
		Summary: "a topic's assignment names a partition outside 0..n-1 (n: the partitions it names)",
		Explanation: "Kafka numbers a topic's partitions 0..n-1. Adding partitions numbers the new ones from n " +
			"(AdminZkClient.createNewPartitionsAssignment, core/.../zk/AdminZkClient.scala:264 and :279), so they " +
			"collide with the out-of-range ones and replace their assignment; without a partition 0 it fails " +
			"outright (\"partition id 0 is missing\", :259-262). Clients see a topic whose partition count does not " +
			"match its partition ids.",
		eval: conditionRule(cluster.RulePartitionNumbering, func(t string, _ int32) string { return topicPath(t) },
			"Restore the topic's assignment from a snapshot (or recreate the topic); never renumber partitions by hand."),
	},
	{
		Name: "isr-outside-replicas", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition's ISR names a broker that is not one of its replicas, or a broker twice",
		Explanation: "The controller builds an ISR only from the assignment (initial ISR = live replicas, " +
			"PartitionStateMachine.scala:291; elections pick assignment ∩ ISR, PartitionStateMachine.scala:533) but " +
			"keeps every live ISR member it finds (Election.scala:42): a non-replica in the ISR is never elected and " +
			"holds no data, so the partition has fewer in-sync replicas than the ISR's size says (dump and check " +
			"count ISR ∩ replicas: under-replicated, under-min-isr).",
		eval: conditionRule(cluster.RuleISROutsideReplicas, statePath,
			"Restore the state znode from a snapshot, or rewrite its isr with members of the replicas only and a higher leader_epoch, then delete /controller so that the new controller reloads it."),
	},
	{
		Name: "invalid-partition-epoch", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition state carries a negative leader_epoch or controller_epoch, or a leader below -2",
		Explanation: "Kafka starts leader epochs at 0 (LeaderAndIsr.InitialLeaderEpoch, core/.../api/LeaderAndIsr.scala:24) " +
			"and only increments them (:66); -1 and -2 are the \"no epoch\" and \"during delete\" sentinels a broker " +
			"treats specially (ReplicaManager.scala:527-529), and leaders are broker ids, -1 or -2 (:26-28). A broker " +
			"that already has an epoch ignores a LeaderAndIsr with a smaller one (ReplicaManager.scala:2002-2008).",
		eval: conditionRule(cluster.RuleInvalidPartitionEpoch, statePath,
			"Restore the state znode from a snapshot, or rewrite it with the partition's last leader_epoch + 1 and the current /controller_epoch, then delete /controller."),
	},
	{
		Name: "leader-registration-malformed", Family: FamilyPartitions, Severity: Error,
		Summary: "a partition's leader is a broker whose registration Kafka cannot decode",
		Explanation: "The registration exists (the broker's session holds it), so the partition is not offline, but " +
			"the controller cannot read it: BrokerIdZNode.decode throws inside getAllBrokerAndEpochsInCluster " +
			"(core/.../zk/KafkaZkClient.scala:590-598). Broker changes then fail (KafkaController.scala:1612, logged " +
			"at :2662) and every controller failover fails in initializeControllerContext (:953): elect() resigns " +
			"at once (:1576-1580), so the cluster is left without a working controller. malformed-znode reports the " +
			"registration itself.",
		eval: conditionRule(cluster.RuleLeaderRegistrationBroke, statePath,
			"Restart the broker so that it registers again (a broker writes a valid registration); do not delete /controller before that."),
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
func (v *view) offline(p *cluster.Partition) bool { return v.health.Offline(p) }

func checkOfflinePartitions(v *view) []Finding {
	var out []Finding
	v.forEachWith(cluster.RuleOfflinePartition, func(t *cluster.Topic, p *cluster.Partition, c cluster.Condition) {
		f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition), Message: c.Detail}
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
var expectedReplicas = cluster.ExpectedReplicas

func checkUnderReplicated(v *view) []Finding {
	var out []Finding
	v.forEachWith(cluster.RuleUnderReplicated, func(t *cluster.Topic, p *cluster.Partition, _ cluster.Condition) {
		want := expectedReplicas(p)
		missing := without(want, v.health.InSync(p))
		msg := fmt.Sprintf("ISR %s is smaller than replicas %s: %s out of sync", ids(p.ISR), ids(want), ids(missing))
		if dead := v.unregistered(p.ISR); len(p.ISR) >= len(want) && len(dead) > 0 {
			msg = fmt.Sprintf("ISR %s names broker %s, which is not registered: %s out of sync of replicas %s", ids(p.ISR), ids(dead), ids(missing), ids(want))
		}
		out = append(out, Finding{
			Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition),
			Message: msg,
			Hint:    "A replica leaves the ISR when its broker is down or lags more than replica.lag.time.max.ms: look at the brokers missing from the ISR (down, disk, network).",
		})
	})
	return out
}

func checkUnderMinISR(v *view) []Finding {
	var out []Finding
	v.forEachWith(cluster.RuleUnderMinISR, func(t *cluster.Topic, p *cluster.Partition, _ cluster.Condition) {
		need, source := v.health.MinISR(t.Name, *p.Leader)
		f := Finding{Subject: topicPartition(t.Name, p.Partition), Path: statePath(t.Name, p.Partition)}
		want := expectedReplicas(p)
		if need > len(want) {
			f.Message = fmt.Sprintf("min.insync.replicas=%d (%s) is above the replication factor %d: acks=all writes can never succeed", need, source, len(want))
			f.Hint = "Lower min.insync.replicas for this topic or add replicas (kafka-reassign-partitions)."
		} else {
			f.Message = fmt.Sprintf("ISR %s has fewer than min.insync.replicas=%d (%s) replicas: acks=all producers get NotEnoughReplicas", ids(p.ISR), need, source)
			f.Hint = fmt.Sprintf("Bring replica %s back in sync (see under-replicated-partition); lowering min.insync.replicas trades durability for availability.", ids(without(want, v.health.InSync(p))))
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
	v.forEachWith(cluster.RuleLeaderNotInISR, func(t *cluster.Topic, p *cluster.Partition, _ cluster.Condition) {
		leader := *p.Leader
		var msg string
		switch inISR, inReplicas := contains(p.ISR, leader), contains(p.Replicas, leader); {
		case !inISR && inReplicas:
			msg = fmt.Sprintf("leader %d is not in ISR %s", leader, ids(p.ISR))
		case !inISR:
			msg = fmt.Sprintf("leader %d is not in ISR %s, nor in replicas %s: it ignores the leadership, nobody leads", leader, ids(p.ISR), ids(p.Replicas))
		default:
			msg = fmt.Sprintf("leader %d is not one of replicas %s: it ignores the leadership, nobody leads", leader, ids(p.Replicas))
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

// conditionRule reports every partition whose verdict (the one health
// computation, cluster.Health) has rule: the condition's detail is the
// message.
func conditionRule(rule string, path func(string, int32) string, hint string) func(*view) []Finding {
	return func(v *view) []Finding {
		var out []Finding
		v.forEachWith(rule, func(t *cluster.Topic, p *cluster.Partition, c cluster.Condition) {
			out = append(out, Finding{Subject: topicPartition(t.Name, p.Partition), Path: path(t.Name, p.Partition),
				Message: c.Detail, Hint: hint})
		})
		return out
	}
}

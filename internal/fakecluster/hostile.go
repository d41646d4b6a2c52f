package fakecluster

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rafka/rafka/snapshot"
)

// Hostile plants, on a generated tree, state Kafka itself never writes —
// one instance of each class of issue 17 §1 and §2 — on distinct
// partitions: an ISR outside the replicas, a leader outside the replicas,
// duplicate ISR and replica entries, negative epochs, a controller epoch
// above /controller_epoch, adding replicas outside the replicas, an
// undecodable broker registration, an unassigned state. It edits the
// partitions it finds, in tree order; a tree too small gets fewer.
func Hostile(nodes []snapshot.Node) []snapshot.Node {
	out := make([]snapshot.Node, 0, len(nodes)+2)
	edits := []func(map[string]any){
		func(s map[string]any) { s["isr"] = append(ints(s["isr"])[:1], 70, 80) },   // ISR outside replicas
		func(s map[string]any) { s["leader"], s["isr"] = 77, []int{77} },           // leader outside replicas
		func(s map[string]any) { i := ints(s["isr"]); s["isr"] = append(i, i[0]) }, // ISR twice
		func(s map[string]any) { s["leader_epoch"] = -3 },                          // negative epoch
		func(s map[string]any) { s["controller_epoch"] = 1 << 20 },                 // epoch from the future
		func(s map[string]any) { s["leader"] = -7 },                                // not a leader value
		func(s map[string]any) { s["isr"] = []int{} },                              // empty ISR, leader kept
	}
	firstBroker := true
	firstTopic := true
	for _, n := range nodes {
		switch {
		case strings.HasSuffix(n.Path, "/state") && len(edits) > 0:
			var s map[string]any
			if json.Unmarshal(n.Data, &s) == nil && len(ints(s["isr"])) > 0 {
				edits[0](s)
				edits = edits[1:]
				n.Data, _ = json.Marshal(s)
			}
		case strings.HasPrefix(n.Path, "/brokers/ids/") && firstBroker:
			firstBroker = false
			n.Data = []byte(`{"version":5}`) // BrokerIdZNode.decode throws
		case strings.HasPrefix(n.Path, "/brokers/topics/") && strings.Count(n.Path, "/") == 3 && firstTopic:
			var a map[string]any
			if json.Unmarshal(n.Data, &a) == nil {
				firstTopic = false
				parts, _ := a["partitions"].(map[string]any)
				for k, v := range parts {
					r := ints(v)
					if len(r) > 0 {
						parts[k] = append(r, r[0]) // a replica twice
						a["adding_replicas"] = map[string]any{k: []int{99}}
						break
					}
				}
				n.Data, _ = json.Marshal(a)
				out = append(out, n,
					snapshot.Node{Path: n.Path + "/partitions/9999"},
					snapshot.Node{Path: n.Path + "/partitions/9999/state", Data: []byte(`{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`)})
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

func ints(v any) []int {
	list, _ := v.([]any)
	out := make([]int, 0, len(list))
	for _, x := range list {
		if f, ok := x.(float64); ok {
			out = append(out, int(f))
		}
	}
	if out == nil {
		if v, ok := v.([]int); ok {
			return v
		}
	}
	return out
}

// Variants are the clusters agreement and filter tests run on: the demo,
// healthy and with its faults, generated clusters of a few shapes, and
// each with Hostile's planted state.
func Variants() map[string][]snapshot.Node {
	specs := map[string]Spec{"demo": Demo()}
	healthy := Demo()
	healthy.Faults = Faults{}
	specs["demo-healthy"] = healthy
	for i, shape := range []struct{ brokers, topics, parts, rf int }{{3, 5, 4, 3}, {6, 12, 6, 2}, {5, 3, 10, 4}} {
		specs[fmt.Sprintf("generated-%d", i)] = Spec{Seed: uint64(i + 11), Brokers: shape.brokers, Racks: 2, Topics: shape.topics,
			PartitionsPerTopic: shape.parts, ReplicationFactor: shape.rf,
			Faults: Faults{OfflinePartitions: 2, UnderReplicatedPartitions: 3, ReplicasOnUnregisteredBroker: 1,
				TopicsMarkedForDeletion: 1, PendingReassignments: 1, PartitionsWithoutState: 1, OrphanPartitionStates: 1}}
	}
	out := map[string][]snapshot.Node{}
	for name, spec := range specs {
		nodes := Generate(spec)
		out[name] = nodes
		out[name+"-hostile"] = Hostile(nodes)
	}
	return out
}

package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// view is the model with the indexes several rules need, built once in
// one pass.
type view struct {
	m        *cluster.Model
	acls     map[string][]zk.ACL
	s        Settings
	selected map[string]bool
	// registered holds every broker id with a znode under /brokers/ids,
	// decoded or not: a registration Kafka cannot read is malformed-znode's
	// finding, not a missing broker.
	registered map[int32]bool
	// decodeErrors and readErrors index Model.Errors by path.
	decodeErrors map[string][]cluster.ZnodeError
	readErrors   map[string]bool
	// migrating: a KRaft controller holds /controller or /migration.
	migrating bool
	// health is the one health computation (shared with dump); verdicts
	// holds its answer for every partition, by topic and partition index,
	// computed once.
	health   *cluster.Health
	verdicts [][]cluster.PartitionHealth
}

// verdict is the one health computation's answer for m.Topics[i].Partitions[j].
func (v *view) verdict(i, j int) cluster.PartitionHealth {
	if v.verdicts == nil {
		v.verdicts = make([][]cluster.PartitionHealth, len(v.m.Topics))
		for ti := range v.m.Topics {
			t := &v.m.Topics[ti]
			v.verdicts[ti] = make([]cluster.PartitionHealth, len(t.Partitions))
			for pj := range t.Partitions {
				v.verdicts[ti][pj] = v.health.Partition(t, &t.Partitions[pj])
			}
		}
	}
	return v.verdicts[i][j]
}

// forEachWith calls f for every partition whose verdict has rule, in
// model order.
func (v *view) forEachWith(rule string, f func(t *cluster.Topic, p *cluster.Partition, c cluster.Condition)) {
	for i := range v.m.Topics {
		t := &v.m.Topics[i]
		for j := range t.Partitions {
			for _, c := range v.verdict(i, j).Conditions {
				if c.Rule == rule {
					f(t, &t.Partitions[j], c)
					break
				}
			}
		}
	}
}

func newView(in Input, rules []Rule) *view {
	m := in.Model
	v := &view{m: m, acls: in.ACLs, s: in.Settings, selected: map[string]bool{}, registered: map[int32]bool{},
		decodeErrors: map[string][]cluster.ZnodeError{}, readErrors: map[string]bool{}}
	for _, r := range rules {
		v.selected[r.Name] = true
	}
	for _, b := range m.Brokers {
		v.registered[b.BrokerID] = true
	}
	for _, e := range m.Errors {
		if e.IsUnreadable() {
			v.readErrors[e.Path] = true
		} else {
			v.decodeErrors[e.Path] = append(v.decodeErrors[e.Path], e)
		}
		if m, ok := zkpaths.Lookup(e.Path); ok && m.Kind == zkpaths.KindBrokerRegistration {
			if id, err := zkpaths.BrokerIDOf(m.Elems.Last()); err == nil {
				v.registered[id] = true // as Kafka reads the name
			}
		}
	}
	v.migrating = m.Migrating()
	v.health = cluster.NewHealth(m, cluster.HealthSettings{MinInsyncReplicas: in.Settings.MinInsyncReplicas})
	return v
}

// kraftEpoch reports whether a KRaft controller wrote /controller.
func kraftEpoch(c *cluster.Controller) bool {
	return c.KRaftControllerEpoch != nil && *c.KRaftControllerEpoch != -1
}

// errored reports whether path could not be read or decoded.
func (v *view) errored(path string) bool {
	return v.readErrors[path] || len(v.decodeErrors[path]) > 0
}

// topicPartition is Kafka's name for a partition: "orders-0".
func topicPartition(topic string, p int32) string {
	return topic + "-" + strconv.Itoa(int(p))
}

var (
	topicPath     = zkpaths.TopicPath
	partitionPath = zkpaths.PartitionPath
	statePath     = zkpaths.PartitionStatePath
	brokerPath    = zkpaths.BrokerPath
)

func brokerSubject(id int32) string { return "broker " + strconv.Itoa(int(id)) }

// ids renders broker ids as Kafka logs them: [1,2,3].
func ids(v []int32) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return "[" + strings.Join(s, ",") + "]"
}

func contains(v []int32, x int32) bool {
	for _, y := range v {
		if y == x {
			return true
		}
	}
	return false
}

// without returns the members of a that are not in b, in linear time
// when b is long (a hostile replica list may hold 100 000 ids).
func without(a, b []int32) []int32 {
	var out []int32
	if len(b) <= 16 {
		for _, x := range a {
			if !contains(b, x) {
				out = append(out, x)
			}
		}
		return out
	}
	in := make(map[int32]bool, len(b))
	for _, x := range b {
		in[x] = true
	}
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// unregistered returns the members of a no broker registration has.
func (v *view) unregistered(a []int32) []int32 {
	var out []int32
	for _, x := range a {
		if !v.registered[x] {
			out = append(out, x)
		}
	}
	return out
}

// examples lists the first few of names, and how many more there are.
func examples(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// plural picks a noun's form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

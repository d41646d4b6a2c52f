package repair

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// The replication throttles a reassignment leaves behind, as
// kafka-reassign-partitions sets (and, on --verify once done, removes)
// them.
var (
	topicThrottles  = []string{"leader.replication.throttled.replicas", "follower.replication.throttled.replicas"}
	brokerThrottles = []string{"leader.replication.throttled.rate", "follower.replication.throttled.rate", "replica.alter.log.dirs.io.max.bytes.per.second"}
)

// reassignment cancels a stuck reassignment: the legacy request znode is
// deleted (after saying, per partition, what stays added or removed); a
// partition whose assignment lists adding/removing replicas gets its
// original replicas back, conditioned on the topic's and the partition
// state's versions, only when its leader and ISR are among them.
func (b *builder) reassignment(f check.Finding) error {
	if f.Path == zkpaths.ReassignPartitionsPath {
		return b.deleteOne(f, f.Path, "cancel the legacy reassignment request: delete "+f.Path, func() ([]string, error) {
			b.noteThrottleTopics(b.legacyTopics())
			return nil, nil
		})
	}
	topic, part, ok := splitTopicPartition(f.Subject)
	if !ok {
		b.add(f, Remedy{Mode: Advise, Why: "rafka cannot tell which partition this is"})
		return nil
	}
	var p *cluster.Partition
	t := b.topic(topic)
	for i := 0; t != nil && i < len(t.Partitions); i++ {
		if t.Partitions[i].Partition == part {
			p = &t.Partitions[i]
		}
	}
	action := fmt.Sprintf("cancel the reassignment of %s: its original replicas back in %s", f.Subject, zkpaths.TopicPath(topic))
	if p == nil {
		b.refuse(f, action, "the partition is gone")
		return nil
	}
	origin := minus(p.Replicas, p.AddingReplicas)
	if p.Leader == nil || !slices.Contains(origin, *p.Leader) || len(minus(p.ISR, origin)) > 0 {
		b.add(f, Remedy{Mode: Advise, Action: action, Why: fmt.Sprintf("the leader or ISR (leader %s, ISR %s) is outside the original replicas %s: only the controller can move them back (kafka-reassign-partitions --cancel)",
			leaderText(p.Leader), joinIDs(p.ISR), joinIDs(origin))})
		return nil
	}
	details := []string{fmt.Sprintf("%s: replicas %s → %s: adding %s leave the assignment (a copy they already made stays on their disk), removing %s stay",
		f.Subject, joinIDs(p.Replicas), joinIDs(origin), joinIDs(p.AddingReplicas), joinIDs(p.RemovingReplicas))}
	n, planned := b.stepOf["cancel:"+topic]
	if !planned {
		n = b.step("pending-reassignment: cancel the reassignment of topic " + topic)
		data, err := b.revertedAssignment(topic, b.cancellable(t))
		if err != nil {
			b.abandon(n)
			b.refuse(f, action, err.Error())
			return nil
		}
		if err := b.w.Set(b.ctx, zkpaths.TopicPath(topic), data); err != nil {
			b.abandon(n)
			if gone(err) {
				b.refuse(f, action, "the topic is gone")
				return nil
			}
			return err
		}
		b.stepOf["cancel:"+topic] = n
	} else if err := b.onLast(n); err != nil {
		return err
	}
	if err := b.w.Check(b.ctx, zkpaths.PartitionStatePath(topic, part)); err != nil && !gone(err) {
		return err
	}
	if c := b.m.Controller; c != nil && c.Elected {
		details = append(details, fmt.Sprintf("controller %d keeps the reassignment in memory until it fails over: run rafka repair elect-controller afterwards so that the next controller reads the cancelled assignment", c.BrokerID))
	}
	ops := b.lastOps(n)
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: append(conditions(ops[:1]), conditions(ops[len(ops)-1:])...), Details: details})
	b.noteThrottleTopics([]string{topic})
	return nil
}

// cancellable lists the partitions of t whose reassignment repair may
// cancel: adding or removing replicas, and a leader and ISR among the
// original replicas.
func (b *builder) cancellable(t *cluster.Topic) map[string]bool {
	out := map[string]bool{}
	for _, p := range t.Partitions {
		if len(p.AddingReplicas)+len(p.RemovingReplicas) == 0 {
			continue
		}
		origin := minus(p.Replicas, p.AddingReplicas)
		if p.Leader != nil && slices.Contains(origin, *p.Leader) && len(minus(p.ISR, origin)) == 0 {
			out[strconv.Itoa(int(p.Partition))] = true
		}
	}
	return out
}

// revertedAssignment is the topic znode with the partitions named put
// back to their original replicas and their adding/removing entries
// dropped; every other partition and field as it is.
func (b *builder) revertedAssignment(topic string, cancel map[string]bool) ([]byte, error) {
	data, _, err := b.src.Get(b.ctx, zkpaths.TopicPath(topic))
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s does not decode: %v", zkpaths.TopicPath(topic), err)
	}
	var parts, adding, removing map[string][]int32
	if err := json.Unmarshal(doc["partitions"], &parts); err != nil {
		return nil, fmt.Errorf("%s: partitions do not decode: %v", zkpaths.TopicPath(topic), err)
	}
	_ = json.Unmarshal(doc["adding_replicas"], &adding)
	_ = json.Unmarshal(doc["removing_replicas"], &removing)
	for p := range cancel {
		if add := adding[p]; len(add) > 0 {
			parts[p] = minus(parts[p], add)
		}
		delete(adding, p)
		delete(removing, p)
	}
	doc["partitions"], _ = json.Marshal(parts)
	if doc["adding_replicas"] != nil {
		doc["adding_replicas"], _ = json.Marshal(orEmpty(adding))
	}
	if doc["removing_replicas"] != nil {
		doc["removing_replicas"], _ = json.Marshal(orEmpty(removing))
	}
	return json.Marshal(doc)
}

// legacyTopics are the topics of the legacy request.
func (b *builder) legacyTopics() []string {
	var out []string
	if r := b.m.Admin.ReassignPartitions; r != nil {
		for _, p := range r.Partitions {
			if !slices.Contains(out, p.Topic) {
				out = append(out, p.Topic)
			}
		}
	}
	return out
}

// legacyDetails says, per partition of the legacy request, what deleting
// it leaves.
func (b *builder) legacyDetails() []string {
	r := b.m.Admin.ReassignPartitions
	if r == nil {
		return nil
	}
	var out []string
	for _, rp := range r.Partitions {
		tp := rp.Topic + "-" + strconv.Itoa(int(rp.Partition))
		var cur *cluster.Partition
		if t := b.topic(rp.Topic); t != nil {
			for i := range t.Partitions {
				if t.Partitions[i].Partition == rp.Partition {
					cur = &t.Partitions[i]
				}
			}
		}
		switch {
		case cur == nil:
			out = append(out, fmt.Sprintf("%s: no such partition; target %s dropped", tp, joinIDs(rp.Replicas)))
		case len(cur.AddingReplicas) > 0 || len(cur.RemovingReplicas) > 0:
			out = append(out, fmt.Sprintf("%s: in flight (replicas %s): adding %s stay added and removing %s stay in the assignment; the controller finishes what it started, or cancel it per partition",
				tp, joinIDs(cur.Replicas), joinIDs(cur.AddingReplicas), joinIDs(cur.RemovingReplicas)))
		case slices.Equal(cur.Replicas, rp.Replicas):
			out = append(out, fmt.Sprintf("%s: done, replicas %s stay", tp, joinIDs(cur.Replicas)))
		default:
			out = append(out, fmt.Sprintf("%s: not started: replicas %s stay, target %s dropped (would add %s, remove %s)",
				tp, joinIDs(cur.Replicas), joinIDs(rp.Replicas), joinIDs(minus(rp.Replicas, cur.Replicas)), joinIDs(minus(cur.Replicas, rp.Replicas))))
		}
	}
	return out
}

func (b *builder) noteThrottleTopics(topics []string) {
	for _, t := range topics {
		if !slices.Contains(b.throttleTopics, t) {
			b.throttleTopics = append(b.throttleTopics, t)
		}
	}
}

// throttle is one entity's leftover throttle configs.
type throttle struct {
	entityType, name string
	keys             []string
	values           map[string]string
}

// leftoverThrottles lists the throttles of the reassigned topics and of
// every broker entity (rates are set on each broker, and <default>).
func (b *builder) leftoverThrottles() []throttle {
	var out []throttle
	pick := func(entityType, name string, cfg map[string]string, keys []string) {
		t := throttle{entityType: entityType, name: name, values: map[string]string{}}
		for _, k := range keys {
			if v, ok := cfg[k]; ok {
				t.keys = append(t.keys, k)
				t.values[k] = v
			}
		}
		if len(t.keys) > 0 {
			out = append(out, t)
		}
	}
	topics := slices.Clone(b.throttleTopics)
	sort.Strings(topics)
	for _, name := range topics {
		pick("topics", name, b.m.Configs.Topics[name], topicThrottles)
	}
	var brokers []string
	for name := range b.m.Configs.Brokers {
		brokers = append(brokers, name)
	}
	sort.Strings(brokers)
	for _, name := range brokers {
		pick("brokers", name, b.m.Configs.Brokers[name], brokerThrottles)
	}
	return out
}

// throttles lists the leftover throttles on the reassignment remedies and,
// with RemoveThrottles, plans removing them in one step: each entity's
// config rewritten without them (conditioned on its version) plus a
// /config/changes notification per entity, as kafka-configs writes them
// (AdminZkClient.changeEntityConfig).
func (b *builder) throttles() error {
	if len(b.throttleTopics) == 0 {
		return nil
	}
	left := b.leftoverThrottles()
	var lines []string
	for _, t := range left {
		var kv []string
		for _, k := range t.keys {
			kv = append(kv, k+"="+t.values[k])
		}
		lines = append(lines, fmt.Sprintf("leftover throttle %s: %s", zkpaths.ConfigEntityPath(t.entityType, t.name), strings.Join(kv, ", ")))
	}
	if len(left) == 0 {
		lines = append(lines, "no replication throttle is left on the reassigned topics or the brokers")
	} else if !b.opts.RemoveThrottles {
		lines = append(lines, "add --remove-throttles to remove them (each entity's config rewritten, plus a /config/changes notification)")
	}
	var step int
	if b.opts.RemoveThrottles && len(left) > 0 {
		step = b.step("pending-reassignment: remove the leftover replication throttles")
		for _, t := range left {
			path := zkpaths.ConfigEntityPath(t.entityType, t.name)
			data, _, err := b.src.Get(b.ctx, path)
			if gone(err) {
				continue
			}
			if err != nil {
				return err
			}
			stripped, err := withoutKeys(data, t.keys)
			if err != nil { // decoded when the cluster was read: changed since
				lines = append(lines, fmt.Sprintf("%s does not decode now (%v): left as it is", path, err))
				continue
			}
			if err := b.w.Set(b.ctx, path, stripped); err != nil {
				if gone(err) {
					continue
				}
				return err
			}
			prefix := zkpaths.ConfigChanges + "/config_change_"
			note, _ := json.Marshal(struct { // ConfigEntityChangeNotificationSequenceZNode.encode
				Version    int    `json:"version"`
				EntityPath string `json:"entity_path"`
			}{2, t.entityType + "/" + t.name})
			b.w.CreateSequential(prefix, note, zkpaths.DefaultACL(b.opts.Secure, prefix))
		}
		if len(b.lastOps(step)) == 0 {
			b.abandon(step)
			step = 0
		}
	}
	for i := range b.p.Remedies {
		r := &b.p.Remedies[i]
		if r.Rule != "pending-reassignment" || r.Mode != Automatic {
			continue
		}
		if r.Path == zkpaths.ReassignPartitionsPath {
			r.Details = append(r.Details, b.legacyDetails()...)
		}
		r.Details = append(r.Details, lines...)
		if step > 0 {
			r.Details = append(r.Details, fmt.Sprintf("step %d removes them: %s", step, strings.Join(conditions(b.lastOps(step)), "; ")))
		}
		lines = nil // once, on the first
	}
	return nil
}

// withoutKeys rewrites an entity config znode ({"version":1,"config":{…}})
// without keys, other fields and configs as they are.
func withoutKeys(data []byte, keys []string) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var cfg map[string]json.RawMessage
	if err := json.Unmarshal(doc["config"], &cfg); err != nil {
		return nil, err
	}
	for _, k := range keys {
		delete(cfg, k)
	}
	doc["config"], _ = json.Marshal(cfg)
	return json.Marshal(doc)
}

func (b *builder) topic(name string) *cluster.Topic {
	for i := range b.m.Topics {
		if b.m.Topics[i].Name == name {
			return &b.m.Topics[i]
		}
	}
	return nil
}

// splitTopicPartition splits "orders-2".
func splitTopicPartition(s string) (string, int32, bool) {
	i := strings.LastIndexByte(s, '-')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return "", 0, false
	}
	return s[:i], int32(n), true
}

// minus is a without b's members, in a's order.
func minus(a, b []int32) []int32 {
	out := []int32{}
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func leaderText(l *int32) string {
	if l == nil {
		return "none"
	}
	return strconv.Itoa(int(*l))
}

func orEmpty(m map[string][]int32) map[string][]int32 {
	if m == nil {
		return map[string][]int32{}
	}
	return m
}

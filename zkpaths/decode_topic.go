package zkpaths

import (
	"fmt"
	"slices"
)

// TopicAssignment is /brokers/topics/<topic>: the replica assignment (v1),
// reassignment state (v2, KIP-455) and topic id (v3, KIP-516).
type TopicAssignment struct {
	Topic   string  `json:"topic"`   // from the path
	Version *int32  `json:"version"` // never checked by Kafka
	TopicID *string `json:"topic_id"`
	// Partitions maps each partition to its full replica list. Adding and
	// removing replicas list only partitions being reassigned, as Kafka
	// reads them (keys that match no partition are dropped, with a warning).
	Partitions       map[int32][]int32 `json:"partitions"`
	AddingReplicas   map[int32][]int32 `json:"adding_replicas"`
	RemovingReplicas map[int32][]int32 `json:"removing_replicas"`
	Warnings         []string          `json:"warnings,omitempty"`
}

// ZeroUUID is Uuid.ZERO_UUID, which Kafka uses for "no id".
const ZeroUUID = "AAAAAAAAAAAAAAAAAAAAAA"

// DecodeTopicAssignment reads /brokers/topics/<topic> as TopicZNode.decode
// does. Garbage JSON is a topic with no partitions and no id
// (KafkaReadsAsEmpty); wrong types and bad ids throw (KafkaRejects).
func DecodeTopicAssignment(topic string, data []byte) (*TopicAssignment, error) {
	if fastParseEnabled {
		if t, ok := fastTopicAssignment(topic, data); ok {
			return t, nil
		}
	}
	if isBlank(data) {
		return nil, rejects("%s: Kafka cannot read the assignment of topic %s", noValue(data), quote(topic))
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: Kafka reads topic %s as having no partitions and no id", err, quote(topic))
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	t := &TopicAssignment{
		Topic: topic, Version: js.peekInt32("version"),
		Partitions: map[int32][]int32{}, AddingReplicas: map[int32][]int32{}, RemovingReplicas: map[int32][]int32{},
	}
	var w warnings
	if v, ok := js.get("topic_id"); ok { // get(...).map(_.to[String]): null fails
		s, err := asString(js.field("topic_id"), v)
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		u, err := ParseKafkaUUID(s)
		if err != nil {
			return nil, rejects("topic_id %v", err)
		}
		id := FormatKafkaUUID(u)
		t.TopicID = &id
		if id != s {
			w.add("topic_id %s is not in canonical form; Kafka reads it as %s", quote(s), id)
		}
		if id == ZeroUUID {
			w.add("topic_id is the all-zero UUID, which Kafka uses for \"no id\" [INFERRED]")
		}
	} else if t.Version != nil && *t.Version >= 3 {
		w.add("no topic_id at version %d: the controller backfills one when IBP >= 2.8", *t.Version)
	}
	adding, err := optionalObject(js, "adding_replicas")
	if err != nil {
		return nil, err
	}
	removing, err := optionalObject(js, "removing_replicas")
	if err != nil {
		return nil, err
	}
	parts, err := optionalObject(js, "partitions")
	if err != nil {
		return nil, err
	}
	if parts == nil {
		w.add("no \"partitions\": Kafka reads a topic with no partitions")
		t.Warnings = w
		return t, nil
	}
	for _, key := range parts.keys {
		p, err := parseJavaInt(key, 32, 10) // partition.toInt
		if err != nil {
			return nil, rejects("partition key %v", err)
		}
		part := int32(p)
		if key != fmt.Sprint(p) {
			w.add("partition key %s is read as partition %d", quote(key), p)
		}
		if _, dup := t.Partitions[part]; dup {
			w.add("partition %d appears twice; Kafka keeps the last", p)
		}
		if p < 0 {
			w.add("partition %d is negative", p)
		}
		replicas, err := asInt32s(parts.field(key), parts.vals[key])
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		if len(replicas) == 0 {
			w.add("partition %d has no replicas", p)
		} else if hasDuplicates(replicas) {
			w.add("partition %d lists a replica twice: %v", p, replicas)
		}
		t.Partitions[part] = replicas
		// Kafka looks adding/removing entries up by the same key string.
		for _, r := range []struct {
			from *obj
			into map[int32][]int32
		}{{adding, t.AddingReplicas}, {removing, t.RemovingReplicas}} {
			delete(r.into, part)
			if r.from == nil {
				continue
			}
			if v, ok := r.from.get(key); ok {
				ids, err := asInt32s(r.from.field(key), v)
				if err != nil {
					return nil, fail(KafkaRejects, err)
				}
				if len(ids) > 0 {
					r.into[part] = ids
				}
			}
		}
	}
	for _, r := range []struct {
		name string
		from *obj
	}{{"adding_replicas", adding}, {"removing_replicas", removing}} {
		if r.from == nil {
			continue
		}
		for _, key := range r.from.keys {
			if _, ok := parts.get(key); !ok {
				w.add("%s has key %s, which names no partition; Kafka ignores it", r.name, quote(key))
			}
		}
	}
	t.Warnings = w
	return t, nil
}

// optionalObject is get(key).map(_.asJsonObject): missing is nil, null or
// any other non-object throws.
func optionalObject(js obj, key string) (*obj, error) {
	v, ok := js.get(key)
	if !ok {
		return nil, nil
	}
	o, err := asObject(js.field(key), v)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	return &o, nil
}

func hasDuplicates(ids []int32) bool {
	s := slices.Clone(ids)
	slices.Sort(s)
	return len(slices.Compact(s)) != len(ids)
}

// PartitionState is /brokers/topics/<t>/partitions/<p>/state: leader and ISR.
type PartitionState struct {
	Version         *int32  `json:"version"` // never checked by Kafka
	Leader          int32   `json:"leader"`  // -1 no leader, -2 leader during deletion
	LeaderEpoch     int32   `json:"leader_epoch"`
	ControllerEpoch int32   `json:"controller_epoch"` // the KRaft epoch when written during a migration
	ISR             []int32 `json:"isr"`
	// LeaderRecoveryState is "recovered" (0, the default when absent) or
	// "recovering" (1, KIP-704).
	LeaderRecoveryState string `json:"leader_recovery_state"`
	// PartitionEpoch is the znode's data version (zkVersion), filled in by the caller.
	PartitionEpoch int32    `json:"partition_epoch"`
	Warnings       []string `json:"warnings,omitempty"`
}

// DecodePartitionState reads a state znode as TopicPartitionStateZNode.decode
// does. Garbage JSON is "no state" (KafkaReadsAsEmpty).
func DecodePartitionState(data []byte) (*PartitionState, error) {
	if fastParseEnabled {
		if st, ok := fastPartitionState(data); ok {
			return st, nil
		}
	}
	if isBlank(data) {
		return nil, rejects("%s: Kafka cannot read this partition's state", noValue(data))
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: Kafka reads the partition as having no leader/ISR state", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	s := &PartitionState{Version: js.peekInt32("version"), LeaderRecoveryState: "recovered"}
	if s.Leader, err = js.reqInt32("leader"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if s.LeaderEpoch, err = js.reqInt32("leader_epoch"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if s.ISR, err = js.reqInt32s("isr"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	var w warnings
	if v, ok := js.get("leader_recovery_state"); ok { // get(...).map(_.to[Int].toByte): null fails
		n, err := asInt32(js.field("leader_recovery_state"), v)
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		switch b := int8(n); b {
		case 0, 1:
			if int32(b) != n {
				w.add("leader_recovery_state %d is cut to the byte %d by Kafka", n, b)
			}
			if b == 1 {
				s.LeaderRecoveryState = "recovering"
			}
		default:
			return nil, rejects("leader_recovery_state %d is neither 0 (recovered) nor 1 (recovering)", n)
		}
	}
	if s.ControllerEpoch, err = js.reqInt32("controller_epoch"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if s.Leader >= 0 && !slices.Contains(s.ISR, s.Leader) {
		w.add("leader %d is not in the ISR %v", s.Leader, s.ISR)
	}
	s.Warnings = w
	return s, nil
}

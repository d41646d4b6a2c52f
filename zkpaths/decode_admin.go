package zkpaths

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// failoverFails is what an exception in onControllerFailover does: elect()
// catches it and calls triggerControllerMove, so the newly elected
// controller resigns, and so does the next one.
const failoverFails = "controller failover fails, so every newly elected controller resigns"

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

// ReassignPartitions is /admin/reassign_partitions, the pre-2.4 way to ask
// the controller for a reassignment (still honoured by the 3.9 ZK
// controller, which rewrites the node as partitions finish).
type ReassignPartitions struct {
	Version    int32               `json:"version"` // never checked by Kafka
	Partitions []ReassignPartition `json:"partitions"`
	Warnings   []string            `json:"warnings,omitempty"`
}

// ReassignPartition is one requested target assignment.
type ReassignPartition struct {
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Replicas  []int32 `json:"replicas"`
}

// DecodeReassignPartitions reads the node as Kafka does: a Jackson bean
// (LegacyPartitionAssignment) with a plain ObjectMapper. Anything Jackson
// cannot bind, unknown properties included, makes the controller log a
// warning and see no reassignment (KafkaReadsAsEmpty).
//
// [INFERRED] Unknown properties fail because FAIL_ON_UNKNOWN_PROPERTIES is on
// by default; Jackson's default coercions (a string holding an integer, a
// float, null for an int) succeed and are reported as warnings; a null list
// or element binds but throws later in the controller (KafkaRejects).
func DecodeReassignPartitions(data []byte) (*ReassignPartitions, error) {
	const ignored = "the controller logs a warning and ignores the reassignment"
	switch {
	case data == nil:
		// readValue(null) throws IllegalArgumentException, which decode does
		// not turn into a Left (measured with Jackson 2.14).
		return nil, rejects("no data: Jackson's readValue throws IllegalArgumentException; %s", failoverFails)
	case isBlank(data):
		return nil, readsAsEmpty("no JSON value (Jackson's readValue throws MismatchedInputException): %s", ignored)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: %s", err, ignored)
	}
	if tree == nil {
		// readValue("null") gives null, and decode's map throws NullPointerException.
		return nil, rejects("the content is null: Jackson binds no object and decode throws NullPointerException; %s", failoverFails)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, readsAsEmpty("%v: %s", err, ignored)
	}
	if err := onlyKeys(js, "version", "partitions"); err != nil {
		return nil, readsAsEmpty("%v: %s", err, ignored)
	}
	r := &ReassignPartitions{}
	var w warnings
	if v, ok := js.get("version"); ok {
		if r.Version, err = jacksonInt(js.field("version"), v, &w); err != nil {
			return nil, readsAsEmpty("%v: %s", err, ignored)
		}
	}
	list, ok := js.get("partitions")
	if !ok || list == nil {
		return nil, rejects(`"partitions" is missing or null: the controller fails on it [INFERRED]`)
	}
	arr, err := asArray(js.field("partitions"), list)
	if err != nil {
		return nil, readsAsEmpty("%v: %s", err, ignored)
	}
	seen := map[TopicPartition]bool{}
	r.Partitions = []ReassignPartition{}
	for i, e := range arr {
		name := fmt.Sprintf(`"partitions"[%d]`, i)
		if e == nil {
			return nil, rejects("%s is null: the controller fails on it [INFERRED]", name)
		}
		o, err := asObject(name, e)
		if err != nil {
			return nil, readsAsEmpty("%v: %s", err, ignored)
		}
		if err := onlyKeys(o, "topic", "partition", "replicas"); err != nil {
			return nil, readsAsEmpty("%v: %s", err, ignored)
		}
		var p ReassignPartition
		topic, err := jacksonString(o.field("topic"), o.vals["topic"], &w)
		if err != nil {
			return nil, readsAsEmpty("%v: %s", err, ignored)
		}
		if topic == nil {
			return nil, rejects("%s has no topic: the controller fails on it [INFERRED]", name)
		}
		p.Topic = *topic
		if v, ok := o.get("partition"); ok {
			if p.Partition, err = jacksonInt(o.field("partition"), v, &w); err != nil {
				return nil, readsAsEmpty("%v: %s", err, ignored)
			}
		} else {
			w.add("%s has no partition; Jackson reads 0", name)
		}
		rv, ok := o.get("replicas")
		if !ok || rv == nil {
			return nil, rejects("%s has no replicas: the controller fails on it [INFERRED]", name)
		}
		ra, err := asArray(o.field("replicas"), rv)
		if err != nil {
			return nil, readsAsEmpty("%v: %s", err, ignored)
		}
		// The list is a java.util.List[Int] erased to List<Object>: Jackson binds
		// anything, and the controller's unboxing fails on what is not an int.
		if p.Replicas, err = asInt32s(o.field("replicas"), ra); err != nil {
			return nil, rejects("%v: the controller fails on it [INFERRED]", err)
		}
		tp := TopicPartition{p.Topic, p.Partition}
		if seen[tp] {
			w.add("%s-%d is listed twice; Kafka keeps the last", p.Topic, p.Partition)
		}
		seen[tp] = true
		r.Partitions = append(r.Partitions, p)
	}
	r.Warnings = w
	return r, nil
}

// onlyKeys fails on properties a Jackson bean does not have.
func onlyKeys(o obj, known ...string) error {
	for _, k := range o.keys {
		if !contains(known, k) {
			return fmt.Errorf("unknown property %s", o.field(k))
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jacksonInt binds an int bean property the way a default ObjectMapper does
// [INFERRED]: integers in range; a float is truncated, a string holding an
// integer is parsed and null is 0 (each with a warning); anything else fails.
func jacksonInt(name string, v any, w *warnings) (int32, error) {
	switch t := v.(type) {
	case nil:
		w.add("%s is null; Jackson reads 0", name)
		return 0, nil
	case json.Number:
		if i, ok := int32Of(t); ok {
			return i, nil
		}
		if f, err := t.Float64(); err == nil && !isIntegerNumber(t) && f > math.MinInt32-1 && f < math.MaxInt32+1 {
			w.add("%s is %s; Jackson truncates it to %d", name, describe(v), int32(f))
			return int32(f), nil
		}
	case string:
		if i, err := strconv.ParseInt(strings.TrimSpace(t), 10, 32); err == nil {
			w.add("%s is the string %s; Jackson coerces it to %d", name, quote(t), i)
			return int32(i), nil
		}
	}
	return 0, wrongType(name, v, "a 32-bit integer")
}

// jacksonString binds a String bean property [INFERRED]: null and missing
// are nil; numbers and booleans are taken as their text, with a warning.
func jacksonString(name string, v any, w *warnings) (*string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case string:
		return &t, nil
	case json.Number:
		s := string(t)
		w.add("%s is %s; Jackson reads it as the string %s", name, describe(v), quote(s))
		return &s, nil
	case bool:
		s := strconv.FormatBool(t)
		w.add("%s is a boolean; Jackson reads it as the string %s", name, quote(s))
		return &s, nil
	}
	return nil, wrongType(name, v, "a string")
}

// PreferredReplicaElection is /admin/preferred_replica_election.
type PreferredReplicaElection struct {
	Version    *int32           `json:"version"` // never checked by Kafka
	Partitions []TopicPartition `json:"partitions"`
	Warnings   []string         `json:"warnings,omitempty"`
}

// DecodePreferredReplicaElection reads the node as
// PreferredReplicaElectionZNode.decode does: garbage JSON is an empty set.
func DecodePreferredReplicaElection(data []byte) (*PreferredReplicaElection, error) {
	v, parts, w, err := decodePartitionListNode(data,
		"the controller cannot read the election request: "+failoverFails, "the controller elects no partition")
	if err != nil {
		return nil, err
	}
	return &PreferredReplicaElection{Version: v, Partitions: parts, Warnings: w}, nil
}

// decodePartitionListNode reads {"version":…,"partitions":[{"topic","partition"}…]}
// as the controller does for elections and ISR changes: no data throws,
// garbage JSON is an empty list, wrong types throw.
func decodePartitionListNode(data []byte, effect, garbage string) (*int32, []TopicPartition, []string, error) {
	if isBlank(data) {
		return nil, nil, nil, rejects("%s; %s", noValue(data), effect)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, nil, nil, readsAsEmpty("%v: %s", err, garbage)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, nil, nil, fail(KafkaRejects, err)
	}
	parts, w, err := decodeTopicPartitions(js)
	if err != nil {
		return nil, nil, nil, err
	}
	return js.peekInt32("version"), parts, w, nil
}

// decodeTopicPartitions reads "partitions": [{"topic":S,"partition":I}…]
// into Kafka's Set[TopicPartition] (duplicates collapse, with a warning).
func decodeTopicPartitions(js obj) ([]TopicPartition, warnings, error) {
	arr, err := js.reqArray("partitions")
	if err != nil {
		return nil, nil, fail(KafkaRejects, err)
	}
	var w warnings
	seen := map[TopicPartition]bool{}
	out := []TopicPartition{}
	for i, e := range arr {
		o, err := asObject(fmt.Sprintf(`"partitions"[%d]`, i), e)
		if err != nil {
			return nil, nil, fail(KafkaRejects, err)
		}
		var tp TopicPartition
		if tp.Topic, err = o.reqString("topic"); err != nil {
			return nil, nil, fail(KafkaRejects, err)
		}
		if tp.Partition, err = o.reqInt32("partition"); err != nil {
			return nil, nil, fail(KafkaRejects, err)
		}
		if seen[tp] {
			w.add("%s-%d is listed twice", tp.Topic, tp.Partition)
			continue
		}
		seen[tp] = true
		out = append(out, tp)
	}
	return out, w, nil
}

// DeleteTopicMarker is /admin/delete_topics/<topic>: its existence asks the
// controller to delete the topic; it carries no data.
type DeleteTopicMarker struct {
	Topic    string   `json:"topic"` // from the path
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeDeleteTopicMarker never fails: Kafka does not read the data.
func DecodeDeleteTopicMarker(topic string, data []byte) (*DeleteTopicMarker, error) {
	m := &DeleteTopicMarker{Topic: topic}
	if len(data) > 0 {
		m.Warnings = []string{fmt.Sprintf("%d bytes of data, which Kafka never reads (the marker's existence is the request)", len(data))}
	}
	return m, nil
}

package zkpaths

import (
	"reflect"
	"testing"
)

func TestTopicAssignmentCases(t *testing.T) {
	const p = "/brokers/topics/orders"
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "garbage is an empty topic", path: p, data: `{"version":1,"partitions":{`, want: KafkaReadsAsEmpty, reason: "no partitions and no id"},
		{name: "not an object", path: p, data: `[]`, want: KafkaRejects, reason: "want a JSON object"},
		{name: "no partitions", path: p, data: `{"version":1}`, warning: `no "partitions"`},
		{name: "partitions null", path: p, data: `{"version":1,"partitions":null}`, want: KafkaRejects, reason: `"partitions" is null, want an object`},
		{name: "partitions an array", path: p, data: `{"version":1,"partitions":[[1]]}`, want: KafkaRejects, reason: `"partitions" is an array`},
		{name: "partition key not a number", path: p, data: `{"partitions":{"x":[1]}}`, want: KafkaRejects, reason: "partition key"},
		{name: "partition key with leading zero", path: p, data: `{"partitions":{"01":[1]}}`, warning: `"01" is read as partition 1`},
		{name: "partition twice", path: p, data: `{"partitions":{"1":[1],"+1":[2]}}`, warning: "appears twice"},
		{name: "replicas a string", path: p, data: `{"partitions":{"0":"1,2"}}`, want: KafkaRejects, reason: `"partitions"."0" is a string, want an array`},
		{name: "replica quoted", path: p, data: `{"partitions":{"0":[1,"2"]}}`, want: KafkaRejects, reason: `"partitions"."0"[1] is a string`},
		{name: "replica beyond 32 bits", path: p, data: `{"partitions":{"0":[3000000000]}}`, want: KafkaRejects, reason: "3000000000"},
		{name: "no replicas", path: p, data: `{"partitions":{"0":[]}}`, warning: "has no replicas"},
		{name: "replica twice", path: p, data: `{"partitions":{"0":[1,1]}}`, warning: "lists a replica twice"},
		{name: "topic_id null", path: p, data: `{"version":3,"partitions":{},"topic_id":null}`, want: KafkaRejects, reason: `"topic_id" is null`},
		{name: "topic_id short", path: p, data: `{"version":3,"partitions":{},"topic_id":"abc"}`, want: KafkaRejects, reason: "decodes to 2 bytes"},
		{name: "topic_id too long", path: p, data: `{"version":3,"partitions":{},"topic_id":"D0lXRcBmzUzuhJCReayH0gAAA"}`, want: KafkaRejects, reason: "too long"},
		{name: "topic_id not base64", path: p, data: `{"version":3,"partitions":{},"topic_id":"D0lXRcBmzUzuhJCReayH0!"}`, want: KafkaRejects, reason: "not URL-safe base64"},
		{name: "topic_id padded", path: p, data: `{"version":3,"partitions":{},"topic_id":"D0lXRcBmzUzuhJCReayH0g=="}`, warning: "not in canonical form"},
		{name: "topic_id zero", path: p, data: `{"version":3,"partitions":{"0":[1]},"topic_id":"AAAAAAAAAAAAAAAAAAAAAA"}`, warning: "all-zero UUID"},
		{name: "v3 without topic_id", path: p, data: `{"version":3,"partitions":{"0":[1]},"adding_replicas":{},"removing_replicas":{}}`, warning: "no topic_id"},
		{name: "adding_replicas null", path: p, data: `{"partitions":{"0":[1]},"adding_replicas":null}`, want: KafkaRejects, reason: `"adding_replicas" is null`},
		{name: "adding entry not an array", path: p, data: `{"partitions":{"0":[1]},"adding_replicas":{"0":"x"}}`, want: KafkaRejects, reason: `"adding_replicas"."0" is a string`},
		{name: "adding entry for no partition", path: p, data: `{"partitions":{"0":[1]},"removing_replicas":{"5":[1]}}`, warning: "names no partition"},
	})
}

func TestTopicAssignmentReadsAddingByKey(t *testing.T) {
	// Kafka looks adding/removing entries up by the partition's key string.
	a, err := DecodeTopicAssignment("t", []byte(`{"partitions":{"01":[1,2]},"adding_replicas":{"1":[2],"01":[3]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int32][]int32{1: {3}}; !reflect.DeepEqual(a.AddingReplicas, want) {
		t.Errorf("adding %v, want %v", a.AddingReplicas, want)
	}
}

func TestPartitionStateCases(t *testing.T) {
	const p = "/brokers/topics/orders/partitions/0/state"
	state := func(extra string) string {
		return `{"version":1,"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]` + extra + `}`
	}
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: state(""), warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "garbage is no state", path: p, data: `{"leader":1,`, want: KafkaReadsAsEmpty, reason: "no leader/ISR state"},
		{name: "leader quoted", path: p, data: `{"leader":"1","leader_epoch":4,"controller_epoch":7,"isr":[1]}`, want: KafkaRejects, reason: `"leader" is a string, want a 32-bit integer`},
		{name: "leader missing", path: p, data: `{"leader_epoch":4,"controller_epoch":7,"isr":[1]}`, want: KafkaRejects, reason: `"leader" is missing`},
		{name: "isr missing", path: p, data: `{"leader":1,"leader_epoch":4,"controller_epoch":7}`, want: KafkaRejects, reason: `"isr" is missing`},
		{name: "isr with null", path: p, data: `{"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,null]}`, want: KafkaRejects, reason: `"isr"[1] is null`},
		{name: "controller_epoch missing", path: p, data: `{"leader":1,"leader_epoch":4,"isr":[1]}`, want: KafkaRejects, reason: `"controller_epoch" is missing`},
		{name: "leader epoch beyond 32 bits", path: p, data: `{"leader":1,"leader_epoch":2147483648,"controller_epoch":7,"isr":[1]}`, want: KafkaRejects, reason: "2147483648"},
		{name: "recovery state 2", path: p, data: state(`,"leader_recovery_state":2`), want: KafkaRejects, reason: "neither 0"},
		{name: "recovery state null", path: p, data: state(`,"leader_recovery_state":null`), want: KafkaRejects, reason: `"leader_recovery_state" is null`},
		{name: "recovery state 0 written", path: p, data: state(`,"leader_recovery_state":0`), warning: noWarnings},
		{name: "recovery state cut to a byte", path: p, data: state(`,"leader_recovery_state":257`), warning: "cut to the byte 1"},
		{name: "no leader", path: p, data: `{"version":1,"leader":-1,"leader_epoch":4,"controller_epoch":7,"isr":[]}`, warning: noWarnings},
		{name: "leader outside the ISR", path: p, data: `{"version":1,"leader":3,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]}`, warning: "not in the ISR"},
	})
	s, err := DecodePartitionState([]byte(state(`,"leader_recovery_state":257`)))
	if err != nil || s.LeaderRecoveryState != "recovering" {
		t.Errorf("257: %+v, %v", s, err)
	}
}

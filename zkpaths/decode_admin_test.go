package zkpaths

import "testing"

func TestReassignPartitionsCases(t *testing.T) {
	const p = "/admin/reassign_partitions"
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: `{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,3]}]}`, warning: noWarnings},
		// readValue(null) throws IllegalArgumentException in controller failover;
		// readValue("" or blank) throws MismatchedInputException, a Left.
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "IllegalArgumentException; controller failover fails"},
		{name: "empty data", path: p, data: "", want: KafkaReadsAsEmpty, reason: "MismatchedInputException"},
		{name: "blank data", path: p, data: "  ", want: KafkaReadsAsEmpty, reason: "ignores the reassignment"},
		{name: "garbage", path: p, data: `{"version":1,"partitions":[`, want: KafkaReadsAsEmpty, reason: "ignores the reassignment"},
		{name: "unknown root property", path: p, data: `{"version":1,"partitions":[],"extra":1}`, want: KafkaReadsAsEmpty, reason: `unknown property "extra"`},
		{name: "unknown entry property", path: p, data: `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1],"log_dirs":["any"]}]}`, want: KafkaReadsAsEmpty, reason: `unknown property "partitions"[0]."log_dirs"`},
		{name: "not an object", path: p, data: `[]`, want: KafkaReadsAsEmpty, reason: "want a JSON object"},
		{name: "partitions an object", path: p, data: `{"version":1,"partitions":{}}`, want: KafkaReadsAsEmpty, reason: `"partitions" is an object`},
		{name: "partition beyond 32 bits", path: p, data: `{"partitions":[{"topic":"t","partition":3000000000,"replicas":[1]}]}`, want: KafkaReadsAsEmpty, reason: "3000000000"},
		{name: "partition a boolean", path: p, data: `{"partitions":[{"topic":"t","partition":true,"replicas":[1]}]}`, want: KafkaReadsAsEmpty, reason: "a boolean"},
		{name: "topic an object", path: p, data: `{"partitions":[{"topic":{},"partition":0,"replicas":[1]}]}`, want: KafkaReadsAsEmpty, reason: `"topic" is an object`},
		{name: "replicas an object", path: p, data: `{"partitions":[{"topic":"t","partition":0,"replicas":{}}]}`, want: KafkaReadsAsEmpty, reason: `"replicas" is an object`},
		{name: "content null", path: p, data: `null`, want: KafkaRejects, reason: "content is null"},
		{name: "partitions missing", path: p, data: `{"version":1}`, want: KafkaRejects, reason: `"partitions" is missing`},
		{name: "entry null", path: p, data: `{"partitions":[null]}`, want: KafkaRejects, reason: "is null"},
		{name: "topic missing", path: p, data: `{"partitions":[{"partition":0,"replicas":[1]}]}`, want: KafkaRejects, reason: "no topic"},
		{name: "replicas missing", path: p, data: `{"partitions":[{"topic":"t","partition":0}]}`, want: KafkaRejects, reason: "no replicas"},
		{name: "replica quoted", path: p, data: `{"partitions":[{"topic":"t","partition":0,"replicas":["1"]}]}`, want: KafkaRejects, reason: `"replicas"[0] is a string`},
		{name: "version quoted", path: p, data: `{"version":"1","partitions":[]}`, warning: "Jackson coerces it to 1"},
		{name: "partition fractional", path: p, data: `{"partitions":[{"topic":"t","partition":1.7,"replicas":[1]}]}`, warning: "truncates it to 1"},
		{name: "partition missing", path: p, data: `{"partitions":[{"topic":"t","replicas":[1]}]}`, warning: "Jackson reads 0"},
		{name: "topic a number", path: p, data: `{"partitions":[{"topic":5,"partition":0,"replicas":[1]}]}`, warning: `as the string "5"`},
		{name: "partition twice", path: p, data: `{"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}`, warning: "listed twice"},
	})
}

func TestPreferredReplicaElectionCases(t *testing.T) {
	const p = "/admin/preferred_replica_election"
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data: Jackson's readTree(null) throws IllegalArgumentException; the controller cannot read the election request: controller failover fails"},
		{name: "blank data", path: p, data: " ", want: KafkaRejects, reason: "MissingNode"},
		{name: "empty data", path: p, data: "", want: KafkaRejects, reason: "MissingNode"},
		{name: "garbage", path: p, data: `{"partitions":[`, want: KafkaReadsAsEmpty, reason: "elects no partition"},
		{name: "partitions missing", path: p, data: `{"version":1}`, want: KafkaRejects, reason: `"partitions" is missing`},
		{name: "entry not an object", path: p, data: `{"partitions":["orders-0"]}`, want: KafkaRejects, reason: `"partitions"[0] is a string, want an object`},
		{name: "topic missing", path: p, data: `{"partitions":[{"partition":0}]}`, want: KafkaRejects, reason: `"partitions"[0]."topic" is missing`},
		{name: "partition quoted", path: p, data: `{"partitions":[{"topic":"t","partition":"0"}]}`, want: KafkaRejects, reason: `"partitions"[0]."partition" is a string`},
		{name: "partition twice", path: p, data: `{"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":0}]}`, warning: "listed twice"},
		{name: "unknown keys ignored", path: p, data: `{"partitions":[{"topic":"t","partition":0,"x":1}],"y":2}`, warning: noWarnings},
	})
}

func TestDeleteTopicMarkerCases(t *testing.T) {
	runCases(t, []decodeCase{
		{name: "null data", path: "/admin/delete_topics/orders", null: true, warning: noWarnings},
		{name: "data", path: "/admin/delete_topics/orders", data: "x", warning: "never reads"},
	})
}

package zkpaths

import "testing"

func TestControllerCases(t *testing.T) {
	const p = "/controller"
	runCases(t, []decodeCase{
		{name: "v1", path: p, data: `{"version":1,"brokerid":2,"timestamp":"1"}`, warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "garbage is no controller", path: p, data: `{"brokerid":2`, want: KafkaReadsAsEmpty, reason: "no controller"},
		{name: "brokerid missing", path: p, data: `{"version":1}`, want: KafkaRejects, reason: `"brokerid" is missing`},
		{name: "brokerid quoted", path: p, data: `{"brokerid":"2"}`, want: KafkaRejects, reason: `"brokerid" is a string`},
		{name: "version not checked", path: p, data: `{"version":"x","brokerid":2}`, warning: noWarnings},
		{name: "kraft epoch null", path: p, data: `{"version":2,"brokerid":2,"kraftControllerEpoch":null}`, want: KafkaRejects, reason: "decodeController throws"},
		{name: "kraft epoch quoted", path: p, data: `{"version":2,"brokerid":2,"kraftControllerEpoch":"1"}`, want: KafkaRejects, reason: "decodeController throws"},
		{name: "kraft epoch of a KRaft controller", path: p, data: `{"version":2,"brokerid":3000,"kraftControllerEpoch":1}`, warning: "KRaft controller"},
	})
}

func TestControllerEpochCases(t *testing.T) {
	const p = "/controller_epoch"
	runCases(t, []decodeCase{
		{name: "5", path: p, data: "5", warning: noWarnings},
		{name: "negative", path: p, data: "-1", warning: noWarnings},
		{name: "empty", path: p, data: "", want: KafkaRejects, reason: "NumberFormatException"},
		{name: "leading space", path: p, data: " 5", want: KafkaRejects},
		{name: "trailing newline", path: p, data: "5\n", want: KafkaRejects},
		{name: "fraction", path: p, data: "5.0", want: KafkaRejects},
		{name: "hex", path: p, data: "0x5", want: KafkaRejects},
		{name: "beyond 32 bits", path: p, data: "2147483648", want: KafkaRejects},
		{name: "JSON", path: p, data: `{"epoch":5}`, want: KafkaRejects},
		{name: "plus sign", path: p, data: "+5", warning: `writes it as "5"`},
		{name: "leading zeros", path: p, data: "007", warning: `writes it as "7"`},
		{name: "Arabic-Indic digit", path: p, data: "٣", warning: `writes it as "3"`},
	})
}

func TestClusterIDCases(t *testing.T) {
	const p = "/cluster/id"
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "garbage", path: p, data: `{"id":`, want: KafkaRejects, reason: "not valid JSON"},
		{name: "not an object", path: p, data: `"fJG0HAblNQjrK0cGmq1XiA"`, want: KafkaRejects, reason: "want a JSON object"},
		{name: "id missing", path: p, data: `{"version":"1"}`, want: KafkaRejects, reason: `"id" is missing`},
		{name: "id not a string", path: p, data: `{"version":"1","id":5}`, want: KafkaRejects, reason: `"id" is the integer 5`},
		{name: "id null", path: p, data: `{"version":"1","id":null}`, want: KafkaRejects, reason: `"id" is null`},
		{name: "numeric version", path: p, data: `{"version":1,"id":"fJG0HAblNQjrK0cGmq1XiA"}`, warning: `"version" is the integer 1`},
		{name: "no version", path: p, data: `{"id":"fJG0HAblNQjrK0cGmq1XiA"}`, warning: noWarnings},
		{name: "id not generated", path: p, data: `{"version":"1","id":"my-cluster"}`, warning: "not what Kafka generates"},
		{name: "id padded", path: p, data: `{"version":"1","id":"fJG0HAblNQjrK0cGmq1XiA=="}`, warning: "not what Kafka generates"},
	})
}

package zkpaths

import "testing"

func TestProducerIDBlockCases(t *testing.T) {
	const p = "/latest_producer_id_block"
	block := func(start, end string) string {
		return `{"version":1,"broker":1,"block_start":` + start + `,"block_end":` + end + `}`
	}
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, warning: noWarnings},
		// Not null, so Kafka parses it: a MissingNode, and asJsonObject throws.
		{name: "empty data", path: p, data: "", want: KafkaRejects, reason: "MissingNode"},
		{name: "blank data", path: p, data: "\n", want: KafkaRejects, reason: "MissingNode"},
		{name: "ok", path: p, data: block(`"1000"`, `"1999"`), warning: noWarnings},
		{name: "garbage", path: p, data: `{"broker":1`, want: KafkaRejects, reason: "allocation fails"},
		{name: "not an object", path: p, data: `"0-999"`, want: KafkaRejects, reason: "want a JSON object"},
		{name: "broker missing", path: p, data: `{"version":1,"block_start":"0","block_end":"999"}`, want: KafkaRejects, reason: `"broker" is missing`},
		{name: "start a number", path: p, data: block(`0`, `"999"`), want: KafkaRejects, reason: `"block_start" is the integer 0, want a string`},
		{name: "start not a number", path: p, data: block(`"zero"`, `"999"`), want: KafkaRejects, reason: "block_start"},
		{name: "start beyond 64 bits", path: p, data: block(`"9223372036854775808"`, `"999"`), want: KafkaRejects, reason: "block_start"},
		{name: "size beyond an int", path: p, data: block(`"0"`, `"3000000000"`), want: KafkaRejects, reason: "does not fit in an int"},
		{name: "small block", path: p, data: block(`"0"`, `"9"`), warning: "block size 10"},
		{name: "end before start", path: p, data: block(`"5000"`, `"999"`), warning: "hand out producer ids again"},
		{name: "exhausted", path: p, data: block(`"9223372036854775000"`, `"9223372036854775807"`), warning: "exhausted"},
	})
}

func TestConsumerOffsetCases(t *testing.T) {
	const p = "/consumers/g/offsets/t/0"
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: "42", warning: noWarnings},
		{name: "null data is no offset", path: p, null: true, warning: noWarnings},
		{name: "abc", path: p, data: "abc", want: KafkaRejects, reason: "NumberFormatException"},
		{name: "partition not a number", path: "/consumers/g/offsets/t/x", data: "42", want: KafkaIgnores},
		{name: "space", path: p, data: "4 2", want: KafkaRejects, reason: "NumberFormatException"},
		{name: "JSON", path: p, data: `{"offset":42}`, want: KafkaRejects},
		{name: "plus", path: p, data: "+42", warning: "reads"},
	})
}

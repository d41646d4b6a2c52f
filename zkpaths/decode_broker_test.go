package zkpaths

import (
	"strings"
	"testing"
)

func TestBrokerRegistrationCases(t *testing.T) {
	const p = "/brokers/ids/1"
	v1 := `{"version":1,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1"}`
	v4 := func(endpoints, lspm string) string {
		return `{"version":4,"host":null,"port":-1,"jmx_port":-1,"timestamp":"1","endpoints":` + endpoints + `,"listener_security_protocol_map":` + lspm + `}`
	}
	v5 := func(features string) string {
		return `{"version":5,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"features":` + features + `}`
	}
	runCases(t, []decodeCase{
		{name: "v1", path: p, data: v1, warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "garbage", path: p, data: `{"version":`, want: KafkaRejects, reason: "not valid JSON"},
		{name: "invalid UTF-8", path: p, data: "{\"version\":1,\"host\":\"\xff\",\"port\":1,\"jmx_port\":1}", want: KafkaRejects, reason: "UTF-8"},
		{name: "not an object", path: p, data: `[1]`, want: KafkaRejects, reason: "is an array, want a JSON object"},
		{name: "quoted version", path: p, data: `{"version":"1","host":"h","port":1,"jmx_port":1}`, want: KafkaRejects, reason: `"version" is a string, want a 32-bit integer`},
		{name: "version 0", path: p, data: `{"version":0,"host":"h","port":1,"jmx_port":1}`, want: KafkaRejects, reason: "version 0"},
		{name: "jmx_port missing", path: p, data: `{"version":1,"host":"h","port":1}`, want: KafkaRejects, reason: `"jmx_port" is missing`},
		{name: "jmx_port beyond 32 bits", path: p, data: `{"version":1,"host":"h","port":1,"jmx_port":3000000000}`, want: KafkaRejects, reason: "the integer 3000000000"},
		{name: "v1 null host", path: p, data: `{"version":1,"host":null,"port":1,"jmx_port":1}`, want: KafkaRejects, reason: `"host" is null, want a string`},
		{name: "v1 fractional port", path: p, data: `{"version":1,"host":"h","port":9092.0,"jmx_port":1}`, want: KafkaRejects, reason: "the number 9092.0"},
		{name: "v2 no endpoints", path: p, data: `{"version":2,"host":"h","port":1,"jmx_port":1}`, want: KafkaRejects, reason: `"endpoints" is missing`},
		{name: "v2 endpoint not a string", path: p, data: `{"version":2,"jmx_port":1,"endpoints":[1]}`, want: KafkaRejects, reason: `"endpoints"[0] is the integer 1`},
		{name: "v2 bad endpoint", path: p, data: `{"version":2,"jmx_port":1,"endpoints":["PLAINTEXT:/h:9092"]}`, want: KafkaRejects, reason: "not LISTENER://host:port"},
		{name: "v2 port beyond 32 bits", path: p, data: `{"version":2,"jmx_port":1,"endpoints":["PLAINTEXT://h:99999999999"]}`, want: KafkaRejects, reason: "port"},
		{name: "v2 listener name is the protocol, any case", path: p, data: `{"version":2,"jmx_port":1,"endpoints":["plaintext://h:9092","SASL_SSL://:9093"]}`},
		{name: "v2 custom listener without map", path: p, data: `{"version":2,"jmx_port":1,"endpoints":["CLIENT://h:9092"]}`, want: KafkaRejects, reason: "no security protocol for listener CLIENT"},
		{name: "v4 unknown protocol", path: p, data: v4(`["CLIENT://h:9092"]`, `{"CLIENT":"TLS"}`), want: KafkaRejects, reason: "unknown security protocol"},
		{name: "v4 protocol in lower case", path: p, data: v4(`["CLIENT://h:9092"]`, `{"CLIENT":"ssl"}`)},
		{name: "v4 map keys are not normalised", path: p, data: v4(`["client://h:9092"]`, `{"client":"SSL"}`), want: KafkaRejects, reason: "no security protocol for listener CLIENT"},
		{name: "v4 null map", path: p, data: v4(`["PLAINTEXT://h:9092"]`, `null`), want: KafkaRejects, reason: `"listener_security_protocol_map" is null`},
		{name: "v4 map value not a string", path: p, data: v4(`["CLIENT://h:9092"]`, `{"CLIENT":1}`), want: KafkaRejects, reason: `"listener_security_protocol_map"."CLIENT" is the integer 1`},
		// Broker's constructor throws on a repeated listener name.
		{name: "duplicate listener", path: p, data: v4(`["SSL://h:9092","SSL://h:9093"]`, `{"SSL":"SSL"}`), want: KafkaRejects, reason: "listener SSL is advertised twice: Kafka's Broker constructor throws"},
		{name: "duplicate listener in other case", path: p, data: v4(`["ssl://h:9092","SSL://h:9093"]`, `{"SSL":"SSL"}`), want: KafkaRejects, reason: "advertised twice"},
		{name: "duplicate listener in one element", path: p, data: v4(`["SSL://h:9092,SSL://h:9093"]`, `{"SSL":"SSL"}`), want: KafkaRejects, reason: "advertised twice"},
		{name: "empty endpoint string", path: p, data: v4(`[""]`, `{}`), warning: "no endpoints"},
		{name: "blank endpoint string", path: p, data: v4(`[" \t "]`, `{}`), warning: "no endpoints"},
		{name: "two endpoints in one element", path: p, data: v4(`["SSL://h:9092 , PLAINTEXT://h:9093"]`, `{"SSL":"SSL","PLAINTEXT":"PLAINTEXT"}`), warning: noWarnings},
		{name: "space inside an endpoint", path: p, data: v4(`["SSL://h :9092"]`, `{"SSL":"SSL"}`), want: KafkaRejects, reason: "not LISTENER://host:port"},
		{name: "no endpoints", path: p, data: v4(`[]`, `{}`), warning: "no endpoints"},
		{name: "rack null", path: p, data: `{"version":3,"jmx_port":1,"endpoints":[],"rack":null}`},
		{name: "rack not a string", path: p, data: `{"version":3,"jmx_port":1,"endpoints":[],"rack":5}`, want: KafkaRejects, reason: `"rack" is the integer 5`},
		{name: "version 6", path: p, data: `{"version":6,"jmx_port":1,"endpoints":["PLAINTEXT://h:1"]}`, warning: "newer than any Kafka writes"},
		{name: "features null", path: p, data: v5(`null`), warning: noWarnings},
		{name: "features wrong type", path: p, data: v5(`[]`), want: KafkaRejects, reason: `"features" is an array`},
		{name: "feature without max", path: p, data: v5(`{"f":{"min_version":1}}`), want: KafkaRejects, reason: "needs both"},
		{name: "feature range reversed", path: p, data: v5(`{"f":{"min_version":2,"max_version":1}}`), want: KafkaRejects, reason: "bad range"},
		{name: "feature level quoted", path: p, data: v5(`{"f":{"min_version":"1","max_version":2}}`), want: KafkaRejects, reason: "is a string"},
		{name: "feature min 0", path: p, data: v5(`{"f":{"min_version":0,"max_version":1}}`), warning: "min_version 0"},
		{name: "feature level cut to a short", path: p, data: v5(`{"f":{"min_version":1,"max_version":65538}}`), warning: "cuts to the short 2"},
		{name: "trailing garbage is not read", path: p, data: v1 + `xyz`, warning: noWarnings},
		{name: "byte-order mark", path: p, data: "\xEF\xBB\xBF" + v1},
		{name: "root number running into text", path: p, data: `1x`, want: KafkaRejects, reason: "not valid JSON"},
		{name: "id not a number", path: "/brokers/ids/abc", data: v1, want: KafkaRejects, reason: "broker id"},
		{name: "id not canonical", path: "/brokers/ids/01", data: v1, warning: "looks for /brokers/ids/1"},
	})
}

func TestBrokerEndpoints(t *testing.T) {
	b, err := DecodeBrokerRegistration(7, []byte(`{"version":5,"jmx_port":-1,"endpoints":["SASL_SSL://[2001:db8::7]:9094","internal://:9095","A://B://h:1"],"listener_security_protocol_map":{"SASL_SSL":"SASL_SSL","INTERNAL":"PLAINTEXT","A://B":"SSL"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SASL_SSL://[2001:db8::7]:9094", "INTERNAL://:9095", "A://B://h:1"}
	for i, e := range b.Endpoints {
		if e.String() != want[i] {
			t.Errorf("endpoint %d: %s, want %s", i, e, want[i])
		}
	}
	if b.Endpoints[0].Host != "2001:db8::7" || b.Endpoints[1].Host != "" || b.BrokerID != 7 {
		t.Errorf("got %+v", b)
	}
}

// TestBrokerEndpointList: Kafka joins the array with "," and splits the
// trimmed string on \s*,\s* (SocketServerConfigs.listenerListToEndPoints,
// Csv.parseCsvList), dropping empty entries.
func TestBrokerEndpointList(t *testing.T) {
	lspm := `{"A":"PLAINTEXT","B":"SSL","C":"SASL_SSL"}`
	for _, c := range []struct {
		name      string
		endpoints string
		want      []string
	}{
		{"one per element", `["A://h:1","B://h:2"]`, []string{"A://h:1", "B://h:2"}},
		{"several in one element", `["A://h:1,B://h:2","C://h:3"]`, []string{"A://h:1", "B://h:2", "C://h:3"}},
		{"spaces around commas", `["A://h:1 ,\t B://h:2"]`, []string{"A://h:1", "B://h:2"}},
		{"vertical tab is Java whitespace", `["A://h:1\u000b,B://h:2"]`, []string{"A://h:1", "B://h:2"}},
		{"surrounding spaces trimmed", `["  A://h:1","B://h:2  "]`, []string{"A://h:1", "B://h:2"}},
		{"control characters trimmed at the ends", `["\u0001A://h:1\u001f"]`, []string{"A://h:1"}},
		{"empty strings give nothing", `["","A://h:1","",""]`, []string{"A://h:1"}},
		{"empty entries inside", `["A://h:1,,B://h:2,"]`, []string{"A://h:1", "B://h:2"}},
		{"only empties", `["",""]`, []string{}},
		{"only commas and spaces", `[" , , "]`, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := `{"version":4,"jmx_port":-1,"endpoints":` + c.endpoints + `,"listener_security_protocol_map":` + lspm + `}`
			b, err := DecodeBrokerRegistration(1, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, e := range b.Endpoints {
				got = append(got, e.String())
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("endpoints %q, want %q", got, c.want)
			}
		})
	}
}

func TestBrokerSequenceID(t *testing.T) {
	runCases(t, []decodeCase{
		{name: "empty", path: "/brokers/seqid", data: "", warning: noWarnings},
		{name: "data", path: "/brokers/seqid", data: "x", warning: "never reads"},
	})
}

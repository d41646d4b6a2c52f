package zkpaths

import (
	"reflect"
	"testing"
)

func TestEntityConfigCases(t *testing.T) {
	const p = "/config/topics/orders"
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: `{"version":1,"config":{"retention.ms":"1"}}`, warning: noWarnings},
		{name: "null data", path: p, null: true, warning: "no overrides"},
		{name: "null data of a quota parent", path: "/config/users/alice", null: true, warning: noWarnings},
		{name: "empty data", path: p, data: "", warning: "no overrides"},
		{name: "blank data", path: p, data: "  ", want: KafkaReadsAsEmpty, reason: "MissingNode), which is not a JSON object: Kafka reads no overrides"},
		{name: "garbage", path: p, data: `{"config":`, want: KafkaReadsAsEmpty, reason: "no overrides"},
		{name: "not an object", path: p, data: `"x"`, want: KafkaReadsAsEmpty, reason: "no overrides"},
		{name: "config missing", path: p, data: `{"version":1}`, want: KafkaReadsAsEmpty, reason: `"config" is missing`},
		{name: "config null", path: p, data: `{"version":1,"config":null}`, want: KafkaReadsAsEmpty, reason: `"config" is null`},
		{name: "config an array", path: p, data: `{"version":1,"config":[]}`, want: KafkaReadsAsEmpty, reason: `"config" is an array`},
		{name: "value a number", path: p, data: `{"version":1,"config":{"retention.ms":86400000}}`, want: KafkaRejects, reason: `"config"."retention.ms" is the integer 86400000, want a string`},
		{name: "value null", path: p, data: `{"version":1,"config":{"retention.ms":null}}`, want: KafkaRejects, reason: "is null, want a string"},
		{name: "user name not sanitized", path: "/config/users/alice+bob", data: `{"version":1,"config":{}}`, warning: `Kafka writes "alice%20bob"`},
		{name: "user name bad escape", path: "/config/users/al%zzice", data: `{"version":1,"config":{}}`, warning: "bad %-escape"},
		{name: "client literally named <default>", path: "/config/clients/%3Cdefault%3E", data: `{"version":1,"config":{}}`, warning: "literally named"},
		{name: "default client", path: "/config/users/<default>/clients/<default>", data: `{"version":1,"config":{}}`, warning: noWarnings},
	})
}

func TestEntityConfigNames(t *testing.T) {
	v, err := Decode(KindEntityConfig, "/config/users/User%3Aal%2Aice%20b/clients/app%2F1", []byte(`{"version":1,"config":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	c := v.(*EntityConfig)
	if c.EntityType != "users" || c.EntityName != "User:al*ice b" || c.ClientID == nil || *c.ClientID != "app/1" || len(c.Warnings) > 0 {
		t.Errorf("got %+v (%v)", c, c.Warnings)
	}
}

func TestEntityConfigRedaction(t *testing.T) {
	data := []byte(`{"version":1,"config":{"SCRAM-SHA-512":"salt=x,stored_key=y,server_key=z,iterations=4096",
		"listener.name.internal.ssl.keystore.password":"encryptedPassword:abc,keyLength:128",
		"listener.name.internal.plain.sasl.jaas.config":"secret","ssl.key.password":"p","password.encoder.secret":"s",
		"ssl.keystore.key":"-----BEGIN","ssl.cipher.suites":"x","custom":"cipherAlgorithm:AES,encryptedPassword:abc"}}`)
	want := map[string]string{
		"SCRAM-SHA-512": Redacted, "listener.name.internal.ssl.keystore.password": Redacted,
		"listener.name.internal.plain.sasl.jaas.config": Redacted, "ssl.key.password": Redacted,
		"password.encoder.secret": Redacted, "ssl.keystore.key": Redacted, "ssl.cipher.suites": "x", "custom": Redacted,
	}
	v, err := Decode(KindEntityConfig, "/config/brokers/1", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(*EntityConfig).Config; !reflect.DeepEqual(got, want) {
		t.Errorf("redacted:\n%v\nwant\n%v", got, want)
	}
	v, err = DecodeWith(KindEntityConfig, "/config/brokers/1", data, Options{ShowSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(*EntityConfig).Config["ssl.key.password"]; got != "p" {
		t.Errorf("with ShowSecrets: %q", got)
	}
	raw, _ := DecodeEntityConfig(ConfigEntity{Type: "brokers", Name: "1"}, data)
	if raw.Config["ssl.key.password"] != "p" || Redact(raw).(*EntityConfig).Config["ssl.key.password"] != Redacted {
		t.Errorf("DecodeEntityConfig then Redact: %v", raw.Config)
	}
}

func TestConfigChangeCases(t *testing.T) {
	const p = "/config/changes/config_change_0000000007"
	runCases(t, []decodeCase{
		{name: "v2", path: p, data: `{"version":2,"entity_path":"topics/orders"}`, warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaIgnores, reason: "no data"},
		{name: "not JSON", path: p, data: `orders`, want: KafkaIgnores, reason: "silently"},
		{name: "not an object", path: p, data: `[2]`, want: KafkaIgnores, reason: "log an error"},
		{name: "version missing", path: p, data: `{"entity_path":"topics/orders"}`, want: KafkaIgnores, reason: `"version" is missing`},
		{name: "version quoted", path: p, data: `{"version":"2","entity_path":"topics/orders"}`, want: KafkaIgnores, reason: `"version" is a string`},
		{name: "version 3", path: p, data: `{"version":3,"entity_path":"topics/orders"}`, want: KafkaIgnores, reason: "unsupported version 3"},
		{name: "v1 users", path: p, data: `{"version":1,"entity_type":"users","entity_name":"alice"}`, want: KafkaIgnores, reason: "topics or clients"},
		{name: "v1 entity_type missing", path: p, data: `{"version":1,"entity_name":"alice"}`, want: KafkaIgnores, reason: "topics or clients"},
		{name: "v1 entity_type a number", path: p, data: `{"version":1,"entity_type":1,"entity_name":"alice"}`, want: KafkaIgnores, reason: `"entity_type" is the integer 1`},
		{name: "v1 entity_name null", path: p, data: `{"version":1,"entity_type":"clients","entity_name":null}`, want: KafkaIgnores, reason: `needs "entity_name"`},
		{name: "v2 entity_path missing", path: p, data: `{"version":2}`, want: KafkaIgnores, reason: `needs "entity_path"`},
		{name: "v2 no slash", path: p, data: `{"version":2,"entity_path":"orders"}`, want: KafkaIgnores, reason: "does not start with"},
		{name: "v2 unknown type", path: p, data: `{"version":2,"entity_path":"client-metrics/m"}`, want: KafkaIgnores, reason: "does not start with"},
		// ConfigEntityZNode.path fails ZooKeeper's path check: the read
		// throws and the listener skips the change.
		{name: "v2 empty name", path: p, data: `{"version":2,"entity_path":"topics/"}`, want: KafkaIgnores, reason: `brokers would read "/config/topics/", which ZooKeeper's client refuses (path must not end with / character)`},
		{name: "v2 empty client in user path", path: p, data: `{"version":2,"entity_path":"users/alice/clients/"}`, want: KafkaIgnores, reason: "must not end with /"},
		{name: "v2 double slash", path: p, data: `{"version":2,"entity_path":"users//clients/x"}`, want: KafkaIgnores, reason: "empty node name"},
		{name: "v2 relative name", path: p, data: `{"version":2,"entity_path":"topics/.."}`, want: KafkaIgnores, reason: "relative paths"},
		{name: "v2 control character", path: p, data: `{"version":2,"entity_path":"topics/a\u0001"}`, want: KafkaIgnores, reason: "invalid character"},
		{name: "v2 emoji", path: p, data: `{"version":2,"entity_path":"clients/😀"}`, want: KafkaIgnores, reason: "invalid character"},
		{name: "v1 empty name", path: p, data: `{"version":1,"entity_type":"topics","entity_name":""}`, want: KafkaIgnores, reason: `"/config/topics/"`},
		{name: "empty data", path: p, data: "", want: KafkaIgnores, reason: "MissingNode"},
		{name: "blank data", path: p, data: " \n", want: KafkaIgnores, reason: "MissingNode"},
		{name: "v2 ips", path: p, data: `{"version":2,"entity_path":"ips/10.0.0.1"}`, warning: "2.0–2.7"},
		// Names under /config/changes.
		{name: "stray name", path: "/config/changes/foo", data: `{"version":2,"entity_path":"topics/orders"}`, want: KafkaRejects, reason: "shorter than the prefix"},
		{name: "no sequence", path: "/config/changes/config_change_", data: `{"version":2,"entity_path":"topics/orders"}`, want: KafkaRejects, reason: "no numeric suffix"},
		{name: "text sequence", path: "/config/changes/config_change_x", data: `{"version":2,"entity_path":"topics/orders"}`, want: KafkaRejects, reason: "listener stops at it"},
		{name: "wrapped sequence", path: "/config/changes/config_change_-000000001", data: `{"version":2,"entity_path":"topics/orders"}`, want: KafkaIgnores, reason: "never applied"},
		{name: "short sequence", path: "/config/changes/config_change_5", data: `{"version":2,"entity_path":"topics/orders"}`, warning: "not a name ZooKeeper generates"},
		{name: "huge sequence", path: "/config/changes/config_change_99999999999", data: `{"version":2,"entity_path":"topics/orders"}`, warning: "skips every later change"},
		{name: "other prefix", path: "/config/changes/xxxxxxxxxxxxxx0000000001", data: `{"version":2,"entity_path":"topics/orders"}`, warning: "does not start with config_change_"},
	})
}

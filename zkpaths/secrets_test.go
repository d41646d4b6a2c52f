package zkpaths

import (
	"strings"
	"testing"
)

func TestRedactData(t *testing.T) {
	for _, tt := range []struct {
		name, path, data string
		hidden           []string // must not appear
		kept             []string // must appear
		same             bool     // returned byte for byte
	}{
		{"topic config jaas", "/config/topics/t",
			`{"version":1,"config":{"sasl.jaas.config":"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";","retention.ms":"1000"}}`,
			[]string{"hunter2", "PlainLoginModule"}, []string{`"retention.ms":"1000"`, Redacted}, false},
		{"listener-prefixed broker password", "/config/brokers/1",
			`{"version":1,"config":{"listener.name.internal.ssl.keystore.password":"pw1","listener.name.x.scram-sha-256.sasl.jaas.config":"jaas2","log.cleaner.threads":"2"}}`,
			[]string{"pw1", "jaas2"}, []string{"log.cleaner.threads"}, false},
		{"PEM key and chain", "/config/brokers/<default>",
			`{"version":1,"config":{"ssl.keystore.key":"-----BEGIN","ssl.keystore.certificate.chain":"CHAIN","ssl.truststore.certificates":"CERTS"}}`,
			[]string{"BEGIN", "CHAIN", "CERTS"}, nil, false},
		{"SCRAM", "/config/users/alice",
			`{"version":1,"config":{"SCRAM-SHA-256":"salt=c2FsdA==,stored_key=S3,server_key=K,iterations=4096"}}`,
			[]string{"stored_key", "salt="}, nil, false},
		{"token hmac", "/delegation_token/tokens/t1",
			`{"version":1,"owner":"User:a","tokenId":"t1","hmac":"c2VjcmV0"}`, []string{"c2VjcmV0"}, []string{"User:a"}, false},
		{"encoder secret", "/config/brokers/<default>",
			`{"version":1,"config":{"password.encoder.secret":"x1","password.encoder.old.secret":"x2"}}`, []string{"x1", "x2"}, nil, false},
		{"sensitive non-JSON", "/config/users/bob", "not json hunter2", []string{"hunter2"}, []string{Redacted}, false},
		{"nothing secret", "/brokers/topics/t", `{"version":3, "partitions":{"0":[1]}}`, nil, nil, true},
		{"plain text", "/cluster/x", "hello", nil, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := string(RedactData(tt.path, []byte(tt.data)))
			if tt.same && got != tt.data {
				t.Errorf("changed %q to %q", tt.data, got)
			}
			for _, h := range tt.hidden {
				if strings.Contains(got, h) {
					t.Errorf("%q shows %q", got, h)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%q lacks %q", got, k)
				}
			}
		})
	}
}

func TestSecretConfigNamesMatchKafka(t *testing.T) {
	for _, key := range append(SecretConfigNames, "listener.name.internal.ssl.key.password", "some.plugin.secret") {
		if !IsSecretConfig(key, "v") {
			t.Errorf("%s is not secret", key)
		}
	}
	for _, key := range []string{"retention.ms", "ssl.keystore.location", "sasl.enabled.mechanisms"} {
		if IsSecretConfig(key, "v") {
			t.Errorf("%s is secret", key)
		}
	}
}

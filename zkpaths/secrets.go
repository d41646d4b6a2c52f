package zkpaths

import (
	"bytes"
	"encoding/json"
	"strings"
)

// SecretConfigNames are the configs Kafka 3.9 defines as
// ConfigDef.Type.PASSWORD, whose values Kafka itself never shows
// (DescribeConfigs returns null for them):
//   - clients/.../SslConfigs.java and BrokerSecurityConfigs.java: the
//     keystore, key and truststore passwords, ssl.keystore.key, the PEM
//     ssl.keystore.certificate.chain and ssl.truststore.certificates;
//   - SaslConfigs.java: sasl.jaas.config;
//   - server/.../ZkConfigs.java: the ZooKeeper client's TLS passwords;
//   - server/.../DelegationTokenManagerConfigs.java: the token secret (and
//     its old name, delegation.token.master.key);
//   - server-common/.../PasswordEncoderConfigs.java: the password encoder
//     secrets.
//
// Broker configs may carry a listener prefix
// (listener.name.<listener>[.<mechanism>].<name>): names match as suffixes.
var SecretConfigNames = []string{
	"ssl.keystore.password",
	"ssl.key.password",
	"ssl.keystore.key",
	"ssl.keystore.certificate.chain",
	"ssl.truststore.certificates",
	"ssl.truststore.password",
	"sasl.jaas.config",
	"zookeeper.ssl.keystore.password",
	"zookeeper.ssl.truststore.password",
	"delegation.token.secret.key",
	"delegation.token.master.key",
	"password.encoder.secret",
	"password.encoder.old.secret",
}

// SecretSuffixes catch secrets Kafka's list does not name (plugins' and
// connectors' configs): any key ending in one of them.
var SecretSuffixes = []string{".password", ".secret", "secret.key"}

// SCRAMMechanisms are the keys of SCRAM credentials in /config/users.
var SCRAMMechanisms = []string{"SCRAM-SHA-256", "SCRAM-SHA-512"}

// IsSecretConfig reports whether a config value must not be shown: SCRAM
// credentials, Kafka's PASSWORD-type configs (SecretConfigNames, with any
// listener prefix), keys ending in SecretSuffixes, and anything stored
// encrypted with password.encoder.secret. It is rafka's one redaction list.
func IsSecretConfig(key, value string) bool {
	for _, m := range SCRAMMechanisms {
		if key == m {
			return true
		}
	}
	for _, name := range SecretConfigNames {
		if key == name || strings.HasSuffix(key, "."+name) {
			return true
		}
	}
	for _, suffix := range SecretSuffixes {
		if strings.HasSuffix(key, suffix) {
			return true
		}
	}
	// [INFERRED] PasswordEncoder stores "encryptedPassword:<b64>,…" (format not examined in the spec).
	return strings.Contains(value, "encryptedPassword")
}

// isSecretField is a field of a znode's JSON that holds a secret: a secret
// config key, or a name that says so (a delegation token's HMAC).
func isSecretField(key string, value any) bool {
	s, _ := value.(string)
	if IsSecretConfig(key, s) {
		return true
	}
	l := strings.ToLower(key)
	return strings.Contains(l, "hmac") || strings.Contains(l, "secret") || strings.Contains(l, "password")
}

// RedactData hides secrets in a znode's raw data, for every output that
// shows data (dump --raw, diff --raw, plans of writes): in JSON data, the
// values of secret fields at any depth (a config znode's
// "config": {"sasl.jaas.config": …}, a token's "hmac") become
// "[redacted]"; data under Kafka's sensitive paths (IsSensitive) that is
// not JSON is replaced whole. Data with nothing to hide is returned as is,
// byte for byte; redacted JSON is re-encoded (keys sorted). Snapshots and
// backups keep data whole.
func RedactData(path string, data []byte) []byte {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if IsSensitive(path) && len(data) > 0 {
			return []byte(Redacted)
		}
		return data
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		if IsSensitive(path) {
			return []byte(Redacted)
		}
		return data
	}
	if !redactJSON(v) {
		return data
	}
	out, err := json.Marshal(v)
	if err != nil {
		return []byte(Redacted)
	}
	return out
}

// redactJSON replaces secret fields in place; it reports whether it did.
func redactJSON(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if _, isObj := x.(map[string]any); !isObj && isSecretField(k, x) && x != nil {
				t[k] = Redacted
				changed = true
				continue
			}
			changed = redactJSON(x) || changed
		}
	case []any:
		for _, x := range t {
			changed = redactJSON(x) || changed
		}
	}
	return changed
}

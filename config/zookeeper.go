package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kafka's names for its ZooKeeper-client settings (ZkConfigs).
const (
	keyConnect           = "zookeeper.connect"
	keySessionTimeout    = "zookeeper.session.timeout.ms"
	keyConnectionTimeout = "zookeeper.connection.timeout.ms"
	keySetACL            = "zookeeper.set.acl"
	keySSLClientEnable   = "zookeeper.ssl.client.enable"
	keyKeyStore          = "zookeeper.ssl.keystore"   // + .location, .password, .type
	keyTrustStore        = "zookeeper.ssl.truststore" // + .location, .password, .type
	keyEndpointID        = "zookeeper.ssl.endpoint.identification.algorithm"
)

// Store is a keystore or truststore file as Kafka and ZooKeeper name one.
type Store struct {
	Location string
	Password string
	// Type is JKS, PKCS12 or PEM (any case); when empty it is inferred from
	// the file name: .jks, .p12 or .pfx, .pem.
	Type string
}

// ZooKeeperClient is what Kafka's zookeeper.* keys say about reaching
// ZooKeeper. Zero values and nil pointers mean the key was not set.
type ZooKeeperClient struct {
	Connect           string        // zookeeper.connect
	SessionTimeout    time.Duration // zookeeper.session.timeout.ms
	ConnectionTimeout time.Duration // zookeeper.connection.timeout.ms
	SetACL            *bool         // zookeeper.set.acl
	SSLClientEnable   *bool         // zookeeper.ssl.client.enable
	// zookeeper.ssl.keystore.location, .password and .type.
	KeyStore Store
	// zookeeper.ssl.truststore.location, .password and .type.
	TrustStore Store
	// zookeeper.ssl.endpoint.identification.algorithm: "HTTPS" (Kafka's
	// default) verifies the server's host name, "" does not.
	EndpointIdentification *string
}

// LoadZooKeeperClient reads the zookeeper.* keys of a Kafka properties file
// (server.properties, or a --zk-tls-config-file).
func LoadZooKeeperClient(path string) (ZooKeeperClient, error) {
	p, err := LoadProperties(path)
	if err != nil {
		return ZooKeeperClient{}, err
	}
	c, err := FromProperties(p)
	if err != nil {
		return ZooKeeperClient{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// FromProperties picks Kafka's ZooKeeper-client keys out of p and ignores
// every other key. Values are trimmed as Kafka trims them. Booleans must be
// true or false (any case), as Kafka's ConfigDef wants them: unlike Java's
// Boolean.parseBoolean, a typo is an error, never a silent false. Durations
// must be positive whole milliseconds that fit Kafka's 32-bit INT.
func FromProperties(p map[string]string) (ZooKeeperClient, error) {
	var (
		c   ZooKeeperClient
		err error
	)
	c.Connect, _ = lookup(p, keyConnect)
	if c.SessionTimeout, err = millis(p, keySessionTimeout); err != nil {
		return ZooKeeperClient{}, err
	}
	if c.ConnectionTimeout, err = millis(p, keyConnectionTimeout); err != nil {
		return ZooKeeperClient{}, err
	}
	if c.SetACL, err = boolean(p, keySetACL); err != nil {
		return ZooKeeperClient{}, err
	}
	if c.SSLClientEnable, err = boolean(p, keySSLClientEnable); err != nil {
		return ZooKeeperClient{}, err
	}
	if c.KeyStore, err = store(p, keyKeyStore); err != nil {
		return ZooKeeperClient{}, err
	}
	if c.TrustStore, err = store(p, keyTrustStore); err != nil {
		return ZooKeeperClient{}, err
	}
	if v, ok := lookup(p, keyEndpointID); ok {
		if v != "" && !strings.EqualFold(v, "HTTPS") {
			// Kafka turns anything but HTTPS into "no host name check";
			// a typo must not switch the check off.
			return ZooKeeperClient{}, fmt.Errorf("%s: invalid value %q: want HTTPS, or empty to skip the host name check", keyEndpointID, v)
		}
		c.EndpointIdentification = &v
	}
	return c, nil
}

// VerifyHostname reports whether the server's host name is to be checked
// against its certificate: yes unless the endpoint identification algorithm
// is set and empty.
func (c ZooKeeperClient) VerifyHostname() bool {
	return c.EndpointIdentification == nil || *c.EndpointIdentification != ""
}

// TLSOptions returns the TLS settings these keys describe; the caller adds
// PEM files from its flags and the server name.
func (c ZooKeeperClient) TLSOptions() TLSOptions {
	return TLSOptions{KeyStore: c.KeyStore, TrustStore: c.TrustStore, VerifyHostname: c.VerifyHostname()}
}

// lookup returns a value trimmed as Java's String.trim trims.
func lookup(p map[string]string, key string) (string, bool) {
	v, ok := p[key]
	return strings.TrimFunc(v, func(r rune) bool { return r <= ' ' }), ok
}

func millis(p map[string]string, key string) (time.Duration, error) {
	v, ok := lookup(p, key)
	if !ok {
		return 0, nil
	}
	// Kafka's INT type: 32 bits.
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: invalid value %q: want a positive whole number of milliseconds", key, v)
	}
	return time.Duration(n) * time.Millisecond, nil
}

func boolean(p map[string]string, key string) (*bool, error) {
	v, ok := lookup(p, key)
	if !ok {
		return nil, nil
	}
	var b bool
	switch {
	case strings.EqualFold(v, "true"):
		b = true
	case strings.EqualFold(v, "false"):
	default:
		return nil, fmt.Errorf("%s: invalid value %q: want true or false", key, v)
	}
	return &b, nil
}

func store(p map[string]string, prefix string) (Store, error) {
	var s Store
	s.Location, _ = lookup(p, prefix+".location")
	s.Password, _ = lookup(p, prefix+".password")
	t, _ := lookup(p, prefix+".type")
	if t != "" {
		var ok bool
		if s.Type, ok = normalType(t); !ok {
			return Store{}, fmt.Errorf("%s.type: unsupported value %q: want JKS, PKCS12 or PEM", prefix, t)
		}
	}
	return s, nil
}

package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

func TestFromProperties(t *testing.T) {
	tests := []struct {
		name    string
		in      map[string]string
		want    ZooKeeperClient
		wantErr string
	}{
		{name: "nothing set", in: map[string]string{"broker.id": "1"}},
		{
			name: "everything set",
			in: map[string]string{
				"zookeeper.connect":                               " zk1:2181,zk2:2181/kafka ",
				"zookeeper.session.timeout.ms":                    "18000",
				"zookeeper.connection.timeout.ms":                 " 6000\t",
				"zookeeper.set.acl":                               "TRUE",
				"zookeeper.ssl.client.enable":                     "false",
				"zookeeper.ssl.keystore.location":                 "/etc/kafka/ks.p12",
				"zookeeper.ssl.keystore.password":                 " secret ",
				"zookeeper.ssl.keystore.type":                     "pkcs12",
				"zookeeper.ssl.truststore.location":               "/etc/kafka/ts.jks",
				"zookeeper.ssl.truststore.password":               "changeit",
				"zookeeper.ssl.truststore.type":                   "Jks",
				"zookeeper.ssl.endpoint.identification.algorithm": "https",
				"zookeeper.clientCnxnSocket":                      "org.apache.zookeeper.ClientCnxnSocketNetty",
				"log.dirs":                                        "/var/lib/kafka",
			},
			want: ZooKeeperClient{
				Connect:                "zk1:2181,zk2:2181/kafka",
				SessionTimeout:         18 * time.Second,
				ConnectionTimeout:      6 * time.Second,
				SetACL:                 ptr(true),
				SSLClientEnable:        ptr(false),
				KeyStore:               Store{Location: "/etc/kafka/ks.p12", Password: "secret", Type: "PKCS12"},
				TrustStore:             Store{Location: "/etc/kafka/ts.jks", Password: "changeit", Type: "JKS"},
				EndpointIdentification: ptr("https"),
			},
		},
		{
			name: "empty endpoint identification",
			in:   map[string]string{"zookeeper.ssl.endpoint.identification.algorithm": " "},
			want: ZooKeeperClient{EndpointIdentification: ptr("")},
		},
		{
			name: "store type left to the extension",
			in:   map[string]string{"zookeeper.ssl.keystore.location": "ks.pem", "zookeeper.ssl.keystore.type": ""},
			want: ZooKeeperClient{KeyStore: Store{Location: "ks.pem"}},
		},
		{name: "boolean typo", in: map[string]string{"zookeeper.set.acl": "ture"}, wantErr: `zookeeper.set.acl: invalid value "ture": want true or false`},
		{name: "boolean yes", in: map[string]string{"zookeeper.ssl.client.enable": "yes"}, wantErr: `zookeeper.ssl.client.enable: invalid value "yes"`},
		{name: "boolean empty", in: map[string]string{"zookeeper.set.acl": ""}, wantErr: `zookeeper.set.acl: invalid value ""`},
		{name: "timeout not a number", in: map[string]string{"zookeeper.session.timeout.ms": "18s"}, wantErr: `zookeeper.session.timeout.ms: invalid value "18s": want a positive whole number of milliseconds`},
		{name: "timeout zero", in: map[string]string{"zookeeper.connection.timeout.ms": "0"}, wantErr: `zookeeper.connection.timeout.ms: invalid value "0"`},
		{name: "timeout negative", in: map[string]string{"zookeeper.session.timeout.ms": "-1"}, wantErr: `invalid value "-1"`},
		{name: "timeout fraction", in: map[string]string{"zookeeper.session.timeout.ms": "1.5"}, wantErr: `invalid value "1.5"`},
		{name: "timeout beyond Kafka's INT", in: map[string]string{"zookeeper.session.timeout.ms": "2147483648"}, wantErr: `invalid value "2147483648"`},
		{name: "store type unknown", in: map[string]string{"zookeeper.ssl.truststore.type": "BCFKS"}, wantErr: `zookeeper.ssl.truststore.type: unsupported value "BCFKS": want JKS, PKCS12 or PEM`},
		{name: "endpoint identification typo", in: map[string]string{"zookeeper.ssl.endpoint.identification.algorithm": "HTTP"}, wantErr: `zookeeper.ssl.endpoint.identification.algorithm: invalid value "HTTP"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromProperties(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestZooKeeperClientTLSOptions(t *testing.T) {
	tests := []struct {
		name string
		alg  *string
		want bool
	}{
		{"unset means HTTPS", nil, true},
		{"HTTPS", ptr("HTTPS"), true},
		{"empty", ptr(""), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ZooKeeperClient{EndpointIdentification: tc.alg, KeyStore: Store{Location: "k"}, TrustStore: Store{Location: "t"}}
			o := c.TLSOptions()
			if o.VerifyHostname != tc.want || c.VerifyHostname() != tc.want {
				t.Errorf("VerifyHostname = %v, want %v", o.VerifyHostname, tc.want)
			}
			if o.KeyStore != c.KeyStore || o.TrustStore != c.TrustStore {
				t.Errorf("stores not carried over: %+v", o)
			}
		})
	}
}

func TestLoadZooKeeperClient(t *testing.T) {
	path := writeFile(t, "rafka-config", "# prototype\nzookeeper.connect = 127.0.0.1:2181/my-chroot\n")
	c, err := LoadZooKeeperClient(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Connect != "127.0.0.1:2181/my-chroot" {
		t.Errorf("Connect = %q", c.Connect)
	}

	bad := writeFile(t, "server.properties", "zookeeper.set.acl = flase\n")
	_, err = LoadZooKeeperClient(bad)
	want := bad + `: zookeeper.set.acl: invalid value "flase": want true or false`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}

	_, err = LoadZooKeeperClient(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
}

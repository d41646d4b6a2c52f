package sasl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseJAAS(t *testing.T) {
	text := `
/* Kafka broker JAAS file */
KafkaServer {
    org.apache.kafka.common.security.plain.PlainLoginModule required
    username="admin" password="admin-secret";
};
// ZooKeeper client
Client {
    org.apache.zookeeper.server.auth.DigestLoginModule Required
    username="kafka"
    password="pa\"ss word";
    com.sun.security.auth.module.Krb5LoginModule optional useKeyTab=true keyTab="/k t/x.keytab" principal=kafka/h@R;
};`
	j, err := ParseJAAS(text)
	if err != nil {
		t.Fatal(err)
	}
	c := j["Client"]
	if len(c) != 2 || len(j["KafkaServer"]) != 1 {
		t.Fatalf("sections: %+v", j)
	}
	if c[0].Flag != "required" || c[0].Options["username"] != "kafka" || c[0].Options["password"] != `pa"ss word` {
		t.Errorf("digest entry: %+v", c[0])
	}
	if c[1].Options["useKeyTab"] != "true" || c[1].Options["keyTab"] != "/k t/x.keytab" || c[1].Options["principal"] != "kafka/h@R" {
		t.Errorf("krb5 entry: %+v", c[1])
	}
}

func TestParseJAASErrorsHideValues(t *testing.T) {
	for _, text := range []string{
		`Client { M required password="s3cret" }`,    // missing ';'
		`Client { M sometimes password="s3cret"; };`, // bad flag
		`Client { M required password="s3cret; };`,   // unterminated
		`Client { M required password=; };`,
		`/* never closed`,
		`Client { M required; }`, // no ';' after '}'
	} {
		_, err := ParseJAAS(text)
		if err == nil {
			t.Errorf("%q: no error", text)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: error shows the secret: %v", text, err)
		}
	}
}

// RFC 2831 §4's example (imap, chris/secret) checks the arithmetic,
// including the raw inner hash of A1.
func TestDigestRFC2831Example(t *testing.T) {
	ha1 := digestA1("chris", "elwood.innosoft.com", "secret", "OA6MG9tEQGm2hh", "OA6MHXh6VqTrRk", false)
	got := digestKD(ha1, "OA6MG9tEQGm2hh", "00000001", "OA6MHXh6VqTrRk", "auth", "AUTHENTICATE:imap/elwood.innosoft.com")
	if got != "d388dad90d4bbd760a152321f2143af7" {
		t.Errorf("response = %s", got)
	}
	rsp := digestKD(ha1, "OA6MG9tEQGm2hh", "00000001", "OA6MHXh6VqTrRk", "auth", ":imap/elwood.innosoft.com")
	if rsp != "ea40f60335c427b5527b84dbabcdfffd" {
		t.Errorf("rspauth = %s", rsp)
	}
}

func TestDigestExchange(t *testing.T) {
	m, _ := DigestMD5{Username: "kafka", Password: "kafka-secret"}.Mechanism("h:1")
	first, err := m.Start()
	if err != nil || first == nil || len(first) != 0 {
		t.Fatalf("Start = %q, %v; want an empty token", first, err)
	}
	resp, last, err := m.Next([]byte(`realm="zk-sasl-md5",nonce="abc\"d",charset=utf-8,algorithm=md5-sess`))
	if err != nil || last {
		t.Fatalf("Next: %v last=%v", err, last)
	}
	kv, err := parseDirectives(string(resp))
	if err != nil {
		t.Fatal(err)
	}
	if kv["username"] != "kafka" || kv["nonce"] != `abc"d` || kv["digest-uri"] != "zookeeper/zk-sasl-md5" || kv["qop"] != "auth" || kv["charset"] != "utf-8" {
		t.Errorf("response directives: %v", kv)
	}
	if strings.Contains(string(resp), "kafka-secret") {
		t.Error("the response carries the password")
	}
	if _, _, err := m.Next([]byte("rspauth=00000000000000000000000000000000")); !errors.Is(err, ErrAuth) {
		t.Errorf("a wrong rspauth: %v", err)
	}
}

func TestDigestRejectsOddChallenges(t *testing.T) {
	for _, ch := range []string{
		`realm="r",algorithm=md5-sess`,                     // no nonce
		`nonce="n",algorithm=md5`,                          // not md5-sess
		`nonce="n",algorithm=md5-sess,qop="auth-conf"`,     // no auth
		`nonce="n,algorithm=md5-sess`,                      // unterminated
		strings.Repeat("x", maxChallenge+1) + `=nonce="n"`, // too big
	} {
		m, _ := DigestMD5{Username: "u", Password: "p"}.Mechanism("")
		if _, _, err := m.Next([]byte(ch)); err == nil {
			t.Errorf("%.40q: accepted", ch)
		}
	}
}

func TestSettingsClient(t *testing.T) {
	j, err := ParseJAAS(`
Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="kafka" password="pw"; };
Kerb { com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab="/x.keytab" principal="kafka/b1@R"; };
Cache { com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true; };
NoKeytab { com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true principal="p"; };
Plain { org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b"; };`)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		props  map[string]string
		given  bool
		want   string // Describe(), "" for none
		errHas string
	}{
		{name: "default section", want: "DIGEST-MD5 as kafka"},
		{name: "turned off", props: map[string]string{PropClient: "false"}},
		{name: "named section", props: map[string]string{PropClientConfig: "Kerb"}, want: "GSSAPI as kafka/b1@R"},
		{name: "ticket cache", props: map[string]string{PropClientConfig: "Cache"}, want: "GSSAPI as the ticket cache's principal"},
		{name: "missing named section", props: map[string]string{PropClientConfig: "Nope"}, errHas: `no section "Nope"`},
		{name: "keytab without file", props: map[string]string{PropClientConfig: "NoKeytab"}, errHas: "no keyTab"},
		{name: "plain module", props: map[string]string{PropClientConfig: "Plain"}, errHas: "Kafka's listeners"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, err := Settings{Props: c.props, JAAS: j, JAASGiven: c.given}.Client()
			if c.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), c.errHas) {
					t.Fatalf("err = %v, want %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if cl != nil {
				got = cl.Describe()
			}
			if got != c.want {
				t.Errorf("client = %q, want %q", got, c.want)
			}
		})
	}
	// A JAAS file without a Client section means no SASL, as in Java,
	// unless the file was named for rafka explicitly.
	only, _ := ParseJAAS(`KafkaServer { x.PlainLoginModule required; };`)
	if cl, err := (Settings{JAAS: only}).Client(); cl != nil || err != nil {
		t.Errorf("no Client section: %v, %v", cl, err)
	}
	if _, err := (Settings{JAAS: only, JAASGiven: true}).Client(); err == nil {
		t.Error("no Client section in a --jaas file: no error")
	}
}

func TestSystemProperties(t *testing.T) {
	p := SystemProperties(`-Xmx1g -Djava.security.auth.login.config=/etc/kafka/jaas.conf -Dzookeeper.sasl.client.username="zk" -Dflag`)
	if p[PropLoginConfig] != "/etc/kafka/jaas.conf" || p[PropServiceName] != "zk" {
		t.Errorf("props = %v", p)
	}
	if _, ok := p["flag"]; !ok {
		t.Error("a bare -Dflag is lost")
	}
}

func TestReadJAASBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, maxJAASFile+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJAAS(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("big file: %v", err)
	}
	if _, err := ReadJAAS(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestServicePrincipal(t *testing.T) {
	k := &Kerberos{}
	if got := k.servicePrincipal("ZK1.Example.com:2181"); got != "zookeeper/zk1.example.com" {
		t.Errorf("default: %s", got)
	}
	k = &Kerberos{ServiceName: "zk", ServerPrincipal: ""}
	if got := k.servicePrincipal("[::1]:2181"); got != "zk/::1" {
		t.Errorf("service name: %s", got)
	}
	k = &Kerberos{ServerPrincipal: "zookeeper/zk@R"}
	if got := k.servicePrincipal("h:1"); got != "zookeeper/zk@R" {
		t.Errorf("forced: %s", got)
	}
}

func FuzzParseJAAS(f *testing.F) {
	f.Add(`Client { a.B required k="v" x=y; };`)
	f.Add(`/* c */ // d` + "\n" + `S { m optional; m2 required a="\"";};`)
	f.Fuzz(func(t *testing.T, s string) { ParseJAAS(s) })
}

func FuzzDigestChallenge(f *testing.F) {
	f.Add(`realm="zk-sasl-md5",nonce="u6QB",charset=utf-8,algorithm=md5-sess`)
	f.Fuzz(func(t *testing.T, s string) {
		m, _ := DigestMD5{Username: "u", Password: "p"}.Mechanism("")
		m.Next([]byte(s))
		m.Next([]byte(s))
	})
}

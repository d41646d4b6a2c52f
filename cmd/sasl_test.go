package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/sasl"
	"github.com/rafka/rafka/zksession"
)

// writeJAAS writes a broker-style JAAS file with a DIGEST-MD5 Client section.
func writeJAAS(t *testing.T, section, user, password string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jaas.conf")
	text := section + " {\n    org.apache.zookeeper.server.auth.DigestLoginModule required\n" +
		"    username=\"" + user + "\"\n    password=\"" + password + "\";\n};\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The whole path an operator takes: a JAAS file as Kafka's, init-paths
// --secure leaving sasl:kafka ACLs, and exit 4 with what failed.
func TestSASLFromTheCommandLine(t *testing.T) {
	zc := zktest.NewSASL(t)
	good := writeJAAS(t, "Client", "kafka", zktest.SASLUsers["kafka"])

	_, stderr, code := run(t, "-z", zc.Connect()+"/kafka", "--jaas", good, "init-paths", "--secure")
	if code != ExitOK {
		t.Fatalf("init-paths --secure: exit %d\n%s", code, stderr)
	}
	sess, err := zksession.Open(context.Background(), zksession.Config{
		Target: zksession.Target{Servers: zc.Servers},
		SASL:   sasl.DigestMD5{Username: "kafka", Password: zktest.SASLUsers["kafka"]},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	acl, _, err := sess.GetACL(context.Background(), "/kafka/config/users")
	if err != nil || len(acl) != 1 || acl[0].Scheme != "sasl" || acl[0].ID != "kafka" || acl[0].Perms != zk.PermAll {
		t.Errorf("ACL of /kafka/config/users = %v, %v; want sasl:kafka with all permissions", acl, err)
	}

	// A sensitive path is sasl:kafka only; rafka's own user cannot read it.
	if _, stderr, code := run(t, "-z", zc.Connect()+"/kafka", "--jaas", good, "dump"); code != ExitOK {
		t.Errorf("dump as kafka: exit %d\n%s", code, stderr)
	}

	// KAFKA_OPTS as Kafka's scripts set it, with a renamed section.
	renamed := writeJAAS(t, "ZkClient", "kafka", zktest.SASLUsers["kafka"])
	t.Setenv("KAFKA_OPTS", "-Xmx1g -Djava.security.auth.login.config="+renamed+" -Dzookeeper.sasl.clientconfig=ZkClient")
	if _, stderr, code := run(t, "-z", zc.Connect()+"/kafka", "dump"); code != ExitOK {
		t.Errorf("dump with KAFKA_OPTS: exit %d\n%s", code, stderr)
	}
	t.Setenv("KAFKA_OPTS", "")

	bad := writeJAAS(t, "Client", "kafka", "wrong-password")
	_, stderr, code = run(t, "-z", zc.Connect(), "--jaas", bad, "dump")
	if code != ExitNoAuth || !strings.Contains(stderr, "unknown user or wrong password") {
		t.Errorf("wrong password: exit %d, want %d\n%s", code, ExitNoAuth, stderr)
	}
	if strings.Contains(stderr, "wrong-password") {
		t.Errorf("the password is in the error: %s", stderr)
	}

	noSection := writeJAAS(t, "KafkaServer", "kafka", "x")
	if _, stderr, code := run(t, "-z", zc.Connect(), "--jaas", noSection, "dump"); code != ExitUsage || !strings.Contains(stderr, `no section "Client"`) {
		t.Errorf("--jaas without a Client section: exit %d\n%s", code, stderr)
	}
}

// Kerberos as a broker's KAFKA_OPTS configures it: the JAAS file, the
// krb5.conf, the service name; and the watch streams over it.
func TestSASLKerberosFromKafkaOpts(t *testing.T) {
	k := zktest.NewKerberos(t)
	jaas := filepath.Join(t.TempDir(), "kafka_server_jaas.conf")
	text := "Client {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n" +
		"  keyTab=\"" + filepath.Join(k.KDC, "kafka.keytab") + "\"\n  storeKey=true\n  useTicketCache=false\n" +
		"  principal=\"kafka/localhost@RAFKA.TEST\";\n};\n"
	if err := os.WriteFile(jaas, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := "-Djava.security.auth.login.config=" + jaas + " -Djava.security.krb5.conf=" + k.Krb5Conf
	t.Setenv("KAFKA_OPTS", opts)
	if _, stderr, code := run(t, "-z", k.Connect()+"/kafka", "init-paths", "--secure"); code != ExitOK {
		t.Fatalf("init-paths --secure over Kerberos: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := run(t, "-z", k.Connect()+"/kafka", "-o", "json", "watch", "--count", "1", "--for", "3s"); code != ExitUnavailable ||
		!strings.Contains(out, `"synced"`) {
		t.Errorf("watch over Kerberos: exit %d (want %d: --for before --count)\n%s\n%s", code, ExitUnavailable, out, stderr)
	}
	t.Setenv("KAFKA_OPTS", opts+" -Dzookeeper.sasl.client.username=zk")
	_, stderr, code := run(t, "-z", k.Connect(), "dump")
	if code != ExitNoAuth || !strings.Contains(stderr, "wrong service principal") {
		t.Errorf("wrong service name: exit %d\n%s", code, stderr)
	}
	// Without SASL the creator-only znodes init-paths made are unreadable.
	t.Setenv("KAFKA_OPTS", opts+" -Dzookeeper.sasl.client=false")
	if _, stderr, code := run(t, "-z", k.Connect()+"/kafka", "dump"); code != ExitPartial {
		t.Errorf("SASL turned off: exit %d, want %d (partial)\n%s", code, ExitPartial, stderr)
	}
}

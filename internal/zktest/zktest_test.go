package zktest_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/rafka/rafka/internal/zktest"
)

func TestStandalone(t *testing.T) {
	t.Parallel()
	c := zktest.Standalone(t)
	if c2 := zktest.Standalone(t); c2 != c {
		t.Errorf("Standalone returned a second cluster %p, want the shared %p", c2, c)
	}
	if len(c.Servers) != 1 || c.Connect() != c.Servers[0] || c.PlainServers[0] != c.Servers[0] {
		t.Fatalf("unexpected cluster %+v", c)
	}
	if !strings.HasPrefix(c.Servers[0], "127.0.0.1:") {
		t.Errorf("server %q is not on loopback", c.Servers[0])
	}
	if out, err := zktest.FourLetter(c.Servers[0], "ruok"); err != nil || out != "imok" {
		t.Fatalf("ruok = %q, %v; want imok", out, err)
	}
	if os.Getenv("ZK_TEST_SERVERS") == "" {
		if mode, err := zktest.ServerMode(c.Servers[0]); err != nil || mode != "standalone" {
			t.Errorf("mode = %q, %v; want standalone", mode, err)
		}
		if err := c.Kill(0); err == nil {
			t.Error("Kill on the shared cluster succeeded, want an error")
		}
		if conf, err := zktest.FourLetter(c.Servers[0], "conf"); err != nil || !strings.Contains(conf, "maxSessionTimeout=10000") {
			t.Errorf("conf: %v\n%s", err, conf)
		}
	}
	conn := connect(t, c.Servers)
	path := fmt.Sprintf("/zktest-standalone-%d", time.Now().UnixNano())
	if _, err := conn.Create(path, []byte("hello"), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if data, _, err := conn.Get(path); err != nil || string(data) != "hello" {
		t.Fatalf("Get = %q, %v", data, err)
	}
	if err := conn.Delete(path, -1); err != nil {
		t.Fatal(err)
	}
}

func TestExternalServers(t *testing.T) {
	t.Setenv("ZK_TEST_SERVERS", "127.0.0.1:1, 127.0.0.1:2")
	if testing.Short() {
		t.Skip("short")
	}
	c := zktest.Standalone(t)
	if got := c.Connect(); got != "127.0.0.1:1,127.0.0.1:2" {
		t.Errorf("Connect() = %q", got)
	}
	if err := c.Kill(0); err == nil {
		t.Error("Kill on external servers succeeded, want an error")
	}
	if err := c.Restart(0); err == nil {
		t.Error("Restart on external servers succeeded, want an error")
	}
	c.Stop() // no-op
}

func TestNewStandaloneKillRestart(t *testing.T) {
	t.Parallel()
	c := zktest.NewStandalone(t)
	conn := connect(t, c.Servers)
	if _, err := conn.Create("/survives", []byte("x"), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	if err := c.Kill(0); err != nil {
		t.Fatal(err)
	}
	if _, err := net.DialTimeout("tcp", c.Servers[0], time.Second); !errors.Is(err, syscallECONNREFUSED) {
		t.Errorf("dial after Kill: %v, want connection refused", err)
	}
	t2 := time.Now()
	if err := c.Restart(0); err != nil {
		t.Fatal(err)
	}
	t.Logf("kill %v, restart %v", t2.Sub(t1).Round(time.Millisecond), time.Since(t2).Round(time.Millisecond))
	defer func() {
		if t.Failed() {
			srvr, err := zktest.FourLetter(c.Servers[0], "cons")
			t.Logf("client state %v; server cons: %v\n%s", conn.State(), err, srvr)
			log, _ := os.ReadFile(filepath.Join(c.Dir, "server.log"))
			t.Logf("server.log:\n%s", log)
		}
	}()
	eventually(t, 15*time.Second, "Get after restart", func() error {
		_, _, err := conn.Get("/survives")
		return err
	})
	dir := c.Dir
	c.Stop()
	c.Stop() // idempotent
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("dir %s still exists after Stop (%v)", dir, err)
	}
	if _, err := zktest.FourLetter(c.Servers[0], "ruok"); err == nil {
		t.Error("server still answers after Stop")
	}
}

func TestEnsembleKillRestart(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	c := zktest.NewEnsemble(t)
	t.Logf("ensemble up in %v: %s", time.Since(t0).Round(time.Millisecond), c.Connect())
	if len(c.Servers) != 3 || strings.Count(c.Connect(), ",") != 2 {
		t.Fatalf("unexpected cluster %+v", c)
	}
	leader := -1
	for i, s := range c.Servers {
		mode, err := zktest.ServerMode(s)
		if err != nil {
			t.Fatal(err)
		}
		if mode == "leader" {
			leader = i
		} else if mode != "follower" {
			t.Errorf("member %d mode %q", i, mode)
		}
	}
	if leader < 0 {
		t.Fatal("no leader")
	}

	conn := connect(t, c.Servers)
	if _, err := conn.Create("/ens", []byte("v1"), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}

	t1 := time.Now()
	if err := c.Kill(leader); err != nil {
		t.Fatal(err)
	}
	if err := c.Kill(leader); err != nil { // idempotent
		t.Fatal(err)
	}
	if _, err := zktest.FourLetter(c.Servers[leader], "ruok"); err == nil {
		t.Error("killed member still answers")
	}
	// The two survivors elect a new leader and the client fails over.
	eventually(t, 20*time.Second, "write after killing the leader", func() error {
		_, err := conn.Set("/ens", []byte("v2"), -1)
		return err
	})
	t.Logf("writes work again %v after killing the leader", time.Since(t1).Round(time.Millisecond))

	t2 := time.Now()
	if err := c.Restart(leader); err != nil {
		t.Fatal(err)
	}
	t.Logf("member restarted in %v", time.Since(t2).Round(time.Millisecond))
	if mode, err := zktest.ServerMode(c.Servers[leader]); err != nil || (mode != "leader" && mode != "follower") {
		t.Errorf("restarted member mode %q, %v", mode, err)
	}
	// The restarted member has caught up.
	only := connect(t, []string{c.Servers[leader]})
	eventually(t, 10*time.Second, "read from restarted member", func() error {
		only.Sync("/ens")
		data, _, err := only.Get("/ens")
		if err == nil && string(data) != "v2" {
			err = fmt.Errorf("data %q, want v2", data)
		}
		return err
	})

	if err := c.Kill(3); err == nil {
		t.Error("Kill(3) succeeded on a 3-node ensemble")
	}
}

func TestDigestSuper(t *testing.T) {
	t.Parallel()
	c := zktest.Digest(t)
	if c.SuperAuth != "super:test" {
		t.Fatalf("SuperAuth = %q", c.SuperAuth)
	}
	path := fmt.Sprintf("/zktest-digest-%d", time.Now().UnixNano())

	alice := connect(t, c.Servers)
	if err := alice.AddAuth("digest", []byte("alice:secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Create(path, []byte("alice's"), 0, zk.DigestACL(zk.PermAll, "alice", "secret")); err != nil {
		t.Fatal(err)
	}

	anon := connect(t, c.Servers)
	if _, _, err := anon.Get(path); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("anonymous Get: %v, want ErrNoAuth", err)
	}

	super := connect(t, c.Servers)
	if err := super.AddAuth("digest", []byte(c.SuperAuth)); err != nil {
		t.Fatal(err)
	}
	if data, _, err := super.Get(path); err != nil || string(data) != "alice's" {
		t.Fatalf("super Get = %q, %v", data, err)
	}
	if err := super.Delete(path, -1); err != nil {
		t.Fatal(err)
	}
}

func loadTLS(t *testing.T, c *zktest.Cluster, withClientCert bool) *tls.Config {
	t.Helper()
	caPEM, err := os.ReadFile(filepath.Join(c.Certs, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("no certificate in ca.pem")
	}
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if withClientCert {
		cert, err := tls.LoadX509KeyPair(filepath.Join(c.Certs, "client.pem"), filepath.Join(c.Certs, "client-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg
}

func tlsDialer(cfg *tls.Config) zk.Dialer {
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		d := &net.Dialer{Timeout: max(timeout, 5*time.Second)}
		return tls.DialWithDialer(d, network, address, cfg)
	}
}

func TestMutualTLS(t *testing.T) {
	t.Parallel()
	c := zktest.MutualTLS(t)
	if c.Servers[0] == c.PlainServers[0] {
		t.Fatalf("secure and plain addresses are the same: %+v", c)
	}
	checkCertFiles(t, c.Certs)

	// A verified handshake with the client certificate.
	tc, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", c.Servers[0], loadTLS(t, c, true))
	if err != nil {
		t.Fatalf("TLS handshake with client certificate: %v", err)
	}
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	t.Logf("negotiated %s", tls.VersionName(tc.ConnectionState().Version))
	tc.Close()

	// Without a client certificate the server must refuse.
	if tc, err := tls.Dial("tcp", c.Servers[0], loadTLS(t, c, false)); err == nil {
		tc.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = tc.Read(make([]byte, 1)) // under TLS 1.3 the alert arrives after the handshake
		tc.Close()
		if err == nil {
			t.Error("server accepted a client without a certificate under ssl.clientAuth=need")
		}
	}

	// go-zookeeper over mTLS: the session is authenticated as x509 CN=rafka-client.
	conn := connect(t, c.Servers, zk.WithDialer(tlsDialer(loadTLS(t, c, true))))
	if _, _, err := conn.Get("/"); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/zktest-mtls-%d", time.Now().UnixNano())
	if _, err := conn.Create(path, []byte("tls"), 0, zk.AuthACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	acl, _, err := conn.GetACL(path)
	if err != nil || len(acl) != 1 || acl[0].Scheme != "x509" || acl[0].ID != "CN=rafka-client" {
		t.Errorf("ACL of a node created with AuthACL over mTLS = %+v, %v; want x509 CN=rafka-client", acl, err)
	}

	// The plaintext port works too.
	if out, err := zktest.FourLetter(c.PlainServers[0], "ruok"); err != nil || out != "imok" {
		t.Errorf("plaintext ruok = %q, %v", out, err)
	}
	plain := connect(t, c.PlainServers)
	if _, err := plain.Sync("/"); err != nil {
		t.Error(err)
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	c := zktest.TLS(t)
	checkCertFiles(t, c.Certs)
	withCert := connect(t, c.Servers, zk.WithDialer(tlsDialer(loadTLS(t, c, true))))
	if _, _, err := withCert.Get("/"); err != nil {
		t.Fatal(err)
	}
	// ssl.clientAuth=want: a client without a certificate gets a TLS session too.
	tc, err := tls.Dial("tcp", c.Servers[0], loadTLS(t, c, false))
	if err != nil {
		t.Fatalf("TLS handshake without client certificate: %v", err)
	}
	tc.Close()
	noCert := connect(t, c.Servers, zk.WithDialer(tlsDialer(loadTLS(t, c, false))))
	path := fmt.Sprintf("/zktest-tls-%d", time.Now().UnixNano())
	if _, err := noCert.Create(path, nil, zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
}

// checkCertFiles checks that every file Cluster.Certs promises is there and readable by the Go
// libraries rafka uses for keystores.
func checkCertFiles(t *testing.T, dir string) {
	t.Helper()
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	caPEM := read("ca.pem")
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	verify := func(name string, cert *x509.Certificate) {
		t.Helper()
		if cert.Subject.CommonName != "rafka-client" {
			t.Errorf("%s: subject %v, want CN=rafka-client", name, cert.Subject)
		}
		if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	pair, err := tls.X509KeyPair(read("client.pem"), read("client-key.pem"))
	if err != nil {
		t.Fatalf("client.pem/client-key.pem: %v", err)
	}
	verify("client.pem", pair.Leaf)
	bundle := read("client-bundle.pem")
	if _, err := tls.X509KeyPair(bundle, bundle); err != nil {
		t.Errorf("client-bundle.pem: %v", err)
	}
	if !bytes.Contains(read("client-key.pem"), []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Error("client-key.pem is not an unencrypted PKCS#8 PEM key")
	}

	_, cert, err := pkcs12.Decode(read("client.p12"), "changeit")
	if err != nil {
		t.Fatalf("client.p12: %v", err)
	}
	verify("client.p12", cert)
	for _, name := range []string{"trust.p12"} {
		certs, err := pkcs12.DecodeTrustStore(read(name), "changeit")
		if err != nil || len(certs) != 1 || !certs[0].IsCA {
			t.Errorf("%s: %d certs, %v", name, len(certs), err)
		}
	}

	ks := keystore.New()
	if err := ks.Load(bytes.NewReader(read("client.jks")), []byte("changeit")); err != nil {
		t.Fatalf("client.jks: %v", err)
	}
	aliases := ks.Aliases()
	if len(aliases) != 1 || !ks.IsPrivateKeyEntry(aliases[0]) {
		t.Fatalf("client.jks aliases %v", aliases)
	}
	entry, err := ks.GetPrivateKeyEntry(aliases[0], []byte("changeit"))
	if err != nil {
		t.Fatal(err)
	}
	jcert, err := x509.ParseCertificate(entry.CertificateChain[0].Content)
	if err != nil {
		t.Fatal(err)
	}
	verify("client.jks", jcert)
	ts := keystore.New()
	if err := ts.Load(bytes.NewReader(read("trust.jks")), []byte("changeit")); err != nil {
		t.Fatalf("trust.jks: %v", err)
	}
	if a := ts.Aliases(); len(a) != 1 || !ts.IsTrustedCertificateEntry(a[0]) {
		t.Errorf("trust.jks aliases %v", a)
	}
}

// TestRequire runs this test binary again without a ZooKeeper jar: the ZooKeeper tests must skip,
// or fail under CI=true.
func TestRequire(t *testing.T) {
	if os.Getenv("ZKTEST_CHILD") != "" {
		zktest.Require(t)
		t.Fatal("Require did not stop the test")
	}
	t.Parallel()
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRequire$", "-test.v")
		cmd.Env = append(os.Environ(), "ZKTEST_CHILD=1", "ZK_JAVA_DIR="+t.TempDir(), "CI="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP: TestRequire")):
			t.Errorf("without CI: want a skip, got %v\n%s", err, out)
		case ci == "true" && (err == nil || !strings.Contains(string(out), "CI=true: failing instead of skipping")):
			t.Errorf("with CI=true: want a failure, got %v\n%s", err, out)
		}
	}
}

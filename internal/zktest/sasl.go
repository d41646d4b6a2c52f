package zktest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// SASL servers (scripts/zk.sh start sasl|kerberos): SASLAuthenticationProvider is on, SASL is
// not required of clients, and DigestAuthenticationProvider.superDigest is super:test as on the
// Digest cluster (SuperAuth), so a test can read any ACL back.

// SASLUsers are the DIGEST-MD5 users of the SASL servers' JAAS Server section.
var SASLUsers = map[string]string{"super": "super-secret", "kafka": "kafka-secret", "rafka": "rafka-secret"}

// NewSASL starts a standalone DIGEST-MD5 server private to the test (member 0 may be killed and
// restarted); it is stopped in tb.Cleanup.
func NewSASL(tb testing.TB) *Cluster {
	tb.Helper()
	Require(tb)
	return startSASL(tb, func(dir string) ([]string, []string) {
		p := freePorts(1)
		return []string{"start", "sasl", dir, strconv.Itoa(p[0])}, []string{addr(p[0])}
	})
}

// NewSASLEnsemble is NewEnsemble with DIGEST-MD5 SASL on every member.
func NewSASLEnsemble(tb testing.TB) *Cluster {
	tb.Helper()
	Require(tb)
	return startSASL(tb, func(dir string) ([]string, []string) {
		p := freePorts(9)
		args := []string{"start", "ensemble", dir}
		for _, port := range p {
			args = append(args, strconv.Itoa(port))
		}
		return append(args, "sasl"), []string{addr(p[0]), addr(p[1]), addr(p[2])}
	})
}

// Kerberos is a ZooKeeper server that speaks GSSAPI, and its KDC.
type Kerberos struct {
	*Cluster
	// KDC is the directory of scripts/kdc.sh's KDC: krb5.conf, and the keytabs
	// kafka.keytab (kafka/localhost@RAFKA.TEST), rafka.keytab (rafka@RAFKA.TEST) and
	// stranger.keytab (stranger@RAFKA.TEST).
	KDC string
	// Krb5Conf is KDC/krb5.conf.
	Krb5Conf string
}

// AddPrincipal adds name@RAFKA.TEST to the KDC with a random key and writes its keytab.
func (k *Kerberos) AddPrincipal(tb testing.TB, name, keytab string) {
	tb.Helper()
	if out, err := runKDC(context.Background(), "addprinc", k.KDC, name, keytab); err != nil {
		tb.Fatalf("zktest: %v\n%s", err, out)
	}
}

// NewKerberos starts a KDC (realm RAFKA.TEST) and a standalone ZooKeeper whose JAAS Server
// section logs in as zookeeper/localhost@RAFKA.TEST; both are private to the test. Servers are
// "localhost:port" (the host in the server's principal). Host and realm are removed from client
// principals, so kafka/localhost@RAFKA.TEST is sasl:kafka.
func NewKerberos(tb testing.TB) *Kerberos {
	tb.Helper()
	Require(tb)
	if _, err := os.Stat("/usr/sbin/krb5kdc"); err != nil {
		unavailable(tb, fmt.Errorf("krb5kdc is not installed"))
	}
	kdcDir, err := os.MkdirTemp("", dirPrefix+"kdc-*")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		runKDC(context.Background(), "stop", kdcDir)
		os.RemoveAll(kdcDir)
	})
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	out, err := runKDC(ctx, "start", kdcDir, strconv.Itoa(freePorts(1)[0]))
	if err != nil {
		tb.Fatalf("zktest: %v\n%s", err, out)
	}
	c := startSASL(tb, func(dir string) ([]string, []string) {
		p := freePorts(1)
		return []string{"start", "kerberos", dir, strconv.Itoa(p[0]), kdcDir}, []string{"localhost:" + strconv.Itoa(p[0])}
	})
	return &Kerberos{Cluster: c, KDC: kdcDir, Krb5Conf: filepath.Join(kdcDir, "krb5.conf")}
}

func startSASL(tb testing.TB, plan func(dir string) (args, servers []string)) *Cluster {
	tb.Helper()
	sweepOnce.Do(sweepStale)
	var errs []string
	for range 2 {
		dir, err := newDir()
		if err != nil {
			tb.Fatal(err)
		}
		args, servers := plan(dir)
		c := &Cluster{Dir: dir, kind: kindStandalone, Servers: servers, PlainServers: servers, SuperAuth: "super:test"}
		if len(servers) == 3 {
			c.kind = kindEnsemble
		}
		register(c)
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		out, err := runScript(ctx, args...)
		cancel()
		if err == nil && lastLine(out) == c.Connect() {
			tb.Cleanup(c.Stop)
			return c
		}
		c.stop()
		errs = append(errs, fmt.Sprint(err, " ", lastLine(out)))
	}
	tb.Fatalf("zktest: starting a SASL ZooKeeper: %s", strings.Join(errs, "; "))
	return nil
}

// runKDC runs scripts/kdc.sh (next to zk.sh) with args.
func runKDC(ctx context.Context, args ...string) (string, error) {
	zk, err := script()
	if err != nil {
		return "", err
	}
	path := filepath.Join(filepath.Dir(zk), "kdc.sh")
	cmd := exec.CommandContext(ctx, "bash", append([]string{path}, args...)...)
	cmd.Env = append(os.Environ(), "KDC_OWNER_PID="+strconv.Itoa(os.Getpid()))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("scripts/kdc.sh %s: %w", strings.Join(args, " "), err)
	}
	return lastLine(string(out)), nil
}

package zksession_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/sasl"
	"github.com/rafka/rafka/zksession"
)

func digest(user string) sasl.Client {
	return sasl.DigestMD5{Username: user, Password: zktest.SASLUsers[user]}
}

func withSASL(c sasl.Client) func(*zksession.Config) {
	return func(cfg *zksession.Config) { cfg.SASL = c }
}

// openSASLErr is open that expects Open to fail.
func openSASLErr(t *testing.T, connect string, mutate ...func(*zksession.Config)) error {
	t.Helper()
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		t.Fatal(err)
	}
	cfg := zksession.Config{Target: target, Timeout: 5 * time.Second, SessionTimeout: 4 * time.Second}
	for _, m := range mutate {
		m(&cfg)
	}
	s, err := zksession.Open(context.Background(), cfg)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	return err
}

// saslACL is the ACL a Kafka broker with zookeeper.set.acl=true and
// SASL user kafka leaves on a sensitive znode.
var saslACL = []zk.ACL{{Perms: zk.PermAll, Scheme: "sasl", ID: "kafka"}}

func TestSASLDigestReadsOnlyWithTheRightCredentials(t *testing.T) {
	zc := zktest.NewSASL(t)
	ctx := context.Background()
	broker := open(t, zc.Connect(), withSASL(digest("kafka")))
	path := "/config-users"
	if _, err := broker.Create(ctx, path, []byte("scram"), 0, saslACL); err != nil {
		t.Fatal(err)
	}
	if acl, _, err := broker.GetACL(ctx, path); err != nil || len(acl) != 1 || acl[0].Scheme != "sasl" || acl[0].ID != "kafka" {
		t.Fatalf("ACL = %v, %v; want sasl:kafka", acl, err)
	}

	// The broker's credentials read it; nobody else does.
	asKafka := open(t, zc.Connect(), withSASL(digest("kafka")))
	if data, _, err := asKafka.Get(ctx, path); err != nil || string(data) != "scram" {
		t.Errorf("Get as kafka = %q, %v", data, err)
	}
	if !asKafka.Authenticated() {
		t.Error("a SASL session says it is not authenticated")
	}
	for name, s := range map[string]*zksession.Session{
		"anonymous": open(t, zc.Connect()),
		"rafka":     open(t, zc.Connect(), withSASL(digest("rafka"))),
	} {
		if _, _, err := s.Get(ctx, path); !errors.Is(err, zk.ErrNoAuth) {
			t.Errorf("Get as %s = %v; want ErrNoAuth", name, err)
		}
	}
}

func TestSASLDigestRefusalsFailFast(t *testing.T) {
	zc := zktest.NewSASL(t)
	for name, c := range map[string]sasl.DigestMD5{
		"wrong password": {Username: "kafka", Password: "not-it"},
		// Not rafka's password: ZooKeeper 3.8.0's server checks an unknown
		// user against the password of the user it last saw.
		"unknown user": {Username: "ghost", Password: "ghost-secret"},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := openSASLErr(t, zc.Connect(), withSASL(c))
			if !errors.Is(err, zk.ErrAuthFailed) || !errors.Is(err, sasl.ErrAuth) {
				t.Errorf("Open = %v; want an SASL refusal", err)
			}
			if !strings.Contains(err.Error(), "unknown user or wrong password") || !strings.Contains(err.Error(), c.Username) {
				t.Errorf("error does not say what failed: %v", err)
			}
			if strings.Contains(err.Error(), c.Password) {
				t.Errorf("error shows the password: %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("refusal took %s; want it at once, not at the timeout", d)
			}
		})
	}
}

// A server without a JAAS Server section answers SASL with no token.
func TestSASLAgainstAServerWithoutSASL(t *testing.T) {
	zc := zktest.Standalone(t)
	err := openSASLErr(t, zc.Connect(), withSASL(digest("kafka")))
	if !errors.Is(err, zk.ErrAuthFailed) || !strings.Contains(err.Error(), "no SASL configured") {
		t.Errorf("Open = %v", err)
	}
}

// SASL runs again on every new connection: after a cut (same session),
// after a session expiry (new session), and on another ensemble member.
// Each check reads a znode only sasl:kafka may read.
func TestSASLAcrossReconnectAndExpiry(t *testing.T) {
	zc := zktest.NewSASL(t)
	ctx := context.Background()
	proxy := zktest.NewProxy(t, zc.Servers[0])
	s := open(t, proxy.Addr, withSASL(digest("kafka")), func(c *zksession.Config) {
		c.Timeout = 10 * time.Second
		c.SessionTimeout = 2 * time.Second
	})
	if _, err := s.Create(ctx, "/secret", []byte("1"), 0, saslACL); err != nil {
		t.Fatal(err)
	}
	first := s.SessionID()

	proxy.Cut()
	if _, _, err := s.Get(ctx, "/secret"); err != nil {
		t.Fatalf("Get after a reconnect: %v", err)
	}
	if s.SessionID() != first {
		t.Error("a cut changed the session")
	}

	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	time.Sleep(4 * time.Second) // past the negotiated session timeout
	proxy.SetMode(zktest.ModePass)
	if _, _, err := s.Get(ctx, "/secret"); err != nil {
		t.Fatalf("Get after a session expiry: %v", err)
	}
	if s.SessionID() == first {
		t.Error("no new session after the expiry")
	}
}

func TestSASLAcrossAKilledEnsembleMember(t *testing.T) {
	zc := zktest.NewSASLEnsemble(t)
	ctx := context.Background()
	s := open(t, zc.Connect(), withSASL(digest("kafka")), func(c *zksession.Config) {
		c.Timeout = 10 * time.Second
		c.SessionTimeout = 6 * time.Second
	})
	if _, err := s.Create(ctx, "/secret", []byte("1"), 0, saslACL); err != nil {
		t.Fatal(err)
	}
	on, before := s.Server(), s.SessionID()
	member := -1
	for i, srv := range zc.Servers {
		if srv == on {
			member = i
		}
	}
	if member < 0 {
		t.Fatalf("connected to %q, not one of %v", on, zc.Servers)
	}
	if err := zc.Kill(member); err != nil {
		t.Fatal(err)
	}
	if data, _, err := s.Get(ctx, "/secret"); err != nil || string(data) != "1" {
		t.Fatalf("Get after killing member %d: %q, %v", member, data, err)
	}
	if s.Server() == on || s.SessionID() != before {
		t.Errorf("want the same session on another member; server %s→%s", on, s.Server())
	}
}

// kerberos is a keytab login for one of the KDC's principals.
func kerberos(k *zktest.Kerberos, principal, keytab string) *sasl.Kerberos {
	return &sasl.Kerberos{Principal: principal, KeytabFile: filepath.Join(k.KDC, keytab), Krb5Conf: k.Krb5Conf, Canonicalize: true}
}

func TestSASLKerberos(t *testing.T) {
	k := zktest.NewKerberos(t)
	ctx := context.Background()
	broker := open(t, k.Connect(), withSASL(kerberos(k, "kafka/localhost@RAFKA.TEST", "kafka.keytab")))
	if _, err := broker.Create(ctx, "/tokens", []byte("t"), 0, saslACL); err != nil {
		t.Fatal(err)
	}
	asKafka := open(t, k.Connect(), withSASL(kerberos(k, "kafka/localhost@RAFKA.TEST", "kafka.keytab")))
	if data, _, err := asKafka.Get(ctx, "/tokens"); err != nil || string(data) != "t" {
		t.Errorf("Get as kafka = %q, %v", data, err)
	}
	stranger := open(t, k.Connect(), withSASL(kerberos(k, "stranger@RAFKA.TEST", "stranger.keytab")))
	if _, _, err := stranger.Get(ctx, "/tokens"); !errors.Is(err, zk.ErrNoAuth) {
		t.Errorf("Get as stranger = %v; want ErrNoAuth", err)
	}

	// The ticket cache (kinit), and after its ticket expired.
	if _, err := exec.LookPath("kinit"); err == nil {
		cache := filepath.Join(t.TempDir(), "cc")
		kinit := exec.Command("kinit", "-l", "4s", "-kt", filepath.Join(k.KDC, "kafka.keytab"), "kafka/localhost@RAFKA.TEST")
		kinit.Env = append(os.Environ(), "KRB5_CONFIG="+k.Krb5Conf, "KRB5CCNAME=FILE:"+cache)
		if out, err := kinit.CombinedOutput(); err != nil {
			t.Fatalf("kinit: %v\n%s", err, out)
		}
		fromCache := func() sasl.Client {
			return &sasl.Kerberos{TicketCache: cache, Krb5Conf: k.Krb5Conf, Canonicalize: true}
		}
		s := open(t, k.Connect(), withSASL(fromCache()))
		if _, _, err := s.Get(ctx, "/tokens"); err != nil {
			t.Errorf("Get with the ticket cache: %v", err)
		}
		time.Sleep(5 * time.Second)
		err := openSASLErr(t, k.Connect(), withSASL(fromCache()))
		if !errors.Is(err, zk.ErrAuthFailed) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("expired ticket: %v", err)
		}
	}

	k.AddPrincipal(t, "gone", filepath.Join(k.KDC, "gone.keytab"))
	k.AddPrincipal(t, "renewed", filepath.Join(k.KDC, "renewed-old.keytab"))
	k.AddPrincipal(t, "renewed", filepath.Join(k.KDC, "renewed-new.keytab")) // new key: the old keytab is stale
	for _, c := range []struct {
		name   string
		client *sasl.Kerberos
		want   string
	}{
		{"unknown principal", kerberos(k, "ghost@RAFKA.TEST", "rafka.keytab"), "unknown principal"},
		{"stale keytab", kerberos(k, "renewed@RAFKA.TEST", "renewed-old.keytab"), "wrong key"},
		{"wrong service principal", func() *sasl.Kerberos {
			c := kerberos(k, "rafka@RAFKA.TEST", "rafka.keytab")
			c.ServiceName = "zk"
			return c
		}(), "wrong service principal"},
		{"no ticket cache", &sasl.Kerberos{TicketCache: filepath.Join(t.TempDir(), "none"), Krb5Conf: k.Krb5Conf}, "no Kerberos ticket"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := openSASLErr(t, k.Connect(), withSASL(c.client))
			if !errors.Is(err, zk.ErrAuthFailed) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open = %v; want %q", err, c.want)
			}
		})
	}
}

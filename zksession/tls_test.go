package zksession_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

func tlsConfig(t *testing.T, certs string, withClientCert bool) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(certs, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no CA in ca.pem")
	}
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if withClientCert {
		pair, err := tls.LoadX509KeyPair(filepath.Join(certs, "client.pem"), filepath.Join(certs, "client-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg
}

func TestTLS(t *testing.T) {
	zc := zktest.TLS(t)
	s := open(t, zc.Connect(), func(c *zksession.Config) { c.TLS = tlsConfig(t, zc.Certs, false) })
	if _, _, err := s.Exists(context.Background(), "/"); err != nil {
		t.Fatal(err)
	}
	if s.Authenticated() {
		t.Error("a TLS session without a client certificate is not authenticated")
	}
}

func TestMutualTLSIdentity(t *testing.T) {
	zc := zktest.MutualTLS(t)
	s := open(t, zc.Connect(), func(c *zksession.Config) { c.TLS = tlsConfig(t, zc.Certs, true) })
	ctx := context.Background()
	path := "/mtls-" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	if _, err := s.Create(ctx, path, nil, 0, []zk.ACL{{Perms: zk.PermAll, Scheme: "auth"}}); err != nil {
		t.Fatalf("create with creator ACL over mTLS: %v", err)
	}
	acl, _, err := s.GetACL(ctx, path)
	if err != nil || len(acl) != 1 || acl[0].Scheme != "x509" || !strings.Contains(acl[0].ID, "CN=rafka-client") {
		t.Errorf("ACL = %+v, %v; want x509 CN=rafka-client", acl, err)
	}
	if !s.Authenticated() {
		t.Error("an mTLS session is authenticated")
	}
}

func TestTLSMismatchesAreNamed(t *testing.T) {
	zc := zktest.MutualTLS(t)
	tests := []struct {
		name    string
		connect string
		tls     *tls.Config
		want    string
	}{
		{"no client certificate for a mutual-TLS port", zc.Connect(), tlsConfig(t, zc.Certs, false), "TLS"},
		{"plaintext client on the TLS port", zc.Connect(), nil, "TLS"},
		{"TLS client on the plaintext port", zc.PlainServers[0], tlsConfig(t, zc.Certs, true), "plaintext port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, _ := zksession.ParseConnect(tt.connect)
			_, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 2 * time.Second, TLS: tt.tls})
			if !errors.Is(err, zksession.ErrUnreachable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open = %v; want ErrUnreachable saying %q", err, tt.want)
			}
		})
	}
}

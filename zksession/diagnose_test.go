package zksession_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zksession"
)

// listen serves every connection with serve until the test ends.
func listen(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return l.Addr().String()
}

func openErr(t *testing.T, server string, tlsCfg *tls.Config) error {
	t.Helper()
	target, err := zksession.ParseConnect(server)
	if err != nil {
		t.Fatal(err)
	}
	s, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 2 * time.Second, TLS: tlsCfg})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	return err
}

// TestMalformedReplyIsNamed: a port that answers with a reply that is not
// a ZooKeeper connect response is "not ZooKeeper", not "not tried in time".
func TestMalformedReplyIsNamed(t *testing.T) {
	for name, reply := range map[string][]byte{
		"short":          []byte("\x00\x00\x00\x05hello"),
		"wrong protocol": append([]byte("\x00\x00\x00\x24\x00\x00\x00\x07"), make([]byte, 32)...),
		"cut short":      []byte("\x00\x00\x00\x24\x00\x00"),
	} {
		t.Run(name, func(t *testing.T) {
			server := listen(t, func(c net.Conn) {
				buf := make([]byte, 64)
				c.Read(buf)
				c.Write(reply)
				time.Sleep(3 * time.Second)
			})
			err := openErr(t, server, nil)
			if !errors.Is(err, zksession.ErrUnreachable) || !strings.Contains(err.Error(), "not ZooKeeper: a malformed handshake reply") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

type pki struct {
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	pool   *x509.CertPool
}

func newPKI(t *testing.T, name string) *pki {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &pki{caCert: cert, caKey: key, pool: pool}
}

func (p *pki) leaf(t *testing.T, notAfter time.Time, ips []net.IP, dns []string) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "zk"},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter, IPAddresses: ips, DNSNames: dns,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func tlsServer(t *testing.T, cfg *tls.Config) string {
	return listen(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		tc.SetDeadline(time.Now().Add(3 * time.Second))
		if tc.Handshake() == nil {
			buf := make([]byte, 64)
			tc.Read(buf)
		}
	})
}

// TestTLSCertificateProblemsAreNamed: expired, unknown CA, wrong host; and
// a server refusing rafka's (missing) client certificate is an
// authentication failure (exit 4), not an unreachable server.
func TestTLSCertificateProblemsAreNamed(t *testing.T) {
	ca := newPKI(t, "rafka-test-ca")
	other := newPKI(t, "someone-else")
	loopback := []net.IP{net.ParseIP("127.0.0.1")}
	for _, tt := range []struct {
		name   string
		server *tls.Config
		client *tls.Config
		want   string
		auth   bool
	}{
		{"expired", &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, time.Now().Add(-time.Hour), loopback, nil)}},
			&tls.Config{RootCAs: ca.pool}, "certificate has expired", false},
		{"unknown CA", &tls.Config{Certificates: []tls.Certificate{other.leaf(t, time.Now().Add(time.Hour), loopback, nil)}},
			&tls.Config{RootCAs: ca.pool}, "signed by an unknown CA (issuer CN=someone-else)", false},
		{"wrong host", &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, time.Now().Add(time.Hour), nil, []string{"zk.example"})}},
			&tls.Config{RootCAs: ca.pool}, "certificate is for another host", false},
		{"client certificate required", &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, time.Now().Add(time.Hour), loopback, nil)},
			ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
			&tls.Config{RootCAs: ca.pool}, "refused rafka's client certificate", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := openErr(t, tlsServer(t, tt.server), tt.client)
			if !errors.Is(err, zksession.ErrUnreachable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want it to say %q", err, tt.want)
			}
			if got := errors.Is(err, zk.ErrAuthFailed); got != tt.auth {
				t.Errorf("errors.Is(err, ErrAuthFailed) = %v, want %v", got, tt.auth)
			}
		})
	}
}

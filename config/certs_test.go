package config

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// issued is a certificate with its key.
type issued struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// testPKI is a small CA world, made once per test binary:
//
//	ca ── inter ── client, rsaClient
//	ca ── server ("localhost", 127.0.0.1), expired, clientOnly
//	rogueCA ── rogue ("localhost", 127.0.0.1)
type testPKI struct {
	ca, inter, server, client, rsaClient *issued
	expired, clientOnly                  *issued
	rogueCA, rogue                       *issued
}

var pki = sync.OnceValue(func() *testPKI {
	now := time.Now()
	var serial int64
	issue := func(parent *issued, key crypto.Signer, tmpl x509.Certificate) *issued {
		serial++
		tmpl.SerialNumber = big.NewInt(serial)
		if tmpl.NotBefore.IsZero() {
			tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.Add(time.Hour)
		}
		if key == nil {
			k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				panic(err)
			}
			key = k
		}
		signerCert, signerKey := &tmpl, key
		if parent != nil {
			signerCert, signerKey = parent.cert, parent.key
		}
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, signerCert, key.Public(), signerKey)
		if err != nil {
			panic(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			panic(err)
		}
		return &issued{cert: c, key: key}
	}
	ca := func(cn string) x509.Certificate {
		return x509.Certificate{
			Subject: pkix.Name{CommonName: cn}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		}
	}
	leaf := func(cn string, usage x509.ExtKeyUsage) x509.Certificate {
		return x509.Certificate{
			Subject: pkix.Name{CommonName: cn}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{usage},
			DNSNames:    []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		}
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	p := &testPKI{}
	p.ca = issue(nil, nil, ca("rafka test CA"))
	p.inter = issue(p.ca, nil, ca("rafka test intermediate"))
	p.server = issue(p.ca, nil, leaf("zookeeper", x509.ExtKeyUsageServerAuth))
	p.client = issue(p.inter, nil, leaf("rafka-client", x509.ExtKeyUsageClientAuth))
	p.rsaClient = issue(p.inter, rsaKey, leaf("rafka-rsa-client", x509.ExtKeyUsageClientAuth))
	expired := leaf("expired", x509.ExtKeyUsageServerAuth)
	expired.NotBefore, expired.NotAfter = now.Add(-48*time.Hour), now.Add(-24*time.Hour)
	p.expired = issue(p.ca, nil, expired)
	p.clientOnly = issue(p.ca, nil, leaf("client-only", x509.ExtKeyUsageClientAuth))
	p.rogueCA = issue(nil, nil, ca("rogue CA"))
	p.rogue = issue(p.rogueCA, nil, leaf("rogue", x509.ExtKeyUsageServerAuth))
	return p
})

func (i *issued) tlsCert(chain ...*issued) tls.Certificate {
	c := tls.Certificate{Certificate: [][]byte{i.cert.Raw}, PrivateKey: i.key, Leaf: i.cert}
	for _, x := range chain {
		c.Certificate = append(c.Certificate, x.cert.Raw)
	}
	return c
}

func certsOf(is ...*issued) []*x509.Certificate {
	out := make([]*x509.Certificate, len(is))
	for i, x := range is {
		out[i] = x.cert
	}
	return out
}

// PEM encodings.

func pemCert(is ...*issued) []byte {
	var b bytes.Buffer
	for _, x := range is {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: x.cert.Raw})
	}
	return b.Bytes()
}

func pemPKCS8(k crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func pemEC(k crypto.Signer) []byte {
	der, err := x509.MarshalECPrivateKey(k.(*ecdsa.PrivateKey))
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

func pemPKCS1(k crypto.Signer) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k.(*rsa.PrivateKey))})
}

// Store encodings.

func p12Key(t *testing.T, x *issued, chain []*issued, password string) []byte {
	t.Helper()
	data, err := pkcs12.Modern.Encode(x.key, x.cert, certsOf(chain...), password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func p12Trust(t *testing.T, password string, is ...*issued) []byte {
	t.Helper()
	data, err := pkcs12.Modern.EncodeTrustStore(certsOf(is...), password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// jksEntry is one entry of a JKS store: a key entry when key is set.
type jksEntry struct {
	alias string
	key   *issued
	chain []*issued // for a key entry: the certificates after its own
	cert  *issued   // for a trusted certificate entry
}

func jks(t *testing.T, password string, entries ...jksEntry) []byte {
	t.Helper()
	ks := keystore.New()
	created := time.Now()
	for _, e := range entries {
		var err error
		if e.key != nil {
			der, merr := x509.MarshalPKCS8PrivateKey(e.key.key)
			if merr != nil {
				t.Fatal(merr)
			}
			var chain []keystore.Certificate
			for _, c := range append([]*issued{e.key}, e.chain...) {
				chain = append(chain, keystore.Certificate{Type: "X.509", Content: c.cert.Raw})
			}
			err = ks.SetPrivateKeyEntry(e.alias, keystore.PrivateKeyEntry{
				CreationTime: created, PrivateKey: der, CertificateChain: chain,
			}, []byte(password))
		} else {
			err = ks.SetTrustedCertificateEntry(e.alias, keystore.TrustedCertificateEntry{
				CreationTime: created, Certificate: keystore.Certificate{Type: "X.509", Content: e.cert.cert.Raw},
			})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := ks.Store(&b, []byte(password)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// write puts data in a new file of dir and returns its path.
func write(t *testing.T, dir, name string, data ...[]byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, bytes.Join(data, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// handshake runs a TLS handshake over loopback between a server presenting
// serverCert (and checking client certificates against the test CA when
// given) and a client using cfg. It returns both sides' errors and the
// client certificates the server saw.
func handshake(t *testing.T, serverCert tls.Certificate, cfg *tls.Config) (clientErr, serverErr error, peer []*x509.Certificate) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(pki().ca.cert)
	type result struct {
		err  error
		peer []*x509.Certificate
	}
	done := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- result{err: err}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		s := tls.Server(c, &tls.Config{
			Certificates: []tls.Certificate{serverCert},
			ClientAuth:   tls.VerifyClientCertIfGiven,
			ClientCAs:    clientCAs,
		})
		err = s.Handshake()
		done <- result{err: err, peer: s.ConnectionState().PeerCertificates}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	clientErr = tls.Client(conn, cfg).Handshake()
	conn.Close()
	r := <-done
	return clientErr, r.err, r.peer
}

// TestStores builds configs from every kind of store and proves each with
// a handshake: the server is trusted and sees the client's certificate.
func TestStores(t *testing.T) {
	p := pki()
	const pw = "s3cret"
	tests := []struct {
		name     string
		opts     func(t *testing.T, dir string) TLSOptions
		clientCN string // "" when no client certificate is configured
	}{
		{
			name: "PEM files",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CAFile:   write(t, dir, "ca.crt", pemCert(p.ca)),
					CertFile: write(t, dir, "client.crt", pemCert(p.client, p.inter)),
					KeyFile:  write(t, dir, "client.key", pemPKCS8(p.client.key)),
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "PEM cert file holding an EC key, chain out of order",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CAFile:   write(t, dir, "ca.crt", pemCert(p.ca)),
					CertFile: write(t, dir, "client.pem", pemEC(p.client.key), pemCert(p.inter, p.client)),
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "PEM files with a PKCS#1 RSA key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CAFile:   write(t, dir, "ca.crt", pemCert(p.ca)),
					CertFile: write(t, dir, "client.crt", pemCert(p.rsaClient, p.inter)),
					KeyFile:  write(t, dir, "client.key", pemPKCS1(p.rsaClient.key)),
				}
			},
			clientCN: "rafka-rsa-client",
		},
		{
			name: "CA file only: no client certificate",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{CAFile: write(t, dir, "ca.crt", pemCert(p.ca))}
			},
		},
		{
			name: "PEM stores",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.pem", pemCert(p.rogueCA, p.ca))},
					KeyStore:   Store{Location: write(t, dir, "key.pem", pemCert(p.client, p.inter), pemPKCS8(p.client.key)), Password: "ignored"},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "PKCS12 stores",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.p12", p12Trust(t, pw, p.ca)), Password: pw},
					KeyStore:   Store{Location: write(t, dir, "key.pfx", p12Key(t, p.client, []*issued{p.inter}, pw)), Password: pw},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "PKCS12 keystore used as truststore trusts its certificate",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "ca.p12", p12Key(t, p.ca, nil, pw)), Password: pw},
				}
			},
		},
		{
			name: "JKS stores",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.jks", jks(t, pw,
						jksEntry{alias: "rogue", cert: p.rogueCA}, jksEntry{alias: "ca", cert: p.ca})), Password: pw},
					KeyStore: Store{Location: write(t, dir, "key.jks", jks(t, pw,
						jksEntry{alias: "a-trusted", cert: p.ca},
						jksEntry{alias: "client", key: p.client, chain: []*issued{p.inter}})), Password: pw},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "JKS truststore without a password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.jks", jks(t, "changeit", jksEntry{alias: "ca", cert: p.ca}))},
				}
			},
		},
		{
			name: "JKS truststore trusts the certificates of key entries",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "ca.jks", jks(t, pw, jksEntry{alias: "ca", key: p.ca})), Password: pw},
				}
			},
		},
		{
			name: "JKS password in Latin-1",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CAFile:   write(t, dir, "ca.crt", pemCert(p.ca)),
					KeyStore: Store{Location: write(t, dir, "key.jks", jks(t, "p\xe4ss", jksEntry{alias: "c", key: p.client, chain: []*issued{p.inter}})), Password: "päss"},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "PKCS12 content in a .jks file, as keytool writes it",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.jks", p12Trust(t, pw, p.ca)), Password: pw},
					KeyStore:   Store{Location: write(t, dir, "key.jks", p12Key(t, p.client, []*issued{p.inter}, pw)), Password: pw},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "JKS content typed PKCS12",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.p12", jks(t, pw, jksEntry{alias: "ca", cert: p.ca})), Password: pw},
					KeyStore: Store{Location: write(t, dir, "key.bin", jks(t, pw,
						jksEntry{alias: "c", key: p.client, chain: []*issued{p.inter}})), Password: pw, Type: "pkcs12"},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "explicit type beats the extension",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					TrustStore: Store{Location: write(t, dir, "trust.txt", pemCert(p.ca)), Type: "pem"},
					KeyStore:   Store{Location: write(t, dir, "key", p12Key(t, p.client, []*issued{p.inter}, pw)), Password: pw, Type: "PKCS12"},
				}
			},
			clientCN: "rafka-client",
		},
		{
			name: "CA file and truststore add up",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CAFile:     write(t, dir, "rogue.crt", pemCert(p.rogueCA)),
					TrustStore: Store{Location: write(t, dir, "trust.p12", p12Trust(t, pw, p.ca)), Password: pw},
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts(t, t.TempDir())
			o.ServerName, o.VerifyHostname = "localhost", true
			cfg, err := o.Config()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MinVersion != tls.VersionTLS12 {
				t.Errorf("MinVersion = %x", cfg.MinVersion)
			}
			clientErr, serverErr, peer := handshake(t, p.server.tlsCert(), cfg)
			if clientErr != nil || serverErr != nil {
				t.Fatalf("handshake: client: %v; server: %v", clientErr, serverErr)
			}
			switch {
			case tc.clientCN == "" && len(peer) != 0:
				t.Errorf("client presented %q, want no certificate", peer[0].Subject.CommonName)
			case tc.clientCN != "" && len(peer) == 0:
				t.Errorf("client presented no certificate, want %q", tc.clientCN)
			case tc.clientCN != "" && peer[0].Subject.CommonName != tc.clientCN:
				t.Errorf("client presented %q, want %q", peer[0].Subject.CommonName, tc.clientCN)
			}
		})
	}
}

func TestHostnameVerification(t *testing.T) {
	p := pki()
	dir := t.TempDir()
	ca := write(t, dir, "ca.crt", pemCert(p.ca))
	var (
		hostnameErr x509.HostnameError
		unknownErr  x509.UnknownAuthorityError
		invalidErr  x509.CertificateInvalidError
	)
	tests := []struct {
		name       string
		server     *issued
		serverName string
		verify     bool
		wantErr    any // nil, or a pointer for errors.As
	}{
		{"matching name", p.server, "localhost", true, nil},
		{"matching IP", p.server, "127.0.0.1", true, nil},
		{"other name, checked", p.server, "other", true, &hostnameErr},
		{"other name, not checked", p.server, "other", false, nil},
		{"no name, not checked", p.server, "", false, nil},
		{"untrusted CA, checked", p.rogue, "localhost", true, &unknownErr},
		{"untrusted CA, not checked", p.rogue, "localhost", false, &unknownErr},
		{"untrusted CA, other name, not checked", p.rogue, "other", false, &unknownErr},
		{"expired, not checked", p.expired, "localhost", false, &invalidErr},
		{"client-only certificate, not checked", p.clientOnly, "localhost", false, &invalidErr},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := TLSOptions{CAFile: ca, ServerName: tc.serverName, VerifyHostname: tc.verify}.Config()
			if err != nil {
				t.Fatal(err)
			}
			clientErr, _, _ := handshake(t, tc.server.tlsCert(), cfg)
			switch {
			case tc.wantErr == nil && clientErr != nil:
				t.Fatalf("handshake: %v", clientErr)
			case tc.wantErr != nil && !errors.As(clientErr, tc.wantErr):
				t.Fatalf("handshake: got %v, want %T", clientErr, tc.wantErr)
			}
		})
	}
}

func TestSystemRoots(t *testing.T) {
	cfg, err := TLSOptions{VerifyHostname: true}.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RootCAs != nil || cfg.InsecureSkipVerify || len(cfg.Certificates) != 0 {
		t.Errorf("want the system roots, no client certificate, verification on; got %+v", cfg)
	}
	// Without the name check the chain is still verified, against the
	// system roots, which do not know the test CA.
	cfg, err = TLSOptions{ServerName: "localhost"}.Config()
	if err != nil {
		t.Fatal(err)
	}
	var (
		unknownErr x509.UnknownAuthorityError
		noRootsErr x509.SystemRootsError // a machine without a CA bundle
	)
	clientErr, _, _ := handshake(t, pki().server.tlsCert(), cfg)
	if !errors.As(clientErr, &unknownErr) && !errors.As(clientErr, &noRootsErr) {
		t.Errorf("got %v, want an unknown authority", clientErr)
	}
}

func TestConfigErrors(t *testing.T) {
	p := pki()
	const pw = "s3cret"
	tests := []struct {
		name    string
		opts    func(t *testing.T, dir string) TLSOptions
		want    string // in the message, after the file name is replaced by FILE
		missing bool   // the error wraps fs.ErrNotExist
	}{
		{
			name:    "missing CA file",
			opts:    func(t *testing.T, dir string) TLSOptions { return TLSOptions{CAFile: filepath.Join(dir, "FILE")} },
			want:    "read CA file FILE: no such file",
			missing: true,
		},
		{
			name: "missing truststore",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: filepath.Join(dir, "FILE.jks")}}
			},
			want:    "read truststore FILE.jks: no such file",
			missing: true,
		},
		{
			name: "missing keystore",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: filepath.Join(dir, "FILE.p12")}}
			},
			want:    "read keystore FILE.p12: no such file",
			missing: true,
		},
		{
			name: "missing key file",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{CertFile: write(t, dir, "c.crt", pemCert(p.client)), KeyFile: filepath.Join(dir, "FILE")}
			},
			want:    "read key file FILE: no such file",
			missing: true,
		},
		{
			name: "CA file without certificates",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{CAFile: write(t, dir, "FILE", []byte("not PEM\n"))}
			},
			want: "CA file FILE: no PEM certificates in it",
		},
		{
			name: "PKCS12 keystore, wrong password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.p12", p12Key(t, p.client, nil, pw)), Password: "wrong-pw"}}
			},
			want: "keystore FILE.p12: wrong password",
		},
		{
			name: "PKCS12 truststore, wrong password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.p12", p12Trust(t, pw, p.ca)), Password: "wrong-pw"}}
			},
			want: "truststore FILE.p12: wrong password",
		},
		{
			name: "JKS keystore, wrong password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw, jksEntry{alias: "c", key: p.client})), Password: "wrong-pw"}}
			},
			want: "keystore FILE.jks: wrong password",
		},
		{
			name: "JKS keystore, no password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw, jksEntry{alias: "c", key: p.client}))}}
			},
			want: "keystore FILE.jks: wrong password",
		},
		{
			name: "JKS truststore, wrong password",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw, jksEntry{alias: "ca", cert: p.ca})), Password: "wrong-pw"}}
			},
			want: "truststore FILE.jks: wrong password",
		},
		{
			name: "JKS password beyond Latin-1",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw, jksEntry{alias: "c", key: p.client})), Password: "密码"}}
			},
			want: "keystore FILE.jks: password: JKS passwords with characters beyond U+00FF are not supported",
		},
		{
			name: "JKS keystore without a key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw, jksEntry{alias: "ca", cert: p.ca})), Password: pw}}
			},
			want: "keystore FILE.jks: no private key entry in it",
		},
		{
			name: "empty JKS truststore",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.jks", jks(t, pw)), Password: pw}}
			},
			want: "truststore FILE.jks: no certificates in it",
		},
		{
			name: "PKCS12 keystore without a key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.p12", p12Trust(t, pw, p.ca)), Password: pw}}
			},
			want: "keystore FILE.p12: not a readable PKCS12 store: pkcs12: private key missing",
		},
		{
			name: "PEM keystore without a key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.pem", pemCert(p.client))}}
			},
			want: "keystore FILE.pem: no private key in it",
		},
		{
			name: "PEM keystore, key of another certificate",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.pem", pemCert(p.server), pemPKCS8(p.client.key))}}
			},
			want: "keystore FILE.pem: the private key matches none of the certificates",
		},
		{
			name: "encrypted PKCS#8 key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.pem", pemCert(p.client),
					[]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n")), Password: pw}}
			},
			want: "keystore FILE.pem: the private key is encrypted, which is not supported",
		},
		{
			name: "encrypted legacy PEM key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CertFile: write(t, dir, "c.crt", pemCert(p.client)),
					KeyFile: write(t, dir, "FILE", []byte("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"+
						"DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nMAA=\n-----END EC PRIVATE KEY-----\n")),
				}
			},
			want: "key file FILE: the private key is encrypted",
		},
		{
			name: "certificate file without a key",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{CertFile: write(t, dir, "FILE", pemCert(p.client))}
			},
			want: "certificate file FILE: no private key in it",
		},
		{
			name: "key file without a certificate",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{
					CertFile: write(t, dir, "FILE", pemPKCS8(p.client.key)),
					KeyFile:  write(t, dir, "c.key", pemPKCS8(p.client.key)),
				}
			},
			want: "certificate file FILE: no certificate in it",
		},
		{
			name: "key file alone",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyFile: write(t, dir, "FILE", pemPKCS8(p.client.key))}
			},
			want: "key file FILE without a certificate file",
		},
		{
			name: "certificate file and keystore",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{CertFile: "FILE", KeyStore: Store{Location: "k.p12"}}
			},
			want: "two client certificates: certificate file FILE and keystore k.p12",
		},
		{
			name: "no type, unknown extension",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.keystore", p12Trust(t, pw, p.ca))}}
			},
			want: "truststore FILE.keystore: cannot tell its type from the file name",
		},
		{
			name: "unsupported type",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.bcfks", []byte{0}), Type: "BCFKS"}}
			},
			want: `truststore FILE.bcfks: unsupported store type "BCFKS"`,
		},
		{
			name: "typed PEM, holds JKS",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE", jks(t, pw, jksEntry{alias: "ca", cert: p.ca})), Type: "PEM"}}
			},
			want: "truststore FILE: its type is PEM but it holds a JKS store",
		},
		{
			name: "typed JKS, holds PEM",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.jks", pemCert(p.client), pemPKCS8(p.client.key))}}
			},
			want: "keystore FILE.jks: its type is JKS but it holds a PEM store",
		},
		{
			name: "JCEKS",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.jks", []byte{0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0, 2})}}
			},
			want: "truststore FILE.jks: JCEKS stores are not supported",
		},
		{
			name: "not a store",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.p12", []byte("hello"))}}
			},
			want: "truststore FILE.p12: not a JKS, PKCS12 or PEM store",
		},
		{
			name: "broken PKCS12",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{KeyStore: Store{Location: write(t, dir, "FILE.p12", []byte{0x30, 0x03, 1, 2})}}
			},
			want: "keystore FILE.p12: not a readable PKCS12 store",
		},
		{
			name: "truncated JKS",
			opts: func(t *testing.T, dir string) TLSOptions {
				return TLSOptions{TrustStore: Store{Location: write(t, dir, "FILE.jks", []byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2})}}
			},
			want: "truststore FILE.jks: not a readable JKS store",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg, err := tc.opts(t, dir).Config()
			if err == nil {
				t.Fatalf("got a config (%d roots), want an error", len(cfg.Certificates))
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			if !strings.Contains(msg, tc.want) {
				t.Errorf("got  %q\nwant %q in it", msg, tc.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if strings.Contains(msg, pw) || strings.Contains(msg, "wrong-pw") {
				t.Errorf("error shows a password: %q", msg)
			}
			if tc.missing != errors.Is(err, fs.ErrNotExist) {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", !tc.missing, tc.missing)
			}
		})
	}
}

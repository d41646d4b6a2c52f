package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// TLSOptions says how to reach ZooKeeper over TLS.
type TLSOptions struct {
	// PEM files (--tls-ca, --tls-cert, --tls-key). CertFile may hold the
	// key too, in which case KeyFile may be empty.
	CAFile, CertFile, KeyFile string
	// Stores from the zookeeper.ssl.* keys: PEM, PKCS12 or JKS.
	KeyStore, TrustStore Store
	// ServerName is sent for SNI and checked against the server's
	// certificate; callers dialing several servers set it per server.
	ServerName string
	// VerifyHostname checks the server's certificate against ServerName.
	// When false the chain is still verified against the trusted roots.
	VerifyHostname bool
}

// Config builds a client *tls.Config. It trusts the certificates of CAFile
// and of TrustStore, or the system's roots when neither is given, and
// presents the client certificate of CertFile/KeyFile or of KeyStore (but
// not both). TLS 1.2 is the minimum.
func (o TLSOptions) Config() (*tls.Config, error) {
	roots, err := o.roots()
	if err != nil {
		return nil, err
	}
	cert, err := o.clientCertificate()
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		RootCAs:    roots,
		ServerName: o.ServerName,
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	if !o.VerifyHostname {
		// Go checks the name whenever it verifies; so skip its check
		// and verify the chain, without the name, ourselves.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = verifyChain(roots)
	}
	return cfg, nil
}

// roots returns the trusted certificates, or nil for the system's.
func (o TLSOptions) roots() (*x509.CertPool, error) {
	if o.CAFile == "" && o.TrustStore.Location == "" {
		return nil, nil
	}
	pool := x509.NewCertPool()
	if o.CAFile != "" {
		data, err := readFile("CA file", o.CAFile)
		if err != nil {
			return nil, err
		}
		certs, err := pemCerts(data)
		if err != nil {
			return nil, fmt.Errorf("CA file %s: bad PEM certificate: %w", o.CAFile, err)
		}
		if len(certs) == 0 {
			return nil, fmt.Errorf("CA file %s: no PEM certificates in it", o.CAFile)
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	if o.TrustStore.Location != "" {
		f, err := readStore(roleTrustStore, o.TrustStore)
		if err != nil {
			return nil, err
		}
		certs, err := f.trustedCerts()
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	return pool, nil
}

// clientCertificate returns the certificate to present, or nil for none.
func (o TLSOptions) clientCertificate() (*tls.Certificate, error) {
	switch {
	case o.CertFile != "" && o.KeyStore.Location != "":
		return nil, fmt.Errorf("two client certificates: certificate file %s and keystore %s: give one", o.CertFile, o.KeyStore.Location)
	case o.KeyFile != "" && o.CertFile == "":
		return nil, fmt.Errorf("key file %s without a certificate file", o.KeyFile)
	case o.CertFile != "":
		return o.pemFiles()
	case o.KeyStore.Location != "":
		f, err := readStore(roleKeyStore, o.KeyStore)
		if err != nil {
			return nil, err
		}
		switch f.format {
		case typePEM:
			return f.pemClient()
		case typePKCS12:
			return f.pkcs12Client()
		default:
			return f.jksClient()
		}
	}
	return nil, nil
}

func (o TLSOptions) pemFiles() (*tls.Certificate, error) {
	certPEM, err := readFile("certificate file", o.CertFile)
	if err != nil {
		return nil, err
	}
	if o.KeyFile == "" {
		name := "certificate file " + o.CertFile
		return pemPair(name, certPEM, name, certPEM)
	}
	keyPEM, err := readFile("key file", o.KeyFile)
	if err != nil {
		return nil, err
	}
	return pemPair("certificate file "+o.CertFile, certPEM, "key file "+o.KeyFile, keyPEM)
}

// verifyChain checks the server's chain against roots (nil: the system's)
// for server use, without looking at the host name.
func verifyChain(roots *x509.CertPool) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("tls: the server sent no certificate")
		}
		opts := x509.VerifyOptions{
			Roots:         roots,
			Intermediates: x509.NewCertPool(),
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		for _, c := range cs.PeerCertificates[1:] {
			opts.Intermediates.AddCert(c)
		}
		if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
			return fmt.Errorf("tls: server certificate (host name not checked): %w", err)
		}
		return nil
	}
}

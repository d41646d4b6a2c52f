package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"

	"software.sslmate.com/src/go-pkcs12"
)

// pkcs12Client reads a PKCS12 keystore: one private key and its chain.
func (f *storeFile) pkcs12Client() (*tls.Certificate, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(f.data, f.password)
	if err != nil {
		return nil, f.pkcs12Error(err)
	}
	s, err := signer(key)
	if err != nil {
		return nil, f.wrap("private key", err)
	}
	c, err := certificate(s, append([]*x509.Certificate{leaf}, chain...))
	if err != nil {
		return nil, f.wrap("private key", err)
	}
	return c, nil
}

// pkcs12Trusted reads a PKCS12 truststore: certificates marked trusted (as
// keytool writes them). A store holding a private key instead adds, as Java
// does for key entries, the certificate of that key.
func (f *storeFile) pkcs12Trusted() ([]*x509.Certificate, error) {
	certs, err := pkcs12.DecodeTrustStore(f.data, f.password)
	if err == nil {
		return certs, nil
	}
	if isPKCS12Password(err) {
		return nil, f.pkcs12Error(err)
	}
	if _, leaf, _, err2 := pkcs12.DecodeChain(f.data, f.password); err2 == nil {
		return []*x509.Certificate{leaf}, nil
	}
	return nil, f.pkcs12Error(err)
}

func isPKCS12Password(err error) bool {
	return errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption)
}

func (f *storeFile) pkcs12Error(err error) error {
	if isPKCS12Password(err) {
		return f.wrap("wrong password (or a damaged file)", err)
	}
	return f.wrap("not a readable PKCS12 store", err)
}

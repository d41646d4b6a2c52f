package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// errEncryptedKey says a PEM private key is password-protected.
var errEncryptedKey = errors.New("the private key is encrypted, which is not supported: decrypt it first (openssl pkey -in FILE -out NEWFILE)")

// pemCerts returns every CERTIFICATE block of data; other blocks are
// skipped.
func pemCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// pemKey returns the first private key of data: PKCS#1, PKCS#8 or SEC 1
// (EC), not encrypted. It returns nil and no error when there is none.
func pemKey(data []byte) (crypto.Signer, error) {
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			continue
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, errEncryptedKey
		}
		return parseKey(block.Bytes)
	}
	return nil, nil
}

// parseKey reads a DER private key in any of the usual encodings.
func parseKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return signer(k)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("unreadable private key: want PKCS#1, PKCS#8 or EC")
}

func signer(k any) (crypto.Signer, error) {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T", k)
}

// certificate builds a client certificate from a key and the certificates
// that came with it: the one matching the key goes first as the leaf, the
// others follow in their order as its chain.
func certificate(key crypto.Signer, certs []*x509.Certificate) (*tls.Certificate, error) {
	if len(certs) == 0 {
		return nil, errors.New("no certificate for the private key")
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, fmt.Errorf("unsupported private key type %T", key)
	}
	leaf := -1
	for i, c := range certs {
		if pub.Equal(c.PublicKey) {
			leaf = i
			break
		}
	}
	if leaf < 0 {
		return nil, errors.New("the private key matches none of the certificates")
	}
	out := &tls.Certificate{PrivateKey: key, Leaf: certs[leaf]}
	out.Certificate = append(out.Certificate, certs[leaf].Raw)
	for i, c := range certs {
		if i != leaf {
			out.Certificate = append(out.Certificate, c.Raw)
		}
	}
	return out, nil
}

// pemClient reads a PEM keystore: one file with the key and its chain.
func (f *storeFile) pemClient() (*tls.Certificate, error) {
	name := f.role + " " + f.path
	return pemPair(name, f.data, name, f.data)
}

// pemPair builds a client certificate from PEM certificates and a PEM key,
// which may come from one file; the names prefix the errors.
func pemPair(certName string, certPEM []byte, keyName string, keyPEM []byte) (*tls.Certificate, error) {
	key, err := pemKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyName, err)
	}
	if key == nil {
		return nil, fmt.Errorf("%s: no private key in it", keyName)
	}
	certs, err := pemCerts(certPEM)
	if err != nil {
		return nil, fmt.Errorf("%s: bad PEM certificate: %w", certName, err)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s: no certificate in it", certName)
	}
	c, err := certificate(key, certs)
	if err != nil {
		if certName != keyName {
			certName += " and " + keyName
		}
		return nil, fmt.Errorf("%s: %w", certName, err)
	}
	return c, nil
}

package config

import (
	"bytes"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
)

// Store types, as Kafka and ZooKeeper spell them.
const (
	typeJKS    = "JKS"
	typePKCS12 = "PKCS12"
	typePEM    = "PEM"
)

// Roles of a store, as its messages name it.
const (
	roleKeyStore   = "keystore"
	roleTrustStore = "truststore"
)

// normalType upper-cases a store type and says whether it is one we read.
func normalType(t string) (string, bool) {
	t = strings.ToUpper(strings.TrimSpace(t))
	switch t {
	case typeJKS, typePKCS12, typePEM:
		return t, true
	}
	return "", false
}

// storeFile is a store read into memory, with the format of its content.
type storeFile struct {
	role     string // roleKeyStore or roleTrustStore
	path     string
	password string
	format   string // typeJKS, typePKCS12 or typePEM
	data     []byte
}

// readStore reads s and settles its format. The type comes from s.Type or,
// as ZooKeeper does, from the file extension. Like Java 9 and later
// (keystore.type.compat), a JKS store may hold PKCS12 content and the other
// way round (keytool writes PKCS12 even to a .jks file); PEM must be PEM.
func readStore(role string, s Store) (*storeFile, error) {
	declared, err := storeType(role, s)
	if err != nil {
		return nil, err
	}
	data, err := readStoreFile(role, s.Location)
	if err != nil {
		return nil, err
	}
	f := &storeFile{role: role, path: s.Location, password: s.Password, data: data}
	content := sniff(data)
	switch {
	case content == "JCEKS":
		return nil, f.errorf("JCEKS stores are not supported; convert it to PKCS12 with keytool -importkeystore")
	case content == "":
		return nil, f.errorf("not a JKS, PKCS12 or PEM store")
	case content == declared,
		declared != typePEM && content != typePEM:
		f.format = content
	default:
		return nil, f.errorf("its type is %s but it holds a %s store", declared, content)
	}
	return f, nil
}

func storeType(role string, s Store) (string, error) {
	if s.Type != "" {
		t, ok := normalType(s.Type)
		if !ok {
			return "", fmt.Errorf("%s %s: unsupported store type %q: want JKS, PKCS12 or PEM", role, s.Location, s.Type)
		}
		return t, nil
	}
	switch strings.ToLower(filepath.Ext(s.Location)) {
	case ".jks":
		return typeJKS, nil
	case ".p12", ".pfx":
		return typePKCS12, nil
	case ".pem":
		return typePEM, nil
	}
	return "", fmt.Errorf("%s %s: cannot tell its type from the file name: set its type to JKS, PKCS12 or PEM", role, s.Location)
}

// sniff names the format of a store's content, or "" when it is none.
func sniff(data []byte) string {
	switch {
	case len(data) >= 4 && binary.BigEndian.Uint32(data) == 0xFEEDFEED:
		return typeJKS
	case len(data) >= 4 && binary.BigEndian.Uint32(data) == 0xCECECECE:
		return "JCEKS"
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return typePEM
	case len(data) > 0 && data[0] == 0x30: // DER SEQUENCE
		return typePKCS12
	}
	return ""
}

func (f *storeFile) errorf(format string, args ...any) error {
	return fmt.Errorf("%s %s: %s", f.role, f.path, fmt.Sprintf(format, args...))
}

func (f *storeFile) wrap(what string, err error) error {
	return fmt.Errorf("%s %s: %s: %w", f.role, f.path, what, err)
}

// trustedCerts returns the certificates a truststore trusts.
func (f *storeFile) trustedCerts() ([]*x509.Certificate, error) {
	var (
		certs []*x509.Certificate
		err   error
	)
	switch f.format {
	case typePEM:
		certs, err = pemCerts(f.data)
		if err != nil {
			return nil, f.wrap("bad PEM certificate", err)
		}
	case typePKCS12:
		certs, err = f.pkcs12Trusted()
	case typeJKS:
		certs, err = f.jksTrusted()
	}
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return nil, f.errorf("no certificates in it")
	}
	return certs, nil
}

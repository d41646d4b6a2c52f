package config

import (
	"bytes"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
)

// jksWhitener is the constant JKS mixes into its integrity digest.
const jksWhitener = "Mighty Aphrodite"

// loadJKS opens a JKS store. Its integrity digest is checked here first, to
// tell a wrong password from a damaged file. A truststore without a password
// is read without the check, as Java reads it.
func (f *storeFile) loadJKS() (keystore.KeyStore, []byte, error) {
	ks := keystore.New(keystore.WithOrderedAliases())
	pw, err := jksPassword(f.password)
	if err != nil {
		return ks, nil, f.wrap("password", err)
	}
	if len(f.data) < 4+sha1.Size {
		return ks, nil, f.errorf("not a readable JKS store: too short")
	}
	body := f.data[:len(f.data)-sha1.Size]
	data := f.data
	switch {
	case f.role == roleTrustStore && f.password == "":
		data = append(bytes.Clone(body), jksDigest(nil, body)...)
	case !bytes.Equal(f.data[len(body):], jksDigest(pw, body)):
		return ks, nil, f.errorf("wrong password (or a damaged file)")
	}
	if err := ks.Load(bytes.NewReader(data), pw); err != nil {
		return ks, nil, f.wrap("not a readable JKS store", err)
	}
	return ks, pw, nil
}

// jksPassword turns a password into the bytes keystore-go expects: one byte
// for each Java char, so only characters up to U+00FF fit.
func jksPassword(password string) ([]byte, error) {
	pw := make([]byte, 0, len(password))
	for _, r := range password {
		if r > 0xFF {
			return nil, errors.New("JKS passwords with characters beyond U+00FF are not supported")
		}
		pw = append(pw, byte(r))
	}
	return pw, nil
}

// jksDigest is SHA-1 over the password as UTF-16BE, the whitener and body.
func jksDigest(pw, body []byte) []byte {
	h := sha1.New()
	for _, b := range pw {
		h.Write([]byte{0, b})
	}
	h.Write([]byte(jksWhitener))
	h.Write(body)
	return h.Sum(nil)
}

// jksClient reads a JKS keystore: the first private key entry by alias,
// decrypted with the store password (as ZooKeeper does; there is no
// separate key password), and its chain.
func (f *storeFile) jksClient() (*tls.Certificate, error) {
	ks, pw, err := f.loadJKS()
	if err != nil {
		return nil, err
	}
	for _, alias := range ks.Aliases() {
		if !ks.IsPrivateKeyEntry(alias) {
			continue
		}
		entry, err := ks.GetPrivateKeyEntry(alias, pw)
		if err != nil {
			return nil, f.wrap(fmt.Sprintf("private key %q", alias), err)
		}
		key, err := parseKey(entry.PrivateKey)
		if err != nil {
			return nil, f.wrap(fmt.Sprintf("private key %q", alias), err)
		}
		certs, err := jksCerts(entry.CertificateChain)
		if err != nil {
			return nil, f.wrap(fmt.Sprintf("certificate of %q", alias), err)
		}
		c, err := certificate(key, certs)
		if err != nil {
			return nil, f.wrap(fmt.Sprintf("private key %q", alias), err)
		}
		return c, nil
	}
	return nil, f.errorf("no private key entry in it")
}

// jksTrusted reads a JKS truststore: every trusted certificate entry and,
// as Java's trust manager does, the certificate of each private key entry.
func (f *storeFile) jksTrusted() ([]*x509.Certificate, error) {
	ks, _, err := f.loadJKS()
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, alias := range ks.Aliases() {
		var raw []keystore.Certificate
		switch {
		case ks.IsTrustedCertificateEntry(alias):
			e, err := ks.GetTrustedCertificateEntry(alias)
			if err != nil {
				return nil, f.wrap(fmt.Sprintf("entry %q", alias), err)
			}
			raw = []keystore.Certificate{e.Certificate}
		case ks.IsPrivateKeyEntry(alias):
			chain, err := ks.GetPrivateKeyEntryCertificateChain(alias)
			if err != nil {
				return nil, f.wrap(fmt.Sprintf("entry %q", alias), err)
			}
			raw = chain[:min(len(chain), 1)]
		}
		certs, err := jksCerts(raw)
		if err != nil {
			return nil, f.wrap(fmt.Sprintf("certificate %q", alias), err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

func jksCerts(raw []keystore.Certificate) ([]*x509.Certificate, error) {
	out := make([]*x509.Certificate, 0, len(raw))
	for _, r := range raw {
		if r.Type != "X.509" && r.Type != "X509" {
			return nil, fmt.Errorf("unsupported certificate type %q", r.Type)
		}
		c, err := x509.ParseCertificate(r.Content)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

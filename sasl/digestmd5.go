package sasl

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
)

// DigestMD5 is the DIGEST-MD5 client of RFC 2831 as ZooKeeper's JDK server
// expects it: authentication only (qop=auth), digest-uri
// "zookeeper/zk-sasl-md5" (the JDK server checks protocol/serverName, and
// ZooKeeper names its server "zk-sasl-md5", not the host).
type DigestMD5 struct {
	Username string
	Password string // never printed
	// Protocol and ServerName make the digest-uri; zero values mean
	// ZooKeeper's "zookeeper" and "zk-sasl-md5".
	Protocol, ServerName string
}

// Mechanism starts one exchange.
func (d DigestMD5) Mechanism(string) (Mechanism, error) {
	return &digestExchange{cfg: d}, nil
}

func (d DigestMD5) Describe() string { return "DIGEST-MD5 as " + d.Username }

// String hides the password.
func (d DigestMD5) String() string { return d.Describe() }

const digestName = "DIGEST-MD5"

type digestExchange struct {
	cfg     DigestMD5
	step    int
	rspauth string // what the server must answer
}

func (x *digestExchange) Name() string     { return digestName }
func (x *digestExchange) Identity() string { return x.cfg.Username }

// Start sends an empty token, as ZooKeeper's Java client does: the server
// speaks first in DIGEST-MD5.
func (x *digestExchange) Start() ([]byte, error) { return []byte{}, nil }

func (x *digestExchange) Next(challenge []byte) ([]byte, bool, error) {
	x.step++
	switch x.step {
	case 1:
		resp, err := x.respond(challenge)
		return resp, false, err
	case 2:
		kv, err := parseDirectives(string(challenge))
		if err != nil {
			return nil, false, fail(digestName, x.cfg.Username, "server's final message: %v", err)
		}
		got := kv.get("rspauth")
		if subtle.ConstantTimeCompare([]byte(got), []byte(x.rspauth)) != 1 {
			return nil, false, fail(digestName, x.cfg.Username, "the server's rspauth does not prove it knows the password (a wrong server?)")
		}
		return nil, true, nil
	}
	return nil, false, fail(digestName, x.cfg.Username, "unexpected extra server message")
}

func (x *digestExchange) respond(challenge []byte) ([]byte, error) {
	id := x.cfg.Username
	kv, err := parseDirectives(string(challenge))
	if err != nil {
		return nil, fail(digestName, id, "server's challenge: %v", err)
	}
	nonce := kv.get("nonce")
	if nonce == "" {
		return nil, fail(digestName, id, "server's challenge has no nonce")
	}
	if alg := kv.get("algorithm"); alg != "md5-sess" {
		return nil, fail(digestName, id, "server's challenge asks for algorithm %q, want md5-sess", alg)
	}
	if qops := kv.get("qop"); qops != "" && !containsToken(qops, "auth") {
		return nil, fail(digestName, id, "server offers qop %q; rafka supports only auth", qops)
	}
	realm := kv.get("realm") // the first one; ZooKeeper sends one
	utf8 := kv.get("charset") == "utf-8"

	var cn [16]byte
	if _, err := rand.Read(cn[:]); err != nil {
		return nil, fail(digestName, id, "no randomness for the cnonce: %v", err)
	}
	cnonce := hex.EncodeToString(cn[:])
	protocol, serverName := x.cfg.Protocol, x.cfg.ServerName
	if protocol == "" {
		protocol = "zookeeper"
	}
	if serverName == "" {
		serverName = "zk-sasl-md5"
	}
	uri := protocol + "/" + serverName
	const nc, qop = "00000001", "auth"

	a1 := digestA1(x.cfg.Username, realm, x.cfg.Password, nonce, cnonce, utf8)
	response := digestKD(a1, nonce, nc, cnonce, qop, "AUTHENTICATE:"+uri)
	x.rspauth = digestKD(a1, nonce, nc, cnonce, qop, ":"+uri)

	var b strings.Builder
	if utf8 {
		b.WriteString("charset=utf-8,")
	}
	fmt.Fprintf(&b, "username=%s,realm=%s,nonce=%s,nc=%s,cnonce=%s,digest-uri=%s,maxbuf=65536,response=%s,qop=%s",
		quote(x.cfg.Username), quote(realm), quote(nonce), nc, quote(cnonce), quote(uri), response, qop)
	return []byte(b.String()), nil
}

// digestA1 is HEX(H(A1)) of RFC 2831 §2.1.2.1; the inner hash stays raw.
func digestA1(user, realm, password, nonce, cnonce string, utf8 bool) string {
	h := md5.New()
	h.Write(latin1IfPossible(user, utf8))
	h.Write([]byte(":"))
	h.Write(latin1IfPossible(realm, utf8))
	h.Write([]byte(":"))
	h.Write(latin1IfPossible(password, utf8))
	inner := h.Sum(nil)
	a1 := append(inner, []byte(":"+nonce+":"+cnonce)...)
	sum := md5.Sum(a1)
	return hex.EncodeToString(sum[:])
}

// digestKD is HEX(KD(HEX(H(A1)), nonce:nc:cnonce:qop:HEX(H(A2)))).
func digestKD(ha1, nonce, nc, cnonce, qop, a2 string) string {
	ha2 := md5.Sum([]byte(a2))
	sum := md5.Sum([]byte(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + hex.EncodeToString(ha2[:])))
	return hex.EncodeToString(sum[:])
}

// latin1IfPossible: with charset=utf-8, RFC 2831 hashes a string as
// ISO 8859-1 when all its characters fit, else as UTF-8 (as the JDK does).
func latin1IfPossible(s string, utf8 bool) []byte {
	if !utf8 {
		return []byte(s)
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return []byte(s)
		}
		out = append(out, byte(r))
	}
	return out
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func containsToken(list, tok string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.TrimSpace(t) == tok {
			return true
		}
	}
	return false
}

// directives are a challenge's key=value pairs, keys lower-cased; a key
// may repeat (realm), the first value is kept.
type directives map[string]string

func (d directives) get(k string) string { return d[k] }

// maxChallenge bounds a server token we parse; real ones are ~150 bytes.
const maxChallenge = 4096

// parseDirectives parses RFC 2831's comma-separated key=value list, where
// values may be quoted with backslash escapes. Unknown keys are kept and
// ignored by the caller.
func parseDirectives(s string) (directives, error) {
	if len(s) > maxChallenge {
		return nil, fmt.Errorf("%d bytes, more than %d", len(s), maxChallenge)
	}
	out := directives{}
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ',' || s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq <= 0 {
			return nil, fmt.Errorf("malformed directive at byte %d", i)
		}
		key := strings.ToLower(strings.TrimSpace(s[i : i+eq]))
		i += eq + 1
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					i++
					closed = true
					break
				}
				val.WriteByte(c)
				i++
			}
			if !closed {
				return nil, fmt.Errorf("unterminated quoted value of %q", key)
			}
		} else {
			end := strings.IndexByte(s[i:], ',')
			if end < 0 {
				end = len(s) - i
			}
			val.WriteString(strings.TrimSpace(s[i : i+end]))
			i += end
		}
		if _, seen := out[key]; !seen {
			out[key] = val.String()
		}
	}
	return out, nil
}

package sasl

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

const gssapiName = "GSSAPI"

// Kerberos is the GSSAPI client (RFC 4752) over gokrb5: a keytab or the
// ticket cache logs in once per process; every connection gets its own
// service ticket exchange.
type Kerberos struct {
	Principal   string // client principal, "kafka/host@REALM" or "kafka"; "" = the ticket cache's
	KeytabFile  string // "" = use the ticket cache
	TicketCache string // "" = KRB5CCNAME, else /tmp/krb5cc_<uid>
	Krb5Conf    string // "" = KRB5_CONFIG, else /etc/krb5.conf
	// ServiceName is zookeeper.sasl.client.username ("zookeeper").
	ServiceName string
	// ServerPrincipal forces the whole service principal
	// (zookeeper.server.principal); "" = ServiceName/<host>.
	ServerPrincipal string
	// Canonicalize turns the server's address into its canonical host name
	// for the service principal, as the Java client does by default.
	Canonicalize bool

	once   sync.Once
	cl     *client.Client
	errCl  error
	ticket time.Time // when the ticket cache's TGT ends (zero for keytabs)
}

func (k *Kerberos) Describe() string { return "GSSAPI as " + k.identity() }

func (k *Kerberos) identity() string {
	if k.Principal != "" {
		return k.Principal
	}
	return "the ticket cache's principal"
}

// login gets the client once; gokrb5 renews keytab TGTs by itself.
func (k *Kerberos) login() (*client.Client, error) {
	k.once.Do(func() { k.cl, k.errCl = k.doLogin() })
	return k.cl, k.errCl
}

func (k *Kerberos) doLogin() (*client.Client, error) {
	id := k.identity()
	confPath := k.Krb5Conf
	if confPath == "" {
		confPath = os.Getenv("KRB5_CONFIG")
	}
	if confPath == "" {
		confPath = "/etc/krb5.conf"
	}
	cfg, err := krbconfig.Load(confPath)
	if err != nil {
		return nil, &Error{Mechanism: gssapiName, Identity: id, Reason: fmt.Sprintf("krb5.conf %s: %v", confPath, oneLine(err)), Err: err}
	}
	settings := []func(*client.Settings){client.DisablePAFXFAST(true)}
	if k.KeytabFile != "" {
		kt, err := keytab.Load(k.KeytabFile)
		if err != nil {
			return nil, fail(gssapiName, id, "keytab %s: %v", k.KeytabFile, oneLine(err))
		}
		user, realm := splitPrincipal(k.Principal, cfg.LibDefaults.DefaultRealm)
		if user == "" {
			return nil, fail(gssapiName, id, "useKeyTab needs a principal in the JAAS entry")
		}
		cl := client.NewWithKeytab(user, realm, kt, cfg, settings...)
		if err := cl.Login(); err != nil {
			return nil, kerberosError(id, "logging in with keytab "+k.KeytabFile, err)
		}
		return cl, nil
	}
	path := k.TicketCache
	if path == "" {
		path = strings.TrimPrefix(os.Getenv("KRB5CCNAME"), "FILE:")
	}
	if path == "" {
		path = fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	}
	cc, err := credentials.LoadCCache(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail(gssapiName, id, "no Kerberos ticket: ticket cache %s does not exist (run kinit, or use a keytab)", path)
		}
		return nil, fail(gssapiName, id, "ticket cache %s: %v", path, oneLine(err))
	}
	if k.Principal != "" {
		want, _ := splitPrincipal(k.Principal, cc.GetClientRealm())
		if got := strings.Join(cc.GetClientPrincipalName().NameString, "/"); got != want {
			return nil, fail(gssapiName, id, "the ticket cache %s holds %s@%s, not %s", path, got, cc.GetClientRealm(), k.Principal)
		}
	}
	cl, err := client.NewFromCCache(cc, cfg, settings...)
	if err != nil {
		return nil, fail(gssapiName, id, "no Kerberos ticket in %s: %v (run kinit)", path, oneLine(err))
	}
	for _, e := range cc.GetEntries() {
		if len(e.Server.PrincipalName.NameString) > 0 && e.Server.PrincipalName.NameString[0] == "krbtgt" {
			if !e.EndTime.IsZero() && time.Now().After(e.EndTime) {
				return nil, fail(gssapiName, cc.GetClientPrincipalName().PrincipalNameString()+"@"+cc.GetClientRealm(),
					"the Kerberos ticket in %s expired at %s (run kinit)", path, e.EndTime.UTC().Format(time.RFC3339))
			}
		}
	}
	return cl, nil
}

// splitPrincipal splits "user/host@REALM" into "user/host" and the realm.
func splitPrincipal(p, defRealm string) (string, string) {
	if i := strings.LastIndexByte(p, '@'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return p, defRealm
}

// servicePrincipal is zookeeper/<host> as the Java client builds it.
func (k *Kerberos) servicePrincipal(server string) string {
	if k.ServerPrincipal != "" {
		return k.ServerPrincipal
	}
	name := k.ServiceName
	if name == "" {
		name = "zookeeper"
	}
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		host = server
	}
	if k.Canonicalize {
		host = canonicalHost(host)
	}
	return name + "/" + strings.ToLower(host)
}

// canonicalHost resolves host to its canonical name: forward, then
// reverse, as Java's InetAddress.getCanonicalHostName does.
func canonicalHost(host string) string {
	addrs := []string{host}
	if net.ParseIP(host) == nil {
		if a, err := net.LookupHost(host); err == nil && len(a) > 0 {
			addrs = a
		}
	}
	if names, err := net.LookupAddr(addrs[0]); err == nil && len(names) > 0 {
		return strings.TrimSuffix(names[0], ".")
	}
	return host
}

func (k *Kerberos) Mechanism(server string) (Mechanism, error) {
	cl, err := k.login()
	if err != nil {
		return nil, err
	}
	spn := k.servicePrincipal(server)
	return &gssExchange{cl: cl, spn: spn, id: cl.Credentials.CName().PrincipalNameString() + "@" + cl.Credentials.Realm()}, nil
}

type gssExchange struct {
	cl   *client.Client
	spn  string
	id   string
	key  types.EncryptionKey
	step int
}

func (x *gssExchange) Name() string     { return gssapiName }
func (x *gssExchange) Identity() string { return x.id }

// Start sends the AP-REQ for the service ticket. Mutual authentication is
// not asked for (gokrb5 cannot check an AP-REP); the server still proves
// itself in the next step, whose wrap token only it can seal.
func (x *gssExchange) Start() ([]byte, error) {
	tkt, key, err := x.cl.GetServiceTicket(x.spn)
	if err != nil {
		return nil, kerberosError(x.id, "getting a ticket for the service "+x.spn, err)
	}
	x.key = key
	tok, err := spnego.NewKRB5TokenAPREQ(x.cl, tkt, key, []int{gssapi.ContextFlagInteg, gssapi.ContextFlagConf}, nil)
	if err != nil {
		return nil, fail(gssapiName, x.id, "building the AP-REQ for %s: %v", x.spn, oneLine(err))
	}
	b, err := tok.Marshal()
	if err != nil {
		return nil, fail(gssapiName, x.id, "encoding the AP-REQ: %v", oneLine(err))
	}
	return b, nil
}

// Next checks the server's security-layer offer (RFC 4752 §3.1), sealed
// with the session key, and answers "no layer".
func (x *gssExchange) Next(challenge []byte) ([]byte, bool, error) {
	x.step++
	if x.step > 1 {
		return nil, false, fail(gssapiName, x.id, "unexpected extra server message")
	}
	var wt gssapi.WrapToken
	if err := wt.Unmarshal(challenge, true); err != nil {
		return nil, false, fail(gssapiName, x.id, "the server's security-layer message is not a GSS wrap token: %v", oneLine(err))
	}
	if ok, err := wt.Verify(x.key, keyusage.GSSAPI_ACCEPTOR_SEAL); !ok {
		return nil, false, fail(gssapiName, x.id, "the server's wrap token does not verify (a wrong service key for %s?): %v", x.spn, oneLine(err))
	}
	if len(wt.Payload) != 4 || wt.Payload[0]&1 == 0 {
		return nil, false, fail(gssapiName, x.id, "the server does not offer authentication without a security layer")
	}
	reply, err := gssapi.NewInitiatorWrapToken([]byte{1, 0, 0, 0}, x.key)
	if err != nil {
		return nil, false, fail(gssapiName, x.id, "sealing the answer: %v", oneLine(err))
	}
	b, err := reply.Marshal()
	if err != nil {
		return nil, false, fail(gssapiName, x.id, "encoding the answer: %v", oneLine(err))
	}
	return b, true, nil
}

// kerberosError names what the KDC refused, in words an operator can act on.
func kerberosError(id, doing string, err error) error {
	msg := err.Error()
	reason := ""
	switch {
	case strings.Contains(msg, "KDC_ERR_C_PRINCIPAL_UNKNOWN"):
		reason = "unknown principal: the KDC does not know " + id
	case strings.Contains(msg, "KDC_ERR_S_PRINCIPAL_UNKNOWN"):
		reason = "wrong service principal: the KDC does not know it (set zookeeper.sasl.client.username, or connect by the host name in the server's principal)"
	case strings.Contains(msg, "KDC_ERR_PREAUTH_FAILED"), strings.Contains(msg, "KRB_AP_ERR_BAD_INTEGRITY"),
		strings.Contains(msg, "Decrypting_Error"):
		reason = "wrong key: the keytab or password does not match the KDC's"
	case strings.Contains(msg, "KRB_AP_ERR_SKEW"):
		reason = "clock skew: this machine's clock and the KDC's differ by more than the allowed skew"
	case strings.Contains(msg, "KRB_AP_ERR_TKT_EXPIRED"), strings.Contains(msg, "KDC_ERR_TGT_REVOKED"),
		strings.Contains(msg, "no valid existing session"):
		reason = "the Kerberos ticket expired (run kinit, or use a keytab)"
	case strings.Contains(msg, "Networking_Error"):
		reason = "cannot reach the KDC: " + oneLine(err)
	default:
		reason = oneLine(err)
	}
	return &Error{Mechanism: gssapiName, Identity: id, Reason: doing + ": " + reason}
}

func oneLine(err error) string {
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

package sasl

import (
	"fmt"
	"strings"
)

// Property names, as Kafka's brokers pass them to ZooKeeper's client (JVM
// system properties, usually -D options in KAFKA_OPTS).
const (
	PropLoginConfig  = "java.security.auth.login.config"
	PropKrb5Conf     = "java.security.krb5.conf"
	PropClientConfig = "zookeeper.sasl.clientconfig"
	PropClient       = "zookeeper.sasl.client"
	PropServiceName  = "zookeeper.sasl.client.username"
	PropPrincipal    = "zookeeper.server.principal"
	PropCanonicalize = "zookeeper.sasl.client.canonicalize.hostname"
)

// Module classes rafka understands in a Client section.
const (
	digestModule = "org.apache.zookeeper.server.auth.DigestLoginModule"
	krb5Module   = "com.sun.security.auth.module.Krb5LoginModule"
)

// SystemProperties picks the -Dkey=value options out of a JVM command line
// such as KAFKA_OPTS. Quotes around a value are dropped.
func SystemProperties(opts string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(opts) {
		if !strings.HasPrefix(f, "-D") {
			continue
		}
		k, v, _ := strings.Cut(f[2:], "=")
		out[k] = strings.Trim(v, `"'`)
	}
	return out
}

// Settings are the SASL settings of a ZooKeeper client, as Kafka reads them.
type Settings struct {
	Props map[string]string // the system properties above
	JAAS  JAAS              // nil when no JAAS file is configured
	// JAASGiven is true when the JAAS file was named explicitly (--jaas or
	// RAFKA_JAAS): a missing section is then an error, not "no SASL".
	JAASGiven bool
}

// Client chooses the mechanism as ZooKeeper's Java client does: SASL is
// off when zookeeper.sasl.client=false or the section is missing; a
// Krb5LoginModule entry means GSSAPI, a DigestLoginModule entry
// DIGEST-MD5. It returns nil, nil for "no SASL".
func (s Settings) Client() (Client, error) {
	if v, ok := s.Props[PropClient]; ok && strings.EqualFold(strings.TrimSpace(v), "false") {
		return nil, nil
	}
	if s.JAAS == nil {
		return nil, nil
	}
	section, named := s.Props[PropClientConfig]
	if !named || section == "" {
		section = "Client"
	}
	entries, ok := s.JAAS[section]
	if !ok {
		if named || s.JAASGiven {
			return nil, fmt.Errorf("the JAAS file has no section %q (%s)", section, sectionHint(named))
		}
		return nil, nil
	}
	for _, e := range entries {
		switch {
		case strings.HasSuffix(e.Module, ".Krb5LoginModule") || e.Module == krb5Module:
			return s.kerberos(section, e)
		case strings.HasSuffix(e.Module, ".DigestLoginModule") || e.Module == digestModule:
			user, pass := e.Options["username"], e.Options["password"]
			if user == "" {
				return nil, fmt.Errorf("JAAS section %s: DigestLoginModule has no username", section)
			}
			if _, ok := e.Options["password"]; !ok {
				return nil, fmt.Errorf("JAAS section %s: DigestLoginModule has no password", section)
			}
			return DigestMD5{Username: user, Password: pass}, nil
		}
	}
	return nil, fmt.Errorf("JAAS section %s has neither a DigestLoginModule nor a Krb5LoginModule entry (Plain and Scram modules are for Kafka's listeners, not ZooKeeper)", section)
}

func sectionHint(named bool) string {
	if named {
		return "named by " + PropClientConfig
	}
	return "ZooKeeper's default; set " + PropClientConfig + " for another"
}

func (s Settings) kerberos(section string, e Entry) (Client, error) {
	k := &Kerberos{
		Principal:       e.Options["principal"],
		Krb5Conf:        s.Props[PropKrb5Conf],
		ServiceName:     s.Props[PropServiceName],
		ServerPrincipal: s.Props[PropPrincipal],
		Canonicalize:    !strings.EqualFold(s.Props[PropCanonicalize], "false"),
	}
	if isTrue(e.Options["useKeyTab"]) {
		k.KeytabFile = e.Options["keyTab"]
		if k.KeytabFile == "" {
			return nil, fmt.Errorf("JAAS section %s: useKeyTab=true but no keyTab", section)
		}
		if k.Principal == "" {
			return nil, fmt.Errorf("JAAS section %s: useKeyTab=true but no principal", section)
		}
		return k, nil
	}
	if !isTrue(e.Options["useTicketCache"]) {
		return nil, fmt.Errorf("JAAS section %s: Krb5LoginModule needs useKeyTab=true or useTicketCache=true (rafka cannot prompt for a password)", section)
	}
	k.TicketCache = e.Options["ticketCache"]
	return k, nil
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

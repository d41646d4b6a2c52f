package migration

import (
	"fmt"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// Principal is a ZooKeeper identity as ACL entries name it.
type Principal struct {
	Scheme string // "sasl" or "x509"
	ID     string
}

// ParsePrincipal reads --controller-principal: "sasl:<name>", "x509:<DN>"
// or a bare subject DN ("CN=controller,O=example").
func ParsePrincipal(s string) (Principal, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Principal{}, fmt.Errorf("empty principal")
	case strings.HasPrefix(s, "sasl:"):
		return Principal{"sasl", strings.TrimPrefix(s, "sasl:")}, nil
	case strings.HasPrefix(s, "x509:"):
		return Principal{"x509", strings.TrimPrefix(s, "x509:")}, nil
	case strings.Contains(s, "="):
		return Principal{"x509", s}, nil
	}
	return Principal{}, fmt.Errorf("principal %q: want sasl:<name>, x509:<DN> or a subject DN (CN=…)", s)
}

func (p Principal) String() string { return p.Scheme + ":" + p.ID }

// granted is the permissions entries give p (world:anyone gives everyone).
func granted(acl []zk.ACL, p Principal) int32 {
	var perms int32
	for _, a := range acl {
		if a.Scheme == "world" && a.ID == "anyone" || a.Scheme == p.Scheme && a.ID == p.ID {
			perms |= a.Perms
		}
	}
	return perms
}

// needs is what a KRaft controller does on each znode during a migration:
// it creates and deletes /controller and /migration (permissions on the
// parent, the root), reads /controller, and rewrites /controller_epoch and
// /migration.
var needs = []struct {
	path  string
	perms int32
	what  string
}{
	{"/", zk.PermCreate | zk.PermDelete, "create and delete /controller and /migration"},
	{zkpaths.Controller, zk.PermRead, "read the controller it replaces"},
	{zkpaths.ControllerEpoch, zk.PermRead | zk.PermWrite, "bump the controller epoch when it claims leadership"},
	{zkpaths.Migration, zk.PermRead | zk.PermWrite, "record its progress (every dual-write)"},
}

func aclRules(o PreflightOptions) []Finding {
	if o.ControllerPrincipal == "" || o.ACLs == nil {
		return nil
	}
	p, err := ParsePrincipal(o.ControllerPrincipal)
	if err != nil {
		return nil
	}
	var out []Finding
	for _, n := range needs {
		acl, ok := o.ACLs[n.path]
		if !ok {
			continue
		}
		if missing := n.perms &^ granted(acl, p); missing != 0 {
			out = append(out, Finding{Rule: "M-25", Name: "controller-acl", Severity: Blocker, Subject: n.path, Path: n.path,
				Message: fmt.Sprintf("%s's ACL does not give %s %s permission, which a KRaft controller needs to %s: it fails with NoAuth", n.path, p, permNames(missing), n.what),
				Hint:    "Give the KRaft controllers the brokers' ZooKeeper identity (JAAS/TLS) or add an ACL entry for theirs",
				Source:  "KafkaZkClient.scala:231 (defaultAcls on create); ZooKeeper ACL checks; Cloudera \"Migration fails with NoAuthException\""})
		}
	}
	return out
}

func permNames(p int32) string {
	var names []string
	for _, x := range []struct {
		bit  int32
		name string
	}{{zk.PermRead, "read"}, {zk.PermWrite, "write"}, {zk.PermCreate, "create"}, {zk.PermDelete, "delete"}, {zk.PermAdmin, "admin"}} {
		if p&x.bit != 0 {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, "+")
}
